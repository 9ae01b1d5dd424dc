"""Clinical context (issue 14): guidelines and their recommendations, radiotherapy modalities,
epidemiology that names its measure, diagnostic performance, delivery platforms."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from lmkg.graph.query import (
    criteria_for,
    describe,
    epidemiology,
    guidelines,
    landscape,
    recommendations_for,
)
from lmkg.loaders import get_loader
from lmkg.ontology import EpiMeasure

ROOT = Path(__file__).resolve().parent.parent


# -- loader: every problem with file, line, record and field --------------------------------
BASE = """\
genes:
  - id: gene/egfr
    name: epidermal growth factor receptor
    symbol: EGFR
cancers:
  - id: cancer/nsclc
    name: non-small cell lung cancer
agents:
  - id: agent/osimertinib
    name: osimertinib
    status: approved
diagnostics:
  - id: diagnostic/csf-cytology
    name: CSF cytology
    kind: cytology
publications:
  - id: publication/pmid-1
    name: A paper
    xrefs: [PMID:1, DOI:10.1000/guide]
"""

CASES = """\
cancers:
  - id: cancer/breast-cancer
    name: breast cancer
    epidemiology:
      - measure: lm_incidence  # E: epidemiology.0.measure | invalid value 'lm_incidence'
        value: 5%
        population: metastatic breast cancer
        source: {id: PMID:1}
      - measure: share_of_lm_cases  # E: epidemiology.1.population | required field is missing
        value: 43%
        source: {id: PMID:1}
  - id: cancer/melanoma-x
    name: melanoma x
    epidemiology:
      - measure: share_of_lm_cases
        value: 43%
        population: 153 LM patients
        biomarker: biomarker/nope  # E: epidemiology.0.biomarker | unknown reference: biomarker lmkg:biomarker/nope does not exist
        source: {id: PMID:1}
      - measure: share_of_lm_cases
        value: 43%
        population: 153 LM patients
        biomarker: cancer/nsclc  # E: epidemiology.1.biomarker | wrong type: biomarker must be a biomarker id
        source: {id: PMID:1}
diagnostics:
  - id: diagnostic/csf-ctc
    name: CSF CTC
    kind: liquid_biopsy
    performance:
      - reference_standard: cytology  # E: performance.0 | a performance record needs a sensitivity or a specificity
        population: 95 patients
        source: {id: PMID:1}
  - id: diagnostic/csf-ctc-2
    name: CSF CTC 2
    kind: liquid_biopsy
    performance:
      - sensitivity: 93%
        reference_standard: clinical diagnosis
        population: 95 patients
        cancer: cancer/melanoma  # E: performance.0.cancer | unknown reference: cancer lmkg:cancer/melanoma does not exist
        source: {id: PMID:1}
guidelines:
  - id: guideline/undeclared-doi
    name: A guideline
    issuer: X
    year: 2020
    doi: DOI:10.1000/undeclared  # E: doi | doi DOI:10.1000/undeclared is not declared
  - id: guideline/bad-doi
    name: Another
    issuer: X
    year: 2020
    doi: PMID:1  # E: doi | doi must be a DOI: CURIE
  - id: guideline/good
    name: Good guideline
    issuer: X
    year: 2020
    doi: DOI:10.1000/guide
    relations:
      - rel: RECOMMENDS
        to: agent/osimertinib
        topic: treatment
        cancer: gene/egfr  # E: cancer | wrong type: cancer must be a cancer id
        text: Give it.
        sources: [{id: PMID:1}]
      - rel: RECOMMENDS
        to: diagnostic/csf-cytology
        topic: staging  # E: topic | invalid value 'staging'
        text: Do it.
        sources: [{id: PMID:1}]
      - rel: RECOMMENDS  # E: text | required field is missing
        to: diagnostic/csf-cytology
        topic: diagnosis
        sources: [{id: PMID:1}]
      - rel: RECOMMENDS
        to: cancer/nsclc  # E: to | wrong type: RECOMMENDS cannot point to a PrimaryCancer
        topic: treatment
        text: Treat it.
        sources: [{id: PMID:1}]
radiotherapy:
  - id: radiotherapy/pcsi
    name: proton craniospinal irradiation
    particle: neutron  # E: particle | invalid value 'neutron'
