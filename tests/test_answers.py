"""What a clinician-scientist expects from `lmkg agents`, question by question, on the curated
graph and on the graph with every public source of ../shared/data (CIViC, ClinicalTrials.gov,
B3DB, FDA OOPD, openFDA, DrugBank).

Each row of EXPECTED is one question: the biomarker (and cancer, and CNS threshold) asked, the
answers that must rank within the top k, the agents that must never be an answer, and the
agents that must show in the resistance section. The reasons are in the comments.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest

from lmkg.graph.query import answer_biomarker


@dataclass(frozen=True)
class Q:
    biomarker: str
    cancer: str | None = None
    cns: str | None = None
    top: tuple[str, ...] = ()        # each of these ranks within the first `k` answers
    k: int = 5
    first: str | None = None         # the answer ranked first
    never: tuple[str, ...] = ()      # never an answer (may be absent, or in resistance)
    resistance: tuple[str, ...] = ()  # listed in the resistance section
    answers_for: tuple[str, ...] = field(default=())  # family members the query answers for


FIRST_GEN = ("erlotinib", "gefitinib")
EXPECTED = [
    # KRAS G12C: the two approved G12C inhibitors; a drug-gene row (KRAS - erlotinib) is no
    # answer, and no EGFR, HER2 or MEK drug acts on G12C.
    Q("KRAS G12C", top=("adagrasib", "sotorasib"), k=2, never=(*FIRST_GEN, "cetuximab")),
    # ... and with --cns-penetrant: adagrasib has the KRYSTAL-1 CNS data.
    Q("KRAS G12C", cns="csf_pk", top=("adagrasib",), k=1, never=FIRST_GEN),
    # BRAF V600E melanoma: the three approved BRAF/MEK combinations; chemotherapy and
    # anti-VEGF drug-gene rows are never answers.
    Q("BRAF V600E", cancer="melanoma",
      top=("dabrafenib + trametinib", "encorafenib + binimetinib", "vemurafenib + cobimetinib"),
      k=6, first="dabrafenib + trametinib",
      never=("bevacizumab", "capecitabine", "temozolomide", "binimetinib", "cobimetinib"),
      answers_for=("BRAF V600 mutation",)),
    # BRAF V600E NSCLC: the two combinations the FDA approved there (dabrafenib + trametinib,
    # 2017; encorafenib + binimetinib, 2023, PHAROS); vemurafenib + cobimetinib is approved in
    # melanoma only, and no MEK inhibitor alone answers.
    Q("BRAF V600E", cancer="non-small cell lung cancer",
      top=("dabrafenib + trametinib", "encorafenib + binimetinib"), k=2,
      first="dabrafenib + trametinib",
      never=("vemurafenib + cobimetinib", "trametinib", "binimetinib", "cobimetinib")),
    # Elsewhere (a solid tumour with no BRAF approval of its own) dabrafenib + trametinib answers
    # on its tissue-agnostic accelerated approval (FDA 2022); the melanoma-only combinations do not.
    Q("BRAF V600E", cancer="breast cancer", top=("dabrafenib + trametinib",), k=1,
      first="dabrafenib + trametinib",
      never=("encorafenib + binimetinib", "vemurafenib + cobimetinib", "vemurafenib")),
    # The family: BRAF V600 answers for V600E and V600K.
    Q("BRAF V600", top=("dabrafenib + trametinib", "encorafenib + binimetinib"), k=6,
      never=("bevacizumab", "capecitabine"), answers_for=("BRAF V600E", "BRAF V600K")),
    # EGFR T790M: only agents active on T790M (osimertinib; furmonertinib and aumolertinib,
    # NMPA; lazertinib, MFDS 2021); first-generation TKIs are resistance.
    Q("EGFR T790M", top=("osimertinib", "furmonertinib", "aumolertinib", "lazertinib"), k=4,
      first="osimertinib",
      never=(*FIRST_GEN, "afatinib", "dacomitinib", "lapatinib", "pyrotinib", "amivantamab"),
      resistance=FIRST_GEN),
    Q("EGFR T790M", cns="csf_pk", top=("osimertinib", "furmonertinib", "lazertinib"), k=5,
      never=(*FIRST_GEN, "afatinib", "lapatinib", "pyrotinib")),
    # EGFR exon 19 deletion / L858R: approved TKIs of every generation are answers.
    Q("EGFR exon 19 deletion", top=("osimertinib", "erlotinib", "gefitinib", "afatinib"), k=10,
      never=("mobocertinib",)),
    Q("EGFR L858R", cancer="non-small cell lung cancer", top=("osimertinib", "lazertinib"), k=10),
    # The first-line approval of amivantamab with lazertinib (FDA 2024, MARIPOSA) is the
    # regimen's: neither is approved alone for ex19del/L858R.
    Q("EGFR exon 19 deletion", top=("osimertinib", "amivantamab + lazertinib"), k=5,
      never=("amivantamab",)),
    # EGFR exon 20 insertion: amivantamab and sunvozertinib, the approvals in force; not the
    # common-mutation TKIs. Mobocertinib's 2021 accelerated approval was withdrawn (Takeda, 2023,
    # EXCLAIM-2 missed its primary endpoint), so it is no longer among the approved first two.
    Q("EGFR exon 20", top=("amivantamab", "sunvozertinib"), k=2,
      never=(*FIRST_GEN, "osimertinib")),
    # ALK, ROS1, NTRK, MET exon 14, RET.
    Q("ALK", top=("alectinib", "lorlatinib", "brigatinib"), k=4,
      never=("erlotinib", "capmatinib"), answers_for=("ALK fusion",)),
    # Approved and recommended by an LM/CNS guideline (CNS 2025, ALK-positive NSCLC) ranks
    # above approved with an 18-patient LM cohort (ceritinib, ASCEND-7).
    Q("ALK", top=("alectinib",), k=1),
    Q("ROS1", cns="csf_pk", top=("taletrectinib", "repotrectinib", "entrectinib"), k=4,
      never=("alectinib", "brigatinib")),
    Q("NTRK", top=("larotrectinib", "entrectinib", "repotrectinib"), k=3,
      answers_for=("NTRK1 fusion", "NTRK2 fusion", "NTRK3 fusion")),
    Q("NTRK1", top=("larotrectinib", "entrectinib", "repotrectinib"), k=3),
    # Crizotinib answers on trial evidence (PROFILE 1001 METex14 cohort), below the approvals
    # (capmatinib, tepotinib; savolitinib, NMPA 2021).
    Q("MET exon 14", top=("capmatinib", "tepotinib"), k=2),
    Q("MET exon 14", top=("capmatinib", "tepotinib", "savolitinib", "crizotinib"), k=4),
    Q("RET", top=("selpercatinib", "pralsetinib"), k=2),
    # HER2-positive breast cancer: the approved anti-HER2 drugs; HER2-mutant NSCLC drugs are
    # not answers there.
    # The approvals of tucatinib, lapatinib, neratinib, pyrotinib and pertuzumab in metastatic
    # disease are for their combinations, which answer as regimens.
    Q("HER2", cancer="breast cancer",
      top=("tucatinib + trastuzumab + capecitabine", "trastuzumab deruxtecan",
           "trastuzumab emtansine", "neratinib + capecitabine", "lapatinib + capecitabine",
           "pyrotinib + capecitabine", "pertuzumab + trastuzumab + docetaxel", "trastuzumab"),
      k=9, never=("zongertinib",),
      answers_for=("HER2 (ERBB2) mutation", "HER2 amplification/overexpression")),
    Q("HER2-positive", cns="csf_pk",
      top=("tucatinib + trastuzumab + capecitabine", "trastuzumab deruxtecan"), k=6),
    # HER2-mutant NSCLC: trastuzumab deruxtecan and zongertinib.
    Q("HER2-mutant", top=("trastuzumab deruxtecan", "zongertinib"), k=2,
      never=("tucatinib", "lapatinib")),
    Q("HER2 (ERBB2) mutation", cancer="non-small cell lung cancer",
      top=("zongertinib", "trastuzumab deruxtecan"), k=2, never=("tucatinib",)),
]
IDS = [f"{q.biomarker}|{q.cancer or '-'}|{q.cns or '-'}" for q in EXPECTED]


def _check(kg, q: Q) -> None:
    ans = answer_biomarker(kg, q.biomarker, cancer=q.cancer, cns_min_level=q.cns)
    names = [h.name for h in ans.answers]
    top = names[:q.k]
    missing = [t for t in q.top if t not in top]
    assert not missing, f"{missing} not in the top {q.k}: {names}"
    if q.first:
        assert names[0] == q.first, names
    wrong = [n for n in q.never if n in names]
    assert not wrong, f"{wrong} must never answer {q.biomarker}: {names}"
    res = [h.name for h in ans.resistance]
    assert set(q.resistance) <= set(res), res
    for h in ans.resistance:
        assert h.relation == "resistance" and h.name not in names
    assert set(q.answers_for) <= set(ans.family), ans.family
    for h in ans.answers:
        # Variant-aware: every answer acts on what was asked (or a member of it) or has a
        # sensitivity association with it; and says where its evidence is from.
        assert h.relation in ("sensitivity", "acts on"), h
        assert h.acts_on or any(a["effective"] == "sensitivity" for a in h.associations), h.name
        assert h.relation == "acts on" or h.evidence_cancer, h.name
        assert h.sources, h.name


@pytest.mark.parametrize("q", EXPECTED, ids=IDS)
def test_curated_answers(kg, q):
    _check(kg, q)


@pytest.mark.parametrize("q", EXPECTED, ids=IDS)
def test_answers_with_every_public_source(public_kg, q):
    _check(public_kg, q)


# The approvals behind `approved` answers, each resting on a primary source (the FDA's own data,
# a label, the regulator's notice or the company's own release), not only on a news page: the
# question asked and the answers whose approved association must cite one (data/AUDIT.md).
APPROVED_ON_PRIMARY = [
    ("BRAF V600E", "melanoma", ("dabrafenib + trametinib", "encorafenib + binimetinib",
                                "vemurafenib + cobimetinib", "dabrafenib", "trametinib",
                                "vemurafenib")),
    ("BRAF V600E", "non-small cell lung cancer", ("dabrafenib + trametinib",
                                                  "encorafenib + binimetinib")),
    ("ALK", None, ("alectinib", "ceritinib", "lorlatinib", "brigatinib", "crizotinib")),
    ("MET exon 14", None, ("capmatinib", "tepotinib")),
    ("ROS1", None, ("crizotinib", "entrectinib")),
    ("EGFR T790M", None, ("osimertinib",)),
    ("KRAS G12C", None, ("adagrasib", "sotorasib")),
    ("HER2-mutant", None, ("zongertinib",)),
    ("NTRK", None, ("repotrectinib", "entrectinib")),
    ("RET", None, ("selpercatinib", "pralsetinib")),
    ("EGFR exon 20", None, ("amivantamab", "sunvozertinib")),
    ("EGFR exon 19 deletion", None, ("afatinib", "gefitinib", "dacomitinib")),
]


@pytest.mark.parametrize("biomarker,cancer,names", APPROVED_ON_PRIMARY,
                         ids=[q[0] for q in APPROVED_ON_PRIMARY])
def test_approved_answers_rest_on_a_primary_source(kg, biomarker, cancer, names):
    ans = answer_biomarker(kg, biomarker, cancer=cancer)
    by = {h.name: h for h in ans.answers}
    for name in names:
        approved = [a for a in by[name].associations
                    if a["tier"] == "approved" and a["effective"] == "sensitivity"]
        assert approved, f"{name}: no approved association for {biomarker}"
        primary = [s for a in approved for s in a["sources"] if not s.get("secondary")]
        assert primary, f"{name}: its approval for {biomarker} rests on secondary sources only"


# Combination approvals held by the regimen: the regimen answers `approved` with the agency's
# approval; a component gets no approval of its own from it (docs/queries.md), and a component
# approved alone for nothing in that cancer is not an approved answer at all. Lazertinib alone
# is approved in Korea only (MFDS, first line, LASER301), never by the FDA; amivantamab alone
# only for EGFR exon 20 insertions. Neratinib alone keeps its own FDA approval (extended
# adjuvant therapy of early HER2-positive breast cancer).
HER2_BC = "HER2-positive breast cancer"
COMBINATION_APPROVALS = [  # (..., components not approved by the agency, never approved alone)
    ("EGFR exon 19 deletion", "non-small cell lung cancer", "amivantamab + lazertinib", "FDA",
     ("lazertinib",), (), ("amivantamab",)),
    ("EGFR L858R", "non-small cell lung cancer", "amivantamab + lazertinib", "FDA",
     ("lazertinib",), (), ("amivantamab",)),
    # Dabrafenib alone is approved in melanoma only; in NSCLC the approval is the regimen's.
    ("BRAF V600E", "non-small cell lung cancer", "dabrafenib + trametinib", "FDA",
     ("dabrafenib",), (), ()),
    ("BRAF V600E", "non-small cell lung cancer", "encorafenib + binimetinib", "FDA", (), (), ()),
    ("HER2-positive", HER2_BC, "tucatinib + trastuzumab + capecitabine", "FDA", ("tucatinib",),
     ("tucatinib",), ()),
    ("HER2-positive", HER2_BC, "lapatinib + capecitabine", "FDA", ("lapatinib",), ("lapatinib",),
     ()),
    ("HER2-positive", HER2_BC, "neratinib + capecitabine", "FDA", (), (), ()),
    ("HER2-positive", HER2_BC, "pyrotinib + capecitabine", "NMPA", ("pyrotinib",),
     ("pyrotinib",), ()),
    ("HER2-positive", HER2_BC, "pertuzumab + trastuzumab + docetaxel", "FDA", ("pertuzumab",),
     ("pertuzumab",), ()),
]


def _approved_by(hit, agency: str) -> list[dict]:
    return [a for a in hit.associations if a["tier"] == "approved"
            and (a.get("note") or "").startswith(agency + " ")]


@pytest.mark.parametrize("biomarker,cancer,regimen,agency,components,unapproved,absent",
                         COMBINATION_APPROVALS,
                         ids=[f"{q[0]}|{q[2]}|{q[3]}" for q in COMBINATION_APPROVALS])
def test_combination_approval_is_the_regimens(kg, biomarker, cancer, regimen, agency,
                                              components, unapproved, absent):
    by = {h.name: h for h in answer_biomarker(kg, biomarker, cancer=cancer).answers}

    def here(hit):  # the agency's approvals in the cancer asked (another cancer's do not count)
        return [a for a in _approved_by(hit, agency) if a["context"] == "same cancer"]

    assert by[regimen].tier == "approved" and here(by[regimen]), by[regimen].basis
    for name in components:
        assert name not in by or not here(by[name]), by[name].associations
    for name in unapproved:
        assert name not in by or by[name].tier != "approved", by[name].associations
    for name in absent:
        assert name not in by


# Regional approvals: the agency that approved each answer (the association says which).
REGIONAL_APPROVALS = [
    ("EGFR exon 19 deletion", "furmonertinib", "NMPA"),
    ("EGFR exon 19 deletion", "aumolertinib", "NMPA"),
    ("EGFR exon 19 deletion", "lazertinib", "MFDS"),
    ("EGFR T790M", "lazertinib", "MFDS"),
    ("MET exon 14", "savolitinib", "NMPA"),
]


@pytest.mark.parametrize("biomarker,name,agency", REGIONAL_APPROVALS,
                         ids=[f"{q[0]}|{q[1]}" for q in REGIONAL_APPROVALS])
def test_regional_approvals_answer_approved(kg, biomarker, name, agency):
    hit = next(h for h in answer_biomarker(kg, biomarker).answers if h.name == name)
    assert hit.tier == "approved" and _approved_by(hit, agency), hit.associations


# The CNS level of an answer, from the records a source shows (QA 10): gefitinib's CSF penetration
# in NSCLC (about 1%: Togashi 2012, Zhao 2013, Zeng 2015) is CSF/PK evidence; its LM trial
# (high-dose, phase I, n=7) is inconclusive and does not count. A regimen's comes from its parts.
CNS_LEVELS = [
    ("EGFR exon 19 deletion", "gefitinib", "csf_pk", "non-small cell lung cancer"),
    ("EGFR T790M", "osimertinib", "lm_clinical", "non-small cell lung cancer"),
    ("BRAF V600E", "dabrafenib + trametinib", "intracranial_response", "melanoma"),
    # Entrectinib's intracranial response in the NTRK integrated analysis (55%, Doebele 2020) is
    # tissue-agnostic (no cancer), not its single NTRK1 lung cancer case.
    ("NTRK", "entrectinib", "intracranial_response", None),
]


@pytest.mark.parametrize("biomarker,name,level,cns_cancer", CNS_LEVELS,
                         ids=[f"{q[0]}|{q[1]}" for q in CNS_LEVELS])
def test_cns_level_of_an_answer(kg, biomarker, name, level, cns_cancer):
    hit = next(h for h in answer_biomarker(kg, biomarker).answers if h.name == name)
    assert (hit.cns_level, hit.cns_cancer, hit.cns_penetrant) == (level, cns_cancer, True), hit


def test_public_sources_add_civic_associations_not_targets(public_kg):
    """CIViC's gene-drug rows stay interactions; its predictive evidence is graded; its
    combination evidence lands on the regimen, matched to the curated one."""
    kg = public_kg
    erlotinib_kras = [e for e in kg.out_edges("lmkg:agent/erlotinib") if e[2] == "lmkg:gene/kras"]
    assert [e[1] for e in erlotinib_kras] == ["INTERACTS_WITH"]
    civic = [d for *_x, d in kg.edges("PREDICTS_RESPONSE")
             if any(s.get("dataset") == "civic" for s in d["sources"])]
    assert civic
    for d in civic:  # a CIViC item merged into an approval keeps the stronger grading
        assert d["tier"] == "approved" or (d.get("level") or "?") in "ABCDE"
        assert all("level " in s["note"] for s in d["sources"] if s.get("dataset") == "civic")
    dt = [d for _s, _p, o, d in kg.out_edges("lmkg:biomarker/braf-v600e", "PREDICTS_RESPONSE")
          if o == "lmkg:regimen/dabrafenib-trametinib" and d.get("cancer") == "lmkg:cancer/nsclc"]
    # One association: the FDA approval of 2017 (BRAF V600E NSCLC), into which CIViC EID3017
    # (level A, rating 4) merged, keeping its CIViC source.
    assert [d["tier"] for d in dt] == ["approved"]
    assert [s["record"] for s in dt[0]["sources"] if s.get("dataset") == "civic"] == ["EID3017"]


def test_civic_combination_in_another_cancer(kg, tmp_path):
    """With cetuximab in the graph, CIViC EID9851 (encorafenib + cetuximab, BRAF V600E
    colorectal cancer, level A) creates the regimen; colorectal cancer is not a cancer of the
    graph, so the association keeps CIViC's disease name; asked about melanoma it is no
    answer, asked about no cancer it answers with its own cancer named."""
    from pathlib import Path

    from lmkg.api import add_sources
    from lmkg.graph import load_graph, save_graph
    from lmkg.ontology import Agent

    shared = Path(__file__).resolve().parents[2] / "shared" / "data"
    g = load_graph(save_graph(kg, tmp_path / "g.json"))  # a copy: the session graph stays
    g.add_entity(Agent(id="lmkg:agent/cetuximab", name="cetuximab", status="approved"))
    add_sources(g, [("civic", shared / "civic")])
    combo = g.lookup("encorafenib + cetuximab", types=["Regimen"])
    assert len(combo) == 1
    parts = {o for _s, _p, o, _d in g.out_edges(combo[0], "HAS_COMPONENT")}
    assert parts == {"lmkg:agent/encorafenib", "lmkg:agent/cetuximab"}
    mel = answer_biomarker(g, "BRAF V600E", cancer="melanoma")
    assert "encorafenib + cetuximab" not in [h.name for h in mel.answers]
    anywhere = answer_biomarker(g, "BRAF V600E")
    row = next(h for h in anywhere.answers if h.name == "encorafenib + cetuximab")
    assert row.evidence_cancer == "Colorectal Cancer" and row.tier == "guideline"
    # CIViC EID816: cetuximab "does not support resistance": no answer, no resistance.
    assert "cetuximab" not in [h.name for h in anywhere.answers + anywhere.resistance]


def test_other_cancer_evidence_ranks_below_and_is_labelled(public_kg):
    nsclc = answer_biomarker(public_kg, "BRAF V600E", cancer="non-small cell lung cancer")
    dt = next(h for h in nsclc.answers if h.name == "dabrafenib + trametinib")
    assert dt.cancer_context == "same cancer"  # FDA 2017 and CIViC EID3017: BRAF V600E NSCLC
    dab = next(h for h in nsclc.answers if h.name == "dabrafenib")
    # Dabrafenib alone is approved in melanoma only: in NSCLC it acts on V600E, and the
    # melanoma approval is labelled as another cancer's and does not lift it.
    assert dab.relation == "acts on" and "approved in melanoma [other cancer]" in dab.basis
    assert dab.score["biomarker"] < dt.score["biomarker"]
    ranks = {h.name: h.rank for h in nsclc.answers}
    assert ranks["dabrafenib + trametinib"] < ranks["dabrafenib"]


def test_json_and_csv_carry_rank_relation_context_and_sources(cli):
    out = json.loads(cli("agents", "-b", "EGFR T790M", "--format", "json").stdout)
    assert set(out) >= {"answers", "resistance", "answers_for", "target"}
    for row in out["answers"] + out["resistance"]:
        assert {"rank", "relation", "basis", "tier", "evidence_cancer", "cancer_context",
                "cns_level", "cns_strength", "cns_context", "cns_cancer", "lm_evidence",
                "sources", "why"} <= set(row)
    assert [r["name"] for r in out["resistance"]] == ["erlotinib", "gefitinib"]
    assert {r["relation"] for r in out["resistance"]} == {"resistance"}
    csv_lines = cli("agents", "-b", "EGFR T790M", "--format", "csv").stdout.splitlines()
    header = csv_lines[0].split(",")
    assert header[:7] == ["rank", "agent", "relation", "evidence", "cancer", "cns", "strength"]
    assert any(",resistance," in line and line.split(",")[1] == "erlotinib"
               for line in csv_lines[1:])


def test_table_has_a_resistance_section(cli):
    out = cli("agents", "-b", "EGFR T790M").stdout
    assert "What works for EGFR T790M" in out
    assert "Resistance: EGFR T790M predicts resistance to" in out
    answers, resistance = out.split("Resistance:")
    assert "erlotinib" not in answers and "erlotinib" in resistance


def test_family_query_says_what_it_answers_for(cli):
    res = cli("agents", "-b", "NTRK")
    assert res.exit_code == 0
    assert "NTRK fusion: answers for NTRK1 fusion, NTRK2 fusion, NTRK3 fusion" in res.output
    assert "larotrectinib" in res.stdout


# -- the ranking rule on a graph made for it ---------------------------------------------------
def _graph_for_ranking():
    """Biomarker B of gene G; cancers C (asked about) and O (another); four approved agents."""
    from lmkg.graph.kg import KnowledgeGraph
    from lmkg.ontology import BY_PREDICATE, Agent, RelationType, SourceRef
    from lmkg.ontology.entities import Biomarker, Gene, PrimaryCancer

    src = SourceRef(url="https://example.org/label")
    kg = KnowledgeGraph()
    kg.add_entity(Gene(id="lmkg:gene/g", name="G", symbol="G"))
    kg.add_entity(Biomarker(id="lmkg:biomarker/b", name="B V1", kind="mutation", gene="lmkg:gene/g"))
    kg.add_entity(PrimaryCancer(id="lmkg:cancer/c", name="cancer C"))
    kg.add_entity(PrimaryCancer(id="lmkg:cancer/o", name="cancer O"))

    def ev(level, design, patients, cancer, n):
        return {"level": level, "metric": f"m{n}", "value": "x", "study_design": design,
                "patients": patients, "cancer": cancer,
                "source": {"url": f"https://example.org/study/{n}"}}

    agents = {
        # an LM cohort of 30 patients, but in the other cancer
        "other": [ev("lm_clinical", "cohort", 30, "lmkg:cancer/o", 1)],
        # a randomised trial with an intracranial endpoint, in C
        "trial": [ev("intracranial_response", "randomized_trial", 200, "lmkg:cancer/c", 2)],
        # a single LM case report, in C
        "case": [ev("lm_clinical", "case_report", 1, "lmkg:cancer/c", 3)],
        # CSF levels in a PK study, not specific to a cancer
        "pk": [ev("csf_pk", "pk_study", 12, None, 4)],
    }
    for name, records in agents.items():
        a = Agent.model_validate({"id": f"lmkg:agent/{name}", "name": name, "status": "approved",
                                  "cns_evidence": records})
        kg.add_entity(a)
        kg.add_relation(BY_PREDICATE[RelationType.PREDICTS_RESPONSE](
            subject="lmkg:biomarker/b", object=a.id, direction="sensitivity", tier="approved",
            cancer="lmkg:cancer/c", sources=[src]))
    return kg


def test_tdxd_for_her2_mutant_nsclc_shows_its_breast_cancer_cns_data_as_another_cancers(kg):
    ans = answer_biomarker(kg, "HER2-mutant")
    by = {h.name: h for h in ans.answers}
    tdxd = by["trastuzumab deruxtecan"]
    assert tdxd.evidence_cancer == "non-small cell lung cancer"  # the approval's cancer
    # Its CNS data (LM, intracranial) are from HER2-positive breast cancer: another cancer's.
    assert "breast" in tdxd.cns_cancer and tdxd.cns_context == "other cancer"
    assert by["zongertinib"].rank < tdxd.rank  # same-cancer intracranial data first


def test_ranking_rule_case_reports_and_other_cancers():
    kg = _graph_for_ranking()
    ans = answer_biomarker(kg, "B V1", cancer="cancer C")
    names = [h.name for h in ans.answers]
    # The trial (intracranial, randomised) ranks first; the single LM case report counts one
    # level less (intracranial) and is far weaker there; the other cancer's LM cohort counts
    # one level less too, and after same-cancer evidence at that level; then the PK study.
    assert names == ["trial", "case", "other", "pk"], names
    by = {h.name: h for h in ans.answers}
    assert by["other"].cns_context == "other cancer" and by["other"].cns_cancer == "cancer O"
    assert by["other"].cns_level == "lm_clinical"  # the record keeps its own level
    assert by["case"].score["cns_level"] == by["trial"].score["cns_level"] == 2
    assert by["trial"].score["cns_strength"] > by["case"].score["cns_strength"]
    assert any("[other cancer]" in x for x in by["other"].lm_evidence)
    # Without a cancer asked, the row's cancer is its biomarker evidence's (C): the same order.
    assert [h.name for h in answer_biomarker(kg, "B V1").answers] == names


def test_a_whole_answer_has_a_table_form(kg):
    from lmkg.graph.query.biomarker import answer_biomarker

    ans = answer_biomarker(kg, "EGFR T790M")
    html = ans._repr_html_()
    assert "<table>" in html and "osimertinib" in html and "resistance" in html
    frame = ans.to_frame()
    assert set(frame["section"]) == {"answer", "resistance"}
    assert list(frame[frame["section"] == "answer"]["name"]) == [h.name for h in ans.answers]


def test_a_drug_target_is_not_a_selection_biomarker(kg):
    """Naxitamab binds GD2, but its approval (neuroblastoma in bone or bone marrow) does not
    select patients by GD2: no 'approved' association may come out of it."""
    from lmkg.graph.query.biomarker import answer_biomarker

    rows = {h.name: h for h in answer_biomarker(kg, "GD2 expression").answers}
    assert rows["naxitamab"].relation == "acts on" and rows["naxitamab"].tier is None


# -- the cns cell: the level the row was ranked at, and what it needs to be read right ----------
CNS_CELLS = [
    # (biomarker, cancer, agent, the table's cns cell, the json's ranked level): QA 3, 11, 12.
    # Erlotinib's best record is one LM case report (pulsatile high-dose erlotinib, one patient):
    # ranked as intracranial, and the cell says why.
    ("EGFR exon 19 deletion", None, "erlotinib", "intracranial (LM case report)",
     "intracranial_response"),
    # Osimertinib's LM evidence is BLOOM (n=21 and more): LM clinical, nothing to add.
    ("EGFR exon 19 deletion", None, "osimertinib", "LM clinical", "lm_clinical"),
    # Furmonertinib's intracranial data are from EGFR T790M NSCLC: another biomarker's population.
    ("EGFR exon 19 deletion", None, "furmonertinib",
     "CSF/PK (intracranial; EGFR T790M: other biomarker)", "csf_pk"),
    # ... which is the same gene when the question is the gene.
    ("EGFR", None, "furmonertinib", "intracranial", "intracranial_response"),
    # Trastuzumab's LM evidence is intrathecal trastuzumab (NCT01325207, PMID 35948282); its
    # approval is for the IV drug.
    ("HER2", "breast cancer", "trastuzumab", "LM clinical (intrathecal)", "lm_clinical"),
    ("HER2", "breast cancer", "trastuzumab deruxtecan", "LM clinical", "lm_clinical"),
]


@pytest.mark.parametrize(("biomarker", "cancer", "agent", "cell", "ranked"), CNS_CELLS)
def test_the_cns_cell_shows_the_ranked_level_and_why(kg, biomarker, cancer, agent, cell,
                                                      ranked):
    from lmkg.cli.query import _cns_cell

    ans = answer_biomarker(kg, biomarker, cancer=cancer)
    row = next(h for h in ans.answers if h.name == agent)
    assert _cns_cell(kg, row) == cell
    assert row.cns_ranked_level == ranked
    assert row.score["cns_level"] == {"preclinical": 0, "csf_pk": 1, "intracranial_response": 2,
                                      "lm_clinical": 3}[ranked]


def test_dacomitinib_for_ex19del_is_not_ranked_on_uncommon_mutation_evidence(kg):
    """QA 11: its 100% intracranial ORR is from 16 patients with uncommon EGFR mutations."""
    ans = answer_biomarker(kg, "EGFR exon 19 deletion")
    dac = next(h for h in ans.answers if h.name == "dacomitinib")
    assert "uncommon" not in (dac.cns_evidence or {}).get("population", "")
    assert dac.cns_biomarker_context != "other biomarker"


def test_json_carries_the_cns_cell_fields(cli):
    doc = json.loads(cli("agents", "-b", "HER2", "--cancer", "breast cancer", "--format",
                         "json").output)
    tras = next(r for r in doc["answers"] if r["name"] == "trastuzumab")
    assert tras["cns_route"] == ["intrathecal"] and tras["cns_ranked_level"] == "lm_clinical"
    assert {"cns_lowered_by", "cns_biomarker", "cns_biomarker_context"} <= set(tras)
    assert "[intrathecal]" in tras["why"]


def test_ranking_rule_another_biomarkers_population_counts_one_level_less():
    """Evidence from another biomarker's population counts one level less, as another cancer's:
    an intracranial trial in the asked biomarker outranks an LM cohort in another one."""
    from lmkg.ontology.entities import Biomarker

    kg = _graph_for_ranking()
    kg.add_entity(Biomarker(id="lmkg:biomarker/b2", name="B V2", kind="mutation",
                            gene="lmkg:gene/g"))
    node = kg.node("lmkg:agent/other")
    node["cns_evidence"] = [{**node["cns_evidence"][0], "cancer": "lmkg:cancer/c",
                             "biomarker": "lmkg:biomarker/b2", "route": ["intrathecal"]}]
    ans = answer_biomarker(kg, "B V1", cancer="cancer C")
    by = {h.name: h for h in ans.answers}
    other = by["other"]
    assert other.cns_biomarker_context == "other biomarker" and other.cns_biomarker == "B V2"
    assert other.cns_lowered_by == ["other biomarker"] and other.score["cns_level"] == 2
    assert by["trial"].rank < other.rank
    assert other.cns_route == ["intrathecal"]
    from lmkg.cli.query import _cns_cell

    assert _cns_cell(kg, other) == "intracranial (LM; B V2: other biomarker; intrathecal)"


@pytest.mark.parametrize("biomarker", ["HER2-positive", "BRAF V600E", "EGFR exon 19 deletion"])
def test_a_regimen_never_takes_a_components_csf_directed_evidence(kg, biomarker):
    """Regimens are given systemically: intrathecal trastuzumab's LM data are trastuzumab's, not
    evidence for pertuzumab + trastuzumab + docetaxel (docs/queries.md, ranking rule 2)."""
    regimens = [h for h in answer_biomarker(kg, biomarker).answers if h.type == "Regimen"]
    assert regimens
    for h in regimens:
        assert not h.cns_route or not set(h.cns_route) <= {"intrathecal", "intraventricular"}, h
    by = {h.name: h for h in regimens}
    if biomarker == "HER2-positive":
        # trastuzumab's systemic LM cohort still counts for the regimen (no route given) ...
        assert by["pertuzumab + trastuzumab + docetaxel"].cns_level == "lm_clinical"
        # ... and trastuzumab alone keeps its intrathecal records, saying so.
        alone = next(h for h in answer_biomarker(kg, biomarker).answers if h.name == "trastuzumab")
        assert alone.cns_route == ["intrathecal"]


# With no cancer asked, a row names every cancer where its basis holds as strongly, for the same
# biomarker (the `cancer` cell and `evidence_cancers`): a regimen approved in three settings
# says so; T-DXd's HER2-mutant NSCLC approval is another biomarker's, not the HER2-positive
# basis's.
EVIDENCE_CANCERS = [
    ("BRAF V600E", "dabrafenib + trametinib",
     ["melanoma", "non-small cell lung cancer", "tissue-agnostic"]),
    ("BRAF V600E", "encorafenib + binimetinib", ["melanoma", "non-small cell lung cancer"]),
    ("BRAF V600E", "vemurafenib", ["melanoma"]),
    ("HER2", "trastuzumab deruxtecan", ["HER2-positive breast cancer", "tissue-agnostic"]),
]


@pytest.mark.parametrize("biomarker,name,cancers", EVIDENCE_CANCERS,
                         ids=[f"{q[0]}|{q[1]}" for q in EVIDENCE_CANCERS])
def test_a_row_names_every_cancer_of_its_basis(kg, biomarker, name, cancers):
    hit = next(h for h in answer_biomarker(kg, biomarker).answers if h.name == name)
    assert sorted(hit.evidence_cancers) == sorted(cancers)
    assert hit.evidence_cancers[0] == hit.evidence_cancer
