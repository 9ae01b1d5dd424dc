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

The triples are written as text as they are made (N-Triples, and Turtle with the prefixes
and one block per subject): building a pyoxigraph object per term and per triple cost about
8 us a triple, six times what pyoxigraph then took to serialise them. Every IRI is still
checked by pyoxigraph (once), and the tests read every format back with pyoxigraph and rdflib
and compare it with the same triples made as pyoxigraph objects (``triples``). JSON-LD and the
SPARQL store are made by pyoxigraph from the N-Triples text.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from lmkg.errors import LmkgError
from lmkg.ontology import EntityType, RelationType
from lmkg.ontology.curie import ID_KINDS, LMKG_NAMESPACE, LMKG_SCHEMA_NAMESPACE, expand
from lmkg.ontology.vocab import camel

from .._gc import paused_gc
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
# Entity fields that hold lists of nested records (the models' RECORD_FIELDS, by model name: the
# models are not imported to read a store, only to write one), each a typed node of its own.
_RECORDS = {"cns_evidence": "CNSEvidence", "epidemiology": "EpiFigure",
            "performance": "DiagnosticPerformance"}
_STANDARD = {"name", "synonyms", "xrefs", "description", "id", "type", "sources", *_RECORDS}
# Fields whose values are other entities' lmkg ids (``lmkg.ontology.owl.id_fields()``: a
# relation's ``cancer`` and ``biomarker``, a biomarker's ``gene``, a guideline's ``supersedes``):
# written as IRIs, so that SPARQL joins them to the entity (a test keeps this equal to the models).
ID_FIELDS = frozenset({"biomarker", "cancer", "gene", "supersedes"})


def _ox():
    try:
        import pyoxigraph
    except ImportError:  # pragma: no cover - pyoxigraph is a dependency of the RDF export
        raise LmkgError("RDF export needs pyoxigraph: pip install pyoxigraph") from None
    return pyoxigraph


def assertion_digest(s: str, pred: str, o: str) -> str:
    return hashlib.sha1(f"{s} {pred} {o}".encode()).hexdigest()[:16]


def assertion_iri(s: str, pred: str, o: str) -> str:
    """The stable IRI of the assertion of one edge (``pred`` is its key in the graph)."""
    return ASSERTION_BASE + assertion_digest(s, pred, o)


_NT_ESCAPE = {i: f"\\u{i:04X}" for i in range(0x20)} | {
    0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"}
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\]')
# Turtle: a prefixed name only where the local part needs no escape (a subset of PN_LOCAL).
_PN_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
Term = str  # a term as text: <iri> (or a prefixed name in Turtle), "literal", "lex"^^<type>


def _literal(text: str) -> Term:
    """A plain (xsd:string) literal, escaped as pyoxigraph escapes it (N-Triples and Turtle)."""
    # The common case (printable, no quote or backslash) is told by three C calls, twice as
    # fast as the regular expression that decides the rest.
    if not (text.isprintable() and '"' not in text and "\\" not in text) \
            and _NEEDS_ESCAPE.search(text):
        text = text.translate(_NT_ESCAPE)
    return f'"{text}"'


