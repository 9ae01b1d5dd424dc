"""One entity as a card: its stored fields and every relation touching it, with sources."""

from __future__ import annotations

from typing import Any

from ..kg import KnowledgeGraph


def describe(kg: KnowledgeGraph, name: str) -> dict[str, Any]:
    """The entity ``name`` resolves to (by id, name, synonym, brand or code name) and its
    relations, outgoing first: ``{"entity": {...}, "relations": [{direction, relation,
    other_id, other, other_type, properties, sources}, ...]}``."""
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
    return {"entity": dict(kg.node(nid)), "relations": rels}
