"""The KnowledgeGraph: one networkx MultiDiGraph with indexes by type and by name.

Nodes are keyed by lmkg id and hold the entity's fields (JSON-ready) plus ``type``. Edges are
keyed by relation verb, so one (subject, verb, object) is one edge whose ``sources`` merge when
it is stated twice; each edge holds its ``predicate``, its qualifiers and ``derived`` (the rule
that added it, or None for a stated fact). A verb with identity qualifiers
(``PREDICTS_RESPONSE``: direction, cancer, ...) is keyed by verb and those qualifiers
(:func:`lmkg.ontology.relations.edge_key`), so one biomarker-agent pair can hold a sensitivity
in one cancer and a resistance in another; always read the verb from ``predicate`` (or the
tuples :meth:`KnowledgeGraph.edges` yields), never from the networkx key.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import networkx as nx

from lmkg.errors import AmbiguousName, PartOfNames, UnknownEntity
from lmkg.ontology.curie import split_curie
from lmkg.ontology.vocab import EntityType, EvidenceTier

from .names import normalise

if TYPE_CHECKING:  # the pydantic models are imported only where an entity is built or validated
    from lmkg.ontology import Entity, Relation

Edge = tuple[str, str, str, dict[str, Any]]
_NONE: tuple[Edge, ...] = ()


# A name that is only part of several entities' names ("lung cancer") is ambiguous, up to this
# many; beyond, the message suggests names instead.
PART_OF_NAMES_MAX = 8
# Entity types whose names are titles or sentences: a phrase inside them is no name.
_SENTENCE_NAMED = frozenset({"ClinicalTrial", "Publication", "RegulatoryDesignation",
                             "Guideline"})
_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


class KnowledgeGraph:
    """The LM landscape graph with lookups by id, type, name, synonym and xref."""

    def __init__(self) -> None:
        self.g: nx.MultiDiGraph = nx.MultiDiGraph()
        self._by_type: dict[str, set[str]] = defaultdict(set)
        self._names: dict[str, set[str]] = defaultdict(set)
        self._xrefs: dict[str, set[str]] = defaultdict(set)
        self.meta: dict[str, Any] = {}
        # The file this graph was loaded from or saved to (None: built in memory, not saved).
        self.path: str | None = None
        # Bumped on every change, so that derived structures (path projections) know when
        # they are stale without counting a million edges.
        self.version = 0
        # Edges by node and verb, both ways: node -> verb -> [(s, verb, o, data)], the same
        # tuple in the subject's and the object's list. networkx's own views walk every edge of
        # a node with its data to find one verb; this answers ``out_edges(n, "TARGETS")`` with
        # one dict lookup. Kept up to date by the methods below, and rebuilt from ``g`` when
        # ``version`` moved without them (code that adds edges to ``g`` directly bumps
        # ``version``, as tests/support/synthetic.py does).
        self._out: dict[str, dict[str, list[Edge]]] = {}
        self._in: dict[str, dict[str, list[Edge]]] = {}
        self._adj_version = 0
        self._verbs: dict[str, list[Edge]] = {}
        self._verbs_version = -1

    # -- building ------------------------------------------------------------------------------
    def add_entity(self, entity: Entity) -> None:
        data = entity.model_dump(mode="json", exclude_none=True)
        data["type"] = entity.entity_type.value
        self.add_node_data(data)

    def add_node_data(self, data: dict[str, Any]) -> None:
        """Add a node from its stored dict (``id``, ``type``, ``name``, ...)."""
        nid = data["id"]
        if nid in self.g:
            raise ValueError(f"entity {nid} is already in the graph")
        self.g.add_node(nid, **data)
        self._index(nid, data)
        self._bump()

    def add_relation(self, rel: Relation, derived: str | None = None) -> bool:
        attrs: dict[str, Any] = dict(rel.properties())
        attrs["sources"] = [s.model_dump(mode="json", exclude_none=True,
                                         exclude_defaults=True) for s in rel.sources]
        if derived:
            attrs["derived"] = derived
        return self.add_edge_data(rel.subject, rel.predicate.value, rel.object, attrs)

    def add_edge_data(self, s: str, pred: str, o: str, attrs: dict[str, Any],
                      key: str | None = None) -> bool:
        """Add an edge; the same (s, key, o) twice merges sources instead of doubling.

        ``pred`` is the verb (an edge key as saved, ``VERB|q=v``, is read as its verb). ``key``
        is the edge's key when it is known already (an edge copied from another graph), else
        it is made from the verb and its identity qualifiers. True when the edge is new, False
        when it was there already (its sources merged).
        """
        pred = attrs.get("predicate") or pred.split("|", 1)[0]
        attrs = {k: v for k, v in attrs.items() if k != "predicate"}
        for end in (s, o):
            if end not in self.g:
                raise UnknownEntity(end)
        if key is None:
            from lmkg.ontology.relations import edge_key  # the models: building only

            key = edge_key(pred, attrs)
        if self.g.has_edge(s, o, key=key):
            existing = self.g.edges[s, o, key]
            have = {_source_key(x) for x in existing["sources"]}
            for src in attrs.get("sources", []):
                if _source_key(src) not in have:
                    existing["sources"].append(src)
                    have.add(_source_key(src))
            if existing.get("derived") and not attrs.get("derived"):
                existing.pop("derived")  # stated beats derived
            _keep_strongest(existing, attrs)
            return False
        self.g.add_edge(s, o, key=key, predicate=pred, **attrs)
        current = self._adj_version == self.version
        self.version += 1
        if current:
            edge = (s, pred, o, self.g._succ[s][o][key])  # the stored attribute dict
            self._out.setdefault(s, {}).setdefault(pred, []).append(edge)
            self._in.setdefault(o, {}).setdefault(pred, []).append(edge)
            self._adj_version = self.version
        return True

    def add_saved(self, nodes: Iterable[dict[str, Any]],
                  edges: Iterable[tuple[str, str, str, dict[str, Any]]]) -> None:
        """Add the nodes and edges of a saved graph (:mod:`lmkg.graph.store`) in bulk.

        The saved file was written from a graph, so no edge repeats and there is nothing to
        merge: this skips the per-edge checks of :meth:`add_edge_data` (three times faster,
        which is most of what opening a saved graph costs). An edge to a node that is not in
        the graph raises :class:`UnknownEntity`, a node given twice ``ValueError``. The node and
        edge attribute dicts are kept as given (the graph owns them from then on), not copied.
        """
        g = self.g
        node, succ, pred_adj = g._node, g._succ, g._pred
        inner = g.adjlist_inner_dict_factory
        added = 0
        for data in nodes:
            nid = data["id"]
            if "type" not in data:
                raise KeyError(f"entity {nid} has no type")
            if nid in node:
                raise ValueError(f"entity {nid} is already in the graph")
            node[nid] = data  # as MultiDiGraph.add_node, without copying the parsed dict
            succ[nid], pred_adj[nid] = inner(), inner()
            self._index(nid, data)
            added += 1
        # The edges go straight into networkx's adjacency dicts (what MultiDiGraph.add_edge
        # does, without copying each attribute dict that the file's parser has just made),
        # and into the by-verb index in the same pass.
        indexed = self._adj_version == self.version  # else it is rebuilt on first use
        out, inc = self._out, self._in
        n = 0
        for s, key, o, attrs in edges:
            if s not in node:
                raise UnknownEntity(s)
            if o not in node:
                raise UnknownEntity(o)
            verb = attrs.get("predicate")
            if verb is None:
                verb = attrs["predicate"] = key.split("|", 1)[0]
            keys = succ[s].get(o)
            if keys is None:
                keys = succ[s][o] = pred_adj[o][s] = g.edge_key_dict_factory()
            keys[key] = attrs
            if indexed:
                edge = (s, verb, o, attrs)
                out.setdefault(s, {}).setdefault(verb, []).append(edge)
                inc.setdefault(o, {}).setdefault(verb, []).append(edge)
            n += 1
        nx._clear_cache(g)
        self.version += added + n
        if indexed:
            self._adj_version = self.version

    def reindex(self, nid: str) -> None:
        """Index a node's names and xrefs again after its data changed (enrichment)."""
        self._index(nid, self.g.nodes[nid])
        self._bump()

    def _bump(self) -> None:
        """A change that leaves the edges as they are: the adjacency index stays current."""
        current = self._adj_version == self.version
        self.version += 1
        if current:
            self._adj_version = self.version

    def _adjacency(self) -> tuple[dict[str, dict[str, list[Edge]]],
                                  dict[str, dict[str, list[Edge]]]]:
        """The by-verb index (see ``__init__``), rebuilt first if ``g`` changed behind it."""
        if self._adj_version != self.version:
            out: dict[str, dict[str, list[Edge]]] = {}
            inc: dict[str, dict[str, list[Edge]]] = {}
            for s, nbrs in self.g._succ.items():
                for o, keys in nbrs.items():
                    for d in keys.values():
                        edge = (s, d["predicate"], o, d)
                        out.setdefault(s, {}).setdefault(edge[1], []).append(edge)
                        inc.setdefault(o, {}).setdefault(edge[1], []).append(edge)
            self._out, self._in, self._adj_version = out, inc, self.version
        return self._out, self._in

    def _index(self, nid: str, data: dict[str, Any]) -> None:
        self._by_type[data["type"]].add(nid)
        for text in (data.get("name", ""), *data.get("synonyms", ())):
            if text:
                self._names[normalise(text)].add(nid)
        slug = nid.split("/", 1)[1]
        self._names[normalise(slug)].add(nid)
        for x in data.get("xrefs", ()):
            self._xrefs[x.casefold()].add(nid)
            self._xrefs[split_curie(x)[1].casefold()].add(nid)

    # -- reading -------------------------------------------------------------------------------
    def __contains__(self, nid: object) -> bool:
        return nid in self.g

    def __len__(self) -> int:
        return self.g.number_of_nodes()

    def node(self, nid: str) -> dict[str, Any]:
        try:
            return self.g._node[nid]  # the node's attribute dict, without a NodeView lookup
        except KeyError:
            raise UnknownEntity(nid, self.suggest(nid)) from None

    def entity(self, nid: str) -> Entity:
        """The node as its ontology model (validated again)."""
        from lmkg.ontology import BY_TYPE

        data = dict(self.node(nid))
        cls = BY_TYPE[EntityType(data.pop("type"))]
        return cls.model_validate(data)

    def type_of(self, nid: str) -> str:
        data = self.g._node.get(nid)
        return data["type"] if data is not None else self.node(nid)["type"]

    def name_of(self, nid: str) -> str:
        data = self.g._node.get(nid)
        return data.get("name", nid) if data is not None else self.node(nid).get("name", nid)

    def ids(self, entity_type: str | EntityType | None = None) -> list[str]:
        if entity_type is None:
            return sorted(self.g.nodes)
        return sorted(self._by_type.get(str(entity_type), ()))

    def edges(self, predicate: str | None = None) -> Iterator[Edge]:
        """Every edge as (subject, verb, object, attributes), optionally of one verb, in the
        graph's own order."""
        if predicate is None:
            for s, o, d in self.g.edges(data=True):
                yield s, d["predicate"], o, d
            return
        yield from self._by_verb().get(predicate, _NONE)

    def _by_verb(self) -> dict[str, list[Edge]]:
        """Verb -> its edges in the graph's order, made once per version of the graph (a scan
        of every edge for each question about one verb was most of some answers' time)."""
        if self._verbs_version != self.version:
            verbs: dict[str, list[Edge]] = {}
            for s, nbrs in self.g._succ.items():
                for o, keys in nbrs.items():
                    for d in keys.values():
                        verbs.setdefault(d["predicate"], []).append((s, d["predicate"], o, d))
            self._verbs, self._verbs_version = verbs, self.version
        return self._verbs

    def out_edges(self, nid: str, predicate: str | None = None) -> list[Edge]:
        """The edges leaving ``nid`` as (subject, verb, object, attributes), of one verb or all.

        A node not in the graph has none (as networkx's views say for a missing node, no error).
        """
        by_verb = self._adjacency()[0].get(nid)
        if not by_verb:
            return []
        if predicate is not None:
            return list(by_verb.get(predicate, _NONE))
        return [e for edges in by_verb.values() for e in edges]

    def in_edges(self, nid: str, predicate: str | None = None) -> list[Edge]:
        """The edges reaching ``nid`` as (subject, verb, object, attributes)."""
        by_verb = self._adjacency()[1].get(nid)
        if not by_verb:
            return []
        if predicate is not None:
            return list(by_verb.get(predicate, _NONE))
        return [e for edges in by_verb.values() for e in edges]

    def out_neighbours(self, nid: str, predicate: str) -> list[str]:
        """The objects of ``nid``'s edges of one verb (each once per edge), without the data."""
        return [e[2] for e in self._adjacency()[0].get(nid, {}).get(predicate, _NONE)]

    def in_neighbours(self, nid: str, predicate: str) -> list[str]:
        """The subjects of the edges of one verb reaching ``nid``."""
        return [e[0] for e in self._adjacency()[1].get(nid, {}).get(predicate, _NONE)]

    def relations_of(self, nid: str) -> list[Edge]:
        """Every edge touching ``nid``, outgoing first, each sorted by verb then name."""
        self.node(nid)
        out = sorted(self.out_edges(nid), key=lambda e: (e[1], self.name_of(e[2])))
        inc = sorted(self.in_edges(nid), key=lambda e: (e[1], self.name_of(e[0])))
        return out + inc

    # -- name resolution -----------------------------------------------------------------------
    def lookup(self, text: str, types: Iterable[str] | None = None) -> list[str]:
        """Every id that ``text`` names (id, name, synonym, slug or xref), possibly none."""
        wanted = {str(t) for t in types} if types else None
        text = text.strip()
        hits: set[str] = set()
        for candidate in (text, "lmkg:" + text):
            if candidate in self.g:
                hits.add(candidate)
        if not hits:
            hits = set(self._xrefs.get(text.casefold(), ()))
        if not hits:
            hits = set(self._names.get(normalise(text), ()))
        if wanted is not None:
            hits = {h for h in hits if self.g.nodes[h]["type"] in wanted}
        return sorted(hits)

    def resolve(self, text: str, types: Iterable[str] | None = None) -> str:
        """The one id ``text`` names.

        Raises :class:`UnknownEntity` with close matches, or :class:`AmbiguousName` listing the
        candidates when several entities share the name and none is named by it as preferred name.
        """
        types = list(types) if types else None
        hits = self.lookup(text, types)
        if len(hits) == 1:
            return hits[0]
        if not hits:
            part = self.part_of_names(text, types)
            if 1 < len(part) <= PART_OF_NAMES_MAX:
                raise PartOfNames(text, [(h, self.g.nodes[h].get("name", h),
                                          self.g.nodes[h]["type"]) for h in part])
            raise UnknownEntity(text, self.suggest(text, types))
        key = normalise(text)
        preferred = [h for h in hits if normalise(self.g.nodes[h].get("name", "")) == key]
        if len(preferred) == 1:
            return preferred[0]
        raise AmbiguousName(
            text, [(h, self.g.nodes[h].get("name", h), self.g.nodes[h]["type"]) for h in hits]
        )

    def part_of_names(self, text: str, types: Iterable[str] | None = None) -> list[str]:
        """The entities (of the kinds people name: cancers, biomarkers, agents, companies, ...;
        not trials, papers or designations, whose titles are sentences) whose name or a synonym
        holds ``text`` as whole words: "lung cancer" is part of "non-small cell lung cancer" and
        "small cell lung cancer". Sorted by name."""
        words = _words(text)
        if not words:
            return []
        wanted = {str(t) for t in types} if types else None
        out = []
        for nid, d in self.g.nodes(data=True):
            kind = d.get("type")
            if kind in _SENTENCE_NAMED or (wanted is not None and kind not in wanted):
                continue
            for name in (d.get("name", ""), *d.get("synonyms", ())):
                have = _words(name)
                if len(have) > len(words) and any(
                        have[i:i + len(words)] == words
                        for i in range(len(have) - len(words) + 1)):
                    out.append(nid)
                    break
        return sorted(out, key=lambda i: (self.name_of(i).casefold(), i))

    def suggest(self, text: str, types: Iterable[str] | None = None, n: int = 5) -> list[str]:
        """Names close to ``text`` (for "did you mean" messages): first the names that hold it
        as whole words, then close spellings."""
        import difflib

        wanted = {str(t) for t in types} if types else None
        key = normalise(text)
        keys = [k for k, ids in self._names.items()
                if wanted is None or any(self.g.nodes[i]["type"] in wanted for i in ids)]
        close = difflib.get_close_matches(key, keys, n=n, cutoff=0.6)
        if len(key) >= 3:
            close += [k for k in keys if key in k and k not in close][: n - len(close)]
        names: list[str] = [f"{self.g.nodes[i].get('name', i)} ({i})"
                            for i in self.part_of_names(text, types)]
        for k in close:
            for nid in sorted(self._names[k]):
                if wanted is not None and self.g.nodes[nid]["type"] not in wanted:
                    continue
                label = f"{self.g.nodes[nid].get('name', nid)} ({nid})"
                if label not in names:
                    names.append(label)
        return names[:n]

    # -- summaries -----------------------------------------------------------------------------
    def origin(self) -> dict[str, Any]:
        """Which graph this is: the file it lives in, when it was built, from which curated
        data (directory and content hash) and which public sources (name, path, version,
        content hash). Every answer can say where it comes from with it."""
        m = self.meta
        data = m.get("data_dir")
        return {
            "file": self.path,
            "built_at": m.get("built_at"),
            "curated_data": data,
            "data_hash": m.get("data_fingerprint"),
            # "shipped": read from the dataset itself (its registry snapshot), not added by -s
            "sources": [{**{k: s.get(k) for k in ("name", "path", "version", "hash")},
                         "shipped": bool(data) and str(s.get("path", "")).startswith(
                             str(data).rstrip("/") + "/")}
                        for s in m.get("sources", [])],
            "lenient": bool(m.get("lenient")),
            "rejected": m.get("rejected", 0),
            "lmkg_version": m.get("lmkg_version"),
        }

    def describe_origin(self) -> str:
        """:meth:`origin` in one short line: ``build/lmkg-graph.json, built 2026-12-03 11:07
        UTC from curated data 3f2a9c1b0e12 + ctgov, b3db``."""
        o = self.origin()
        when = (o["built_at"] or "?")[:16].replace("T", " ") + (" UTC" if o["built_at"] else "")
        where = o["file"] or "not saved"
        what = "curated data" + (f" {o['data_hash'][:12]}" if o["data_hash"] else "")
        if any(s["shipped"] for s in o["sources"]):
            what += " (with its registry snapshot)"
        added = [s["name"] for s in o["sources"] if not s["shipped"]]
        what += (" + " + ", ".join(added)) if added else " only (no public sources)"
        lenient = f"; lenient: {o['rejected']} curated record(s) left out" \
            if o["lenient"] and o["rejected"] else ""
        return f"{where}, built {when} from {what}{lenient}"

    def stats(self) -> dict[str, Any]:
        """Counts by entity and relation type, and the share of relations with sources."""
        ent = Counter(d["type"] for _, d in self.g.nodes(data=True))
        rel = Counter(d["predicate"] for _, _, d in self.g.edges(data=True))
        total = self.g.number_of_edges()
        sourced = sum(1 for *_, d in self.g.edges(keys=True, data=True) if d.get("sources"))
        derived = sum(1 for *_, d in self.g.edges(keys=True, data=True) if d.get("derived"))
        return {
            "entities": {t.value: ent.get(t.value, 0) for t in EntityType},
            "relations": dict(sorted(rel.items())),
            "total_entities": self.g.number_of_nodes(),
            "total_relations": total,
            "derived_relations": derived,
            "relations_with_sources": sourced,
            "share_with_sources": round(sourced / total, 4) if total else 1.0,
        }


# Qualifiers of a predictive association that grade it: a second statement of the same
# association (another CIViC item, another approval) keeps the strongest grading.
_GRADING = ("tier", "level", "rating", "significance", "oncokb_level")
_TIER_RANK = {t.value: t.rank for t in EvidenceTier}


def _keep_strongest(existing: dict[str, Any], attrs: dict[str, Any]) -> None:
    if "tier" not in attrs or "tier" not in existing:
        return
    if _TIER_RANK.get(attrs["tier"], -1) > _TIER_RANK.get(existing["tier"], -1):
        for q in _GRADING:
            if q in attrs:
                existing[q] = attrs[q]
            else:
                existing.pop(q, None)


def _source_key(src: dict[str, Any]) -> str:
    return src.get("id") or src.get("url") or repr(sorted(src.items()))
