"""The landscape map: data selection, escaping, and the page itself in a real chromium.

Browser tests drive Debian's /usr/bin/chromium through Playwright; a missing browser is a
failure, not a skip.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lmkg.graph import KnowledgeGraph
from lmkg.graph.companies import rolled_up
from lmkg.viz.map import (
    connected_subgraph,
    json_for_script,
    map_data,
    page_data,
    related_sources,
    render_html,
    safe_href,
    select_nodes,
    write_map,
)
from lmkg.viz.pagedata import SCHEMA, pack
from support.synthetic import make_synthetic

XSS = "<img src=x onerror=alert(1)>"


# -- fixtures ------------------------------------------------------------------------------------
def _synthetic_with_xss() -> tuple[KnowledgeGraph, str]:
    kg = make_synthetic(300, 800, seed=3)
    victim = "lmkg:agent/synthetic-0"
    kg.g.nodes[victim]["name"] = XSS
    kg.g.nodes[victim]["synonyms"] = ["</script><script>alert(2)</script>"]
    kg.g.nodes[victim]["description"] = '"><svg onload=alert(3)>'
    return kg, victim


@pytest.fixture(scope="module")
def synthetic_map(tmp_path_factory):
    kg, victim = _synthetic_with_xss()
    path = tmp_path_factory.mktemp("map") / "synthetic.html"
    write_map(kg, path)
    return kg, path, victim


class Page:
    """An opened map with everything that would be a failure recorded."""

    def __init__(self, browser, path: Path):
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", self._dialog)
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)
        self.page.wait_for_selector("body[data-ready='1']", timeout=15_000)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def js(self, expr: str, arg=None):
        return self.page.evaluate(expr, arg)

    def hover_node(self, node_id: str) -> None:
        box = self.page.locator("#graph").bounding_box()
        xy = self.js("""id => { const m = window.lmkgMap, i = m.indexOf(id);
            return m.network.canvasToDOM(m.network.getPosition(i)); }""", node_id)
        self.page.mouse.move(box["x"] + xy["x"], box["y"] + xy["y"], steps=5)
        self.page.wait_for_selector(f'#tooltip:not([hidden]) .card[data-node="{node_id}"]',
                                    timeout=5_000)

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def open_map(chromium):
    pages: list[Page] = []

    def opener(path: Path) -> Page:
        page = Page(chromium, path)
        pages.append(page)
        return page

    yield opener
    for p in pages:
        p.close()


def _tiny() -> KnowledgeGraph:
    """breast cancer <- HER2+ breast cancer <- HER2; tucatinib targets HER2, made by Seagen;
    every cancer metastasizes to the leptomeninges, as does melanoma (which must not leak in)."""
    kg = KnowledgeGraph()
    for nid, typ, extra in [
        ("lmkg:cancer/breast", "PrimaryCancer", {}),
        ("lmkg:cancer/her2-breast", "PrimaryCancer", {}),
        ("lmkg:cancer/melanoma", "PrimaryCancer", {}),
        ("lmkg:site/leptomeninges", "MetastaticSite", {}),
        ("lmkg:biomarker/her2", "Biomarker", {"kind": "amplification"}),
        ("lmkg:biomarker/braf-v600e", "Biomarker", {"kind": "mutation"}),
        ("lmkg:agent/tucatinib", "Agent", {"status": "approved"}),
        ("lmkg:agent/dabrafenib", "Agent", {"status": "approved"}),
        ("lmkg:company/seagen", "Company", {}),
        ("lmkg:publication/p1", "Publication", {}),
    ]:
        kg.add_node_data({"id": nid, "type": typ, "name": nid.split("/")[1], **extra})
    src = {"sources": [{"id": "PMID:31825569"}]}
    for s, p, o in [
        ("lmkg:cancer/her2-breast", "SUBTYPE_OF", "lmkg:cancer/breast"),
        ("lmkg:biomarker/her2", "OCCURS_IN", "lmkg:cancer/her2-breast"),
        ("lmkg:agent/tucatinib", "TARGETS", "lmkg:biomarker/her2"),
        ("lmkg:agent/tucatinib", "DEVELOPED_BY", "lmkg:company/seagen"),
        ("lmkg:agent/tucatinib", "SUPPORTED_BY", "lmkg:publication/p1"),
        ("lmkg:agent/dabrafenib", "SUPPORTED_BY", "lmkg:publication/p1"),
        ("lmkg:agent/dabrafenib", "TARGETS", "lmkg:biomarker/braf-v600e"),
        ("lmkg:biomarker/braf-v600e", "OCCURS_IN", "lmkg:cancer/melanoma"),
        ("lmkg:cancer/breast", "METASTASIZES_TO", "lmkg:site/leptomeninges"),
        ("lmkg:cancer/melanoma", "METASTASIZES_TO", "lmkg:site/leptomeninges"),
    ]:
        kg.add_edge_data(s, p, o, dict(src))
    return kg


# -- data and escaping (no browser) --------------------------------------------------------------
def test_subgraph_of_a_cancer_stops_at_papers_sites_and_other_cancers():
    kg = _tiny()
    her2_bc = connected_subgraph(kg, "lmkg:cancer/her2-breast")
    assert {"lmkg:biomarker/her2", "lmkg:agent/tucatinib", "lmkg:cancer/breast"} <= her2_bc
    assert not her2_bc & {"lmkg:agent/dabrafenib", "lmkg:cancer/melanoma"}
    # The parent cancer brings its subtype's subgraph; the site is reached but not crossed.
    breast = connected_subgraph(kg, "lmkg:cancer/breast")
    assert "lmkg:biomarker/her2" in breast and "lmkg:site/leptomeninges" in breast
    assert "lmkg:cancer/melanoma" not in breast


def test_select_nodes_intersects_restrictions_and_resolves_names():
    kg = _tiny()
    assert select_nodes(kg) == set(kg.g.nodes)
    assert select_nodes(kg, focus="tucatinib", depth=1) == {
        "lmkg:agent/tucatinib", "lmkg:biomarker/her2", "lmkg:company/seagen",
        "lmkg:publication/p1"}
    got = select_nodes(kg, cancer="her2-breast", company="seagen", types=["Agent"])
    assert got == {"lmkg:agent/tucatinib"}
    import lmkg

    with pytest.raises(lmkg.UnknownEntity):
        select_nodes(kg, cancer="tucatinib")  # a name of the wrong type is not a cancer
    with pytest.raises(lmkg.LmkgError, match="unknown entity type"):
        select_nodes(kg, types=["Drug"])


def test_page_data_is_escaped_and_links_are_http_only():
    assert safe_href("javascript:alert(1)") is None
    assert safe_href("data:text/html,x") is None
    assert safe_href("https://pubmed.ncbi.nlm.nih.gov/1/") == "https://pubmed.ncbi.nlm.nih.gov/1/"
    text = json_for_script({"name": "</script><script>alert(1)</script> & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text)["name"].startswith("</script>")

    kg, _victim = _synthetic_with_xss()
    page = render_html(map_data(kg))
    assert XSS not in page and "</script><script>alert(2)" not in page
    # Exactly our four scripts (data, vis-network, map, views: none ends early); nothing loaded.
    assert page.count("</script>") == 4
    assert re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page) is None


def test_tooltip_sources_become_pubmed_and_registry_links():
    data = map_data(_tiny())
    i, tuc = next((i, n) for i, n in enumerate(data["nodes"])
                  if n["id"] == "lmkg:agent/tucatinib")
    related = [data["sources"][r] for r in related_sources(data, i)]
    assert {"label": "PubMed 31825569",
            "href": "https://pubmed.ncbi.nlm.nih.gov/31825569"} in related
    assert "tucatinib" in tuc["keys"]


def _odd_tiny() -> KnowledgeGraph:
    """The tiny graph with what the page's format has to carry exactly: names and synonyms
    out of ASCII, an entity with no name, a paper cited with two notes, one with none."""
    kg = _tiny()
    tuc = kg.g.nodes["lmkg:agent/tucatinib"]
    tuc["synonyms"] = ["ONT-380", "tucatinib α", "ＡＲＲＹ-380"]
    tuc["xrefs"] = ["CHEMBL:CHEMBL3989868"]
    tuc["description"] = "HER2-selective <b>TKI</b>"
    kg.g.nodes["lmkg:biomarker/her2"]["name"] = "HER2‐positive β"
    del kg.g.nodes["lmkg:company/seagen"]["name"]
    for i, (_s, _o, d) in enumerate(kg.g.edges(data=True)):
        d["sources"] = [{"id": "PMID:31825569", "note": f"note {i % 3}"},
                        {"url": "https://example.org/x/y?z=1", "secondary": True}][: 1 + i % 2]
    return kg


def test_the_page_carries_the_map_data_packed_and_reads_it_back_exactly(kg):
    for graph in (_odd_tiny(), _synthetic_with_xss()[0], kg):
        data = map_data(graph)
        page = render_html(data)
        assert page_data(page) == json.loads(json.dumps(data))
    # A field's name is written once a list of records (a column), not once a record.
    packed = pack(map_data(_synthetic_with_xss()[0]))
    lists = [SCHEMA[t] for t in packed["tables"] if t != "facets"] + \
        [SCHEMA["facets"]] * len(packed["tables"]["facets"])
    text = json.dumps(packed["tables"])
    for name in ("id", "label", "sources", "facts", "from", "node", "members"):
        assert text.count(f'"{name}":') == (name in packed["tables"]) + sum(
            1 for spec in lists if any(f[0] == name for f in spec["fields"])), name


def test_cli_writes_a_self_contained_map(tmp_path, cli, kg):
    out = tmp_path / "map.html"
    result = cli("map", "-o", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "vis.Network" in page and "lmkg-data" in page
    assert not re.search(r"<(script|link)[^>]+(src|href)=", page)
    doc = page_data(page)
    # Company groups are drawn as their heads (Seagen inside Pfizer) ...
    up = rolled_up(kg)
    assert len(doc["nodes"]) == up.g.number_of_nodes() < kg.g.number_of_nodes()
    assert len(doc["edges"]) == up.g.number_of_edges()
    names = {n["name"] for n in doc["nodes"]}
    assert "Pfizer Inc." in names and "Seagen Inc." not in names
    assert [n["name"] for n in doc["nodes"] if "AstraZeneca" in n["name"]] == ["AstraZeneca PLC"]
    # ... and every company on its own with --no-rollup.
    result = cli("map", "-o", str(out), "--no-rollup")
    doc = page_data(out.read_text(encoding="utf-8"))
    assert len(doc["nodes"]) == kg.g.number_of_nodes()
    assert len(doc["edges"]) == kg.g.number_of_edges()
    assert doc["left_out"]["rolled_up"] == [] and doc["left_out"]["outside_selection"] == 0


LEFT_OUT = [
    # (map options, what the CLI line must say): QA 22, the map's counts against the graph's.
    ([], ("of the graph's", "companies drawn inside their group's head (--no-rollup draws them)",
          "within a company group")),
    (["--no-rollup"], ("of the graph's",)),
    (["--cancer", "melanoma"], ("entities outside the selection", "outside the selection")),
]


@pytest.mark.parametrize(("options", "says"), LEFT_OUT)
def test_the_map_says_what_it_leaves_out_and_its_counts_add_up(tmp_path, cli, kg, options,
                                                                  says):
    out = tmp_path / "map.html"
    result = cli("map", "-o", str(out), *options)
    assert result.exit_code == 0, result.output
    doc = page_data(out.read_text(encoding="utf-8"))
    lo = doc["left_out"]
    assert (lo["graph_nodes"], lo["graph_edges"]) == (kg.g.number_of_nodes(),
                                                      kg.g.number_of_edges())
    assert lo["drawn_nodes"] == len(doc["nodes"]) and lo["drawn_edges"] == len(doc["edges"])
    assert lo["drawn_nodes"] + len(lo["rolled_up"]) + lo["outside_selection"] == \
        kg.g.number_of_nodes()
    assert lo["drawn_edges"] + lo["relations_within_a_group"] + lo["relations_merged"] + \
        lo["relations_outside_selection"] == kg.g.number_of_edges()
    line = next(x for x in result.output.splitlines() if x.startswith("wrote "))
    assert f"{lo['drawn_nodes']} of the graph's {kg.g.number_of_nodes()} entities" in line
    for text in says:
        assert text in line, line
    if "--no-rollup" not in options and not any(o.startswith("--cancer") for o in options):
        rolled = {r["name"]: r["head_name"] for r in lo["rolled_up"]}
        assert rolled["Seagen Inc."] == "Pfizer Inc." and "Genentech, Inc." in rolled
        assert len(rolled) == kg.g.number_of_nodes() - len(doc["nodes"])
        assert doc["left_out_text"] in re.sub(r"^wrote \S+: ", "drew ", line)


def test_cli_unknown_name_is_a_one_line_error(tmp_path, cli):
    result = cli("map", "-o", str(tmp_path / "m.html"), "--cancer", "no such cancer xyz")
    assert result.exit_code == 1
    assert "no such cancer xyz" in result.output
    assert not (tmp_path / "m.html").exists()


# -- the page in chromium ------------------------------------------------------------------------
def test_page_loads_offline_with_counts_and_legend(synthetic_map, open_map):
    kg, path, _ = synthetic_map
    m = open_map(path)
    assert m.errors == []
    assert m.requests == [m.url], "the page must not request anything but itself"
    assert m.js("lmkgMap.nodes.length") == kg.g.number_of_nodes()
    assert m.js("lmkgMap.edges.length") == kg.g.number_of_edges()
    # Above 300 entities the page opens on the landscape layers; "all" shows every type.
    opened = set(m.js("lmkgMap.data.open_types"))
    assert opened == {"PrimaryCancer", "Biomarker", "DrugClass", "Agent", "Company"}
    assert {kg.type_of(n) for n in m.js("lmkgMap.visibleIds()")} == opened
    m.page.click("button[data-all='types']")
    assert m.js("lmkgMap.visible()") == {"nodes": kg.g.number_of_nodes(),
                                         "edges": kg.g.number_of_edges()}
    legend = m.page.locator("#type-list li").evaluate_all(
        "els => els.map(e => e.dataset.value)")
    assert sorted(legend) == sorted({d["type"] for _, d in kg.g.nodes(data=True)})
    # Physics is off on open: positions are the precomputed ones.
    assert m.js("lmkgMap.network.physics.physicsEnabled") is False


READ_BACK = """() => {
    const A = window.lmkgApp, D = JSON.parse(JSON.stringify(A.DATA));
    D.nodes.forEach(n => { delete n.px; delete n.py; });  // where the layers were packed again
    return JSON.stringify({data: D, related: A.NODES.map((n, i) => A.relatedSources(i))}); }"""


def _read_back_in_the_page(m: Page, data: dict) -> None:
    got = json.loads(m.js(READ_BACK))
    assert got["data"] == json.loads(json.dumps(data))
    assert got["related"] == [related_sources(data, i) for i in range(len(data["nodes"]))]


def test_the_page_reads_its_data_back_as_map_data_made_it(open_map, tmp_path):
    """map.js unpacks the page's data into map_data's dict exactly (search keys, degrees and
    marker sizes it works out itself included), and derives each card's "Sources of its
    relations" from the edges as lmkg.viz.map.related_sources does."""
    kg = _odd_tiny()
    path = tmp_path / "odd.html"
    data = write_map(kg, path)
    m = open_map(path)
    _read_back_in_the_page(m, data)
    tuc = m.js("lmkgMap.indexOf('lmkg:agent/tucatinib')")
    m.js(f"lmkgMap.focus({tuc})")
    card = m.page.locator("#details")
    assert "Sources of its relations" in card.text_content()
    assert card.locator("a[href='https://pubmed.ncbi.nlm.nih.gov/31825569']").count() >= 1
    m.page.fill("#search", "ARRY380")  # a key made in Python (NFKC), not by the page
    m.page.press("#search", "Enter")
    assert m.js("lmkgMap.selected()") == "lmkg:agent/tucatinib"
    assert m.errors == [] and m.requests == [m.url]


