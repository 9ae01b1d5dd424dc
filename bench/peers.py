"""lmkg against what a user would write or pick instead, side by side (issue 19).

    python bench/peers.py [--json] [--rounds 7] [--only agents_curated,paths_curated,...]
                          [--no-synthetic]

Every row runs lmkg and its peer on the same data in this one process, in alternating rounds
(lmkg, peer, lmkg, peer, ...), and reports the medians and their ratio (lmkg / peer); rows
that time a whole ``lmkg`` command run each side as a fresh process. Where both give answers
the answers are compared first, and a row whose answers differ fails the run. ``--json``
prints one JSON object ``{measure: {"lmkg": x, "peer": y, "ratio": x / y}}`` (seconds, or the
unit the measure's name says) after the table. Before timing, the bytecode of lmkg's modules is
written where it is missing (:func:`compile_lmkg`), as pip writes it when it installs a package.

Rows (targets of issue 19 in brackets):

- ``agents_curated``, ``agents_synthetic``: ``agents_for_biomarker`` with CNS >= csf_pk, per
  call, over every biomarker and gene of the curated graph, and over 200 biomarkers of the
  synthetic 100k-node / 1M-edge graph, against :func:`peer_agents` (plain networkx on the same
  MultiDiGraph, the same ranking) [ratio <= 3]; ``agents_*_cold``: the same with lmkg's
  per-graph memo of agents' names emptied before each round;
- ``paths_curated``, ``paths_synthetic``: ``shortest_paths`` (k=3, max 4 hops) against
  networkx's ``shortest_simple_paths`` on the same undirected projection [ratio <= 1];
- ``cli_agents``: ``lmkg agents -b EGFR --cns-penetrant`` against ``python -c "import
  networkx"`` [ratio <= 1.8]; ``cli_help``: ``lmkg --help`` against the same floor [< 0.2 s];
- ``sparql_vs_cypher``: ``lmkg sparql`` against ``lmkg cypher``, the same 2-hop question, both
  answered from their caches [ratio <= 1.2];
- ``cypher_first_call_rss_mb``: peak RSS of the first ``lmkg cypher`` (building its cache)
  against ``lmkg agents`` [lmkg < 250 MB]; ``cypher_cache_size_mb``: the cache against the
  graph file [ratio < 4]; ``cypher_load_s_per_10k_edges``: building the cache of synthetic
  graphs (10k and 100k edges), per 10,000 edges, against building the SPARQL store of the same
  graph (both made once per graph file);
- ``turtle_export``, ``ntriples_export``: ``write_rdf`` of the synthetic 10k-node / 100k-edge
  graph (the text made from the graph, written atomically, fsync included) against
  ``pyoxigraph.serialize`` of the same triples, already built, to a path in the same folder
  [ratio <= 2.5];
- ``map_5000``, ``map_5000_size_mb``: ``write_map`` of a synthetic 5,000-node graph against a
  plain pyvis ``Network`` of the same nodes and edges written to HTML [ratios <= 2].
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


# -- the peer of agents_for_biomarker: plain networkx ------------------------------------------
STATUS_ORDER = ["discontinued", "withdrawn", "preclinical", "early_phase1", "phase1", "phase2",
                "phase3", "approved"]
TIER_POINTS = {"preclinical": 1, "case_report": 2, "clinical_trial": 3, "guideline": 4,
               "approved": 5}
CSF_ROUTES = {"intrathecal", "intraventricular"}
LEVEL = {"preclinical": 0, "csf_pk": 1, "intracranial_response": 2, "lm_clinical": 3}
DESIGN = {"randomized_trial": 4.0, "meta_analysis": 3.0, "single_arm_trial": 3.0,
          "trial_subgroup": 2.5, "cohort": 2.0, "pk_study": 2.0, "case_series": 1.5,
          "case_report": 1.0, "preclinical": 0.5, "dataset": 0.5}
KIND = {"trial_report": 3.0, "cohort": 2.0, "case_series": 1.5, "review": 0.5, "guideline": 1.0,
        "label": 2.0, "preclinical": 0.5, "dataset": 0.5, "other": 1.0}


def peer_prepare(G) -> dict[str, Any]:
    """What the peer computes once per graph (lmkg caches the same per graph version): the
    publication kind of each identifier, the treatment recommendations by biomarker."""
    kinds = {x: d["kind"] for _n, d in G.nodes(data=True)
             if d["type"] == "Publication" and d.get("kind") for x in d.get("xrefs", ())}
    recs: dict[str, list] = {}
    for g, x, d in G.edges(data=True):
        if d["predicate"] == "RECOMMENDS" and d.get("biomarker"):
            recs.setdefault(d["biomarker"], []).append((g, x, d))
    return {"kinds": kinds, "recs": recs}


def peer_agents(G, target: str, min_level: int, prep: dict[str, Any]) -> list[str]:
    """The ranked answers for a biomarker or gene (no cancer), CNS level >= ``min_level``, as
    a user would write them over the networkx MultiDiGraph (its edges carry ``predicate``)."""
    N, kinds = G.nodes, prep["kinds"]

    def ins(n, p):
        return [(u, d) for u, ks in G.pred[n].items() for d in ks.values() if d["predicate"] == p]

    def outs(n, p):
        return [(v, d) for v, ks in G.succ[n].items() for d in ks.values() if d["predicate"] == p]

    def walk(n, p, step):
        seen, todo = {n}, [n]
        while todo:
            for m, _d in step(todo.pop(), p):
                if m not in seen:
                    seen.add(m)
                    todo.append(m)
        return seen

    def genes(b):
        return {o for o, _ in outs(b, "ALTERATION_OF")} if b in N else set()

    gene = N[target]["type"] == "Gene"
    if gene:
        family = {b: "member" for a, _ in ins(target, "ALTERATION_OF")
                  for b in walk(a, "SUBTYPE_OF", ins)}
    else:
        family = {target: "self"}
        family.update((b, "member") for b in walk(target, "SUBTYPE_OF", ins) - {target})
        for b in walk(target, "SUBTYPE_OF", outs) - {target}:
            family.setdefault(b, "family")
    rel: dict[str, set[str]] = {}  # once per biomarker per call, as lmkg does

    def related(b):  # a biomarker with its families and members; a gene: all its alterations
        if b not in rel:
            rel[b] = {b} | {m for a, _ in ins(b, "ALTERATION_OF")
                            for m in walk(a, "SUBTYPE_OF", ins)} if N[b]["type"] == "Gene" \
                else walk(b, "SUBTYPE_OF", ins) | walk(b, "SUBTYPE_OF", outs)
        return rel[b]

    def withdrawn(x):  # withdrawn after approval (a regimen: a component was)
        if N[x]["type"] == "Regimen":
            return any(N[c].get("status") == "withdrawn" for c, _ in outs(x, "HAS_COMPONENT"))
        return N[x].get("status") == "withdrawn"

    asked = [*family, *([target] if gene else [])]
    acts: dict[str, set[str]] = {}  # agent -> the biomarkers (or the gene) it acts on
    for b in asked:
        if family.get(b) == "family" and not gene:
            continue
        for x, _ in ins(b, "TARGETS"):
            if N[x]["type"] == "Agent":
                acts.setdefault(x, set()).add(b)
            elif N[x]["type"] == "DrugClass":
                for c in walk(x, "SUBCLASS_OF", ins):
                    for a, _ in ins(c, "MEMBER_OF"):
                        acts.setdefault(a, set()).add(b)
    assocs: dict[str, list] = {}
    for b in family:
        for x, d in outs(b, "PREDICTS_RESPONSE"):
            assocs.setdefault(x, []).append((b, d))
    for b in asked:  # a guideline's treatment recommendation: sensitivity at the guideline tier
        for _g, x, d in prep["recs"].get(b, ()):
            if d.get("topic") == "treatment" and d.get("direction", "for") == "for" \
                    and N[x]["type"] in ("Agent", "Regimen"):
                assocs.setdefault(x, []).append((b, {"direction": "sensitivity",
                                                     "tier": "guideline",
                                                     "cancer": d.get("cancer")}))
    rows = []
    for x in set(acts) | set(assocs):
        graded = []
        gone = withdrawn(x)
        for b, d in assocs.get(x, []):
            eff = d["direction"]
            if d.get("evidence_direction") == "refutes":
                eff = "resistance" if eff == "sensitivity" else None
            where = "tissue-agnostic" if d.get("tissue_agnostic") else \
                N[d["cancer"]].get("name") if d.get("cancer") in N else d.get("disease") or None
            tier = d.get("tier", "")
            points = TIER_POINTS["clinical_trial"] if gone and tier == "approved" else \
                TIER_POINTS.get(tier, 0)  # a withdrawn approval: the trial evidence it rested on
            graded.append((eff, points, where, d, b))
        sens = [a for a in graded if a[0] == "sensitivity"]
        res = [a for a in graded if a[0] == "resistance"]
        basis = max(sens, key=lambda a: a[1], default=None)
        if res:
            r = max(res, key=lambda a: a[1])
            rivals = [a for a in sens if a[2] == r[2]]  # sensitivity in the same cancer
            if (rivals or not sens) and (not rivals or r[1] >= max(a[1] for a in rivals)):
                continue  # in the resistance section
        elif basis is None and x not in acts:
            continue
        regimen = N[x]["type"] == "Regimen"
        points = basis[1] if basis else 0.5
        if basis and basis[3].get("tier") not in (None, "guideline"):
            for t in [x, *(reg for reg, _ in ins(x, "HAS_COMPONENT"))]:
                if any(d["topic"] == "treatment" and d.get("direction", "for") == "for"
                       and N[g].get("covers") in ("lm", "cns")
                       and (d.get("biomarker") in (None, target) or d["biomarker"] in genes(target)
                            or target in genes(d["biomarker"]))
                       for g, d in ins(t, "RECOMMENDS")):
                    points += 0.5  # an LM or CNS guideline recommends it too
                    break
        members = sorted(o for o, _ in outs(x, "HAS_COMPONENT")) if regimen else [x]
        cid = basis[3].get("cancer") if basis else None
        scope = walk(cid, "SUBTYPE_OF", ins) | walk(cid, "SUBTYPE_OF", outs) if cid in N else None
        markers = set()  # the row's biomarkers: its basis's, else what it acts on
        for b in ([basis[4]] if basis else acts.get(x, ())):
            markers |= related(b)
        if markers and gene:
            markers |= related(target)
        cns = []
        for m in members:
            for e in N[m].get("cns_evidence", []):
                if e.get("direction", "supports") != "supports":
                    continue
                if regimen and e.get("route") and set(e["route"]) <= CSF_ROUTES:
                    continue  # given into the CSF: not how a regimen is given
                other = e.get("cancer") is not None and scope is not None \
                    and e["cancer"] not in scope
                other_b = e.get("biomarker") is not None and bool(markers) \
                    and e["biomarker"] not in markers
                n = e.get("patients")
                anecdotal = e.get("study_design") == "case_report" or (n is not None and n < 5)
                w = DESIGN.get(e.get("study_design") or "") or \
                    KIND.get(kinds.get(e["source"].get("id") or "", "other"), 1.0)
                w += min(1.0, math.log10(n) / 3) if n else 0
                w *= 0.5 if e["source"].get("secondary") else 1
                cns.append((LEVEL[e["level"]] - anecdotal - other - other_b,
                            not (other or other_b), w, e))
        if not cns:
            continue
        top = max(cns, key=lambda c: c[:3])
        if LEVEL[top[3]["level"]] < min_level:
            continue

        def key(s):
            return s.get("id") or s.get("url") or repr(sorted(s.items()))

        others = {key(c[3]["source"]) for c in cns if c is not top and c[:2] == top[:2]}
        strength = round(top[2] + 0.1 * len(others - {key(top[3]["source"])}), 2)
        status = N[x].get("status", "")
        if regimen:
            status = "approved" if outs(x, "APPROVED_FOR") else min(
                (N[c].get("status", "") for c in members), default="",
                key=lambda s: STATUS_ORDER.index(s) if s in STATUS_ORDER else -1)
        rank = STATUS_ORDER.index(status) if status in STATUS_ORDER else -1
        rows.append(((-points, -top[0], -top[1], -strength, not regimen, -rank,
                      N[x]["name"].casefold()), x))
    return [x for _k, x in sorted(rows)]


# -- timing ------------------------------------------------------------------------------------
def alternate(lmkg: Callable[[], Any], peer: Callable[[], Any], rounds: int,
              clock: Callable[[], float] = time.perf_counter) -> tuple[float, float]:
    """Median seconds of ``lmkg()`` and ``peer()``, run in alternating rounds."""
    a: list[float] = []
    b: list[float] = []
    for i in range(rounds):
        for fn, out in ((lmkg, a), (peer, b)) if i % 2 == 0 else ((peer, b), (lmkg, a)):
            gc.collect()
            t = clock()
            fn()
            out.append(clock() - t)
    return statistics.median(a), statistics.median(b)


def per_call(fn: Callable[[Any], Any], cases: list[Any]) -> Callable[[], float]:
    """A round: every case once; the round's time divided by the number of cases."""
    def run() -> None:
        for c in cases:
            fn(c)
    return run


