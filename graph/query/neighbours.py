"""Neighbourhoods: the entities within a few hops of one, nearest first."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import Any

from lmkg.errors import LmkgError

from ..kg import KnowledgeGraph
from .rows import Rows


def neighbours(kg: KnowledgeGraph, name: str, depth: int = 1,
               types: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Entities within ``depth`` hops (either direction), nearest first, with how they connect."""
    start = kg.resolve(name)
    wanted = set(types) if types else None
    if wanted:
        from lmkg.ontology import EntityType

        bad = wanted - set(EntityType.values())
        if bad:
            raise LmkgError(f"unknown entity type(s): {', '.join(sorted(bad))}")
    seen = {start: 0}
    parent: dict[str, tuple[str, str, str]] = {}
    queue = deque([start])
    while queue:
        cur = queue.popleft()
        if seen[cur] >= depth:
            continue
        for s, pred, o, _d in kg.relations_of(cur):
            other = o if s == cur else s
            if other not in seen:
                seen[other] = seen[cur] + 1
                parent[other] = (cur, pred, "out" if s == cur else "in")
                queue.append(other)
    rows = []
    for nid, dist in seen.items():
        if nid == start:
            continue
        node = kg.node(nid)
        if wanted and node["type"] not in wanted:
            continue
        frm, pred, direction = parent[nid]
        # ``via``: the entity one hop nearer and the relation, read towards this row
        # ("tucatinib -EVALUATED_IN->": the row is evaluated-in's object); ``link`` the whole.
        via, link = ((f"{kg.name_of(frm)} -{pred}->",
                      f"{kg.name_of(frm)} -{pred}-> {node['name']}") if direction == "out" else
                     (f"<-{pred}- {kg.name_of(frm)}",
                      f"{node['name']} -{pred}-> {kg.name_of(frm)}"))
        rows.append({"id": nid, "name": node["name"], "type": node["type"], "distance": dist,
                     "via": via, "link": link})
    rows.sort(key=lambda r: (r["distance"], r["type"], r["name"].casefold()))
    return Rows(rows)