def test_search_finds_and_focuses_a_node(synthetic_map, open_map):
    _kg, path, _ = synthetic_map
    m = open_map(path)
    m.page.fill("#search", "Synthetic Company 7")  # case and spacing do not matter
    m.page.press("#search", "Enter")
    assert m.js("lmkgMap.selected()") == "lmkg:company/synthetic-7"
    # Focused: the node ends in the middle tenth of the canvas and the view is zoomed in. The
    # focus animation runs on animation frames, which a loaded machine slows: wait for it to end.
    where = """() => { const n = lmkgMap.network, i = lmkgMap.indexOf('lmkg:company/synthetic-7');
        const p = n.canvasToDOM(n.getPosition(i)), c = document.getElementById('graph');
        return [Math.abs(p.x / c.clientWidth - 0.5), Math.abs(p.y / c.clientHeight - 0.5),
                n.getScale()]; }"""
    m.page.wait_for_function(
        f"() => {{ const o = ({where})(); return o[0] < 0.1 && o[1] < 0.1 && o[2] >= 0.7; }}",
        timeout=10_000)
    off = m.js(where)
    assert off[0] < 0.1 and off[1] < 0.1 and off[2] >= 0.7, off
    assert m.page.locator("#details .name").text_content() == "synthetic Company 7"
    m.page.fill("#search", "nothing like this")
    m.page.press("#search", "Enter")
    assert "No entity" in m.page.locator("#search-msg").text_content()
    assert m.errors == []


