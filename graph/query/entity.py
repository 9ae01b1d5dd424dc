"""One entity as a card: its stored fields and every relation touching it, with sources."""

from __future__ import annotations

from typing import Any

from ..kg import KnowledgeGraph
from ..outcome import designation_outcome
from .epidemiology import epidemiology
from .guidelines import criteria_for, guideline_recommendations


def describe(kg: KnowledgeGraph, name: str) -> dict[str, Any]:
    """The entity ``name`` resolves to (by id, name, synonym, brand or code name) and its
    relations, outgoing first: ``{"entity": {...}, "relations": [{direction, relation,
    other_id, other, other_type, properties, sources}, ...]}``; a cancer also gets
    ``epidemiology`` (figures by named measure), a metastatic site ``criteria`` (its diagnostic
    and response criteria with their guideline sources), a guideline ``recommendations``; an
    approval withdrawn since with its product says so in its ``outcome``."""
    nid = kg.resolve(name)
    rels = []
    for s, pred, o, d in kg.relations_of(nid):
        outgoing = s == nid
        other = o if outgoing else s
        rels.append({
            "direction": "out" if outgoing else "in",
            "relation": pred,
            "other_id": other,
            "other": kg.name_of(other),
            "other_type": kg.type_of(other),
            "properties": {k: v for k, v in d.items() if k not in ("sources", "predicate")},
            "sources": d.get("sources", []),
        })
    card: dict[str, Any] = {"entity": dict(kg.node(nid)), "relations": rels}
    etype = kg.type_of(nid)
    if etype == "PrimaryCancer":
        card["epidemiology"] = epidemiology(kg, nid)
    if etype == "MetastaticSite":
        card["criteria"] = criteria_for(kg, nid)
    if etype == "RegulatoryDesignation":
        o = designation_outcome(kg, nid)
        if o["outcome"] == "withdrawn":  # derived (graph/outcome.py), not stored
            card["entity"]["outcome"] = f"withdrawn since: {o['outcome_note']}"
    if etype == "Guideline":
        card["recommendations"] = [r.as_dict() for r in guideline_recommendations(kg, nid)]
    return card
