"""Explained paths between two entities: the k shortest simple paths, with sources per hop."""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from lmkg.errors import LmkgError, NoPath

from ..kg import Edge, KnowledgeGraph
from .rows import Rows


@dataclass
class Hop:
    """One step of a path: from ``a`` to ``b`` over the relations that join them."""

    a: str
    b: str
    edges: list[Edge]

    @property
    def best(self) -> Edge:
        return max(self.edges, key=lambda e: (not e[3].get("derived"), edge_strength(e)))


def edge_strength(edge: Edge) -> float:
    """How well sourced a relation is: 1 per primary source, 0.5 per secondary one."""
    return sum(0.5 if s.get("secondary") else 1.0 for s in edge[3].get("sources", []))


@dataclass
class GraphPath:
    nodes: list[str]
    hops: list[Hop]

    @property
    def weakest(self) -> float:
        return min(edge_strength(h.best) for h in self.hops) if self.hops else 0.0

    def chain(self, kg: KnowledgeGraph) -> str:
        parts = [kg.name_of(self.nodes[0])]
        for hop in self.hops:
            s, pred, _o, _d = hop.best
            arrow = f" -{pred}-> " if s == hop.a else f" <-{pred}- "
            parts.append(arrow + kg.name_of(hop.b))
        return "".join(parts)

    def as_dict(self, kg: KnowledgeGraph) -> dict[str, Any]:
        hops = []
        for hop in self.hops:
            s, pred, _o, d = hop.best
            hops.append({
                "from": kg.name_of(hop.a), "from_id": hop.a,
                "relation": pred, "direction": "forward" if s == hop.a else "backward",
                "to": kg.name_of(hop.b), "to_id": hop.b,
                "derived": d.get("derived"),
                "sources": d.get("sources", []),
                "other_relations": [e[1] for e in hop.edges if e is not hop.best],
            })
        return {"chain": self.chain(kg), "length": len(self.hops),
                "weakest_evidence": self.weakest, "hops": hops}


# Keyed by the graph object itself, weakly: an id() could be reused by a later graph (and its
# version count could match), which would answer from a graph that no longer exists.
_PROJECTIONS: weakref.WeakKeyDictionary[KnowledgeGraph, dict[Any, nx.Graph]] = (
    weakref.WeakKeyDictionary())


def _projection(kg: KnowledgeGraph, via: frozenset[str] | None) -> nx.Graph:
    """An undirected simple graph over the relations allowed (cached per graph and filter)."""
    cache = _PROJECTIONS.setdefault(kg, {})
    key = (kg.version, via)
    if key not in cache:
        cache.clear()
        und = nx.Graph()
        und.add_nodes_from(kg.g.nodes)
        und.add_edges_from((s, o) for s, o, p in kg.g.edges(data="predicate")
                           if via is None or p in via)
        cache[key] = und
    return cache[key]


def shortest_paths(
    kg: KnowledgeGraph,
    source: str,
    target: str,
    max_hops: int = 4,
    k: int = 3,
    via: Iterable[str] | None = None,
    avoid: Iterable[str] | None = None,
    rank: str = "length",
) -> list[GraphPath]:
    """The ``k`` shortest simple paths between two entities, ignoring edge direction.

    ``via`` limits the relation verbs walked, ``avoid`` the entity types passed through (the
    ends are always allowed). ``rank="evidence"`` orders the paths found within ``max_hops``
    by their weakest hop's sourcing (strongest first), then by length. Raises :class:`NoPath`.

    >>> import lmkg
    >>> kg = lmkg.build()
    >>> shortest_paths(kg, "tucatinib", "breast cancer")[0].chain(kg)  # doctest: +ELLIPSIS
    'tucatinib -...-> ...breast cancer'
    """
    if k < 1 or max_hops < 1:
        raise LmkgError("k and max_hops must be at least 1")
    a = kg.resolve(source)
    b = kg.resolve(target)
    if a == b:
        raise LmkgError(f"{source!r} and {target!r} are the same entity ({a})")
    via_set = frozenset(v.upper() for v in via) if via else None
    if via_set:
        from lmkg.ontology import RelationType

        bad = via_set - set(RelationType.values())
        if bad:
            raise LmkgError(f"unknown relation(s) in --via: {', '.join(sorted(bad))}")
    avoid_set = set(avoid or ())
    if avoid_set:
        from lmkg.ontology import EntityType

        bad = avoid_set - set(EntityType.values())
        if bad:
            raise LmkgError(f"unknown entity type(s) in --avoid: {', '.join(sorted(bad))}")
    graph: nx.Graph = _projection(kg, via_set)
    allowed = None
    if avoid_set:
        types = nx.get_node_attributes(kg.g, "type")

        def allowed(n: str) -> bool:
            return n in (a, b) or types[n] not in avoid_set

    limit = k if rank == "length" else max(k * 5, 10)
    found = [_as_path(kg, nodes, via_set)
             for nodes in k_shortest_simple_paths(graph, a, b, max_hops, limit, allowed)]
    if not found:
        limits = f"within {max_hops} hops"
        if via_set:
            limits += f" over {', '.join(sorted(via_set))}"
        if avoid_set:
            limits += f" avoiding {', '.join(sorted(avoid_set))}"
        raise NoPath(f"no path from {kg.name_of(a)} to {kg.name_of(b)} {limits}")
    if rank == "evidence":
        found.sort(key=lambda p: (-p.weakest, len(p.hops)))
    else:
        found.sort(key=lambda p: (len(p.hops), -p.weakest))
    return Rows(found[:k], record=lambda p: p.as_dict(kg))


class _TooMany(Exception):
    pass


