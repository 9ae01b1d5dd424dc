"""The interactive landscape map: one self-contained HTML file over the knowledge graph.

``select_nodes`` picks the part of the graph to draw (a neighbourhood, the subgraph around a
cancer, company or biomarker, some entity types); ``map_data`` turns it into the page's data
(nodes, edges, the sources they cite, the views' items; positions come from
:mod:`lmkg.viz.layout`, so the browser runs no physics); ``render_html`` inlines vis-network
(read from the installed pyvis package), our script, our stylesheet and the data, packed by
:mod:`lmkg.viz.pagedata`, into one file that makes no request to any host; ``page_data`` reads
a page's data back.

Everything taken from the data reaches the page only as JSON inside a
``<script type="application/json">`` element with ``<``, ``>`` and ``&`` escaped, and the page
builds its text with ``textContent``: a name cannot close the script or inject markup.
"""

from __future__ import annotations

import html
import json
import re
from collections import deque
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from lmkg.errors import LmkgError
from lmkg.graph import KnowledgeGraph, normalise
from lmkg.graph._gc import paused_gc
from lmkg.graph.outcome import designation_outcome
from lmkg.graph.query import descendants
from lmkg.ontology import PREFIXES, EntityType
from lmkg.ontology.curie import split_curie

from .layout import OVERVIEW_TYPES, force_layout, layered_layout, place_near
from .pagedata import node_size, pack, unpack
from .style import EDGE_STYLE, MODALITY_STYLE, NODE_STYLE, TYPE_LABEL

HERE = Path(__file__).resolve().parent

# Above this many nodes the page opens on the most-connected ones (an overview), not on all.
DEFAULT_MAX_NODES = 2500
DEFAULT_OVERVIEW = 1500

# When collecting the subgraph around a cancer, company or biomarker, paths do not continue
# through these: every cancer metastasizes to the leptomeninges and every fact cites a paper,
# so passing through them would bring in the whole graph.
NO_PASS_THROUGH = frozenset({
    EntityType.PUBLICATION, EntityType.METASTATIC_SITE, EntityType.COUNTRY, EntityType.REGION,
    EntityType.REGULATORY_AGENCY, EntityType.PRIMARY_CANCER,
})
FACET_TYPES: dict[str, tuple[str, ...]] = {
    "cancer": (EntityType.PRIMARY_CANCER,),
    "company": (EntityType.COMPANY,),
    "biomarker": (EntityType.BIOMARKER, EntityType.GENE),
}

_SKIP_FIELDS = {"id", "name", "type", "synonyms", "xrefs", "description", "sources",
                "cns_evidence", "epidemiology", "performance", "subsidiaries"}
# Above this many entities the map opens on the landscape layers only (OVERVIEW_TYPES).
OPEN_ALL_TYPES_UP_TO = 300
_FIELD_LABEL = {"status": "global status", "lm_stage": "LM stage",
                "lm_stage_basis": "LM stage rests on", "lm_stage_note": "LM application", "lm_specific": "LM-specific", "designation_type": "type",
                "lm_programme_note": "LM programme", "first_author": "first author",
                "key_result": "key result", "start_date": "start", "iso_code": "ISO code",
                "headquarters": "headquarters"}


# -- choosing what to draw -----------------------------------------------------------------------
def _within(kg: KnowledgeGraph, starts: set[str], depth: int,
            blocked: Callable[[str], bool] = lambda _n: False) -> set[str]:
    """``starts`` and every entity within ``depth`` hops, edges read both ways; a ``blocked``
    entity is reached but not walked through."""
    seen = dict.fromkeys(starts, 0)
    queue = deque(starts)
    while queue:
        cur = queue.popleft()
        if seen[cur] >= depth or blocked(cur):
            continue
        for other in _adjacent(kg, cur):
            if other not in seen:
                seen[other] = seen[cur] + 1
                queue.append(other)
    return set(seen)


def neighbourhood(kg: KnowledgeGraph, start: str, depth: int) -> set[str]:
    """``start`` and every entity within ``depth`` hops of it, edges read both ways."""
    return _within(kg, {start}, depth)


