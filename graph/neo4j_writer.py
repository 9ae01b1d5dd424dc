"""Writing the graph to Neo4j: pushing over Bolt, ``neo4j-admin`` CSVs and a Cypher script.

All three use the one property-graph mapping of :mod:`lmkg.graph.propgraph`: labels are entity
types, relationship types are relation verbs, properties are the scalar and list fields, nested
records are JSON text (``*_json``) with the filtered-on fields flattened (``cns_level``,
``cns_penetrant``, ``source_ids``).

Safety: values only ever travel as query parameters (push) or as escaped literals (script).
Labels, relationship types and property keys are pasted into statement text, so each is checked
against the ontology's closed sets first (:func:`_label`, :func:`_rtype`, :func:`_key`); a value
from the data can never become Cypher.

Dialects: ``neo4j`` (Neo4j 5 constraint and index syntax) and ``falkordb`` (FalkorDB's Bolt
endpoint, used by the tests: ``CREATE INDEX FOR ... ON`` without names or ``IF NOT EXISTS``, no
uniqueness constraints over Cypher, and a server that crashes on Bolt messages above ~4 KB, so
pushes to it cut batches by size).
"""

from __future__ import annotations

import csv
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import orjson

from lmkg.errors import LmkgError
from lmkg.ontology import EntityType, RelationType

from .kg import KnowledgeGraph
from .propgraph import edge_properties, node_properties, node_schema, relationship_schema


class Dialect(StrEnum):
    NEO4J = "neo4j"
    FALKORDB = "falkordb"


class Neo4jPushError(LmkgError):
    """Connecting, authenticating or writing failed; the message is one line, never a secret."""


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
    """One batch of relationships: ``$rows`` = [{s, o, props}] between labelled endpoints."""
    return (f"UNWIND $rows AS row MATCH (s:{_label(start)} {{id: row.s}}) "
            f"MATCH (o:{_label(end)} {{id: row.o}}) "
            f"MERGE (s)-[r:{_rtype(rtype)}]->(o) SET r = row.props")


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
        out[(_rtype(k), types[s], types[o])].append(
            {"s": s, "o": o, "props": _clean(edge_properties(d))})
    return dict(sorted(out.items()))


def _size(obj: Any) -> int:
    return len(orjson.dumps(obj))


def batches(rows: list[dict[str, Any]], batch_size: int, max_bytes: int | None,
            overhead: int = 0) -> Iterator[list[dict[str, Any]]]:
    """Rows in batches of at most ``batch_size`` rows and (if set) ``max_bytes`` of JSON.

    A single row bigger than the byte budget comes out alone; :func:`split_row` cuts it.
    """
    batch: list[dict[str, Any]] = []
    size = overhead
    for row in rows:
        rsize = _size(row) + 1 if max_bytes else 0
        if batch and (len(batch) >= batch_size or (max_bytes and size + rsize > max_bytes)):
            yield batch
            batch, size = [], overhead
        batch.append(row)
        size += rsize
    if batch:
        yield batch


