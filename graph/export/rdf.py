"""The graph as RDF: instance data plus the OWL ontology, in Turtle, N-Triples or JSON-LD.

IRIs are stable: an entity is ``https://w3id.org/lmkg/<kind>/<slug>`` (its lmkg id expanded),
an assertion ``https://w3id.org/lmkg/assertion/<sha1 of subject, verb, object>``, and a nested
record hangs below its owner (``.../agent/osimertinib/cns-evidence/0``,
``.../assertion/<h>/source/1``), so two exports of the same graph are the same triples.

- ``rdf:type lmkgs:<Type>``, ``rdfs:label`` (name), ``skos:altLabel`` (synonyms),
  ``skos:exactMatch`` to the resolvable IRI of each xref (identifiers.org, OBO PURLs, ...),
  ``dcterms:description``; other fields are ``lmkgs:<camelCase>`` typed literals, one triple per
  list item.
- Relations are stated twice, on purpose: the plain triple ``s lmkgs:targets o`` (so that
  SPARQL paths read naturally) and an ``lmkgs:Assertion`` (a ``rdf:Statement``: ``rdf:subject``,
  ``rdf:predicate``, ``rdf:object``) carrying the qualifiers and ``lmkgs:sources``. Standard
  reification was chosen over RDF-star (not in RDF 1.1; rdflib cannot read it) and over one named
  graph per source (needs quad formats, so no Turtle, and one statement with three sources would
  be stated three times with each source's note detached from it).
- Sources are ``lmkgs:SourceRef`` nodes with ``dcterms:identifier`` (the CURIE, e.g.
  ``PMID:25923549``) and ``rdfs:seeAlso`` its resolvable IRI, or ``lmkgs:url``; plus note, scope,
  secondary.
- Every node, records and assertions included, has a type and an ``rdfs:label``
  (:func:`check_shapes`).

Serialisation is pyoxigraph's (about 1,000,000 Turtle triples/s here, against rdflib's 17,000).
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from lmkg.errors import LmkgError
from lmkg.ontology import EntityType, RelationType
from lmkg.ontology.curie import ID_KINDS, LMKG_NAMESPACE, LMKG_SCHEMA_NAMESPACE, expand
from lmkg.ontology.entities import RECORD_FIELDS
from lmkg.ontology.owl import camel

from ..kg import KnowledgeGraph

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
OWL = "http://www.w3.org/2002/07/owl#"
S = LMKG_SCHEMA_NAMESPACE

PREFIXES = {
    "lmkg": LMKG_NAMESPACE, "lmkgs": S, "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "skos": SKOS,
    "dcterms": DCTERMS, "owl": OWL,
}
# Turtle only: one prefix per id kind, so ids read as ``agent:osimertinib``.
TURTLE_PREFIXES = {**PREFIXES, **{k: f"{LMKG_NAMESPACE}{k}/" for k in (*ID_KINDS, "assertion")}}
FORMATS = ("ttl", "nt", "jsonld")
ASSERTION_BASE = LMKG_NAMESPACE + "assertion/"
_STANDARD = {"name", "synonyms", "xrefs", "description", "id", "type", "sources",
             *RECORD_FIELDS}


def _ox():
    try:
        import pyoxigraph
    except ImportError:  # pragma: no cover - pyoxigraph is a dependency of the RDF export
        raise LmkgError("RDF export needs pyoxigraph: pip install pyoxigraph") from None
    return pyoxigraph


def assertion_iri(s: str, pred: str, o: str) -> str:
    return ASSERTION_BASE + hashlib.sha1(f"{s} {pred} {o}".encode()).hexdigest()[:16]


class _Terms:
    """Cached pyoxigraph terms: creating a NamedNode per triple would dominate export time."""

    def __init__(self) -> None:
        ox = _ox()
        self.ox = ox
        self.N = ox.NamedNode
        self.L = ox.Literal
        self.T = ox.Triple
        self._iri: dict[str, Any] = {}
        self._schema: dict[str, Any] = {}
        self.type = self.iri(RDF + "type")
        self.label = self.iri(RDFS + "label")
        self.alt = self.iri(SKOS + "altLabel")
        self.exact = self.iri(SKOS + "exactMatch")
        self.desc = self.iri(DCTERMS + "description")
        self.ident = self.iri(DCTERMS + "identifier")
        self.see = self.iri(RDFS + "seeAlso")
        self.subj = self.iri(RDF + "subject")
        self.pred = self.iri(RDF + "predicate")
        self.obj = self.iri(RDF + "object")
        self.assertion = self.iri(S + "Assertion")
        self.sources = self.iri(S + "sources")
        self.source = self.iri(S + "source")
        self.derived = self.iri(S + "derived")
        self.boolean = self.iri(XSD + "boolean")
        self.integer = self.iri(XSD + "integer")
        self.decimal = self.iri(XSD + "decimal")
        self.true = self.L("true", datatype=self.boolean)
        self.false = self.L("false", datatype=self.boolean)

    def iri(self, value: str):
        node = self._iri.get(value)
        if node is None:
            node = self._iri[value] = self.N(value)
        return node

    def schema(self, field: str):
        node = self._schema.get(field)
        if node is None:
            node = self._schema[field] = self.iri(S + camel(field))
        return node

    def lit(self, v: Any):
        if isinstance(v, bool):
            return self.true if v else self.false
        if isinstance(v, int):
            return self.L(str(v), datatype=self.integer)
        if isinstance(v, float):
            return self.L(repr(v), datatype=self.decimal)
        return self.L(str(v))


def instance_triples(kg: KnowledgeGraph, t: _Terms | None = None) -> Iterator[Any]:
    """Every instance triple of the graph (entities, records, relations and assertions)."""
    t = t or _Terms()
    T, iri, lit = t.T, t.iri, t.lit
    for nid in sorted(kg.g.nodes):
        d = kg.g.nodes[nid]
        e = iri(expand(nid))
        yield T(e, t.type, iri(S + EntityType(d["type"]).value))
        name = d.get("name", nid)
        yield T(e, t.label, t.L(name))
        for syn in d.get("synonyms", ()):
            yield T(e, t.alt, t.L(syn))
        for x in d.get("xrefs", ()):
            yield T(e, t.exact, iri(expand(x)))
        if d.get("description"):
            yield T(e, t.desc, t.L(d["description"]))
        for k, v in d.items():
            if k in _STANDARD or v is None:
                continue
            p = t.schema(k)
            for item in v if isinstance(v, list) else (v,):
                yield T(e, p, lit(item))
        base = expand(nid)
        later: list[Any] = []  # records after the entity, so Turtle groups each subject once
        for field, model in RECORD_FIELDS.items():
            for i, rec in enumerate(d.get(field, ())):
                r = iri(f"{base}/{field.replace('_', '-')}/{i}")
                yield T(e, t.schema(field), r)
                later.extend(_record(t, r, model.__name__, rec, _record_label(name, field, rec)))
        for i, src in enumerate(d.get("sources", ())):
            r = iri(f"{base}/source/{i}")
            yield T(e, t.sources, r)
            later.extend(_source(t, r, src))
        yield from later
    for s, o, k, d in sorted(kg.g.edges(keys=True, data=True), key=lambda x: x[:3]):
        si, oi = iri(expand(s)), iri(expand(o))
        p = t.schema(RelationType(d["predicate"]).value)
        yield T(si, p, oi)
        a_iri = assertion_iri(s, k, o)
        a = iri(a_iri)
        yield T(a, t.type, t.assertion)
        yield T(a, t.label, t.L(f"{kg.name_of(s)} {d['predicate']} {kg.name_of(o)}"))
        yield T(a, t.subj, si)
        yield T(a, t.pred, p)
        yield T(a, t.obj, oi)
        for qk, qv in d.items():
            if qk in ("predicate", "sources") or qv is None:
                continue
            qp = t.derived if qk == "derived" else t.schema(qk)
            for item in qv if isinstance(qv, list) else (qv,):
                yield T(a, qp, lit(item))
        later = []
        for i, src in enumerate(d.get("sources", ())):
            r = iri(f"{a_iri}/source/{i}")
            yield T(a, t.sources, r)
            later.extend(_source(t, r, src))
        yield from later


def _record_label(name: str, field: str, rec: dict[str, Any]) -> str:
    if field == "cns_evidence":
        return f"CNS evidence of {name}: {rec['metric']} {rec['value']}"
    if field == "epidemiology":
        return f"{name}: {rec['measure']} {rec['value']}"
    figures = ", ".join(f"{k} {rec[k]}" for k in ("sensitivity", "specificity") if rec.get(k))
    return f"{name} performance: {figures}"


def _record(t: _Terms, r: Any, cls: str, rec: dict[str, Any], label: str) -> Iterator[Any]:
    yield t.T(r, t.type, t.iri(S + cls))
    yield t.T(r, t.label, t.L(label))
    for k, v in rec.items():
        if k == "source" or v is None:
            continue
        yield t.T(r, t.schema(k), t.lit(v))
    if rec.get("source"):
        src = t.iri(r.value + "/source")
        yield t.T(r, t.source, src)
        yield from _source(t, src, rec["source"])


def _source(t: _Terms, r: Any, src: dict[str, Any]) -> Iterator[Any]:
    yield t.T(r, t.type, t.iri(S + "SourceRef"))
    yield t.T(r, t.label, t.L(src.get("id") or src.get("url") or "source"))
    for k, v in src.items():
        if v is None:
            continue
        if k == "id":
            yield t.T(r, t.ident, t.L(v))
            yield t.T(r, t.see, t.iri(expand(v)))
        else:
            yield t.T(r, t.schema(k), t.lit(v))




@lru_cache(maxsize=1)
def ontology_triples() -> tuple[Any, ...]:
    """The OWL ontology as pyoxigraph triples, sorted so that Turtle groups each subject, with
    canonical blank-node labels (the same on every run).

    Read from the committed ``ontology/lmkg.ttl`` (a test keeps it equal to
    ``lmkg.ontology.owl.build_owl()``; parsing it is 20x faster than building it with rdflib),
    plus ``lmkgs:derived``, which the relation models do not declare.
    """
    from importlib.resources import files

    ox = _ox()
    try:
        data = files("lmkg.ontology").joinpath("lmkg.ttl").read_bytes()
        fmt = ox.RdfFormat.TURTLE
    except (FileNotFoundError, ModuleNotFoundError):  # pragma: no cover - source checkouts
        from lmkg.ontology.owl import build_owl

        data, fmt = build_owl().serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES
    # Parsing names blank nodes (OWL's unions and restrictions) at random; canonical labels
    # (W3C RDF Dataset Canonicalization, RDFC-1.0) make two exports byte-identical.
    dataset = ox.Dataset(ox.parse(data, format=fmt))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    parsed = [q.triple for q in dataset]
    return tuple(sorted(parsed, key=lambda t: (str(t.subject), str(t.predicate), str(t.object))))


def triples(kg: KnowledgeGraph, ontology: bool = True) -> Iterable[Any]:
    """Ontology then instance triples."""
    return itertools.chain(ontology_triples() if ontology else (), instance_triples(kg))


def _format(fmt: str):
    ox = _ox()
    try:
        return {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
                "jsonld": ox.RdfFormat.JSON_LD}[fmt]
    except KeyError:
        raise LmkgError(f"unknown RDF format {fmt!r} (one of {', '.join(FORMATS)})") from None


def write_rdf(kg: KnowledgeGraph, path: Path, fmt: str = "ttl", ontology: bool = True) -> int:
    """Write the graph (and the ontology) to ``path`` atomically; returns the triple count."""
    from lmkg.atomic import atomic_write

    ox = _ox()
    rdf_format = _format(fmt)
    count = 0

    def counted() -> Iterator[Any]:
        nonlocal count
        for count, tr in enumerate(triples(kg, ontology), 1):  # noqa: B007
            yield tr

    with atomic_write(path, "wb") as fh:
        if rdf_format == ox.RdfFormat.N_TRIPLES:
            ox.serialize(counted(), fh, rdf_format)
        else:
            prefixes = TURTLE_PREFIXES if fmt == "ttl" else PREFIXES
            ox.serialize(counted(), fh, rdf_format, prefixes=prefixes)
    return count


# -- SPARQL ------------------------------------------------------------------------------------
def rdf_store(kg: KnowledgeGraph, ontology: bool = True):
    """An in-memory pyoxigraph Store holding the export's triples (default graph)."""
    ox = _ox()
    store = ox.Store()
    dg = ox.DefaultGraph()
    store.bulk_extend(ox.Quad(tr.subject, tr.predicate, tr.object, dg)
                      for tr in triples(kg, ontology))
    return store
