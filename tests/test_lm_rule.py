"""The LM rule (docs/trials.md) on real ClinicalTrials.gov records: true and false cases.

The records are the 531 candidates of the shipped registry snapshot (``data/registry/ctgov``, a
copy of ``../shared/data/clinicaltrials/lm-candidates-2026-04``, checked by
tests/test_trials_build.py); every expectation below was checked by reading the record.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lmkg.loaders.ctgov_lm import lm_verdict, read_review, study_text

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT / "data" / "registry" / "ctgov"
REVIEW = ROOT / "data" / "registry" / "lm-review.tsv"


@pytest.fixture(scope="module")
def records() -> dict[str, dict]:
    studies = json.loads((SNAPSHOT / "studies.json").read_text(encoding="utf-8"))
    return {s["protocolSection"]["identificationModule"]["nctId"]: s["protocolSection"]
            for s in studies}


def verdict(records, nct):
    return lm_verdict(study_text(records[nct]))


# (record, population the rule gives, what the case shows)
TRUE_CASES = [
    ("NCT05034497", "lm_only", "ReSPECT-LM: the title names LM as the population"),
    ("NCT03101579", "lm_only", "'Recurrent Leptomeningeal Metastases' is a population, "
                               "not an outcome"),
    ("NCT04148898", "lm_only", "'With or Without Bevacizumab' and 'Non-small' negate nothing"),
    ("NCT00025311", "lm_only", "lay words: 'metastatic to the lining around the brain', and the "
                               "official title's typo 'Leptomingeal'"),
    ("NCT05286684", "lm_only", "'Metastatic Meningitis'"),
    ("NCT06146010", "lm_only", "German register: 'Meningeosis Neoplastica'"),
    ("NCT05497076", "lm_only", "typo 'Meningial Metastasis'"),
    ("NCT00992602", "lm_only", "LM 'with or without parenchymal brain involvement': all have LM"),
    ("NCT00523939", "lm_only", "'Lymphomatous or Leukemic Meningitis'"),
    ("NCT07415018", "lm_only", "no cancer word at all, but 'leptomeningeal disease' is one"),
    ("NCT07361705", "lm_only", "'Meningeal Progression' after osimertinib"),
    ("NCT04233021", "lm_cohort", "'Brain or Leptomeningeal Metastases'"),
    ("NCT00089245", "lm_cohort", "'Central Nervous System/Leptomeningeal Neoplasms'"),
    ("NCT07476781", "lm_cohort", "'Leptomeningeal Disease (Cohort A), Parenchymal Brain "
                                 "Metastases (Cohort B)'"),
    ("NCT05865990", "lm_cohort", "brain metastases cohorts and an LM cohort (HER3-DXd)"),
    ("NCT03423628", "lm_allowed", "LM is a registered condition of a GBM and brain-metastasis "
                                  "trial"),
    ("NCT07177950", "lm_allowed", "'With or Without Leptomeningeal Metastases' (the reviewers "
                                  "make it lm_cohort from the summary)"),
]
FALSE_CASES = [
    # excludes LM
    ("NCT00949741", "excludes_lm", "title: lymphoma patients 'Without Leptomeningeal Disease'"),
    ("NCT07287995", "excludes_lm", "'People cannot take part if ... (leptomeningeal disease)'"),
    ("NCT00013533", "excludes_lm", "the summary copies the exclusion criteria"),
    ("NCT06023277", "excludes_lm", "'except for brain metastases, leptomeningeal "
                                   "carcinomatosis'"),
    ("NCT02227433", "excludes_lm", "'must not have ... known cerebral/meningeal disease'"),
    # brain metastases only: LM is an outcome to prevent, or not named at all
    ("NCT05124236", "lm_outcome", "preoperative SRS to 'reduce the incidence of leptomeningeal "
                                  "disease'"),
    ("NCT05341739", "lm_outcome", "'the development of leptomeningeal disease'"),
    ("NCT03027544", "no_lm", "tomotherapy for refractory brain metastases"),
    ("NCT02308020", "no_lm", "abemaciclib for brain metastases"),
    # paediatric
    ("NCT00002485", "no_lm", "strategies to increase enrolment of children in trials"),
    ("NCT06720727", "lm_outcome", "craniospinal irradiation in midline glioma: 'risk to "
                                  "fail/recur in the leptomeninges'"),
    # found only by "LMD" (or "LM"): another meaning
    ("NCT02886026", "no_lm", "LMD-BT: laser-mediated destruction of bladder tumours"),
    ("NCT06436092", "no_lm", "JDEPTH-LM: left main coronary disease"),
    ("NCT01584596", "no_lm", "Lower Mississippi Delta (LMD) population"),
    ("NCT02186730", "no_lm", "low mood and depression (LMD)"),
    ("NCT07114497", "no_lm", "lumbar microdiscectomy (LMD)"),
    # leptomeningeal or meningeal in another sense
    ("NCT03025269", "other_sense", "leptomeningeal inflammation in multiple sclerosis"),
    ("NCT02644044", "other_sense", "intrathecal methotrexate for MS (the summary names LM as "
                                   "background)"),
    ("NCT03591757", "other_sense", "leptomeningeal TTR amyloidosis"),
    ("NCT02594995", "other_sense", "leptomeningeal anastomoses in stroke"),
    ("NCT05934630", "other_sense", "diffuse leptomeningeal glioneuronal tumour (a primary "
                                   "tumour)"),
    ("NCT04065113", "no_lm", "middle meningeal artery embolisation"),
    # a catch-all condition list
    ("NCT00025415", "mentions_lm", "'Meningeal Chronic Myelogenous Leukemia' is one of 81 "
                                   "conditions"),
    ("NCT04460937", "mentions_lm", "one of 59 conditions of an oesophageal cancer trial"),
]


@pytest.mark.parametrize(("nct", "population", "why"), TRUE_CASES,
                         ids=[c[0] for c in TRUE_CASES])
def test_lm_trials(records, nct, population, why):
    v = verdict(records, nct)
    assert (v.population.value, v.lm_specific, v.unsure) == (population, True, False), why


@pytest.mark.parametrize(("nct", "population", "why"), FALSE_CASES,
                         ids=[c[0] for c in FALSE_CASES])
def test_not_lm_trials(records, nct, population, why):
    v = verdict(records, nct)
    assert (v.population.value, v.lm_specific) == (population, False), (why, v.reason)


def test_reasons_quote_the_words_that_decided(records):
    assert verdict(records, "NCT05034497").reason == (
        'title "Intraventricular Administration of Rhenium-186 NanoLiposome for Leptomeningeal '
        'Metastases" names LM as the population')
    assert "cannot take part" in verdict(records, "NCT07287995").reason
    assert "59 registered conditions" in verdict(records, "NCT04460937").reason


def test_official_title_of_another_study_is_set_aside(records):
    st = study_text(records["NCT02422641"])
    assert st.official_title is None
    assert "Traditional Incision and Drainage of Cutaneous Abscess" in st.notes[0]
    assert "belongs to another study" in st.notes[0]
    assert verdict(records, "NCT02422641").population.value == "lm_only"  # from the brief title
    # An official title that shares words with the record is kept.
    assert study_text(records["NCT05034497"]).official_title.startswith("A Multicenter Phase 1")


def test_summary_only_verdicts_are_unsure(records):
    v = verdict(records, "NCT02228369")  # BLOOM: "patients with LM ... may also be enrolled"
    assert v.unsure and v.population.value == "lm_cohort"
    v = verdict(records, "NCT03497767")  # background: "activity ... with LM in BLOOM"
    assert v.unsure


def test_eligibility_criteria_decide_when_nothing_else_names_lm(records):
    proto = json.loads(json.dumps(records["NCT03027544"]))  # brain metastases, no LM term
    proto["eligibilityModule"] = {"eligibilityCriteria":
                                  "Inclusion Criteria:\n* brain metastases\n\nExclusion "
                                  "Criteria:\n* leptomeningeal disease\n"}
    v = lm_verdict(study_text(proto))
    assert v.population.value == "excludes_lm" and "exclusion" in v.reason
    proto["eligibilityModule"] = {"eligibilityCriteria":
                                  "Inclusion Criteria:\n* brain metastases or leptomeningeal "
                                  "disease\n\nExclusion Criteria:\n* pregnancy\n"}
    v = lm_verdict(study_text(proto))
    assert v.population.value == "lm_allowed" and "inclusion" in v.reason


def test_the_shipped_snapshot_needs_no_more_review(records):
    """Every record the rule is unsure of has a reviewer's verdict; the snapshot then holds
    189 LM trials (167 interventional)."""
    review = read_review(REVIEW)
    assert review.problems == []
    unsure = [n for n, p in records.items() if lm_verdict(study_text(p)).unsure]
    assert set(unsure) <= set(review.verdicts), set(unsure) - set(review.verdicts)
    assert set(review.verdicts) <= set(records)
    final = {n: review.apply(n, lm_verdict(study_text(p))) for n, p in records.items()}
    lm = [n for n, v in final.items() if v.lm_specific]
    interventional = [n for n in lm if records[n]["designModule"]["studyType"] == "INTERVENTIONAL"]
    assert (len(lm), len(interventional)) == (189, 167)
    assert final["NCT07177950"].population.value == "lm_cohort"
    assert final["NCT07177950"].reason.startswith("review: two-cohort study")


def test_review_table_problems_name_line_and_field(tmp_path):
    p = tmp_path / "review.tsv"
    p.write_text("nct_id\tpopulation\treason\treviewed\n"
                 "NCT05034497\tlm_only\tok\t2026-12-03\n"
                 "NCT1234\tlm_only\tx\t2026-12-03\n"
                 "NCT05034498\tsometimes\tx\t2026-12-03\n"
                 "NCT05034499\tlm_only\t\t2026-12-03\n"
                 "NCT05034497\tno_lm\ttwice\t2026-12-03\n"
                 "NCT05034490\tlm_only\n", encoding="utf-8")
    r = read_review(p)
    assert list(r.verdicts) == ["NCT05034497"]
    assert [(line, field) for line, field, _ in r.problems] == [
        (3, "nct_id"), (4, "population"), (5, "reason"), (6, "nct_id"), (7, "")]
    assert "is reviewed twice" in r.problems[3][2]
    bad = tmp_path / "bad.tsv"
    bad.write_text("nct\tverdict\n", encoding="utf-8")
    assert "wrong columns" in read_review(bad).problems[0][2]
