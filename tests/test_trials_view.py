"""`lmkg trials`, the LM stage and `landscape --by phase` on the shipped graph (docs/trials.md).

Every expectation was checked by reading the trial records it names.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from lmkg.errors import LmkgError, UnknownEntity
from lmkg.graph.query.trials import is_stale, trial_card, trials

TODAY = dt.date(2026, 12, 3)


def ncts(rows) -> list[str]:
    return [r.nct for r in rows]


# (filters, trials that must be in the answer, trials that must not, what the case shows)
CASES = [
    (dict(recruiting=True, biomarker="EGFR"),
     {"NCT05805631", "NCT06304441", "NCT07348965", "NCT06643000"},
     {"NCT04148898",  # EGFR-mutant LM trial, status unknown
      "NCT05800275"},  # HER2-positive breast cancer
     "recruiting LM trials for EGFR-mutant NSCLC"),
    (dict(recruiting=True, cancer="HER2-positive breast cancer"),
     {"NCT05800275", "NCT04588545", "NCT07263425", "NCT06016387"},
     {"NCT06462092",  # HER2-negative breast cancer
      "NCT06230055"},  # HER2-negative breast cancer (Ommaya)
     "recruiting LM trials for HER2-positive breast cancer, and never HER2-negative ones"),
    # QA 13: trials a clinician counts although the registry record does not name the subtype
    # or the biomarker. Intrathecal T-DXd "in HER2-Expressing Breast Cancer" is tagged breast
    # cancer only; it tests an agent acting on HER2. HER2-negative breast-cancer trials and a
    # trial naming other subtypes (DATO-Base: HR+/HER2-, triple-negative) stay out.
    (dict(recruiting=True, cancer="HER2-positive breast cancer"), {"NCT07134153"},
     {"NCT06462092", "NCT06230055", "NCT06176261", "NCT06543992"},
     "a breast-cancer trial of an agent acting on HER2 counts for HER2+ breast cancer"),
    # "Intrathecal Pemetrexed for LM From Lung Adenocarcinoma That Progressed After
    # Osimertinib" names no biomarker; osimertinib implies EGFR-mutant disease.
    (dict(recruiting=True, biomarker="EGFR"), {"NCT06296745"}, {"NCT05800275"},
     "progression after osimertinib implies EGFR-mutant"),
    (dict(agent="osimertinib"), {"NCT04148898", "NCT04563871", "NCT06304441"},
     {"NCT05813522"}, "trials that test osimertinib (not furmonertinib)"),
    (dict(drug_class="third-generation EGFR TKI"), {"NCT04148898", "NCT05813522",
                                                    "NCT06441045"},
     {"NCT05800275"}, "members of the class, and trials naming the class only"),
    (dict(biomarker="ALK fusion"), {"NCT02336451", "NCT06282874"}, {"NCT04148898"},
     "ALK-positive NSCLC"),
    (dict(route="intraventricular"), {"NCT05034497", "NCT06543992", "NCT06901817"},
     {"NCT04148898"}, "Ommaya and intraventricular delivery"),
    (dict(route="radiotherapy"), {"NCT04343573", "NCT06500481", "NCT05746754"},
     {"NCT04148898"}, "radiotherapy trials, with or without a modality entity"),
    (dict(phase=["3"]), {"NCT06500481", "NCT01645839", "NCT03275402"}, {"NCT04343573"},
     "phase 3 (and phase 2/3) LM trials"),
    (dict(lm_population="lm_cohort"), {"NCT04233021", "NCT02336451"}, {"NCT05034497"},
     "LM as one cohort"),
    (dict(sponsor="Plus Therapeutics"), {"NCT05034497"}, set(), "a sponsor"),
    (dict(company="AstraZeneca"), {"NCT04148898", "NCT06176261"}, set(),
     "a company: its sponsored trials and the trials of its agents"),
]


@pytest.mark.parametrize(("filters", "present", "absent", "why"), CASES,
                         ids=[c[3][:40] for c in CASES])
def test_trial_filters(kg, filters, present, absent, why):
    got = set(ncts(trials(kg, today=TODAY, **filters)))
    assert present <= got, (why, present - got)
    assert not absent & got, (why, absent & got)


def test_every_row_is_an_lm_trial_unless_asked(kg):
    rows = trials(kg, today=TODAY)
    assert len(rows) >= 170 and all(r.lm_specific for r in rows)
    assert len(trials(kg, today=TODAY, include_non_lm=True)) > len(rows)


def test_recruiting_rows_are_recruiting(kg):
    rows = trials(kg, recruiting=True, biomarker="EGFR", today=TODAY)
    assert rows and {r.status for r in rows} <= {"recruiting", "enrolling_by_invitation"}
    assert all(r.biomarker_match for r in rows)


def test_a_biomarker_matches_its_gene_level_trials_and_says_so(kg):
    rows = {r.nct: r for r in trials(kg, biomarker="EGFR T790M", today=TODAY)}
    assert rows["NCT03257124"].biomarker_match == "exact"  # "Harboring T790M Mutation"
    assert rows["NCT04148898"].biomarker_match == "gene-level (EGFR)"


def test_cancer_subtypes_and_broader(kg):
    rows = {r.nct: r for r in trials(kg, cancer="breast cancer", today=TODAY)}
    assert rows["NCT05800275"].cancer_match == "subtype (HER2-positive breast cancer)"
    assert rows["NCT06543992"].cancer_match == "exact"
    narrow = set(ncts(trials(kg, cancer="HER2-positive breast cancer", today=TODAY)))
    wide = {r.nct: r for r in trials(kg, cancer="HER2-positive breast cancer", broader=True,
                                      today=TODAY)}
    assert narrow < set(wide) and wide["NCT06543992"].cancer_match == "broader (breast cancer)"


def test_rows_are_newest_first(kg):
    rows = trials(kg, today=TODAY)
    dated = [r.start_date for r in rows if r.start_date]
    assert dated == sorted(dated, reverse=True)
    undated = [r.nct for r in rows if not r.start_date and r.nct]
    assert undated == sorted(undated, reverse=True)  # by registration order
    assert rows[len(dated)].start_date is None  # dated rows first


def test_stale_statuses_relative_to_an_injected_date(kg):
    # The snapshot was read on 2026-04-03: fresh on 2026-12-03, stale from 2027-04-04.
    fresh = trials(kg, stale=True, today=TODAY)
    assert "NCT06304441" not in ncts(fresh)
    assert all(r.stale for r in fresh)
    later = {r.nct: r for r in trials(kg, stale=True, today=dt.date(2027, 5, 1))}
    assert "NCT06304441" in later and later["NCT06304441"].status_as_of == "2026-04-03"
    assert len(later) > 150
    assert is_stale({"status": "recruiting"}, TODAY)  # never dated
    assert not is_stale({"status": "recruiting", "status_as_of": "2026-01"}, TODAY)
    assert is_stale({"status": "recruiting", "status_as_of": "2025-11-30"}, TODAY)
    assert not is_stale({}, TODAY)  # no status, nothing to be stale


def test_start_year(kg):
    rows = trials(kg, start_year="2022", today=TODAY)
    assert rows and all(r.start_date.startswith("2022") for r in rows)
    old = trials(kg, start_year="-1999", today=TODAY)
    assert {"NCT00001333", "NCT00003022"} <= set(ncts(old))  # 1993 and 1997
    assert all(int(r.start_date[:4]) <= 1999 for r in old)
    with pytest.raises(LmkgError, match="--start-year"):
        trials(kg, start_year="recent")


def test_bad_values_and_unknown_names(kg):
    with pytest.raises(LmkgError, match="unknown status"):
        trials(kg, status=["ongoing"])
    with pytest.raises(LmkgError, match="unknown phase"):
        trials(kg, phase=["7"])
    with pytest.raises(LmkgError, match="unknown route"):
        trials(kg, route="by mouth")
    with pytest.raises(UnknownEntity):
        trials(kg, agent="notadrugmab")


def test_a_trial_card_has_what_it_tests_and_in_whom(kg):
    card = trial_card(kg, "NCT04148898", today=TODAY)
    assert card["agents"] == ["bevacizumab", "osimertinib"]
    assert {t["basis"] for t in card["tests"]} == {"named in the title"}
    assert "non-small cell lung cancer" in card["cancers"] and "EGFR" in card["biomarkers"]
    assert card["status_as_of"] == "2026-04-03" and card["lm_population"] == "lm_only"
    assert card["sources"] == ["https://clinicaltrials.gov/study/NCT04148898"]


def test_a_status_contradicting_cited_results_is_flagged(kg):
    from lmkg.graph.kg import KnowledgeGraph
    from lmkg.graph.query.trials import status_flags
    from lmkg.ontology import ClinicalTrial

    assert status_flags(kg, "lmkg:trial/nct03653546") == []  # EVEREST, fixed
    g = KnowledgeGraph()
    g.add_entity(ClinicalTrial(id="lmkg:trial/x", name="X", status="recruiting",
                               key_result="ORR 40% (final analysis)"))
    assert status_flags(g, "lmkg:trial/x") == [
        "status 'recruiting' contradicts the cited results: a key result"]
    g.add_entity(ClinicalTrial(id="lmkg:trial/y", name="Y", status="recruiting",
                               key_result="Interim analysis: ORR 40%"))
    assert status_flags(g, "lmkg:trial/y") == []  # an open trial reports interim results


# -- the CLI ---------------------------------------------------------------------------------

def test_cli_table_json_csv(cli):
    res = cli("trials", "--recruiting", "--biomarker", "EGFR", "--today", "2026-12-03")
    assert res.exit_code == 0 and "NCT05805631" in res.output and "LM trials" in res.output
    rows = json.loads(cli("trials", "--recruiting", "--biomarker", "EGFR", "--format",
                          "json").output)
    assert rows and {"nct", "status", "status_as_of", "agents", "cancers", "biomarkers",
                     "sponsors", "countries", "lm_population", "lm_reason", "tests", "sources",
                     "stale", "status_flags", "biomarker_match"} <= set(rows[0])
    table = list(csv.DictReader(io.StringIO(cli("trials", "--recruiting", "--cancer",
                                                "HER2-positive breast cancer", "--format",
                                                "csv").output)))
    assert table and {"nct", "phase", "status", "tests", "in whom", "lm_reason",
                      "sponsors"} <= set(table[0])
    # Each row names the subtype, or says how it enrols it (a broader cancer's trial, QA 13).
    assert all("HER2-positive breast cancer" in r["in whom"] or "(broader (breast cancer;"
               in r["in whom"] for r in table)
    assert any("(broader" in r["in whom"] for r in table)


def test_cli_errors_are_one_line(cli):
    res = cli("trials", "--agent", "notadrugmab")
    assert res.exit_code == 1 and "notadrugmab" in res.output
    res = cli("trials", "--today", "yesterday")
    assert res.exit_code == 2


def test_cli_show_a_trial(cli):
    res = cli("show", "NCT05034497")
    assert res.exit_code == 0
    assert "ReSPECT-LM" in res.output and "EVALUATED_IN" in res.output
    assert "rhenium (186Re) obisbemeda" in res.output
    assert "https://clinicaltrials.gov/study/NCT05034497" in res.output


# -- the LM stage ----------------------------------------------------------------------------

@pytest.mark.parametrize(("agent", "status", "lm_stage"), [
    ("methotrexate", "approved", "phase2"),       # approved elsewhere; phase 2 LM trials
    ("pemetrexed", "approved", "phase2"),         # no longer "phase2" globally
    ("topotecan", "approved", "phase2"),
    # FDA approvals for lymphomatous meningitis (1999, 2007); the product was withdrawn in
    # 2017, so its LM stage says withdrawn, not approved (QA 1/2).
    ("liposomal cytarabine", "withdrawn", "withdrawn"),
    ("omburtamab", "phase3", "phase3"),           # phase 2/3 Trial 101; applications refused
    ("osimertinib", "approved", "phase2"),
    ("lorlatinib", "approved", None),             # only a phase 4 LM study: no stage
])
def test_lm_stage_is_kept_apart_from_the_global_status(kg, agent, status, lm_stage):
    node = kg.node(kg.resolve(agent, types=["Agent"]))
    assert (node["status"], node.get("lm_stage")) == (status, lm_stage)
    assert node.get("lm_stage_basis")


def test_a_refused_lm_application_is_said(kg):
    node = kg.node("lmkg:agent/omburtamab")
    assert "FDA approval (2022-12-05): refused" in node["lm_stage_note"]
    assert "EMA approval (2022-12-15): refused" in node["lm_stage_note"]
    # a refused application approves nothing
    assert not [o for _s, _p, o, _d in kg.out_edges("lmkg:agent/omburtamab", "APPROVED_FOR")]


def test_landscape_by_phase_uses_the_lm_stage(cli):
    rows = json.loads(cli("landscape", "--by", "phase", "--format", "json").output)
    by = {r["phase"]: r for r in rows}
    # No LM approval in force: DepoCyt's were withdrawn with the product, omburtamab's refused.
    assert rows[0]["phase"] == "phase3" and rows[0]["stage_basis"] == "LM stage"
    assert "approved" not in by
    assert by["withdrawn"]["agent_names"] == ["liposomal cytarabine (global withdrawn)"]
    assert any(n.startswith("methotrexate (global approved") for n in by["phase2"]["agent_names"])
    assert "omburtamab" in by["phase3"]["refused"]
    generics = {"methotrexate", "pemetrexed", "topotecan", "etoposide", "cytarabine"}
    phase2 = {n.split(" (")[0] for n in by["phase2"]["agent_names"]}
    assert generics <= phase2 and by["phase2"]["globally_approved"] >= len(generics)
    assert [r["phase"] for r in rows if r["stage_basis"] == "global status"] == [
        r["phase"] for r in rows[len([x for x in rows if x["lm_stage"]]):]]


IMPLIED = [
    # (filters, trial, the match field, how it must read)
    (dict(cancer="HER2-positive breast cancer"), "NCT07134153", "cancer_match",
     "broader (breast cancer; tests trastuzumab deruxtecan, acting on HER2 "
     "amplification/overexpression)"),
    (dict(biomarker="EGFR"), "NCT06296745", "biomarker_match", "implied (EGFR: tests osimertinib)"),
    # An alteration asked: the trial implies the gene, not the alteration, and says so.
    (dict(biomarker="EGFR T790M"), "NCT06296745", "biomarker_match",
     "implied (EGFR: tests osimertinib)"),
    (dict(biomarker="HER2"), "NCT07134153", "biomarker_match",
     "implied (ERBB2: tests trastuzumab deruxtecan)"),
]


@pytest.mark.parametrize(("filters", "nct", "field", "text"), IMPLIED)
def test_an_implied_match_says_why(kg, filters, nct, field, text):
    rows = {r.nct: r for r in trials(kg, today=TODAY, **filters)}
    assert getattr(rows[nct], field) == text


def test_implied_matches_never_name_a_negative_population():
    from lmkg.graph.query.trials import _names_in

    assert _names_in("HER2-Expressing Breast Cancer", ["HER2"]) == "HER2"
    assert _names_in("Upon Her-2 Negative Breast Cancer", ["HER-2", "HER2"]) is None
    assert _names_in("EGFR wild-type NSCLC", ["EGFR"]) is None
    assert _names_in("neuroblastoma", ["neu"]) is None  # whole words only


def test_trials_table_marks_implied_rows_and_says_its_order(cli):
    out = cli("trials", "--recruiting", "--cancer", "HER2-positive breast cancer",
              "--wide").output
    line = next(x for x in out.splitlines() if "NCT07134153" in x)
    assert "(broader (breast cancer;" in line
    # The shipped snapshot holds no start dates: no empty start column, and the title says
    # the order is the NCT number's.
    assert "by NCT number" in out and " start" not in out.splitlines()[1]
