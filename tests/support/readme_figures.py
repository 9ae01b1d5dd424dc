"""The figures the README shows, checked against what the commands print today.

The README quotes a few counts that move with the curated data (the Neo4j push transcript's
nodes and relationships, the LM trials of the default build) and a few that are fixed by the
shipped registry snapshot or the report. :func:`check` lists every one that disagrees with the
graph built from the shipped data (``tests/test_readme.py`` fails on it), and running this file
rewrites them in place::

    python tests/support/readme_figures.py          # README.md updated, what changed printed

Only figures that a pattern below names are managed; a new figure in the README needs a
pattern here (and a test), or it will go stale.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
REGISTRY = ROOT / "data" / "registry"

# Each pattern's named groups are figures (``nodes__2`` is a second ``nodes``).
PATTERNS: tuple[str, ...] = (
    r"pushing (?P<nodes>\d+) nodes and (?P<relations>\d+) relationships",
    r"nodes: (?P<nodes__1>\d+)/(?P<nodes__2>\d+)",
    r"relationships: (?P<relations__1>\d+)/(?P<relations__2>\d+)",
    r"pushed (?P<nodes>\d+) nodes and (?P<relations>\d+) relationships",
    r"\(`data/registry/`, (?P<snapshot_records>\d+)\s+records",
    r"(?P<snapshot_lm_trials>\d+) LM trials, judged by",
    r"merged with the curated trials into (?P<lm_trials>\d+)\.",
    r"profile of each of the (?P<profiled_companies>\d+) companies",
)


@dataclass(frozen=True)
class Stale:
    """One figure of the README that is not what the command prints today."""

    line: int
    name: str
    shown: int
    actual: int

    def __str__(self) -> str:
        return f"README.md:{self.line}: {self.name} is {self.shown}, today {self.actual}"


def actual_figures(kg=None) -> dict[str, int]:
    """Today's value of every figure, from ``kg`` (the graph built from the shipped data; built
    here when not given)."""
    import lmkg
    from lmkg.loaders import get_loader
    from lmkg.viz.report import PROFILED

    kg = kg if kg is not None else lmkg.build(ROOT / "data")
    manifest = json.loads((REGISTRY / "ctgov" / "manifest.json").read_text(encoding="utf-8"))
    snapshot = get_loader("ctgov").load(REGISTRY / "ctgov", review=REGISTRY / "lm-review.tsv")
    return {
        "nodes": kg.g.number_of_nodes(),
        "relations": kg.g.number_of_edges(),
        "snapshot_records": manifest["studies"],
        "snapshot_lm_trials": sum(1 for it in snapshot.items if it.entity.lm_specific),
        "lm_trials": sum(1 for t in kg.ids("ClinicalTrial") if kg.node(t).get("lm_specific")),
        "profiled_companies": len(PROFILED),
    }


def _each(text: str, visit: Callable[[re.Match[str], str, int], None]) -> list[str]:
    """Call ``visit(match, figure name, group index)`` for every figure; the patterns that
    match nothing."""
    missing = []
    for pattern in PATTERNS:
        found = False
        for m in re.finditer(pattern, text):
            found = True
            for name in m.groupdict():
                visit(m, name, list(m.re.groupindex).index(name) + 1)
        if not found:
            missing.append(pattern)
    return missing


def check(text: str, actual: dict[str, int]) -> tuple[list[Stale], list[str]]:
    """The stale figures of README ``text``, and the patterns it no longer shows."""
    stale: list[Stale] = []

    def visit(m: re.Match[str], name: str, group: int) -> None:
        key = name.split("__")[0]
        shown = int(m.group(group))
        if shown != actual[key]:
            stale.append(Stale(text.count("\n", 0, m.start(group)) + 1, key, shown, actual[key]))

    return stale, _each(text, visit)


def rewrite(text: str, actual: dict[str, int]) -> str:
    """``text`` with every managed figure set to today's value."""
    spans: list[tuple[int, int, str]] = []

    def visit(m: re.Match[str], name: str, group: int) -> None:
        spans.append((m.start(group), m.end(group), str(actual[name.split("__")[0]])))

    _each(text, visit)
    for start, end, value in sorted(spans, reverse=True):
        text = text[:start] + value + text[end:]
    return text


def main() -> int:
    text = README.read_text(encoding="utf-8")
    actual = actual_figures()
    stale, missing = check(text, actual)
    for pattern in missing:
        print(f"README.md no longer shows a figure for {pattern!r}", file=sys.stderr)
    if stale:
        tmp = README.with_suffix(".md.tmp")
        tmp.write_text(rewrite(text, actual), encoding="utf-8")
        tmp.replace(README)
    for s in stale:
        print(f"{s} (updated)")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
