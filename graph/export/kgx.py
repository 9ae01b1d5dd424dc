"""The graph in KGX, the exchange format of Biolink-based knowledge graphs (Translator, Monarch,
BioCypher pipelines): ``nodes.tsv``/``edges.tsv`` and ``nodes.jsonl``/``edges.jsonl``.

Following the KGX format specification: every node has ``id`` and ``category`` (a Biolink
category, multivalued), every edge ``id``, ``subject``, ``predicate`` (a Biolink predicate),
``object``, ``knowledge_level``, ``agent_type`` and ``primary_knowledge_source``. Multivalued
fields are ``|``-joined in TSV and arrays in JSON Lines. Every column is a Biolink slot, so a
Biolink validator accepts the files (tests/test_kgx.py checks them with ``bmt`` on the schema
the ``biolink-model`` package ships).

- Node ids are lmkg ids (``lmkg:agent/osimertinib``); the verified identifiers of each node are
  in ``xref``, in the Biolink Model's prefix spelling (``NCBIGene:1956``, ``CHEMBL.COMPOUND:...``)
  so that other graphs join on them. ``iri`` is the resolvable lmkg IRI.
- Categories and predicates come from :mod:`lmkg.ontology.biolink` (refined by a biomarker's
  kind, a predictive association's direction, ...); the lmkg verb is kept as
  ``original_predicate`` (its schema IRI), so nothing of the lmkg reading is lost.
- Provenance on every edge: ``knowledge_level`` ``knowledge_assertion`` for stated facts,
  ``logical_entailment`` for relations the build derived; ``agent_type`` ``manual_agent``
  (curated or read from a curated public source) or ``automated_agent`` (derived);
  ``primary_knowledge_source`` the Information Resource Registry id of the source the fact was
  read from when it has one (``infores:civic``, ``infores:clinicaltrials``,
  ``infores:drugbank``), else ``infores:lmkg`` (lmkg's own curation; not a registered infores),
  with ``aggregator_knowledge_source`` ``infores:lmkg`` for facts lmkg passes on;
  ``publications`` the PMIDs, DOIs and PMC ids among its sources.
- lmkg's qualifiers that have no Biolink slot (a TARGETS ``action``, a trial ``arm``) stay in
  the lmkg-native exports (saved graph, Neo4j, RDF); join back on ``id``, which is the RDF
  export's assertion IRI.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from lmkg.errors import LmkgError
from lmkg.ontology.biolink import category, predicate
from lmkg.ontology.curie import LMKG_SCHEMA_NAMESPACE, PREFIXES, expand, split_curie
from lmkg.ontology.owl import camel

from ..kg import KnowledgeGraph
from .rdf import assertion_iri

LMKG_INFORES = "infores:lmkg"
# Loader datasets whose Information Resource Registry id was checked in the registry
# (biolink/information-resource-registry, src/docs/details/infores_<name>.md).
DATASET_INFORES = {"civic": "infores:civic", "ctgov": "infores:clinicaltrials",
                   "drugbank": "infores:drugbank"}
PUBLICATION_PREFIXES = ("PMID", "DOI", "PMC")

NODE_COLUMNS = ("id", "category", "name", "description", "synonym", "xref", "iri",
                "provided_by")
EDGE_COLUMNS = ("id", "subject", "predicate", "object", "original_predicate",
                "knowledge_level", "agent_type", "primary_knowledge_source",
                "aggregator_knowledge_source", "publications", "clinical_approval_status")
# Multivalued in the Biolink Model (checked by tests/test_kgx.py).
MULTIVALUED = {"category", "synonym", "xref", "provided_by", "aggregator_knowledge_source",
               "publications"}


def biolink_curie(curie: str) -> str:
    """A CURIE in the Biolink Model's prefix spelling (``NCBIGENE:1956`` -> ``NCBIGene:1956``)."""
    prefix, local = split_curie(curie)
    spec = PREFIXES.get(prefix)
    return f"{spec.biolink}:{local}" if spec is not None and spec.biolink else curie


def node_row(data: dict[str, Any]) -> dict[str, Any]:
    """One node as a KGX node record."""
    row: dict[str, Any] = {
        "id": data["id"],
        "category": [category(data["type"]).for_data(data)],
        "name": data.get("name"),
        "description": data.get("description"),
        "synonym": list(data.get("synonyms", ())),
        "xref": [biolink_curie(x) for x in data.get("xrefs", ())],
        "iri": expand(data["id"]),
        "provided_by": [LMKG_INFORES],
    }
    return {k: v for k, v in row.items() if v not in (None, [], "")}


