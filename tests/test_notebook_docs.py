"""The worked examples of docs/notebook.md and docs/merging.md, run as written: the code cells
in order in one namespace, the shell lines with the installed ``lmkg``."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def _blocks(doc: str) -> list[tuple[str, str]]:
    text = (ROOT / "docs" / doc).read_text(encoding="utf-8")
    return re.findall(r"```(python|bash)\n(.*?)```", text, flags=re.S)


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """An empty folder with ../shared beside it, as in a clone next to the shared data."""
    work = tmp_path / "work"
    work.mkdir()
    (tmp_path / "shared").symlink_to(SHARED)
    monkeypatch.chdir(work)
    return work


def _run(doc: str) -> tuple[dict, str]:
    ns: dict = {"__name__": "__doc_example__"}
    out = io.StringIO()
    lmkg_cmd = str(Path(sys.executable).with_name("lmkg"))
    for lang, code in _blocks(doc):
        if lang == "python":
            with contextlib.redirect_stdout(out):
                exec(compile(code, f"docs/{doc}", "exec"), ns)
        else:
            for line in code.strip().splitlines():
                argv = shlex.split(line, comments=True)
                if not argv:
                    continue
                assert argv[0] == "lmkg", line
                r = subprocess.run([lmkg_cmd, *argv[1:]], capture_output=True, text=True,
                                   env={**os.environ, "COLUMNS": "100"})
                assert r.returncode == 0, f"{line}\n{r.stderr}"
    return ns, out.getvalue()


def test_notebook_example_runs(workdir):
    ns, _ = _run("notebook.md")
    df = ns["df"]
    assert list(df["name"])[: len(ns["answers"])] == [h.name for h in ns["answers"]]
    assert "<table>" in ns["html_table"]
    html = ns["view"]._repr_html_()
    assert html.startswith("<iframe srcdoc=") and "sandbox=\"allow-scripts\"" in html
    assert "<script" not in html  # the page is escaped inside the attribute
    assert not list(workdir.iterdir())  # nothing written


def test_merging_recipe_runs_and_reports_its_counts(workdir):
    ns, out = _run("merging.md")
    curated, with_ids = ns["curated"], ns["with_ids"]
    assert set(with_ids.counts) == {"Agent", "PrimaryCancer", "Gene"}
    for etype, c in with_ids.counts.items():
        assert c["matched"] <= c["with_id"] <= c["entities"]
        assert c["matched"] >= curated.counts[etype]["matched"]
        assert c["matched"] > 0, etype
    # The join is by identifier, and the names it brings together agree.
    kg = ns["lmkg"].open_graph("build/lmkg-hetionet.json")
    for m in with_ids.matches:
        node = kg.node(m["id"])
        names = {node["name"], node.get("symbol") or "", *node.get("synonyms", [])}
        assert m["hetionet_name"].casefold() in {n.casefold() for n in names}, m
    # It prints the two summaries the doc shows (their numbers move as the data grows).
    printed = [ln.split(":", 1)[0] for ln in out.splitlines()]
    assert printed[:2] == ["curated ids only", "with Hetionet ids"]
    assert len(ns["joined"]) > 0
