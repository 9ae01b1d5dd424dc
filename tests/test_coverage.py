"""`lmkg coverage`: counts against the dataset targets and what is missing."""

from __future__ import annotations

import json

from lmkg.graph.report.coverage import TARGETS, coverage, coverage_markdown


def test_coverage_counts_agree_with_stats(kg):
    c = coverage(kg)
    stats = kg.stats()
    for etype, t in c["targets"].items():
        assert t["have"] == stats["entities"][etype]
        assert t["met"] == (t["have"] >= TARGETS[etype])
    assert c["relations_with_sources"] == stats["relations_with_sources"]


def test_expected_names_are_looked_up(kg):
    missing = coverage(kg)["missing_expected"]
    # The flagship agents and named companies of the market reports are in the data.
    assert "osimertinib" not in missing.get("Agent", [])
    assert "tucatinib" not in missing.get("Agent", [])
    assert "Plus Therapeutics" not in missing.get("Company", [])


def test_markdown_and_cli(kg, cli, tmp_path):
    md = coverage_markdown(kg)
    assert md.startswith("# Dataset coverage") and "| Agent |" in md
    out = tmp_path / "COVERAGE.md"
    res = cli("coverage", "-o", str(out))
    assert res.exit_code == 0 and out.read_text().startswith("# Dataset coverage")
    doc = json.loads(cli("coverage", "--format", "json").stdout)
    assert set(doc["targets"]) == set(TARGETS)
