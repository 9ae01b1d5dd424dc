"""What became of approvals and designations (QA 1): a refused application is never shown or
counted as an approval, and an approval withdrawn with its product says so, in every view that
lists them and in the answers."""

from __future__ import annotations

import json

import pytest

from lmkg.graph import KnowledgeGraph
from lmkg.graph.outcome import designation_outcome
from lmkg.graph.query import answer_biomarker, landscape
from lmkg.graph.query.pipeline import regulatory_events
from lmkg.ontology import BY_PREDICATE, Agent, Biomarker, PrimaryCancer, RelationType

D = "lmkg:designation/"
OUTCOMES = [
    # The CHMP recommended refusal, and the FDA's complete response letter.
    (D + "omburtamab-ema-maa-refused", "refused", False),
    (D + "omburtamab-fda-bla-refused", "refused", False),
    # DepoCyt's approvals: granted, then the product was discontinued (status withdrawn).
    (D + "liposomal-cytarabine-fda-approval-lymphomatous-meningitis", "withdrawn", False),
    (D + "liposomal-cytarabine-fda-accelerated-approval-lymphomatous-meningitis", "withdrawn",
     False),
    # Approval records the curators marked withdrawn: granted, then withdrawn (the EC withdrew
    # DepoCyte's authorisation in 2018; Takeda withdrew Exkivity in 2023), not an application
    # withdrawn before a decision.
    (D + "liposomal-cytarabine-ec-approval-lymphomatous-meningitis", "withdrawn", False),
    (D + "mobocertinib-fda-accelerated_approval-egfr-exon20-nsclc", "withdrawn", False),
    # A designation of a refused agent is what it was: granted.
    (D + "omburtamab-fda-breakthrough-therapy-neuroblastoma-cns-lm", "granted", True),
]


@pytest.mark.parametrize("designation,outcome,in_force", OUTCOMES)
def test_designation_outcome(kg, designation, outcome, in_force):
    assert designation in kg, designation
    got = designation_outcome(kg, designation)
    assert (got["outcome"], got["in_force"]) == (outcome, in_force)


def test_landscape_by_designation_says_refused_and_withdrawn(kg, cli):
    rows = {r["id"]: r for r in landscape(kg, "designation")}
    lm = {r["id"] for r in landscape(kg, "designation", lm_only=True)}
    assert D + "omburtamab-fda-bla-refused" in lm and D + \
        "liposomal-cytarabine-ec-approval-lymphomatous-meningitis" in lm
    for designation, outcome, _in_force in OUTCOMES:
        label = {"granted": "granted", "refused": "refused", "withdrawn": "withdrawn"}[outcome]
        assert rows[designation]["outcome"] == label
    refused = rows[D + "omburtamab-fda-bla-refused"]
    assert refused["outcome_date"] == "2022-12-05" and refused["in_force"] is False
    # Table, csv and json all carry it.
    table = cli("landscape", "--by", "designation", "--lm-only", "--wide").output
    line = next(x for x in table.splitlines() if "omburtamab" in x and "2022-12-05" in x)
    assert "refused" in line
    csv = cli("landscape", "--by", "designation", "--lm-only", "--format", "csv").output
    assert csv.splitlines()[0].split(",")[3] == "outcome"
    js = json.loads(cli("landscape", "--by", "designation", "--lm-only", "--format",
                        "json").output)
    assert {r["outcome"] for r in js if r["id"] == D + "omburtamab-ema-maa-refused"} == \
        {"refused"}


def test_lm_stage_of_a_withdrawn_lm_approval(kg):
    node = kg.node("lmkg:agent/liposomal-cytarabine")
    assert node["lm_stage"] == "withdrawn"
    assert any("withdrawn" in b for b in node["lm_stage_basis"])
    # No agent is counted as holding an LM approval in force on a refused application.
    assert kg.node("lmkg:agent/omburtamab")["lm_stage"] != "approved"


def test_regulatory_events_carry_the_outcome(kg):
    ev = {e["id"]: e for e in regulatory_events(kg)}
    assert ev[D + "omburtamab-fda-bla-refused"]["outcome_label"] == "refused"
    assert ev[D + "liposomal-cytarabine-fda-approval-lymphomatous-meningitis"]["outcome"] == \
        "withdrawn"


