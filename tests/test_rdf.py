"""RDF export and SPARQL: round trips through independent parsers, shapes, provenance, cookbook."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from cookbook import NAMES, doc_queries, expected, normalise, params

from lmkg.graph.export.rdf import PREFIXES, S, assertion_iri, rdf_store
from lmkg.graph.query.sparql import check_shapes, counts, sparql
from lmkg.ontology.curie import expand


def _load(path: Path, fmt: ox.RdfFormat):
    store = ox.Store()
    store.bulk_load(path=str(path), format=fmt)
    return store


@pytest.fixture(scope="module")
def exported(tmp_path_factory, graph_file) -> dict[str, Path]:
    from click.testing import CliRunner

    from lmkg.cli import cli as group

    out = tmp_path_factory.mktemp("rdf")
    paths = {}
    for fmt in ("ttl", "nt", "jsonld"):
        paths[fmt] = out / f"lmkg.{fmt}"
        res = CliRunner().invoke(group, ["export", "--format", fmt, "-o", str(paths[fmt]),
                                         "--graph", str(graph_file)], catch_exceptions=False)
        assert res.exit_code == 0, res.output
        assert "triples" in res.stderr
    return paths


@pytest.fixture(scope="module")
def ttl_store(exported):
    return _load(exported["ttl"], ox.RdfFormat.TURTLE)


def _stats_counts(kg) -> tuple[dict[str, int], dict[str, int]]:
    st = kg.stats()
    return {k: v for k, v in st["entities"].items() if v}, st["relations"]


def test_turtle_parses_back_with_rdflib_to_the_same_counts(exported, kg):
    import rdflib

    g = rdflib.Graph()
    g.parse(exported["ttl"], format="turtle")
    ents, rels = _stats_counts(kg)
    for etype, n in ents.items():
        assert len(set(g.subjects(rdflib.RDF.type, rdflib.URIRef(S + etype)))) == n, etype
    assertions = set(g.subjects(rdflib.RDF.type, rdflib.URIRef(S + "Assertion")))
    assert len(assertions) == sum(rels.values())
    from lmkg.ontology.owl import camel

    for verb, n in rels.items():
        p = rdflib.URIRef(S + camel(verb))
        # One assertion per relation; the plain triple once per pair (a pair can hold several
        # PREDICTS_RESPONSE: a sensitivity in one cancer, a resistance in another).
        pairs = {(s, o) for s, _v, o, _d in kg.edges(verb)}
        assert len(set(g.subject_objects(p))) == len(pairs), verb
        assert len(set(g.subjects(rdflib.RDF.predicate, p))) == n, verb


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_every_format_round_trips_with_shapes_satisfied(exported, kg, fmt):
    oxfmt = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
             "jsonld": ox.RdfFormat.JSON_LD}[fmt]
    store = _load(exported[fmt], oxfmt)
    assert counts(store) == _stats_counts(kg)
    assert check_shapes(store) == []


def test_the_shape_check_reports_a_node_without_label(kg):
    store = rdf_store(kg, ontology=True)
    agent = ox.NamedNode(expand(kg.ids("Agent")[0]))
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    for q in list(store.quads_for_pattern(agent, label, None)):
        store.remove(q)
    problems = check_shapes(store)
    assert problems == [f"{agent.value}: no rdfs:label"]


def test_ontology_xrefs_and_stable_iris(exported, ttl_store, kg, tmp_path, cli):
    assert sparql(ttl_store, "ASK { lmkgs:Agent a owl:Class . lmkgs:targets a owl:ObjectProperty }"
                  )[1] == [[True]]
    with_xrefs = [n for n in kg.ids() if kg.node(n).get("xrefs")]
    assert with_xrefs
    for nid in with_xrefs[:50]:
        _, rows = sparql(ttl_store, "SELECT ?e ?x WHERE { ?e skos:exactMatch ?x }", {"e": nid})
        got = {r[1] for r in rows}
        assert got == {expand(x) for x in kg.node(nid)["xrefs"]}
        assert all(x.startswith(("https://", "http://purl.obolibrary.org/")) for x in got)
    _, rows = sparql(ttl_store, "SELECT ?e ?l WHERE { ?e rdfs:label ?l }",
                     {"e": kg.ids("Agent")[0]})
    assert rows[0][1] == kg.name_of(kg.ids("Agent")[0])
    again = tmp_path / "again.ttl"
    assert cli("export", "--format", "ttl", "-o", str(again)).exit_code == 0
    assert again.read_bytes() == exported["ttl"].read_bytes()


def test_relations_carry_their_sources_and_qualifiers(ttl_store, kg):
    q = """SELECT ?a ?ident ?url ?note WHERE {
      ?a lmkgs:sources ?src .
      OPTIONAL { ?src dcterms:identifier ?ident } OPTIONAL { ?src lmkgs:url ?url }
      OPTIONAL { ?src lmkgs:note ?note } }"""
    edges = list(kg.edges("TARGETS"))[:40]
    for s, k, o, d in edges:
        _, rows = sparql(ttl_store, q, {"a": assertion_iri(s, k, o)})
        got = sorted((r[1] or r[2], r[3]) for r in rows)
        want = sorted((x.get("id") or x.get("url"), x.get("note")) for x in d["sources"])
        assert got == want
        if d.get("action"):
            _, rows = sparql(ttl_store, "SELECT ?a ?v WHERE { ?a lmkgs:action ?v }",
                             {"a": assertion_iri(s, k, o)})
            assert rows[0][1] == d["action"]


@pytest.mark.parametrize("name", NAMES)
def test_sparql_cookbook(name, cli, kg):
    query = doc_queries("sparql.md", "sparql")[name]
    p = params(kg)[name]
    want = expected(kg, name, p)
    args = ["sparql", query, "--format", "json"]
    for k, v in p.items():
        args += ["-p", f"{k}={v}"]
    res = cli(*args)
    assert res.exit_code == 0, res.output
    rows = [[v for k, v in r.items() if k not in p] for r in json.loads(res.stdout)]
    assert normalise(name, rows) == want
    assert not set(p) & set(json.loads(res.stdout)[0]), "the docs' queries bind, not project"


def test_sparql_cli_formats_and_errors(cli, kg):
    q = "SELECT ?name WHERE { ?a a lmkgs:Agent ; rdfs:label ?name } ORDER BY ?name"
    res = cli("sparql", q, "--format", "csv")
    assert res.exit_code == 0
    rows = list(csv.reader(io.StringIO(res.stdout)))
    assert rows[0] == ["name"] and len(rows) - 1 == kg.stats()["entities"]["Agent"]
    bad = cli("sparql", "SELECT ?x WHERE { ?x ")
    assert bad.exit_code == 1 and bad.stderr.startswith("Error: SPARQL")
    assert len(bad.stderr.strip().splitlines()) == 1
    agent = kg.ids("Agent")[0]
    unprojected = cli("sparql", "SELECT ?n WHERE { ?a rdfs:label ?n }", "-p", f"a={agent}",
                      "--format", "json")
    assert unprojected.exit_code == 0, unprojected.output  # a bound variable need not be in SELECT
    assert json.loads(unprojected.stdout) == [{"n": kg.name_of(agent)}]
    # a value is a term, never query text
    hostile = cli("sparql", "SELECT ?n WHERE { ?a rdfs:label ?n }", "-p",
                  'n=x" } ; DROP ALL ; #')
    assert hostile.exit_code == 0 and json.loads(
        cli("sparql", "SELECT ?n WHERE { ?a rdfs:label ?n }", "-p", 'n=x" }', "--format",
            "json").stdout) == []
    assert set(PREFIXES) >= {"lmkg", "lmkgs", "skos", "dcterms"}


@pytest.mark.parametrize("query,params,message", [
    ("SELECT ?x WHERE { ?x a foo:Agent }", [],
     "Error: SPARQL syntax error: unknown prefix foo: (predeclared: lmkg:, lmkgs:, rdf:, rdfs:, "
     "xsd:, skos:, dcterms:, owl:; declare others with PREFIX foo: <IRI>)"),
    ("SELECT ?x WHERE { ?x a :Agent }", [],
     "Error: SPARQL syntax error: unknown prefix : (predeclared: lmkg:, lmkgs:, rdf:, rdfs:, "
     "xsd:, skos:, dcterms:, owl:; declare others with PREFIX : <IRI>)"),
    ("INSERT DATA { <http://a.example/s> <http://a.example/p> 1 }", [],
     "Error: updates are not allowed (INSERT): lmkg sparql only reads the graph (SELECT and ASK)"),
    ("PREFIX x: <http://x.example/>\n# a comment\ndelete where { ?s ?p ?o }", [],
     "Error: updates are not allowed (DELETE): lmkg sparql only reads the graph (SELECT and ASK)"),
    ("DROP ALL", [],
     "Error: updates are not allowed (DROP): lmkg sparql only reads the graph (SELECT and ASK)"),
    ("SELECT ?x WHERE { ?x lmkgs:targets ?biomarker }", ["biomarkr=lmkg:biomarker/egfr-t790m"],
     "Error: --param biomarkr: the query does not use ?biomarkr"),
])
def test_sparql_errors_are_one_readable_line(cli, query, params, message):
    args = ["sparql", query]
    for p in params:
        args += ["-p", p]
    res = cli(*args)
    assert res.exit_code == 1 and res.stdout == ""
    assert res.stderr.strip() == message


def test_sparql_binds_values_as_terms_in_any_clause(cli, kg):
    """A bound variable may be filtered on, grouped by or left out of SELECT, and a hostile value
    is one literal: it matches nothing and changes nothing."""
    q = ("SELECT (COUNT(?x) AS ?n) WHERE { ?x lmkgs:targets ?b . FILTER(?b = ?biomarker) }")
    res = cli("sparql", q, "-p", "biomarker=lmkg:biomarker/egfr-t790m", "--format", "json")
    assert res.exit_code == 0, res.output
    want = len([s for s, _, o, _ in kg.edges("TARGETS") if o == "lmkg:biomarker/egfr-t790m"])
    assert json.loads(res.stdout) == [{"n": want}] and want
    for evil in ['x" } } ; DROP ALL ; #', "x\\u0022 } DROP ALL", "> } <http://x>"]:
        res = cli("sparql", "SELECT ?a WHERE { ?a rdfs:label ?n }", "-p", f"n={evil}",
                  "--format", "json")
        assert res.exit_code == 0 and json.loads(res.stdout) == [], evil
    res = cli("sparql", "ASK { ?a lmkgs:targets ?b }", "-p", "b=lmkg:biomarker/egfr-t790m",
              "--format", "json")
    assert json.loads(res.stdout) == [{"ask": True}]


def test_id_valued_fields_are_iris_joined_to_their_entity(ttl_store, kg):
    from lmkg.graph.export.rdf import ID_FIELDS
    from lmkg.ontology.owl import id_fields

    assert id_fields() == ID_FIELDS
    q = """SELECT ?p ?v (isIRI(?v) AS ?iri) ?label WHERE {
      VALUES ?p { lmkgs:cancer lmkgs:biomarker lmkgs:gene lmkgs:supersedes }
      ?s ?p ?v . OPTIONAL { ?v rdfs:label ?label } }"""
    _c, rows = sparql(ttl_store, q)
    with_cancer = [d for *_, d in kg.edges("PREDICTS_RESPONSE") if d.get("cancer")]
    assert with_cancer and len([r for r in rows if r[0] == S + "cancer"]) >= len(with_cancer)
    assert all(r[2] and r[3] for r in rows), [r for r in rows if not (r[2] and r[3])][:3]
    s, _, _, d = next(e for e in kg.edges("PREDICTS_RESPONSE") if e[3].get("cancer"))
    _c, rows = sparql(ttl_store, "SELECT ?name WHERE { ?a rdf:subject ?s ; lmkgs:cancer ?c . "
                      "?c rdfs:label ?name }", {"s": s})
    assert kg.name_of(d["cancer"]) in [r[0] for r in rows]


HARD_TEXT = 'quote " backslash \\ newline\nreturn\r tab\t unicode é ✓ 𝔸 nbsp\u00a0end'


def _hard_graph():
    from lmkg.graph import KnowledgeGraph

    kg = KnowledgeGraph()
    kg.add_node_data({"id": "lmkg:agent/a+b.c", "type": "Agent", "name": HARD_TEXT,
                      "synonyms": ["x\\y", '"quoted"'], "description": HARD_TEXT,
                      "status": "phase1", "routes": ["oral", "intrathecal"],
                      "cns_evidence": [{"level": "csf_pk", "metric": "CSF/plasma", "value": "0.5",
                                        "patients": 12, "direction": "supports",
                                        "source": {"id": "PMID:1", "note": HARD_TEXT}}],
                      "sources": [{"url": "https://example.org/a?b=c&d=%20e#f", "secondary": True}]})
    kg.add_node_data({"id": "lmkg:biomarker/b", "type": "Biomarker", "name": "B",
                      "kind": "mutation", "xrefs": ["HGNC:3236"]})
    kg.add_edge_data("lmkg:agent/a+b.c", "TARGETS", "lmkg:biomarker/b",
                     {"action": "inhibitor", "sources": [{"id": "PMID:2", "note": HARD_TEXT},
                                                         {"url": "https://example.org/x"}]})
    return kg


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_written_text_reads_back_as_the_triples_of_the_graph(tmp_path, fmt):
    """What the text writers emit is exactly the triples, read back by pyoxigraph and by
    rdflib: escapes in literals, IRIs that cannot be prefixed names, typed literals."""
    import rdflib

    from lmkg.graph.export.rdf import triples, write_rdf

    kg = _hard_graph()
    path = tmp_path / f"g.{fmt}"
    n = write_rdf(kg, path, fmt, ontology=False)
    oxfmt = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
             "jsonld": ox.RdfFormat.JSON_LD}[fmt]
    got = {q.triple for q in ox.parse(path=str(path), format=oxfmt)}
    want = set(triples(kg, ontology=False))
    assert len(got) == n == len(want) and got == want
    agent = ox.NamedNode(expand("lmkg:agent/a+b.c"))
    labels = {t.object.value for t in got if t.subject == agent
              and t.predicate.value.endswith("#label")}
    assert labels == {HARD_TEXT}
    patients = {t.object for t in got if t.predicate.value.endswith("#patients")}
    assert patients == {ox.Literal("12", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#integer"))}
    if fmt != "jsonld":
        g = rdflib.Graph()
        g.parse(path, format={"ttl": "turtle", "nt": "nt"}[fmt])
        assert len(g) == n
        assert {str(o) for o in g.objects(rdflib.URIRef(agent.value), rdflib.RDFS.label)} == \
            {HARD_TEXT}


def test_a_bad_iri_is_refused_not_written(tmp_path):
    from lmkg.graph.export.rdf import write_rdf

    kg = _hard_graph()
    kg.node("lmkg:biomarker/b")["xrefs"] = ["HGNC:3 236"]  # a space cannot be in an IRI
    with pytest.raises(ValueError, match="IRI"):
        write_rdf(kg, tmp_path / "g.ttl", "ttl", ontology=False)
    assert not (tmp_path / "g.ttl").exists()


def test_the_record_fields_of_the_export_are_the_models():
    from lmkg.graph.export.rdf import _RECORDS
    from lmkg.ontology.entities import RECORD_FIELDS

    assert _RECORDS == {f: m.__name__ for f, m in RECORD_FIELDS.items()}


@pytest.mark.parametrize("fmt", ["nt", "ttl"])
def test_a_source_reads_the_same_on_an_entity_and_on_a_relation(tmp_path, fmt):
    """The edge loop writes its sources' statements itself (the export's hot path); they must
    be what an entity's source gets (_source_writer), and counted as many."""
    from lmkg.graph.export.rdf import write_rdf
    from lmkg.graph.kg import KnowledgeGraph

    src = {"id": "PMID:31825569", "url": "https://pubmed.ncbi.nlm.nih.gov/31825569",
           "note": 'HER2CLIMB "intracranial"', "secondary": True, "accessed": "2026-11-21"}
    kg = KnowledgeGraph()
    kg.add_node_data({"id": "lmkg:agent/tucatinib", "type": "Agent", "name": "tucatinib",
                      "status": "approved", "sources": [dict(src)]})
    kg.add_node_data({"id": "lmkg:gene/erbb2", "type": "Gene", "name": "ERBB2",
                      "symbol": "ERBB2"})
    kg.add_edge_data("lmkg:agent/tucatinib", "TARGETS", "lmkg:gene/erbb2",
                     {"sources": [dict(src)], "activity": "inhibitor"})
    out = tmp_path / f"g.{fmt}"
    n = write_rdf(kg, out, fmt, ontology=False)
    g = _load(out, ox.RdfFormat.N_TRIPLES if fmt == "nt" else ox.RdfFormat.TURTLE)
    assert len(g) == n
    refs = {t.subject for t in g if "/source/" in str(t.subject.value)}
    assert len(refs) == 2
    statements = [{(t.predicate, t.object) for t in g if t.subject == r} for r in refs]
    # type, label, identifier, seeAlso, and one each: url, note, secondary, accessed
    assert statements[0] == statements[1] and len(statements[0]) == 8
