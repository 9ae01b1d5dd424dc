"""Company identity: which company a subsidiary or an acquired company rolls up to.

A company's **parent** is the company it is ``SUBSIDIARY_OF`` (a subsidiary, affiliate or
division, as curated with its source), else the company that ``ACQUIRED`` it (a completed
acquisition of the whole company; the latest one when it changed hands more than once). Its
**group** head is the end of that chain: Cascadian -> Seagen -> Pfizer gives Pfizer for all
three. Landscape tables, the map and the report show groups by default (``rollup``), and each
company on its own with ``--no-rollup``.

Name variants of one company (the eight spellings of Merck Sharp & Dohme in the FDA's orphan
export) are resolved at build time (:func:`lmkg.graph.names.company_key`); this module deals
with companies that are distinct legal entities of one group.
"""

from __future__ import annotations

import copy
from typing import Any

from .kg import KnowledgeGraph


def parent_of(kg: KnowledgeGraph) -> dict[str, str]:
    """Each company that has a parent -> its direct parent (see the module docstring)."""
    parents: dict[str, str] = {}
    for s, _p, o, _d in sorted(kg.edges("SUBSIDIARY_OF"), key=lambda e: (e[0], e[2])):
        parents.setdefault(s, o)
    acquired: dict[str, tuple[str, str]] = {}
    for s, _p, o, d in kg.edges("ACQUIRED"):
        when = str(d.get("date") or "")
        if o not in acquired or (when, s) > acquired[o]:
            acquired[o] = (when, s)
    for company, (_when, buyer) in acquired.items():
        parents.setdefault(company, buyer)
    return parents


def group_of(kg: KnowledgeGraph) -> dict[str, str]:
    """Every company -> the head of its group (itself when it has no parent).

    A cycle in the data (A subsidiary of B, B acquired by A) has no head: its members share
    the one with the smallest id, so every company still gets exactly one head and one group.
    """
    parents = parent_of(kg)
    heads: dict[str, str] = {}
    for c in kg.ids("Company"):
        seen = [c]
        cur = c
        while cur in parents and parents[cur] not in seen:
            cur = parents[cur]
            seen.append(cur)
        if cur in parents:  # stopped at a cycle: it starts where the parent was first met
            cur = min(seen[seen.index(parents[cur]):])
        heads[c] = cur
    return heads


def group_members(kg: KnowledgeGraph) -> dict[str, list[str]]:
    """Group head -> its other member companies (sorted by name); heads of one only omitted."""
    members: dict[str, list[str]] = {}
    for c, head in group_of(kg).items():
        if c != head:
            members.setdefault(head, []).append(c)
    return {h: sorted(m, key=lambda x: kg.name_of(x).casefold()) for h, m in members.items()}


def rolled_up(kg: KnowledgeGraph) -> KnowledgeGraph:
    """A copy of ``kg`` in which every company is merged into the head of its group.

    The head keeps its own id and name; it gains the members' names as synonyms (so that
    "Genentech" finds Roche) and a ``subsidiaries`` list (id and name of each member, with how
    it joined). Relations of a member are moved to the head, their sources merged; relations
    between members of one group (the acquisition itself) are dropped, as they would be loops.
    The source graph is not changed. ``meta["rolled_up"]`` records how many were merged. With
    nothing to merge the result shares ``kg``'s graph (read it; do not change it).
    """
    heads = group_of(kg)
    merged = {c: h for c, h in heads.items() if c != h}
    if not merged:  # nothing to merge: the same graph under the new meta, not a copy of it
        out = copy.copy(kg)
        out.meta = {**kg.meta, "rolled_up": 0}
        return out
    out = KnowledgeGraph()
    out.meta = {**kg.meta, "rolled_up": len(merged)}
    parents = parent_of(kg)
    how: dict[str, str] = {}
    for s, p, o, _d in kg.edges():
        if p in ("SUBSIDIARY_OF", "ACQUIRED"):
            child = s if p == "SUBSIDIARY_OF" else o
            parent = o if p == "SUBSIDIARY_OF" else s
            if parents.get(child) == parent:
                how[child] = "subsidiary" if p == "SUBSIDIARY_OF" else "acquired"
    members: dict[str, list[dict[str, Any]]] = {}
    for c, h in sorted(merged.items(), key=lambda kv: kg.name_of(kv[0]).casefold()):
        members.setdefault(h, []).append({"id": c, "name": kg.name_of(c),
                                          "via": how.get(c, "subsidiary"),
                                          "parent": kg.name_of(parents[c])})
    for nid, data in kg.g.nodes(data=True):
        if nid in merged:
            continue
        # A shallow copy: only the head's synonyms list is changed, and it is replaced.
        data = dict(data)
        if nid in members:
            names = {data.get("name", ""), *data.get("synonyms", ())}
            extra = []
            for m in members[nid]:
                mnode = kg.node(m["id"])
                for text in (mnode.get("name", ""), *mnode.get("synonyms", ())):
                    if text and text not in names:
                        names.add(text)
                        extra.append(text)
            data["synonyms"] = [*data.get("synonyms", ()), *extra]
            data["subsidiaries"] = members[nid]
        out.add_node_data(data)
    for s, o, k, d in kg.g.edges(keys=True, data=True):
        s2, o2 = merged.get(s, s), merged.get(o, o)
        if s2 == o2:
            continue
        # add_edge_data appends to the sources of an edge stated twice: give it its own list.
        # The key is the edge's own (it does not depend on the ends).
        out.add_edge_data(s2, d["predicate"], o2, {**d, "sources": list(d.get("sources", ()))},
                          key=k)
    return out
