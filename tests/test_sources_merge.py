"""Adding public sources to the graph: identity resolution, conflicts, the build report, and
the issue's done-when on the shipped curated data plus every extract in ../shared/data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from lmkg.cli import cli
from lmkg.graph.kg import KnowledgeGraph
from lmkg.graph.sources import add_source
from lmkg.loaders import LoadResult, SourceItem
from lmkg.ontology import BY_PREDICATE, Agent, RegulatoryDesignation, RelationType, SourceRef

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
SOURCES = {"b3db": "b3db", "oopd": "fda", "ctgov": "clinicaltrials", "civic": "civic",
           "openfda": "openfda", "drugbank": "drugbank"}
SRC = SourceRef(url="https://example.org/source", dataset="test")


def _graph() -> KnowledgeGraph:
    kg = KnowledgeGraph()
    kg.add_entity(Agent(id="lmkg:agent/alpha", name="alphatinib", xrefs=("DRUGBANK:DB00001",)))
    kg.add_entity(Agent(id="lmkg:agent/beta", name="betatinib", synonyms=("ABC-1",)))
    kg.add_entity(Agent(id="lmkg:agent/gamma", name="gammatinib", synonyms=("ABC-1",)))
    kg.add_entity(RegulatoryDesignation(
        id="lmkg:designation/alpha-orphan", name="Alphatinib FDA orphan drug designation",
        agency="fda", designation_type="orphan_drug", indication="LM from NSCLC",
        date="2019-03", sources=(SRC,)))
    kg.add_relation(BY_PREDICATE[RelationType.HAS_DESIGNATION](
        subject="lmkg:agent/alpha", object="lmkg:designation/alpha-orphan", sources=[SRC]))
    return kg


def _merge(kg, *items: SourceItem, creates=frozenset(), read=None):
    res = LoadResult(source="test", items=list(items), read=read or len(items))
    return add_source(kg, "test", res, frozenset(creates), "mem")


def _agent(name: str, slug: str, **kw) -> Agent:
    return Agent(id=f"lmkg:agent/{slug}", name=name, sources=(SRC,), **kw)


def test_xref_beats_name():
    kg = _graph()
    # named like beta, but carries alpha's DrugBank id: it is alpha
    rep = _merge(kg, SourceItem("r1", _agent("betatinib", "betatinib",
                                             xrefs=("DRUGBANK:DB00001",), synonyms=("A-1",))))
    assert (rep.matched, rep.created, rep.unmatched, rep.invalid) == (1, 0, 0, 0)
    assert "A-1" in kg.node("lmkg:agent/alpha")["synonyms"]
    assert "A-1" not in kg.node("lmkg:agent/beta").get("synonyms", [])


def test_other_identifier_vetoes_a_name_match():
    kg = _graph()
    rep = _merge(kg, SourceItem("r1", _agent("alphatinib", "alphatinib",
                                             xrefs=("DRUGBANK:DB99999",))))
    # the name matches but the identifiers differ: not the same thing, and not silently
    # "out of scope" either: unmatched, with both identifiers
    assert (rep.matched, rep.unmatched, rep.out_of_scope, rep.invalid) == (0, 1, 0, 0)
    why = rep.unmatched_entities[0]["reason"]
    assert "DRUGBANK:DB00001" in why and "DRUGBANK:DB99999" in why
    assert "DRUGBANK:DB99999" not in kg.node("lmkg:agent/alpha")["xrefs"]


def test_ambiguous_is_reported_with_candidates_never_guessed():
    kg = _graph()
    rep = _merge(kg, SourceItem("r1", _agent("ABC-1", "abc-1", synonyms=("zzz",))))
    assert (rep.matched, rep.unmatched, rep.invalid) == (0, 1, 0)
    amb = rep.ambiguous[0]
    assert amb["record"] == "r1" and amb["matched_by"] == "name"
    assert amb["candidates"] == ["betatinib (lmkg:agent/beta)", "gammatinib (lmkg:agent/gamma)"]
    assert "ambiguous" in rep.rows["unmatched"][0]["reasons"][0]
    assert "zzz" not in kg.node("lmkg:agent/beta").get("synonyms", [])


def test_unmatched_is_created_only_where_authoritative():
    kg = _graph()
    rep = _merge(kg, SourceItem("r1", _agent("deltatinib", "deltatinib")))
    assert (rep.created, rep.out_of_scope) == (0, 1) and "lmkg:agent/deltatinib" not in kg
    assert "does not create Agents" in rep.rows["out_of_scope"][0]["reasons"][0]
    assert rep.invalid == 0  # a sound record about something else is not "rejected"
    rep = _merge(kg, SourceItem("r1", _agent("deltatinib", "deltatinib")), creates={"Agent"})
    assert (rep.created, rep.out_of_scope) == (1, 0) and "lmkg:agent/deltatinib" in kg


def test_conflict_is_listed_and_the_curated_value_kept():
    kg = _graph()
    d = RegulatoryDesignation(id="lmkg:designation/src-alpha", name="FDA orphan: alphatinib",
                              agency="fda", designation_type="orphan_drug",
                              indication="leptomeningeal metastases of NSCLC.",
                              date="2019-03-14", sources=(SRC,))
    rel = BY_PREDICATE[RelationType.HAS_DESIGNATION](subject="lmkg:agent/alphatinib",
                                                     object=d.id, sources=[SRC])
    item = SourceItem("row 7", d, related=[_agent("alphatinib", "alphatinib")], relations=[rel],
                      requires=["lmkg:agent/alphatinib"])
    rep = _merge(kg, item, creates={"RegulatoryDesignation"})
    # matched by agent + agency + type + compatible date (curated 2019-03), not duplicated
    assert (rep.matched, rep.created) == (1, 0)
    assert "lmkg:designation/src-alpha" not in kg
    node = kg.node("lmkg:designation/alpha-orphan")
    assert (node["date"], node["indication"]) == ("2019-03", "LM from NSCLC")  # curated kept
    assert {(c["field"], c["graph_value"], c["source_value"], c["record"]) for c in
            rep.conflicts} == {("date", "2019-03", "2019-03-14", "row 7"),
                               ("indication", "LM from NSCLC",
                                "leptomeningeal metastases of NSCLC.", "row 7")}
    assert all(c["kept"].startswith("graph") for c in rep.conflicts)
    assert len(node["sources"]) == 1  # the same source, merged again, is not repeated
    src8 = SourceRef(url="https://example.org/source", dataset="test", record="row 8")
    d8 = RegulatoryDesignation(**{**d.model_dump(exclude={"sources"}), "sources": (src8,)})
    rep = _merge(kg, SourceItem("row 8", d8, related=[_agent("alphatinib", "alphatinib")],
                                relations=[rel], requires=["lmkg:agent/alphatinib"]),
                 creates={"RegulatoryDesignation"})
    assert rep.matched == 1
    assert [s.get("record") for s in node["sources"]] == [None, "row 8"]


def test_punctuation_is_not_a_conflict():
    kg = _graph()
    d = RegulatoryDesignation(id="lmkg:designation/x", name="Alphatinib FDA orphan drug "
                              "designation", agency="fda", designation_type="orphan_drug",
                              indication="LM from NSCLC.", sources=(SRC,))
    rep = _merge(kg, SourceItem("r", d), creates={"RegulatoryDesignation"})
    assert rep.matched == 1 and rep.conflicts == []


def test_out_of_scope_record_creates_nothing():
    kg = _graph()
    d = RegulatoryDesignation(id="lmkg:designation/y", name="FDA orphan: omegatinib",
                              agency="fda", designation_type="orphan_drug", indication="x",
                              sources=(SRC,))
    rel = BY_PREDICATE[RelationType.HAS_DESIGNATION](subject="lmkg:agent/omegatinib",
                                                     object=d.id, sources=[SRC])
    item = SourceItem("r", d, related=[_agent("omegatinib", "omegatinib")], relations=[rel],
                      requires=["lmkg:agent/omegatinib"])
    before = len(kg)
    rep = _merge(kg, item, creates={"RegulatoryDesignation"})
    assert (rep.out_of_scope, rep.invalid) == (1, 0) and len(kg) == before
    assert rep.rows["out_of_scope"][0]["reasons"] == ["Agent 'omegatinib' is not in the graph"]


# -- the whole build: every source in ../shared/data on the shipped curated data ----------------
@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "g.json"
    args = ["build", "-o", str(out)]
    for name, folder in SOURCES.items():
        args += ["--source", f"{name}={SHARED / folder}"]
    r = CliRunner().invoke(cli, args, catch_exceptions=False)
    report = json.loads(out.with_name("lmkg-build-report.json").read_text())
    from lmkg.graph import load_graph

    return r, load_graph(out) if out.exists() else None, report, out


def test_build_with_every_source_succeeds(built):
    r, _kg, report, out = built
    assert r.exit_code == 0, r.output
    assert set(SOURCES) <= set(report["sources"])
    assert out.with_name("lmkg-build-report.md").exists()


def test_every_source_accounts_for_every_record(built):
    _r, _kg, report, _out = built
    kinds = ("matched", "created", "out_of_scope", "unmatched", "invalid", "duplicate")
    for name in SOURCES:
        s = report["sources"][name]
        assert s["read"] > 0, name
        assert s["read"] == sum(s[k] for k in kinds), name
        assert s["balanced"] is True and s["failures"] == [], name
        # Every record set aside is counted by reason; the first 2,000 are listed one by one.
        for kind in ("out_of_scope", "unmatched", "invalid", "duplicate"):
            assert len(s[f"{kind}_rows"]) == min(s[kind], 2000), (name, kind)
            assert sum(s[f"{kind}_by_reason"].values()) >= s[kind], (name, kind)
    md = _out.with_name("lmkg-build-report.md").read_text()
    rows = {line.split("|")[1].strip(): [c.strip() for c in line.split("|")[2:-1]]
            for line in md.splitlines() if line.startswith("| ") and line.count("|") == 14}
    assert {name: rows[name][-2:] for name in SOURCES} == {name: ["yes", "ok"] for name in SOURCES}
    for name in SOURCES:  # read, matched, created, out of scope, unmatched, invalid, duplicates
        assert rows[name][:7] == [str(report["sources"][name][k]) for k in ("read", *kinds)]


# The example: B3DB's rows about other compounds were "9,012 of 9,040 rejected"; they
# are out of scope, and only broken rows may be called invalid (rejected).
EXPECTED_OUTCOMES = {
    # source: (read, out of scope at least, invalid at most)
    "b3db": (9040, 8990, 0),  # (the rest match the graph's agents: docetaxel's rows since it is one)
    "oopd": (1058, 900, 0),
    "openfda": (15, 15, 0),
    "drugbank": (7, 7, 0),
    "civic": (220, 150, 1),
}


@pytest.mark.parametrize("name", sorted(EXPECTED_OUTCOMES))
def test_out_of_scope_rows_are_not_called_rejected(built, name):
    _r, _kg, report, _out = built
    s = report["sources"][name]
    read, out_of_scope, invalid = EXPECTED_OUTCOMES[name]
    assert s["read"] == read
    assert s["out_of_scope"] >= out_of_scope
    assert s["invalid"] <= invalid
    assert "rejected" not in s  # the report no longer has a word for "set aside, any reason"


def test_tucatinib_orphan_designation_for_brain_metastases(built):
    _r, kg, _report, _out = built
    orphan = [d for _s, _k, d, _e in kg.out_edges("lmkg:agent/tucatinib", "HAS_DESIGNATION")
              if kg.node(d)["designation_type"] == "orphan_drug" and kg.node(d)["agency"] == "fda"
              and "brain" in kg.node(d)["indication"].lower()]
    assert len(orphan) == 1  # the curated one, found again in OOPD, not a duplicate
    node = kg.node(orphan[0])
    oopd = [s for s in node["sources"] if s.get("dataset") == "oopd"]
    assert oopd and "1019" in oopd[0]["record"]  # OOPD row 1019: tucatinib, 6/05/17
    assert any("lmkg:site/brain" == o for _s, _k, o, _e in kg.out_edges(orphan[0],
                                                                        "FOR_INDICATION"))


def test_methotrexate_b3db_label_in_cns_evidence_with_source(built):
    _r, kg, _report, _out = built
    ev = [e for e in kg.node("lmkg:agent/methotrexate").get("cns_evidence", [])
          if e["source"].get("dataset") == "b3db"]
    row45 = [e for e in ev if e["source"]["record"] == "B3DB_classification.tsv:45"]
    assert row45, ev
    e = row45[0]
    assert (e["level"], e["direction"], e["value"]) == ("preclinical", "refutes",
                                                        "BBB- (logBB -1.5)")
    assert e["source"]["url"] == "https://github.com/theochem/B3DB"


def test_a_second_build_reports_changes(built, tmp_path):
    _r, _kg, _report, out = built
    import shutil

    g = tmp_path / "g.json"
    shutil.copy(out, g)
    r = CliRunner().invoke(cli, ["build", "-o", str(g)], catch_exceptions=False)
    assert r.exit_code == 0
    ch = json.loads((tmp_path / "lmkg-build-report.json").read_text())["changes"]
    assert ch["entities_removed"]  # the sources' entities are gone without --source
    assert "Changes since the previous build" in (tmp_path / "lmkg-build-report.md").read_text()


# -- broken source files fail the build, saying why (issue 17 item 1) -------------------------
REAL = {  # loader: a real file of its format, from ../shared/data
    "ctgov": "clinicaltrials/NCT02210780.json",
    "openfda": "openfda/drugsatfda_2023-11-15.json",
    "civic": "civic/civic_graphql_evidence_sample.json",
    "b3db": "b3db/B3DB_classification_external.tsv",
    "oopd": "fda/oopd_designated_approved_2022-01.csv",
    "drugbank": "drugbank/drugbank_open_vocabulary_sample.csv",
}
WRONG_SHAPE = {  # a well-formed file of the right kind that is not this source's
    "ctgov": ("x.json", b'[{"id": 1}, {"id": 2}, {"id": 3}]'),
    "openfda": ("x.json", b'{"meta": {}, "items": []}'),
    "civic": ("x.json", b'[{"name": "no id"}, 3, "text"]'),
    "b3db": ("x.tsv", b"name\tvalue\naspirin\t3\n"),
    "oopd": ("x.csv", b"name,value\naspirin,3\n"),
    "drugbank": ("x.csv", b"name,value\naspirin,3\n"),
}


def _broken(kind: str, name: str, tmp: Path) -> Path:
    real = SHARED / REAL[name]
    if kind == "truncated":  # the example: the first bytes of a real file
        data = real.read_bytes()
        cut = {"ctgov": 49_000}.get(name, len(data) // 2)
        if real.suffix in (".tsv", ".csv"):  # a few bytes into a row, inside its first field
            cut = data.index(b"\n", cut) + 4
        path = tmp / real.name
        path.write_bytes(data[:cut])
    elif kind == "binary":
        path = tmp / f"data{real.suffix}"
        path.write_bytes(bytes(range(256)) * 40)
    elif kind == "wrong shape":
        fname, data = WRONG_SHAPE[name]
        path = tmp / fname
        path.write_bytes(data)
    elif kind == "empty":
        path = tmp / f"empty{real.suffix}"
        path.write_bytes(b"")
    else:  # a directory with nothing of the source's format in it
        path = tmp / "folder"
        path.mkdir()
        (path / "README.md").write_text("not a data file\n")
    return path


@pytest.fixture(scope="module")
def tiny_data(tmp_path_factory) -> Path:
    from test_curated_loader import GOOD

    d = tmp_path_factory.mktemp("curated")
    (d / "good.yaml").write_text(GOOD)
    return d


@pytest.mark.parametrize("name", sorted(REAL))
@pytest.mark.parametrize("kind", ["truncated", "binary", "wrong shape", "empty", "directory"])
def test_a_broken_source_file_fails_the_build_and_says_why(tiny_data, tmp_path, name, kind):
    src = _broken(kind, name, tmp_path)
    out = tmp_path / "out" / "g.json"
    r = CliRunner().invoke(cli, ["build", "--data", str(tiny_data), "-o", str(out),
                                 "--source", f"{name}={src}"], catch_exceptions=False)
    assert r.exit_code == 1, r.output
    assert not out.exists()  # nothing half-built
    # The failure's report has its own name: a report beside a kept graph describes that graph.
    assert not out.with_name("lmkg-build-report.json").exists()
    report = json.loads(out.with_name("lmkg-build-report.failed.json").read_text())
    assert report["built"] is False
    why = report["failures"][name]
    assert why and report["sources"][name]["failures"] == why
    for reason in why:  # the reason, on stderr and in both reports
        assert reason in r.stderr
        assert reason in out.with_name("lmkg-build-report.failed.md").read_text()
    assert f"source(s) cannot be used ({name})" in r.stderr
    text = " ".join(why)
    expected = {
        "truncated": ("not valid JSON", "truncated", "malformed"),
        "binary": ("not UTF-8", "not valid JSON", "malformed", "wrong columns"),
        "wrong shape": ("records are invalid", "not an openFDA response", "wrong columns"),
        "empty": ("not valid JSON", "wrong columns", "no record"),
        "directory": ("files found",),
    }[kind]
    assert any(e in text for e in expected), text


def test_a_failed_build_keeps_the_graph_and_its_report(tiny_data, tmp_path):
    """QA 19: the report beside the graph kept still describes it; the failure's is beside."""
    out = tmp_path / "g.json"
    ok = CliRunner().invoke(cli, ["build", "--data", str(tiny_data), "-o", str(out)],
                            catch_exceptions=False)
    assert ok.exit_code == 0, ok.output
    kept = {p.name: p.read_bytes() for p in (out, out.with_name("lmkg-build-report.json"),
                                             out.with_name("lmkg-build-report.md"))}
    src = _broken("truncated", "civic", tmp_path)
    r = CliRunner().invoke(cli, ["build", "--data", str(tiny_data), "-o", str(out),
                                 "--source", f"civic={src}"], catch_exceptions=False)
    assert r.exit_code == 1
    assert {n: (tmp_path / n).read_bytes() for n in kept} == kept
    failed = json.loads(out.with_name("lmkg-build-report.failed.json").read_text())
    assert failed["built"] is False and "civic" in failed["failures"]
    assert "lmkg-build-report.failed.json" in r.stderr
    # The next good build clears the failure's report, which no longer applies.
    again = CliRunner().invoke(cli, ["build", "--data", str(tiny_data), "-o", str(out)],
                               catch_exceptions=False)
    assert again.exit_code == 0
    assert not out.with_name("lmkg-build-report.failed.json").exists()
    assert not out.with_name("lmkg-build-report.failed.md").exists()