def test_report_never_lists_a_refused_application_as_an_approval(kg):
    from lmkg.viz.report import Table, build_report

    rep = build_report(kg)
    reg = next(s for s in rep.sections if s.id == "regulatory")
    lm = next(b for b in reg.blocks if isinstance(b, Table) and b.id == "reg-lm")
    omb = [r for r in lm.rows if r[3] == "omburtamab" and r[2].startswith("Approval")]
    assert omb and all(r[2] == "Approval: refused" for r in omb), omb
    dep = [r for r in lm.rows if r[3] == "liposomal cytarabine"]
    assert dep and all(r[2].endswith(": withdrawn") for r in dep), dep
    ymabs = next(s for sec in rep.sections for s in sec.subsections
                 if s.id == "company-y-mabs-therapeutics")
    des = next(b for b in ymabs.blocks if isinstance(b, Table) and b.id.endswith("-designations"))
    assert "Approval" not in [r[2] for r in des.rows]  # only "Approval: refused"
    glance = " ".join(rep.at_a_glance)
    assert "0 with an approval for a leptomeningeal indication in force" in glance
    assert "withdrawn since: liposomal cytarabine" in glance
    comp = next(s for s in rep.sections if s.id == "competitive")
    groups = next(b for b in comp.blocks if isinstance(b, Table) and b.id == "approvals-by-group")
    # Y-mAbs: naxitamab's accelerated approval, not omburtamab's two refused applications.
    assert {r[0]: r[1] for r in groups.rows}["Y-mAbs Therapeutics, Inc."] == 1


def test_map_labels_and_timeline_say_refused(kg):
    from lmkg.viz.map import display_label, map_data

    assert display_label(kg.node(D + "omburtamab-fda-bla-refused"), "refused") == \
        "FDA approval 2022 refused"
    data = map_data(kg, [D + "omburtamab-fda-bla-refused", "lmkg:agent/omburtamab",
                         D + "liposomal-cytarabine-fda-approval-lymphomatous-meningitis",
                         "lmkg:agent/liposomal-cytarabine"])
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    assert labels[D + "omburtamab-fda-bla-refused"] == "FDA approval 2022 refused"
    assert labels[D + "liposomal-cytarabine-fda-approval-lymphomatous-meningitis"] == \
        "FDA approval 2007 withdrawn"
    outcomes = {data["nodes"][e["node"]]["id"]: e["outcome"] for e in data["events"]}
    assert outcomes[D + "omburtamab-fda-bla-refused"] == "refused"
    card = dict(next(n for n in data["nodes"] if n["id"] == D + "omburtamab-fda-bla-refused")
                ["facts"])
    assert card["outcome"].startswith("refused")


# -- the answers: an association resting only on a withdrawn approval ---------------------------
def _graph(agents: dict[str, tuple[str, str]]) -> KnowledgeGraph:
    """One biomarker in one cancer; each agent: (status, tier of its association)."""
    src = {"id": "PMID:1", "note": "n"}
    kg = KnowledgeGraph()
    kg.add_entity(PrimaryCancer.model_validate({"id": "lmkg:cancer/c", "name": "cancer C"}))
    kg.add_entity(Biomarker.model_validate({"id": "lmkg:biomarker/b", "name": "B V1"}))
    for name, (status, tier) in agents.items():
        a = Agent.model_validate({"id": f"lmkg:agent/{name}", "name": name, "status": status})
        kg.add_entity(a)
        kg.add_relation(BY_PREDICATE[RelationType.PREDICTS_RESPONSE](
            subject="lmkg:biomarker/b", object=a.id, direction="sensitivity", tier=tier,
            cancer="lmkg:cancer/c", sources=[src]))
    return kg


WITHDRAWN_RULE = [
    # (agents, expected order): a withdrawn approval ranks below every current approval and
    # below a guideline; it counts as the trial evidence it rested on (ties go by status:
    # a trial agent in phase 3 before the withdrawn one).
    ({"current": ("approved", "approved"), "gone": ("withdrawn", "approved")},
     ["current", "gone"]),
    ({"gone": ("withdrawn", "approved"), "recommended": ("phase3", "guideline")},
     ["recommended", "gone"]),
    ({"gone": ("withdrawn", "approved"), "trialled": ("phase3", "clinical_trial"),
      "reported": ("phase2", "case_report")},
     ["trialled", "gone", "reported"]),
]


@pytest.mark.parametrize("agents,order", WITHDRAWN_RULE)
def test_a_withdrawn_approval_ranks_below_current_approvals(agents, order):
    ans = answer_biomarker(_graph(agents), "B V1")
    assert [h.name for h in ans.answers] == order
    gone = next(h for h in ans.answers if h.name == "gone")
    assert gone.withdrawn_approval and gone.tier == "approved"
    assert gone.score["biomarker"] == 3  # the clinical-trial tier
    assert "approved (withdrawn)" in gone.basis


def test_the_evidence_cell_says_withdrawn():
    from lmkg.cli.query import _evidence_cell

    kg = _graph({"current": ("approved", "approved"), "gone": ("withdrawn", "approved")})
    by = {h.name: h for h in answer_biomarker(kg, "B V1").answers}
    assert _evidence_cell(kg, by["gone"]) == "approved (withdrawn)"
    assert _evidence_cell(kg, by["current"]) == "approved"


def test_show_says_an_approval_was_withdrawn(cli):
    out = cli("show", D + "liposomal-cytarabine-fda-approval-lymphomatous-meningitis").output
    assert "outcome: withdrawn since: liposomal cytarabine: withdrawn after approval" in out