def compile_lmkg() -> int:
    """Write the bytecode of lmkg's modules where it is missing. pip compiles a package's
    modules when it installs it (networkx, the peer's floor, is timed with its bytecode); an
    editable install leaves that to the first import, which writes nothing when
    PYTHONDONTWRITEBYTECODE is set, so every ``lmkg`` process would compile its modules anew."""
    import compileall
    import importlib

    folders = []
    for name in ("lmkg", "lmkg.ontology", "lmkg.loaders", "lmkg.graph", "lmkg.viz"):
        folders += list(importlib.import_module(name).__path__)
    for folder in sorted(set(folders)):
        compileall.compile_dir(folder, quiet=1)
    return len(set(folders))


def process(cmd: list[str], env: dict[str, str]) -> Callable[[], None]:
    def run() -> None:
        r = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if r.returncode:
            raise SystemExit(f"{' '.join(cmd)} failed: {r.stderr.decode()[-800:]}")
    return run


def peak_rss_mb(cmd: list[str], env: dict[str, str]) -> float:
    """Peak resident memory of a command (the largest of its processes), in MB."""
    code = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], "
            "stdout=subprocess.DEVNULL); print(r.returncode, resource.getrusage("
            "resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([PY, "-c", code, *cmd], env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    if out[0] != "0":
        raise SystemExit(f"{' '.join(cmd)} failed")
    return int(out[1]) / 1024