def connected_subgraph(kg: KnowledgeGraph, anchor: str, depth: int = 2) -> set[str]:
    """What a strategist means by "everything about" a cancer, company or biomarker.

    The anchor (a cancer with its subtypes), then entities within ``depth`` hops of it, where
    paths do not continue through :data:`NO_PASS_THROUGH` types (papers, sites, countries,
    other cancers). HER2-positive breast cancer gives its biomarkers, the agents approved for,
    trialled or designated in it and those targeting its biomarkers, their companies and trials.
    """
    anchors = ({anchor} if kg.type_of(anchor) != EntityType.PRIMARY_CANCER
               else descendants(kg, anchor, "SUBTYPE_OF"))
    return _within(kg, anchors, depth,
                   lambda n: n not in anchors and kg.type_of(n) in NO_PASS_THROUGH)


def _adjacent(kg: KnowledgeGraph, nid: str) -> Iterable[str]:
    yield from kg.g.successors(nid)
    yield from kg.g.predecessors(nid)


def select_nodes(
    kg: KnowledgeGraph,
    focus: str | None = None,
    depth: int = 1,
    types: Iterable[str] | None = None,
    cancer: str | None = None,
    company: str | None = None,
    biomarker: str | None = None,
) -> set[str]:
    """The ids to draw: the intersection of every restriction given (all nodes when none).

    Names are resolved like everywhere in lmkg (any name, synonym or xref); an unknown or
    ambiguous name raises :class:`lmkg.UnknownEntity` / :class:`lmkg.AmbiguousName`.
    """
    chosen = set(kg.g.nodes)
    if focus:
        chosen &= neighbourhood(kg, kg.resolve(focus), depth)
    for facet, name in (("cancer", cancer), ("company", company), ("biomarker", biomarker)):
        if name:
            chosen &= connected_subgraph(kg, kg.resolve(name, types=FACET_TYPES[facet]))
    if types:
        wanted = {str(t) for t in types}
        bad = wanted - set(EntityType.values())
        if bad:
            raise LmkgError(f"unknown entity type(s): {', '.join(sorted(bad))} "
                            f"(known: {', '.join(EntityType.values())})")
        chosen = {n for n in chosen if kg.g.nodes[n]["type"] in wanted}
    return chosen