def _knowledge_sources(sources: list[dict[str, Any]]) -> tuple[str, list[str]]:
    """(primary knowledge source, aggregators): a fact lmkg curated itself is lmkg's; a fact
    read only from public datasets is theirs, passed on by lmkg."""
    datasets = [s.get("dataset") for s in sources]
    if any(d is None for d in datasets) or not datasets:
        return LMKG_INFORES, []
    known = [DATASET_INFORES[d] for d in datasets if d in DATASET_INFORES]
    if known:
        return known[0], [LMKG_INFORES]
    return LMKG_INFORES, []


def edge_row(s: str, verb: str, o: str, attrs: dict[str, Any],
             key: str | None = None) -> dict[str, Any]:
    """One relation as a KGX edge record; ``key`` is the graph's edge key (a verb with identity
    qualifiers, PREDICTS_RESPONSE, can link one pair several times: each is its own edge id)."""
    term = predicate(verb)
    sources = attrs.get("sources", [])
    derived = bool(attrs.get("derived"))
    primary, aggregators = _knowledge_sources(sources)
    pubs = sorted({biolink_curie(x["id"]) for x in sources
                   if x.get("id") and split_curie(x["id"])[0] in PUBLICATION_PREFIXES})
    row: dict[str, Any] = {
        "id": assertion_iri(s, key or verb, o),
        "subject": s,
        "predicate": term.for_data(attrs),
        "object": o,
        "original_predicate": LMKG_SCHEMA_NAMESPACE + camel(verb),
        "knowledge_level": "logical_entailment" if derived else "knowledge_assertion",
        "agent_type": "automated_agent" if derived else "manual_agent",
        "primary_knowledge_source": primary,
        "aggregator_knowledge_source": aggregators,
        "publications": pubs,
        **term.qualifiers,
    }
    return {k: v for k, v in row.items() if v not in (None, [], "")}


def kgx_records(kg: KnowledgeGraph) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every node and edge as KGX records, sorted (two exports of one graph are identical)."""
    nodes = [node_row(d) for _, d in sorted(kg.g.nodes(data=True))]
    edges = [edge_row(s, d.get("predicate", k), o, d, k)
             for s, o, k, d in sorted(kg.g.edges(keys=True, data=True), key=lambda e: e[:3])]
    return nodes, edges


def _tsv(path: Path, columns: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    used = [c for c in columns if any(c in r for r in rows)]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow(used)
        for r in rows:
            w.writerow([_joined(r, c) if c in MULTIVALUED and c in r else r.get(c, "")
                        for c in used])


def _joined(row: dict[str, Any], column: str) -> str:
    # KGX joins list items with "|" and defines no escape, so an item holding one cannot be
    # written faithfully: refuse rather than split it into two values.
    for item in row[column]:
        if "|" in item:
            raise LmkgError(f"{row['id']}: {column} value {item!r} contains '|', which KGX TSV "
                            "uses between values; use the JSON Lines files")
    return "|".join(row[column])


def _jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")


def write_kgx(kg: KnowledgeGraph, out_dir: Path) -> dict[str, Any]:
    """Write ``nodes.tsv``, ``edges.tsv``, ``nodes.jsonl``, ``edges.jsonl`` into ``out_dir``
    (an empty folder: the CLI hands in a temporary one it swaps into place). Returns counts."""
    out_dir = Path(out_dir)
    nodes, edges = kgx_records(kg)
    _tsv(out_dir / "nodes.tsv", NODE_COLUMNS, nodes)
    _tsv(out_dir / "edges.tsv", EDGE_COLUMNS, edges)
    _jsonl(out_dir / "nodes.jsonl", nodes)
    _jsonl(out_dir / "edges.jsonl", edges)
    return {"nodes": len(nodes), "edges": len(edges),
            "files": ["nodes.tsv", "edges.tsv", "nodes.jsonl", "edges.jsonl"]}


def read_kgx_tsv(out_dir: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Read a KGX TSV pair back into records (multivalued fields as lists)."""

    def rows(path: Path) -> list[dict[str, Any]]:
        with path.open(encoding="utf-8", newline="") as fh:
            return [{k: (v.split("|") if k in MULTIVALUED else v) for k, v in r.items() if v}
                    for r in csv.DictReader(fh, delimiter="\t")]

    return rows(Path(out_dir) / "nodes.tsv"), rows(Path(out_dir) / "edges.tsv")