def split_row(props: dict[str, Any], budget: int, measure: Callable[[Any], int] | None = None
              ) -> tuple[dict[str, Any], list[tuple[str, Any]]]:
    """Cut a too-big property map into a base map and (key, piece) appends, each within budget.

    Strings are cut into substrings and lists into sublists; appending the pieces in order
    rebuilds the value. ``measure`` gives the size of a value as sent. Only pushes to a
    size-limited server (FalkorDB) need this.
    """
    measure = measure or _size
    base: dict[str, Any] = {}
    used = 2
    rest: list[str] = []
    for k, v in sorted(props.items(), key=lambda kv: (measure(kv[1]), kv[0])):
        s = measure(v) + len(k) + 4
        if used + s <= budget:
            base[k] = v
            used += s
        else:
            rest.append(k)
    pieces: list[tuple[str, Any]] = []
    for k in sorted(rest):
        v = props[k]
        if isinstance(v, str):
            start = 0
            while start < len(v):
                end = start + 1
                step = max(1, budget // 8)
                while end < len(v) and measure(v[start:min(end + step, len(v))]) <= budget:
                    end = min(end + step, len(v))
                while end < len(v) and measure(v[start:end + 1]) <= budget:
                    end += 1
                pieces.append((k, v[start:end]))
                start = end
        elif isinstance(v, list):
            part: list[Any] = []
            for item in v:
                if part and measure([*part, item]) > budget:
                    pieces.append((k, part))
                    part = []
                part.append(item)
            pieces.append((k, part))
        else:  # a scalar never exceeds the budget on its own
            base[k] = v
    return base, pieces


def falkordb_escape(value: Any) -> Any:
    """Work around FalkorDB's Bolt endpoint, which pastes string parameters into the query text
    between single quotes without escaping them (measured on FalkorDB 4.16: a value holding
    ``'`` fails and ``\\`` is altered). Escaping ``\\`` and ``'`` in every string, here, makes
    the server read back exactly the value given. Never used for Neo4j.
    """
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("'", "\\'")
    if isinstance(value, list):
        return [falkordb_escape(v) for v in value]
    if isinstance(value, dict):
        return {k: falkordb_escape(v) for k, v in value.items()}
    return value


# -- push --------------------------------------------------------------------------------------
@dataclass
class PushReport:
    """What a push did and what the database holds afterwards (by label and type)."""

    nodes_sent: int = 0
    rels_sent: int = 0
    batches: int = 0
    seconds: float = 0.0
    deleted: int = 0
    db_nodes: dict[str, int] = field(default_factory=dict)
    db_rels: dict[str, int] = field(default_factory=dict)

    @property
    def rows_per_second(self) -> float:
        return (self.nodes_sent + self.rels_sent) / self.seconds if self.seconds else 0.0


_SCHEMES = frozenset({"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"})


def falkordb_unwedge(uri: str) -> None:
    """Open and drop one bare TCP connection to a FalkorDB Bolt port.

    Measured on FalkorDB 4.16: once a Bolt client disconnects, the server's next Bolt
    handshake hangs until yet another connection arrives. This throw-away connection is that
    other one; it is made before connecting and after closing, for the FalkorDB dialect only.
    """
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(uri)
    for _ in range(3):  # one per connection the driver's pool may have dropped
        try:
            with socket.create_connection((parts.hostname or "localhost", parts.port or 7687),
                                          timeout=2):
                pass
        except OSError:
            return  # the real connection attempt reports the problem


def connect(uri: str, user: str = "neo4j", password: str | None = None,
            dialect: Dialect | str = Dialect.NEO4J):
    """An official-driver ``Driver``, checked to answer; failures become one-line errors.

    Without a password the driver connects unauthenticated (a server with auth disabled, or
    FalkorDB's Bolt endpoint). The password is never put in a message.
    """
    import neo4j
    from neo4j.exceptions import AuthError, ConfigurationError, Neo4jError, ServiceUnavailable

    scheme = uri.split("://", 1)[0] if "://" in uri else ""
    if scheme not in _SCHEMES:
        raise Neo4jPushError(f"bad Bolt URI {uri!r}: the scheme must be one of "
                             f"{', '.join(sorted(_SCHEMES))}")
    if Dialect(dialect) is Dialect.FALKORDB:
        falkordb_unwedge(uri)
    auth = (user, password) if password else None
    try:
        driver = neo4j.GraphDatabase.driver(uri, auth=auth, max_transaction_retry_time=30.0,
                                            connection_timeout=10.0)
    except (ValueError, ConfigurationError) as exc:
        raise Neo4jPushError(f"bad Bolt URI {uri!r}: {_one_line(exc)}") from None
    try:
        driver.verify_connectivity()
    except AuthError:
        driver.close()
        raise Neo4jPushError(f"authentication failed for user {user!r} at {uri} "
                             f"(check NEO4J_PASSWORD)") from None
    except ServiceUnavailable as exc:
        driver.close()
        raise Neo4jPushError(f"cannot connect to {uri}: {_one_line(exc)}") from None
    except (Neo4jError, OSError) as exc:
        driver.close()
        who = f"as {user!r} " if auth else "without authentication "
        raise Neo4jPushError(f"{uri} refused the connection {who}: "
                             f"{getattr(exc, 'message', None) or _one_line(exc)}") from None
    return driver


def close(driver, uri: str, dialect: Dialect | str = Dialect.NEO4J) -> None:
    driver.close()
    if Dialect(dialect) is Dialect.FALKORDB:
        falkordb_unwedge(uri)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


Progress = Callable[[str, int, int], None]


def push(kg: KnowledgeGraph, driver, *, database: str | None = None, wipe: bool = False,
         batch_size: int = 1000, dialect: Dialect | str = Dialect.NEO4J,
         max_message_bytes: int | None = None, progress: Progress | None = None) -> PushReport:
    """MERGE the whole graph into the database behind ``driver``; idempotent.

    Schema first (constraints and indexes), then nodes by label, then relationships by
    (type, start label, end label), each batch one managed write transaction (the driver
    retries transient errors). ``wipe`` first deletes every node carrying an lmkg label.
    ``max_message_bytes`` bounds each message (default: none for Neo4j, 3,000 for FalkorDB).
    """
    from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

    dialect = Dialect(dialect)
    prep: Callable[[Any], Any] = lambda v: v  # noqa: E731
    if dialect is Dialect.FALKORDB:
        prep = falkordb_escape
        if max_message_bytes is None:
            max_message_bytes = FALKORDB_MAX_MESSAGE
    report = PushReport()
    stage = "connecting"
    say = progress or (lambda *_: None)
    t0 = time.perf_counter()
    try:
        with driver.session(database=database) as session:
            if wipe:
                stage = "wiping"
                report.deleted = _wipe(session, say)
            stage = "creating constraints and indexes"
            _ensure_schema(session, dialect)
            nodes = node_rows(kg)
            total = sum(map(len, nodes.values()))
            for label, rows in nodes.items():
                stage = f"writing {label} nodes"
                q = node_merge_query(label)
                report.batches += _send(session, q, rows, batch_size, max_message_bytes,
                                        _node_append(label), prep)
                report.nodes_sent += len(rows)
                say("nodes", report.nodes_sent, total)
            rels = rel_rows(kg)
            total = sum(map(len, rels.values()))
            for (rtype, sl, ol), rows in rels.items():
                stage = f"writing {rtype} relationships ({sl} to {ol})"
                q = rel_merge_query(rtype, sl, ol)
                report.batches += _send(session, q, rows, batch_size, max_message_bytes,
                                        _rel_append(rtype, sl, ol), prep)
                report.rels_sent += len(rows)
                say("relationships", report.rels_sent, total)
            report.seconds = time.perf_counter() - t0
            stage = "counting"
            report.db_nodes, report.db_rels = database_counts(session)
    except (ServiceUnavailable, SessionExpired) as exc:
        raise Neo4jPushError(f"lost the connection while {stage}: {_one_line(exc)}") from None
    except Neo4jError as exc:
        raise Neo4jPushError(f"the database failed while {stage}: "
                             f"{exc.message or _one_line(exc)}") from None
    return report


def _send(session, query: str, rows: list[dict[str, Any]], batch_size: int,
          max_bytes: int | None, append: Append, prep: Callable[[Any], Any]) -> int:
    sent = 0
    overhead = len(query.encode()) + 64
    budget = max_bytes - overhead if max_bytes else None
    ready = [prep(r) for r in rows]
    for idx in _batch_index(ready, batch_size, max_bytes, overhead):
        if budget is not None and len(idx) == 1 and _size(ready[idx[0]]) > budget:
            _send_split(session, query, rows[idx[0]], budget, append, prep)
        else:
            session.execute_write(_run, query, {"rows": [ready[i] for i in idx]})
        sent += 1
    return sent


def _batch_index(rows: list[dict[str, Any]], batch_size: int, max_bytes: int | None,
                 overhead: int) -> Iterator[list[int]]:
    pos = iter(range(len(rows)))
    for batch in batches(rows, batch_size, max_bytes, overhead):
        yield [next(pos) for _ in batch]


def _send_split(session, query: str, row: dict[str, Any], budget: int, append: Append,
                prep: Callable[[Any], Any]) -> None:
    ends = {k: v for k, v in row.items() if k != "props"}
    room = budget - _size(prep(ends)) - 64
    base, pieces = split_row(row["props"], room, measure=lambda v: _size(prep(v)))

    def work(tx) -> None:
        tx.run(query, rows=[prep({**ends, "props": base})]).consume()
        for key, piece in pieces:
            tx.run(append(key, isinstance(piece, list)), prep({**ends, "piece": piece})).consume()

    session.execute_write(work)


Append = Callable[[str, bool], str]


def _node_append(label: str) -> Append:
    def q(key: str, is_list: bool) -> str:
        k, empty = _key(key), "[]" if is_list else "''"
        return (f"MATCH (n:{_label(label)} {{id: $id}}) "
                f"SET n.{k} = coalesce(n.{k}, {empty}) + $piece")
    return q


def _rel_append(rtype: str, sl: str, ol: str) -> Append:
    def q(key: str, is_list: bool) -> str:
        k, empty = _key(key), "[]" if is_list else "''"
        return (f"MATCH (s:{_label(sl)} {{id: $s}})-[r:{_rtype(rtype)}]->"
                f"(o:{_label(ol)} {{id: $o}}) SET r.{k} = coalesce(r.{k}, {empty}) + $piece")
    return q


def _run(tx, query: str, params: dict[str, Any]) -> None:
    tx.run(query, params).consume()


def _ensure_schema(session, dialect: Dialect) -> None:
    statements = schema_statements(dialect)
    if dialect is Dialect.FALKORDB:
        have = set()
        for rec in session.run("CALL db.indexes()"):
            label, props = rec[0], rec[1]
            for p in props:
                have.add(f"CREATE INDEX FOR (n:{label}) ON (n.{p})")
        statements = [s for s in statements if s not in have]
    for stmt in statements:
        session.run(stmt).consume()


def _wipe(session, say: Progress) -> int:
    deleted = 0
    for label in sorted(_LABELS):
        q = f"MATCH (n:{_label(label)}) WITH n LIMIT 500 DETACH DELETE n"
        while True:
            summary = session.execute_write(lambda tx, q=q: tx.run(q).consume())
            n = summary.counters.nodes_deleted
            deleted += n
            if n == 0:
                break
    say("deleted", deleted, deleted)
    return deleted


def database_counts(session) -> tuple[dict[str, int], dict[str, int]]:
    """Nodes per lmkg label and relationships per lmkg type in the database (zeros omitted)."""
    nodes: dict[str, int] = {}
    for label in sorted(_LABELS):
        n = session.run(f"MATCH (n:{_label(label)}) RETURN count(n) AS c").single()["c"]
        if n:
            nodes[label] = n
    rels: dict[str, int] = {}
    for rtype in sorted(_RTYPES):
        n = session.run(f"MATCH ()-[r:{_rtype(rtype)}]->() RETURN count(r) AS c").single()["c"]
        if n:
            rels[rtype] = n
    return nodes, rels


def graph_counts(kg: KnowledgeGraph) -> tuple[dict[str, int], dict[str, int]]:
    """The same counts taken from the graph itself, for comparison with the database."""
    nodes = Counter(d["type"] for _, d in kg.g.nodes(data=True))
    rels = Counter(k for _, _, k in kg.g.edges(keys=True))
    return dict(sorted(nodes.items())), dict(sorted(rels.items()))


# -- neo4j-admin CSV ---------------------------------------------------------------------------
_CSV_TYPE = {"STRING": "", "STRING[]": ":string[]", "INT64": ":int", "BOOLEAN": ":boolean",
             "DOUBLE": ":double"}
_ARRAY_DELIMITERS = ("|", ";", "¦", "\x1f")


def _array_delimiter(kg: KnowledgeGraph) -> str:
    """The first candidate delimiter that occurs in no list item of the graph."""
    items: set[str] = set()
    for _, d in kg.g.nodes(data=True):
        for v in node_properties(d).values():
            if isinstance(v, list):
                items.update(map(str, v))
    for *_, d in kg.g.edges(keys=True, data=True):
        for v in edge_properties(d).values():
            if isinstance(v, list):
                items.update(map(str, v))
    for cand in _ARRAY_DELIMITERS:
        if not any(cand in it for it in items):
            return cand
    raise LmkgError("every candidate array delimiter occurs in the data; cannot write CSV")


def _csv_cell(value: Any, delim: str) -> str:
    if value is None or value == []:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return delim.join(str(v) for v in value)
    return str(value)


def write_neo4j_csv(kg: KnowledgeGraph, out_dir: Path) -> dict[str, Any]:
    """Node and relationship CSVs for ``neo4j-admin database import full``, a constraints script
    and a README with the exact import command. Returns a summary (files, counts, command)."""
    out_dir = Path(out_dir)
    delim = _array_delimiter(kg)
    nschema, rschema = node_schema(), relationship_schema()
    files_n: list[str] = []
    files_r: list[str] = []
    counts_n: dict[str, int] = {}
    counts_r: dict[str, int] = {}
    for label, rows in node_rows(kg).items():
        cols = [c for c in nschema[label] if c != "id"]
        header = ["id:ID", ":LABEL", *(c + _CSV_TYPE[nschema[label][c]] for c in cols)]
        name = f"nodes_{label}.csv"
        with (out_dir / name).open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(header)
            for r in rows:
                w.writerow([r["id"], label, *(_csv_cell(r["props"].get(c), delim) for c in cols)])
        files_n.append(name)
        counts_n[label] = len(rows)
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (rtype, _s, _o), rows in rel_rows(kg).items():
        by_type[rtype].extend(rows)
    for rtype, rows in sorted(by_type.items()):
        cols = list(rschema[rtype])
        header = [":START_ID", ":END_ID", ":TYPE", *(c + _CSV_TYPE[rschema[rtype][c]] for c in cols)]
        name = f"rels_{rtype}.csv"
        with (out_dir / name).open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(header)
            for r in rows:
                w.writerow([r["s"], r["o"], rtype,
                            *(_csv_cell(r["props"].get(c), delim) for c in cols)])
        files_r.append(name)
        counts_r[rtype] = len(rows)
    with (out_dir / "constraints.cypher").open("w", encoding="utf-8") as fh:
        fh.write("// Run after the import: cypher-shell -d neo4j -f constraints.cypher\n")
        fh.writelines(s + ";\n" for s in schema_statements(Dialect.NEO4J))
    command = import_command(files_n, files_r, delim)
    (out_dir / "README.md").write_text(_csv_readme(command, counts_n, counts_r, delim),
                                       encoding="utf-8")
    return {"nodes": counts_n, "relationships": counts_r, "array_delimiter": delim,
            "command": command}


def _shell_quote(s: str) -> str:
    if s == "\x1f":
        return "$'\\x1f'"
    return "'" + s.replace("'", "'\\''") + "'"


def import_command(node_files: list[str], rel_files: list[str], delim: str) -> str:
    parts = ["neo4j-admin database import full"]
    parts += [f"--nodes=import/{f}" for f in node_files]
    parts += [f"--relationships=import/{f}" for f in rel_files]
    parts += [f"--array-delimiter={_shell_quote(delim)}", "--multiline-fields=true",
              "--overwrite-destination=true", "neo4j"]
    return " \\\n  ".join(parts)


def _csv_readme(command: str, counts_n: dict[str, int], counts_r: dict[str, int],
                delim: str) -> str:
    rows_n = "\n".join(f"| {k} | {v} |" for k, v in counts_n.items())
    rows_r = "\n".join(f"| {k} | {v} |" for k, v in counts_r.items())
    return f"""# lmkg graph as neo4j-admin import files

Written by `lmkg export --format neo4j-csv`. One file per label (`nodes_<Label>.csv`, header
`id:ID,:LABEL,...`) and per relationship type (`rels_<TYPE>.csv`, header
`:START_ID,:END_ID,:TYPE,...`); typed columns (`:int`, `:boolean`, `:string[]`), list items
joined by `{delim if delim != chr(31) else 'U+001F'}`; an empty cell is an absent property. Nested records (CNS evidence,
incidence figures, sources) are JSON text in `*_json` columns; `cns_level`, `cns_level_rank`,
`cns_penetrant` (agents) and `source_ids` (relationships) are flattened for filtering.

## Import (Neo4j 5, database stopped)

Copy this folder's CSV files into the DBMS's `import/` folder, then from the DBMS home:

```sh
{command}
```

then start the database and create the constraints and indexes:

```sh
cypher-shell -d neo4j -f import/constraints.cypher
```

## Contents

| label | nodes |
|---|---|
{rows_n}

| type | relationships |
|---|---|
{rows_r}
"""


# -- standalone Cypher script ------------------------------------------------------------------
_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b",
            "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r"[\\'\x00-\x1f]")


def cypher_string(s: str) -> str:
    """A single-quoted Cypher string literal for any text (quotes, backslashes, controls)."""
    return "'" + _NEEDS_ESCAPE.sub(
        lambda m: _ESCAPES.get(m.group(0), f"\\u{ord(m.group(0)):04x}"), s) + "'"


def cypher_literal(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            raise ValueError("NaN and infinity have no Cypher literal")
        return repr(v)
    if isinstance(v, str):
        return cypher_string(v)
    if isinstance(v, list):
        return "[" + ", ".join(cypher_literal(x) for x in v) + "]"
    raise TypeError(f"no Cypher literal for {type(v).__name__}")


def cypher_map(props: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{_key(k)}: {cypher_literal(v)}" for k, v in props.items()) + "}"


def cypher_script(kg: KnowledgeGraph, dialect: Dialect | str = Dialect.NEO4J) -> Iterator[str]:
    """Statements (each ending ``;``): schema, then one MERGE per node, then per relationship.

    Every value is an escaped literal; re-running the script leaves the same graph.
    """
    yield "// lmkg graph as a Cypher script: cypher-shell -f this-file\n"
    for s in schema_statements(dialect):
        yield s + ";\n"
    for label, rows in node_rows(kg).items():
        for r in rows:
            yield (f"MERGE (n:{_label(label)} {{id: {cypher_string(r['id'])}}}) "
                   f"SET n = {cypher_map(r['props'])};\n")
    for (rtype, sl, ol), rows in rel_rows(kg).items():
        for r in rows:
            yield (f"MATCH (s:{_label(sl)} {{id: {cypher_string(r['s'])}}}), "
                   f"(o:{_label(ol)} {{id: {cypher_string(r['o'])}}}) "
                   f"MERGE (s)-[r:{_rtype(rtype)}]->(o) SET r = {cypher_map(r['props'])};\n")
