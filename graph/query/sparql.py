"""SPARQL over the graph's RDF export (pyoxigraph, in memory), with bound parameters only.

Also the shape and count checks that read an export back (types, labels, counts per verb).
"""

from __future__ import annotations

from typing import Any

from lmkg.errors import LmkgError
from lmkg.ontology import EntityType, RelationType
from lmkg.ontology.curie import expand
from lmkg.ontology.owl import camel

from ..export.rdf import PREFIXES, RDF, RDFS, XSD, S, _ox, _Terms, rdf_store

__all__ = ["SparqlError", "check_shapes", "counts", "rdf_store", "sparql", "term_value"]


class SparqlError(LmkgError):
    """The SPARQL query did not parse or run."""


def term_value(term: Any) -> Any:
    """A pyoxigraph term as a plain value: IRIs as text, typed literals as Python values."""
    ox = _ox()
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt in (XSD + "integer", XSD + "int", XSD + "long"):
            return int(term.value)
        if dt == XSD + "boolean":
            return term.value == "true"
        if dt in (XSD + "decimal", XSD + "double", XSD + "float"):
            return float(term.value)
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value


def sparql(store, query: str, params: dict[str, Any] | None = None
           ) -> tuple[list[str], list[list[Any]]]:
    """Run a SELECT (or ASK) over ``store``; ``params`` bind variables (``{"agent": iri}``).

    Bindings are substituted as RDF terms, never pasted into the query text: a value that
    looks like a CURIE or IRI becomes an IRI, anything else a plain literal. The standard
    prefixes (lmkg, lmkgs, rdf, rdfs, skos, dcterms, xsd, owl) are predeclared.
    """
    ox = _ox()
    subs = {ox.Variable(k): _param_term(v) for k, v in (params or {}).items()}
    try:
        result = store.query(query, prefixes=PREFIXES, substitutions=subs or None)
    except SyntaxError as exc:
        raise SparqlError("SPARQL syntax error: " + " ".join(str(exc).split())) from None
    except RuntimeError as exc:
        msg = " ".join(str(exc).split())
        if "projection" in msg:
            msg += " (a --param variable must be listed in SELECT)"
        raise SparqlError("SPARQL error: " + msg) from None
    except (OSError, ValueError, TypeError) as exc:
        raise SparqlError("SPARQL error: " + " ".join(str(exc).split())) from None
    if isinstance(result, ox.QueryBoolean):
        return ["ask"], [[bool(result)]]
    if not isinstance(result, ox.QuerySolutions):
        raise SparqlError("only SELECT and ASK queries return rows")
    cols = [v.value for v in result.variables]
    rows = [[term_value(sol[c]) for c in cols] for sol in result]
    return cols, rows


def _param_term(value: Any):
    ox = _ox()
    if isinstance(value, bool | int | float):
        return _Terms().lit(value)
    text = str(value)
    if text.startswith(("http://", "https://")):
        return ox.NamedNode(text)
    if text.startswith("lmkg:"):
        return ox.NamedNode(expand(text))
    return ox.Literal(text)


# -- shape check -------------------------------------------------------------------------------
SHAPES_TTL = f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdf: <{RDF}> .
@prefix rdfs: <{RDFS}> .
@prefix lmkgs: <{S}> .

# Every node of the instance graph (entities, assertions, records) has a type and a label.
lmkgs:NodeShape a sh:NodeShape ;
    sh:targetSubjectsOf rdf:type ;
    sh:property [ sh:path rdf:type ; sh:minCount 1 ; sh:nodeKind sh:IRI ] ;
    sh:property [ sh:path rdfs:label ; sh:minCount 1 ] .
"""

_UNTYPED = """SELECT DISTINCT ?n WHERE {
  { ?n ?p ?o } UNION { ?s ?p ?n . FILTER(isIRI(?n)) FILTER(?p != rdf:type) }
  FILTER(STRSTARTS(STR(?n), "https://w3id.org/lmkg/") && !STRSTARTS(STR(?n), "https://w3id.org/lmkg/schema"))
  FILTER NOT EXISTS { ?n rdf:type ?t }
}"""
_UNLABELLED = """SELECT DISTINCT ?n WHERE {
  ?n rdf:type ?t .
  FILTER(STRSTARTS(STR(?n), "https://w3id.org/lmkg/") && !STRSTARTS(STR(?n), "https://w3id.org/lmkg/schema"))
  FILTER NOT EXISTS { ?n rdfs:label ?l }
}"""
_BAD_TYPE = """SELECT DISTINCT ?n ?t WHERE {
  ?n rdf:type ?t .
  FILTER(STRSTARTS(STR(?n), "https://w3id.org/lmkg/") && !STRSTARTS(STR(?n), "https://w3id.org/lmkg/schema"))
  FILTER NOT EXISTS { ?t a owl:Class }
}"""


def check_shapes(store) -> list[str]:
    """The SHACL shape :data:`SHAPES_TTL` checked with SPARQL (no SHACL engine needed), and the
    types used checked against the ontology's classes. Returns one line per violation."""
    problems = [f"{r[0]}: no rdf:type" for r in sparql(store, _UNTYPED)[1]]
    problems += [f"{r[0]}: no rdfs:label" for r in sparql(store, _UNLABELLED)[1]]
    problems += [f"{r[0]}: type {r[1]} is not an ontology class"
                 for r in sparql(store, _BAD_TYPE)[1]]
    return problems


def counts(store) -> tuple[dict[str, int], dict[str, int]]:
    """Entities per type and assertions per verb, read back from RDF (for round-trip checks).

    An assertion counts only when its plain triple is there too.
    """
    types = {S + t.value: t.value for t in EntityType}
    verbs = {S + camel(v.value): v.value for v in RelationType}
    ent: dict[str, int] = {}
    q = "SELECT ?cls (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?cls } GROUP BY ?cls"
    for cls, n in sparql(store, q)[1]:
        if cls in types:
            ent[types[cls]] = n
    rel: dict[str, int] = {}
    q = ("SELECT ?p (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a lmkgs:Assertion ; rdf:predicate ?p ;"
         " rdf:subject ?s ; rdf:object ?o . ?s ?p ?o } GROUP BY ?p")
    for p, n in sparql(store, q)[1]:
        rel[verbs[p]] = n
    return dict(sorted(ent.items())), dict(sorted(rel.items()))
