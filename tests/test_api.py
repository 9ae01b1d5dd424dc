"""The Python API: no silent fallback to a smaller graph, each graph says what it is, and the
README's snippet runs from any folder (also beside a clone named ``lmkg``)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import lmkg
from lmkg.graph import save_graph

ROOT = Path(__file__).resolve().parents[1]


def test_open_graph_without_a_saved_graph_raises_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(lmkg.NoGraphError) as err:
        lmkg.open_graph()
    msg = str(err.value)
    assert "no built graph at build/lmkg-graph.json" in msg and str(tmp_path) in msg
    assert "lmkg build" in msg and "lmkg.build()" in msg
    with pytest.raises(lmkg.NoGraphError):
        lmkg.open_graph(tmp_path / "nowhere.json")


def test_open_graph_can_build_the_curated_graph_but_says_so(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.warns(UserWarning, match="curated-only graph"):
        kg = lmkg.open_graph(build_missing=True)
    o = kg.origin()
    assert o["file"] is None and all(src["shipped"] for src in o["sources"])
    assert "no public sources" in kg.describe_origin()


def test_a_saved_graph_says_where_it_comes_from(kg, tmp_path):
    path = tmp_path / "g.json"
    save_graph(kg, path)
    g = lmkg.open_graph(path)
    o = g.origin()
    assert o["file"] == str(path)
    assert o["data_hash"] == kg.meta["data_fingerprint"] and o["built_at"]
    assert o["curated_data"] == str(ROOT / "data")
    line = g.describe_origin()
    assert line.startswith(f"{path}, built ") and "curated data" in line
    assert "no public sources" in line


def test_a_graph_with_sources_names_them_with_their_hash(tmp_path):
    kg = lmkg.build()
    shared = ROOT.parent / "shared" / "data" / "drugbank"
    lmkg.api.add_sources(kg, [("drugbank", shared)])
    (src,) = [s for s in kg.origin()["sources"] if not s["shipped"]]
    assert (src["name"], src["path"]) == ("drugbank", str(shared))
    assert re.fullmatch(r"[0-9a-f]{16}", src["hash"])
    assert kg.describe_origin().endswith(f"curated data {kg.meta['data_fingerprint'][:12]} "
                                         "(with its registry snapshot) + drugbank")


def test_a_stale_graph_warns(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    from test_curated_loader import GOOD

    (data / "good.yaml").write_text(GOOD)
    save_graph(lmkg.build(data), tmp_path / "g.json")
    (data / "good.yaml").write_text(GOOD + "\n# edited\n")
    with pytest.warns(UserWarning, match="older than the data"):
        lmkg.open_graph(tmp_path / "g.json")


def _readme_snippet() -> str:
    text = (ROOT / "README.md").read_text()
    (code,) = re.findall(r"```python\n(.*?)```", text, re.S)
    return code


def _editable_site(tmp: Path) -> Path:
    """The editable install ``pip install -e .`` makes, from this project's build backend,
    unpacked into a site directory of its own (so the test does not depend on how the venv
    running it was installed)."""
    wheels = tmp / "wheels"
    wheels.mkdir()
    code = ("import sys; sys.path.insert(0, 'scripts'); import build_backend; "
            f"print(build_backend.build_editable({str(wheels)!r}))")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True,
                   timeout=300)
    (wheel,) = wheels.glob("*.whl")
    site = tmp / "site"
    with zipfile.ZipFile(wheel) as z:
        z.extractall(site)
    return site


def _run_beside(here: Path, site: Path, code: str) -> subprocess.CompletedProcess:
    """Run ``code`` in ``here`` with only the editable install in ``site``: ``-S`` keeps the
    running venv's own editable finder out; its packages are put on the path for the
    dependencies, without running their .pth files."""
    deps = [p for p in sys.path if p.endswith(("site-packages", "dist-packages"))]
    # The finder module of ``site`` first: the venv may hold one of the same name.
    prelude = (f"import sys; sys.path.insert(1, {str(site)!r}); sys.path += {deps!r}; "
               f"import site; site.addsitedir({str(site)!r})\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "LMKG_GRAPH")}
    return subprocess.run([sys.executable, "-S", "-c", prelude + code], cwd=here, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def test_the_readme_snippet_runs_beside_a_clone_named_lmkg(tmp_path):
    # A folder named lmkg in the current directory (a clone, seen from the folder that holds
    # it) used to be imported as an empty namespace package: lmkg.build did not exist.
    site = _editable_site(tmp_path)
    here = tmp_path / "work"
    (here / "lmkg").mkdir(parents=True)
    for name in ("README.md", "pyproject.toml"):
        (here / "lmkg" / name).write_text("a clone of the project\n")
    r = _run_beside(here, site, _readme_snippet())
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "osimertinib"
    assert lines[-1].startswith("tucatinib ") and lines[-1].endswith("breast cancer")


def test_the_backend_puts_the_editable_finder_first(tmp_path):
    site = _editable_site(tmp_path)
    (finder,) = site.glob("__editable___lmkg_*_finder.py")
    text = finder.read_text()
    assert "sys.meta_path.insert(0, _EditableFinder)" in text
    assert "sys.meta_path.append(_EditableFinder)" not in text
