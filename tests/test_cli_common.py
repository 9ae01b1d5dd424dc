"""What every row verb shares (lmkg/cli/common.py): tables that fit, --wide, json/csv that
carry every table column (rank included), no prose under a table, and the graph named."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from lmkg.cli import cli as group
from lmkg.cli import commands

LMKG = Path(sys.executable).with_name("lmkg")


def piped(graph_file: Path, *args: str, columns: str | None = None) -> subprocess.CompletedProcess:
    """``lmkg ARGS | cat``: a real process whose stdout is a pipe, not a terminal."""
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    env["LMKG_GRAPH"] = str(graph_file)
    if columns is not None:
        env["COLUMNS"] = columns
    return subprocess.run([str(LMKG), *args], capture_output=True, text=True, env=env,
                          timeout=120, check=False)


def table_rows(out: str) -> list[list[str]]:
    lines = out.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("─")) + 1
    rows: list[list[str]] = []
    for line in lines[start:]:
        if not line:
            rows.append([])
        elif not rows:
            rows.append([line])
        else:
            rows[-1].append(line)
    return [r for r in rows if r]


# The done-when: at COLUMNS=100 and piped, no line over 100, no row over 3 lines.
@pytest.mark.parametrize("columns", ["100", None, "80"])
def test_agents_table_fits_when_piped(graph_file, columns):
    r = piped(graph_file, "agents", "-b", "EGFR", "--cns-penetrant", columns=columns)
    assert r.returncode == 0, r.stderr
    width = int(columns or 100)  # piped with no $COLUMNS: 100, not a wide default
    assert max(len(line) for line in r.stdout.splitlines()) <= width
    rows = table_rows(r.stdout)
    assert len(rows) >= 5 and max(len(row) for row in rows) <= 3
    assert rows[0][0].split()[0] == "1"
    if width >= 100:
        assert rows[0][0].split()[1] == "osimertinib"  # names are not split when there is room


def test_no_prose_is_repeated_under_the_table(cli):
    r = cli("agents", "-b", "EGFR", "--cns-penetrant")
    ans = json.loads(cli("agents", "-b", "EGFR", "--cns-penetrant", "--format", "json").stdout)
    assert ans["answers"][0]["why"].split(";")[0] not in r.stdout
    assert not any(line.startswith(("1. ", "2. ")) for line in r.stdout.splitlines())


def test_wide_shows_whole_cells(cli):
    cut = cli("landscape", "--by", "designation").stdout
    text = cli("landscape", "--by", "designation", "--wide").stdout
    assert "…" in cut and "…" not in text
    rows = json.loads(cli("landscape", "--by", "designation", "--format", "json").stdout)
    longest = max(rows, key=lambda r: len(r["indication"]))["indication"]
    assert len(longest) > 100 and longest in text
    lines = text.splitlines()
    assert len(lines) == 3 + len(rows)  # title, header, rule, one line a row


def _row_commands():
    for name, cmd in commands().items():
        subs = cmd.commands.items() if isinstance(cmd, click.Group) else [(None, cmd)]
        for sub, c in subs:
            fmt = next((p for p in c.params if p.name == "fmt"), None)
            if fmt is not None and "table" in getattr(fmt.type, "choices", ()):
                yield " ".join(x for x in (name, sub) if x), c


def test_every_verb_with_a_table_takes_wide():
    verbs = dict(_row_commands())
    assert {"agents", "neighbours", "landscape", "cypher", "sparql", "sources", "stats",
            "show", "path", "neo4j push"} <= set(verbs)
    # validate's "table" is its list of problems, one whole line each (for grep), not a table
    missing = [v for v, c in verbs.items() if v != "validate"
               and not any("--wide" in p.opts for p in c.params if isinstance(p, click.Option))]
    assert missing == []


def test_json_rows_carry_rank_in_table_order(cli):
    rows = json.loads(cli("agents", "-b", "EGFR", "--cns-penetrant", "--format",
                          "json").stdout)["answers"]
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    table = table_rows(cli("agents", "-b", "EGFR", "--cns-penetrant").stdout)
    assert [r[0].split()[1] for r in table] == [r["name"].split()[0] for r in rows]
    paths = json.loads(cli("path", "tucatinib", "breast cancer", "--format", "json").stdout)
    assert [p["rank"] for p in paths] == list(range(1, len(paths) + 1))


def test_csv_rows_carry_every_table_column_and_more(cli):
    table = cli("agents", "-b", "ALK").stdout
    header = table.splitlines()[1].split()
    rows = list(csv.DictReader(io.StringIO(cli("agents", "-b", "ALK", "--format", "csv").stdout)))
    assert rows and {"rank", "agent", "why", "id"} <= set(rows[0])
    assert set(header) <= set(rows[0])


@pytest.mark.parametrize("args,columns", [
    (("landscape", "--by", "company"), ["company", "agents", "approved", "agent_names"]),
    (("landscape", "--by", "designation"), ["agent", "agency", "type", "indication", "date"]),
    (("neighbours", "tucatinib"), ["distance", "type", "name", "via", "id"]),
    (("sources",), ["name", "description", "creates"]),
])
def test_json_rows_carry_every_table_column(cli, args, columns):
    rows = json.loads(cli(*args, "--format", "json").stdout)
    assert rows and all(set(columns) <= set(r) for r in rows)


def test_the_answer_names_its_graph(cli, graph_file):
    r = cli("agents", "-b", "EGFR")
    lines = r.stderr.splitlines()
    (start,) = [i for i, ln in enumerate(lines) if ln.startswith("graph: ")]
    said = " ".join([lines[start], *(ln.strip() for ln in lines[start + 1:])])
    assert all(len(ln) <= 100 for ln in lines[start:])  # folded to the width, like the table
    assert str(graph_file) in said and "curated data" in said and "built" in said
    assert "no public sources" in said
    # json and csv are left alone for scripts: a json object says it in its "graph"
    for fmt in ("json", "csv"):
        assert "graph: " not in cli("agents", "-b", "EGFR", "--format", fmt).stderr
    stats = json.loads(cli("stats", "--format", "json").stdout)
    assert stats["graph"]["file"] == str(graph_file)
    assert stats["graph"]["data_hash"] and stats["graph"]["built_at"]
    assert [s["name"] for s in stats["graph"]["sources"] if not s["shipped"]] == []
    card = json.loads(cli("show", "tucatinib", "--format", "json").stdout)
    assert card["graph"]["file"] == str(graph_file)


def test_an_error_is_still_one_line(cli):
    r = cli("show", "osimertinb")
    assert r.exit_code == 1 and r.stderr.strip().count("\n") == 0


def test_with_no_saved_graph_the_cli_says_what_it_answers_from(tmp_path, monkeypatch):
    from click.testing import CliRunner

    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(group, ["stats"], catch_exceptions=False)
    assert r.exit_code == 0
    assert "no built graph at build/lmkg-graph.json; building the curated-only graph" \
        in r.stderr
    assert "graph: not saved, built " in r.stderr and "no public sources" in r.stderr


def test_show_prints_whole_text_wrapped_to_the_width(graph_file):
    r = piped(graph_file, "show", "osimertinib", columns="80")
    assert r.returncode == 0
    card = r.stdout.split("\n\n")[0] if "\n\n" in r.stdout else r.stdout
    assert max(len(line) for line in r.stdout.splitlines()) <= 80
    full = json.loads(piped(graph_file, "show", "osimertinib", "--format", "json").stdout)
    ev = max(full["entity"]["cns_evidence"], key=lambda e: len(e["population"] or ""))
    note = ev["population"]
    assert len(note) > 80
    assert " ".join(note.split()) in " ".join(card.split())  # whole, only re-wrapped