"""


def _write(tmp_path: Path, **files: str) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    for name, text in files.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


def test_loader_reports_every_clinical_problem_with_line_field_and_reason(tmp_path):
    res = get_loader("curated").load(_write(tmp_path, **{"base.yaml": BASE, "cases.yaml": CASES}))
    got = {p.line: p for p in res.problems if p.file.endswith("cases.yaml")}
    want = {n: tuple(x.strip() for x in line.split("# E:")[1].split("|", 1))
            for n, line in enumerate(CASES.splitlines(), 1) if "# E:" in line}
    assert set(got) == set(want), sorted(f"{p.line} {p.field}: {p.reason}" for p in got.values())
    for line, (field, reason) in want.items():
        assert got[line].field == field, (line, got[line])
        assert reason in got[line].reason, (line, got[line].reason)
    assert not [p for p in res.problems if p.file.endswith("base.yaml")]


def test_a_valid_guideline_and_recommendation_load(tmp_path):
    good = BASE + textwrap.dedent("""\
        guidelines:
          - id: guideline/g
            name: G
            issuer: EANO-ESMO
            year: 2023
            doi: DOI:10.1000/guide
            covers: lm
            relations:
              - rel: RECOMMENDS
                to: agent/osimertinib
                topic: treatment
                direction: for
                cancer: cancer/nsclc
                biomarker: gene/egfr
                lm_type: type_i
                strength: "[III, B]"
                text: Osimertinib may be considered.
                sources: [{id: PMID:1}]
        """)
    res = get_loader("curated").load(_write(tmp_path, **{"g.yaml": good}))
    assert res.problems == []
    (rel,) = [r for r in res.relations if r.predicate.value == "RECOMMENDS"]
    assert (rel.strength, rel.lm_type.value, rel.biomarker) == ("[III, B]", "type_i",
                                                                "lmkg:gene/egfr")


# -- epidemiology: every figure names its measure --------------------------------------------
def test_no_cancer_carries_a_bare_lm_incidence(kg):
    for c in kg.ids("PrimaryCancer"):
        node = kg.node(c)
        assert "lm_incidence" not in node and "lm_survival" not in node
        for fig in node.get("epidemiology", []):
            EpiMeasure(fig["measure"])  # a named measure
            assert fig["population"] and fig["source"]


# (cancer, measure, value) expected after migration, read from what each source measured
MIGRATED = [
    ("lmkg:cancer/breast-cancer", "share_of_lm_cases", "43%"),
    ("lmkg:cancer/breast-cancer", "lm_incidence_among_patients", "2-5%"),
    ("lmkg:cancer/hr-positive-her2-negative-breast-cancer", "share_of_lm_cases", "44%"),
    ("lmkg:cancer/triple-negative-breast-cancer", "share_of_lm_cases", "40.5%"),
    ("lmkg:cancer/melanoma", "share_of_lm_cases", "10%"),
    ("lmkg:cancer/nsclc", "lm_incidence_among_patients", "3.4%"),
    ("lmkg:cancer/nsclc", "lm_incidence_among_patients", "9.8%"),
    ("lmkg:cancer/sclc", "lm_cumulative_incidence", "10%"),
    ("lmkg:cancer/sclc", "lm_incidence_among_patients", "11% (60/526)"),
    ("lmkg:cancer/lymphoma", "cns_metastasis_incidence", "~5%"),
    ("lmkg:cancer/ovarian-cancer", "cns_metastasis_incidence", "<2% of cases"),
    ("lmkg:cancer/medulloblastoma", "lm_at_diagnosis", "20-30%"),
    ("lmkg:cancer/breast-cancer", "median_os_from_lm_diagnosis", "3.5 months (95% CI 3.0-4.0)"),
    ("lmkg:cancer/nsclc", "median_os_treated", "13.6 months"),
]


@pytest.mark.parametrize("cancer,measure,value", MIGRATED)
def test_figures_carry_the_measure_their_source_measured(kg, cancer, measure, value):
    assert (measure, value) in {(r["measure"], r["value"]) for r in epidemiology(kg, cancer)}


def test_shares_of_lm_cases_are_never_incidences(kg):
    for c in kg.ids("PrimaryCancer"):
        for r in epidemiology(kg, c):
            if "LM cases" in r["population"] or "LM patients" in r["population"] \
                    or "with LM" in r["population"]:
                assert not EpiMeasure(r["measure"]).is_incidence, (c, r)


def test_biomarker_level_epidemiology_is_expressible(kg):
    egfr = [r for r in epidemiology(kg, "NSCLC") if r["biomarker_id"] == "lmkg:gene/egfr"]
    assert {"9.8%", "9.4%"} <= {r["value"] for r in egfr if r["measure"]
                                == "lm_incidence_among_patients"}


def test_landscape_by_cancer_names_incidence_and_share_separately(kg):
    rows = {r["id"]: r for r in landscape(kg, "cancer")}
    breast = rows["lmkg:cancer/breast-cancer"]
    assert "lm_incidence" not in breast
    assert any(x.startswith("43%") for x in breast["share_of_lm_cases"])
    assert not any(x.startswith("43%") for x in breast["lm_incidence_among_patients"])
    assert any(x.startswith("2-5%") for x in breast["lm_incidence_among_patients"])
    assert any(x.startswith("3.5 months") for x in breast["median_os_from_lm_diagnosis"])
    lymphoma = rows["lmkg:cancer/lymphoma"]
    assert lymphoma["lm_incidence_among_patients"] == [] and lymphoma["cns_not_lm_specific"]


# -- guidelines ------------------------------------------------------------------------------
def test_nsclc_treatment_recommendations_carry_guideline_context_and_level(kg):
    recs = guidelines(kg, cancer="NSCLC", topic="treatment")
    by = {(r.guideline_id, r.target_id): r for r in recs}
    asco = by[("lmkg:guideline/asco-sno-astro-brain-metastases-2021", "lmkg:agent/osimertinib")]
    assert (asco.strength, asco.level, asco.covers) == ("W", "IC, L", "brain_metastases")
    cns = by[("lmkg:guideline/cns-emerging-therapies-2025", "lmkg:agent/alectinib")]
    assert cns.biomarker_id == "lmkg:biomarker/alk-fusion" and cns.level is None
    assert cns.grade == "not stated in the source read"
    assert all(r.topic == "treatment" and r.applies in ("cancer", "any cancer") for r in recs)
    assert all(r.cancer_id in (None, "lmkg:cancer/nsclc") for r in recs)
    assert not [r for r in recs if r.target_id == "lmkg:agent/trastuzumab"]  # HER2+ breast


def test_lm_only_drops_brain_metastasis_guidelines(kg):
    recs = guidelines(kg, cancer="NSCLC", topic="treatment", lm_only=True)
    assert recs and all(r.covers != "brain_metastases" for r in recs)


def test_breast_subtype_question_includes_broader_cancer_recommendations(kg):
    recs = guidelines(kg, cancer="HER2-positive breast cancer", topic="treatment")
    applies = {(r.target_id, r.applies) for r in recs}
    assert ("lmkg:agent/trastuzumab", "cancer") in applies
    assert ("lmkg:radiotherapy/wbrt", "broader cancer") in applies  # DEGRO, breast cancer


RECS_FOR = [  # agent, biomarker, cancer, guidelines expected (set), match
    ("lmkg:agent/osimertinib", "lmkg:biomarker/egfr-l858r", "lmkg:cancer/nsclc",
     {"lmkg:guideline/cns-emerging-therapies-2025",
      "lmkg:guideline/asco-sno-astro-brain-metastases-2021"}, "direct"),
    ("lmkg:agent/osimertinib", "lmkg:biomarker/alk-fusion", None, set(), None),
    ("lmkg:agent/alectinib", "lmkg:biomarker/alk-fusion", "lmkg:cancer/nsclc",
     {"lmkg:guideline/cns-emerging-therapies-2025"}, "direct"),
    ("lmkg:agent/alectinib", None, "lmkg:cancer/breast-cancer", set(), None),
    ("lmkg:agent/trastuzumab", "lmkg:biomarker/her2-amplification",
     "lmkg:cancer/her2-positive-breast-cancer", {"lmkg:guideline/cns-emerging-therapies-2025"},
     "direct"),
    ("lmkg:agent/tucatinib", "lmkg:biomarker/her2-amplification", None, set(), None),
]


@pytest.mark.parametrize("agent,biomarker,cancer,want,match", RECS_FOR)
def test_recommendations_for_an_agent(kg, agent, biomarker, cancer, want, match):
    recs = recommendations_for(kg, agent, biomarker_id=biomarker, cancer_id=cancer)
    assert {r.guideline_id for r in recs} == want
    assert all(r.match == match for r in recs)


def test_lm_criteria_list_diagnosis_and_response_with_guideline_sources(kg):
    rows = criteria_for(kg)
    got = {(r["topic"], r["id"], r["guideline_id"]) for r in rows}
    assert ("diagnosis", "lmkg:diagnostic/csf-cytology", "lmkg:guideline/eano-esmo-lm-2023") in got
    assert ("diagnosis", "lmkg:diagnostic/csf-cytology", "lmkg:guideline/eano-esmo-lm-2017") in got
    assert ("response", "lmkg:diagnostic/rano-lm", "lmkg:guideline/rano-lm-2017") in got
    assert ("response", "lmkg:diagnostic/gadolinium-mri-neuraxis",
            "lmkg:guideline/rano-lm-2017") in got
    assert all(r["sources"] for r in rows)
    ctc = [r for r in rows if r["id"] == "lmkg:diagnostic/csf-ctc"]
    assert ctc and ctc[0]["guideline"] is None and any("93%" in p for p in ctc[0]["performance"])


# -- radiotherapy: proton craniospinal irradiation with its trials and results ---------------
def test_proton_csi_has_its_randomised_trial_and_results(kg):
    card = describe(kg, "pCSI")
    assert card["entity"]["type"] == "RadiotherapyModality"
    trials = {r["other_id"]: r for r in card["relations"] if r["relation"] == "EVALUATED_IN"}
    # The two randomised trials (curated, with results), and the registry's single-arm proton
    # CSI trials for LM, linked from their titles, and the hippocampal-avoidance CSI trial "using
    # proton therapy or VMAT" (docs/trials.md).
    assert set(trials) == {"lmkg:trial/nct04343573", "lmkg:trial/nct06500481",
                           "lmkg:trial/nct03520504", "lmkg:trial/nct05746754",
                           "lmkg:trial/nct06518057"}
    assert "7.5 months" in trials["lmkg:trial/nct04343573"]["properties"]["note"]
    trial = kg.node("lmkg:trial/nct04343573")
    assert trial["phases"] == ["phase2"] and "9.9 vs 6.0" in trial["key_result"]
    assert kg.node("lmkg:trial/nct06500481")["phases"] == ["phase3"]
    comparator = {o for _s, _p, o, _d in kg.out_edges("lmkg:radiotherapy/involved-field-rt",
                                                     "EVALUATED_IN")}
    # involved-field radiotherapy is the comparator of both randomised pCSI trials
    assert {"lmkg:trial/nct04343573", "lmkg:trial/nct06500481"} <= comparator


def test_delivery_platforms_name_their_agents(kg):
    via = {(s, o) for s, _p, o, _d in kg.edges("DELIVERED_VIA")}
    assert ("lmkg:agent/rhenium-186-obisbemeda", "lmkg:delivery/rhenium-186-nanoliposome") in via
    assert ("lmkg:agent/liposomal-cytarabine",
            "lmkg:delivery/depofoam-multivesicular-liposome") in via
    assert ("lmkg:agent/ang1005", "lmkg:delivery/angiopep-2") in via
    assert ("lmkg:agent/omburtamab", "lmkg:delivery/compartmental-radioimmunotherapy") in via


def test_diagnostic_performance_names_reference_and_population(kg):
    perf = kg.node("lmkg:diagnostic/csf-ctdna")["performance"]
    assert {p["sensitivity"].split()[0] for p in perf} >= {"97.9%"}
    assert all(p["reference_standard"] and p["population"] and p["source"] for p in perf)


# -- exports follow the new types ------------------------------------------------------------
def test_property_graph_and_rdf_carry_guidelines_and_measures(kg):
    from lmkg.graph.export.propgraph import node_properties, node_schema, relationship_schema
    from lmkg.graph.export.rdf import instance_triples

    schema = node_schema()
    assert {"issuer", "year", "doi", "covers"} <= set(schema["Guideline"])
    assert "epidemiology_json" in schema["PrimaryCancer"]
    assert "performance_json" in schema["Diagnostic"]
    assert {"topic", "strength", "level", "text", "cancer", "biomarker", "lm_type"} <= set(
        relationship_schema()["RECOMMENDS"])
    props = node_properties(kg.node("lmkg:cancer/breast-cancer"))
    assert json.loads(props["epidemiology_json"])[0]["measure"]
    texts = {str(t.object.value) for t in instance_triples(kg)
             if t.predicate.value.endswith("#measure")}
    assert {"share_of_lm_cases", "lm_incidence_among_patients"} <= texts


def test_embedded_cypher_answers_recommendations(kg):
    pytest.importorskip("ladybug")
    from lmkg.graph.query.cypher import EmbeddedCypher

    eng = EmbeddedCypher(kg)
    _cols, rows = eng.run("MATCH (g:Guideline)-[r:RECOMMENDS]->(a:Agent) WHERE r.cancer = $c "
                         "RETURN g.name, a.name, r.level ORDER BY g.name, a.name",
                         {"c": "lmkg:cancer/nsclc"})
    assert ["ASCO-SNO-ASTRO brain metastases guideline 2021", "osimertinib", "IC, L"] in rows
    _, rows = eng.run("MATCH (m:RadiotherapyModality)-[:EVALUATED_IN]->(t:ClinicalTrial) "
                      "RETURN m.name, t.id ORDER BY t.id")
    assert ["proton craniospinal irradiation", "lmkg:trial/nct04343573"] in rows
    eng.close()


def test_map_styles_cover_the_new_types():
    from lmkg.viz.style import EDGE_STYLE, NODE_STYLE, TYPE_LABEL

    assert {"Guideline", "RadiotherapyModality"} <= set(NODE_STYLE) & set(TYPE_LABEL)
    assert "RECOMMENDS" in EDGE_STYLE


# -- the Done-when commands ------------------------------------------------------------------
def test_cli_guidelines_nsclc_treatment_lists_levels(cli):
    res = cli("guidelines", "--cancer", "NSCLC", "--topic", "treatment", "--format", "json")
    assert res.exit_code == 0
    rows = json.loads(res.output)
    asco = [r for r in rows if r["guideline_id"].endswith("asco-sno-astro-brain-metastases-2021")]
    assert asco and asco[0]["level"] == "IC, L" and asco[0]["strength"] == "W"
    assert {"context", "grade", "text", "sources", "covers", "applies"} <= set(rows[0])
    table = cli("guidelines", "--cancer", "NSCLC", "--topic", "treatment")
    assert table.exit_code == 0 and "osimertinib" in table.output and "IC, L" in table.output
    csv_out = cli("guidelines", "--cancer", "NSCLC", "--topic", "treatment", "--format", "csv")
    header = csv_out.output.splitlines()[0].split(",")
    assert {"guideline", "strength", "level", "text", "guideline_id", "sources"} <= set(header)


def test_cli_guidelines_rejects_a_bad_topic_and_unknown_cancer(cli):
    assert cli("guidelines", "--topic", "staging").exit_code == 2
    res = cli("guidelines", "--cancer", "no such cancer")
    assert res.exit_code == 1 and "no such cancer" in res.output


def test_cli_show_lm_lists_criteria_with_guideline_sources(cli):
    # --wide: one line a row, so that each cell reads whole (a table wraps cells to the width)
    res = cli("show", "leptomeningeal metastases", "--wide")
    assert res.exit_code == 0
    assert "Diagnostic and response criteria" in res.output
    for text in ("EANO-ESMO LM guideline 2023", "RANO LM response criteria", "CSF cytology",
                 "DOI:10.1093/neuonc/now183"):
        assert text in res.output, text


def test_cli_show_cancer_names_its_measures(cli):
    res = cli("show", "breast cancer")
    assert res.exit_code == 0
    assert "share_of_lm_cases" in res.output and "lm_incidence_among_patients" in res.output
    assert "lm_incidence:" not in res.output


def test_cli_landscape_by_cancer_has_named_measure_columns(cli):
    res = cli("landscape", "--by", "cancer", "--format", "csv")
    header = res.output.splitlines()[0].split(",")
    assert {"lm_incidence_among_patients", "share_of_lm_cases",
            "median_os_from_lm_diagnosis"} <= set(header)
    assert "lm_incidence" not in header


def test_cli_guidelines_table_uses_short_names_and_json_carries_both(cli):
    table = cli("guidelines", "--cancer", "NSCLC", "--topic", "treatment")
    assert table.exit_code == 0
    assert "CNS 2025" in table.output and "NSCLC; ALK" in table.output
    assert "CNS guideline on emerging therapies" not in table.output
    rows = json.loads(cli("guidelines", "--cancer", "NSCLC", "--topic", "treatment",
                          "--format", "json").output)
    cns = next(r for r in rows if r["guideline_id"].endswith("cns-emerging-therapies-2025"))
    assert cns["guideline"].startswith("CNS guideline on emerging therapies")
    assert cns["guideline_short"] == "CNS 2025"
    assert cns["context_short"].startswith("NSCLC; ")
