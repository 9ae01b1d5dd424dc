"""Attacks on the push: a killed push is marked unfinished in the database and ``lmkg neo4j
verify`` says so; a push is idempotent; a killed server is one line (issue 17, defect 12, and
the cases handled right before). On a real Bolt server (FalkorDB, started here)."""

from __future__ import annotations

import json
import signal
import time

import pytest

from support.falkordb import falkordb_server

from .conftest import lmkg, one_line_error, start_lmkg


@pytest.fixture
def bolt():
    with falkordb_server() as s:
        yield s


def _push(server, graph, *extra: str):
    return lmkg("neo4j", "push", "--uri", server.uri, "--dialect", "falkordb", "--batch-size",
                "20", "--graph", str(graph), *extra, timeout=300)


def _verify(server, graph, *extra: str):
    return lmkg("neo4j", "verify", "--uri", server.uri, "--dialect", "falkordb", "--graph",
                str(graph), *extra, timeout=120)


def test_verify_an_empty_database(bolt, mini_graph):
    r = _verify(bolt, mini_graph)
    assert r.code == 1 and one_line_error(r.stderr), r.text
    assert "no lmkg push is recorded in this database" in r.stderr
    assert "counts differ" in r.stderr


def test_push_then_verify_and_push_again_changes_nothing(bolt, mini_graph):
    first = _push(bolt, mini_graph, "--format", "json")
    assert first.code == 0, first.text
    r = _verify(bolt, mini_graph, "--format", "json")
    assert r.code == 0, r.text
    doc = json.loads(r.stdout)
    assert doc["ok"] and doc["problems"] == []
    assert doc["last_push"]["status"] == "finished" and doc["last_push"]["finished"]
    assert doc["last_push"]["graph_hash"] == doc["graph_hash"]
    second = _push(bolt, mini_graph, "--format", "json")
    assert json.loads(second.stdout)["counts"] == json.loads(first.stdout)["counts"]
    assert _verify(bolt, mini_graph).code == 0


def test_a_killed_push_is_seen_by_verify_and_completed_by_the_next(bolt, graph_file):
    p = start_lmkg("neo4j", "push", "--uri", bolt.uri, "--dialect", "falkordb", "--batch-size",
                   "20", "--wipe", "--graph", str(graph_file))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # kill it once it is writing
        line = p.stderr.readline().decode()
        if "nodes:" in line or "relationships:" in line:
            break
        assert p.poll() is None, line
    p.send_signal(signal.SIGKILL)
    p.wait()
    r = _verify(bolt, graph_file)
    assert r.code == 1 and one_line_error(r.stderr), r.text
    assert "did not finish (interrupted, or still running)" in r.stderr
    again = _push(bolt, graph_file)
    assert again.code == 0, again.text
    assert "the previous push" in again.stderr and "had not finished" in again.stderr
    r = _verify(bolt, graph_file)
    assert r.code == 0 and "holds exactly this graph" in r.stderr, r.text


def test_verify_names_a_database_holding_another_graph(bolt, mini_graph, graph_file):
    assert _push(bolt, mini_graph).code == 0
    r = _verify(bolt, graph_file, "--format", "json")
    assert r.code == 1
    doc = json.loads(r.stdout)
    assert any("was of another graph" in p for p in doc["problems"])
    assert any(p.startswith("counts differ") for p in doc["problems"])


def test_a_server_killed_during_the_push_is_one_line(bolt, graph_file):
    p = start_lmkg("neo4j", "push", "--uri", bolt.uri, "--dialect", "falkordb", "--batch-size",
                   "20", "--retry-seconds", "2", "--graph", str(graph_file))
    while True:
        line = p.stderr.readline().decode()
        if "nodes:" in line or not line:
            break
    bolt.proc.send_signal(signal.SIGKILL)
    _out, err = p.communicate(timeout=180)
    text = err.decode()
    assert p.returncode == 1 and one_line_error(text), text
    assert "Traceback" not in text
    assert "lost the connection" in text or "cannot connect" in text or "failed" in text