# -- the page's data -----------------------------------------------------------------------------
def safe_href(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) link, else None (no ``javascript:`` in an href)."""
    if not url or not isinstance(url, str):
        return None
    return _safe_href(url)


@cache
def _netloc(url: str) -> str:
    return urlsplit(url).netloc


@cache
def _safe_href(url: str) -> str | None:
    # The same few thousand source URLs recur on every node and edge that cites them.
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def curie_link(curie: str) -> dict[str, Any]:
    """``PMID:123`` -> label "PubMed 123" and the PubMed URL (no link for unknown prefixes)."""
    try:
        prefix, local = split_curie(curie)
    except ValueError:
        return {"label": curie, "href": None}
    spec = PREFIXES.get(prefix)
    if spec is None:
        return {"label": curie, "href": None}
    return {"label": f"{spec.label} {local}", "href": safe_href(spec.expand(local))}


def source_entry(src: dict[str, Any]) -> dict[str, Any]:
    """A source as the page shows it: link label, href, note, scope, secondary."""
    if src.get("id"):
        entry = curie_link(src["id"])
        if src.get("url"):
            entry["href"] = safe_href(src["url"]) or entry["href"]
    else:
        href = safe_href(src.get("url"))
        label = src.get("title") or (_netloc(href) if href else src.get("url") or "?")
        entry = {"label": label, "href": href}
    for key in ("note", "scope", "title"):
        if src.get(key) and not (key == "title" and entry["label"] == src[key]):
            entry[key] = str(src[key])
    if src.get("secondary"):
        entry["secondary"] = True
    return entry


def _source_key(src: dict[str, Any]) -> str:
    return src.get("id") or src.get("url") or json.dumps(src, sort_keys=True)


class SourceTable:
    """Every source the map cites, each entry written once (``data["sources"]``): nodes, edges
    and deals name theirs by row number.

    Citations that show the same (label, link, note, scope, ...) are one entry. ``group[r]`` is
    the first entry of the same source (the same id, else URL: one paper cited on two relations
    with two notes is two entries of one group); "Sources of its relations" shows one entry a
    group and leaves out the groups the entity cites itself (:func:`related_sources`).
    """

    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []
        self.group: list[int] = []
        self._of_src: dict[int, int] = {}
        self._of_entry: dict[Any, int] = {}
        self._of_key: dict[str, int] = {}
        self._held: list[dict[str, Any]] = []

    def row(self, src: dict[str, Any]) -> int:
        """The row of ``src``'s entry (made the first time: the same source dicts recur on
        every node and edge that cites them)."""
        r = self._of_src.get(id(src))
        if r is not None:
            return r
        entry = source_entry(src)
        try:  # entries hold text and flags, made in one key order: their items are the key
            content: Any = tuple(entry.items())
            hash(content)
        except TypeError:
            content = json.dumps(entry, sort_keys=True)
        r = self._of_entry.get(content)
        if r is None:
            r = self._of_entry[content] = len(self.entries)
            self.entries.append(entry)
            self.group.append(self._of_key.setdefault(_source_key(src), r))
        self._of_src[id(src)] = r
        self._held.append(src)  # an id stays this object's only while the object lives
        return r

    def rows(self, srcs: Iterable[dict[str, Any]]) -> list[int]:
        """The rows of ``srcs``, each once, in their order."""
        return list(dict.fromkeys(self.row(s) for s in srcs))


def related_sources(data: dict[str, Any], i: int) -> list[int]:
    """The sources of node ``i``'s relations that it does not cite itself, as its card shows
    them under "Sources of its relations" (the page works them out from the edges; this is the
    same in Python): one entry a source, the first cited, in the order of the relations."""
    group = data["source_group"]
    own = {group[r] for r in data["nodes"][i]["sources"]}
    first: dict[int, int] = {}
    for e in data["edges"]:
        if e["from"] == i or e["to"] == i:
            for r in e["sources"]:
                first.setdefault(group[r], r)
    return [r for g, r in first.items() if g not in own]


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(_fmt(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value).replace("_", " ") if isinstance(value, str) and re.fullmatch(
        r"[a-z0-9_]+", value) else str(value)


def _figure_text(fig: dict[str, Any]) -> str:
    pop = f" ({fig['population']})" if fig.get("population") else ""
    return f"{fig.get('metric', '')}: {fig.get('value', '')}{pop}"


def node_facts(kg: KnowledgeGraph, nid: str) -> tuple[list[list[str]], list[dict[str, Any]]]:
    """The entity's key facts as (label, text) rows, and the sources behind them."""
    data = kg.g.nodes[nid]
    facts: list[list[str]] = []
    sources: list[dict[str, Any]] = []
    for key, value in data.items():
        if key in _SKIP_FIELDS or value in (None, "", [], ()):
            continue
        facts.append([_FIELD_LABEL.get(key, key.replace("_", " ")), _fmt(value)])
    if data.get("type") == EntityType.REGULATORY_DESIGNATION:
        o = designation_outcome(kg, nid)
        facts = [f for f in facts if f[0] != "outcome"]
        if o["outcome"] != "granted":
            facts.insert(0, ["outcome", o["outcome_label"] + (f": {o['outcome_note']}"
                                                                if o["outcome_note"] else "")])
    if data.get("gene") and data["gene"] in kg.g:
        facts = [f for f in facts if f[0] != "gene"] + [["gene", kg.name_of(data["gene"])]]
    for m in data.get("subsidiaries", ()):
        via = "acquired" if m.get("via") == "acquired" else "subsidiary"
        through = "" if m.get("parent") == data.get("name") else f" via {m.get('parent')}"
        facts.append(["group member", f"{m['name']} ({via}{through})"])
    for fig in data.get("epidemiology", ()):
        pop = f" ({fig['population']})" if fig.get("population") else ""
        facts.append([fig["measure"].replace("_", " "), f"{fig['value']}{pop}"])
        if fig.get("source"):
            sources.append(fig["source"])
    for perf in data.get("performance", ()):
        figures = ", ".join(f"{k} {perf[k]}" for k in ("sensitivity", "specificity")
                            if perf.get(k))
        facts.append(["performance", f"{figures} vs {perf['reference_standard']} "
                                     f"({perf['population']})"])
        if perf.get("source"):
            sources.append(perf["source"])
    evidence = sorted(data.get("cns_evidence", ()),
                      key=lambda e: _LEVEL_RANK.get(e.get("level"), -1), reverse=True)
    for ev in evidence:
        direction = "" if ev.get("direction", "supports") == "supports" else \
            f" [{ev['direction']}]"
        facts.append([f"CNS evidence ({_fmt(ev.get('level', ''))})",
                      _figure_text(ev) + direction])
        if ev.get("source"):
            sources.append(ev["source"])
    sources = list(data.get("sources", ())) + sources
    return facts, sources


