"""Attacks on what lmkg prints: control characters that reach a graph file anyway (a
hand-edited file, an old build) are escaped in every table, JSON and CSV; secrets never appear
(issue 17, defects 6 and 7)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from lmkg.cli import cli as group
from lmkg.cli.common import printable, redact

from .conftest import lmkg, one_line_error

# What must never reach a terminal raw (UTF-8 bytes): ESC, BEL, NUL, DEL, C1 CSI, RTL
# override, zero-width space, line separator.
RAW = [b"\x1b", b"\x07", b"\x00", b"\x7f", "\u009b".encode(), "\u202e".encode(),
       "\u200b".encode(), "\u2028".encode()]
HOSTILE_NAME = "evil\x1b]0;pwned\x07\x1b[2J\u202egnp.exe\u200b\x00\x7f\u009b\u2028agent"
HOSTILE_TEXT = "descr\x1b[31mred\x1b[0m\u202eiloveyou"


@pytest.fixture(scope="module")
def hostile_graph(tmp_path_factory) -> Path:
    """A saved graph whose names carry control characters (validation was bypassed by editing
    the file by hand, as an attacker or an old lmkg could)."""
    from .conftest import MINI

    d = tmp_path_factory.mktemp("hostile")
    (d / "data").mkdir()
    (d / "data" / "data.yaml").write_text(MINI)
    r = CliRunner().invoke(group, ["build", "--data", str(d / "data"), "-o", str(d / "g.json")],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    doc = json.loads((d / "g.json").read_text())
    for n in doc["nodes"]:
        if n["id"] == "lmkg:agent/testagent":
            n["name"] = HOSTILE_NAME
            n["synonyms"] = [HOSTILE_NAME + "2"]
            n["description"] = HOSTILE_TEXT
        if n["id"] == "lmkg:biomarker/testgene-mut":
            n["name"] = "TESTGENE \x1b[5mmutation"
    (d / "g.json").write_text(json.dumps(doc))
    return d / "g.json"


OUTPUTS = [
    ("show-table", ["show", "lmkg:agent/testagent"]),
    ("show-json", ["show", "lmkg:agent/testagent", "--format", "json"]),
    ("agents-table", ["agents", "-b", "TESTGENE"]),
    ("agents-json", ["agents", "-b", "TESTGENE", "--format", "json"]),
    ("agents-csv", ["agents", "-b", "TESTGENE", "--format", "csv"]),
    ("neighbours-table", ["neighbours", "lmkg:gene/testgene", "--depth", "2"]),
    ("neighbours-csv", ["neighbours", "lmkg:gene/testgene", "--depth", "2", "--format", "csv"]),
    ("landscape-biomarker", ["landscape", "--by", "biomarker"]),
    ("landscape-json", ["landscape", "--by", "biomarker", "--format", "json"]),
    ("landscape-phase", ["landscape", "--by", "phase"]),
    ("path-table", ["path", "lmkg:agent/testagent", "lmkg:gene/testgene"]),
    ("path-json", ["path", "lmkg:agent/testagent", "lmkg:gene/testgene", "--format", "json"]),
    ("cypher-table", ["cypher", "MATCH (a:Agent) RETURN a.name, a.description, a.synonyms"]),
    ("cypher-json", ["cypher", "MATCH (a:Agent) RETURN a.name", "--format", "json"]),
    ("cypher-csv", ["cypher", "MATCH (a:Agent) RETURN a.name", "--format", "csv"]),
    ("sparql-table", ["sparql", "SELECT ?n WHERE { ?a a lmkgs:Agent ; rdfs:label ?n }"]),
    ("sparql-json", ["sparql", "SELECT ?n WHERE { ?a a lmkgs:Agent ; rdfs:label ?n }",
                     "--format", "json"]),
    ("unknown-name-error", ["show", "\x1b]0;pwned\x07\u202e"]),
]


@pytest.mark.parametrize(("name", "args"), OUTPUTS, ids=[o[0] for o in OUTPUTS])
def test_no_control_character_reaches_the_terminal(name, args, hostile_graph):
    r = CliRunner().invoke(group, [*args, "--graph", str(hostile_graph)],
                           env={"COLUMNS": "100"}, catch_exceptions=False)
    out = r.stdout_bytes + r.stderr_bytes
    assert [c for c in RAW if c in out] == [], out[:400]
    if name == "unknown-name-error":
        assert r.exit_code == 1 and "\\x1b" in r.output and "\\u202e" in r.output
        return
    assert r.exit_code == 0, r.output
    if name.endswith("json"):  # escaped as \uXXXX: the JSON holds exactly the data
        texts = list(_strings(json.loads(r.stdout)))
        assert any(HOSTILE_NAME in t or "TESTGENE \x1b[5m" in t for t in texts), texts
    else:
        assert "\\x1b" in r.output  # shown, visibly, not hidden


def _strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, dict):
        for x in v.values():
            yield from _strings(x)
    elif isinstance(v, list):
        for x in v:
            yield from _strings(x)


def test_printable_escapes_and_keeps():
    assert printable("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert printable("x\u202ey\u200bz") == "x\\u202ey\\u200bz"
    assert printable("tést 中文 😀\n\tok") == "tést 中文 😀\n\tok"
    assert printable("one\ntwo", newlines=False) == "one\\x0atwo"


# -- secrets (defect 7) ------------------------------------------------------------------------
SECRET = "s3cret-Passw0rd"
URIS = [
    f"bolt://neo4j:{SECRET}@127.0.0.1:9",
    f"neo4j://neo4j:{SECRET}@127.0.0.1:9",
    f"bolt+s://admin:{SECRET}@localhost:9",
    f"bolt://neo4j:{SECRET}:with:colons@127.0.0.1:9",
    f"bolt://neo4j:{SECRET}@with@at@127.0.0.1:9",
]


@pytest.mark.parametrize("uri", URIS)
@pytest.mark.parametrize("verb", ["push", "verify"])
def test_a_password_in_the_uri_appears_in_no_output(verb, uri, graph_file):
    r = lmkg("neo4j", verb, "--uri", uri, "--graph", str(graph_file))
    assert r.code == 1 and one_line_error(r.stderr), r.text
    assert SECRET not in r.text and "s3cret" not in r.text
    assert "carries credentials" in r.stderr and "***" in r.stderr


@pytest.mark.parametrize("uri", ["bolt://127.0.0.1:9", "neo4j://127.0.0.1:9",
                                 "http://127.0.0.1:9", "bolt://[bad"])
def test_neo4j_password_from_the_environment_is_never_printed(uri, graph_file):
    r = lmkg("neo4j", "push", "--uri", uri, "--graph", str(graph_file),
             env={"NEO4J_PASSWORD": SECRET})
    assert r.code == 1 and one_line_error(r.stderr), r.text
    assert SECRET not in r.text


def test_redact_removes_userinfo_and_the_environment_password(monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", SECRET)
    assert redact(f"x bolt://u:{SECRET}@h:1 y") == "x bolt://u:***@h:1 y"
    assert redact(f"driver said {SECRET}!") == "driver said ***!"


def test_the_map_embeds_hostile_names_inertly(hostile_graph, tmp_path):
    """Handled right before: the map's data is JSON inside a script element with <, > and &
    escaped, so a name cannot close the element; the page loads nothing from the network."""
    import re

    doc = json.loads(hostile_graph.read_text())
    for n in doc["nodes"]:
        n["name"] = n["name"] + "</script><script>alert(1)</script>"
    evil = hostile_graph.with_name("evil.json")
    evil.write_text(json.dumps(doc))
    out = tmp_path / "m.html"
    r = CliRunner().invoke(group, ["map", "--graph", str(evil), "-o", str(out)],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    page = out.read_text(encoding="utf-8")
    assert "alert(1)" in page  # the names are on the page, as text
    assert "alert(1)</script>" not in page and "<script>alert" not in page
    assert not re.search(r"""(src|href)=["']https?://""", page)  # nothing fetched
