"""An agent's development stage in LM, derived once the graph holds every trial.

The global ``status`` of an agent is the highest stage it reached for anything (methotrexate is
approved); its **LM stage** says how far it got for leptomeningeal metastases specifically, from
the graph's own facts (docs/trials.md, "Development stage in LM"):

- ``approved``: a granted approval (any agency) whose indication is leptomeningeal (its
  FOR_INDICATION is the leptomeninges, or its wording names LM), still in force;
- ``withdrawn``: the agent's LM approvals were all withdrawn with the product (the agent's
  status ``withdrawn``: liposomal cytarabine), whatever its LM trials (graph/outcome.py);
- otherwise the highest phase among the LM trials (``lm_specific``) the agent is evaluated in,
  directly or as a component of a regimen; a phase 4 trial (a post-marketing study of a drug
  approved for something else) and a trial with no phase (``na``) set no stage, and are
  listed in the basis when nothing else is;
- unset when the agent has neither.

``lm_stage_basis`` lists what the stage rests on (the approvals, the trials at that phase, the
LM designations held) and ``lm_stage_note`` says when an LM application was refused,
not accepted for review or withdrawn (the designation record's ``outcome``), or an LM
approval was withdrawn with the product.
"""

from __future__ import annotations

from .kg import KnowledgeGraph
from .outcome import designation_outcome

LEPTOMENINGES = "lmkg:site/leptomeninges"
_LM_WORDS = ("leptomening", "lymphomatous meningitis", "neoplastic meningitis",
             "carcinomatous meningitis", "leukemic meningitis", "leukaemic meningitis")
_PHASE_STAGE = {"early_phase1": "early_phase1", "phase1": "phase1", "phase2": "phase2",
                "phase3": "phase3"}
SHOWN = 3  # trials named in the basis; the rest are counted
_STAGE_RANK = {"early_phase1": 0, "phase1": 1, "phase2": 2, "phase3": 3, "approved": 4}
_APPROVAL_TYPES = {"approval", "accelerated_approval", "conditional_approval"}
_OUTCOME_WORDS = {"refused": "refused", "refusal_to_file": "refused to file",
                  "application_withdrawn": "withdrawn by the applicant"}


def is_lm_indication(kg: KnowledgeGraph, designation: str) -> bool:
    """Whether an approval or designation is for LM: it points to the leptomeninges, or its
    indication names leptomeningeal disease or a neoplastic meningitis."""
    if any(o == LEPTOMENINGES for *_x, o, _d in kg.out_edges(designation, "FOR_INDICATION")):
        return True
    text = kg.node(designation).get("indication", "").casefold()
    return any(w in text for w in _LM_WORDS)


def trial_stage(node: dict) -> str | None:
    """The LM stage a trial gives its agents: its highest phase 1-3 (phase 4 and ``na`` give
    none)."""
    stages = [_PHASE_STAGE[p] for p in node.get("phases", ()) if p in _PHASE_STAGE]
    return max(stages, key=_STAGE_RANK.__getitem__) if stages else None


def _label(kg: KnowledgeGraph, nid: str) -> str:
    node = kg.node(nid)
    nct = next((x.split(":", 1)[1] for x in node.get("xrefs", ()) if x.startswith("NCT:")), None)
    name = node.get("name", nid)
    return f"{name} ({nct})" if nct and nct not in name else name


def derive_lm_stage(kg: KnowledgeGraph) -> int:
    """Set ``lm_stage``, ``lm_stage_basis`` and ``lm_stage_note`` on every agent; return how
    many agents have an LM stage. Earlier values are replaced (the graph may have grown)."""
    staged = 0
    for agent in kg.ids("Agent"):
        node = kg.node(agent)
        for k in ("lm_stage", "lm_stage_basis", "lm_stage_note"):
            node.pop(k, None)
        holders = [agent] + [s for s, *_ in kg.in_edges(agent, "HAS_COMPONENT")]
        trials: dict[str, str] = {}
        unstaged: list[str] = []
        for h in holders:
            for _s, _p, t, _d in kg.out_edges(h, "EVALUATED_IN"):
                tn = kg.node(t)
                if not tn.get("lm_specific"):
                    continue
                stage = trial_stage(tn)
                if stage:
                    trials[t] = stage
                elif t not in unstaged:
                    unstaged.append(t)
        approvals, withdrawn, designations, refused = [], [], [], []
        for h in holders:
            for _s, _p, d, _e in kg.out_edges(h, "HAS_DESIGNATION"):
                if not is_lm_indication(kg, d):
                    continue
                dn = kg.node(d)
                outcome = designation_outcome(kg, d)["outcome"]
                what = (f"{dn.get('agency', '?').upper()} {dn.get('designation_type', '')}"
                        .replace("_", " ") + (f" ({dn['date']})" if dn.get("date") else ""))
                if outcome == "withdrawn":
                    withdrawn.append(f"LM approval withdrawn since with the product: {what}: "
                                     f"{dn.get('indication', '')}")
                elif outcome != "granted":
                    refused.append(f"{what}: {_OUTCOME_WORDS.get(outcome, outcome)}")
                elif dn.get("designation_type") in _APPROVAL_TYPES:
                    approvals.append(f"LM approval: {what}: {dn.get('indication', '')}")
                else:
                    designations.append(f"LM designation: {what}")
        basis: list[str] = []
        if approvals:
            stage = "approved"
            basis += sorted(approvals)
        elif withdrawn:
            # Approved for LM once, and the product has been withdrawn since: not on the
            # market, and not in development either.
            stage = "withdrawn"
            basis += sorted(withdrawn)
        elif trials:
            stage = max(trials.values(), key=_STAGE_RANK.__getitem__)
            top = sorted((t for t, s in trials.items() if s == stage), key=lambda t: _label(kg, t))
            basis += [f"{stage.replace('_', ' ')} LM trial: {_label(kg, t)}" for t in top[:SHOWN]]
            if len(top) > SHOWN:
                basis.append(f"... and {len(top) - SHOWN} more {stage.replace('_', ' ')} LM "
                             "trials")
            basis.append(f"{len(trials) + len(unstaged)} LM trials in all")
        else:
            stage = None
            basis += [f"LM trial without a development phase ({', '.join(kg.node(t).get('phases', ())) or 'none'}): {_label(kg, t)}"
                      for t in sorted(unstaged, key=lambda t: _label(kg, t))[:SHOWN]]
        basis += sorted(designations)
        if refused:
            node["lm_stage_note"] = "LM application " + "; ".join(sorted(refused))
            basis += [f"refused LM application: {r}" for r in sorted(refused)]
        if stage:
            node["lm_stage"] = stage
            staged += 1
        if basis:
            node["lm_stage_basis"] = basis
    kg.version += 1
    return staged
