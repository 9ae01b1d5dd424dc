"""Loader throughput: every extract in ../shared/data, and a synthetic file of N rows (default
1,000,000) of each tabular format (B3DB TSV, OOPD CSV, CIViC nightly TSV, DrugBank CSV) written
with the real headers into a temporary directory.

Each load runs in a fresh subprocess so that its peak memory (max RSS) is its own. Prints rows
read, seconds, rows/s and peak RSS per loader, and whether the tabular loaders reach the target
(50,000 rows/s).

    python bench/bench_loaders.py [--rows 1000000] [--only b3db,oopd]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
TARGET = 50_000
REAL = [("b3db", "b3db"), ("oopd", "fda"), ("ctgov", "clinicaltrials"), ("civic", "civic"),
        ("openfda", "openfda"), ("drugbank", "drugbank")]

B3DB_HEADER = ["NO.", "compound_name", "IUPAC_name", "SMILES", "CID", "logBB", "BBB+/BBB-",
               "Inchi", "threshold", "reference", "group", "comments"]
OOPD_HEADER = ["Generic Name", "Trade Name", "Date Designated", "Orphan Designation",
               "Orphan Designation Status", "FDA Orphan Approval Status",
               "Approved Labeled Indication", "Marketing Approval Date", "Exclusivity End Date",
               "Exclusivity Protected Indication * (Shown for approvals from Jan. 1, 2013, to "
               "the present)", "Sponsor Company", "Sponsor Address 1", "Sponsor Address 2",
               "Sponsor City", "Sponsor State", "Sponsor Zip", "Sponsor Country", "CF Grid Key"]
CIVIC_HEADER = ("molecular_profile molecular_profile_id disease doid phenotypes therapies "
                "therapy_interaction_type evidence_type evidence_direction evidence_level "
                "significance evidence_statement citation_id source_type asco_abstract_id "
                "citation nct_ids rating evidence_status evidence_id variant_origin "
                "last_review_date evidence_civic_url molecular_profile_civic_url "
                "is_flagged").split()
DRUGBANK_HEADER = ["DrugBank ID", "Accession Numbers", "Common name", "CAS", "UNII", "Synonyms",
                   "Standard InChI Key"]


def _csv_cell(v: str) -> str:
    return f'"{v}"' if ("," in v or '"' in v) else v


# Share of synthetic rows that name an agent of the curated graph (the real OOPD export has
# about 7% of its rows in scope), so that both the in-scope and the set-aside paths are timed.
IN_GRAPH_SHARE = 0.10


def _curated_agent_names() -> list[str]:
    import lmkg

    kg = lmkg.build()
    return sorted(kg.name_of(a) for a in kg.ids("Agent"))


def generate(kind: str, path: Path, n: int, seed: int = 7, real: list[str] | None = None) -> Path:
    """Write ``n`` plausible rows of ``kind`` with its real header; returns the path.

    About ``IN_GRAPH_SHARE`` of the rows name an agent from ``real`` (the curated graph's).
    """
    rnd = random.Random(seed)
    real = real or []

    def drug(i: int, fallback: str) -> str:
        return real[i % len(real)] if real and rnd.random() < IN_GRAPH_SHARE else fallback
    with path.open("w", encoding="utf-8", newline="") as fh:
        if kind == "b3db":
            fh.write("\t".join(B3DB_HEADER) + "\n")
            for i in range(1, n + 1):
                logbb = "" if i % 3 else f"{rnd.uniform(-2.5, 1.5):.2f}"
                label = "BBB+" if rnd.random() < 0.6 else "BBB-"
                fh.write(f"{i}\t{drug(i, f'compound {i % 200_000}')}\t(2s)-2-amino-{i}-acid\tCC(=O)N{i}\t"
                         f"{100000 + i}\t{logbb}\t{label}\tInChI=1S/C{i}\t-1\tR{i % 50}|\tA\t\n")
        elif kind == "oopd":
            fh.write(",".join(_csv_cell(h) for h in OOPD_HEADER) + "\n")
            for i in range(1, n + 1):
                d = f"{rnd.randint(1, 12)}/{rnd.randint(1, 28):02d}/{rnd.choice(['14', '2014', '99', '1999'])}"
                appr = "" if i % 2 else f"{rnd.randint(1, 12):02d}/{rnd.randint(1, 28):02d}/2019"
                row = [drug(i, f"drug {i % 100_000}"), f"Brand{i % 100_000}", d,
                       f"Treatment of rare disease {i % 5000}", "Designated/Approved",
                       "Approved" if appr else "", f"Indicated for disease {i % 5000}" if appr
                       else "", appr, "", "", f"Company {i % 3000}, Inc.", "1 Main St", "",
                       "Princeton", "New Jersey", "8540", "United States", str(100000 + i)]
                fh.write(",".join(_csv_cell(c) for c in row) + "\n")
        elif kind == "civic":
            fh.write("\t".join(CIVIC_HEADER) + "\n")
            types = ["Predictive"] * 3 + ["Prognostic", "Diagnostic"]
            for i in range(1, n + 1):
                row = {c: "" for c in CIVIC_HEADER}
                row.update({
                    "molecular_profile": f"GENE{i % 700} V{i % 900}E", "molecular_profile_id":
                    str(i % 9000), "disease": f"Cancer {i % 300}", "doid": str(1000 + i % 300),
                    "therapies": drug(i, f"drug{i % 4000}") + (f",drug{(i + 1) % 4000}"
                                                                if i % 4 == 0 else ""),
                    "evidence_type": rnd.choice(types), "evidence_direction": "Supports",
                    "evidence_level": rnd.choice("ABCDE"), "significance":
                    rnd.choice(["Sensitivity/Response", "Resistance"]), "citation_id":
                    str(20_000_000 + i), "source_type": "PubMed", "rating": str(i % 5 + 1),
                    "evidence_status": "accepted", "evidence_id": str(i), "is_flagged": "false",
                    "evidence_statement": "A statement of evidence for this profile."})
                fh.write("\t".join(row[c] for c in CIVIC_HEADER) + "\n")
        elif kind == "drugbank":
            fh.write(",".join(DRUGBANK_HEADER) + "\n")
            for i in range(1, n + 1):
                syn = " | ".join(f"syn{i}-{k}" for k in range(i % 4))
                fh.write(f"DB{i:05d},APRD{i:05d},{drug(i, f'Drug {i}')},{50 + i % 900}-{i % 90:02d}-{i % 10},"
                         f"{i:010X},{syn},{'A' * 14}-{'B' * 10}-N\n")
        else:
            raise ValueError(kind)
    return path


def _one(name: str, path: str, scoped: str = "none") -> None:
    """Child process: load, print JSON figures.

    ``scoped="curated"`` hands the loader the curated graph's scope, as ``lmkg build`` does.
    """
    from lmkg.loaders import get_loader

    loader = get_loader(name)
    options = {}
    if scoped == "curated":
        import lmkg
        from lmkg.graph.sources import scope_for

        options["scope"] = scope_for(lmkg.build())
    t0 = time.perf_counter()
    result = loader.load(Path(path), **options)
    dt = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB on Linux
    print(json.dumps({"loader": name, "rows": result.read, "items": len(result.items),
                      "rejected": len(result.rejected), "problems": len(result.problems),
                      "seconds": dt, "rows_per_s": result.read / dt if dt else 0,
                      "peak_rss_mib": rss}))


def run(name: str, path: Path, scoped: str = "none") -> dict:
    out = subprocess.run([sys.executable, __file__, "--one", name, str(path), scoped],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--only", default="", help="comma-separated loader names")
    ap.add_argument("--one", nargs=3, metavar=("NAME", "PATH", "SCOPE"), help=argparse.SUPPRESS)
    ap.add_argument("--skip-real", action="store_true")
    args = ap.parse_args()
    if args.one:
        _one(*args.one)
        return
    only = {x for x in args.only.split(",") if x}
    rows = []
    if not args.skip_real:
        for name, folder in REAL:
            if not only or name in only:
                rows.append(("real", run(name, SHARED / folder)))
    real_names = _curated_agent_names()
    with tempfile.TemporaryDirectory() as tmp:
        for kind, suffix in (("b3db", "tsv"), ("oopd", "csv"), ("civic", "tsv"),
                             ("drugbank", "csv")):
            if only and kind not in only:
                continue
            t0 = time.perf_counter()
            p = generate(kind, Path(tmp) / f"synthetic-{kind}.{suffix}", args.rows,
                         real=real_names)
            gen = time.perf_counter() - t0
            print(f"generated {args.rows:,} {kind} rows in {gen:.1f} s "
                  f"({p.stat().st_size / 2**20:.0f} MiB)", file=sys.stderr)
            rows.append((f"synthetic {args.rows:,}", run(kind, p)))
            rows.append((f"synth. {args.rows:,} +scope", run(kind, p, "curated")))
            p.unlink()
    print(f"{'data':<24} {'loader':<9} {'rows':>10} {'items':>10} {'seconds':>8} "
          f"{'rows/s':>10} {'peak RSS MiB':>13}  target")
    for data, r in rows:
        ok = "" if data == "real" else ("ok" if r["rows_per_s"] >= TARGET else "BELOW")
        print(f"{data:<24} {r['loader']:<9} {r['rows']:>10,} {r['items']:>10,} "
              f"{r['seconds']:>8.2f} {r['rows_per_s']:>10,.0f} {r['peak_rss_mib']:>13,.0f}  {ok}")


if __name__ == "__main__":
    main()
