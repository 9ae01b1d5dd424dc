"""Write the pictures in docs/: the map, its linked views and the report, as chromium draws them.

    python scripts/screenshot_map.py [--docs docs] [--lenient] [--keep build/pictures]

Builds the graph from data/ (``--lenient`` leaves out records with errors while curators are
mid-edit), writes the map and the report with the same code as ``lmkg map`` and ``lmkg report``,
opens them in Debian's chromium through Playwright at 1440x900 (a strategist's laptop screen)
and saves:

- ``map.png``: the map as it opens (the landscape layers);
- ``map-focus-tucatinib.png``: ``lmkg map --focus tucatinib --depth 1``;
- ``map-her2-tucatinib.png``: the map's Cancer menu on HER2-positive breast cancer, every type
  shown, tucatinib selected (its neighbourhood stands out, its facts in the side panel);
- ``pipeline.png``, ``timeline-tucatinib.png`` (tucatinib selected: its approvals and
  designations stand out), ``companies.png``: the linked views;
- ``report-1.png`` to ``report-4.png``: the first pages of the report as chromium prints it (A4),
  rendered by PDFium (``pip install -e '.[docs]'``).

Each page is checked as it is drawn: a console error, a request to anything but the file itself
or an overlapping label stops the script.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update"]


class Shooter:
    """One chromium; each page opened is watched for errors and outside requests."""

    def __init__(self, playwright) -> None:
        self.browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)

    def open(self, html: Path, width: int = 1440, height: int = 900, ready: bool = True):
        page = self.browser.new_page(viewport={"width": width, "height": height},
                                     device_scale_factor=1)
        page.lmkg_errors = []  # type: ignore[attr-defined]
        url = html.resolve().as_uri()
        page.on("pageerror", lambda e: page.lmkg_errors.append(str(e)))
        page.on("console", lambda m: m.type == "error" and page.lmkg_errors.append(m.text))
        page.on("request", lambda r: r.url != url and page.lmkg_errors.append("request " + r.url))
        page.goto(url)
        if ready:
            page.wait_for_selector("body[data-ready='1']", timeout=30_000)
            page.wait_for_timeout(300)
        return page

    def save(self, page, out: Path, check_labels: bool = True) -> None:
        page.wait_for_timeout(400)
        if check_labels and page.evaluate("window.lmkgMap ? lmkgMap.labelOverlaps() : 0"):
            raise SystemExit(f"{out.name}: labels overlap")
        if page.lmkg_errors:
            raise SystemExit(f"{out.name}: the page reported {page.lmkg_errors}")
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out))
        print(f"wrote {out}")

    def close(self) -> None:
        self.browser.close()


def _pdf_pages(pdf: bytes, docs: Path, stem: str, n: int) -> None:
    """Save the first ``n`` pages of ``pdf`` as ``{stem}-1.png`` ... (PDFium, 110 dpi)."""
    try:
        import pypdfium2 as pdfium
    except ImportError:
        raise SystemExit("the report pages need PDFium: pip install -e '.[docs]'") from None
    doc = pdfium.PdfDocument(pdf)
    print(f"report: {len(doc)} pages as printed")
    for k in range(min(n, len(doc))):
        out = docs / f"{stem}-{k + 1}.png"
        doc[k].render(scale=110 / 72).to_pil().save(out)
        print(f"wrote {out}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=Path, default=ROOT / "docs")
    ap.add_argument("--data", type=Path, default=ROOT / "data")
    ap.add_argument("--lenient", action="store_true",
                    help="build from the valid records even if some have errors")
    ap.add_argument("--keep", type=Path, default=None, help="also keep the HTML files here")
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    import lmkg
    from lmkg.viz.map import select_nodes, write_map
    from lmkg.viz.report import write_report

    kg = lmkg.build(args.data, lenient=args.lenient)
    docs = args.docs
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        where = args.keep or Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        full, focus, report = where / "map.html", where / "tucatinib.html", where / "report.html"
        write_map(kg, full, title="LM therapeutic landscape")
        write_map(kg, focus, select_nodes(kg, focus="tucatinib", depth=1),
                  title="LM therapeutic landscape", subtitle="around tucatinib (depth 1)")
        write_report(kg, report)
        shots = Shooter(p)
        try:
            page = shots.open(full)
            shots.save(page, docs / "map.png")
            tuc = page.evaluate("lmkgMap.indexOf('lmkg:agent/tucatinib')")
            page.click("#tabs button[data-view='pipeline']")
            shots.save(page, docs / "pipeline.png")
            page.click("#tabs button[data-view='companies']")
            shots.save(page, docs / "companies.png")
            page.click("#tabs button[data-view='timeline']")
            page.evaluate(f"lmkgApp.select({tuc})")
            shots.save(page, docs / "timeline-tucatinib.png")
            page.close()

            page = shots.open(full)
            tuc = page.evaluate("lmkgMap.indexOf('lmkg:agent/tucatinib')")
            her2 = kg.name_of(kg.resolve("HER2-positive breast cancer", types=["PrimaryCancer"]))
            page.click("button[data-all='types']")
            value = page.evaluate("""name => [...document.querySelectorAll('#facet-cancer option')]
                .find(o => o.textContent.startsWith(name + ' (')).value""", her2)
            page.select_option("#facet-cancer", value)
            page.evaluate(f"lmkgApp.select({tuc}); lmkgApp.fit()")
            shots.save(page, docs / "map-her2-tucatinib.png")
            page.close()

            page = shots.open(focus)
            shots.save(page, docs / "map-focus-tucatinib.png")
            page.close()

            # The report as printed: chromium's PDF (A4), its first pages rendered by PDFium.
            page = shots.open(report, width=1240, height=900, ready=False)
            if page.lmkg_errors:
                raise SystemExit(f"report: the page reported {page.lmkg_errors}")
            pdf = page.pdf(format="A4", print_background=True)
            page.close()
            (where / "report.pdf").write_bytes(pdf)
            _pdf_pages(pdf, docs, "report", 4)
        finally:
            shots.close()
    print(f"pictures of {kg.g.number_of_nodes()} entities, {kg.g.number_of_edges()} relations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
