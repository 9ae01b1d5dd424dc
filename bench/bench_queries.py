"""Query latency: biomarker -> agents and k shortest paths, curated and synthetic graphs.

Prints p50/p99 per query and graph, and the wall time of `lmkg agents` end to end (a fresh
process that loads the saved graph). Targets (issue 4): p50 < 5 ms for biomarker -> agents on
the curated graph; paths p50 < 200 ms on the synthetic 100k-node / 1M-edge graph; the command
end to end < 1.5 s.

    python bench/bench_queries.py [--nodes 100000 --edges 1000000] [--repeat 200]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pct(samples: list[float], q: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def timeit(fn, args_list, repeat: int) -> tuple[float, float]:
    samples = []
    for i in range(repeat):
        args = args_list[i % len(args_list)]
        t = time.perf_counter()
        try:
            fn(*args)
        except Exception:
            pass
        samples.append((time.perf_counter() - t) * 1000)
    return pct(samples, 0.5), pct(samples, 0.99)


def report(label: str, p50: float, p99: float) -> None:
    print(f"{label:<58} p50 {p50:9.3f} ms   p99 {p99:9.3f} ms")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--nodes", type=int, default=100_000)
    ap.add_argument("--edges", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=200)
    ap.add_argument("--path-repeat", type=int, default=30)
    args = ap.parse_args()

    import _paths  # noqa: F401

    import lmkg
    from lmkg.graph import save_graph
    from lmkg.graph.query import agents_for_biomarker, shortest_paths
    from support.synthetic import make_synthetic

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    t = time.perf_counter()
    kg = lmkg.build()
    print(f"curated graph: {len(kg)} nodes, {kg.g.number_of_edges()} edges "
          f"(built in {time.perf_counter() - t:.2f} s)")
    biomarkers = kg.ids("Biomarker") + kg.ids("Gene")
    report("curated: biomarker -> agents (all biomarkers and genes)",
           *timeit(lambda b: agents_for_biomarker(kg, b), [(b,) for b in biomarkers], args.repeat))
    report("curated: EGFR -> CNS-penetrant agents",
           *timeit(lambda: agents_for_biomarker(kg, "EGFR", cns_min_level="csf_pk"), [()],
                   args.repeat))
    agents = kg.ids("Agent")
    cancers = kg.ids("PrimaryCancer")
    rng = random.Random(1)
    pairs = [(rng.choice(agents), rng.choice(cancers)) for _ in range(50)]
    report("curated: 3 shortest paths agent -> cancer (max 4 hops)",
           *timeit(lambda a, b: shortest_paths(kg, a, b, k=3, max_hops=4), pairs, args.repeat))

    with tempfile.TemporaryDirectory() as tmp:
        gpath = Path(tmp) / "g.json"
        save_graph(kg, gpath)
        env = {**os.environ, "LMKG_GRAPH": str(gpath)}
        walls = []
        for _ in range(5):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "lmkg.cli", "agents", "--biomarker", "EGFR",
                            "--cns-penetrant", "--format", "json"], env=env, check=True,
                           stdout=subprocess.DEVNULL)
            walls.append(time.perf_counter() - t)
        print(f"{'end to end: lmkg agents --biomarker EGFR --cns-penetrant':<58} "
              f"median {statistics.median(walls):.3f} s (min {min(walls):.3f} s, 5 runs)")

    t = time.perf_counter()
    syn = make_synthetic(args.nodes, args.edges, seed=0)
    print(f"synthetic graph: {len(syn)} nodes, {syn.g.number_of_edges()} edges "
          f"(generated in {time.perf_counter() - t:.1f} s)")
    sb = syn.ids("Biomarker")
    report("synthetic: biomarker -> agents",
           *timeit(lambda b: agents_for_biomarker(syn, b), [(b,) for b in sb], args.repeat))
    sa, sc = syn.ids("Agent"), syn.ids("PrimaryCancer")
    pairs = [(rng.choice(sa), rng.choice(sc)) for _ in range(args.path_repeat)]
    t = time.perf_counter()
    shortest_paths(syn, pairs[0][0], pairs[0][1], k=1)  # builds the cached projection once
    print(f"synthetic: undirected projection built once in {time.perf_counter() - t:.2f} s")
    report("synthetic: 3 shortest paths agent -> cancer (max 4 hops)",
           *timeit(lambda a, b: shortest_paths(syn, a, b, k=3, max_hops=4), pairs,
                   args.path_repeat))


if __name__ == "__main__":
    main()
