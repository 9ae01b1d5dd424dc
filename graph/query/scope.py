"""Where an agent or a cancer reaches: class and subtype hierarchies, and a cancer's scope."""

from __future__ import annotations

from ..kg import KnowledgeGraph


def descendants(kg: KnowledgeGraph, nid: str, pred: str) -> set[str]:
    """``nid`` and everything reaching it by ``pred`` edges (subclasses, subtypes)."""
    seen, todo = {nid}, [nid]
    while todo:
        cur = todo.pop()
        for s, *_ in kg.in_edges(cur, pred):
            if s not in seen:
                seen.add(s)
                todo.append(s)
    return seen


def ancestors(kg: KnowledgeGraph, nid: str, pred: str) -> set[str]:
    """``nid`` and everything it reaches by ``pred`` edges (superclasses, parent cancers)."""
    seen, todo = {nid}, [nid]
    while todo:
        cur = todo.pop()
        for _s, _p, o, _d in kg.out_edges(cur, pred):
            if o not in seen:
                seen.add(o)
                todo.append(o)
    return seen


def cancer_scope(kg: KnowledgeGraph, cancer_id: str) -> set[str]:
    """A cancer with its subtypes and the broader cancers it is a subtype of."""
    return descendants(kg, cancer_id, "SUBTYPE_OF") | ancestors(kg, cancer_id, "SUBTYPE_OF")


def agent_in_scope(kg: KnowledgeGraph, agent: str, scope: set[str]) -> bool:
    """Whether the agent is approved for, developed for, trialled in or designated for ``scope``."""
    for _s, pred, o, _d in kg.out_edges(agent):
        if pred in ("APPROVED_FOR", "INVESTIGATED_FOR") and o in scope:
            return True
        if pred == "EVALUATED_IN" and any(x[2] in scope for x in kg.out_edges(o, "STUDIES")):
            return True
        if pred == "HAS_DESIGNATION" and any(
            x[2] in scope for x in kg.out_edges(o, "FOR_INDICATION")
        ):
            return True
    return False
