"""Cypher over the built graph with no server: the embedded Ladybug database (a Kuzu fork).

The graph is loaded into an in-memory Ladybug database with the same labels, relationship types
and property names as the Neo4j export (``lmkg.graph.propgraph``), so a query written for
``lmkg cypher`` runs unchanged on Neo4j as long as it keeps to the common subset documented in
``docs/cypher.md``. Queries take parameters (``$name``); nothing from the user is pasted into
query text by lmkg. Table and property names used in the loading statements come from the
ontology's closed sets, never from data.

A user's query may only read the graph (:func:`check_read_only`): no clause that writes the
database, reads or writes files (``LOAD FROM``, ``COPY``, ``EXPORT``), installs or loads
extensions (``INSTALL`` downloads native code), attaches other databases or changes settings;
``CALL`` only of the catalogue functions. It must be given exactly the parameters it uses
(:func:`check_query`). :func:`run_cypher` runs it in a bounded worker
(:mod:`lmkg.graph.query.limits`).
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import itertools
import os
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from lmkg.errors import LmkgError

from ..kg import KnowledgeGraph
from .limits import QueryLimits, QueryTimeout, run_limited

BATCH = 2000


class CypherError(LmkgError):
    """The query did not parse or run; the message is the engine's, on one line."""


# Clauses that write the database, touch files or the network, or change the engine.
_FORBIDDEN = frozenset({
    "CREATE", "MERGE", "SET", "DELETE", "REMOVE", "DROP", "ALTER", "FOREACH", "COPY", "LOAD",
    "EXPORT", "IMPORT", "ATTACH", "DETACH", "USE", "INSTALL", "UNINSTALL", "UPDATE",
    "CHECKPOINT", "BEGIN", "COMMIT", "ROLLBACK"})
# Catalogue functions a reader may CALL (every one reads the schema, none a file).
_CALLABLE = frozenset({
    "SHOW_TABLES", "TABLE_INFO", "SHOW_FUNCTIONS", "SHOW_INDEXES", "SHOW_CONNECTION",
    "SHOW_MACROS", "SHOW_SEQUENCES", "DB_VERSION", "CATALOG_VERSION", "STORAGE_VERSION",
    "SHOW_GRAPHS"})
