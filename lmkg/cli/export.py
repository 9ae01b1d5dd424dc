"""Getting the graph out: ``lmkg neo4j push``, ``lmkg export`` and ``lmkg sparql``."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

import click

from .common import (
    FORMAT_ROWS,
    emit_json,
    emit_query_rows,
    emit_rows,
    get_graph,
    graph_option,
    handle_errors,
    limit_options,
    note,
    saved_graph,
    wide_option,
)

EXPORT_FORMATS = ["ttl", "nt", "jsonld", "neo4j-csv", "cypher", "kgx"]


@contextlib.contextmanager
def _quiet_driver() -> Iterator[None]:
    """Keep the driver's retry warnings (counted in the summary instead) and the server's
    notifications (``label does not exist`` while counting) off the terminal."""
    loggers = [logging.getLogger(n) for n in ("neo4j.session", "neo4j.notifications")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


@click.group()
def neo4j() -> None:
    """Write the graph into a Neo4j (or other Bolt) database."""


@neo4j.command()
@click.option("--uri", required=True, help="Bolt URI, e.g. bolt://localhost:7687 or neo4j://host.")
@click.option("--user", default="neo4j", show_default=True,
              help="User name; the password is read from $NEO4J_PASSWORD only.")
@click.option("--database", default=None, help="Database name (default: the server's default).")
@click.option("--wipe", is_flag=True,
              help="First delete every node with an lmkg label (and its relationships), so the "
                   "database holds exactly the graph.")
@click.option("--batch-size", type=click.IntRange(1), default=1000, show_default=True,
              help="Rows per transaction (FalkorDB: ~20).")
@click.option("--workers", type=click.IntRange(1, 16), default=2, show_default=True,
              help="Transactions at once (FalkorDB: always 1). Deadlocks between them are "
                   "retried by the driver.")
@click.option("--dialect", type=click.Choice(["neo4j", "falkordb"]), default="neo4j",
              show_default=True, help="Server dialect for constraints and indexes.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="How to print the final counts.")
@click.option("--retry-seconds", type=click.FloatRange(0), default=30.0, show_default=True,
              help="How long to retry a transaction that failed for a transient reason "
                   "(a server restarting, a lost connection) before giving up.")
@wide_option
@graph_option
@handle_errors
def push(uri: str, user: str, database: str | None, wipe: bool, batch_size: int, workers: int,
         dialect: str, fmt: str, retry_seconds: float, graph_path: Path | None) -> None:
    """MERGE the graph into the database at --uri (idempotent: a second push changes nothing).

    Labels are entity types, relationship types are relation verbs, properties the scalar and
    list fields; CNS evidence and sources are JSON-text properties (docs/cypher.md). Without
    $NEO4J_PASSWORD the connection is unauthenticated.
    """
    from lmkg.graph.export.neo4j_push import check_uri, close, connect, redact_uri
    from lmkg.graph.export.neo4j_push import push as do_push
    from lmkg.graph.export.neo4j_statements import graph_counts

    check_uri(uri)
    password = os.environ.get("NEO4J_PASSWORD") or None
    if password is None:
        note("NEO4J_PASSWORD is not set: connecting without authentication")
    kg = get_graph(graph_path)
    driver = connect(uri, user, password, dialect, database, retry_seconds=retry_seconds)
    last = [0.0]

    def progress(what: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - last[0] > 1.0:
            last[0] = now
            note(f"  {what}: {done}/{total}")

    try:
        note(f"pushing {kg.g.number_of_nodes()} nodes and {kg.g.number_of_edges()} "
             f"relationships to {redact_uri(uri)}"
             + (" (wiping lmkg labels first)" if wipe else ""))
        with _quiet_driver():
            report = do_push(kg, driver, database=database, wipe=wipe, batch_size=batch_size,
                             workers=workers, dialect=dialect, progress=progress)
    finally:
        close(driver, uri, dialect)
    want_n, want_r = graph_counts(kg)
    rows = [{"kind": "node", "name": k, "graph": want_n.get(k, 0), "database": report.db_nodes.get(k, 0)}
            for k in sorted(set(want_n) | set(report.db_nodes))]
    rows += [{"kind": "relationship", "name": k, "graph": want_r.get(k, 0),
              "database": report.db_rels.get(k, 0)}
             for k in sorted(set(want_r) | set(report.db_rels))]
    summary = {"nodes": report.nodes_sent, "relationships": report.rels_sent,
               "batches": report.batches, "seconds": round(report.seconds, 2),
               "rows_per_second": round(report.rows_per_second), "deleted": report.deleted,
               "retries": report.retries,
               "counts": rows}
    if fmt == "json":
        emit_json(summary)
    else:
        emit_rows(rows, ["kind", "name", "graph", "database"], "table", title="Counts")
        note(f"pushed {report.nodes_sent} nodes and {report.rels_sent} relationships in "
             f"{report.seconds:.1f} s ({report.rows_per_second:,.0f} rows/s"
             + (f"; {report.retries} transient failures retried" if report.retries else "")
             + ")")
    if report.previous_unfinished:
        note(f"note: the previous push (started {report.previous_unfinished.get('started')}) "
             "had not finished; this one completed the database")
    extra = [r for r in rows if r["database"] != r["graph"]]
    if extra:
        note("warning: the database differs from the graph for "
             + ", ".join(f"{r['name']} ({r['database']} vs {r['graph']})" for r in extra)
             + "; push with --wipe to make it hold exactly the graph")


@neo4j.command()
@click.option("--uri", required=True, help="Bolt URI, e.g. bolt://localhost:7687 or neo4j://host.")
@click.option("--user", default="neo4j", show_default=True,
              help="User name; the password is read from $NEO4J_PASSWORD only.")
@click.option("--database", default=None, help="Database name (default: the server's default).")
@click.option("--dialect", type=click.Choice(["neo4j", "falkordb"]), default="neo4j",
              show_default=True, help="Server dialect.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@wide_option
@graph_option
@handle_errors
def verify(uri: str, user: str, database: str | None, dialect: str, fmt: str,
           graph_path: Path | None) -> None:
    """Check a database against the graph without writing: did the last push finish, was it
    of this graph, and do the nodes and relationships per label and type match?

    Exit code 0 when the database holds the graph, 1 otherwise (each reason on stderr).
    """
    from lmkg.errors import LmkgError
    from lmkg.graph.export.neo4j_push import check_uri, close, connect
    from lmkg.graph.export.neo4j_push import verify as do_verify

    check_uri(uri)
    password = os.environ.get("NEO4J_PASSWORD") or None
    kg = get_graph(graph_path)
    driver = connect(uri, user, password, dialect, database)
    try:
        rep = do_verify(kg, driver, database=database)
    finally:
        close(driver, uri, dialect)
    if fmt == "json":
        emit_json({"ok": rep.ok, "problems": rep.problems, "last_push": rep.last_push,
                   "graph_hash": rep.graph_hash, "counts": rep.rows()})
    else:
        emit_rows(rep.rows(), ["kind", "name", "graph", "database"], "table", title="Counts")
        last = rep.last_push
        if last:
            note(f"last push: started {last.get('started')}, "
                 + (f"finished {last.get('finished')}" if last.get("finished")
                    else f"status {last.get('status')}")
                 + f", graph hash {last.get('graph_hash')} (this graph: {rep.graph_hash})")
    if not rep.ok:
        for p in rep.problems[:-1]:
            note(p)
        raise LmkgError(rep.problems[-1])
    note("the database holds exactly this graph")


@click.command()
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True,
              help="ttl/nt/jsonld: RDF with the OWL ontology; neo4j-csv: a folder for "
                   "neo4j-admin import; cypher: one script for cypher-shell -f; kgx: a folder "
                   "of KGX TSV and JSON Lines with Biolink categories and predicates.")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="Output file (a folder for neo4j-csv and kgx).")
@click.option("--no-ontology", is_flag=True, help="RDF: leave the OWL ontology out.")
@click.option("--dialect", type=click.Choice(["neo4j", "falkordb"]), default="neo4j",
              show_default=True, help="cypher: dialect of the schema statements.")
@graph_option
@handle_errors
def export(fmt: str, output: Path, no_ontology: bool, dialect: str,
           graph_path: Path | None) -> None:
    """Write the graph as RDF (Turtle, N-Triples, JSON-LD), neo4j-admin CSVs, a Cypher script
    or KGX (Biolink)."""
    from lmkg.atomic import atomic_dir, atomic_write

    kg = get_graph(graph_path)
    t0 = time.perf_counter()
    if fmt in ("ttl", "nt", "jsonld"):
        from lmkg.graph.export.rdf import write_rdf

        n = write_rdf(kg, output, fmt, ontology=not no_ontology)
        dt = time.perf_counter() - t0
        note(f"wrote {n:,} triples to {output} in {dt:.2f} s")
    elif fmt == "kgx":
        from lmkg.graph.export.kgx import write_kgx

        with atomic_dir(output) as tmp:
            summary = write_kgx(kg, tmp)
        note(f"wrote {summary['nodes']:,} nodes and {summary['edges']:,} edges to {output}/ "
             f"as KGX ({', '.join(summary['files'])})")
    elif fmt == "neo4j-csv":
        from lmkg.graph.export.neo4j_csv import write_neo4j_csv

        with atomic_dir(output) as tmp:
            summary = write_neo4j_csv(kg, tmp)
        note(f"wrote {sum(summary['nodes'].values())} nodes and "
             f"{sum(summary['relationships'].values())} relationships to {output}/ "
             f"(import command in {output}/README.md)")
    else:
        from lmkg.graph.export.cypher_script import cypher_script

        n = 0
        with atomic_write(output) as fh:
            for stmt in cypher_script(kg, dialect):
                fh.write(stmt)
                n += 1
        note(f"wrote {n} statements to {output} (run: cypher-shell -f {output})")


@click.command()
@click.argument("query")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind ?NAME to VALUE (one RDF term; ?NAME need not be in SELECT): an lmkg "
                   "id or IRI becomes an IRI, a JSON number or boolean a typed literal, "
                   "anything else a string.")
@click.option("--format", "fmt", type=FORMAT_ROWS, default="table", show_default=True)
@wide_option
@limit_options()
@graph_option
@handle_errors
def sparql(query: str, params: tuple[str, ...], fmt: str, graph_path: Path | None,
           limits) -> None:
    """Run a SPARQL SELECT or ASK over the graph's RDF export (instances + ontology).

    Prefixes lmkg:, lmkgs:, rdf:, rdfs:, skos:, dcterms:, xsd: and owl: are predeclared.
    QUERY may be @FILE to read it from a file. Examples in docs/sparql.md. Offline by
    design: SERVICE is refused. Runs within --timeout, --max-rows and --max-memory.
    """
    from lmkg.errors import LmkgError
    from lmkg.graph.query.sparql import check_offline, run_sparql

    if query.startswith("@"):
        try:
            query = Path(query[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            raise LmkgError(f"cannot read {query[1:]}: {exc.strerror}") from None
    values: dict[str, object] = {}
    for p in params:
        name, sep, raw = p.partition("=")
        if not sep or not name.isidentifier():
            raise LmkgError(f"--param takes NAME=VALUE, got {p!r}")
        try:
            parsed = json.loads(raw)
            values[name] = parsed if isinstance(parsed, bool | int | float) else raw
        except ValueError:
            values[name] = raw
    check_offline(query)
    gp = saved_graph(graph_path)  # the store cached beside a saved graph answers without it
    kg = get_graph(None) if gp is None else None
    cols, rows = run_sparql(kg, query, values, limits, graph_path=gp)
    emit_query_rows(cols, rows, fmt)


COMMANDS = [neo4j, export, sparql]