def test_truncated_source_is_kept_with_lenient_and_the_report_says_so(tiny_data, tmp_path):
    src = _broken("truncated", "ctgov", tmp_path)
    out = tmp_path / "g.json"
    r = CliRunner().invoke(cli, ["build", "--data", str(tiny_data), "-o", str(out), "--lenient",
                                 "--source", f"ctgov={src}"], catch_exceptions=False)
    assert r.exit_code == 0 and out.exists()
    assert "not valid JSON" in r.stderr and "kept (--lenient)" in r.stderr
    report = json.loads(out.with_name("lmkg-build-report.json").read_text())
    assert report["built"] is True and "ctgov" in report["failures"]
    md = out.with_name("lmkg-build-report.md").read_text()
    assert "Built with `--lenient` although these sources have errors" in md
    assert "| kept (lenient) |" in md


@pytest.mark.parametrize("bad,fails", [(1, False), (2, True)])
def test_a_source_fails_when_most_of_its_rows_are_invalid(tiny_data, tmp_path, bad, fails):
    rows = ["compound_name\tlogBB\tBBB+/BBB-"]
    rows += [f"drug{i}\tnot-a-number\tBBB+" for i in range(bad)]
    rows += [f"drug{i + 9}\t-0.5\tBBB+" for i in range(3 - bad)]
    (tmp_path / "b.tsv").write_text("\n".join(rows) + "\n")
    out = tmp_path / "g.json"
    r = CliRunner().invoke(cli, ["build", "--data", str(tiny_data), "-o", str(out),
                                 "--source", f"b3db={tmp_path / 'b.tsv'}"],
                           catch_exceptions=False)
    # A failed build's report is written under its own name (the kept graph keeps its own).
    name = "lmkg-build-report.failed.json" if r.exit_code else "lmkg-build-report.json"
    report = json.loads(out.with_name(name).read_text())
    s = report["sources"]["b3db"]
    assert (s["read"], s["invalid"]) == (3, bad)
    assert s["invalid_rows"][0]["line"] == 2 and "not a number" in s["invalid_rows"][0]["reasons"][0]
    assert (r.exit_code == 1) is fails and bool(s["failures"]) is fails
    if fails:
        assert f"{bad} of 3 records are invalid" in r.stderr


