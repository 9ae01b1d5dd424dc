"""Cypher statements and rows for every Neo4j writer: dialects, DDL, MERGE batches, counts.

All writers use the one property-graph mapping of :mod:`lmkg.graph.export.propgraph`: labels
are entity types, relationship types are relation verbs, properties are the scalar and list
fields, nested records are JSON text (``*_json``) with the filtered-on fields flattened
(``cns_level``, ``cns_penetrant``, ``source_ids``).

Safety: labels, relationship types and property keys are pasted into statement text, so each
is checked against the ontology's closed sets first (:func:`_label`, :func:`_rtype`,
:func:`_key`); values travel only as parameters (push) or escaped literals (script), so a value
from the data can never become Cypher.

Dialects: ``neo4j`` (Neo4j 5 constraint and index syntax) and ``falkordb`` (FalkorDB's Bolt
endpoint, used by the tests: ``CREATE INDEX FOR ... ON`` without names or ``IF NOT EXISTS``, no
uniqueness constraints over Cypher, and a server that crashes on Bolt messages above ~4 KB, so
pushes to it cut batches by size).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from enum import StrEnum
from typing import Any

from lmkg.ontology import BY_PREDICATE, EntityType, RelationType

from ..kg import KnowledgeGraph
from .propgraph import edge_properties, node_properties


class Dialect(StrEnum):
    NEO4J = "neo4j"
    FALKORDB = "falkordb"


_LABELS = frozenset(EntityType.values())
_RTYPES = frozenset(RelationType.values())
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
# The biggest Bolt message FalkorDB 4.16 survives is ~4,000 bytes (query text + parameters).
FALKORDB_MAX_MESSAGE = 3000


def _label(label: str) -> str:
    if label not in _LABELS:
        raise ValueError(f"{label!r} is not an lmkg entity type")
    return label


def _rtype(rtype: str) -> str:
    if rtype not in _RTYPES:
        raise ValueError(f"{rtype!r} is not an lmkg relation type")
    return rtype


def _key(key: str) -> str:
    if not _KEY.match(key):
        raise ValueError(f"{key!r} is not a property name lmkg writes")
    return key


def _snake(label: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", label).lower()


# -- DDL ---------------------------------------------------------------------------------------
def schema_statements(dialect: Dialect | str = Dialect.NEO4J) -> list[str]:
    """Uniqueness on ``id`` and an index on ``name`` for every label, in the dialect's syntax.

    Neo4j 5: named constraints and indexes with ``IF NOT EXISTS`` (safe to re-run). FalkorDB:
    range indexes only (its uniqueness constraints are a Redis command, not Cypher); they are
    not idempotent there, so :func:`push` sends only the missing ones.
    """
    dialect = Dialect(dialect)
    out: list[str] = []
    for label in sorted(_LABELS):
        lab, name = _label(label), _snake(label)
        if dialect is Dialect.NEO4J:
            out.append(f"CREATE CONSTRAINT lmkg_{name}_id IF NOT EXISTS "
                       f"FOR (n:{lab}) REQUIRE n.id IS UNIQUE")
            out.append(f"CREATE INDEX lmkg_{name}_name IF NOT EXISTS FOR (n:{lab}) ON (n.name)")
        else:
            out.append(f"CREATE INDEX FOR (n:{lab}) ON (n.id)")
            out.append(f"CREATE INDEX FOR (n:{lab}) ON (n.name)")
    return out


def node_merge_query(label: str) -> str:
    """One batch of nodes of a label: ``$rows`` = [{id, props}]; props replace the old ones."""
    return f"UNWIND $rows AS row MERGE (n:{_label(label)} {{id: row.id}}) SET n = row.props"


def rel_merge_query(rtype: str, start: str, end: str) -> str:
    """One batch of relationships: ``$rows`` = [{s, o, props}] between labelled endpoints.

    A verb that can link one pair several times (``PREDICTS_RESPONSE``: a sensitivity in one
    cancer, a resistance in another) is merged on its ``key`` property as well.
    """
    keyed = " {key: row.key}" if keyed_verb(rtype) else ""
    return (f"UNWIND $rows AS row MATCH (s:{_label(start)} {{id: row.s}}) "
            f"MATCH (o:{_label(end)} {{id: row.o}}) "
            f"MERGE (s)-[r:{_rtype(rtype)}{keyed}]->(o) SET r = row.props")


def keyed_verb(rtype: str) -> bool:
    """Whether the verb's relationships carry a ``key`` (identity qualifiers)."""
    return bool(BY_PREDICATE[RelationType(_rtype(rtype))].identity)