class _Writer:
    """Statements as text in one syntax, N-Triples or Turtle, counted as they are made.

    N-Triples: one line per triple. Turtle: one block per subject, predicate-object pairs
    joined by ``;``, IRIs as prefixed names where :data:`TURTLE_PREFIXES` allow it
    (``agent:osimertinib``), ``a`` for rdf:type. Each IRI term is made once and checked by
    pyoxigraph (which refuses a bad IRI with ValueError, as when the export built a NamedNode
    per triple).
    """

    def __init__(self, turtle: bool = False) -> None:
        self.ox = _ox()
        self.turtle = turtle
        self.count = 0
        self._by_ns = {ns: p for p, ns in TURTLE_PREFIXES.items()} if turtle else None
        self._iri: dict[str, Term] = {}
        self._schema: dict[str, Term] = {}
        self.type = "a" if turtle else self.iri(RDF + "type")
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
        self.source_ref = self.iri(S + "SourceRef")
        self.sources = self.iri(S + "sources")
        self.source = self.iri(S + "source")
        self.derived = self.iri(S + "derived")
        self.true = f'"true"^^{self.iri(XSD + "boolean")}'
        self.false = f'"false"^^{self.iri(XSD + "boolean")}'
        self._int = f'"^^{self.iri(XSD + "integer")}'
        self._dec = f'"^^{self.iri(XSD + "decimal")}'

    # -- terms ---------------------------------------------------------------------------------
    def iri(self, value: str) -> Term:
        node = self._iri.get(value)
        if node is None:
            node = self._iri[value] = self.new_iri(value)
        return node

    def new_iri(self, value: str) -> Term:
        """An IRI term, checked, not kept (for IRIs made once)."""
        self.ox.NamedNode(value)  # the check
        if self._by_ns is not None:
            for sep in ("/", "#"):
                cut = value.rfind(sep) + 1
                prefix = self._by_ns.get(value[:cut]) if cut else None
                if prefix is not None and _PN_LOCAL.fullmatch(value, cut):
                    return f"{prefix}:{value[cut:]}"
        return f"<{value}>"

    def assertion_term(self, digest: str) -> Term:
        return f"assertion:{digest}" if self.turtle else f"<{ASSERTION_BASE}{digest}>"

    def schema(self, field: str) -> Term:
        node = self._schema.get(field)
        if node is None:
            node = self._schema[field] = self.iri(S + camel(field))
        return node

    def lit(self, v: Any) -> Term:
        if isinstance(v, str):
            return _literal(v)
        if isinstance(v, bool):
            return self.true if v else self.false
        if isinstance(v, int):
            return '"' + str(v) + self._int
        if isinstance(v, float):
            return '"' + repr(v) + self._dec
        return _literal(str(v))

    def ref(self, v: Any) -> Term:
        """An id-valued field's value (:data:`ID_FIELDS`): the entity's IRI for an lmkg id."""
        if isinstance(v, str) and v.startswith("lmkg:"):
            return self.iri(expand(v))
        return self.lit(v)

    # -- statements ----------------------------------------------------------------------------
    def sep(self, subject: Term) -> str:
        """What goes between two "predicate object" pairs of ``subject``."""
        return " ;\n\t" if self.turtle else f" .\n{subject} "

    def block(self, subject: Term, pairs: list[str]) -> str:
        """The statements of ``subject``: its "predicate object" pairs."""
        self.count += len(pairs)
        return f"{subject} {self.sep(subject).join(pairs)} .\n"