class Table:
    def __init__(self) -> None:
        self.rows: dict[str, dict[str, float | None]] = {}
        self.notes: dict[str, str] = {}

    def add(self, name: str, lmkg: float, peer: float | None, note: str = "") -> None:
        ratio = lmkg / peer if peer else None
        self.rows[name] = {"lmkg": lmkg, "peer": peer, "ratio": ratio}
        self.notes[name] = note
        shown = f"{ratio:7.2f}" if ratio is not None else "      -"
        peer_s = f"{peer:12.6g}" if peer is not None else "           -"
        print(f"{name:30} {lmkg:12.6g} {peer_s} {shown}  {note}", flush=True)


# -- the rows ----------------------------------------------------------------------------------
def agents_row(table: Table, name: str, kg, cases: list[str], rounds: int) -> None:
    from lmkg.graph.query import agents_for_biomarker

    prep = peer_prepare(kg.g)
    agree = 0
    for b in cases:  # the answers first, which also warms both sides' per-graph caches
        got = [h.id for h in agents_for_biomarker(kg, b, cns_min_level="csf_pk")]
        want = peer_agents(kg.g, b, 1, prep)
        if got != want:
            raise SystemExit(f"{name}: answers differ for {b}:\n lmkg {got}\n peer {want}")
        agree += 1
    a, p = alternate(per_call(lambda b: agents_for_biomarker(kg, b, cns_min_level="csf_pk"), cases),
                     per_call(lambda b: peer_agents(kg.g, b, 1, prep), cases), rounds,
                     time.process_time)
    table.add(name, a / len(cases), p / len(cases),
              f"per call, CPU; same answers in {agree}/{len(cases)} cases")
    # The same with lmkg's memo of each agent's names (classes, companies, approvals) emptied
    # before every round: what the first round of questions on a freshly opened graph costs.
    from lmkg.graph.query import biomarker

    lmkg_round = per_call(lambda b: agents_for_biomarker(kg, b, cns_min_level="csf_pk"), cases)

    def cold() -> None:
        biomarker._FACTS.clear()
        lmkg_round()

    a, p = alternate(cold, per_call(lambda b: peer_agents(kg.g, b, 1, prep), cases), rounds,
                     time.process_time)
    table.add(f"{name}_cold", a / len(cases), p / len(cases),
              "as above, lmkg's per-graph memo of agents' names emptied before each round")


