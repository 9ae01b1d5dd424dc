"""SPARQL over the graph's RDF export (pyoxigraph), with bound parameters only.

For a saved graph the RDF store is built once and kept beside the graph file
(``<file>.sparql-<hash>``, a pyoxigraph on-disk store keyed by the file's content, see
:func:`store_for`), so a query opens it read-only in milliseconds instead of rebuilding the
triples (0.4 s for the curated graph, 13 s at 100,000 edges). Also the shape and count checks
that read an export back (types, labels, counts per verb).
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
from pathlib import Path
from typing import Any

from lmkg.errors import LmkgError
from lmkg.ontology import EntityType, RelationType
from lmkg.ontology.curie import expand
from lmkg.ontology.vocab import camel

from ..export.rdf import PREFIXES, RDF, RDFS, XSD, S, _ox, literal_term, rdf_store
from ..kg import KnowledgeGraph
from .limits import QueryLimits, run_limited

__all__ = ["SparqlError", "bind_parameters", "check_offline", "check_read_only", "check_shapes",
           "counts", "open_store", "rdf_store", "run_sparql", "sparql", "store_for",
           "term_value", "variables_of"]


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


# SPARQL processes \uXXXX and \UXXXXXXXX escapes before parsing (SPARQL 1.1, 19.2), so a
# keyword can be spelled with them; they are undone before looking for one.
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_SPARQL_STRIP = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n]*', re.DOTALL)
_SERVICE = re.compile(r"(?<![\w:?$.\-])SERVICE(?![\w:\-])", re.IGNORECASE)


def check_offline(query: str) -> None:
    """Refuse a query that would call a remote endpoint (``SERVICE``): lmkg's SPARQL answers
    from the graph only and never opens a network connection."""
    text = _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), query)
    text = _SPARQL_STRIP.sub(" ", text)
    m = _SERVICE.search(text)
    if m:
        raise SparqlError("SERVICE is not allowed: lmkg sparql answers from the graph only and "
                          "never contacts another endpoint (offline by design)")


def sparql(store, query: str, params: dict[str, Any] | None = None
           ) -> tuple[list[str], list[list[Any]]]:
    """Run a SELECT (or ASK) over ``store``; ``params`` bind variables (``{"agent": iri}``).

    Each binding is one RDF term (:func:`bind_parameters`), never query text: a value that
    looks like a CURIE or IRI becomes an IRI, anything else a plain literal; the variable need
    not be in ``SELECT``. The standard
    prefixes (lmkg, lmkgs, rdf, rdfs, skos, dcterms, xsd, owl) are predeclared. ``SERVICE``
    is refused (:func:`check_offline`). Runs in this process with no limit: for a user's
    query use :func:`run_sparql`.
    """
    cols, rows = _execute(store, query, params)
    return list(cols), [list(r) for r in rows]


def store_for(kg: KnowledgeGraph | None, graph_path: Path) -> Path:
    """The RDF store of a saved graph, built once beside it: ``<file>.sparql-<hash>``.

    A pyoxigraph (RocksDB) store folder keyed by the graph file's content, built in a temporary
    folder (``.<file>.sparql.<pid>.<random>.tmpdir``) and renamed into place, so a reader never
    opens a half-built store; a build a killed process left is removed by the next one
    (:func:`lmkg.atomic.sweep`), and so are the stores of earlier contents of the same file.
    ``kg`` is the graph read from ``graph_path``; None to read it only if the store is built.
    """
    from lmkg.atomic import OutputError, sweep, temp_name

    from ..store import file_key, load_graph

    graph_path = Path(graph_path)
    cache = graph_path.with_name(f"{graph_path.name}.sparql-{file_key(graph_path)}")
    if cache.is_dir():
        return cache
    if kg is None:
        kg = load_graph(graph_path)
    family = graph_path.with_name(f"{graph_path.name}.sparql")
    sweep(family)
    tmp = temp_name(family, suffix=".tmpdir")
    try:
        store = rdf_store(kg, path=tmp)
        store.flush()
        del store  # closes the database: everything is on disk before the rename
        try:
            os.rename(tmp, cache)
        except OSError:
            if not cache.is_dir():  # not another process that finished the same store first
                raise
    except OSError as exc:
        raise OutputError(cache, exc) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for old in graph_path.parent.glob(f"{glob.escape(graph_path.name)}.sparql-*"):
        if old != cache:
            with contextlib.suppress(OSError):
                shutil.rmtree(old)
    return cache


def open_store(path: Path):
    """A cached store (:func:`store_for`) opened read-only."""
    try:
        return _ox().Store.read_only(str(path))
    except OSError as exc:
        raise SparqlError(f"cannot open the SPARQL store {path}: "
                          + " ".join(str(exc).split())) from None


def run_sparql(kg: KnowledgeGraph | None, query: str, params: dict[str, Any] | None = None,
               limits: QueryLimits | None = None, graph_path: Path | None = None
               ) -> tuple[list[str], list[list[Any]]]:
    """A user's SPARQL query over the graph's RDF rendering, in a worker process bounded by
    ``limits`` (time, rows, memory) and with no network.

    With ``graph_path`` (the saved graph ``kg`` was read from; ``kg`` may be None) the query
    reads the store cached beside it (:func:`store_for`), built first if needed; otherwise the
    triples of ``kg`` are loaded into an in-memory store.
    """
    check_offline(query)
    check_read_only(query)
    if params:
        bind_parameters(query, params)  # a bad value or name is refused here, before any work
    if graph_path is None and kg is None:
        raise ValueError("run_sparql needs a graph or a graph file")
    cache = store_for(kg, graph_path) if graph_path is not None else None

    def prepare():
        return open_store(cache) if cache is not None else rdf_store(kg)

    def run(store):
        return _execute(store, query, params)

    return run_limited(prepare, run, limits or QueryLimits(), what="the SPARQL query",
                       hint="add LIMIT or narrow the patterns")


def _execute(store, query: str, params: dict[str, Any] | None):
    check_offline(query)
    check_read_only(query)
    ox = _ox()
    text = bind_parameters(query, params) if params else query
    try:
        result = store.query(text, prefixes=PREFIXES)
    except SyntaxError as exc:
        raise SparqlError(_syntax_message(query, str(exc))) from None
    except (RuntimeError, OSError, ValueError, TypeError) as exc:
        raise SparqlError("SPARQL error: " + " ".join(str(exc).split())) from None
    if isinstance(result, ox.QueryBoolean):
        return ["ask"], [[bool(result)]]
    if not isinstance(result, ox.QuerySolutions):
        raise SparqlError("only SELECT and ASK queries return rows")
    cols = [v.value for v in result.variables]
    return cols, _solutions(result, cols)


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group())


def _code(query: str) -> str:
    """``query`` with its strings, IRIs and comments blanked out (same length, same places)."""
    return _SPARQL_STRIP.sub(_blank, query)


_PROLOGUE = re.compile(r"\s*(?:(?:PREFIX\s+[^\s:]*:|BASE)\s*)*", re.IGNORECASE)
_UPDATES = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE",
                      "ADD", "WITH"})
_VARIABLE = re.compile(r"[?$](\w+)")
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def check_read_only(query: str) -> None:
    """Refuse a SPARQL Update (``INSERT DATA``, ``DELETE WHERE``, ``LOAD``, ``DROP``, ...):
    lmkg sparql only reads the graph."""
    code = _code(_CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), query))
    m = re.match(r"([A-Za-z]+)", code[_PROLOGUE.match(code).end():])
    if m and m.group(1).upper() in _UPDATES:
        raise SparqlError(f"updates are not allowed ({m.group(1).upper()}): lmkg sparql only "
                          "reads the graph (SELECT and ASK)")


def variables_of(query: str) -> set[str]:
    """The variables a query names (``?x``, ``$x``), outside strings, IRIs and comments."""
    return {m.group(1) for m in _VARIABLE.finditer(_code(query))}


def bind_parameters(query: str, params: dict[str, Any]) -> str:
    """``query`` with ``params`` bound: a ``VALUES`` block of RDF terms opening its WHERE
    clause, so that a bound variable need not be projected (pyoxigraph's own substitution
    requires it in ``SELECT``).

    Each value becomes one term first (:func:`_param_term`: an IRI that was checked, or a
    literal), and only that term's N-Triples form, escaped by pyoxigraph, goes into the
    query: what a user passes is always one term, never query text. A parameter the query
    does not name is refused (a misspelt name would otherwise leave the variable free and
    match everything).
    """
    used = variables_of(query)
    unused = sorted(k for k in params if k not in used)
    if unused:
        raise SparqlError(f"--param {unused[0]}: the query does not use ?{unused[0]}")
    code = _code(query)
    m = _WHERE.search(code)
    at = m.end() if m else code.find("{") + 1
    if at <= 0:
        raise SparqlError("SPARQL syntax error: the query has no WHERE clause to bind "
                          "parameters in")
    names = sorted(params)
    terms = " ".join(str(_param_term(params[k], k)) for k in names)
    block = f" VALUES ({' '.join('?' + k for k in names)}) {{ ({terms}) }} "
    return query[:at] + block + query[at:]


_PREFIXED = re.compile(r"(?<![\w?$:.\-])([A-Za-z][\w.\-]*)?:(?=[\w%\\])")
_DECLARED = re.compile(r"\bPREFIX\s+([^\s:]*):", re.IGNORECASE)


def _syntax_message(query: str, engine: str) -> str:
    """One readable line for a query that did not parse: an unknown prefix is named, and the
    engine's list of expected characters is cut."""
    code = _code(query)
    declared = set(PREFIXES) | {m.group(1) for m in _DECLARED.finditer(code)}
    for m in _PREFIXED.finditer(code):
        name = m.group(1) or ""
        if name not in declared:
            return (f"SPARQL syntax error: unknown prefix {name}: (predeclared: "
                    + ", ".join(f"{p}:" for p in PREFIXES)
                    + f"; declare others with PREFIX {name}: <IRI>)")
    msg = " ".join(engine.split())
    if len(msg) > 160:
        msg = msg[:msg.rfind(" ", 0, 150)] + " …"
    return "SPARQL syntax error: " + msg


def _solutions(result, cols: list[str]):
    try:
        for sol in result:
            yield [term_value(sol[c]) for c in cols]
    except (RuntimeError, OSError, ValueError) as exc:
        raise SparqlError("SPARQL error: " + " ".join(str(exc).split())) from None


_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _param_term(value: Any, name: str = "?"):
    ox = _ox()
    if isinstance(value, bool | int | float):
        return literal_term(value)
    text = str(value)
    if text.startswith(("http://", "https://", "lmkg:")):
        bad = _BAD_IRI.search(text)
        iri = expand(text) if text.startswith("lmkg:") else text
        if bad is None:
            try:
                return ox.NamedNode(iri)
            except ValueError:
                pass
        shown = repr(bad.group()) if bad else "it"
        raise SparqlError(f"--param {name}: {text!r} is not a valid IRI ({shown} is not "
                          "allowed in an IRI); give an lmkg id such as lmkg:agent/osimertinib")
    try:
        return ox.Literal(text)
    except ValueError as exc:
        raise SparqlError(f"--param {name}: {text!r} is not a valid literal ({exc})") from None


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
