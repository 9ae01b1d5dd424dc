"""KnowledgeGraph: merging, name resolution, derived edges, saving and loading."""

from __future__ import annotations

import json
import textwrap

import pytest

import lmkg
from lmkg.errors import AmbiguousName, GraphFileError, UnknownEntity
from lmkg.graph import KnowledgeGraph, load_graph, normalise, save_graph
from lmkg.ontology import BY_PREDICATE, Agent, Gene, RelationType

DATA = textwrap.dedent("""\
    genes:
      - id: gene/egfr
        name: EGFR
        symbol: EGFR
        synonyms: [ERBB1, HER1]
        xrefs: [HGNC:3236]
    biomarkers:
      - id: biomarker/egfr-t790m
        name: EGFR T790M
        kind: mutation
        gene: gene/egfr
        sources: [{id: PMID:25923549}]
    agents:
      - id: agent/osimertinib
        name: osimertinib
        synonyms: [Tagrisso, AZD9291]
        status: approved
        cns_evidence:
          - {level: csf_pk, metric: CSF penetration, value: "16%", source: {id: PMID:25923549}}
        relations:
          - {rel: TARGETS, to: biomarker/egfr-t790m, sources: [{id: PMID:25923549}]}
          - {rel: HAS_DESIGNATION, to: designation/osi-fda, sources: [{url: "https://www.fda.gov/x"}]}
    designations:
      - id: designation/osi-fda
        name: osimertinib FDA approval
        agency: fda
        designation_type: approval
        indication: metastatic EGFR T790M mutation-positive NSCLC
        date: 2015-11-13
        relations:
          - {rel: FOR_INDICATION, to: cancer/nsclc, sources: [{url: "https://www.fda.gov/x"}]}
    agencies:
      - {id: agency/fda, name: US Food and Drug Administration, synonyms: [FDA], agency: fda}
    cancers:
      - {id: cancer/nsclc, name: non-small cell lung cancer, synonyms: [NSCLC]}
    publications:
      - id: publication/pmid-25923549
        name: AZD9291 in EGFR inhibitor-resistant non-small-cell lung cancer
        xrefs: [PMID:25923549]
    relations:
      - {from: agent/osimertinib, rel: TARGETS, to: biomarker/egfr-t790m, sources: [{id: PMID:25923549, note: again}, {url: "https://example.org/label"}]}
    """)


@pytest.fixture
def small(tmp_path):
    d = tmp_path / "data"
    d.mkdir()
    (d / "a.yaml").write_text(DATA)
    return lmkg.build(d)


def test_normalise_ignores_case_space_and_punctuation():
    assert normalise("AZD-9291") == normalise("azd 9291") == "azd9291"
    assert normalise("HER2-positive breast cancer") == normalise("HER2+ Breast Cancer")


@pytest.mark.parametrize("text", ["Tagrisso", "tagrisso", "AZD9291", "azd-9291", "osimertinib",
                                  "lmkg:agent/osimertinib", "agent/osimertinib"])
def test_resolve_by_any_name(small, text):
    assert small.resolve(text) == "lmkg:agent/osimertinib"


def test_resolve_by_xref(small):
    assert small.resolve("HGNC:3236") == "lmkg:gene/egfr"


def test_unknown_name_lists_close_matches(small):
    with pytest.raises(UnknownEntity) as exc:
        small.resolve("osimertinb")
    assert "osimertinib" in str(exc.value)


def test_ambiguous_name_lists_candidates():
    kg = KnowledgeGraph()
    kg.add_entity(Gene(id="gene/a", name="Alpha", symbol="A", synonyms=("X1",)))
    kg.add_entity(Agent(id="agent/b", name="Beta", status="approved", synonyms=("X1",)))
    with pytest.raises(AmbiguousName) as exc:
        kg.resolve("x1")
    assert "lmkg:gene/a" in str(exc.value) and "lmkg:agent/b" in str(exc.value)
    assert kg.resolve("x1", types=["Agent"]) == "lmkg:agent/b"


def test_same_relation_twice_merges_sources(small):
    edges = small.out_edges("lmkg:agent/osimertinib", "TARGETS")
    assert len(edges) == 1
    ids = [s.get("id") or s.get("url") for s in edges[0][3]["sources"]]
    assert ids == ["PMID:25923549", "https://example.org/label"]


def test_derived_edges_carry_sources(small):
    alt = small.out_edges("lmkg:biomarker/egfr-t790m", "ALTERATION_OF")
    assert [(e[2], e[3]["derived"]) for e in alt] == [("lmkg:gene/egfr", "biomarker.gene")]
    appr = small.out_edges("lmkg:agent/osimertinib", "APPROVED_FOR")
    assert [e[2] for e in appr] == ["lmkg:cancer/nsclc"]
    assert appr[0][3]["agency"] == "fda" and appr[0][3]["date"] == "2015-11-13"
    granted = small.out_edges("lmkg:designation/osi-fda", "GRANTED_BY")
    assert [e[2] for e in granted] == ["lmkg:agency/fda"]
    sup = small.out_edges("lmkg:agent/osimertinib", "SUPPORTED_BY")
    assert [e[2] for e in sup] == ["lmkg:publication/pmid-25923549"]
    assert all(d["sources"] for *_x, d in small.edges())


def test_stats(small):
    s = small.stats()
    assert s["entities"]["Agent"] == 1 and s["entities"]["Company"] == 0
    assert s["relations"]["TARGETS"] == 1
    assert s["share_with_sources"] == 1.0


def test_save_and_load_round_trip(small, tmp_path):
    path = save_graph(small, tmp_path / "g.json")
    back = load_graph(path)
    assert sorted(back.g.nodes) == sorted(small.g.nodes)
    assert sorted((s, k, o) for s, o, k in back.g.edges(keys=True)) == \
        sorted((s, k, o) for s, o, k in small.g.edges(keys=True))
    assert back.resolve("Tagrisso") == "lmkg:agent/osimertinib"
    assert back.entity("lmkg:agent/osimertinib").cns_penetrant()
    assert list(tmp_path.glob(".*tmp")) == []


@pytest.mark.parametrize("content,message", [
    (b"not json", "not JSON"),
    (json.dumps({"format": "other"}).encode(), "not an lmkg graph file"),
    (json.dumps({"format": "lmkg-graph", "version": 99}).encode(), "format version 99"),
    (json.dumps({"format": "lmkg-graph", "version": 1, "nodes": [{"id": "x"}], "edges": []}).encode(),
     "damaged"),
])
def test_bad_graph_files(tmp_path, content, message):
    p = tmp_path / "g.json"
    p.write_bytes(content)
    with pytest.raises(GraphFileError, match=message):
        load_graph(p)
    with pytest.raises(GraphFileError, match="no built graph"):
        load_graph(tmp_path / "missing.json")


def test_failed_save_leaves_previous_file(small, tmp_path, monkeypatch):
    path = save_graph(small, tmp_path / "out" / "g.json")
    before = path.read_bytes()
    import lmkg.graph.store as store

    def boom(_doc):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "_dumps", boom)
    with pytest.raises(RuntimeError):
        save_graph(small, path)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["g.json"]


def test_relation_model_rejects_unknown_endpoint():
    kg = KnowledgeGraph()
    rel = BY_PREDICATE[RelationType.TARGETS](subject="agent/a", object="gene/b",
                                              sources=[{"id": "PMID:1"}])
    with pytest.raises(UnknownEntity):
        kg.add_relation(rel)
