"""What every CLI verb shares: the graph option, output formats and error handling."""

from __future__ import annotations

import csv
import functools
import io
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

FORMAT_ROWS = click.Choice(["table", "json", "csv"])
FORMAT_DOC = click.Choice(["table", "json"])


def graph_option(f: F) -> F:
    return click.option(
        "--graph", "graph_path", type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Built graph file (default: $LMKG_GRAPH or build/lmkg-graph.json; "
             "built from the shipped data when absent).",
    )(f)


def note(msg: str) -> None:
    """A message for the person at the terminal (stderr, so stdout stays machine-readable)."""
    click.echo(msg, err=True)


def get_graph(path: Path | None):
    """Open the saved graph, or build one from the shipped data when none was saved."""
    from lmkg.api import default_data_dir, default_graph_path
    from lmkg.graph import fingerprint, load_graph

    explicit = path is not None
    p = path or default_graph_path()
    if not p.exists() and not explicit:
        from lmkg.api import build

        note(f"no built graph at {p}; building from {default_data_dir()} "
             f"(run 'lmkg build' to save it)")
        return build()
    kg = load_graph(p)
    data_dir = kg.meta.get("data_dir")
    if data_dir and Path(data_dir).exists() and kg.meta.get("data_fingerprint"):
        if fingerprint(Path(data_dir)) != kg.meta["data_fingerprint"]:
            note(f"warning: {p} is older than the data in {data_dir}; run 'lmkg build' to refresh")
    return kg


def handle_errors(f: F) -> F:
    """Turn lmkg's errors into a one-line message on stderr and exit code 1."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from lmkg.errors import LmkgError

        try:
            return f(*args, **kwargs)
        except LmkgError as exc:
            raise click.ClickException(str(exc)) from None
        except BrokenPipeError:  # output piped into head: not an error
            sys.stderr.close()
            raise SystemExit(0) from None

    return wrapper  # type: ignore[return-value]


def emit_rows(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str,
              title: str | None = None) -> None:
    """Print rows as a rich table, a JSON array, or CSV (lists joined with '; ')."""
    if fmt == "json":
        click.echo(json.dumps(list(rows), indent=2, ensure_ascii=False, default=str))
        return
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow([_cell(r.get(c)) for c in columns])
        click.echo(buf.getvalue(), nl=False)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for c in columns:
        table.add_column(c)
    for r in rows:
        table.add_row(*[_escape(_cell(r.get(c))) for c in columns])
    Console(soft_wrap=False, width=_width()).print(table)


def _width() -> int | None:
    """The terminal's width; wide (200) when output goes to a file or pipe, not 80."""
    return None if sys.stdout.isatty() else 200


def emit_json(obj: Any) -> None:
    click.echo(json.dumps(obj, indent=2, ensure_ascii=False, default=str))


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, list | tuple):
        return "; ".join(_cell(x) for x in v)
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def source_label(src: dict[str, Any]) -> str:
    """``PMID:123 (lm)`` / a URL: how a source is shown in tables."""
    label = src.get("id") or src.get("url") or "?"
    extras = [x for x in (src.get("scope"), "secondary" if src.get("secondary") else None) if x]
    return f"{label} ({', '.join(extras)})" if extras else label


def write_or_echo(text: str, output: Path | None) -> None:
    """Print ``text``, or write it atomically to ``output`` and say so on stderr."""
    if output is None:
        click.echo(text, nl=False)
        return
    from lmkg.atomic import atomic_write

    with atomic_write(output) as fh:
        fh.write(text)
    note(f"wrote {output}")


def emit_query_rows(cols: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str) -> None:
    """Rows of a Cypher or SPARQL answer, in the chosen format, with a count on stderr."""
    dict_rows = [dict(zip(cols, r, strict=True)) for r in rows]
    if fmt == "json":
        emit_json(dict_rows)
        return
    emit_rows(dict_rows, cols, fmt)
    if fmt == "table":
        note(f"{len(rows)} row(s)")
