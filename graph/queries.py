"""The questions users bring: agents for a biomarker, paths, neighbourhoods, landscape tables.

"CNS-penetrant" is derived from an agent's CNS-evidence records, never stored as a flag: an
agent is CNS-penetrant at level L when it has a *supporting* record at level L or above; the
default threshold is ``csf_pk`` (human CSF or brain-tissue drug levels), so preclinical data
alone never makes an agent CNS-penetrant. Levels, weakest first: ``preclinical``, ``csf_pk``,
``intracranial_response``, ``lm_clinical``. Every answer row says why it qualifies.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from lmkg.errors import LmkgError, NoPath
from lmkg.ontology import CNSEvidenceLevel, DevelopmentStatus

from .kg import Edge, KnowledgeGraph
from .propgraph import LEVEL_RANK, best_cns

MATCH_ORDER = {"direct": 0, "gene-level": 1, "class-level": 2}
DEFAULT_MIN_LEVEL = CNSEvidenceLevel.CSF_PK
_STATUS_RANK = {s.value: s.rank for s in DevelopmentStatus}


@dataclass
class AgentHit:
    """One agent in an answer to "which agents target X", with why it is there."""

    id: str
    name: str
    match: str  # direct | gene-level | class-level
    via: list[str]
    classes: list[str]
    companies: list[str]
    status: str
    cns_level: str | None
    cns_penetrant: bool
    cns_evidence: dict[str, Any] | None
    cns_records: int
    cns_weight: float
    approved_for: list[str]
    why: str
    sources: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


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


def _ancestors(kg: KnowledgeGraph, nid: str, pred: str) -> set[str]:
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
    return descendants(kg, cancer_id, "SUBTYPE_OF") | _ancestors(kg, cancer_id, "SUBTYPE_OF")


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


# How much a supporting record weighs within its level: by the design of the study behind it
# (``study_design``), else by the kind of publication cited. A trial outweighs a cohort, which
# outweighs a case report; a secondary source (press release, review, news) counts half; each
# source counts once, by its best record, so one study split into many metrics is one study.
DESIGN_WEIGHT = {"randomized_trial": 4.0, "meta_analysis": 3.0, "single_arm_trial": 3.0,
                 "trial_subgroup": 2.5, "cohort": 2.0, "pk_study": 2.0, "case_series": 1.5,
                 "case_report": 1.0, "preclinical": 0.5, "dataset": 0.5}
KIND_WEIGHT = {"trial_report": 3.0, "cohort": 2.0, "case_series": 1.5, "review": 0.5,
               "guideline": 1.0, "label": 2.0, "preclinical": 0.5, "dataset": 0.5, "other": 1.0}


def record_weight(kg: KnowledgeGraph, record: dict[str, Any]) -> float:
    weight = DESIGN_WEIGHT.get(record.get("study_design") or "")
    if weight is None:
        kind = None
        sid = record["source"].get("id")
        if sid:
            pubs = kg.lookup(sid, types=["Publication"])
            if pubs:
                kind = kg.node(pubs[0]).get("kind")
        weight = KIND_WEIGHT.get(kind or "other", 1.0)
    return weight * (0.5 if record["source"].get("secondary") else 1.0)


def evidence_weight(kg: KnowledgeGraph, evidence: list[dict[str, Any]], level: str | None) -> float:
    """Sum over the distinct sources of supporting records at ``level`` of their best weight."""
    if level is None:
        return 0.0
    best: dict[str, float] = {}
    for e in evidence:
        if e["level"] != level or e.get("direction", "supports") != "supports":
            continue
        key = e["source"].get("id") or e["source"].get("url") or repr(e["source"])
        best[key] = max(best.get(key, 0.0), record_weight(kg, e))
    return sum(best.values())


def explain_cns(best: dict[str, Any] | None, min_level: CNSEvidenceLevel) -> str:
    if best is None:
        return "no supporting CNS evidence recorded"
    src = best["source"].get("id") or best["source"].get("url")
    pop = f" in {best['population']}" if best.get("population") else ""
    fact = f"{best['metric']} {best['value']}{pop} [{src}]"
    if LEVEL_RANK[best["level"]] >= min_level.rank:
        return f"CNS-penetrant ({best['level']} >= {min_level.value}): {fact}"
    return f"not shown CNS-penetrant (best evidence {best['level']} < {min_level.value}): {fact}"


def agents_for_biomarker(
    kg: KnowledgeGraph,
    biomarker: str,
    cancer: str | None = None,
    cns_min_level: CNSEvidenceLevel | str | None = None,
    status: str | None = None,
) -> list[AgentHit]:
    """The agents that target a biomarker or gene, ranked by strength of CNS evidence.

    An alteration (EGFR T790M) also brings the agents that target its gene (labelled
    ``gene-level``); a gene (EGFR) brings the agents that target any of its alterations; a drug
    class that targets either brings its member agents (``class-level``). ``cns_min_level``
    keeps only agents CNS-penetrant at that level; ``status`` is ``approved`` or
    ``investigational``; ``cancer`` keeps agents approved, in development, trialled or
    designated for that cancer (its subtypes and parents included).

    >>> import lmkg
    >>> kg = lmkg.build()
    >>> [h.name for h in agents_for_biomarker(kg, "EGFR", cns_min_level="csf_pk")][:1]
    ['osimertinib']
    """
    target = kg.resolve(biomarker, types=["Biomarker", "Gene"])
    min_level = CNSEvidenceLevel(cns_min_level) if cns_min_level else None
    if status not in (None, "approved", "investigational"):
        raise LmkgError(f"status must be approved or investigational, not {status!r}")

    targets: dict[str, tuple[str, str | None]] = {target: ("direct", None)}
    if kg.type_of(target) == "Biomarker":
        for _s, _p, gene, _d in kg.out_edges(target, "ALTERATION_OF"):
            targets[gene] = ("gene-level", kg.name_of(gene))
    else:
        for alt, *_ in kg.in_edges(target, "ALTERATION_OF"):
            targets[alt] = ("direct", kg.name_of(alt))

    found: dict[str, dict[str, Any]] = {}

    def note(agent: str, kind: str, via: str | None, sources: list[dict[str, Any]]) -> None:
        rec = found.setdefault(agent, {"match": kind, "via": [], "sources": []})
        if MATCH_ORDER[kind] < MATCH_ORDER[rec["match"]]:
            rec["match"] = kind
        if via and via not in rec["via"]:
            rec["via"].append(via)
        keys = {s.get("id") or s.get("url") for s in rec["sources"]}
        rec["sources"] += [s for s in sources if (s.get("id") or s.get("url")) not in keys]

    for t, (kind, via) in targets.items():
        for x, _p, _o, d in kg.in_edges(t, "TARGETS"):
            xtype = kg.type_of(x)
            if xtype == "Agent":
                note(x, kind, via, d.get("sources", []))
            elif xtype == "DrugClass":
                for cls in descendants(kg, x, "SUBCLASS_OF"):
                    for agent, *_ in kg.in_edges(cls, "MEMBER_OF"):
                        label = f"class {kg.name_of(x)}" + (f" ({via})" if via else "")
                        note(agent, "class-level", label, d.get("sources", []))

    scope = cancer_scope(kg, kg.resolve(cancer, types=["PrimaryCancer", "MetastaticSite"])) \
        if cancer else None
    threshold = min_level or DEFAULT_MIN_LEVEL
    hits: list[AgentHit] = []
    for agent, rec in found.items():
        node = kg.node(agent)
        evidence = node.get("cns_evidence", [])
        best = best_cns(evidence)
        level = best["level"] if best else None
        if best is not None:  # the strongest record at the best level is the one shown
            best = max((e for e in evidence if e["level"] == level
                        and e.get("direction", "supports") == "supports"),
                       key=lambda e: record_weight(kg, e))
        if min_level is not None and (best is None or LEVEL_RANK[level] < min_level.rank):
            continue
        st = node.get("status", "")
        if status == "approved" and st != "approved":
            continue
        if status == "investigational" and st == "approved":
            continue
        if scope is not None and not agent_in_scope(kg, agent, scope):
            continue
        sources = list(rec["sources"])
        if best and best["source"] not in sources:
            sources.append(best["source"])
        why_match = {"direct": "targets it directly",
                     "gene-level": "targets the gene (gene-level)",
                     "class-level": "member of a class that targets it"}[rec["match"]]
        via = f" via {', '.join(rec['via'])}" if rec["via"] else ""
        hits.append(AgentHit(
            id=agent, name=node["name"], match=rec["match"], via=rec["via"],
            classes=sorted(kg.name_of(o) for _s, _p, o, _d in kg.out_edges(agent, "MEMBER_OF")),
            companies=sorted({kg.name_of(o) for _s, _p, o, _d in
                              kg.out_edges(agent, "DEVELOPED_BY")}),
            status=st, cns_level=level,
            cns_penetrant=bool(best and LEVEL_RANK[level] >= DEFAULT_MIN_LEVEL.rank),
            cns_evidence=best,
            cns_records=sum(1 for e in evidence if e.get("direction", "supports") == "supports"
                            and best and e["level"] == level),
            cns_weight=evidence_weight(kg, evidence, level),
            approved_for=sorted({kg.name_of(o) for _s, _p, o, _d in
                                 kg.out_edges(agent, "APPROVED_FOR")}),
            why=f"{why_match}{via}; {explain_cns(best, threshold)}",
            sources=sources,
        ))
    hits.sort(key=lambda h: (
        -(LEVEL_RANK[h.cns_level] if h.cns_level else -1),
        -h.cns_weight,
        MATCH_ORDER[h.match],
        -_STATUS_RANK.get(h.status, -1),
        h.name.casefold(),
    ))
    return hits


# -- paths ---------------------------------------------------------------------------------------
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


_PROJECTIONS: dict[int, dict[Any, nx.Graph]] = {}


def _projection(kg: KnowledgeGraph, via: frozenset[str] | None) -> nx.Graph:
    """An undirected simple graph over the relations allowed (cached per graph and filter)."""
    cache = _PROJECTIONS.setdefault(id(kg), {})
    key = (kg.version, via)
    if key not in cache:
        cache.clear()
        und = nx.Graph()
        und.add_nodes_from(kg.g.nodes)
        und.add_edges_from((s, o) for s, o, k in kg.g.edges(keys=True)
                           if via is None or k in via)
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
    return found[:k]


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
    adj = graph.adj
    if a not in adj or b not in adj:
        return []
    view = graph if allowed is None else nx.subgraph_view(graph, filter_node=allowed)
    if allowed is None:
        def allowed(_n: str) -> bool:
            return True
    dist = _distance(adj, a, b, max_hops, allowed)
    if dist is None:
        return []
    out: list[list[str]] = []
    try:
        for length in range(dist, max_hops + 1):
            h = length // 2
            left = _half_paths(adj, a, h, forbid=b, allowed=allowed, budget=budget)
            right = _half_paths(adj, b, length - h, forbid=a, allowed=allowed, budget=budget,
                                may_end_at_forbidden=(h == 0))
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
            if u in path or not allowed(u):
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


# -- neighbourhoods ------------------------------------------------------------------------------
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
        link = (f"{kg.name_of(frm)} -{pred}-> {node['name']}" if direction == "out"
                else f"{node['name']} -{pred}-> {kg.name_of(frm)}")
        rows.append({"id": nid, "name": node["name"], "type": node["type"], "distance": dist,
                     "via": link})
    rows.sort(key=lambda r: (r["distance"], r["type"], r["name"].casefold()))
    return rows


# -- landscape tables ----------------------------------------------------------------------------
LANDSCAPE_VIEWS = ("company", "class", "biomarker", "phase", "designation", "cancer")


def landscape(kg: KnowledgeGraph, by: str, lm_only: bool = False) -> list[dict[str, Any]]:
    """The strategist's tables: pipeline counts and lists grouped one way.

    ``lm_only`` (designation view) keeps designations whose indication is leptomeningeal.
    """
    if by not in LANDSCAPE_VIEWS:
        raise LmkgError(f"--by must be one of {', '.join(LANDSCAPE_VIEWS)}, not {by!r}")
    return list(_VIEWS[by](kg, lm_only))


def _agents_row(kg: KnowledgeGraph, agents: Iterable[str]) -> dict[str, Any]:
    agents = sorted(set(agents), key=lambda a: kg.name_of(a).casefold())
    statuses = [kg.node(a).get("status", "") for a in agents]
    return {
        "agents": len(agents),
        "approved": sum(1 for s in statuses if s == "approved"),
        "investigational": sum(1 for s in statuses if s not in ("approved", "discontinued",
                                                                 "withdrawn")),
        "cns_penetrant": sum(1 for a in agents
                             if (b := best_cns(kg.node(a).get("cns_evidence", [])))
                             and LEVEL_RANK[b["level"]] >= DEFAULT_MIN_LEVEL.rank),
        "agent_names": [f"{kg.name_of(a)} ({kg.node(a).get('status', '?')})" for a in agents],
    }


def _by_company(kg: KnowledgeGraph, _lm: bool) -> Iterator[dict[str, Any]]:
    for c in kg.ids("Company"):
        agents = sorted(s for s, *_ in kg.in_edges(c, "DEVELOPED_BY"))
        trials = sorted(s for s, *_ in kg.in_edges(c, "SPONSORED_BY"))
        desig = [o for a in agents for *_x, o, _d in kg.out_edges(a, "HAS_DESIGNATION")]
        yield {"company": kg.name_of(c), "id": c, **_agents_row(kg, agents),
               "trials": len(trials), "designations": len(set(desig)),
               "note": kg.node(c).get("lm_programme_note")}


def _by_class(kg: KnowledgeGraph, _lm: bool) -> Iterator[dict[str, Any]]:
    for c in kg.ids("DrugClass"):
        members = [a for cls in descendants(kg, c, "SUBCLASS_OF")
                   for a, *_ in kg.in_edges(cls, "MEMBER_OF")]
        parents = sorted(kg.name_of(o) for _s, _p, o, _d in kg.out_edges(c, "SUBCLASS_OF"))
        yield {"class": kg.name_of(c), "id": c, "parent": parents, **_agents_row(kg, members)}


def _by_biomarker(kg: KnowledgeGraph, _lm: bool) -> Iterator[dict[str, Any]]:
    for b in kg.ids("Biomarker"):
        hits = agents_for_biomarker(kg, b)
        genes = sorted(kg.name_of(o) for _s, _p, o, _d in kg.out_edges(b, "ALTERATION_OF"))
        cancers = sorted(kg.name_of(o) for _s, _p, o, _d in kg.out_edges(b, "OCCURS_IN"))
        yield {"biomarker": kg.name_of(b), "id": b, "gene": genes, "cancers": cancers,
               "direct": sum(1 for h in hits if h.match == "direct"),
               **_agents_row(kg, [h.id for h in hits])}


def _by_phase(kg: KnowledgeGraph, _lm: bool) -> Iterator[dict[str, Any]]:
    groups: dict[str, list[str]] = {}
    for a in kg.ids("Agent"):
        groups.setdefault(kg.node(a).get("status", "unknown"), []).append(a)
    for st in sorted(groups, key=lambda s: -_STATUS_RANK.get(s, -1)):
        yield {"phase": st, **_agents_row(kg, groups[st])}


def is_lm_indication(kg: KnowledgeGraph, designation: str) -> bool:
    node = kg.node(designation)
    if any(o == "lmkg:site/leptomeninges" for *_x, o, _d in
           kg.out_edges(designation, "FOR_INDICATION")):
        return True
    text = node.get("indication", "").casefold()
    return any(w in text for w in ("leptomening", "lymphomatous meningitis",
                                   "neoplastic meningitis", "carcinomatous meningitis"))


def _by_designation(kg: KnowledgeGraph, lm_only: bool) -> Iterator[dict[str, Any]]:
    rows = []
    for d in kg.ids("RegulatoryDesignation"):
        node = kg.node(d)
        lm = is_lm_indication(kg, d)
        if lm_only and not lm:
            continue
        holders = sorted(s for s, *_ in kg.in_edges(d, "HAS_DESIGNATION"))
        companies = sorted({kg.name_of(o) for h in holders
                            for _s, _p, o, _d in kg.out_edges(h, "DEVELOPED_BY")})
        srcs = [s for h in sorted(kg.in_edges(d, "HAS_DESIGNATION"), key=lambda e: e[0])
                for s in h[3].get("sources", [])]
        rows.append({
            "agent": [kg.name_of(h) for h in holders], "agency": node["agency"],
            "type": node["designation_type"], "indication": node["indication"],
            "date": node.get("date"), "lm_indication": lm, "companies": companies,
            "id": d, "sources": [s.get("id") or s.get("url") for s in
                                 [*node.get("sources", []), *srcs]],
        })
    rows.sort(key=lambda r: (r["agency"], r["type"], r["date"] or "", r["indication"]))
    yield from rows


def _by_cancer(kg: KnowledgeGraph, _lm: bool) -> Iterator[dict[str, Any]]:
    for c in kg.ids("PrimaryCancer"):
        scope = descendants(kg, c, "SUBTYPE_OF")
        agents = [a for a in kg.ids("Agent") if agent_in_scope(kg, a, scope)]
        biomarkers = sorted({kg.name_of(s) for x in scope for s, *_ in kg.in_edges(x, "OCCURS_IN")})
        trials = {s for x in scope for s, *_ in kg.in_edges(x, "STUDIES")}
        node = kg.node(c)
        yield {"cancer": node["name"], "id": c, "biomarkers": biomarkers,
               "trials": len(trials), "lm_incidence": [f"{f['value']} ({f.get('population') or f['metric']})"
                                                       for f in node.get("lm_incidence", [])],
               **_agents_row(kg, agents)}


_VIEWS = {"company": _by_company, "class": _by_class, "biomarker": _by_biomarker,
          "phase": _by_phase, "designation": _by_designation, "cancer": _by_cancer}