def test_filters_hide_and_show(synthetic_map, open_map):
    kg, path, _ = synthetic_map
    m = open_map(path)
    m.page.click("button[data-all='types']")
    n_pubs = sum(1 for _, d in kg.g.nodes(data=True) if d["type"] == "Publication")
    m.page.locator("#type-list input[value='Publication']").uncheck()
    hidden = m.js("lmkgMap.nodes.get({filter: n => n.hidden}).length")
    assert hidden == n_pubs
    assert m.js("lmkgMap.visible().nodes") == kg.g.number_of_nodes() - n_pubs
    assert "Publication" not in {kg.g.nodes[i]["type"] for i in m.js("lmkgMap.visibleIds()")}
    m.page.locator("#type-list input[value='Publication']").check()
    assert m.js("lmkgMap.visible().nodes") == kg.g.number_of_nodes()

    m.page.locator("#rel-list input[value='SUPPORTED_BY']").uncheck()
    n_sup = sum(1 for *_, k in kg.g.edges(keys=True) if k == "SUPPORTED_BY")
    assert m.js("lmkgMap.visible().edges") == kg.g.number_of_edges() - n_sup

    # A company filter shows exactly that company's connected subgraph.
    m.page.locator("#rel-list input[value='SUPPORTED_BY']").check()
    company = "lmkg:company/synthetic-3"
    value = m.js("""() => [...document.querySelectorAll('#facet-company option')]
        .find(o => o.textContent.startsWith('synthetic Company 3 (')).value""")
    m.page.select_option("#facet-company", value)
    assert set(m.js("lmkgMap.visibleIds()")) == connected_subgraph(kg, company)
    m.page.click("#reset")  # back to the landscape layers the page opened on
    assert m.js("lmkgMap.visible().nodes") == sum(
        1 for _, d in kg.g.nodes(data=True) if d["type"] in m.js("lmkgMap.data.open_types"))
    assert m.errors == []