def test_a_row_with_too_few_or_too_many_fields_is_invalid_with_its_line(tmp_path):
    from lmkg.loaders import get_loader

    (tmp_path / "b.tsv").write_text("compound_name\tlogBB\nx\t-0.5\ny\nz\t1\textra\nw\t0.1\n")
    r = get_loader("b3db").load(tmp_path / "b.tsv")
    assert r.read == 4 and not r.errors
    assert [(x.line, x.reasons) for x in r.invalid] == [
        (3, ["1 fields where the header has 2"]),
        (4, ["3 fields where the header has 2 (a stray delimiter or quote?)"])]


# -- approvals are matched to the indication they name ----------------------------------------
ROS1 = "lmkg:designation/entrectinib-fda-approval-ros1-nsclc"
NTRK = "lmkg:designation/entrectinib-fda-accelerated_approval-ntrk-solid-tumors"


def _records(kg, nid: str, dataset: str) -> list[str]:
    return [s["record"] for s in kg.node(nid).get("sources", []) if s.get("dataset") == dataset]


def test_oopd_approvals_land_on_the_indication_they_name(built):
    # OOPD rows 373 (ROS1-positive NSCLC) and 374 (NTRK gene fusion solid tumours) are both
    # approvals of entrectinib dated 2019-08-15: each must enrich its own approval.
    _r, kg, _report, _out = built
    assert [r.split(" ")[0] for r in _records(kg, ROS1, "oopd")] == [
        "oopd_designated_approved_2022-01.csv:373"]
    assert [r.split(" ")[0] for r in _records(kg, NTRK, "oopd")] == [
        "oopd_designated_approved_2022-01.csv:374"]
    approvals = [d for _s, _k, d, _e in kg.out_edges("lmkg:agent/entrectinib", "HAS_DESIGNATION")
                 if kg.node(d)["designation_type"] in ("approval", "accelerated_approval")]
    assert sorted(approvals) == sorted([ROS1, NTRK])  # matched, not duplicated


