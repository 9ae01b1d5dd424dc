"""Benchmark of the landscape map: HTML generation and browser time to a drawn layout.

    python bench/bench_map.py [--repeat 3]

For the curated graph (data/) and synthetic graphs of 2,000 and 5,000 nodes (2.75 relations per
node, like the curated mix): time to compute the layout and write the HTML (median of
``--repeat``), the file size, and in Debian's chromium (Playwright) the time from navigation
start to the first frame drawn with the final layout (the page's ``lmkgReadyAt``, read from
``performance.now()``), plus how many nodes the page opens on.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update"]


def browser_times(browser, path: Path, repeat: int) -> tuple[list[float], dict]:
    times = []
    shown: dict = {}
    for _ in range(repeat):
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        errors: list[str] = []
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        page.goto(path.resolve().as_uri())
        page.wait_for_selector("body[data-ready='1']", timeout=60_000)
        times.append(page.evaluate("window.lmkgReadyAt") / 1000)
        shown = page.evaluate("lmkgMap.visible()")
        if errors:
            raise SystemExit(f"{path}: page errors {errors}")
        page.close()
    return times, shown


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    import _paths  # noqa: F401
    from playwright.sync_api import sync_playwright

    import lmkg
    from lmkg.viz.map import write_map
    from support.synthetic import make_synthetic

    graphs = [("curated", lmkg.build(ROOT / "data"))]
    for n in (2000, 5000):
        graphs.append((f"synthetic {n:,}", make_synthetic(n, int(n * 2.75), seed=0)))

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, kg in graphs:
            path = Path(tmp) / f"{name.replace(' ', '_').replace(',', '')}.html"
            gen = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                write_map(kg, path)
                gen.append(time.perf_counter() - t)
            ready, shown = browser_times(browser, path, args.repeat)
            rows.append((name, kg.g.number_of_nodes(), kg.g.number_of_edges(),
                         statistics.median(gen), path.stat().st_size / 1e6,
                         statistics.median(ready), max(ready), shown["nodes"]))
        browser.close()

    print("| graph | nodes | edges | HTML generation (s, median) | file (MB) "
          "| browser to drawn layout (s, median / max) | nodes shown on open |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, n, e, g, mb, med, mx, shown in rows:
        print(f"| {name} | {n:,} | {e:,} | {g:.2f} | {mb:.1f} | {med:.2f} / {mx:.2f} "
              f"| {shown:,} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
