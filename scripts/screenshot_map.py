"""Write docs/map.png: the landscape map of the shipped data, as chromium draws it.

    python scripts/screenshot_map.py [--out docs/map.png] [--lenient] [--html build/map.html]

Also writes docs/map-her2-tucatinib.png: the map focused on HER2-positive breast cancer with
tucatinib found and its tooltip open (``--no-scenario`` skips it).

Builds the graph from data/ (``--lenient`` leaves out records with errors while curators are
mid-edit), writes the map with the same code as ``lmkg map``, opens it in Debian's chromium
through Playwright and saves a 1600x1000 screenshot once the layout is drawn.
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


def screenshot(html: Path, out: Path, width: int = 1600, height: int = 1000,
               hover: str | None = None, cancer: str | None = None,
               search: str | None = None) -> None:
    """Open ``html`` in chromium and save a screenshot to ``out``.

    Optionally focus on a ``cancer`` (its name in the Cancer menu), ``search`` a name, and
    ``hover`` an entity id so its tooltip is in the picture.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": height},
                                device_scale_factor=1)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto(html.resolve().as_uri())
        page.wait_for_selector("body[data-ready='1']", timeout=30_000)
        if cancer:
            value = page.evaluate("""name => [...document.querySelectorAll('#facet-cancer option')]
                .find(o => o.textContent.startsWith(name + ' (')).value""", cancer)
            page.select_option("#facet-cancer", value)
        if search:
            page.fill("#search", search)
            page.press("#search", "Enter")
            page.wait_for_timeout(800)
        if hover:
            box = page.locator("#graph").bounding_box()
            xy = page.evaluate("""id => { const m = window.lmkgMap, i = m.indexOf(id);
                return i < 0 ? null : m.network.canvasToDOM(m.network.getPosition(i)); }""",
                               hover)
            if xy:
                page.mouse.move(box["x"] + xy["x"] - 30, box["y"] + xy["y"] - 30)
                page.mouse.move(box["x"] + xy["x"], box["y"] + xy["y"], steps=4)
                page.wait_for_selector("#tooltip:not([hidden])", timeout=5_000)
        page.wait_for_timeout(300)
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out))
        browser.close()
        if errors:
            raise SystemExit(f"the page reported errors: {errors}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "map.png")
    ap.add_argument("--data", type=Path, default=ROOT / "data")
    ap.add_argument("--lenient", action="store_true",
                    help="build from the valid records even if some have errors")
    ap.add_argument("--html", type=Path, default=None, help="also keep the map's HTML here")
    ap.add_argument("--hover", default="",
                    help="entity id whose tooltip is shown in the picture (default none)")
    ap.add_argument("--no-scenario", dest="scenario", action="store_false",
                    help="skip the second picture (HER2+ breast cancer, tucatinib's tooltip)")
    args = ap.parse_args(argv)

    import lmkg
    from lmkg.viz.map import write_map

    kg = lmkg.build(args.data, lenient=args.lenient)
    with tempfile.TemporaryDirectory() as tmp:
        html = args.html or Path(tmp) / "map.html"
        write_map(kg, html, title="LM therapeutic landscape")
        screenshot(html, args.out, hover=args.hover or None)
        if args.scenario:
            her2 = kg.name_of(kg.resolve("HER2-positive breast cancer", types=["PrimaryCancer"]))
            scenario = args.out.with_name(args.out.stem + "-her2-tucatinib.png")
            screenshot(html, scenario, cancer=her2, search="tucatinib",
                       hover="lmkg:agent/tucatinib")
            print(f"wrote {scenario}")
    print(f"wrote {args.out} ({kg.g.number_of_nodes()} entities, "
          f"{kg.g.number_of_edges()} relations)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
