"""KGX export: the files follow the KGX format, validate against the local Biolink schema with
bmt, carry provenance on every edge, and read back into a graph of the same size."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from lmkg.graph.export.kgx import (
    EDGE_COLUMNS,
    MULTIVALUED,
    NODE_COLUMNS,
    biolink_curie,
    read_kgx_tsv,
    write_kgx,
)

REQUIRED_NODE = {"id", "category"}
REQUIRED_EDGE = {"id", "subject", "predicate", "object", "knowledge_level", "agent_type",
                 "primary_knowledge_source"}


@pytest.fixture(scope="module")
def toolkit():
    import biolink_model
    import bmt

    schema = Path(next(iter(biolink_model.__path__))) / "schema" / "biolink_model.yaml"
    return bmt.Toolkit(schema=str(schema), predicate_map={"predicate mappings": []})


@pytest.fixture(scope="module")
def kgx_dir(kg, tmp_path_factory):
    out = tmp_path_factory.mktemp("kgx")
    summary = write_kgx(kg, out)
    assert summary == {"nodes": len(kg), "edges": kg.g.number_of_edges(),
                       "files": ["nodes.tsv", "edges.tsv", "nodes.jsonl", "edges.jsonl"]}
    return out


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_required_columns_and_multivalued_fields(kgx_dir):
    nodes, edges = read_kgx_tsv(kgx_dir)
    header_n = (kgx_dir / "nodes.tsv").read_text().split("\n", 1)[0].split("\t")
    header_e = (kgx_dir / "edges.tsv").read_text().split("\n", 1)[0].split("\t")
    assert REQUIRED_NODE <= set(header_n) and set(header_n) <= set(NODE_COLUMNS)
    assert REQUIRED_EDGE <= set(header_e) and set(header_e) <= set(EDGE_COLUMNS)
    assert all(REQUIRED_NODE <= set(n) for n in nodes)
    assert all(REQUIRED_EDGE <= set(e) for e in edges)
    # Multivalued slots are lists in JSON Lines, and the same items in TSV.
    jn = {n["id"]: n for n in _jsonl(kgx_dir / "nodes.jsonl")}
    for n in nodes:
        for col in MULTIVALUED & set(n):
            assert jn[n["id"]][col] == n[col]


def test_every_category_predicate_and_slot_validates_with_bmt(kgx_dir, toolkit):
    nodes, edges = _jsonl(kgx_dir / "nodes.jsonl"), _jsonl(kgx_dir / "edges.jsonl")
    slots = {k for r in nodes + edges for k in r}
    assert {s for s in slots if toolkit.get_element(s) is None} == set()
    multivalued = {s.replace(" ", "_") for s in toolkit.get_all_multivalued_slots()}
    assert {s for s in MULTIVALUED if s in slots} <= multivalued
    assert {s for s in slots - MULTIVALUED if s in multivalued} == set()
    assert {c for n in nodes for c in n["category"] if not toolkit.is_category(c)} == set()
    assert {e["predicate"] for e in edges if not toolkit.is_predicate(e["predicate"])} == set()
    levels = set(toolkit.view.get_enum("KnowledgeLevelEnum").permissible_values)
    agents = set(toolkit.view.get_enum("AgentTypeEnum").permissible_values)
    assert {e["knowledge_level"] for e in edges} <= levels
    assert {e["agent_type"] for e in edges} <= agents


def test_provenance_on_every_edge(kg, kgx_dir):
    edges = _jsonl(kgx_dir / "edges.jsonl")
    by_level = Counter(e["knowledge_level"] for e in edges)
    derived = sum(1 for *_, d in kg.g.edges(keys=True, data=True) if d.get("derived"))
    assert by_level["logical_entailment"] == derived
    assert all(e["primary_knowledge_source"].startswith("infores:") for e in edges)
    # Publications are the PMIDs/DOIs/PMC ids among an edge's sources.
    with_pubs = [e for e in edges if e.get("publications")]
    assert with_pubs and all(p.split(":")[0] in ("PMID", "doi", "PMC")
                             for e in with_pubs for p in e["publications"])


def test_reads_back_into_a_graph_of_the_same_counts(kg, kgx_dir):
    nodes, edges = read_kgx_tsv(kgx_dir)
    g = nx.MultiDiGraph()
    g.add_nodes_from((n["id"], n) for n in nodes)
    # Keyed by edge id: one pair can hold several PREDICTS_RESPONSE edges (a sensitivity in one
    # cancer, a resistance in another), each with its own id.
    g.add_edges_from((e["subject"], e["object"], e["id"], e) for e in edges)
    assert g.number_of_nodes() == len(kg)
    assert g.number_of_edges() == kg.g.number_of_edges()
    # Same endpoints: every edge's subject and object are nodes of the file.
    assert all(e["subject"] in g and e["object"] in g for e in edges)


def test_xrefs_use_the_biolink_spelling():
    assert biolink_curie("NCBIGENE:1956") == "NCBIGene:1956"
    assert biolink_curie("NCT:NCT02151981") == "CLINICALTRIALS:NCT02151981"
    assert biolink_curie("CIVIC.EID:3017") == "CIVIC.EID:3017"  # no Biolink spelling: kept


def test_cli_writes_the_folder_atomically(cli, tmp_path):
    out = tmp_path / "out"
    r = cli("export", "--format", "kgx", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == ["edges.jsonl", "edges.tsv", "nodes.jsonl",
                                                      "nodes.tsv"]
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".")] == []