def test_injected_markup_shows_as_text_and_never_runs(synthetic_map, open_map):
    _kg, path, victim = synthetic_map
    m = open_map(path)
    m.page.fill("#search", XSS)
    m.page.press("#search", "Enter")
    assert m.js("lmkgMap.selected()") == victim
    assert m.page.locator("#details .name").text_content() == XSS
    m.page.wait_for_timeout(600)  # the focus animation
    m.hover_node(victim)
    assert m.page.locator("#tooltip .name").text_content() == XSS
    m.page.wait_for_timeout(200)
    assert m.dialogs == []
    assert m.js("document.querySelectorAll('img').length") == 0
    assert m.js("document.querySelectorAll('[onerror],[onload]').length") == 0
    assert m.errors == []
    assert m.requests == [m.url]


def test_large_graph_opens_on_an_overview(open_map, tmp_path):
    kg = make_synthetic(700, 1800, seed=5)
    path = tmp_path / "big.html"
    write_map(kg, path, max_nodes=500, overview_size=200)
    m = open_map(path)
    m.page.click("button[data-all='types']")
    assert m.js("lmkgMap.visible().nodes") == 200
    assert m.page.locator("#banner").is_visible()
    m.page.click("#show-all")
    assert m.js("lmkgMap.visible().nodes") == kg.g.number_of_nodes()
    assert m.errors == []


