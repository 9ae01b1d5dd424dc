"""The push marker and ``lmkg neo4j verify`` on a real Neo4j 5.26 (the session's scratch server,
tests/support/neo4j_server.py), with authentication on: a killed push is seen, the next one
completes it, the markers survive ``--wipe``, and the password is in no output (issue 17,
defects 7 and 12)."""

from __future__ import annotations

import json
import signal
import time

import neo4j
import pytest

from .conftest import lmkg, one_line_error, start_lmkg

pytestmark = pytest.mark.neo4j


@pytest.fixture
def scratch(neo4j_scratch):
    """The scratch server, emptied (nodes, constraints and indexes)."""
    with neo4j.GraphDatabase.driver(neo4j_scratch.uri, auth=neo4j_scratch.auth) as d, \
            d.session() as s:
        s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS").consume()
        for rec in list(s.run("SHOW CONSTRAINTS YIELD name")):
            s.run(f"DROP CONSTRAINT `{rec['name']}`").consume()
        for rec in list(s.run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP'")):
            s.run(f"DROP INDEX `{rec['name']}`").consume()
    return neo4j_scratch


def _env(server) -> dict[str, str]:
    return {"NEO4J_PASSWORD": server.password}


def _markers(server) -> list[dict]:
    with neo4j.GraphDatabase.driver(server.uri, auth=server.auth) as d, d.session() as s:
        return [dict(r["m"]) for r in s.run("MATCH (m:LmkgPush) RETURN m ORDER BY m.started")]


def test_neo4j_push_is_marked_and_verified(scratch, mini_graph):
    r = lmkg("neo4j", "verify", "--uri", scratch.uri, "--graph", str(mini_graph), env=_env(scratch))
    assert r.code == 1 and "no lmkg push is recorded" in r.stderr and one_line_error(r.stderr)
    r = lmkg("neo4j", "push", "--uri", scratch.uri, "--graph", str(mini_graph), env=_env(scratch))
    assert r.code == 0, r.text
    (m,) = _markers(scratch)
    assert m["status"] == "finished" and m["finished"] >= m["started"]
    assert json.loads(m["counts_json"]) == json.loads(m["database_counts_json"])
    r = lmkg("neo4j", "verify", "--uri", scratch.uri, "--graph", str(mini_graph), "--format",
             "json", env=_env(scratch))
    assert r.code == 0 and json.loads(r.stdout)["ok"] is True, r.text
    r = lmkg("neo4j", "push", "--uri", scratch.uri, "--graph", str(mini_graph), "--wipe",
             env=_env(scratch))
    assert r.code == 0 and len(_markers(scratch)) == 2  # --wipe leaves the history
    assert scratch.password not in r.text


def test_a_killed_neo4j_push_is_seen_and_completed(scratch, graph_file):
    p = start_lmkg("neo4j", "push", "--uri", scratch.uri, "--batch-size", "50", "--graph",
                   str(graph_file), env=_env(scratch))
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        line = p.stderr.readline().decode()
        if "nodes:" in line or "relationships:" in line:
            break
        assert p.poll() is None, line
    p.send_signal(signal.SIGKILL)
    p.wait()
    assert [m["status"] for m in _markers(scratch)] == ["running"]
    r = lmkg("neo4j", "verify", "--uri", scratch.uri, "--graph", str(graph_file),
             env=_env(scratch))
    assert r.code == 1 and one_line_error(r.stderr), r.text
    assert "did not finish" in r.stderr
    r = lmkg("neo4j", "push", "--uri", scratch.uri, "--graph", str(graph_file), env=_env(scratch),
             timeout=300)
    assert r.code == 0 and "had not finished" in r.stderr, r.text
    r = lmkg("neo4j", "verify", "--uri", scratch.uri, "--graph", str(graph_file),
             env=_env(scratch))
    assert r.code == 0 and "holds exactly this graph" in r.stderr, r.text


def test_a_wrong_password_or_a_password_in_the_uri_is_in_no_output(scratch, mini_graph):
    r = lmkg("neo4j", "push", "--uri", scratch.uri, "--graph", str(mini_graph),
             env={"NEO4J_PASSWORD": "Wr0ng-Secret-99"})
    assert r.code == 1 and one_line_error(r.stderr) and "Wr0ng-Secret-99" not in r.text
    uri = scratch.uri.replace("bolt://", f"bolt://neo4j:{scratch.password}@")
    r = lmkg("neo4j", "verify", "--uri", uri, "--graph", str(mini_graph))
    assert r.code == 1 and one_line_error(r.stderr) and scratch.password not in r.text
