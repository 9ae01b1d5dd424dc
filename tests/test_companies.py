"""Company identity: name variants from public sources resolve to one company, subsidiaries and
acquired companies roll up to their group's head in the landscape tables."""

from __future__ import annotations

import pytest
from conftest import DATA, SHARED

import lmkg
from lmkg.graph import KnowledgeGraph
from lmkg.graph.companies import group_of, rolled_up
from lmkg.graph.names import company_key, stated_parent
from lmkg.graph.query import landscape


@pytest.mark.parametrize("variant", [
    "Merck, Sharp, and Dohme Corp.",
    "Merck Sharp and Dohme Corp., a subsidiary of Merck & Co., Inc.",
    "Merck, Sharp, & Dohme, a subsidiary of Merck & Co., Inc.",
    "Merck Sharp & Dohme Corp. a subsidiary of Merck & Co., Inc",
    "Merck, Sharp & Dohme, subsidiary of Merck & Co., Inc.",
    "Merck, Sharp & Dohme Corp.",
    "Merck Sharp & Dohme",
])
def test_spellings_of_merck_sharp_and_dohme_share_one_key(variant):
    assert company_key(variant) == "mercksharpanddohme"


@pytest.mark.parametrize(("a", "b", "same"), [
    ("Merck & Co., Inc.", "Merck & Co.", True),
    ("Hoffmann-La Roche, Inc. (c/o Genentech, Inc.)", "Hoffmann-La Roche Inc.", True),
    ("EMD Serono (US and Canada)", "EMD Serono, Inc.", True),
    # Two different companies that share a word stay apart.
    ("Merck & Co., Inc.", "Merck KGaA, Darmstadt, Germany", False),
    ("Merck Sharp & Dohme", "Merck & Co., Inc.", False),
    ("AstraZeneca Pharmaceuticals LP", "AstraZeneca PLC", False),
])
def test_company_key_joins_spellings_not_companies(a, b, same):
    assert (company_key(a) == company_key(b)) is same


def test_a_parent_named_in_the_sponsor_name_is_read():
    assert stated_parent("Cubist Pharmaceuticals LLC, a subsidiary of Merck & Co., Inc.") \
        == "Merck & Co., Inc"
    assert stated_parent("Acerta Pharma, LLC (a member of the AstraZeneca Group)") == "AstraZeneca"
    assert stated_parent("Seagen Inc.") is None


def _row(rows, name):
    hits = [r for r in rows if r["company"] == name]
    assert len(hits) == 1, [r["company"] for r in rows]
    return hits[0]


def test_astrazeneca_is_one_company_in_the_curated_landscape(kg):
    rows = landscape(kg, "company")
    az = [r for r in rows if "astrazeneca" in r["company"].casefold()]
    assert [r["company"] for r in az] == ["AstraZeneca PLC"]
    assert az[0]["subsidiaries"] == ["AstraZeneca Pharmaceuticals LP"]
    # Without roll-up the subsidiary has its own row.
    flat = landscape(kg, "company", rollup=False)
    assert {r["company"] for r in flat if "astrazeneca" in r["company"].casefold()} == {
        "AstraZeneca PLC", "AstraZeneca Pharmaceuticals LP"}


@pytest.mark.parametrize(("head", "member"), [
    ("Pfizer Inc.", "Seagen Inc."),
    ("Pfizer Inc.", "Cascadian Therapeutics"),       # acquired by Seagen, which Pfizer acquired
    ("F. Hoffmann-La Roche Ltd", "Genentech, Inc."),
    ("F. Hoffmann-La Roche Ltd", "Hoffmann-La Roche Inc."),
    ("Eli Lilly and Company", "Loxo Oncology, Inc."),
    ("Gilead Sciences, Inc.", "Kite Pharma, Inc."),
    ("AstraZeneca PLC", "AstraZeneca Pharmaceuticals LP"),
])
def test_groups_follow_subsidiary_and_acquisition_chains(kg, head, member):
    heads = group_of(kg)
    m = kg.resolve(member, types=["Company"])
    assert kg.name_of(heads[m]) == head


def test_rolled_up_graph_moves_programmes_to_the_head_and_keeps_the_source_graph(kg):
    pfizer, seagen = "lmkg:company/pfizer", "lmkg:company/seagen"
    tuc = "lmkg:agent/tucatinib"
    before = kg.g.number_of_nodes()
    up = rolled_up(kg)
    assert kg.g.number_of_nodes() == before and seagen in kg
    assert seagen not in up
    assert up.g.has_edge(tuc, pfizer, key="DEVELOPED_BY")
    assert up.resolve("Seagen", types=["Company"]) == pfizer  # the member's names find the head
    assert {m["name"] for m in up.node(pfizer)["subsidiaries"]} >= {"Seagen Inc."}
    tucatinib_row = _row(landscape(kg, "company"), "Pfizer Inc.")
    assert "tucatinib (approved)" in tucatinib_row["agent_names"]