def test_physics_switch_runs_a_bounded_stabilisation(synthetic_map, open_map):
    _kg, path, _ = synthetic_map
    m = open_map(path)
    before = m.js("lmkgMap.network.getPosition(0)")
    m.page.check("#physics")
    assert m.js("lmkgMap.network.physics.physicsEnabled") is True
    # The simulation runs asynchronously: wait (bounded) for node 0 to move.
    m.page.wait_for_function(
        "b => { const p = lmkgMap.network.getPosition(0); return p.x !== b.x || p.y !== b.y; }",
        arg=before, timeout=5000)
    m.page.uncheck("#physics")
    assert m.js("lmkgMap.network.physics.physicsEnabled") is False
    assert m.errors == []


# -- the shipped data: the strategist's path -----------------------------------------------------
@pytest.fixture(scope="module")
def shipped_map(kg, tmp_path_factory):
    path = tmp_path_factory.mktemp("shipped") / "map.html"
    write_map(kg, path)
    return path


def test_strategist_finds_tucatinib_in_her2_breast_cancer_with_sourced_facts(
        kg, shipped_map, open_map):
    m = open_map(shipped_map)
    assert m.errors == [] and m.requests == [m.url]
    up = rolled_up(kg)
    assert m.js("lmkgMap.nodes.length") == up.g.number_of_nodes()
    _read_back_in_the_page(m, page_data(shipped_map.read_text(encoding="utf-8")))

    cancer = kg.resolve("HER2-positive breast cancer", types=["PrimaryCancer"])
    value = m.js("""name => [...document.querySelectorAll('#facet-cancer option')]
        .find(o => o.textContent.startsWith(name + ' (')).value""", kg.name_of(cancer))
    m.page.click("button[data-all='types']")
    m.page.select_option("#facet-cancer", value)
    shown = set(m.js("lmkgMap.visibleIds()"))
    assert shown == connected_subgraph(up, cancer)
    assert "lmkg:agent/tucatinib" in shown
    assert not any(kg.type_of(n) == "PrimaryCancer" and "melanoma" in n for n in shown)

    m.page.fill("#search", "tucatinib")
    m.page.press("#search", "Enter")
    assert m.js("lmkgMap.selected()") == "lmkg:agent/tucatinib"
    m.page.wait_for_timeout(800)  # the focus animation
    m.hover_node("lmkg:agent/tucatinib")
    tip = m.page.locator("#tooltip")
    assert tip.locator(".name").text_content() == "tucatinib"
    assert "approved" in tip.text_content()
    hrefs = tip.locator("a").evaluate_all("els => els.map(a => a.href)")
    assert any(h.startswith("https://pubmed.ncbi.nlm.nih.gov/") for h in hrefs), hrefs
    assert all(h.startswith(("https://", "http://")) for h in hrefs)
    assert m.errors == []


