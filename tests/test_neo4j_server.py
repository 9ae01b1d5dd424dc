"""The Neo4j path on a real Neo4j 5.26 server that the fixtures start (tests/support/neo4j_server.py):
push (schema first), idempotent re-push, --wipe, counts, transient-error retry, failures that
exit 1 with one line and no password, the cookbook of docs/cypher.md on Neo4j against
``lmkg cypher``, and the neo4j-csv export bulk-imported with Neo4j's own ``neo4j-admin``."""

from __future__ import annotations

import itertools
import json
import logging
import re
import shlex
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import neo4j
import networkx as nx
import pytest
from click.testing import CliRunner
from cookbook import NAMES, doc_queries, expected, normalise, params

from lmkg.graph import KnowledgeGraph
from lmkg.graph.export import neo4j_push as writer
from lmkg.graph.export.cypher_script import cypher_script
from lmkg.graph.export.neo4j_csv import TESTED_NEO4J
from lmkg.graph.export.neo4j_push import database_counts, push
from lmkg.graph.export.neo4j_statements import graph_counts, node_rows, rel_rows, schema_statements
from lmkg.ontology import EntityType
from support.falkordb import free_ports
from support.neo4j_server import NEO4J_VERSION, TEST_JVM_ARGS, TEST_PASSWORD, neo4j_admin

pytestmark = pytest.mark.neo4j

HOSTILE = ("it's a \"test\" \\ back\\slash\nnew line\ttab \x01 é 中文 😀 "
           "'}) DETACH DELETE n //")
WRONG_PASSWORD = "not-the-Pw-7781"


def _lmkg(graph_file: Path, *args: str, env: dict[str, str] | None = None):
    from lmkg.cli import cli as group

    return CliRunner().invoke(group, list(args), catch_exceptions=False,
                              env={"LMKG_GRAPH": str(graph_file), **(env or {})})


def _driver(server) -> neo4j.Driver:
    return neo4j.GraphDatabase.driver(server.uri, auth=server.auth)