_LEVEL_RANK = {"preclinical": 0, "csf_pk": 1, "intracranial_response": 2, "lm_clinical": 3}


def _edge_facts(data: dict[str, Any]) -> list[list[str]]:
    return [[k.replace("_", " "), _fmt(v)] for k, v in data.items()
            if k not in ("sources", "predicate", "derived") and v not in (None, "", [], ())]


_LEGAL_FORM = re.compile(r"(?:[,.]?\s+(?:inc|incorporated|ltd|limited|llc|plc|corp|corporation|"
                         r"company,?\s+limited|co\.,?\s+ltd|gmbh|ag|sa|s\.a|nv|kk|lp|s\.p\.a))+\.?$",
                         re.IGNORECASE)
_AGENCY_SHORT = {"fda": "FDA", "ema": "EMA", "ec": "EC", "pmda": "PMDA", "mhlw": "MHLW",
                 "nmpa": "NMPA", "mhra": "MHRA", "health_canada": "Health Canada", "tga": "TGA",
                 "swissmedic": "Swissmedic", "mfds": "MFDS"}
_DESIGNATION_SHORT = {"approval": "approval", "accelerated_approval": "accelerated appr.",
                      "conditional_approval": "conditional appr.", "orphan_drug": "orphan drug",
                      "fast_track": "fast track", "breakthrough_therapy": "breakthrough",
                      "priority_review": "priority review",
                      "rare_pediatric_disease": "rare pediatric", "prime": "PRIME",
                      "sakigake": "SAKIGAKE"}


_OUTCOME_SHORT = {"refused": "refused", "refusal_to_file": "not filed",
                  "application_withdrawn": "appl. withdrawn", "withdrawn": "withdrawn"}


def display_label(data: dict[str, Any], outcome: str = "granted") -> str:
    """The short label the map draws next to a node (the full name is in its card).

    Companies without their legal form ("F. Hoffmann-La Roche Ltd" -> "F. Hoffmann-La Roche"),
    designations as agency, type and year ("FDA orphan drug 2017": they sit next to their
    agent) and what became of them when not granted or withdrawn since (``outcome``,
    graph/outcome.py: "FDA approval 2022 refused"), papers as first author and year; anything
    longer than 30 characters is cut (a designation's outcome is never cut off).
    """
    name = str(data.get("name") or data.get("id", ""))
    kind = data.get("type")
    if kind == "Company":
        name = _LEGAL_FORM.sub("", name).strip(" ,") or name
    elif kind == "RegulatoryDesignation" and data.get("agency"):
        year = str(data.get("date") or "")[:4]
        name = " ".join(x for x in (_AGENCY_SHORT.get(data["agency"], str(data["agency"])),
                                    _DESIGNATION_SHORT.get(data.get("designation_type", ""),
                                                           str(data.get("designation_type", ""))),
                                    year) if x)
        if outcome != "granted":
            word = _OUTCOME_SHORT.get(outcome, outcome)
            return _cut(name, 29 - len(word)) + " " + word
    elif kind == "Publication" and data.get("first_author") and data.get("year"):
        name = f"{data['first_author']} {data['year']}"
    return _cut(name, 30)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