# -- reading at first sight: labels, layers, focus views (1440x900, as a strategist's screen) ---
def _open_at(chromium, path: Path, width: int = 1440, height: int = 900) -> Page:
    page = Page.__new__(Page)
    page.errors, page.requests, page.dialogs = [], [], []
    page.page = chromium.new_page(viewport={"width": width, "height": height})
    page.page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.page.on("request", lambda r: page.requests.append(r.url))
    page.url = path.resolve().as_uri()
    page.page.goto(page.url)
    page.page.wait_for_selector("body[data-ready='1']", timeout=15_000)
    page.page.wait_for_timeout(150)
    return page


def _overlaps_by_geometry(labels: list[dict]) -> int:
    """The overlap count computed here from the drawn boxes, not trusted from the page."""
    n = 0
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            if (a["x"] < b["x"] + b["w"] - 0.5 and b["x"] < a["x"] + a["w"] - 0.5
                    and a["y"] < b["y"] + b["h"] - 0.5 and b["y"] < a["y"] + a["h"] - 0.5):
                n += 1
    return n


def _check_labels(m: Page, min_share: float) -> list[dict]:
    labels = m.js("lmkgMap.drawnLabels()")
    assert m.js("lmkgMap.labelOverlaps()") == 0
    assert _overlaps_by_geometry(labels) == 0
    box = m.js("[document.getElementById('graph').clientWidth, "
               "document.getElementById('graph').clientHeight]")
    for lab in labels:  # on screen, and of a capped size (no giant hub labels)
        assert 0 <= lab["x"] and lab["x"] + lab["w"] <= box[0]
        assert 0 <= lab["y"] and lab["y"] + lab["h"] <= box[1]
        assert lab["h"] <= 16 and lab["w"] < 260
    named = {lab["node"] for lab in labels if lab["node"] >= 0}
    visible = m.js("lmkgMap.visible().nodes")
    assert len(named) >= min_share * visible, (len(named), visible)
    return labels


def test_overview_opens_on_the_landscape_layers_with_no_overlapping_label(kg, shipped_map,
                                                                           chromium):
    m = _open_at(chromium, shipped_map)
    try:
        assert m.js("lmkgMap.layout()") == "layers"
        labels = _check_labels(m, 0.6)
        headers = [lab["text"] for lab in labels if lab["node"] == -1]
        assert [h.split(" (")[0] for h in headers] == [
            "PRIMARY CANCERS", "BIOMARKERS", "DRUG CLASSES", "AGENTS", "COMPANIES"]
        # Zoomed in and out, and in the network layout, labels still never overlap.
        for scale in (0.5, 1.6):
            m.js(f"lmkgMap.network.moveTo({{scale: {scale}, animation: false}})")
            m.page.wait_for_timeout(100)
            _check_labels(m, 0.0)
        m.js("lmkgMap.setLayout('network')")
        m.page.wait_for_timeout(150)
        _check_labels(m, 0.1)
        assert m.errors == [] and m.requests == [m.url]
    finally:
        m.close()


