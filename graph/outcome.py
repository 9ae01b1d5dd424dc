"""What became of an approval or designation: in force, refused, or withdrawn.

Every view that lists approvals and designations (``landscape --by designation``, the report's
regulatory timeline and company profiles, the map's labels and timeline, the LM stage, the
pipeline) asks here, so that a refused application is never shown or counted as an approval.

The graph records two different things:

- what became of the **application** (the designation record's ``outcome``): ``granted`` (the
  default when unset), ``refused`` (an FDA complete response letter, a CHMP refusal),
  ``refusal_to_file``, or ``withdrawn`` by the applicant, before a decision or after approval
  (the vocabulary's one word for both). On an approval record it reads ``withdrawn`` (DepoCyte's
  EU authorisation, mobocertinib's accelerated approval: granted, then withdrawn); on another
  designation, ``application_withdrawn``;
- a **product withdrawn** after it was approved: the agent's development ``status`` is
  ``withdrawn`` (liposomal cytarabine, discontinued in 2017). Every approval it holds is then
  ``withdrawn`` (a regimen's, when a component is withdrawn); its other designations (orphan
  drug, breakthrough therapy) stay what they were: granted, in the past.

``outcome`` is one of ``granted``, ``refused``, ``refusal_to_file``,
``application_withdrawn`` and ``withdrawn``; only ``granted`` is in force.
"""

from __future__ import annotations

from typing import Any

from .kg import KnowledgeGraph

APPROVAL_TYPES = frozenset({"approval", "accelerated_approval", "conditional_approval"})
# outcome -> the words a table cell shows
OUTCOME_LABEL = {"granted": "granted", "refused": "refused", "refusal_to_file": "refused to file",
                 "application_withdrawn": "application withdrawn",
                 "withdrawn": "withdrawn"}
# The designation record's own outcome -> ours (its ``withdrawn`` is the application's).
_RECORD = {"granted": "granted", "refused": "refused", "refusal_to_file": "refusal_to_file",
           "withdrawn": "application_withdrawn"}


def is_withdrawn(kg: KnowledgeGraph, holder: str) -> bool:
    """Whether an agent was withdrawn after approval (status ``withdrawn``), or a regimen has
    a withdrawn component (it cannot be given without it)."""
    if kg.type_of(holder) == "Regimen":
        return any(kg.node(c).get("status") == "withdrawn"
                   for _s, _p, c, _d in kg.out_edges(holder, "HAS_COMPONENT"))
    return kg.node(holder).get("status") == "withdrawn"


def designation_outcome(kg: KnowledgeGraph, designation: str) -> dict[str, Any]:
    """The outcome of one approval or designation, as the views show it.

    ``outcome`` (see the module docstring), ``in_force`` (granted and not withdrawn),
    ``outcome_label`` (the table's words), ``outcome_date`` (the refusal's date: the record's
    ``date``; None for a product withdrawal, whose date the graph does not hold) and
    ``outcome_note`` (what it rests on: the record's name for a refusal; for a withdrawal,
    the withdrawn agents and their descriptions, whose sources are the agents').
    """
    node = kg.node(designation)
    outcome = _RECORD.get(node.get("outcome") or "granted", "granted")
    if outcome == "application_withdrawn" and node.get("designation_type") in APPROVAL_TYPES:
        outcome = "withdrawn"
    note = None
    if outcome != "granted":
        note = node.get("name")
    elif node.get("designation_type") in APPROVAL_TYPES:
        holders = [s for s, *_ in kg.in_edges(designation, "HAS_DESIGNATION")]
        gone = [h for h in holders if is_withdrawn(kg, h)]
        if holders and len(gone) == len(holders):
            outcome = "withdrawn"
            note = "; ".join(f"{kg.name_of(h)}: withdrawn after approval"
                             + (f" ({kg.node(h)['description']})"
                                if kg.node(h).get("description") else "")
                             for h in sorted(gone))
    return {"outcome": outcome, "in_force": outcome == "granted",
            "outcome_label": OUTCOME_LABEL[outcome],
            "outcome_date": node.get("date") if outcome not in ("granted", "withdrawn") else None,
            "outcome_note": note}


def type_label(kind: str | None, outcome: str) -> str:
    """A designation type with its outcome, for a table or a map label:
    ``approval (refused)``, ``accelerated approval (withdrawn)``, ``orphan drug``."""
    text = (kind or "?").replace("_", " ")
    return text if outcome == "granted" else f"{text} ({OUTCOME_LABEL[outcome]})"