def _clear(server) -> None:
    """An empty database: no nodes, no constraints, no indexes but Neo4j's token lookups."""
    with _driver(server) as d, d.session() as s:
        s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS").consume()
        for rec in list(s.run("SHOW CONSTRAINTS YIELD name")):
            s.run(f"DROP CONSTRAINT `{rec['name']}`").consume()
        for rec in list(s.run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP'")):
            s.run(f"DROP INDEX `{rec['name']}`").consume()


def _plain(value: Any) -> Any:
    """Neo4j values as ``lmkg cypher --format json`` prints the embedded engine's."""
    if isinstance(value, neo4j.graph.Node):
        (label,) = value.labels
        return {"_label": label, **{k: _plain(v) for k, v in value.items()}}
    if isinstance(value, neo4j.graph.Relationship):
        return {"_label": value.type, **{k: _plain(v) for k, v in value.items()}}
    if isinstance(value, neo4j.graph.Path):
        return {"nodes": [_plain(n) for n in value.nodes],
                "rels": [_plain(r) for r in value.relationships]}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _neo4j_rows(server, query: str, p: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    with _driver(server) as d, d.session() as s:
        res = s.run(query, p)
        keys = list(res.keys())
        return keys, [[_plain(v) for v in rec.values()] for rec in res]


def _all_nodes(server) -> dict[str, tuple[str, dict[str, Any]]]:
    with _driver(server) as d, d.session() as s:
        return {rec["n"]["id"]: (next(iter(rec["n"].labels)), dict(rec["n"]))
                # The push markers (:LmkgPush, docs/cypher.md) are not part of the graph.
                for rec in s.run("MATCH (n) WHERE NOT n:LmkgPush RETURN n")}


def _all_rels(server) -> dict[tuple[str, str, str, str | None], dict[str, Any]]:
    """(start id, type, end id, key) -> properties; ``key`` tells apart the relationships of
    one type between one pair (PREDICTS_RESPONSE), None for the other verbs."""
    with _driver(server) as d, d.session() as s:
        out = {}
        for rec in s.run("MATCH (s)-[r]->(o) RETURN s.id AS s, type(r) AS t, o.id AS o, "
                         "properties(r) AS p"):
            key = (rec["s"], rec["t"], rec["o"], rec["p"].get("key"))
            assert key not in out, f"duplicate relationship {key}"
            out[key] = rec["p"]
        return out


def _counts(server) -> tuple[dict[str, int], dict[str, int]]:
    with _driver(server) as d, d.session() as s:
        return database_counts(s)


# -- the server ---------------------------------------------------------------------------------
def test_the_server_is_neo4j_with_authentication_on(neo4j_server):
    with _driver(neo4j_server) as d, d.session() as s:
        comps = s.run("CALL dbms.components() YIELD name, versions, edition "
                      "RETURN name, versions, edition").data()
        dbs = {r["name"] for r in s.run("SHOW DATABASES YIELD name")}
    assert comps == [{"name": "Neo4j Kernel", "versions": [NEO4J_VERSION],
                      "edition": "community"}]
    assert NEO4J_VERSION.startswith(TESTED_NEO4J)
    assert {"neo4j", "system"} <= dbs
    assert re.fullmatch(r"bolt://127\.0\.0\.1:\d+", neo4j_server.uri)
    with neo4j.GraphDatabase.driver(neo4j_server.uri, auth=None) as d, \
            pytest.raises(neo4j.exceptions.AuthError):
        d.verify_connectivity()


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only its parent's reaping is left


def test_no_jvm_outlives_a_killed_test_process(tmp_path):
    """The launcher's JVM stops its servers and exits when the process that started it dies
    without cleaning up (SIGKILL): it reads its commands from a pipe that then closes."""
    script = (f"import sys, time\nsys.path.insert(0, {str(Path(__file__).parent)!r})\n"
              "from support.neo4j_server import TEST_JVM_ARGS, Neo4jLauncher\n"
              f"launcher = Neo4jLauncher(work_dir={str(tmp_path)!r}, heap='512m', "
              "jvm_args=TEST_JVM_ARGS)\n"
              "server = launcher.start('orphan')\n"
              "print(launcher.proc.pid, server.uri, flush=True)\n"
              "time.sleep(600)\n")
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        pid_text, uri = proc.stdout.readline().split()
        jvm = int(pid_text)
        with neo4j.GraphDatabase.driver(uri, auth=("neo4j", TEST_PASSWORD)) as d:
            d.verify_connectivity()
        assert _running(jvm)
    finally:
        proc.kill()
        proc.wait()
    deadline = time.monotonic() + 60
    while _running(jvm) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _running(jvm), f"the Neo4j JVM {jvm} outlived its test process"
    with neo4j.GraphDatabase.driver(uri, auth=("neo4j", TEST_PASSWORD)) as d, \
            pytest.raises(neo4j.exceptions.ServiceUnavailable):
        d.verify_connectivity()


# -- push ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pushed(neo4j_server, graph_file):
    """The curated graph pushed twice with ``lmkg neo4j push`` into an empty database."""
    _clear(neo4j_server)
    reports = []
    for _ in range(2):
        res = _lmkg(graph_file, "neo4j", "push", "--uri", neo4j_server.uri, "--user", "neo4j",
                    "--format", "json", env={"NEO4J_PASSWORD": neo4j_server.password})
        assert res.exit_code == 0, res.output
        assert neo4j_server.password not in res.output
        reports.append(json.loads(res.stdout))
    return reports


def _by_kind(report: dict) -> tuple[dict[str, int], dict[str, int]]:
    nodes = {r["name"]: r["database"] for r in report["counts"] if r["kind"] == "node"}
    rels = {r["name"]: r["database"] for r in report["counts"] if r["kind"] == "relationship"}
    return nodes, rels


def test_push_twice_gives_the_graphs_counts(pushed, neo4j_server, kg):
    want = graph_counts(kg)
    for report in pushed:
        assert _by_kind(report) == want
        assert all(r["graph"] == r["database"] for r in report["counts"])
    assert pushed[0]["counts"] == pushed[1]["counts"]
    assert _counts(neo4j_server) == want
    with _driver(neo4j_server) as d, d.session() as s:
        total_n = s.run("MATCH (n) WHERE NOT n:LmkgPush RETURN count(n) AS c").single()["c"]
        total_r = s.run("MATCH ()-[r]->() RETURN count(r) AS c").single()["c"]
    assert (total_n, total_r) == (kg.g.number_of_nodes(), kg.g.number_of_edges())


def test_pushed_database_holds_every_property_of_the_graph(pushed, neo4j_server, kg):
    nodes = _all_nodes(neo4j_server)
    want_nodes = {r["id"]: (label, {"id": r["id"], **r["props"]})
                  for label, rows in node_rows(kg).items() for r in rows}
    assert nodes == want_nodes
    want_rels = {(r["s"], rtype, r["o"], r.get("key")): r["props"]
                 for (rtype, _, _), rows in rel_rows(kg).items() for r in rows}
    assert _all_rels(neo4j_server) == want_rels
    # spot checks an analyst would make
    osi = nodes["lmkg:agent/osimertinib"][1]
    assert osi["name"] == "osimertinib" and osi["cns_penetrant"] is True
    assert isinstance(osi["cns_level_rank"], int) and osi["cns_level_rank"] >= 1


def test_push_creates_neo4j_5_constraints_and_indexes(pushed, neo4j_server):
    with _driver(neo4j_server) as d, d.session() as s:
        cons = {r["name"]: r for r in s.run(
            "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties")}
        idx = {r["name"]: r for r in s.run(
            "SHOW INDEXES YIELD name, type, labelsOrTypes, properties, state")}
    for label in EntityType.values():
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", label).lower()
        c = cons[f"lmkg_{snake}_id"]
        assert (c["type"], c["labelsOrTypes"], c["properties"]) == ("UNIQUENESS", [label], ["id"])
        i = idx[f"lmkg_{snake}_name"]
        assert (i["type"], i["labelsOrTypes"], i["properties"], i["state"]) == (
            "RANGE", [label], ["name"], "ONLINE")


class _Recorder:
    """A driver stand-in that records every statement the push sends, in order."""

    def __init__(self, driver: neo4j.Driver) -> None:
        self.driver, self.queries = driver, []

    def session(self, **kw):
        return _RecordingSession(self.driver.session(**kw), self.queries)


class _RecordingSession:
    def __init__(self, session, queries: list[str]) -> None:
        self.s, self.queries = session, queries

    def __enter__(self):
        self.s.__enter__()
        return self

    def __exit__(self, *exc):
        return self.s.__exit__(*exc)

    def run(self, query, *a, **kw):
        self.queries.append(query)
        return self.s.run(query, *a, **kw)

    def close(self):
        self.s.close()

    def execute_write(self, fn, *a, **kw):
        queries = self.queries

        class Tx:
            def __init__(self, tx) -> None:
                self.tx = tx

            def run(self, query, *aa, **kk):
                queries.append(query)
                return self.tx.run(query, *aa, **kk)

        return self.s.execute_write(lambda tx, *aa, **kk: fn(Tx(tx), *aa, **kk), *a, **kw)


def _hostile_graph(drop_company: bool = False, repeat: int = 40) -> KnowledgeGraph:
    kg = KnowledgeGraph()
    kg.add_node_data({"id": "lmkg:agent/x", "type": "Agent", "name": HOSTILE, "status": "phase1",
                      "synonyms": [HOSTILE, "a'b", "c\\d", ""], "description": HOSTILE * repeat,
                      "routes": ["intrathecal"]})
    kg.add_node_data({"id": "lmkg:company/y", "type": "Company", "name": "Y 'Pharma'",
                      "lm_programme_note": "\\'; MATCH (n) DETACH DELETE n; //"})
    kg.add_node_data({"id": "lmkg:company/z", "type": "Company", "name": "Z"})
    kg.add_edge_data("lmkg:agent/x", "DEVELOPED_BY", "lmkg:company/y",
                     {"role": "originator",
                      "sources": [{"url": "https://e.org/a'b", "note": HOSTILE}]})
    if not drop_company:
        kg.add_edge_data("lmkg:agent/x", "DEVELOPED_BY", "lmkg:company/z",
                         {"sources": [{"id": "PMID:1"}]})
    else:
        kg.g.remove_node("lmkg:company/z")
    return kg


def test_schema_goes_first_and_hostile_values_round_trip(neo4j_scratch):
    _clear(neo4j_scratch)
    kg = _hostile_graph()
    with _driver(neo4j_scratch) as d:
        rec = _Recorder(d)
        rep = push(kg, rec, batch_size=1)
    ddl = [i for i, q in enumerate(rec.queries) if q.startswith("CREATE ")]
    writes = [i for i, q in enumerate(rec.queries) if q.startswith("UNWIND ")]
    assert [rec.queries[i] for i in ddl] == schema_statements("neo4j")
    assert writes and max(ddl) < min(writes)
    assert (rep.db_nodes, rep.db_rels) == graph_counts(kg)
    nodes = _all_nodes(neo4j_scratch)
    agent = nodes["lmkg:agent/x"][1]
    assert agent["name"] == HOSTILE and agent["description"] == HOSTILE * 40
    assert agent["synonyms"] == [HOSTILE, "a'b", "c\\d", ""]
    assert nodes["lmkg:company/y"][1]["lm_programme_note"] == "\\'; MATCH (n) DETACH DELETE n; //"
    rels = _all_rels(neo4j_scratch)
    assert json.loads(rels[("lmkg:agent/x", "DEVELOPED_BY", "lmkg:company/y", None)]["sources_json"]) \
        == [{"url": "https://e.org/a'b", "note": HOSTILE}]


def test_cypher_script_runs_on_neo4j_and_reruns_to_the_same_graph(neo4j_scratch):
    _clear(neo4j_scratch)
    kg = _hostile_graph(repeat=3)
    statements = [s.rstrip().removesuffix(";") for s in cypher_script(kg, "neo4j")
                  if not s.startswith("//")]
    with _driver(neo4j_scratch) as d, d.session() as s:
        for _ in range(2):
            for stmt in statements:
                s.run(stmt).consume()
    assert _counts(neo4j_scratch) == graph_counts(kg)
    want = {r["id"]: (label, {"id": r["id"], **r["props"]})
            for label, rows in node_rows(kg).items() for r in rows}
    assert _all_nodes(neo4j_scratch) == want


def test_wipe_makes_the_database_hold_exactly_the_graph(neo4j_scratch, tmp_path):
    from lmkg.graph import save_graph

    _clear(neo4j_scratch)
    with _driver(neo4j_scratch) as d, d.session() as s:
        s.run("CREATE (:Other {keep: true})").consume()  # not an lmkg label: --wipe leaves it
    env = {"NEO4J_PASSWORD": neo4j_scratch.password}
    big, small = tmp_path / "big.json", tmp_path / "small.json"
    save_graph(_hostile_graph(), big)
    save_graph(_hostile_graph(drop_company=True), small)
    args = ["neo4j", "push", "--uri", neo4j_scratch.uri, "--format", "json"]
    assert _lmkg(big, *args, env=env).exit_code == 0
    res = _lmkg(small, *args, env=env)
    assert res.exit_code == 0
    nodes, rels = _by_kind(json.loads(res.stdout))
    assert nodes == {"Agent": 1, "Company": 2} and rels == {"DEVELOPED_BY": 2}  # stale ones stay
    assert "push with --wipe" in res.stderr
    res = _lmkg(small, *args, "--wipe", env=env)
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["deleted"] == 3
    assert _by_kind(report) == graph_counts(_hostile_graph(drop_company=True))
    assert _counts(neo4j_scratch) == ({"Agent": 1, "Company": 1}, {"DEVELOPED_BY": 1})
    with _driver(neo4j_scratch) as d, d.session() as s:
        assert s.run("MATCH (n:Other) RETURN n.keep AS k").single()["k"] is True
        assert s.run("MATCH (n) WHERE NOT n:LmkgPush RETURN count(n) AS c").single()["c"] == 3
        assert s.run("MATCH (m:LmkgPush) RETURN count(m) AS c").single()["c"] == 3  # 3 pushes


def test_a_transient_lock_timeout_is_retried_until_the_push_succeeds(neo4j_scratch,
                                                                     monkeypatch):
    """A real Neo4j transient error: another transaction holds the lock on a node the push
    writes; the scratch server fails the waiting transaction after 1 s with
    Neo.TransientError.Transaction.LockAcquisitionTimeout; the driver retries the batch, and
    once the lock is released the push ends with exactly the graph in the database."""
    _clear(neo4j_scratch)
    first = _hostile_graph(repeat=1)
    with _driver(neo4j_scratch) as d:
        push(first, d)
    changed = _hostile_graph(repeat=2)
    failures: list[str] = []
    real_run = writer._run

    def observed(tx, query, p):  # the real call, watched: it fails for real, we only record
        try:
            return real_run(tx, query, p)
        except neo4j.exceptions.TransientError as exc:
            failures.append(exc.code)
            raise

    monkeypatch.setattr(writer, "_run", observed)
    with _driver(neo4j_scratch) as blocker, _driver(neo4j_scratch) as d:
        session = blocker.session()
        tx = session.begin_transaction()
        tx.run("MATCH (a:Agent {id: 'lmkg:agent/x'}) SET a.held = true").consume()
        release = threading.Timer(3.5, lambda: (tx.rollback(), session.close()))
        release.start()
        try:
            rep = push(changed, d, batch_size=1)
        finally:
            release.join()
    assert failures and set(failures) == {"Neo.TransientError.Transaction.LockAcquisitionTimeout"}
    assert rep.retries == len(failures)
    assert (rep.db_nodes, rep.db_rels) == graph_counts(changed)
    agent = _all_nodes(neo4j_scratch)["lmkg:agent/x"][1]
    assert agent["description"] == HOSTILE * 2 and "held" not in agent


# -- failures: one line, exit 1, no password anywhere -----------------------------------------
def _one_error_line(res) -> str:
    assert res.exit_code == 1
    assert "Traceback" not in res.output
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


def test_wrong_password_exits_1_with_one_line_and_no_password(neo4j_server, cli, caplog):
    caplog.set_level(logging.DEBUG, logger="neo4j")
    res = cli("neo4j", "push", "--uri", neo4j_server.uri, "--user", "neo4j",
              env={"NEO4J_PASSWORD": WRONG_PASSWORD})
    line = _one_error_line(res)
    assert line == (f"Error: authentication failed for user 'neo4j' at {neo4j_server.uri} "
                    f"(check NEO4J_PASSWORD)")
    assert caplog.records, "the driver's debug log was not captured"
    for text in (res.output, res.stderr, caplog.text, neo4j_server.log_text()):
        assert WRONG_PASSWORD not in text
        assert neo4j_server.password not in text


def test_wrong_password_in_a_real_process(neo4j_server, graph_file):
    env = {"PATH": "/usr/bin:/bin", "LMKG_GRAPH": str(graph_file),
           "NEO4J_PASSWORD": WRONG_PASSWORD}
    res = subprocess.run([sys.executable, "-m", "lmkg", "neo4j", "push", "--uri",
                          neo4j_server.uri], capture_output=True, text=True, env=env,
                         timeout=120, check=False)
    assert res.returncode == 1
    assert res.stdout == ""
    assert res.stderr.strip().splitlines() == [
        f"Error: authentication failed for user 'neo4j' at {neo4j_server.uri} "
        f"(check NEO4J_PASSWORD)"]
    assert WRONG_PASSWORD not in res.stderr


def test_wrong_database_exits_1_with_one_line(neo4j_server, cli, caplog):
    caplog.set_level(logging.DEBUG, logger="neo4j")
    res = cli("neo4j", "push", "--uri", neo4j_server.uri, "--database", "nosuchdb",
              env={"NEO4J_PASSWORD": neo4j_server.password})
    line = _one_error_line(res)
    assert line == (f"Error: database 'nosuchdb' does not exist at {neo4j_server.uri} "
                    f"(SHOW DATABASES lists the server's databases)")
    for text in (res.output, caplog.text, neo4j_server.log_text()):
        assert neo4j_server.password not in text


def test_refused_connection_exits_1_with_one_line(cli, caplog):
    caplog.set_level(logging.DEBUG, logger="neo4j")
    (port,) = free_ports(1)
    uri = f"bolt://127.0.0.1:{port}"
    res = cli("neo4j", "push", "--uri", uri, env={"NEO4J_PASSWORD": WRONG_PASSWORD})
    line = _one_error_line(res)
    assert line.startswith(f"Error: cannot connect to {uri}: ")
    assert WRONG_PASSWORD not in res.output and WRONG_PASSWORD not in caplog.text


# -- the cookbook: Neo4j against `lmkg cypher` --------------------------------------------------
def _desc_then(rows: list[list[Any]], desc: int, asc: int) -> list[list[Any]]:
    return sorted(sorted(rows, key=lambda r: r[asc]), key=lambda r: r[desc], reverse=True)


_ORDER = {  # each cookbook query's ORDER BY, as a function sorting its rows (stable sorts)
    "cns-penetrant-agents": lambda rows: sorted(rows, key=lambda r: (-r[2], r[0])),
    "lm-designations": lambda rows: sorted(
        rows, key=lambda r: (r[0], r[1], r[3], (r[4] is None, r[4] or ""))),
    "lm-trials-by-phase-sponsor": lambda rows: sorted(rows, key=lambda r: (r[0], r[1])),
    "company-pipeline": lambda rows: sorted(rows, key=lambda r: r[0]),
    "predictive-associations": lambda rows: _desc_then(rows, desc=1, asc=0),
}


def _check_path(kg: KnowledgeGraph, p: dict[str, str], row: list[Any]) -> None:
    hops, path = row
    ids = [n["id"] for n in path]
    assert len(ids) == hops + 1 and ids[0] == p["agent"] and ids[-1] == p["cancer"]
    und = kg.g.to_undirected(as_view=True)
    assert all(und.has_edge(a, b) for a, b in itertools.pairwise(ids))
    assert hops == nx.shortest_path_length(und, p["agent"], p["cancer"])
    for node in path:  # the whole node, as the graph holds it
        want = next(r for r in node_rows(kg)[node["_label"]] if r["id"] == node["id"])
        assert node == {"_label": node["_label"], "id": node["id"], **want["props"]}


def _embedded_rows(cli, query: str, p: dict[str, Any], keys: list[str]) -> list[list[Any]]:
    args = [x for k, v in p.items() for x in ("-p", f"{k}={v}")]
    res = cli("cypher", query, *args, "--format", "json")
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert all(list(r) == keys for r in rows)
    return [[r[k] for k in keys] for r in rows]


@pytest.mark.parametrize("name", NAMES)
def test_cookbook_rows_equal_on_neo4j_and_lmkg_cypher(name, pushed, neo4j_server, cli, kg):
    query = doc_queries("cypher.md", "cypher")[name]
    p = params(kg)[name]
    keys, neo_rows = _neo4j_rows(neo4j_server, query, p)
    emb_rows = _embedded_rows(cli, query, p, keys)
    want = expected(kg, name, p)
    assert want, f"the shipped graph gives no answer to {name}"
    assert normalise(name, neo_rows) == want
    assert normalise(name, emb_rows) == want
    if name == "shortest-path":  # one of possibly several shortest paths: each must be one
        _check_path(kg, p, neo_rows[0])
        _check_path(kg, p, emb_rows[0])
        return
    dumps = lambda rows: sorted(json.dumps(r, sort_keys=True) for r in rows)  # noqa: E731
    assert dumps(neo_rows) == dumps(emb_rows)  # every column, every row
    for rows in (neo_rows, emb_rows):  # both honour the ORDER BY
        assert rows == _ORDER[name](rows)


# -- bulk import with Neo4j's own importer ------------------------------------------------------
def _readme_command(readme: str) -> list[str]:
    m = re.search(r"```sh\n(neo4j-admin database import full .*?)\n```", readme, flags=re.S)
    assert m, "the import README gives no neo4j-admin command"
    return shlex.split(m.group(1).replace("\\\n", " "))


@pytest.fixture(scope="module")
def imported(neo4j_launcher, graph_file, tmp_path_factory):
    """``lmkg export --format neo4j-csv``, imported as its README says into a fresh DBMS home
    with ``neo4j-admin database import full``, then opened by a Neo4j server; the README's
    constraints script is run on it."""
    tmp = tmp_path_factory.mktemp("bulk")
    out = tmp / "neo4j-csv"
    res = _lmkg(graph_file, "export", "--format", "neo4j-csv", "-o", str(out))
    assert res.exit_code == 0, res.output
    readme = (out / "README.md").read_text(encoding="utf-8")
    home = tmp / "dbms"
    shutil.copytree(out, home / "import")  # "copy this folder's files into import/"
    args = _readme_command(readme)
    assert args[0] == "neo4j-admin"
    run = neo4j_admin(home, args[1:], jvm_args=TEST_JVM_ARGS)
    assert run.returncode == 0, run.output[-3000:]
    server = neo4j_launcher.start("imported", from_home=home)
    try:
        script = (home / "import" / "constraints.cypher").read_text(encoding="utf-8")
        with _driver(server) as d, d.session() as s:
            for stmt in script.split(";"):
                stmt = "\n".join(x for x in stmt.splitlines() if not x.startswith("//"))
                if stmt.strip():
                    s.run(stmt).consume()
            s.run("CALL db.awaitIndexes(300)").consume()
        yield {"run": run, "server": server, "home": home, "readme": readme, "args": args}
    finally:
        neo4j_launcher.stop("imported")


def test_bulk_import_reports_no_bad_entries(imported, kg):
    run, home = imported["run"], imported["home"]
    n, r = kg.g.number_of_nodes(), kg.g.number_of_edges()
    assert "IMPORT DONE" in run.output
    assert re.search(rf"Imported:\s+{n} nodes\s+{r} relationships", run.output), run.output[-800:]
    report = home / "import.report"  # neo4j-admin's --report-file default, in the DBMS home
    assert report.exists() and report.read_text(encoding="utf-8") == ""


def test_imported_database_equals_the_pushed_one(imported, pushed, neo4j_server, kg):
    server = imported["server"]
    assert _counts(server) == _counts(neo4j_server) == graph_counts(kg)
    assert _all_nodes(server) == _all_nodes(neo4j_server)
    assert _all_rels(server) == _all_rels(neo4j_server)
    with _driver(server) as d, d.session() as s:
        cons = {r["name"] for r in s.run("SHOW CONSTRAINTS YIELD name")}
    assert cons == {s.split()[2] for s in schema_statements("neo4j") if "CONSTRAINT" in s}


@pytest.mark.parametrize("name", NAMES)
def test_cookbook_rows_equal_on_imported_and_pushed(name, imported, pushed, neo4j_server, kg):
    query = doc_queries("cypher.md", "cypher")[name]
    p = params(kg)[name]
    keys, got = _neo4j_rows(imported["server"], query, p)
    keys2, want = _neo4j_rows(neo4j_server, query, p)
    assert keys == keys2
    assert normalise(name, got) == expected(kg, name, p)
    if name == "shortest-path":
        _check_path(kg, p, got[0])
    else:
        assert sorted(map(json.dumps, got)) == sorted(map(json.dumps, want))
        assert got == _ORDER[name](got)


def test_import_readme_states_the_tested_command(imported):
    readme, args = imported["readme"], imported["args"]
    assert args[:4] == ["neo4j-admin", "database", "import", "full"]
    assert args[-1] == "neo4j"
    assert f"Tested with Neo4j {TESTED_NEO4J}" in readme
    assert "import/constraints.cypher" in readme