def k_shortest_simple_paths(graph: nx.Graph, a: str, b: str, max_hops: int, k: int,
                            allowed: Callable[[str], bool] | None = None,
                            budget: int = 300_000) -> list[list[str]]:
    """Up to ``k`` simple paths from ``a`` to ``b`` of at most ``max_hops``, shortest first.

    Meet in the middle: for each length L from the distance up, the simple paths of length
    L // 2 from ``a`` and L - L // 2 from ``b`` are joined where they meet and share no other
    node. With hop limits of a few steps this touches only the two small balls around the
    ends, where Yen's algorithm (networkx) re-runs a search per spur node; it falls back to
    networkx when the balls grow beyond ``budget`` partial paths. Ties within one length are
    returned in a stable order (by node ids); callers re-rank by evidence.
    """
    # The plain dict of dicts behind graph.adj: each adj[v] of the view makes a new view
    # object, and the walks below look a node's neighbours up for every partial path.
    adj = graph._adj
    if a not in adj or b not in adj:
        return []
    view = graph if allowed is None else nx.subgraph_view(graph, filter_node=allowed)
    dist = _distance(adj, a, b, max_hops, allowed or _anything)
    if dist is None:
        return []
    out: list[list[str]] = []
    halves: dict[tuple[str, int, bool], dict[str, list[tuple[str, ...]]]] = {}

    def half(start: str, length: int, forbid: str, may_end: bool = False):
        # Successive lengths need the same halves again (3 = 1 + 2, 4 = 2 + 2): made once.
        key = (start, length, may_end)
        if key not in halves:
            halves[key] = _half_paths(adj, start, length, forbid=forbid, allowed=allowed,
                                      budget=budget, may_end_at_forbidden=may_end)
        return halves[key]

    try:
        for length in range(dist, max_hops + 1):
            h = length // 2
            left = half(a, h, b)
            right = half(b, length - h, a, h == 0)
            batch = []
            for m in left.keys() & right.keys():
                for p in left[m]:
                    ps = set(p)
                    for q in right[m]:
                        if ps.isdisjoint(q[:-1]):
                            batch.append([*p, *q[-2::-1]])
            batch.sort()
            out.extend(batch[: k - len(out)])
            if len(out) >= k:
                break
    except _TooMany:
        out = []
        for nodes in nx.shortest_simple_paths(view, a, b):
            if len(nodes) - 1 > max_hops or len(out) >= k:
                break
            out.append(nodes)
    return out


def _anything(_n: str) -> bool:
    return True


def _distance(adj, a: str, b: str, max_hops: int, allowed) -> int | None:
    """Hop distance by bidirectional BFS, or None beyond ``max_hops``."""
    if a == b:
        return 0
    seen_a, seen_b = {a: 0}, {b: 0}
    front_a, front_b = [a], [b]
    da = db = 0
    while front_a and front_b and da + db < max_hops:
        if len(front_a) <= len(front_b):
            da += 1
            nxt = []
            for v in front_a:
                for u in adj[v]:
                    if u in seen_a or not allowed(u):
                        continue
                    if u in seen_b:
                        return da + seen_b[u]
                    seen_a[u] = da
                    nxt.append(u)
            front_a = nxt
        else:
            db += 1
            nxt = []
            for v in front_b:
                for u in adj[v]:
                    if u in seen_b or not allowed(u):
                        continue
                    if u in seen_a:
                        return db + seen_a[u]
                    seen_b[u] = db
                    nxt.append(u)
            front_b = nxt
    return None


def _half_paths(adj, start: str, length: int, forbid: str, allowed, budget: int,
                may_end_at_forbidden: bool = False) -> dict[str, list[tuple[str, ...]]]:
    """Simple paths of exactly ``length`` hops from ``start``, grouped by their last node."""
    out: dict[str, list[tuple[str, ...]]] = {}
    count = 0
    stack: list[tuple[str, ...]] = [(start,)]
    while stack:
        path = stack.pop()
        if len(path) - 1 == length:
            out.setdefault(path[-1], []).append(path)
            count += 1
            if count > budget:
                raise _TooMany
            continue
        last = path[-1]
        for u in adj[last]:
            if u in path or (allowed is not None and not allowed(u)):
                continue
            if u == forbid and not (may_end_at_forbidden and len(path) == length):
                continue
            stack.append((*path, u))
    return out


def _as_path(kg: KnowledgeGraph, nodes: list[str], via: frozenset[str] | None) -> GraphPath:
    hops = []
    for u, v in itertools.pairwise(nodes):
        edges = [(u, k, v, d) for k, d in (kg.g.get_edge_data(u, v) or {}).items()]
        edges += [(v, k, u, d) for k, d in (kg.g.get_edge_data(v, u) or {}).items()]
        if via:
            edges = [e for e in edges if e[1] in via]
        hops.append(Hop(u, v, edges))
    return GraphPath(nodes, hops)


def run_paths(kg: KnowledgeGraph, source: str, target: str, limits: Any = None,
              **options: Any) -> list[dict[str, Any]]:
    """:func:`shortest_paths` as plain dicts (:meth:`GraphPath.as_dict`), computed in a worker
    bounded by ``limits`` (a :class:`~lmkg.graph.query.limits.QueryLimits`: time and memory;
    ``k`` is the row cap). Names are resolved first, here, so unknown names fail fast."""
    from .limits import QueryLimits, run_limited

    kg.resolve(source)
    kg.resolve(target)

    def run(_state: None):
        found = shortest_paths(kg, source, target, **options)
        return ["path"], ([p.as_dict(kg)] for p in found)

    limits = limits or QueryLimits()
    _, rows = run_limited(lambda: None, run, QueryLimits(limits.timeout, 0, limits.max_memory_mb),
                          what="the path search", hint="lower --max-hops or -k, or use --via")
    return [r[0] for r in rows]
