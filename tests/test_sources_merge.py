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
    assert (rep.matched, rep.created, rep.rejected) == (1, 0, 0)
    assert "A-1" in kg.node("lmkg:agent/alpha")["synonyms"]
    assert "A-1" not in kg.node("lmkg:agent/beta").get("synonyms", [])


def test_other_identifier_vetoes_a_name_match():
    kg = _graph()
    rep = _merge(kg, SourceItem("r1", _agent("alphatinib", "alphatinib",
                                             xrefs=("DRUGBANK:DB99999",))))
    assert (rep.matched, rep.rejected) == (0, 1)
    why = next(u["reason"] for u in rep.unmatched if "reason" in u)
    assert "DRUGBANK:DB00001" in why and "DRUGBANK:DB99999" in why
    assert "DRUGBANK:DB99999" not in kg.node("lmkg:agent/alpha")["xrefs"]


def test_ambiguous_is_reported_with_candidates_never_guessed():
    kg = _graph()
    rep = _merge(kg, SourceItem("r1", _agent("ABC-1", "abc-1", synonyms=("zzz",))))
    assert (rep.matched, rep.rejected) == (0, 1)
    amb = rep.ambiguous[0]
    assert amb["record"] == "r1" and amb["matched_by"] == "name"
    assert amb["candidates"] == ["betatinib (lmkg:agent/beta)", "gammatinib (lmkg:agent/gamma)"]
    assert "ambiguous" in rep.rejections[0]["reasons"][0]
    assert "zzz" not in kg.node("lmkg:agent/beta").get("synonyms", [])


def test_unmatched_is_created_only_where_authoritative():
    kg = _graph()
    rep = _merge(kg, SourceItem("r1", _agent("deltatinib", "deltatinib")))
    assert (rep.created, rep.rejected) == (0, 1) and "lmkg:agent/deltatinib" not in kg
    assert "does not create Agents" in rep.unmatched[0]["reason"]
    rep = _merge(kg, SourceItem("r1", _agent("deltatinib", "deltatinib")), creates={"Agent"})
    assert (rep.created, rep.rejected) == (1, 0) and "lmkg:agent/deltatinib" in kg


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
    assert rep.rejected == 1 and len(kg) == before
    assert rep.rejections[0]["reasons"][0].startswith("out of scope: Agent 'omegatinib'")


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
    for name in SOURCES:
        s = report["sources"][name]
        assert s["read"] > 0, name
        assert s["read"] == s["matched"] + s["created"] + s["rejected"] + s["duplicates"], name
        assert s["balanced"] is True
        # Every rejection is counted (by reason); the first 2,000 are listed one by one.
        assert s["rejections_total"] == s["rejected"], name
        assert len(s["rejections"]) == min(s["rejected"], 2000) == s["rejections_listed"], name
        assert sum(s["rejections_by_reason"].values()) >= s["rejected"], name
    md = _out.with_name("lmkg-build-report.md").read_text()
    rows = {line.split("|")[1].strip(): line.split("|")[-2].strip()
            for line in md.splitlines() if line.startswith("| ") and line.count("|") == 11}
    assert {name: rows[name] for name in SOURCES} == {name: "yes" for name in SOURCES}


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
