"""The LM trials of the default build: the shipped registry snapshot read with the LM rule,
merged with the curated trials (docs/trials.md), and what each trial is linked to."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import lmkg
from lmkg.graph.kg import KnowledgeGraph
from lmkg.graph.sources import add_source
from lmkg.loaders import LoadResult, SourceItem, get_loader
from lmkg.ontology import ClinicalTrial, SourceRef

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT.parents[1] / "shared" / "data" / "clinicaltrials" / "lm-candidates-2026-04"
SRC = SourceRef(url="https://example.org/registry", dataset="test")


def _node(kg, nct: str) -> dict:
    return kg.node(f"lmkg:trial/{nct.lower()}")


def _in(kg, nct: str, pred: str) -> dict[str, str | None]:
    return {kg.name_of(s): d.get("basis") for s, _, _, d in
            kg.in_edges(f"lmkg:trial/{nct.lower()}", pred)}


def _out(kg, nct: str, pred: str) -> dict[str, str | None]:
    return {kg.name_of(o): d.get("basis") for _, _, o, d in
            kg.out_edges(f"lmkg:trial/{nct.lower()}", pred)}


# sha256 of the files of ../shared/data/clinicaltrials/lm-candidates-2026-04, read 2026-12-03:
# the shipped snapshot is an unmodified copy of them.
SHARED_SHA256 = {
    "studies.json": "26239e2963c496a86ba37b9b5b936daf7d2cdbbf04a316d198b2a299ad5d4dc7",
    "matched_searches.tsv": "e7fd0cce088e24f98094b29133ee6911436cacd5292dee9a1a4074c879c77644",
}


def test_the_shipped_snapshot_is_the_shared_one():
    shipped = ROOT / "data" / "registry" / "ctgov"
    for name, digest in SHARED_SHA256.items():
        assert hashlib.sha256((shipped / name).read_bytes()).hexdigest() == digest, name
        # Where the shared extract sits beside the clone (it need not), the bytes are its own.
        if (SNAPSHOT / name).exists():
            assert (shipped / name).read_bytes() == (SNAPSHOT / name).read_bytes(), name
    manifest = json.loads((shipped / "manifest.json").read_text())
    assert manifest["fetched_at"] == "2026-04-03" and len(manifest["searches"]) == 10


def test_default_build_holds_the_lm_trials(kg):
    lm = {t for t in kg.ids("ClinicalTrial") if kg.node(t).get("lm_specific")}
    assert len(lm) >= 170
    # Every LM trial of the snapshot (by the rule and the review) is one in the graph; the
    # curated data adds LM trials the registry records do not show (NCT02886585's LM cohort).
    r = get_loader("ctgov").load(ROOT / "data" / "registry" / "ctgov",
                                 review=ROOT / "data" / "registry" / "lm-review.tsv")
    # A registry record merges into the curated trial that carries its NCT number (BLOOM).
    by_nct = {x.split(":", 1)[1].lower(): t for t in kg.ids("ClinicalTrial")
              for x in kg.node(t).get("xrefs", []) if x.startswith("NCT:")}
    snapshot = {by_nct.get(it.record.lower(), f"lmkg:trial/{it.record.lower()}")
                for it in r.items if it.entity.lm_specific}
    assert len(snapshot) == 189 and snapshot <= lm
    assert {"lmkg:trial/nct02886585", "lmkg:trial/bloom-osimertinib-lm"} <= lm
    source = next(s for s in kg.meta["sources"] if s["name"] == "ctgov")
    assert source["path"].endswith("registry/ctgov")
    assert source["version"].endswith("read 2026-04-03")


def test_a_snapshot_trial_carries_its_record(kg):
    t = _node(kg, "NCT05805631")
    assert (t["status"], t["status_as_of"]) == ("recruiting", "2026-06")  # curated, later read
    t = _node(kg, "NCT06304441")
    assert t["study_type"] == "interventional" and t["status"] == "recruiting"
    assert t["status_as_of"] == "2026-04-03" and t["lm_population"] == "lm_only"
    assert t["lm_basis"] == "rule" and t["lm_reason"].startswith('title "Intra-pemetrexed Plus')
    assert t["sources"][0]["url"] == "https://clinicaltrials.gov/study/NCT06304441"
    assert t["sources"][0]["accessed"] == "2026-04-03"


def test_official_title_of_another_study_is_noted(kg):
    t = _node(kg, "NCT02422641")
    assert "official_title" not in t
    assert "belongs to another study" in t["registry_notes"][0]


def test_non_lm_records_are_rejected_with_the_rules_reason(kg):
    kg2, _ = lmkg.build_with_report()
    assert "lmkg:trial/nct02886026" not in kg2  # LMD-BT: bladder tumours
    r = get_loader("ctgov").load(ROOT / "data" / "registry" / "ctgov",
                                 review=ROOT / "data" / "registry" / "lm-review.tsv")
    reasons = {x.record: x.reasons[0] for x in r.rejected}
    assert reasons["NCT02886026"].startswith("not an LM trial: no_lm: ")
    assert reasons["NCT07287995"].startswith("not an LM trial: excludes_lm: ")
    assert reasons["NCT03025269"].startswith("not an LM trial: other_sense: ")
    assert reasons["NCT03497767"].startswith("not an LM trial: mentions_lm: review: ")
    assert (r.read, len(r.items) + len(r.rejected)) == (531, 531)


@pytest.mark.parametrize(("nct", "agents", "cancers"), [
    ("NCT04148898", {"osimertinib", "bevacizumab"}, {"non-small cell lung cancer",
                                                     "epidermal growth factor receptor"}),
    ("NCT04420598", {"trastuzumab deruxtecan"}, {"HER2-positive breast cancer",
                                                 "HER2 amplification/overexpression"}),
    ("NCT06543992", {"methotrexate", "thiotepa"}, {"breast cancer"}),
    ("NCT00854867", {"liposomal cytarabine"}, {"leptomeningeal metastases"}),
    ("NCT06282874", {"lorlatinib"}, {"ALK fusion", "non-small cell lung cancer"}),
])
def test_what_a_trial_tests_and_in_whom(kg, nct, agents, cancers):
    assert agents <= set(_in(kg, nct, "EVALUATED_IN")), _in(kg, nct, "EVALUATED_IN")
    assert cancers <= set(_out(kg, nct, "STUDIES")), _out(kg, nct, "STUDIES")


def test_background_drugs_of_a_summary_are_not_linked(kg):
    # NCT03101579's summary: "the commonly used drugs for intrathecal chemotherapy include
    # methotrexate, cytarabine and thiotepa" -- background, not what the trial tests.
    ev = _in(kg, "NCT03101579", "EVALUATED_IN")
    assert "pemetrexed" in ev and not {"methotrexate", "cytarabine", "thiotepa"} & set(ev)


def test_routes_and_radiotherapy(kg):
    assert set(_node(kg, "NCT06543992")["routes"]) == {"intrathecal", "intraventricular"}
    assert _node(kg, "NCT04343573")["radiotherapy"] == ["proton craniospinal irradiation",
                                                        "involved-field radiotherapy"]
    assert _node(kg, "NCT00854867")["radiotherapy"] == ["whole-brain radiotherapy"]
    # a radiolabelled antibody is an agent, not radiotherapy
    assert not _node(kg, "NCT04315246").get("radiotherapy")


def test_both_techniques_of_craniospinal_irradiation_by_proton_or_vmat(kg):
    # NCT06518057: "craniospinal irradiation (CSI) with hippocampal avoidance, using proton
    # therapy or volumetric modulated arc therapy (VMAT)", in "This phase II clinical trial ..."
    assert {"proton craniospinal irradiation", "photon craniospinal irradiation"} <= set(
        _in(kg, "NCT06518057", "EVALUATED_IN"))


@pytest.mark.parametrize(("nct", "tests"), [
    ("NCT01713699", {"CSF circulating tumour cells (CellSearch)", "CSF cytology"}),  # EpCAM
    ("NCT05257967", {"CSF circulating tumour DNA"}),
    ("NCT07476781", {"CSF circulating tumour DNA"}),  # "This is a ... feasibility study of"
    ("NCT07415018", {"gadolinium-enhanced MRI of brain and spine"}),  # gadopiclenol, MRI
])
def test_a_diagnostic_study_tests_its_diagnostic(kg, nct, tests):
    assert tests == {n for n, b in _in(kg, nct, "EVALUATED_IN").items()
                     if kg.type_of(kg.resolve(n, types=["Diagnostic"])) == "Diagnostic"}


def test_a_csf_tumour_cell_device_other_than_cellsearch_is_not_that_test(kg):
    # NCT02948751 counts CSF tumour cells on a microfluidic chip (OncoCEE), not CellSearch.
    assert not _in(kg, "NCT02948751", "EVALUATED_IN")


def test_classes_named_by_antibody_target(kg):
    # "Intrathecal Application of PD1 Antibody"; "Anti-PD1/Anti-CTLA-4"
    assert "PD-1 inhibitor" in _in(kg, "NCT05112549", "EVALUATED_IN")
    assert {"PD-1 inhibitor", "CTLA-4 inhibitor"} <= set(_in(kg, "NCT05598853", "EVALUATED_IN"))


def test_everest_status_is_fixed_from_the_sponsors_announcements(kg):
    t = _node(kg, "NCT03653546")
    assert (t["status"], t["status_as_of"]) == ("completed", "2023-01-30")
    assert "EVEREST" in t["synonyms"] and "still read 'Recruiting'" in t["registry_notes"][0]


# -- the merge of a verdict and of a dated status ------------------------------------------------

def _trial(**kw) -> ClinicalTrial:
    return ClinicalTrial(id="lmkg:trial/nct00000001", name="T", xrefs=("NCT:NCT00000001",),
                         sources=(SRC,), **kw)


def _merged(curated: ClinicalTrial, incoming: ClinicalTrial):
    kg = KnowledgeGraph()
    kg.add_entity(curated)
    rep = add_source(kg, "ctgov", LoadResult(source="ctgov", items=[SourceItem("r", incoming)],
                                             read=1), frozenset({"ClinicalTrial"}), "mem")
    return kg.node(curated.id), rep


def test_a_later_status_replaces_an_earlier_one():
    node, rep = _merged(_trial(status="active_not_recruiting", status_as_of="2023-03-09"),
                        _trial(status="terminated", status_as_of="2026-04-03"))
    assert (node["status"], node["status_as_of"]) == ("terminated", "2026-04-03")
    assert rep.conflicts[0]["kept"] == "source (read 2026-04-03, after the graph's 2023-03-09)"


def test_an_earlier_or_undated_status_does_not():
    node, rep = _merged(_trial(status="recruiting", status_as_of="2026-06"),
                        _trial(status="completed", status_as_of="2026-04-03"))
    assert (node["status"], node["status_as_of"]) == ("recruiting", "2026-06")
    assert rep.conflicts[0]["kept"].startswith("graph")
    node, rep = _merged(_trial(status="recruiting"),
                        _trial(status="completed", status_as_of="2026-04-03"))
    assert node["status"] == "recruiting" and "status_as_of" not in node  # no date borrowed


def test_the_same_status_read_later_moves_its_date():
    node, rep = _merged(_trial(status="completed", status_as_of="2024-01-01"),
                        _trial(status="completed", status_as_of="2026-04-03"))
    assert node["status_as_of"] == "2026-04-03" and rep.conflicts == []
    node, _ = _merged(_trial(status="completed"), _trial(status="completed",
                                                         status_as_of="2026-04-03"))
    assert node["status_as_of"] == "2026-04-03"


def test_a_curated_lm_verdict_stands_whole():
    node, rep = _merged(
        _trial(lm_population="lm_cohort", lm_reason="a cohort in the report", lm_basis="curated"),
        _trial(lm_population="no_lm", lm_reason="no LM term", lm_basis="rule"))
    assert (node["lm_specific"], node["lm_population"], node["lm_reason"]) == (
        True, "lm_cohort", "a cohort in the report")
    assert {c["field"] for c in rep.conflicts} == {"lm_specific", "lm_population"}
    # the same verdict with other words is no conflict, and the curated reason stays
    node, rep = _merged(_trial(lm_population="lm_only", lm_reason="curated words"),
                        _trial(lm_population="lm_only", lm_reason="rule words", lm_basis="rule"))
    assert rep.conflicts == [] and node["lm_reason"] == "curated words"


# -- freshness checks of the curated data ----------------------------------------------------

CURATED = """
publications:
  - id: publication/pmid-1
    name: Final results of the X trial
    xrefs: [PMID:1]
    kind: trial_report