# -- rows --------------------------------------------------------------------------------------
def _clean(props: dict[str, Any]) -> dict[str, Any]:
    # An empty list is stored as an absent property, as neo4j-admin does with an empty cell.
    return {k: v for k, v in props.items() if v is not None and v != []}


def node_rows(kg: KnowledgeGraph) -> dict[str, list[dict[str, Any]]]:
    """label -> [{id, props}], labels and rows sorted (stable output)."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for nid in sorted(kg.g.nodes):
        data = kg.g.nodes[nid]
        out[_label(data["type"])].append({"id": nid, "props": _clean(node_properties(data))})
    return dict(sorted(out.items()))


def rel_rows(kg: KnowledgeGraph) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
    """(verb, start label, end label) -> [{s, o, props}], sorted."""
    out: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    types = {n: d["type"] for n, d in kg.g.nodes(data=True)}
    for s, o, k, d in sorted(kg.g.edges(keys=True, data=True), key=lambda e: e[:3]):
        row = {"s": s, "o": o, "props": _clean(edge_properties(d, k))}
        if keyed_verb(d["predicate"]):
            row["key"] = k
        out[(_rtype(d["predicate"]), types[s], types[o])].append(row)
    return dict(sorted(out.items()))


def graph_hash(kg: KnowledgeGraph, nodes: dict[str, list[dict[str, Any]]] | None = None,
               rels: dict[tuple[str, str, str], list[dict[str, Any]]] | None = None) -> str:
    """A fingerprint of exactly what a push writes (every node and relationship with its
    properties), the same for two graphs that would leave the same database. ``nodes`` and
    ``rels``: the graph's :func:`node_rows` and :func:`rel_rows` when the caller has them
    already (a push builds them once for the hash and the batches)."""
    import hashlib

    import orjson

    h = hashlib.sha256()
    for label, rows in (node_rows(kg) if nodes is None else nodes).items():
        h.update(orjson.dumps([label, rows], option=orjson.OPT_SORT_KEYS))
    for key, rows in (rel_rows(kg) if rels is None else rels).items():
        h.update(orjson.dumps([list(key), rows], option=orjson.OPT_SORT_KEYS))
    return h.hexdigest()[:32]


# The push marker: one node per push, outside the lmkg labels (a wipe leaves it).
MARKER_LABEL = "LmkgPush"
MARKER_START = ("MERGE (m:LmkgPush {id: $id}) SET m.started = $started, m.status = 'running', "
                "m.graph_hash = $graph_hash, m.lmkg_version = $version, m.nodes = $nodes, "
                "m.relationships = $relationships, m.counts_json = $counts_json")
MARKER_END = ("MATCH (m:LmkgPush {id: $id}) SET m.finished = $finished, m.status = $status, "
              "m.seconds = $seconds, m.database_counts_json = $database_counts_json")
MARKER_FAILED = "MATCH (m:LmkgPush {id: $id}) SET m.status = 'failed', m.error = $error"
MARKER_LAST = ("MATCH (m:LmkgPush) RETURN m.id AS id, m.started AS started, "
               "m.finished AS finished, m.status AS status, m.graph_hash AS graph_hash, "
               "m.lmkg_version AS lmkg_version, m.nodes AS nodes, "
               "m.relationships AS relationships, m.error AS error "
               "ORDER BY m.started DESC LIMIT {n:d}")
MARKER_KEEP = 20
MARKER_PRUNE = ("MATCH (m:LmkgPush) WITH m ORDER BY m.started DESC SKIP $keep "
                "DELETE m")


def graph_counts(kg: KnowledgeGraph) -> tuple[dict[str, int], dict[str, int]]:
    """The same counts taken from the graph itself, for comparison with the database."""
    nodes = Counter(d["type"] for _, d in kg.g.nodes(data=True))
    rels = Counter(p for _, _, p in kg.g.edges(data="predicate"))
    return dict(sorted(nodes.items())), dict(sorted(rels.items()))
