"""Neo4j benchmarks (issue 18): push throughput, bulk import and cookbook latency on a real Neo4j.

    python bench/bench_neo4j.py                  # the curated graph
    python bench/bench_neo4j.py --synthetic      # also the synthetic 100k-node / 1M-edge graph

The server is Neo4j Community 5.26 from Neo4j's test harness (tests/support/neo4j_server.py) on
127.0.0.1, run with the JVM's default compilers and collector as a production server is, and
warmed up by one push of a small synthetic graph before anything is measured. For each graph:

- ``lmkg neo4j push`` (the library call behind it) into an empty database at the default batch
  size and workers, again (idempotent: every MERGE matches), and the same with one worker for
  comparison (curated graph: the median of three rounds; synthetic: one);
- ``lmkg export --format neo4j-csv`` and Neo4j's own ``neo4j-admin database import full`` (the
  command of the export's README) into a fresh DBMS home, then the server opening it;
- the cookbook of docs/cypher.md (curated graph): per-query latency on Neo4j over Bolt next to
  the embedded engine of ``lmkg cypher``, with the same parameters, after warm-up runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shlex
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import _paths  # noqa: F401
import neo4j
from cookbook import NAMES, doc_queries, params

import lmkg
from lmkg.graph.export.neo4j_csv import write_neo4j_csv
from lmkg.graph.export.neo4j_push import PushReport, connect, database_counts, push
from lmkg.graph.export.neo4j_statements import graph_counts
from lmkg.graph.query.cypher import EmbeddedCypher
from support.neo4j_server import NEO4J_VERSION, Neo4jLauncher, neo4j_admin
from support.synthetic import make_synthetic

DEFAULT_BATCH = push.__kwdefaults__["batch_size"]
DEFAULT_WORKERS = push.__kwdefaults__["workers"]


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


JVM_PID = 0  # the launcher's JVM, for its CPU time


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds used so far by the Neo4j JVM and by this (client) process."""
    fields = Path(f"/proc/{JVM_PID}/stat").read_text().rsplit(")", 1)[1].split()
    jvm = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return jvm, time.process_time()


def clear(driver) -> None:
    """Delete every node and relationship (constraints and indexes stay)."""
    with driver.session() as s:
        s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