@paused_gc()  # many small acyclic objects: a collection would find no garbage (graph/_gc.py)
def map_data(
    kg: KnowledgeGraph,
    nodes: Iterable[str] | None = None,
    title: str = "LM therapeutic landscape",
    max_nodes: int = DEFAULT_MAX_NODES,
    overview_size: int = DEFAULT_OVERVIEW,
    subtitle: str | None = None,
    rollup: bool = True,
) -> dict[str, Any]:
    """Everything the page needs, as one JSON-ready dict (docs/map.md, "The page's data").

    ``rollup`` (default) draws each company group as its head (Seagen and Cascadian inside
    Pfizer; :mod:`lmkg.graph.companies`); deals between members stay on the timeline.
    """
    source_kg = kg
    chosen_set = set(kg.g.nodes) if nodes is None else set(nodes)
    if rollup:
        from lmkg.graph.companies import group_of, rolled_up

        heads = group_of(kg)
        kg = rolled_up(kg)
        chosen_set = {heads.get(n, n) for n in chosen_set}
    chosen = sorted(chosen_set)
    index = {nid: i for i, nid in enumerate(chosen)}
    # The whole graph is its own subgraph: networkx's subgraph view filters every step.
    sub = kg.g if len(chosen_set) == len(kg.g) else kg.g.subgraph(chosen)
    degree = dict(sub.degree(chosen))
    if len(chosen) > max_nodes:
        # A large graph opens on its most connected entities (the overview, below): the force
        # layout runs on those, and the rest are placed beside what they are linked to, which
        # is where a focus or "Show all" brings them in (the layout was 45% of the map's
        # time at 5,000 nodes, growing faster than the graph).
        core = [chosen[i] for i in sorted(range(len(chosen)),
                                          key=lambda i: (-degree[chosen[i]], i))[:overview_size]]
        positions = place_near(sub, force_layout(sub, core), chosen)
    else:
        positions = force_layout(sub, chosen)
    types_of = {n: kg.g.nodes[n]["type"] for n in chosen}
    open_types = sorted({t for t in types_of.values()} if len(chosen) <= OPEN_ALL_TYPES_UP_TO
                        else {t for t in types_of.values() if t in OVERVIEW_TYPES}
                        or set(types_of.values()))
    outcomes = {n: designation_outcome(kg, n)["outcome"] for n in chosen
                if types_of[n] == EntityType.REGULATORY_DESIGNATION}
    labels = {n: display_label(kg.g.nodes[n], outcomes.get(n, "granted")) for n in chosen}
    layers, headers = layered_layout(sub, chosen, types_of,
                                     sized=[n for n in chosen if types_of[n] in open_types],
                                     label_chars={n: len(t) for n, t in labels.items()})

    # The vis-network records are plain dicts made here (pyvis supplies vis-network itself):
    # pyvis's add_node and add_edge check each record against those added before it (its
    # add_edge is quadratic: 1.5 s for 14,000 edges), and the page reads four fields of them.
    records = [{"label": labels[nid], "x": positions[nid][0], "y": positions[nid][1],
                "size": node_size(degree[nid])} for nid in chosen]
    edge_list = [(s, o, d["predicate"], d) for s, o, d in sub.edges(data=True)]

    cite = SourceTable()
    out_nodes = []
    for rec, nid in zip(records, chosen, strict=True):
        d = kg.g.nodes[nid]
        facts, own = node_facts(kg, nid)
        keys = {normalise(t) for t in (d.get("name", ""), *d.get("synonyms", ()),
                                       nid.split("/", 1)[1]) if t}
        for x in d.get("xrefs", ()):
            keys.add(normalise(x))
            keys.add(normalise(x.split(":", 1)[-1]))
        out_nodes.append({
            "id": nid, "name": d.get("name", nid), "label": rec["label"], "type": d["type"],
            "x": rec["x"], "y": rec["y"], "lx": layers[nid][0], "ly": layers[nid][1],
            "size": rec["size"],
            "synonyms": list(d.get("synonyms", ())),
            "description": d.get("description"),
            # The filter is by development stage in LM (lm_stage, docs/trials.md); an agent
            # with no LM trial or approval is listed apart, its global status in its facts.
            "status": (d.get("lm_stage") or NO_LM_STAGE) if d["type"] == EntityType.AGENT
            else None,
            "facts": facts,
            "xrefs": [curie_link(x) for x in d.get("xrefs", ())],
            "sources": cite.rows(own),
            "keys": sorted(k for k in keys if k),
            "degree": degree[nid],
        })
    out_edges = []
    for s, o, pred, d in edge_list:
        out_edges.append({
            "from": index[s], "to": index[o], "rel": pred,
            "facts": _edge_facts(d),
            "sources": cite.rows(d.get("sources", ())),
            "derived": d.get("derived"),
        })

    type_counts: dict[str, int] = {}
    for n in out_nodes:
        type_counts[n["type"]] = type_counts.get(n["type"], 0) + 1
    rel_counts: dict[str, int] = {}
    for e in out_edges:
        rel_counts[e["rel"]] = rel_counts.get(e["rel"], 0) + 1
    types = [{"name": t.value, "label": TYPE_LABEL[t.value], "color": NODE_STYLE[t][0],
              "shape": NODE_STYLE[t][1], "count": type_counts[t.value]}
             for t in EntityType if t.value in type_counts]
    relations = [{"name": r, "color": EDGE_STYLE[r][0], "dashes": EDGE_STYLE[r][1],
                  "count": c} for r, c in sorted(rel_counts.items())]

    facets: dict[str, list[dict[str, Any]]] = {}
    chosen_set = set(chosen)
    for facet, ftypes in FACET_TYPES.items():
        entries = []
        for nid in chosen:
            if kg.g.nodes[nid]["type"] in ftypes:
                members = connected_subgraph(kg, nid) & chosen_set
                entries.append({"node": index[nid], "name": kg.name_of(nid),
                                "type": kg.g.nodes[nid]["type"],
                                "members": sorted(index[m] for m in members)})
        entries.sort(key=lambda e: e["name"].casefold())
        facets[facet] = entries
    statuses = sorted({n["status"] for n in out_nodes if n["status"]},
                      key=lambda s: _STATUS_ORDER.get(s, 99))

    overview = None
    if len(out_nodes) > max_nodes:
        ranked = sorted(range(len(out_nodes)), key=lambda i: (-out_nodes[i]["degree"], i))
        overview = sorted(ranked[:overview_size])
    from .views import view_data

    views = view_data(kg, source_kg, index, heads if rollup else {}, cite.row)
    gone = left_out(source_kg, set(chosen), heads if rollup else {}, len(out_edges))

    return {
        "title": title,
        "subtitle": subtitle,
        "built_at": kg.meta.get("built_at"),
        # The graph's own counts (before the roll-up), and what the map leaves out of them.
        "graph_nodes": gone["graph_nodes"],
        "graph_edges": gone["graph_edges"],
        "left_out": gone,
        "left_out_text": "drew " + left_out_text(gone),
        "nodes": out_nodes,
        "edges": out_edges,
        "types": types,
        "relations": relations,
        "statuses": statuses,
        "facets": facets,
        "overview": overview,
        "open_types": open_types,
        "layers": headers,
        "rollup": rollup,
        "modalities": [{"name": m, "label": lab, "color": c} for m, (lab, c) in
                       MODALITY_STYLE.items()],
        **views,
        "sources": cite.entries,
        "source_group": cite.group,
    }


