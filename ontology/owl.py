"""The OWL rendering of the schema, generated from the pydantic models.

Entity models become ``owl:Class``es, relation verbs ``owl:ObjectProperty``s with domain and
range, scalar fields ``owl:DatatypeProperty``s, fields holding another entity's lmkg id (a
qualifier's ``cancer``, a biomarker's ``gene``) object properties with range ``lmkgs:Entity``, and nested records (CNS evidence, figures,
sources) classes of their own linked by object properties. ``name`` is ``rdfs:label``,
``synonyms`` ``skos:altLabel``, ``xrefs`` ``skos:exactMatch`` and ``description``
``dcterms:description``, so generic RDF tools show them without knowing this schema. Each
class and object property states its Biolink Model mapping (``skos:exactMatch``,
``skos:closeMatch``, ``skos:broadMatch``, ``skos:narrowMatch``; :mod:`.biolink`).
The committed ``ontology/lmkg.ttl`` is this output; a test fails when the two disagree.
"""

from __future__ import annotations

import enum
import types
import typing
from typing import Any

from pydantic import BaseModel

from .biolink import CATEGORIES, PREDICATES
from .curie import LMKG_SCHEMA_NAMESPACE, LmkgId
from .entities import ENTITY_CLASSES
from .evidence import CNSEvidence, DiagnosticPerformance, EpiFigure, SourceRef
from .relations import RELATION_CLASSES
from .vocab import camel

# Fields rendered with standard vocabulary instead of a schema property of their own.
STANDARD_FIELDS = {
    "id": None,
    "name": "http://www.w3.org/2000/01/rdf-schema#label",
    "synonyms": "http://www.w3.org/2004/02/skos/core#altLabel",
    "xrefs": "http://www.w3.org/2004/02/skos/core#exactMatch",
    "description": "http://purl.org/dc/terms/description",
}
RECORD_CLASSES: tuple[type[BaseModel], ...] = (CNSEvidence, EpiFigure, DiagnosticPerformance,
                                                SourceRef)
RELATION_FIXED_FIELDS = {"subject", "object"}




def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The item type of an annotation, and whether it is a sequence (tuple[...]) of it."""
    many = False
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation = args[0]
        origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
        origin = typing.get_origin(annotation)
    if origin is tuple:
        many = True
        annotation = typing.get_args(annotation)[0]
        if typing.get_origin(annotation) is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
    return annotation, many


def is_id_field(annotation: Any) -> bool:
    """Whether a field holds lmkg ids of other entities (``LmkgId``, optional or a tuple)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation = args[0] if len(args) == 1 else annotation
    if typing.get_origin(annotation) is tuple:
        annotation = typing.get_args(annotation)[0]
    return bool(annotation == LmkgId)


def id_fields() -> frozenset[str]:
    """Every field name that holds an entity's lmkg id, in the entity, record and relation
    models (``id``, ``subject`` and ``object`` aside): the RDF export writes their values as
    IRIs, so that a query can join them to the entity."""
    out = set()
    for model in (*ENTITY_CLASSES, *RECORD_CLASSES, *RELATION_CLASSES):
        for fname, info in model.model_fields.items():
            if fname not in ("id", *RELATION_FIXED_FIELDS) and is_id_field(info.annotation):
                out.add(fname)
    return frozenset(out)


def xsd_type(annotation: Any) -> str:
    base, _ = _unwrap(annotation)
    if base is bool:
        return "boolean"
    if base is int:
        return "integer"
    if base is float:
        return "decimal"
    return "string"


def schema_fields(model: type[BaseModel]) -> dict[str, tuple[Any, bool, str]]:
    """field name -> (item type, is-sequence, description) for a model."""
    out = {}
    for fname, info in model.model_fields.items():
        base, many = _unwrap(info.annotation)
        out[fname] = (base, many, info.description or "")
    return out