def show_push(label: str, runs: list[tuple[PushReport, float, float]], batch: int,
              workers: int) -> None:
    r, jvm, client = sorted(runs, key=lambda x: x[0].seconds)[len(runs) // 2]  # the median
    runs = [x[0] for x in runs]
    rows = r.nodes_sent + r.rels_sent
    spread = (f" (median of {len(runs)}: {min(x.rows_per_second for x in runs):,.0f} to "
              f"{max(x.rows_per_second for x in runs):,.0f} rows/s)" if len(runs) > 1 else "")
    print(f"  push {label} (batch {batch}, workers {workers}): {rows:,} rows in "
          f"{r.seconds:.1f} s = {r.rows_per_second:,.0f} rows/s{spread}, {r.batches:,} "
          f"transactions, {sum(x.retries for x in runs)} transient failures retried in all; "
          f"CPU: Neo4j {jvm:.1f} s, client {client:.1f} s   [load {load()}]", flush=True)


def bench_push(kg, driver, batch: int, workers: int, times: int) -> None:
    """``times`` rounds of: clear, push (into an empty database), push again (idempotent)."""
    want = graph_counts(kg)
    for w in dict.fromkeys((workers, 1)):
        first, again = [], []
        for _ in range(times):
            clear(driver)
            for runs in (first, again):
                j0, c0 = cpu_seconds()
                r = push(kg, driver, batch_size=batch, workers=w)
                j1, c1 = cpu_seconds()
                assert (r.db_nodes, r.db_rels) == want, "the database does not hold the graph"
                runs.append((r, j1 - j0, c1 - c0))
        show_push("into an empty database", first, batch, w)
        show_push("again (idempotent)", again, batch, w)


def bench_import(kg, launcher: Neo4jLauncher, name: str, args) -> None:
    want = graph_counts(kg)
    with tempfile.TemporaryDirectory(prefix="lmkg-bench-import-") as tmp:
        out = Path(tmp) / "neo4j-csv"
        out.mkdir()
        t = time.perf_counter()
        summary = write_neo4j_csv(kg, out)
        dt = time.perf_counter() - t
        rows = kg.g.number_of_nodes() + kg.g.number_of_edges()
        print(f"  neo4j-csv export: {rows:,} rows in {dt:.1f} s = {rows / dt:,.0f} rows/s")
        home = Path(tmp) / "dbms"
        shutil.copytree(out, home / "import")
        cmd = shlex.split(summary["command"].replace("\\\n", " "))
        run = neo4j_admin(home, cmd[1:], heap="2g")
        assert run.returncode == 0, run.output[-2000:]
        m = re.search(r"IMPORT DONE in ([^.\n]+)", run.output)
        bad = (home / "import.report").read_text(encoding="utf-8")
        assert bad == "", f"the importer reported bad entries: {bad[:500]}"
        print(f"  bulk import (neo4j-admin database import full): {run.seconds:.1f} s with its "
              f"JVM ({rows / run.seconds:,.0f} rows/s); the importer's own time: "
              f"{m.group(1) if m else '?'}; no bad entries   [load {load()}]", flush=True)
        t = time.perf_counter()
        server = launcher.start(f"imported-{name}", from_home=home, pagecache_mb=args.pagecache)
        dt = time.perf_counter() - t
        with neo4j.GraphDatabase.driver(server.uri, auth=server.auth) as d, d.session() as s:
            got = database_counts(s)
        launcher.stop(f"imported-{name}")
        assert got == want, "the imported database does not hold the graph"
        print(f"  the server opened the imported database in {dt:.1f} s; counts equal the "
              f"graph's")


def _ms(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples), samples[min(len(samples) - 1, int(0.95 * len(samples)))]


def bench_cookbook(kg, driver, repeat: int) -> None:
    queries = doc_queries("cypher.md", "cypher")
    ps = params(kg)
    engine = EmbeddedCypher(kg)
    print(f"  cookbook latency, ms (p50 / p95 of {repeat} runs after 5 warm-up runs; Neo4j: "
          f"a fresh auto-commit query over Bolt, all rows read; embedded: lmkg cypher's engine "
          f"in-process)")
    print("  | query | rows | Neo4j 5.26 over Bolt | embedded (Ladybug) |")
    print("  |---|---:|---:|---:|")
    try:
        with driver.session() as s:
            for name in NAMES:
                q, p = queries[name], ps[name]
                neo_t, emb_t = [], []
                for i in range(5 + repeat):
                    t = time.perf_counter()
                    rows = list(s.run(q, p))
                    if i >= 5:
                        neo_t.append((time.perf_counter() - t) * 1000)
                    t = time.perf_counter()
                    _, erows = engine.run(q, p)
                    if i >= 5:
                        emb_t.append((time.perf_counter() - t) * 1000)
                assert len(rows) == len(erows), name
                (n50, n95), (e50, e95) = _ms(neo_t), _ms(emb_t)
                print(f"  | {name} | {len(rows)} | {n50:.2f} / {n95:.2f} | "
                      f"{e50:.2f} / {e95:.2f} |", flush=True)
    finally:
        engine.close()


def bench(name: str, kg, launcher: Neo4jLauncher, driver, args) -> None:
    print(f"## {name}: {kg.g.number_of_nodes():,} nodes, {kg.g.number_of_edges():,} "
          f"relationships", flush=True)
    bench_push(kg, driver, args.batch_size, args.workers, 3 if name.startswith("curated") else 1)
    bench_import(kg, launcher, name.split()[0], args)
    if name.startswith("curated") or args.latency_synthetic:
        bench_cookbook(kg, driver, args.repeat)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--synthetic", action="store_true",
                    help="also the synthetic 100k-node / 1M-edge graph (minutes, a few GB)")
    ap.add_argument("--latency-synthetic", action="store_true",
                    help="also the cookbook latency on the synthetic graph")
    ap.add_argument("--batch-size", type=int, default=DEFAULT_BATCH)
    ap.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    ap.add_argument("--repeat", type=int, default=30, help="timed runs per cookbook query")
    ap.add_argument("--heap", default="2g", help="the Neo4j JVM's -Xmx")
    ap.add_argument("--pagecache", type=int, default=1024,
                    help="Neo4j's page cache in MB (the synthetic store is about that size)")
    ap.add_argument("--data", type=Path, default=None, help="curated data folder (default: data/)")
    args = ap.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{sys.version.split()[0]}, neo4j driver {neo4j.__version__}; load {load()}")
    kg = lmkg.build(args.data)
    global JVM_PID
    with Neo4jLauncher(heap=args.heap) as launcher:
        JVM_PID = launcher.proc.pid
        server = launcher.start("bench", pagecache_mb=args.pagecache)
        driver = connect(server.uri, server.user, server.password)
        try:
            with driver.session() as s:
                comp = s.run("CALL dbms.components() YIELD name, versions, edition "
                             "RETURN name, versions[0] AS v, edition").single()
            print(f"server: {comp['name']} {comp['v']} {comp['edition']} (harness "
                  f"{NEO4J_VERSION}), JVM -Xmx{args.heap}, page cache {args.pagecache} MB, "
                  f"Bolt {server.uri}")
            r = push(kg, driver)
            print(f"(the very first push, of the curated graph, to the new server: "
                  f"{r.seconds:.1f} s = {r.rows_per_second:,.0f} rows/s: Cypher planning and "
                  f"JIT compilation of each statement, once per server)", flush=True)
            t = time.perf_counter()
            warm = make_synthetic(5_000, 25_000, seed=1)
            for graph in (warm, kg, warm, kg, kg, kg):
                push(graph, driver)
            print(f"(server warmed up by pushes of the curated graph and of a 5k-node / 25k-edge "
                  f"synthetic graph in {time.perf_counter() - t:.0f} s)", flush=True)
            bench("curated graph", kg, launcher, driver, args)
            if args.synthetic:
                del kg
                t = time.perf_counter()
                syn = make_synthetic(100_000, 1_000_000, seed=0)
                print(f"(synthetic graph generated in {time.perf_counter() - t:.0f} s)")
                bench("synthetic graph", syn, launcher, driver, args)
        finally:
            driver.close()
    print(f"done; load {load()}")


if __name__ == "__main__":
    main()