def paths_row(table: Table, name: str, kg, pairs: list[tuple[str, str]], rounds: int) -> None:
    import networkx as nx

    from lmkg.graph.query import shortest_paths
    from lmkg.graph.query.paths import _projection

    und = _projection(kg, None)  # built once, and shared: both sides walk the same graph

    def ours(pair):
        try:
            return [len(p.hops) for p in shortest_paths(kg, *pair, k=3, max_hops=4)]
        except Exception:  # NoPath
            return []

    def peer(pair):
        out = []
        try:
            for nodes in nx.shortest_simple_paths(und, *pair):
                if len(nodes) - 1 > 4 or len(out) == 3:
                    break
                out.append(len(nodes) - 1)
        except nx.NetworkXNoPath:
            pass
        return out

    agree = sum(ours(p) == peer(p) for p in pairs)
    if agree != len(pairs):
        raise SystemExit(f"{name}: path lengths differ in {len(pairs) - agree} cases")
    a, p = alternate(per_call(ours, pairs), per_call(peer, pairs), rounds, time.process_time)
    table.add(name, a / len(pairs), p / len(pairs),
              f"per call, CPU; same path lengths in {agree}/{len(pairs)} pairs")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="also print the JSON object")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--only", default="", help="comma-separated measures (default: all)")
    ap.add_argument("--no-synthetic", action="store_true",
                    help="leave out the rows on the 100k-node / 1M-edge synthetic graph")
    args = ap.parse_args(argv)
    only = {x for x in args.only.split(",") if x}
    want = lambda m: not only or m in only  # noqa: E731

    sys.path.insert(0, str(ROOT / "bench"))
    import _paths  # noqa: F401

    import lmkg
    from lmkg.graph import save_graph
    from support.synthetic import make_synthetic

    compiled = compile_lmkg()
    load = os.getloadavg()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print(f"bytecode of lmkg's modules written where missing ({compiled} package folders), as "
          "pip writes it at install time for networkx and for a non-editable lmkg")
    print(f"{'measure':30} {'lmkg':>12} {'peer':>12} {'ratio':>7}")
    table = Table()
    kg = lmkg.build()
    tmp = Path(tempfile.mkdtemp(prefix="lmkg-peers-"))
    try:
        gpath = save_graph(kg, tmp / "graph.json")
        env = {**os.environ, "LMKG_GRAPH": str(gpath)}
        lmkg_cli = [PY, "-m", "lmkg.cli"]
        floor = [PY, "-c", "import networkx"]

        if want("agents_curated"):
            cases = sorted(kg.ids("Biomarker") + kg.ids("Gene"))
            agents_row(table, "agents_curated", kg, cases, args.rounds)
        if want("paths_curated"):
            import random

            rng = random.Random(1)
            agents, cancers = kg.ids("Agent"), kg.ids("PrimaryCancer")
            pairs = [(rng.choice(agents), rng.choice(cancers)) for _ in range(50)]
            paths_row(table, "paths_curated", kg, pairs, args.rounds)
        if want("cli_agents"):
            process([*lmkg_cli, "agents", "-b", "EGFR", "--cns-penetrant"], env)()  # warm
            a, p = alternate(process([*lmkg_cli, "agents", "-b", "EGFR", "--cns-penetrant"], env),
                             process(floor, env), args.rounds)
            table.add("cli_agents", a, p, "whole process, wall; peer: python -c 'import networkx'")
        if want("cli_help"):
            a, p = alternate(process([*lmkg_cli, "--help"], env), process(floor, env), args.rounds)
            table.add("cli_help", a, p, "whole process, wall; target < 0.2 s")
        q_sparql = ("SELECT ?agent ?gene WHERE { ?a a lmkgs:Agent ; lmkgs:targets ?b . "
                    "?b a lmkgs:Biomarker ; lmkgs:alterationOf ?g . ?g a lmkgs:Gene . "
                    "?a rdfs:label ?agent . ?g rdfs:label ?gene }")
        q_cypher = ("MATCH (a:Agent)-[:TARGETS]->(b:Biomarker)-[:ALTERATION_OF]->(g:Gene) "
                    "RETURN a.name AS agent, g.name AS gene")
        if want("cypher_first_call_rss_mb") or want("cypher_cache_size_mb"):
            first = peak_rss_mb([*lmkg_cli, "cypher", q_cypher], env)
            other = peak_rss_mb([*lmkg_cli, "agents", "-b", "EGFR", "--cns-penetrant"], env)
            table.add("cypher_first_call_rss_mb", first, other,
                      "peak RSS MB of the first lmkg cypher (builds its cache); peer: lmkg agents")
            (cache,) = tmp.glob("graph.json.cypher-*")
            table.add("cypher_cache_size_mb", cache.stat().st_size / 1e6,
                      gpath.stat().st_size / 1e6, "the Cypher cache against the graph file, MB")
        if want("sparql_vs_cypher"):
            s_cmd = [*lmkg_cli, "sparql", q_sparql, "--format", "json"]
            c_cmd = [*lmkg_cli, "cypher", q_cypher, "--format", "json"]
            s_rows, c_rows = (json.loads(subprocess.run(c, env=env, capture_output=True,
                                                        check=True).stdout)
                              for c in (s_cmd, c_cmd))
            same = sorted((r["agent"], r["gene"]) for r in s_rows) == \
                sorted((r["agent"], r["gene"]) for r in c_rows)
            if not same:
                raise SystemExit("sparql_vs_cypher: the two answers differ")
            a, p = alternate(process(s_cmd, env), process(c_cmd, env), args.rounds)
            table.add("sparql_vs_cypher", a, p,
                      f"whole process, wall, both cached; same {len(s_rows)} rows")
        if want("cypher_load_s_per_10k_edges"):
            from lmkg.graph.query.cypher import cache_for
            from lmkg.graph.query.sparql import store_for

            for n_edges in (10_000, 100_000):
                syn = make_synthetic(n_edges // 10, n_edges, seed=0)
                sp = save_graph(syn, tmp / f"syn{n_edges}.json")
                t = time.perf_counter()
                cache_for(syn, sp)
                c = time.perf_counter() - t
                t = time.perf_counter()
                store_for(syn, sp)
                s = time.perf_counter() - t
                table.add(f"cypher_load_s_per_10k_edges_{n_edges // 1000}k",
                          c / (n_edges / 10_000), s / (n_edges / 10_000),
                          f"building the Cypher cache of a {n_edges:,}-edge graph, per 10k "
                          "edges; peer: the SPARQL store of it")
                del syn
        if want("turtle_export") or want("ntriples_export"):
            import pyoxigraph as ox

            from lmkg.graph.export.rdf import TURTLE_PREFIXES, triples, write_rdf

            syn = make_synthetic(10_000, 100_000, seed=0)
            ready = list(triples(syn))
            for fmt, measure in (("ttl", "turtle_export"), ("nt", "ntriples_export")):
                if not want(measure):
                    continue
                out = tmp / f"x.{fmt}"
                oxfmt = ox.RdfFormat.TURTLE if fmt == "ttl" else ox.RdfFormat.N_TRIPLES
                kw = {"prefixes": TURTLE_PREFIXES} if fmt == "ttl" else {}

                def peer_write(out=out, oxfmt=oxfmt, kw=kw):
                    # To a path, as pyoxigraph's documentation shows: pyoxigraph opens and
                    # buffers the file itself, a little faster than through a Python file
                    # object (N-Triples 0.31 against 0.34 s here). No fsync (ours has one).
                    ox.serialize(ready, str(out.with_suffix(".peer")), oxfmt, **kw)

                n = write_rdf(syn, out, fmt)
                peer_write()

                def read(path, oxfmt=oxfmt):  # blank nodes (the ontology's) differ by parse
                    quads = list(ox.parse(path=str(path), format=oxfmt))
                    return len(quads), {str(q) for q in quads if not any(
                        isinstance(t, ox.BlankNode) for t in (q.subject, q.object))}

                if read(out) != read(out.with_suffix(".peer")) or n != len(ready):
                    raise SystemExit(f"{measure}: the two files hold different triples")
                a, p = alternate(lambda out=out, fmt=fmt: write_rdf(syn, out, fmt), peer_write,
                                 args.rounds, time.process_time)
                table.add(measure, a, p, f"{n:,} triples, CPU; {n / a:,.0f} against "
                          f"{n / p:,.0f} triples/s; same triples")
            del syn, ready
        if want("map_5000") or want("map_5000_size_mb"):
            map_rows(table, make_synthetic(5000, int(5000 * 2.75), seed=0), tmp, args.rounds)
        if not args.no_synthetic and (want("agents_synthetic") or want("paths_synthetic")):
            import random

            t = time.perf_counter()
            syn = make_synthetic(100_000, 1_000_000, seed=0)
            print(f"(synthetic 100k / 1M graph made in {time.perf_counter() - t:.0f} s)",
                  flush=True)
            rng = random.Random(2)
            if want("agents_synthetic"):
                cases = rng.sample(syn.ids("Biomarker"), 200)
                agents_row(table, "agents_synthetic", syn, cases, args.rounds)
            if want("paths_synthetic"):
                agents, cancers = syn.ids("Agent"), syn.ids("PrimaryCancer")
                pairs = [(rng.choice(agents), rng.choice(cancers)) for _ in range(30)]
                paths_row(table, "paths_synthetic", syn, pairs, args.rounds)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        print(json.dumps(table.rows))
    return 0


def map_rows(table: Table, kg, tmp: Path, rounds: int) -> None:
    """``write_map`` against a plain pyvis Network of the same nodes and edges, written out."""
    from pyvis.network import Network

    from lmkg.viz.map import write_map

    nodes = sorted(kg.g.nodes)
    index = {n: i for i, n in enumerate(nodes)}

    def peer() -> None:
        net = Network(directed=True, cdn_resources="in_line")  # self-contained, as ours is
        for n in nodes:
            net.add_node(index[n], label=kg.g.nodes[n].get("name", n))
        for s, o in kg.g.edges():
            net.add_edge(index[s], index[o])
        net.write_html(str(tmp / "pyvis.html"), notebook=False)

    ours = lambda: write_map(kg, tmp / "map.html")  # noqa: E731
    ours()
    peer()  # both once first: imports, vis-network read
    a, p = alternate(ours, peer, max(3, rounds // 2), time.process_time)
    table.add("map_5000", a, p, f"{len(nodes):,} nodes, {kg.g.number_of_edges():,} edges, CPU; "
              "peer: pyvis Network, vis-network inline")
    table.add("map_5000_size_mb", (tmp / "map.html").stat().st_size / 1e6,
              (tmp / "pyvis.html").stat().st_size / 1e6, "the HTML file, MB")


if __name__ == "__main__":
    sys.exit(main())
