"""Read-only verbs open the saved graph as plain data: they import neither pydantic (the
ontology's models) nor the loaders nor the graph builder, so that they start quickly. Each verb
runs in a fresh interpreter, which reports the modules it imported (speed itself is measured in
bench/peers.py, not here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

# Runs the CLI, then prints which of the heavy modules the verb imported, as JSON on stderr.
PROBE = """
import json, sys
sys.argv = ["lmkg", *sys.argv[1:]]
code = 0
try:
    from lmkg.cli import main
    main()
except SystemExit as exc:
    code = exc.code or 0
heavy = sorted(m for m in sys.modules
               if m.split(".")[0] in ("pydantic", "pydantic_core", "yaml", "curies")
               or m.startswith(("lmkg.loaders", "lmkg.graph.build", "lmkg.ontology.entities",
                                "lmkg.ontology.relations", "lmkg.ontology.evidence")))
sys.stderr.write("\\nPROBE " + json.dumps({"code": code, "heavy": heavy}) + "\\n")
"""

VERBS = {
    "help": ["--help"],
    "agents": ["agents", "-b", "EGFR", "--cns-penetrant", "--format", "json"],
    "show": ["show", "osimertinib", "--format", "json"],
    "path": ["path", "osimertinib", "non-small cell lung cancer", "--format", "json"],
    "neighbours": ["neighbours", "osimertinib", "--format", "json"],
    "landscape": ["landscape", "--by", "company", "--format", "json"],
    "stats": ["stats", "--format", "json"],
    "guidelines": ["guidelines", "--format", "json"],
    "trials": ["trials", "--format", "json"],
    # Answered from the caches beside the graph file (built by the first call, which may
    # import the models: the database schema is made from them).
    "cypher": ["cypher", "MATCH (a:Agent) RETURN count(a) AS n", "--format", "json"],
    "sparql": ["sparql", "SELECT (COUNT(?a) AS ?n) WHERE { ?a a lmkgs:Agent }", "--format",
               "json"],
}


def _probe(args: list[str], graph_file) -> tuple[dict, str]:
    env = {**os.environ, "LMKG_GRAPH": str(graph_file)}
    res = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True,
                         text=True, timeout=300)
    line = next(x for x in res.stderr.splitlines() if x.startswith("PROBE "))
    return json.loads(line[len("PROBE "):]), res.stdout


@pytest.mark.parametrize("verb", list(VERBS))
def test_a_read_only_verb_imports_no_model_and_no_loader(verb, graph_file):
    args = VERBS[verb]
    if verb in ("cypher", "sparql"):
        first, _ = _probe(args, graph_file)  # builds the cache if the graph file has none
        assert first["code"] == 0
    got, out = _probe(args, graph_file)
    assert got == {"code": 0, "heavy": []}
    if verb != "help":
        assert json.loads(out)  # and it answered


def test_the_probe_sees_a_verb_that_needs_the_models(graph_file, tmp_path):
    """``lmkg validate`` reads the curated YAML with the loaders: the probe must say so."""
    got, _ = _probe(["validate"], graph_file)
    assert "pydantic" in got["heavy"] and "lmkg.loaders" in got["heavy"]
