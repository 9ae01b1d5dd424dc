"""The README shows what the commands print today: its figures are the shipped graph's, and its
example lines follow the current output (QA 22)."""

from __future__ import annotations

import re

from support.readme_figures import PATTERNS, README, actual_figures, check, rewrite


def test_every_figure_of_the_readme_is_todays(kg):
    text = README.read_text(encoding="utf-8")
    stale, missing = check(text, actual_figures(kg))
    assert not missing, f"the README no longer shows {missing}: update tests/support/readme_figures.py"
    assert not stale, ("; ".join(map(str, stale))
                       + " (python tests/support/readme_figures.py rewrites them)")


def test_the_checker_finds_and_rewrites_a_stale_figure(kg):
    actual = actual_figures(kg)
    text = README.read_text(encoding="utf-8")
    old = text.replace(f"pushed {actual['nodes']} nodes", f"pushed {actual['nodes'] + 4} nodes")
    assert old != text
    stale, _ = check(old, actual)
    assert [(s.name, s.shown, s.actual) for s in stale] == [
        ("nodes", actual["nodes"] + 4, actual["nodes"])]
    assert text.splitlines()[stale[0].line - 1].startswith("pushed ")
    assert rewrite(old, actual) == text
    assert check("nothing here", actual)[1] == list(PATTERNS)


def test_the_graph_line_example_has_todays_form(kg):
    """The ``graph:`` line quoted in the README is what a command prints after a table, save
    for the time and the data hash of the build."""
    text = " ".join(README.read_text(encoding="utf-8").split())
    shown = re.search(r"\(`graph: ([^`]+)`", text)
    assert shown, "the README no longer quotes the graph: line"
    where, _, what = shown.group(1).partition(", built ")
    assert where == "build/lmkg-graph.json"
    today = kg.describe_origin().partition(", built ")[2]  # (the file: wherever a test saved it)
    mask = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d|\b[0-9a-f]{12}\b")
    assert mask.sub("#", what) == mask.sub("#", today)