FOCUS_VIEWS = [
    {"focus": "tucatinib", "depth": 1},
    {"focus": "HER2-positive breast cancer", "depth": 1},
    {"biomarker": "EGFR T790M"},
    {"company": "Pfizer"},
    {"cancer": "melanoma"},
    # A two-hop focus of omburtamab now reaches every LM trial of the registry snapshot
    # through the leptomeninges (about 300 nodes); its company's two hops stay in range.
    {"focus": "Y-mAbs Therapeutics", "depth": 2},
]


@pytest.mark.parametrize("restriction", FOCUS_VIEWS, ids=lambda r: "-".join(map(str, r.values())))
def test_focus_views_of_20_to_150_nodes_read_without_overlaps(kg, chromium, tmp_path,
                                                              restriction):
    nodes = select_nodes(kg, **restriction)
    path = tmp_path / "focus.html"
    data = write_map(kg, path, nodes)
    assert 20 <= len(data["nodes"]) <= 150, len(data["nodes"])
    m = _open_at(chromium, path)
    try:
        # A focus view shows every type and names nearly every node.
        assert m.js("lmkgMap.visible().nodes") == len(data["nodes"])
        _check_labels(m, 0.85 if len(data["nodes"]) <= 60 else 0.6)
        assert m.errors == []
    finally:
        m.close()


def test_tucatinib_is_not_drawn_over_her2_positive_breast_cancer(kg, chromium, tmp_path):
    path = tmp_path / "tuc.html"
    write_map(kg, path, select_nodes(kg, focus="tucatinib", depth=1))
    m = _open_at(chromium, path)
    try:
        labels = {lab["text"]: lab for lab in _check_labels(m, 0.9)}
        assert "tucatinib" in labels and "HER2-positive breast cancer" in labels
        assert "FDA orphan drug 2017" in labels  # designations named by agency, type, year
    finally:
        m.close()


# -- linked views -------------------------------------------------------------------------------
def _designations_of(kg, agent: str) -> set[str]:
    return {o for _s, _p, o, _d in kg.out_edges(agent, "HAS_DESIGNATION")}


def test_selecting_in_one_view_highlights_in_the_others(kg, shipped_map, chromium):
    m = _open_at(chromium, shipped_map)
    try:
        tuc = "lmkg:agent/tucatinib"
        m.page.fill("#search", "tucatinib")
        m.page.press("#search", "Enter")
        assert m.js("lmkgMap.selected()") == tuc
        # The timeline highlights exactly tucatinib's approvals and designations ...
        m.page.click("#tabs button[data-view='timeline']")
        assert set(m.js("lmkgViews.highlighted('timeline')")) == _designations_of(kg, tuc)
        assert len(m.js("lmkgViews.highlighted('timeline')")) >= 4
        named = {lab["text"] for lab in m.js("lmkgViews.timelineLabels()")}
        assert "tucatinib" in named
        # ... the pipeline its card, the company view its (rolled-up) developer.
        m.page.click("#tabs button[data-view='pipeline']")
        assert tuc in m.js("lmkgViews.highlighted('pipeline')")
        m.page.click("#tabs button[data-view='companies']")
        assert "lmkg:company/pfizer" in m.js("lmkgViews.highlighted('companies')")

        # Selecting in the pipeline selects on the map and opens the sourced facts.
        m.page.click("#tabs button[data-view='pipeline']")
        osi = m.js("lmkgMap.indexOf('lmkg:agent/osimertinib')")
        m.page.click(f"#view-pipeline .chip[data-node='{osi}']", timeout=5_000)
        assert m.js("lmkgMap.selected()") == "lmkg:agent/osimertinib"
        assert m.page.locator("#details .name").text_content() == "osimertinib"
        hrefs = m.page.locator("#details a").evaluate_all("els => els.map(a => a.href)")
        assert any(h.startswith("https://pubmed.ncbi.nlm.nih.gov/") for h in hrefs)
        m.page.click("#tabs button[data-view='timeline']")
        assert set(m.js("lmkgViews.highlighted('timeline')")) == _designations_of(
            kg, "lmkg:agent/osimertinib")

        # A timeline mark opens its designation's facts and sources.
        desig = sorted(_designations_of(kg, tuc))[0]
        m.page.locator(f"#timeline-svg .ev[data-node-id='{desig}']").first.click()
        assert m.js("lmkgMap.selected()") == desig
        assert m.page.locator("#details a").count() >= 1
        # A deal (no node of its own) opens a card with its terms and sources.
        k = m.js("lmkgMap.data.deals.findIndex(d => d.label.startsWith('Pfizer Inc. acquired "
                 "Seagen'))")
        assert k >= 0
        m.js(f"lmkgViews.pickDeal({k})")
        assert "acquired Seagen" in m.page.locator("#details .name").text_content()
        assert "$229 per share" in m.page.locator("#details").text_content()
        assert m.js("lmkgMap.selected()") == "lmkg:company/pfizer"
        m.page.click("#tabs button[data-view='map']")
        assert m.js("lmkgMap.labelOverlaps()") == 0
        assert m.errors == [] and m.requests == [m.url]
    finally:
        m.close()