def literal_term(v: bool | int | float | str):
    """A value as the pyoxigraph literal the export writes for it (typed as :meth:`_Writer.lit`)."""
    ox = _ox()
    if isinstance(v, bool):
        return ox.Literal("true" if v else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(v, int):
        return ox.Literal(str(v), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(v, float):
        return ox.Literal(repr(v), datatype=ox.NamedNode(XSD + "decimal"))
    return ox.Literal(str(v))


def instance_text(kg: KnowledgeGraph, w: _Writer) -> Iterator[str]:
    """Every instance triple of the graph (entities, records, relations and assertions) as
    statements in ``w``'s syntax, in pieces of whole statements (a subject's together) of about
    :data:`_PIECES` strings each.

    IRIs made by appending a fixed path (``/source/0``, ``/cns-evidence/1``) to one already
    checked, and assertion IRIs (a hex digest), are valid by construction and not checked again.
    """
    iri, lit, L, schema, block = w.iri, w.lit, _literal, w.schema, w.block
    _source = _source_writer(w)
    nodes = kg.g._node
    out: list[str] = []  # the text made since the last piece was yielded
    add_out, extend_out = out.append, out.extend
    term_of: dict[str, Term] = {}  # node id -> its IRI term, for the edges
    text_of: dict[str, str] = {}  # and its name, escaped as in a literal
    order = sorted(nodes)
    for nid in order:
        d = nodes[nid]
        base = expand(nid)
        e = term_of[nid] = iri(base)
        name = d.get("name", nid)
        label = L(name)
        text_of[nid] = label[1:-1]
        po = [f"{w.type} {iri(S + EntityType(d['type']).value)}", f"{w.label} {label}"]
        add = po.append
        for syn in d.get("synonyms", ()):
            add(f"{w.alt} {L(syn)}")
        for x in d.get("xrefs", ()):
            add(f"{w.exact} {iri(expand(x))}")
        if d.get("description"):
            add(f"{w.desc} {L(d['description'])}")
        for k, v in d.items():
            if k in _STANDARD or v is None:
                continue
            p = schema(k)
            value = w.ref if k in ID_FIELDS else lit
            if isinstance(v, list):
                for item in v:
                    add(f"{p} {value(item)}")
            else:
                add(f"{p} {value(v)}")
        later: list[str] = []  # records after the entity, so each subject is one block
        for field, model in _RECORDS.items():
            records = d.get(field)
            if not records:
                continue
            p = schema(field)
            segment = f"{base}/{field.replace('_', '-')}/"
            for i, rec in enumerate(records):
                r = f"<{segment}{i}>"
                add(f"{p} {r}")
                _record(w, _source, later, r, model, rec,
                        _record_label(name, field, rec))
        for i, src in enumerate(d.get("sources", ())):
            r = f"<{base}/source/{i}>"
            add(f"{w.sources} {r}")
            later.append(_source(r, src))
        add_out(block(e, po))
        extend_out(later)
        if len(out) >= _PIECES:
            yield "".join(out)
            out.clear()
    # The edges, sorted by (subject, object, key) without making a tuple per edge: the loop
    # that makes most triples (an edge is 7 statements and 3 per source), kept lean. Per
    # syntax: ``end`` closes one "predicate object" pair of a subject, and the next starts
    # with ``again`` (the subject again in N-Triples, nothing in Turtle).
    turtle = w.turtle
    end = " ;\n\t" if turtle else " .\n"
    a_open, a_close = ("assertion:", "") if turtle else ("<" + ASSERTION_BASE, ">")
    a_type, a_label = f" {w.type} {w.assertion}{end}", f'{w.label} "'
    label_end = '"' + end
    subj_, pred_, obj_ = w.subj + " ", w.pred + " ", w.obj + " "
    sources_ = w.sources + " "
    src_open = "<" + ASSERTION_BASE
    src_head, src_label = f" {w.type} {w.source_ref}{end}", w.label + " "
    ident, see, derived, ref = w.ident + " ", w.see + " ", w.derived, w.ref
    terms = w._schema  # field -> term, as schema() fills it
    verb_of: dict[str, tuple[Term, str]] = {}  # verb -> its term, and its text in a label
    sha1 = hashlib.sha1
    succ = kg.g._succ
    n = 0  # statements made here, added to w.count at the end
    for s in order:
        nbrs = succ[s]
        if not nbrs:
            continue
        si, s_text = term_of[s], text_of[s]
        s_space = s + " "
        for o in sorted(nbrs) if len(nbrs) > 1 else nbrs:
            keys = nbrs[o]
            oi, o_text = term_of[o], text_of[o]
            for k in sorted(keys) if len(keys) > 1 else keys:
                d = keys[k]
                verb = d.get("predicate", k)
                known = verb_of.get(verb)
                if known is None:
                    p = schema(RelationType(verb).value)
                    known = verb_of[verb] = (p, L(verb)[1:-1])
                p, verb_text = known
                digest = sha1(f"{s_space}{k} {o}".encode()).hexdigest()[:16]  # assertion_iri
                a = f"{a_open}{digest}{a_close}"
                again = "" if turtle else a + " "
                # The plain triple and the assertion's five fixed statements in one string.
                add_out(f"{si} {p} {oi} .\n{a}{a_type}{again}{a_label}{s_text} {verb_text} "
                        f"{o_text}{label_end}{again}{subj_}{si}{end}{again}{pred_}{p}{end}"
                        f"{again}{obj_}{oi}")
                n += 6
                tail = None
                for qk, qv in d.items():
                    if qk == "sources":
                        tail = []
                        for i, src in enumerate(qv):
                            r = f"{src_open}{digest}/source/{i}>"
                            add_out(f"{end}{again}{sources_}{r}")
                            # The source's statements, as _source_writer makes them.
                            r_again = "" if turtle else r + " "
                            shown = src.get("id") or src.get("url") or "source"
                            label = L(shown)
                            tail.append(f"{r}{src_head}{r_again}{src_label}{label}")
                            n += 3
                            for sk, sv in src.items():
                                if sv is None:
                                    continue
                                value = label if sv == shown else lit(sv)
                                if sk == "id":
                                    tail.append(f"{end}{r_again}{ident}{value}{end}{r_again}"
                                                f"{see}{iri(expand(sv))}")
                                    n += 2
                                else:
                                    tail.append(f"{end}{r_again}{terms.get(sk) or schema(sk)} "
                                                f"{value}")
                                    n += 1
                            tail.append(" .\n")
                        continue
                    if qk == "predicate" or qv is None:
                        continue
                    qp = derived if qk == "derived" else schema(qk)
                    value = ref if qk in ID_FIELDS else lit
                    for item in qv if isinstance(qv, list) else (qv,):
                        add_out(f"{end}{again}{qp} {value(item)}")
                        n += 1
                add_out(" .\n")
                if tail:
                    extend_out(tail)
        if len(out) >= _PIECES:
            yield "".join(out)
            out.clear()
    w.count += n
    if out:
        yield "".join(out)


def _record_label(name: str, field: str, rec: dict[str, Any]) -> str:
    if field == "cns_evidence":
        return f"CNS evidence of {name}: {rec['metric']} {rec['value']}"
    if field == "epidemiology":
        return f"{name}: {rec['measure']} {rec['value']}"
    figures = ", ".join(f"{k} {rec[k]}" for k in ("sensitivity", "specificity") if rec.get(k))
    return f"{name} performance: {figures}"


def _record(w: _Writer, source: Callable[[Term, dict[str, Any]], str], out: list[str], r: Term,
            cls: str, rec: dict[str, Any], label: str) -> None:
    po = [f"{w.type} {w.iri(S + cls)}", f"{w.label} {_literal(label)}"]
    for k, v in rec.items():
        if k == "source" or v is None:
            continue
        po.append(f"{w.schema(k)} {w.ref(v) if k in ID_FIELDS else w.lit(v)}")
    src = r[:-1] + "/source>" if rec.get("source") else None
    if src:
        po.append(f"{w.source} {src}")
    out.append(w.block(r, po))
    if src:
        out.append(source(src, rec["source"]))


def _source_writer(w: _Writer) -> Callable[[Term, dict[str, Any]], str]:
    """``source(subject, src)``: the statements of one source (a ``lmkgs:SourceRef``)."""
    turtle, head, label_, ident, see = (w.turtle, f"{w.type} {w.source_ref}", w.label + " ",
                                        w.ident + " ", w.see + " ")
    schema, lit, iri = w.schema, w.lit, w.iri

    terms = w._schema  # field -> term, as schema() fills it

    def source(r: Term, src: dict[str, Any]) -> str:
        j = " ;\n\t" if turtle else f" .\n{r} "
        shown = src.get("id") or src.get("url") or "source"
        label = _literal(shown)
        text = f"{r} {head}{j}{label_}{label}"
        n = 2
        for k, v in src.items():
            if v is None:
                continue
            value = label if v == shown else lit(v)  # the label's literal is the id's or url's
            if k == "id":
                text += f"{j}{ident}{value}{j}{see}{iri(expand(v))}"
                n += 2
            else:
                text += f"{j}{terms.get(k) or schema(k)} {value}"
                n += 1
        w.count += n
        return text + " .\n"

    return source


@lru_cache(maxsize=2)
def _ontology_pairs(turtle: bool) -> tuple[tuple[Term, tuple[str, ...]], ...]:
    """The OWL ontology's triples as (subject, "predicate object" pairs), sorted so that each
    subject is one block.

    Read from the committed ``ontology/lmkg.ttl`` (a test keeps it equal to
    ``lmkg.ontology.owl.build_owl()``; parsing it is 20x faster than building it with rdflib),
    with canonical blank-node labels (the same on every run).
    """
    from importlib.resources import files

    ox = _ox()
    try:
        data = files("lmkg.ontology").joinpath("lmkg.ttl").read_bytes()
        fmt = ox.RdfFormat.TURTLE
    except (FileNotFoundError, ModuleNotFoundError):  # pragma: no cover - source checkouts
        from lmkg.ontology.owl import build_owl

        data, fmt = build_owl().serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES
    w = _Writer(turtle)

    def term(x: Any) -> Term:
        if isinstance(x, ox.NamedNode):
            return w.type if x.value == RDF + "type" else w.iri(x.value)
        if isinstance(x, ox.Literal) and turtle and x.language is None:
            plain = _literal(x.value)
            dt = x.datatype.value
            return plain if dt == XSD + "string" else f"{plain}^^{w.iri(dt)}"
        return str(x)  # blank nodes, language-tagged literals: the same in both syntaxes

    # Parsing names blank nodes (OWL's unions and restrictions) at random; canonical labels
    # (W3C RDF Dataset Canonicalization, RDFC-1.0) make two exports byte-identical.
    dataset = ox.Dataset(ox.parse(data, format=fmt))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    parsed = sorted({(str(q.subject), str(q.predicate), str(q.object), q.triple)
                     for q in dataset}, key=lambda r: r[:3])
    blocks: list[tuple[str, Term, list[str]]] = []
    for key, *_rest, tr in parsed:
        if not blocks or blocks[-1][0] != key:
            blocks.append((key, term(tr.subject), []))
        blocks[-1][2].append(f"{term(tr.predicate)} {term(tr.object)}")
    return tuple((subject, tuple(pairs)) for _key, subject, pairs in blocks)


def ontology_text(w: _Writer) -> Iterator[str]:
    """The OWL ontology's triples as statements in ``w``'s syntax."""
    for subject, pairs in _ontology_pairs(w.turtle):
        yield w.block(subject, list(pairs))


def rdf_text(kg: KnowledgeGraph, w: _Writer, ontology: bool = True) -> Iterator[str]:
    """Ontology then instance statements, in ``w``'s syntax."""
    if ontology:
        yield from ontology_text(w)
    yield from instance_text(kg, w)


# The text is made and written in pieces of some tens of kB, under the C allocator's threshold
# for giving memory back to the system: pieces of hundreds of kB (as 1,024 strings of
# N-Triples are) were mapped and unmapped each time, a page fault per 4 kB written (7,000-20,000
# faults and 0.1 s of system time for a million triples, against 600), and 20,000-subject chunks
# (tens of MB) the same and worse.
_PIECES = 128  # strings joined into one piece by instance_text (about 50 kB of N-Triples)
_CHUNK = 1 << 15  # characters per chunk written
_STORE_CHUNK = 1 << 24  # characters per bulk load into a SPARQL store


def _chunks(texts: Iterable[str], size: int = _CHUNK) -> Iterator[bytes]:
    """Statements in UTF-8 chunks of at least ``size`` characters (but the last)."""
    buf: list[str] = []
    n = 0
    for text in texts:
        buf.append(text)
        n += len(text)
        if n >= size:
            yield (buf[0] if len(buf) == 1 else "".join(buf)).encode()
            buf = []
            n = 0
    if buf:
        yield "".join(buf).encode()


def ontology_triples() -> tuple[Any, ...]:
    """The OWL ontology as pyoxigraph triples."""
    return tuple(_parse_nt(ontology_text(_Writer())))


def instance_triples(kg: KnowledgeGraph) -> Iterator[Any]:
    """Every instance triple of the graph as a pyoxigraph Triple (see :func:`instance_text`)."""
    return _parse_nt(instance_text(kg, _Writer()))


def triples(kg: KnowledgeGraph, ontology: bool = True) -> Iterator[Any]:
    """Ontology then instance triples, as pyoxigraph Triples."""
    return _parse_nt(rdf_text(kg, _Writer(), ontology))


def _parse_nt(texts: Iterable[str]) -> Iterator[Any]:
    ox = _ox()
    fmt = ox.RdfFormat.N_TRIPLES
    for chunk in _chunks(texts):
        for q in ox.parse(chunk, format=fmt):
            yield q.triple


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

    _format(fmt)
    counted: list[int] = []
    with atomic_write(path, "wb") as fh:
        write_rdf_to(kg, fh, fmt, ontology, counted.append)
    return counted[0]


def write_rdf_to(kg: KnowledgeGraph, fh: IO[bytes], fmt: str = "ttl", ontology: bool = True,
                 count: Callable[[int], None] = lambda _n: None) -> None:
    """The graph as RDF text on ``fh`` (``count`` receives the number of triples at the end)."""
    ox = _ox()
    if fmt in ("nt", "ttl"):
        w = _Writer(turtle=fmt == "ttl")
        if w.turtle:
            fh.write("".join(f"@prefix {p}: <{ns}> .\n"
                             for p, ns in TURTLE_PREFIXES.items()).encode())
        with paused_gc():  # the text of a million triples: 10-20% of the time in collections
            for chunk in _chunks(rdf_text(kg, w, ontology)):
                fh.write(chunk)
        count(w.count)
        return
    n = 0

    def counted() -> Iterator[Any]:
        nonlocal n
        for n, tr in enumerate(triples(kg, ontology), 1):  # noqa: B007
            yield tr

    ox.serialize(counted(), fh, _format(fmt), prefixes=PREFIXES)
    count(n)


# -- SPARQL ------------------------------------------------------------------------------------
def rdf_store(kg: KnowledgeGraph, ontology: bool = True, path: Path | None = None):
    """A pyoxigraph Store holding the export's triples (default graph), in memory or, with
    ``path``, on disk there."""
    ox = _ox()
    store = ox.Store(str(path)) if path is not None else ox.Store()
    fmt = ox.RdfFormat.N_TRIPLES
    with paused_gc():
        for chunk in _chunks(rdf_text(kg, _Writer(), ontology), _STORE_CHUNK):
            store.bulk_load(chunk, format=fmt)
    return store
