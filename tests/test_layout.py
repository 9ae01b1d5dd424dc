"""The house rules of docs/architecture.md: data flows one way, and helpers never ship."""

from __future__ import annotations

import ast
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Folder (import name) -> the lmkg packages its modules may import. Listed from the bottom up:
# a package may import those below it, never those above (docs/architecture.md).
FOLDERS = {
    "lmkg.errors": ("lmkg/errors.py", set()),
    "lmkg.atomic": ("lmkg/atomic.py", {"lmkg.errors"}),
    "lmkg.ontology": ("ontology", {"lmkg.errors", "lmkg.atomic"}),
    "lmkg.loaders": ("loaders", {"lmkg.errors", "lmkg.atomic", "lmkg.ontology"}),
    "lmkg.graph": ("graph", {"lmkg.errors", "lmkg.atomic", "lmkg.ontology", "lmkg.loaders"}),
    "lmkg.viz": ("viz", {"lmkg.errors", "lmkg.atomic", "lmkg.ontology", "lmkg.graph"}),
}
# Inside graph/: building and holding (the core modules) never import a question or a writer;
# questions may read the export's mapping (Cypher, SPARQL run on it); writers never ask
# questions; reports may use both.
GRAPH_ROOMS = {
    "core": {"core"},
    "query": {"core", "query", "export"},
    "export": {"core", "export"},
    "report": {"core", "query", "report"},
}


def _imports(path: Path, package: str) -> set[str]:
    """Absolute names of the lmkg modules ``path`` imports (relative imports resolved against
    ``package``, the package the module is in)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = package.split(".")
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("lmkg"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)]
                name = ".".join([*base, *(node.module.split(".") if node.module else [])])
            else:
                name = node.module or ""
            if name.startswith("lmkg"):
                out.add(name)
    return out


def _modules(folder: str, import_name: str):
    """(path, the package the module is in) for every module of a folder."""
    p = ROOT / folder
    if p.is_file():
        yield p, import_name.rsplit(".", 1)[0]
        return
    for f in sorted(p.rglob("*.py")):
        yield f, ".".join([import_name, *f.relative_to(p).parts[:-1]])


def _owner(name: str) -> str:
    for pkg in sorted(FOLDERS, key=len, reverse=True):
        if name == pkg or name.startswith(pkg + "."):
            return pkg
    return name


@pytest.mark.parametrize("package", list(FOLDERS))
def test_nothing_imports_upward(package):
    folder, allowed = FOLDERS[package]
    bad = []
    for path, pkg in _modules(folder, package):
        for name in _imports(path, pkg):
            owner = _owner(name)
            if owner != package and owner not in allowed:
                bad.append(f"{path.relative_to(ROOT)} imports {name}")
    assert bad == []


def _room(name: str) -> str:
    parts = name.split(".")
    if len(parts) > 2 and parts[2] in ("query", "export", "report"):
        return parts[2]
    return "core"


def test_graph_rooms_keep_to_their_job():
    bad = []
    for path, package in _modules("graph", "lmkg.graph"):
        room = _room(package)
        for name in _imports(path, package):
            if name.startswith("lmkg.graph") and _room(name) not in GRAPH_ROOMS[room]:
                bad.append(f"{path.relative_to(ROOT)} ({room}) imports {name}")
    assert bad == []


def test_cli_holds_no_query_logic():
    """Verbs call the query and export layers; they never walk the graph themselves."""
    walkers = ("out_edges", "in_edges", "relations_of", ".g.edges", ".g.nodes")
    bad = [f"{f.relative_to(ROOT)}:{n}" for f in sorted((ROOT / "lmkg/cli").glob("*.py"))
           for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1)
           if any(w in line for w in walkers)]
    assert bad == []


def test_the_wheel_ships_no_test_or_benchmark_helper(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("lmkg-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    code = [n for n in names if n.endswith(".py")]
    assert all(n.startswith("lmkg/") for n in code), [n for n in code if not n.startswith("lmkg/")]
    helpers = [n for n in names if any(w in n for w in ("support/", "tests/", "bench/",
                                                        "synthetic", "falkordb", "bolt_server"))]
    assert helpers == []
    # ... and it holds the rooms of graph/ and the shipped data.
    for want in ("lmkg/graph/query/biomarker.py", "lmkg/graph/export/neo4j_push.py",
                 "lmkg/graph/report/coverage.py", "lmkg/viz/map.js", "lmkg/ontology/lmkg.ttl",
                 "lmkg/dataset/README.md"):
        assert want in names