def left_out(kg: KnowledgeGraph, drawn: set[str], heads: dict[str, str],
             drawn_edges: int) -> dict[str, Any]:
    """What the map does not draw of the graph ``kg``, and why (docs/map.md, "What the map
    leaves out"), so that its counts add up to the graph's: ``drawn`` (the ids on the map) +
    ``rolled_up`` (companies drawn inside their group's head, which has their names;
    ``--no-rollup`` draws them) + ``outside_selection`` (left out by ``--focus``, ``--cancer``,
    ``--types``, ...) = the graph's entities; drawn relations + ``relations_within_a_group``
    (between members of one group: the acquisition itself) + ``relations_merged`` (stated on
    two members of a group about one entity, drawn once on the head) +
    ``relations_outside_selection`` = the graph's relations."""
    members = sorted((c for c, h in heads.items() if h != c and h in drawn),
                     key=lambda c: kg.name_of(c).casefold())
    considered = within = total_e = 0
    for s, o in kg.g.edges():  # (counted here: a multigraph's number_of_edges walks them again)
        total_e += 1
        s2, o2 = heads.get(s, s), heads.get(o, o)
        if s2 in drawn and o2 in drawn:
            considered += 1
            within += s2 == o2
    total_n = kg.g.number_of_nodes()
    return {
        "graph_nodes": total_n, "graph_edges": total_e,
        "drawn_nodes": len(drawn), "drawn_edges": drawn_edges,
        "rolled_up": [{"id": c, "name": kg.name_of(c), "head": heads[c],
                       "head_name": kg.name_of(heads[c])} for c in members],
        "outside_selection": total_n - len(drawn) - len(members),
        "relations_within_a_group": within,
        "relations_merged": considered - within - drawn_edges,
        "relations_outside_selection": total_e - considered,
    }