def build_owl():
    """The schema as an rdflib Graph."""
    from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
    from rdflib.collection import Collection
    from rdflib.namespace import DCTERMS, SKOS

    S = Namespace(LMKG_SCHEMA_NAMESPACE)
    g = Graph()
    g.bind("lmkgs", S)
    g.bind("owl", OWL)
    g.bind("skos", SKOS)
    g.bind("dcterms", DCTERMS)
    onto = URIRef(LMKG_SCHEMA_NAMESPACE.rstrip("#"))
    g.add((onto, RDF.type, OWL.Ontology))
    g.add((onto, RDFS.label, Literal("lmkg: leptomeningeal-metastases therapeutic landscape")))
    g.add((onto, OWL.versionInfo, Literal("1")))
    g.add((S.Entity, RDF.type, OWL.Class))
    g.add((S.Entity, RDFS.label, Literal("Entity")))

    def union(classes: list[URIRef]) -> URIRef | BNode:
        if len(classes) == 1:
            return classes[0]
        node = BNode()
        lst = BNode()
        Collection(g, lst, classes)
        g.add((node, RDF.type, OWL.Class))
        g.add((node, OWL.unionOf, lst))
        return node

    datatype_domains: dict[str, list[URIRef]] = {}
    datatype_info: dict[str, tuple[str, list[str], list[str]]] = {}
    object_domains: dict[str, list[URIRef]] = {}
    object_info: dict[str, tuple[URIRef, str]] = {}

    ids = id_fields()

    def add_fields(model: type[BaseModel], cls: URIRef, skip: set[str]) -> None:
        for fname, (base, _many, desc) in schema_fields(model).items():
            if fname in skip or STANDARD_FIELDS.get(fname, "x") is None:
                continue
            if fname in STANDARD_FIELDS:
                continue
            if fname in ids:
                object_domains.setdefault(fname, []).append(cls)
                _rng, old = object_info.get(fname, (S.Entity, ""))
                object_info[fname] = (S.Entity, " / ".join(
                    d for d in dict.fromkeys((*old.split(" / "), desc)) if d))
            elif isinstance(base, type) and issubclass(base, BaseModel):
                object_domains.setdefault(fname, []).append(cls)
                object_info[fname] = (S[base.__name__], desc)
            else:
                datatype_domains.setdefault(fname, []).append(cls)
                _xsd, descs, allowed = datatype_info.setdefault(fname, (xsd_type(base), [], []))
                if desc and desc not in descs:
                    descs.append(desc)
                if isinstance(base, type) and issubclass(base, enum.Enum):
                    allowed.extend(m.value for m in base if m.value not in allowed)

    for model in ENTITY_CLASSES:
        cls = S[model.entity_type.value]
        g.add((cls, RDF.type, OWL.Class))
        g.add((cls, RDFS.subClassOf, S.Entity))
        g.add((cls, RDFS.label, Literal(model.entity_type.value)))
        g.add((cls, SKOS.definition, Literal(model.definition)))
        if model.entity_type in CATEGORIES:  # tests/test_biolink.py requires every type
            term = CATEGORIES[model.entity_type]
            g.add((cls, SKOS[term.match], URIRef(term.iri)))
        add_fields(model, cls, set())

    for model in RECORD_CLASSES:
        cls = S[model.__name__]
        g.add((cls, RDF.type, OWL.Class))
        g.add((cls, RDFS.label, Literal(model.__name__)))
        g.add((cls, SKOS.definition, Literal((model.__doc__ or "").strip().splitlines()[0])))
        add_fields(model, cls, set())

    # Relations are reified as statements so that their sources and qualifiers have a subject.
    g.add((S.Assertion, RDF.type, OWL.Class))
    g.add((S.Assertion, RDFS.subClassOf, RDF.Statement))
    g.add((S.Assertion, RDFS.label, Literal("Assertion")))
    g.add((S.Assertion, SKOS.definition,
           Literal("A relation between two entities, reified to carry its sources and qualifiers.")))
    for model in RELATION_CLASSES:
        prop = S[camel(model.predicate.value)]
        g.add((prop, RDF.type, OWL.ObjectProperty))
        g.add((prop, RDFS.label, Literal(model.predicate.value)))
        g.add((prop, SKOS.definition, Literal(model.definition)))
        g.add((prop, RDFS.domain, union([S[t.value] for t in model.domain])))
        g.add((prop, RDFS.range, union([S[t.value] for t in model.range])))
        if model.predicate in PREDICATES:  # tests/test_biolink.py requires every verb
            term = PREDICATES[model.predicate]
            g.add((prop, SKOS[term.match], URIRef(term.iri)))
        add_fields(model, S.Assertion, RELATION_FIXED_FIELDS)
    # Set by the graph builder, not by curators: the rule that inferred a relation.
    g.add((S.derived, RDF.type, OWL.DatatypeProperty))
    g.add((S.derived, RDFS.label, Literal("derived")))
    g.add((S.derived, RDFS.comment,
           Literal("The rule that inferred this relation; absent on stated facts.")))
    g.add((S.derived, RDFS.domain, S.Assertion))
    g.add((S.derived, RDFS.range, XSD.string))

    for fname, domains in sorted(datatype_domains.items()):
        prop = S[camel(fname)]
        xsd, descs, allowed = datatype_info[fname]
        desc = " / ".join(descs) + (" One of: " + ", ".join(allowed) + "." if allowed else "")
        g.add((prop, RDF.type, OWL.DatatypeProperty))
        g.add((prop, RDFS.label, Literal(fname)))
        if desc:
            g.add((prop, RDFS.comment, Literal(desc)))
        g.add((prop, RDFS.domain, union(sorted(set(domains)))))
        g.add((prop, RDFS.range, XSD[xsd]))
    for fname, domains in sorted(object_domains.items()):
        prop = S[camel(fname)]
        rng, desc = object_info[fname]
        g.add((prop, RDF.type, OWL.ObjectProperty))
        g.add((prop, RDFS.label, Literal(fname)))
        if desc:
            g.add((prop, RDFS.comment, Literal(desc)))
        g.add((prop, RDFS.domain, union(sorted(set(domains)))))
        g.add((prop, RDFS.range, rng))
    return g


def owl_turtle() -> str:
    return build_owl().serialize(format="turtle")


__all__ = ["build_owl", "camel", "owl_turtle", "schema_fields"]