_CYPHER_STRIP = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`(?:[^`]|``)*`"
                           r"|//[^\n]*|/\*.*?(?:\*/|$)", re.DOTALL)
_WORD = re.compile(r"(?<![\w.$:])([A-Za-z_][A-Za-z0-9_]*)")


def check_read_only(query: str) -> None:
    """Refuse a query that could do anything but read the graph (see the module docstring).

    Strings, quoted names and comments are ignored; a keyword anywhere else is refused, so a
    variable named like a clause (``load``) is refused too and must be renamed.
    """
    text = _CYPHER_STRIP.sub(" ", query)
    for m in _WORD.finditer(text):
        word = m.group(1).upper()
        if word in _FORBIDDEN:
            raise CypherError(f"{word} is not allowed: lmkg cypher only reads the graph (no "
                              "writes, files, extensions or settings; see docs/cypher.md)")
        if word == "CALL":
            nxt = re.match(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(", text[m.end():])
            if not nxt or nxt.group(1).upper() not in _CALLABLE:
                raise CypherError("CALL is allowed only for the catalogue functions ("
                                  + ", ".join(sorted(_CALLABLE)).lower() + ")")


_QUOTED_NAME = re.compile(r"`(?:[^`]|``)*`")
_PARAM_QUOTED = re.compile(r"\$\s*`((?:[^`]|``)*)`")
_PARAM_NAME = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*|[0-9]+)")


def parameters_of(query: str) -> set[str]:
    """The parameters a query uses (``$name``, ``$`quoted name```, ``$0``), outside strings
    and comments."""
    text = _CYPHER_STRIP.sub(lambda m: m.group() if m.group().startswith("`") else " ", query)
    names = {m.group(1).replace("``", "`") for m in _PARAM_QUOTED.finditer(text)}
    text = _QUOTED_NAME.sub(" ", _PARAM_QUOTED.sub(" ", text))
    return names | {m.group(1) for m in _PARAM_NAME.finditer(text)}


def check_query(query: str, params: dict[str, Any] | None = None) -> None:
    """Refuse an empty query, one that does more than read (:func:`check_read_only`), and one
    whose parameters and ``params`` disagree: a parameter used but not given would be null
    and quietly match nothing (Neo4j refuses such a query too), and one given but not used is
    most often a misspelt name."""
    if not _CYPHER_STRIP.sub(" ", query).strip():
        raise CypherError("the Cypher query is empty")
    check_read_only(query)
    used, given = parameters_of(query), set(params or {})
    missing = sorted(used - given)
    if missing:
        extra = sorted(given - used)
        hint = f"; given: {', '.join(extra)}" if extra else ""
        raise CypherError(
            f"parameter ${missing[0]} is used but not given (-p {missing[0]}=VALUE){hint}"
             if len(missing) == 1 else
             f"parameters {', '.join('$' + m for m in missing)} are used but not given "
             f"(-p {missing[0]}=VALUE ...){hint}")
    unused = sorted(given - used)
    if unused:
        raise CypherError(f"parameter {unused[0]} is given (-p {unused[0]}=...) but the "
                          f"query does not use ${unused[0]}")


def _ddl_type(t: str) -> str:
    return t  # STRING, STRING[], INT64, BOOLEAN, DOUBLE are Kuzu type names as they are


# Building a database file: one thread, a bounded buffer pool, each table written out
# (checkpoint) once loaded, and the file opened again now and then. The engine keeps the pages
# of every committed insert in memory until the next checkpoint (about 10 MB per relationship
# table whatever its size) and every table it has touched until it is closed, so loading the
# curated graph in one go peaked at 690-730 MB.
BUILD_BUFFER_POOL = 512 * 2**20
# Opening the file again after every table keeps the peak lowest (the curated graph, built in
# process: 116 MB) but makes the build 2-3x slower and the file larger (22.7 MB, 6.3 MB of it
# pages the engine freed and keeps); every tenth table: 127 MB and 16.8 MB, about as fast as
# never (208 MB).
REOPEN_EVERY = 10


class EmbeddedCypher:
    """A Ladybug database holding one KnowledgeGraph: in memory, or in a file at ``path``."""

    def __init__(self, kg: KnowledgeGraph | None = None, *, path: Path | None = None,
                 read_only: bool = False) -> None:
        self._path = path
        self._building = kg is not None and path is not None
        self._tables = 0
        self._open(read_only)
        if kg is not None:
            self._load(kg, checkpoint=self._building)

    def _open(self, read_only: bool = False) -> None:
        ladybug = _engine()
        options = {"buffer_pool_size": BUILD_BUFFER_POOL, "max_num_threads": 1} \
            if self._building else {}
        self._db = ladybug.Database(str(self._path) if self._path else ":memory:",
                                    read_only=read_only, **options)
        self._conn = ladybug.Connection(self._db)
        if not read_only:
            # The primary key gets an ART index (created with each node table, _load) instead
            # of the default hash index, whose 256 sub-indexes take a page each, and a page of
            # key overflow each, as soon as a key lands in them: on the curated graph 9.9 MB
            # of the 27 MB file, against 0.1 MB for the ART indexes. Lookups by id and the
            # uniqueness of ids are the same. The setting lasts until the database is closed.
            self._conn.execute("CALL enable_default_hash_index = false")

    def _written(self) -> None:
        """A table is loaded: write it out; building a file, open the file again every
        :data:`REOPEN_EVERY` tables, so that the engine lets go of the tables it has written
        to (it keeps each in memory until closed: 3-4 MB a table)."""
        self._conn.execute("CHECKPOINT")
        self._tables += 1
        if self._building and self._tables % REOPEN_EVERY == 0:
            self.close()
            self._open()

    @classmethod
    def for_graph_file(cls, kg: KnowledgeGraph, graph_path: Path) -> EmbeddedCypher:
        """The engine for a saved graph, read-only from its cache (:func:`cache_for`)."""
        return cls(path=cache_for(kg, graph_path), read_only=True)

    def close(self) -> None:
        self._conn.close()
        self._db.close()

    # -- loading -------------------------------------------------------------------------------
    def _load(self, kg: KnowledgeGraph, checkpoint: bool = False) -> None:
        # The schema comes from the ontology's models: imported here, where a database is
        # built, so that opening a built one (every later query) does not import them.
        from lmkg.ontology import RELATION_CLASSES

        from ..export.propgraph import (
            edge_properties,
            node_properties,
            node_schema,
            relationship_schema,
        )

        nschema = node_schema()
        for label, cols in nschema.items():
            defs = ", ".join(f"{c} {_ddl_type(t)}" for c, t in cols.items())
            self._conn.execute(f"CREATE NODE TABLE {label}({defs}, PRIMARY KEY(id))")
            self._conn.execute(f"CREATE ART INDEX _PK FOR (n:{label}) ON (n.id)")
        for cls in RELATION_CLASSES:
            cols = relationship_schema()[cls.predicate.value]
            pairs = ", ".join(f"FROM {d.value} TO {r.value}"
                              for d, r in itertools.product(cls.domain, cls.range))
            defs = ", ".join(f"{c} {t}" for c, t in cols.items())
            self._conn.execute(f"CREATE REL TABLE {cls.predicate.value}({pairs}, {defs})")
        if checkpoint:
            self._written()

        by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for _nid, data in kg.g.nodes(data=True):
            by_label[data["type"]].append(node_properties(data))
        for label, rows in by_label.items():
            cols = nschema[label]
            assign = ", ".join(f"{c}: r.{c}" for c in cols)
            q = f"UNWIND $rows AS r CREATE (:{label} {{{assign}}})"
            for chunk in _chunks(rows, BATCH):
                self._conn.execute(q, {"rows": [_complete(r, cols) for r in chunk]})
            if checkpoint:
                self._written()

        rschema = relationship_schema()
        by_rel: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
        types = {nid: d["type"] for nid, d in kg.g.nodes(data=True)}
        for s, o, k, d in kg.g.edges(keys=True, data=True):
            row = edge_properties(d, k)
            row["_s"], row["_o"] = s, o
            by_rel[(d["predicate"], types[s], types[o])].append(row)
        for (pred, sl, ol), rows in by_rel.items():
            cols = rschema[pred]
            # A column that is unset in every row of a batch reaches the engine untyped:
            # cast the typed ones so that the parameter's inferred type never decides.
            assign = ", ".join(f"{c}: r.{c}" if t in ("STRING", "STRING[]")
                               else f"{c}: CAST(r.{c} AS {t})" for c, t in cols.items())
            q = (f"UNWIND $rows AS r MATCH (s:{sl} {{id: r._s}}), (o:{ol} {{id: r._o}}) "
                 f"CREATE (s)-[:{pred} {{{assign}}}]->(o)")
            for chunk in _chunks(rows, BATCH):
                self._conn.execute(q, {"rows": [_complete(r, cols, extra=("_s", "_o"))
                                                for r in chunk]})
            if checkpoint:
                self._written()

    # -- querying ------------------------------------------------------------------------------
    def run(self, query: str, params: dict[str, Any] | None = None
            ) -> tuple[list[str], list[list[Any]]]:
        """Run one read-only Cypher query; return column names and rows of plain values."""
        cols, rows = self.stream(query, params)
        return cols, list(rows)

    def stream(self, query: str, params: dict[str, Any] | None = None):
        """Like :meth:`run`, with the rows as an iterator (read as they are consumed)."""
        check_read_only(query)
        try:
            result = self._conn.execute(query, params or {})
        except RuntimeError as exc:
            msg = " ".join(str(exc).split())
            if msg.rstrip(".") == "Interrupted":
                raise QueryTimeout("the Cypher query was interrupted by its time limit") from None
            raise CypherError("Cypher error: " + msg) from None
        if isinstance(result, list):  # several statements: keep the last result
            result = result[-1]
        cols = list(result.get_column_names())

        def rows():
            while result.has_next():
                yield [_plain(v) for v in result.get_next()]

        return cols, rows()

    def set_timeout(self, seconds: float) -> None:
        """The engine's own time limit for each later query (0: none)."""
        self._conn.set_query_timeout(int(seconds * 1000))


# The layout of the database in a cache (tables, properties, indexes), part of its name: a
# cache built by an older lmkg with another layout is rebuilt, not reused. 2: ART primary-key
# indexes instead of the engine's hash index (the curated graph's cache 27.0 -> 16.8 MB).
CACHE_LAYOUT = 2


def cache_for(kg: KnowledgeGraph | None, graph_path: Path) -> Path:
    """The engine's database for a saved graph, cached beside it (``<file>.cypher-<hash>``).

    Loading into the engine costs about a second per 10,000 edges at 100,000 edges (more per
    edge on small graphs, where the engine's cost per table dominates: about 2 s for the
    curated graph, on a quiet machine; docs/cypher.md); the cache makes every later
    ``lmkg cypher`` on the same graph file open in milliseconds. The cache is keyed by the graph
    file's content, built under a temporary name (``.<file>.cypher.<pid>.<random>.tmp``, the
    engine adds ``.wal`` beside it) and renamed into place; what a killed build left is removed
    on the next one (:func:`lmkg.atomic.sweep`), and older caches of the same file too (and
    caches of an older :data:`CACHE_LAYOUT`). ``kg``
    is the graph read from ``graph_path``; None to read it only when the cache must be built.
    """
    from lmkg.atomic import OutputError, sweep, temp_name

    from ..store import file_key, load_graph

    graph_path = Path(graph_path)
    key = hashlib.sha256(f"{file_key(graph_path)}:{CACHE_LAYOUT}".encode()).hexdigest()[:16]
    cache = graph_path.with_name(f"{graph_path.name}.cypher-{key}")
    if cache.exists():
        return cache
    if kg is None:
        kg = load_graph(graph_path)
    family = graph_path.with_name(f"{graph_path.name}.cypher")
    sweep(family)
    tmp = temp_name(family)
    try:
        eng = EmbeddedCypher(kg, path=tmp)
        eng._conn.execute("CHECKPOINT")
        eng.close()
        os.replace(tmp, cache)
    except OSError as exc:
        raise OutputError(cache, exc) from None
    except RuntimeError as exc:  # the engine's I/O errors (disk full) are RuntimeErrors
        raise CypherError(f"cannot build the Cypher cache {cache}: "
                          + " ".join(str(exc).split())) from None
    finally:
        for leftover in (tmp, *tmp.parent.glob(glob.escape(tmp.name) + ".*")):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(leftover)
    for old in graph_path.parent.glob(f"{glob.escape(graph_path.name)}.cypher-*"):
        if old != cache:
            with contextlib.suppress(OSError):
                old.unlink()
    return cache


def run_cypher(kg: KnowledgeGraph | None, query: str, params: dict[str, Any] | None = None,
               graph_path: Path | None = None, limits: QueryLimits | None = None
               ) -> tuple[list[str], list[list[Any]]]:
    """A user's read-only Cypher query in a bounded worker (time, rows, memory, no network).

    With ``graph_path`` (the saved graph ``kg`` was read from) the engine opens its cache,
    built first if needed (``kg`` may then be None: the graph is read only to build the
    cache); otherwise ``kg`` is loaded into an in-memory engine.
    """
    limits = limits or QueryLimits()
    check_query(query, params)
    if graph_path is None and kg is None:
        raise ValueError("run_cypher needs a graph or a graph file")
    cache = cache_for(kg, graph_path) if graph_path is not None else None

    def prepare() -> EmbeddedCypher:
        eng = EmbeddedCypher(path=cache, read_only=True) if cache else EmbeddedCypher(kg)
        if limits.timeout:
            eng.set_timeout(limits.timeout)
        return eng

    def run(eng: EmbeddedCypher):
        return eng.stream(query, params)

    return run_limited(prepare, run, limits, what="the Cypher query",
                       hint="add LIMIT or bound the pattern")


def _engine():
    try:
        import ladybug
    except ImportError:  # pragma: no cover - ladybug is in the [cypher] extra
        raise LmkgError("lmkg cypher needs the embedded engine: pip install 'lmkg[cypher]'") from None
    return ladybug


def _complete(row: dict[str, Any], cols: dict[str, str], extra: tuple[str, ...] = ()
              ) -> dict[str, Any]:
    """Every column present (None when unset) so that one UNWIND statement fits all rows."""
    out = {}
    for c, t in cols.items():
        v = row.get(c)
        if v is None and t.endswith("[]"):
            v = []
        out[c] = v
    for k in extra:
        out[k] = row[k]
    return out


def _chunks(rows: list[Any], n: int):
    for i in range(0, len(rows), n):
        yield rows[i:i + n]


def _plain(value: Any) -> Any:
    """Engine values as plain data: nodes and relationships become dicts with ``_label``."""
    if isinstance(value, dict):
        if "_LABEL" in value:
            out = {"_label": value["_LABEL"]}
            out.update({k: _plain(v) for k, v in value.items()
                        if not k.startswith("_") and v is not None and v != []})
            return out
        if "_nodes" in value and "_rels" in value:  # a path
            return {"nodes": [_plain(n) for n in value["_nodes"]],
                    "rels": [_plain(r) for r in value["_rels"]]}
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