def _openfda_entrectinib(tmp: Path) -> Path:
    """Two applications in the shape of openFDA's drug/drugsfda records; the numbers, date and
    sponsor are those of the FDA approval package (212725: ROS1 NSCLC, 212726: NTRK), the UNII
    that of the Rozlytrek label."""
    def app(number: str) -> dict:
        return {"application_number": number, "sponsor_name": "GENENTECH INC",
                "submissions": [{"submission_type": "ORIG", "submission_number": "1",
                                 "submission_status": "AP", "submission_status_date": "20190815",
                                 "review_priority": "PRIORITY"}],
                "openfda": {"application_number": [number], "brand_name": ["ROZLYTREK"],
                            "generic_name": ["ENTRECTINIB"], "unii": ["L5ORF0AN1I"]},
                "products": [{"brand_name": "ROZLYTREK",
                              "active_ingredients": [{"name": "ENTRECTINIB"}]}]}

    path = tmp / "rozlytrek.json"
    path.write_text(json.dumps({"meta": {"last_updated": "2023-11-15"},
                                "results": [app("NDA212725"), app("NDA212726")]}))
    return path


def test_openfda_applications_land_on_their_own_approval(kg, tmp_path):
    import copy

    from lmkg.graph.sources import scope_for
    from lmkg.loaders import get_loader

    g = copy.deepcopy(kg)
    loader = get_loader("openfda")
    result = loader.load(_openfda_entrectinib(tmp_path), scope=scope_for(g))
    rep = add_source(g, "openfda", result, loader.creates, "mem")
    assert (rep.read, rep.matched, rep.unmatched, rep.invalid) == (2, 2, 0, 0)
    assert _records(g, ROS1, "openfda") == ["NDA212725"]  # by the application number
    assert _records(g, NTRK, "openfda") == ["NDA212726"]


