"""Neo4j writers on FalkorDB, the second Bolt server (marker ``falkordb``), and the writers' text:
DDL, batching, CSV and Cypher script. The same path on a real Neo4j: tests/test_neo4j_server.py."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from cookbook import NAMES, doc_queries, expected, normalise, params

from lmkg.graph import KnowledgeGraph
from lmkg.graph.export.cypher_script import cypher_script, cypher_string
from lmkg.graph.export.neo4j_push import (
    batches,
    close,
    connect,
    falkordb_escape,
    push,
    split_row,
)
from lmkg.graph.export.neo4j_statements import (
    FALKORDB_MAX_MESSAGE,
    graph_counts,
    node_merge_query,
    node_rows,
    rel_merge_query,
    schema_statements,
)
from lmkg.ontology import EntityType
from support.falkordb import falkordb_server, free_ports

HOSTILE = "it's a \"test\" \\ back\\slash\nnew line\ttab é 中文 😀 '}) DETACH DELETE n //"


def _alive(server) -> None:
    assert server.alive(), "the Bolt server died"


@pytest.fixture(scope="module")
def server():
    with falkordb_server() as s:
        yield s


@pytest.fixture(scope="module")
def pushed(server, kg, graph_file):
    """The curated graph pushed twice with the CLI; the two JSON reports."""
    from click.testing import CliRunner

    from lmkg.cli import cli as group

    reports = []
    for _ in range(2):
        res = CliRunner().invoke(
            group, ["neo4j", "push", "--uri", server.uri, "--dialect", "falkordb",
                    "--batch-size", "20", "--format", "json", "--graph", str(graph_file)],
            catch_exceptions=False)
        assert res.exit_code == 0, res.output
        _alive(server)
        reports.append(json.loads(res.stdout))
    return reports


@pytest.fixture(scope="module")
def driver(server, pushed):
    d = connect(server.uri, dialect="falkordb")
    yield d
    close(d, server.uri, "falkordb")


def _by_kind(report: dict) -> tuple[dict[str, int], dict[str, int]]:
    nodes = {r["name"]: r["database"] for r in report["counts"] if r["kind"] == "node"}
    rels = {r["name"]: r["database"] for r in report["counts"] if r["kind"] == "relationship"}
    return nodes, rels


@pytest.mark.falkordb
def test_push_twice_gives_the_counts_of_lmkg_stats(pushed, cli):
    stats = json.loads(cli("stats", "--format", "json").stdout)
    want_nodes = {k: v for k, v in stats["entities"].items() if v}
    for report in pushed:
        nodes, rels = _by_kind(report)
        assert nodes == want_nodes
        assert rels == stats["relations"]
    assert pushed[0]["counts"] == pushed[1]["counts"]
    assert sum(_by_kind(pushed[1])[0].values()) == stats["total_entities"]


@pytest.mark.falkordb
def test_pushed_properties_equal_the_graph(driver, kg):
    want = {r["id"]: r["props"] for label in ("Agent", "ClinicalTrial", "PrimaryCancer")
            for r in node_rows(kg).get(label, [])}
    with driver.session() as s:
        got = {rec["id"]: rec["p"] for rec in s.run(
            "MATCH (n) WHERE n:Agent OR n:ClinicalTrial OR n:PrimaryCancer "
            "RETURN n.id AS id, properties(n) AS p")}
        rels = {(r["s"], r["o"]): r["p"] for r in s.run(
            "MATCH (s)-[r:TARGETS]->(o) RETURN s.id AS s, o.id AS o, properties(r) AS p")}
    assert got == want
    assert len(rels) == kg.stats()["relations"]["TARGETS"]
    for s_, _, o, d in kg.edges("TARGETS"):
        assert rels[(s_, o)]["source_ids"] == [x.get("id") or x.get("url") for x in d["sources"]]


@pytest.fixture(scope="module")
def embedded(kg):
    from lmkg.graph.query.cypher import EmbeddedCypher

    engine = EmbeddedCypher(kg)
    yield engine
    engine.close()


@pytest.mark.falkordb
@pytest.mark.parametrize("name", NAMES)
def test_cookbook_on_bolt_and_embedded(name, driver, embedded, kg, server):
    query = doc_queries("cypher.md", "cypher")[name]
    p = params(kg)[name]
    want = expected(kg, name, p)
    assert want, f"the shipped graph gives no answer to {name}"
    with driver.session() as s:
        rows = [list(r.values()) for r in s.run(query, falkordb_escape(p))]
    _alive(server)
    assert normalise(name, rows) == want
    _, erows = embedded.run(query, p)
    assert normalise(name, erows) == want


def _hostile_graph(drop_company: bool = False, repeat: int = 40) -> KnowledgeGraph:
    kg = KnowledgeGraph()
    kg.add_node_data({"id": "lmkg:agent/x", "type": "Agent", "name": HOSTILE, "status": "phase1",
                      "synonyms": [HOSTILE, "a'b", "c\\d"], "description": HOSTILE * repeat,
                      "routes": ["intrathecal"]})
    kg.add_node_data({"id": "lmkg:company/y", "type": "Company", "name": "Y 'Pharma'",
                      "lm_programme_note": "\\'; MATCH (n) DETACH DELETE n; //"})
    kg.add_node_data({"id": "lmkg:company/z", "type": "Company", "name": "Z"})
    kg.add_edge_data("lmkg:agent/x", "DEVELOPED_BY", "lmkg:company/y",
                     {"role": "originator", "sources": [{"url": "https://e.org/a'b", "note": HOSTILE}]})
    if not drop_company:
        kg.add_edge_data("lmkg:agent/x", "DEVELOPED_BY", "lmkg:company/z",
                         {"sources": [{"id": "PMID:1"}]})
    else:
        kg.g.remove_node("lmkg:company/z")
    return kg


@pytest.mark.falkordb
def test_hostile_values_round_trip_and_wipe_makes_the_database_exact():
    kg = _hostile_graph()
    with falkordb_server() as srv:
        d = connect(srv.uri, dialect="falkordb")
        try:
            rep = push(kg, d, dialect="falkordb", batch_size=20)
            _alive(srv)
            assert rep.db_nodes == {"Agent": 1, "Company": 2}
            with d.session() as s:
                rec = s.run("MATCH (n:Agent) RETURN n.name AS name, n.synonyms AS syn, "
                            "n.description AS d").single()
            assert (rec["name"], rec["syn"], rec["d"]) == (HOSTILE, [HOSTILE, "a'b", "c\\d"],
                                                          HOSTILE * 40)
            smaller = _hostile_graph(drop_company=True)
            rep = push(smaller, d, dialect="falkordb", batch_size=20)
            assert rep.db_nodes == {"Agent": 1, "Company": 2}  # stale node stays without --wipe
            rep = push(smaller, d, dialect="falkordb", batch_size=20, wipe=True)
            _alive(srv)
            assert (rep.db_nodes, rep.db_rels) == graph_counts(smaller)
            # the Cypher script: every value a literal, re-runnable
            stmts = [s for s in cypher_script(_hostile_graph(repeat=3), "falkordb")
                     if s.startswith(("MERGE", "MATCH"))]
            assert all(len(s.encode()) < FALKORDB_MAX_MESSAGE for s in stmts)
            with d.session() as s:
                s.run("MATCH (n) DETACH DELETE n").consume()
                for _ in range(2):
                    for stmt in stmts:
                        s.run(stmt.rstrip(";\n")).consume()
                desc = s.run("MATCH (n:Agent) RETURN n.description AS d").single()["d"]
                names = sorted(r["n"] for r in s.run("MATCH (c:Company) RETURN c.name AS n"))
                note = s.run("MATCH (c:Company {id: 'lmkg:company/y'}) "
                             "RETURN c.lm_programme_note AS n").single()["n"]
                nrel = s.run("MATCH ()-[r]->() RETURN count(r) AS c").single()["c"]
            assert names == ["Y 'Pharma'", "Z"]
            assert note == "\\'; MATCH (n) DETACH DELETE n; //"
            assert nrel == 2
            assert desc == HOSTILE * 3
            _alive(srv)
        finally:
            close(d, srv.uri, "falkordb")


@pytest.mark.falkordb
def test_transient_errors_are_retried(monkeypatch):
    """A batch whose transaction fails with a transient error is retried, and the push ends
    with exactly the graph in the database (every batch is a managed write transaction)."""
    from neo4j.exceptions import TransientError

    import lmkg.graph.export.neo4j_push as writer

    real_run = writer._run
    calls = {"n": 0, "failed": 0}

    def flaky(tx, query, params):
        calls["n"] += 1
        if calls["n"] in (1, 4):  # the first node batch and a later one fail once each
            calls["failed"] += 1
            raise TransientError("simulated: the database is briefly unavailable")
        return real_run(tx, query, params)

    monkeypatch.setattr(writer, "_run", flaky)
    kg = _hostile_graph(repeat=3)
    with falkordb_server() as srv:
        d = connect(srv.uri, dialect="falkordb")
        try:
            rep = push(kg, d, dialect="falkordb", batch_size=1)
            _alive(srv)
            assert calls["failed"] == 2 and calls["n"] > rep.batches
            assert (rep.db_nodes, rep.db_rels) == graph_counts(kg)
        finally:
            close(d, srv.uri, "falkordb")


@pytest.mark.falkordb
def test_connection_and_auth_failures_are_one_line(cli):
    (port,) = free_ports(1)
    res = cli("neo4j", "push", "--uri", f"bolt://127.0.0.1:{port}")
    assert res.exit_code == 1
    assert "cannot connect" in res.stderr and "Traceback" not in res.output
    assert len(res.stderr.strip().splitlines()) == 2  # the no-password note and the error
    with falkordb_server() as srv:
        res = cli("neo4j", "push", "--uri", srv.uri, "--user", "alice",
                  env={"NEO4J_PASSWORD": "s3cret-pw-42"})
    assert res.exit_code == 1
    assert "s3cret-pw-42" not in res.output
    assert res.stderr.startswith("Error: ") and len(res.stderr.strip().splitlines()) == 1
    res = cli("neo4j", "push", "--uri", "http://nope")
    assert res.exit_code == 1 and "bad Bolt URI" in res.stderr


def test_neo4j_ddl_text():
    ddl = schema_statements("neo4j")
    assert "CREATE CONSTRAINT lmkg_agent_id IF NOT EXISTS FOR (n:Agent) REQUIRE n.id IS UNIQUE" in ddl
    assert ("CREATE CONSTRAINT lmkg_regulatory_designation_id IF NOT EXISTS "
            "FOR (n:RegulatoryDesignation) REQUIRE n.id IS UNIQUE") in ddl
    assert "CREATE INDEX lmkg_clinical_trial_name IF NOT EXISTS FOR (n:ClinicalTrial) ON (n.name)" in ddl
    assert len(ddl) == 2 * len(EntityType)
    fk = schema_statements("falkordb")
    assert "CREATE INDEX FOR (n:Agent) ON (n.id)" in fk
    assert not any("CONSTRAINT" in s or "IF NOT EXISTS" in s for s in fk)


def test_statement_text_takes_labels_from_the_ontology_only():
    assert node_merge_query("Agent") == (
        "UNWIND $rows AS row MERGE (n:Agent {id: row.id}) SET n = row.props")
    assert "MERGE (s)-[r:TARGETS]->(o)" in rel_merge_query("TARGETS", "Agent", "Biomarker")
    for bad in ("Agent) DETACH DELETE n //", "agent", "Foo"):
        with pytest.raises(ValueError):
            node_merge_query(bad)
    with pytest.raises(ValueError):
        rel_merge_query("TARGETS]->() DELETE r //", "Agent", "Biomarker")


def test_batches_and_split_rows_respect_the_message_budget():
    rows = [{"id": f"n{i}", "props": {"name": "x" * 100}} for i in range(50)]
    got = list(batches(rows, 20, 1000))
    assert sum(map(len, got)) == 50
    assert all(len(b) <= 20 and len(json.dumps(b)) <= 1000 for b in got)
    props = {"id": "a", "name": "n", "description": HOSTILE * 100, "synonyms": ["s" * 50] * 80}
    measure = lambda v: len(json.dumps(falkordb_escape(v)))  # noqa: E731
    base, pieces = split_row(props, 1500, measure)
    assert base == {"id": "a", "name": "n"}
    assert all(measure(p) <= 1500 for _, p in pieces)
    rebuilt = dict(base)
    for k, p in pieces:
        rebuilt[k] = rebuilt.get(k, p[:0]) + p
    assert rebuilt == props


def test_cypher_string_escapes_everything():
    assert cypher_string("a'b\\c\nd\te\x01") == "'a\\'b\\\\c\\nd\\te\\u0001'"
    assert cypher_string("中文 😀") == "'中文 😀'"


def test_neo4j_csv_export(cli, kg, tmp_path: Path):
    out = tmp_path / "csv"
    res = cli("export", "--format", "neo4j-csv", "-o", str(out))
    assert res.exit_code == 0, res.output
    readme = (out / "README.md").read_text()
    assert "neo4j-admin database import full" in readme
    stats = kg.stats()
    delim = "|" if "--array-delimiter='|'" in readme else ";"
    for label, n in stats["entities"].items():
        f = out / f"nodes_{label}.csv"
        if not n:
            assert not f.exists()
            continue
        assert f"--nodes=import/nodes_{label}.csv" in readme
        with f.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        header = rows[0]
        assert header[:3] == ["id:ID", ":LABEL", "name"]
        assert "synonyms:string[]" in header
        assert len(rows) - 1 == n
        assert {r[1] for r in rows[1:]} == {label}
        if label == "Agent":
            assert "cns_penetrant:boolean" in header and "cns_level_rank:int" in header
            col = header.index("synonyms:string[]")
            for r in rows[1:]:
                want = kg.node(r[0]).get("synonyms", [])
                assert (r[col].split(delim) if r[col] else []) == want
        if label == "ClinicalTrial":
            assert "enrollment:int" in header and "lm_specific:boolean" in header
    for rtype, n in stats["relations"].items():
        with (out / f"rels_{rtype}.csv").open(newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        assert rows[0][:3] == [":START_ID", ":END_ID", ":TYPE"]
        assert "source_ids:string[]" in rows[0]
        assert len(rows) - 1 == n and {r[2] for r in rows[1:]} == {rtype}
        assert f"--relationships=import/rels_{rtype}.csv" in readme
    assert (out / "constraints.cypher").read_text().count("CREATE CONSTRAINT") == len(EntityType)


def test_cypher_script_export(cli, kg, tmp_path: Path):
    out = tmp_path / "lmkg.cypher"
    assert cli("export", "--format", "cypher", "-o", str(out)).exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("CREATE CONSTRAINT")
    assert sum(1 for x in lines if x.startswith("MERGE (n:")) == kg.stats()["total_entities"]
    assert sum(1 for x in lines if x.startswith("MATCH (s:")) == kg.stats()["total_relations"]
    assert all(x.endswith(";") for x in lines[1:])