def test_pipeline_board_groups_by_biomarker_or_class(kg, shipped_map, chromium):
    m = _open_at(chromium, shipped_map)
    try:
        m.page.click("#tabs button[data-view='pipeline']")
        rows = m.page.locator("#pipeline-board tbody th.group").all_text_contents()
        assert any(r.startswith("HER2 amplification") for r in rows)
        her2 = m.page.locator("#pipeline-board tbody tr", has_text="HER2 amplification")
        chips = set(her2.first.locator(".chip").all_text_contents())
        assert {"tucatinib", "trastuzumab deruxtecan"} <= chips
        m.page.check("#pipe-group-class")
        rows = m.page.locator("#pipeline-board tbody th.group").all_text_contents()
        assert any(r.startswith("HER2 tyrosine kinase inhibitor") for r in rows)
        assert m.errors == []
    finally:
        m.close()


def test_timeline_draws_refused_and_withdrawn_applications_apart(kg, shipped_map, chromium):
    """QA 1: omburtamab's refused BLA is no approval mark, DepoCyt's withdrawn approval says so."""
    m = _open_at(chromium, shipped_map)
    try:
        m.page.click("#tabs button[data-view='timeline']")
        refused = m.page.locator(
            "#timeline-svg .ev[data-node-id='lmkg:designation/omburtamab-fda-bla-refused']")
        assert refused.count() >= 1
        assert refused.first.get_attribute("data-outcome") == "refused"
        assert refused.first.locator(".mk").get_attribute("fill") == "#fff"  # hollow
        assert refused.first.locator("line").count() == 1  # and crossed
        gone = m.page.locator("#timeline-svg .ev[data-node-id='lmkg:designation/"
                              "liposomal-cytarabine-fda-approval-lymphomatous-meningitis']")
        assert gone.first.get_attribute("data-outcome") == "withdrawn"
        m.page.check("#tl-lm")
        labels = {lab["text"] for lab in m.js("lmkgViews.timelineLabels()")}
        assert any("omburtamab (refused)" in t for t in labels), labels
        assert "refused or not granted" in m.page.locator("#view-timeline").inner_text()
        assert m.errors == []
    finally:
        m.close()


def test_a_large_map_lays_out_what_it_opens_on_and_places_the_rest_beside_their_links():
    """Above the overview threshold the force layout runs on the entities the page opens on;
    every other entity sits beside the entities it is linked to."""
    import math

    from lmkg.viz.layout import force_layout

    kg = make_synthetic(600, 1650, seed=3)
    data = map_data(kg, max_nodes=300, overview_size=150, rollup=False)
    nodes = data["nodes"]
    core = [nodes[i]["id"] for i in data["overview"]]
    assert len(core) == 150
    alone = force_layout(kg.g.subgraph(core), core)
    assert all((nodes[i]["x"], nodes[i]["y"]) == alone[nodes[i]["id"]] for i in data["overview"])
    near = {i: set() for i in range(len(nodes))}
    for e in data["edges"]:
        near[e["from"]].add(e["to"])
        near[e["to"]].add(e["from"])
    xs = [n["x"] for n in nodes]
    span = max(xs) - min(xs)
    reach = 40.0 * (0.5 + 0.3 * math.sqrt(len(nodes)))  # the widest fan place_near makes
    placed = [i for i in range(len(nodes)) if i not in set(data["overview"]) and near[i]]
    assert placed and reach < span / 3
    for i in placed:
        d = min(math.dist((nodes[i]["x"], nodes[i]["y"]), (nodes[j]["x"], nodes[j]["y"]))
                for j in near[i])
        assert d <= 2 * reach, (nodes[i]["id"], d)
