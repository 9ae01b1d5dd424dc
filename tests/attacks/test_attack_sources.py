"""Attacks through the public sources: a study given twenty times is one study, counted and
warned about; relations are counted as they land; bad ``--source`` arguments are one line
(issue 17, defect 13, and the cases handled right before)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import lmkg, one_line_error

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "clinicaltrials"
STUDY = SHARED / "NCT02210780.json"


def lm_study() -> dict:
    """A real registry record, with leptomeningeal metastases added to its conditions (a test
    change, so that the LM rule keeps it; not a fact about the study)."""
    doc = json.loads(STUDY.read_text())
    doc["protocolSection"]["conditionsModule"]["conditions"].append("Leptomeningeal Metastases")
    return doc


@pytest.fixture
def copies(tmp_path: Path) -> Path:
    d = tmp_path / "ctgov"
    d.mkdir()
    text = json.dumps(lm_study())
    for i in range(20):
        (d / f"copy{i:02}.json").write_text(text)
    return d


def test_twenty_copies_of_one_study_are_one_study(copies, tmp_path, mini_graph):
    out = tmp_path / "g.json"
    r = lmkg("build", "--data", str(mini_graph.parent / "data"), "-o", str(out), "--source",
             f"ctgov={copies}")
    assert r.code == 0, r.text
    assert "duplicates 19" in r.stderr and "duplicate: NCT02210780 is also in" in r.stderr
    assert "16 more duplicate(s) listed in the build report" in r.stderr
    rep = json.loads(out.with_name("lmkg-build-report.json").read_text())["sources"]["ctgov"]
    assert (rep["read"], rep["duplicate"], rep["balanced"]) == (20, 19, True)
    assert rep["read"] == sum(rep[k] for k in ("matched", "created", "out_of_scope", "unmatched",
                                               "invalid", "duplicate"))
    assert rep["invalid"] == rep["out_of_scope"] == 0  # a copy is neither broken nor off-topic
    from lmkg.graph import load_graph

    kg = load_graph(out)
    trial = "lmkg:trial/nct02210780"
    stated = sum(1 for s, o, d in kg.g.edges(data=True)
                 if trial in (s, o) and not d.get("derived"))
    # Counted once, as they landed (not twenty times over): the report equals the graph.
    assert rep["relations_added"] == stated > 0
    assert rep["relations_existing"] == 0
    md = out.with_name("lmkg-build-report.md").read_text()
    row = next(line for line in md.splitlines() if line.startswith("| ctgov |"))
    assert "| 19 |" in row and row.rstrip().endswith("yes | ok |")


def test_copies_in_json_and_json_lines_are_duplicates_not_rejections(tmp_path, mini_graph):
    d = tmp_path / "ctgov"
    d.mkdir()
    doc = lm_study()
    (d / "a.json").write_text(json.dumps(doc))
    (d / "b.jsonl").write_text(json.dumps(doc) + "\n" + json.dumps(doc) + "\n")
    out = tmp_path / "g.json"
    r = lmkg("build", "--data", str(mini_graph.parent / "data"), "-o", str(out), "--source",
             f"ctgov={d}")
    assert r.code == 0, r.text
    rep = json.loads(out.with_name("lmkg-build-report.json").read_text())["sources"]["ctgov"]
    assert (rep["read"], rep["duplicate"], rep["invalid"], rep["balanced"]) == (3, 2, 0, True)
    rows = rep["duplicate_rows"]
    assert len(rows) == 2 and all(r["reasons"][0].startswith("duplicate: NCT02210780 is also in")
                                  for r in rows)


BAD_SOURCES = [
    ("no-equals", ["--source", "ctgov"], "NAME=PATH"),
    ("empty-path", ["--source", "ctgov="], "NAME=PATH"),
    ("missing-path", ["--source", "ctgov=/nonexistent/x"], "no such file or directory"),
    ("unknown-loader", ["--source", "nope={study}"], "nope"),
]


@pytest.mark.parametrize(("name", "args", "reason"), BAD_SOURCES, ids=[b[0] for b in BAD_SOURCES])
def test_bad_source_arguments_are_one_line(name, args, reason, tmp_path, mini_graph):
    full = [a.format(study=STUDY) for a in args]
    r = lmkg("build", "--data", str(mini_graph.parent / "data"), "-o", str(tmp_path / "g.json"),
             *full)
    assert r.code in (1, 2) and one_line_error(r.stderr), r.text
    assert reason in r.stderr
    assert not (tmp_path / "g.json").exists()


# -- broken public-source files (defect 1, fixed in issue 16; the full table of 30 cases, six
# loaders by five kinds of breakage, is tests/test_sources_merge.py) -----------------------------
BROKEN = [("ctgov", "truncated", "not valid JSON"), ("b3db", "binary", "not UTF-8"),
          ("civic", "empty", "not valid JSON"), ("openfda", "directory", "files found"),
          ("oopd", "wrong shape", "wrong columns"), ("drugbank", "truncated", "the file ends inside a row")]


@pytest.mark.parametrize(("name", "kind", "reason"), BROKEN, ids=[f"{b[0]}-{b[1]}" for b in BROKEN])
def test_a_broken_source_file_fails_a_real_build_with_its_reason(name, kind, reason, tmp_path,
                                                                  mini_graph):
    from test_sources_merge import _broken

    src = _broken(kind, name, tmp_path)
    out = tmp_path / "g.json"
    out.write_bytes(mini_graph.read_bytes())  # the previous build
    before = out.read_bytes()
    r = lmkg("build", "--data", str(mini_graph.parent / "data"), "-o", str(out), "--source",
             f"{name}={src}")
    assert r.code == 1 and one_line_error(r.stderr), r.text
    assert reason in r.stderr and "cannot be used" in r.stderr
    assert out.read_bytes() == before  # the previous graph, untouched
    assert {p.name for p in tmp_path.iterdir() if p.name.startswith(".")} == set()