def test_cycles_in_company_links_still_give_one_head():
    kg = KnowledgeGraph()
    for c in ("a", "b"):
        kg.add_node_data({"id": f"lmkg:company/{c}", "type": "Company", "name": c.upper()})
    src = {"sources": [{"url": "https://example.org/"}]}
    kg.add_edge_data("lmkg:company/a", "SUBSIDIARY_OF", "lmkg:company/b", dict(src))
    kg.add_edge_data("lmkg:company/a", "ACQUIRED", "lmkg:company/b", dict(src))
    heads = group_of(kg)
    assert len(set(heads.values())) == 1


@pytest.fixture(scope="module")
def public_kg():
    """The curated data with the FDA orphan-designation export (its sponsors are spelled many
    ways: eight Merck Sharp & Dohme variants)."""
    from lmkg.api import add_sources

    kg = lmkg.build(DATA)
    add_sources(kg, [("oopd", SHARED / "fda")])
    return kg


def test_public_source_merck_variants_resolve_to_merck_and_co(public_kg):
    kg = public_kg
    merck = "lmkg:company/merck-and-co"
    names = {kg.name_of(c) for c in kg.ids("Company")}
    assert not [n for n in names if "sharp" in n.casefold() or "research laboratories" in
                n.casefold()], names
    # Merck KGaA (Darmstadt) is another company and stays one.
    assert "lmkg:company/merck-kgaa" in kg and kg.name_of("lmkg:company/merck-kgaa").startswith(
        "Merck KGaA")
    rows = landscape(kg, "company")
    merck_rows = [r["company"] for r in rows if r["company"].casefold().startswith("merck")]
    assert sorted(merck_rows) == ["Merck & Co., Inc.", "Merck KGaA, Darmstadt, Germany"]
    merck_row = _row(rows, "Merck & Co., Inc.")
    assert merck_row["designations"] >= 1
    # Schering-Plough (its research institute sponsors in the FDA export) merged into Merck in 2009.
    assert "Schering-Plough Corporation" in merck_row["subsidiaries"]
    assert not [r for r in rows if "schering" in r["company"].casefold()]
    assert merck in kg


def test_public_source_astrazeneca_is_one_company(public_kg):
    rows = landscape(public_kg, "company")
    az = [r for r in rows if "astrazeneca" in r["company"].casefold()]
    assert [r["company"] for r in az] == ["AstraZeneca PLC"]
    flat = landscape(public_kg, "company", rollup=False)
    lp = _row(flat, "AstraZeneca Pharmaceuticals LP")
    assert lp["designations"] > 0  # the FDA export's AstraZeneca rows land on the subsidiary
    assert az[0]["designations"] >= lp["designations"]


def test_cli_landscape_rolls_up_by_default(cli):
    out = cli("landscape", "--by", "company", "--format", "csv").output
    assert "AstraZeneca Pharmaceuticals LP" in out  # in the subsidiaries column
    assert not any(line.startswith("AstraZeneca Pharmaceuticals LP,") for line in out.splitlines())
    flat = cli("landscape", "--by", "company", "--no-rollup", "--format", "csv").output
    assert any(line.startswith("AstraZeneca Pharmaceuticals LP,") for line in flat.splitlines())


# A company's curated LM note agrees with the LM trials the graph says it sponsors (QA 21): a note
# that says no company-sponsored LM trial was confirmed belongs to a company that sponsors none;
# the companies that do sponsor one name it.
SPONSORS_LM_TRIAL = [
    ("Novartis", "NCT02336451"),  # ASCEND-7, arm 5: leptomeningeal carcinomatosis
    ("Eli Lilly", "NCT02308020"),  # JPBO, Part F: leptomeningeal metastases
]


def _lm_trials_sponsored(kg, company: str) -> set[str]:
    return {t for t, _p, _o, _d in kg.in_edges(company, "SPONSORED_BY")
            if kg.node(t).get("lm_specific")}


def test_no_sponsored_lm_trial_notes_hold(kg):
    denying = [c for c in kg.ids("Company")
               if "-sponsored LM-specific trial confirmed" in (kg.node(c).get("lm_programme_note")
                                                              or "")]
    assert len(denying) >= 30
    for c in denying:
        assert not _lm_trials_sponsored(kg, c), (kg.name_of(c), _lm_trials_sponsored(kg, c))


@pytest.mark.parametrize("name,nct", SPONSORS_LM_TRIAL)
def test_a_company_sponsoring_an_lm_trial_names_it(kg, name, nct):
    (c,) = kg.lookup(name, types=["Company"])
    trials = _lm_trials_sponsored(kg, c)
    assert any(f"NCT:{nct}" in kg.node(t).get("xrefs", []) for t in trials), trials
    assert nct in kg.node(c)["lm_programme_note"]