def test_an_approval_that_names_no_indication_is_never_guessed(kg, tmp_path):
    # Without the application numbers in the graph, Drugs@FDA says nothing of the indication:
    # two approvals of entrectinib on 2019-08-15 fit; neither is chosen.
    from lmkg.graph import load_graph, save_graph
    from lmkg.loaders import get_loader

    save_graph(kg, tmp_path / "g.json")
    doc = json.loads((tmp_path / "g.json").read_text())
    for node in doc["nodes"]:
        if node["id"] in (ROS1, NTRK):
            node.pop("xrefs")
    (tmp_path / "g.json").write_text(json.dumps(doc))
    g = load_graph(tmp_path / "g.json")
    loader = get_loader("openfda")
    rep = add_source(g, "openfda", loader.load(_openfda_entrectinib(tmp_path)), loader.creates,
                     "mem")
    assert (rep.matched, rep.created, rep.unmatched) == (0, 0, 2)
    assert {a["name"][:30] for a in rep.ambiguous} == {"FDA approval of Rozlytrek (NDA"}
    assert all(sorted(c.split("(")[-1].rstrip(")") for c in a["candidates"]) == sorted([NTRK, ROS1])
               for a in rep.ambiguous)
    assert _records(g, ROS1, "openfda") == [] and _records(g, NTRK, "openfda") == []