agents:
  - id: agent/x
    name: xtinib
    status: phase3
    relations:
      - rel: EVALUATED_IN
        to: trial/nct00000002
        sources:
          - id: PMID:1
            note: final results
trials:
  - id: trial/nct00000001
    name: A
    xrefs: [NCT:NCT00000001]
    status: recruiting
    status_as_of: 2026-01-02
    key_result: "ORR 40%"
  - id: trial/nct00000002
    name: B
    xrefs: [NCT:NCT00000002]
    status: not_yet_recruiting
  - id: trial/nct00000003
    name: C
    xrefs: [NCT:NCT00000003]
    status: completed
    lm_population: lm_only
"""


def test_validation_flags_stale_and_contradicted_statuses(tmp_path):
    (tmp_path / "d.yaml").write_text(CURATED, encoding="utf-8")
    r = get_loader("curated").load(tmp_path)
    assert not r.errors
    warn = {(p.record, p.field): p.reason for p in r.warnings}
    assert warn[("lmkg:trial/nct00000001", "status")] == (
        "status 'recruiting' (as of 2026-01-02) contradicts a cited result: key_result "
        "'ORR 40%'; check the registry and the sponsor's announcements")
    assert ("contradicts a cited result: trial report PMID:1"
            in [p.reason for p in r.warnings if p.record == "lmkg:trial/nct00000002"][1])
    assert "has no status_as_of" in warn[("lmkg:trial/nct00000003", "status")]
    assert warn[("lmkg:trial/nct00000003", "lm_reason")] == (
        "an LM verdict needs its reason (docs/trials.md)")
    c = next(e for e in r.entities if e.id == "lmkg:trial/nct00000003")
    assert (c.lm_specific, c.lm_basis.value) == (True, "curated")


def test_bloom_is_one_trial_with_its_registry_record(kg):
    """The curated BLOOM (osimertinib's LM cohort) carries NCT02228369, so the registry record
    (AZD3759 or AZD9291, LM and brain metastasis patients) merges into it: one trial, not two."""
    holders = [t for t in kg.ids("ClinicalTrial")
               if "NCT:NCT02228369" in kg.node(t).get("xrefs", [])]
    assert holders == ["lmkg:trial/bloom-osimertinib-lm"]
    assert "lmkg:trial/nct02228369" not in kg
    t = kg.node(holders[0])
    assert t["status"] == "completed" and t["lm_population"] == "lm_cohort"
    assert "AZD3759 or AZD9291" in t["official_title"]  # from the registry record
    tested = {kg.name_of(s) for s, _, _, _ in kg.in_edges(holders[0], "EVALUATED_IN")}
    assert {"osimertinib", "zorifertinib"} <= tested
    osi = [o for _, _, o, _ in kg.out_edges("lmkg:agent/osimertinib", "EVALUATED_IN")]
    assert osi.count(holders[0]) == 1