def left_out_text(info: dict[str, Any]) -> str:
    """One sentence on what the map leaves out of the graph, for the CLI and the page footer."""
    parts = []
    if info["rolled_up"]:
        n = len(info["rolled_up"])
        parts.append(f"{n} compan{'y' if n == 1 else 'ies'} drawn inside their group's head "
                     f"(--no-rollup draws them)")
    if info["outside_selection"]:
        parts.append(f"{info['outside_selection']} entities outside the selection")
    rel = []
    if info["relations_within_a_group"]:
        rel.append(f"{info['relations_within_a_group']} within a company group")
    if info["relations_merged"]:
        rel.append(f"{info['relations_merged']} drawn once on a group's head")
    if info["relations_outside_selection"]:
        rel.append(f"{info['relations_outside_selection']} outside the selection")
    if rel:
        parts.append("relations: " + ", ".join(rel))
    head = (f"{info['drawn_nodes']} of the graph's {info['graph_nodes']} entities and "
            f"{info['drawn_edges']} of its {info['graph_edges']} relations")
    return head + (f" ({'; '.join(parts)})" if parts else "")


NO_LM_STAGE = "no LM trial or approval"
_STATUS_ORDER = {s: i for i, s in enumerate(
    ["approved", "phase3", "phase2", "phase1", "early_phase1", "preclinical", "discontinued",
     "withdrawn", NO_LM_STAGE])}


# -- the HTML ------------------------------------------------------------------------------------
@cache
def vis_network_js() -> str:
    """vis-network's standalone build, read from the installed pyvis package (never fetched)."""
    import pyvis

    root = Path(pyvis.__file__).resolve().parent
    found = sorted(root.glob("**/vis-*/vis-network.min.js"),
                   key=lambda p: [int(x) for x in re.findall(r"\d+", p.parent.name)])
    if not found:
        raise LmkgError(f"vis-network.min.js not found in the pyvis package at {root}")
    return found[-1].read_text(encoding="utf-8")


def json_for_script(obj: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>``, ``&`` or line separators."""
    try:  # orjson writes the same compact UTF-8 JSON, several times faster
        import orjson

        text = orjson.dumps(obj).decode()
    except ImportError:  # pragma: no cover
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    for raw, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                     ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, esc)
    return text


def _script_safe(code: str) -> str:
    # Inlined code must not end its own <script> element early.
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE).replace("<!--", "<\\!--")


def render_html(data: dict[str, Any]) -> str:
    """The self-contained page for ``data`` (from :func:`map_data`)."""
    template = (HERE / "template.html").read_text(encoding="utf-8")
    parts = {
        "TITLE": html.escape(data.get("title") or "lmkg map"),
        "CSS": (HERE / "map.css").read_text(encoding="utf-8").replace("</", "<\\/"),
        "VIS_JS": _script_safe(vis_network_js()),
        "APP_JS": _script_safe((HERE / "map.js").read_text(encoding="utf-8")),
        "VIEWS_JS": _script_safe((HERE / "views.js").read_text(encoding="utf-8")),
        "DATA": json_for_script(pack(data)),
    }
    # One pass, so text inside one part is never taken for another part's placeholder.
    return re.sub(r"\{\{(TITLE|CSS|VIS_JS|APP_JS|VIEWS_JS|DATA)\}\}", lambda m: parts[m.group(1)],
                  template)


def page_data(page: str) -> dict[str, Any]:
    """The data of a map page (the text of an ``lmkg map`` file), as :func:`map_data` made it."""
    m = re.search(r'<script type="application/json" id="lmkg-data">(.*?)</script>', page, re.S)
    if m is None:
        raise LmkgError("not an lmkg map page: no lmkg-data element")
    return unpack(json.loads(m.group(1)))


def write_map(kg: KnowledgeGraph, path: str | Path, nodes: Iterable[str] | None = None,
              **kwargs: Any) -> dict[str, Any]:
    """Write the map of ``nodes`` (default all) to ``path`` atomically; return its data."""
    from lmkg.atomic import atomic_write

    data = map_data(kg, nodes, **kwargs)
    page = render_html(data)
    with atomic_write(path) as fh:
        fh.write(page)
    return data
