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


def wide_option(f: F) -> F:
    """``--wide``: tables show every cell whole, one line a row (shared by every row verb)."""

    def remember(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
        if value:
            ctx.meta["lmkg.wide"] = True
        return value

    return click.option(
        "--wide", is_flag=True, expose_value=False, callback=remember, is_eager=True,
        help="Tables: show whole cells, one line a row, however wide (default: fit the "
             "terminal, $COLUMNS or 100, cutting long text with an ellipsis).",
    )(f)


def _wide() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.find_root().meta.get("lmkg.wide"))


def get_graph(path: Path | None):
    """Open the saved graph, or build one from the shipped data when none was saved (saying
    so). Once the command has answered, one line on stderr says which graph answered (file,
    build time, curated data hash, sources); json objects also carry it as ``graph``."""
    from lmkg.api import default_data_dir, default_graph_path
    from lmkg.graph import fingerprint, load_graph

    explicit = path is not None
    p = path or default_graph_path()
    if not p.exists() and not explicit:
        from lmkg.api import build

        note(f"no built graph at {p}; building the curated-only graph from "
             f"{default_data_dir()} (run 'lmkg build' to save it, with --source to add "
             "public sources)")
        kg = build()
    else:
        kg = load_graph(p)
        data_dir = kg.meta.get("data_dir")
        if data_dir and Path(data_dir).exists() and kg.meta.get("data_fingerprint"):
            if fingerprint(Path(data_dir)) != kg.meta["data_fingerprint"]:
                note(f"warning: {p} is older than the data in {data_dir}; run 'lmkg build' to "
                     "refresh")
    ctx = click.get_current_context(silent=True)
    if ctx is not None:  # said once the answer is out (handle_errors), never before an error
        ctx.find_root().meta["lmkg.graph"] = kg.origin()
        ctx.find_root().meta["lmkg.graph_line"] = f"graph: {kg.describe_origin()}"
    return kg


def handle_errors(f: F) -> F:
    """Turn lmkg's errors into a one-line message on stderr and exit code 1; after a
    successful answer from a graph, name that graph on stderr."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from lmkg.errors import LmkgError

        try:
            out = f(*args, **kwargs)
            ctx = click.get_current_context(silent=True)
            line = ctx.find_root().meta.pop("lmkg.graph_line", None) if ctx else None
            if line:
                note(line)
            return out
        except LmkgError as exc:
            raise click.ClickException(str(exc)) from None
        except BrokenPipeError:  # output piped into head: not an error
            sys.stderr.close()
            raise SystemExit(0) from None

    return wrapper  # type: ignore[return-value]


def emit_rows(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str,
              title: str | None = None, extra: Sequence[str] = ()) -> None:
    """Print rows as a table that fits the terminal, a JSON array, or CSV.

    ``columns`` are the table's; ``extra`` are more columns for CSV only (the JSON rows are
    the row dicts whole, so they carry every column and more). CSV joins lists with ``; ``.
    """
    if fmt == "json":
        emit_json([_with_columns(r, columns) for r in rows])
        return
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow([*columns, *extra])
        for r in rows:
            w.writerow([_cell(r.get(c)) for c in (*columns, *extra)])
        click.echo(buf.getvalue(), nl=False)
        return
    from .table import render

    click.echo(render(rows, columns, title=title, wide=_wide(), bold=_bold()), nl=False)


def _with_columns(row: dict[str, Any], columns: Sequence[str]) -> dict[str, Any]:
    """The row with every table column present (None when the row has no value)."""
    missing = [c for c in columns if c not in row]
    return {**row, **dict.fromkeys(missing)} if missing else dict(row)


def _bold() -> bool:
    """Bold headers only on a terminal, and never with $NO_COLOR set."""
    import os

    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def width() -> int:
    """The width output must fit: $COLUMNS, else the terminal's, else 100."""
    from .table import terminal_width

    return terminal_width()


def fold(text: str, first: str = "", indent: str = "") -> str:
    """A line of prose output (not a table) wrapped whole to the terminal width: the first
    line starts with ``first``, the next ones with ``indent``; with --wide, one line."""
    from .table import clean, width_of, wrap

    text = clean(text)
    if _wide():
        return first + text
    lines = wrap(text, max(20, width() - width_of(indent)),
                 first=max(20, width() - width_of(first)))
    return "\n".join([first + lines[0], *(indent + x for x in lines[1:])])


def emit_json(obj: Any) -> None:
    """Print ``obj`` as indented JSON; a JSON object also says which graph answered
    (``graph``: file, built_at, curated_data, data_hash, sources) when a graph was read."""
    ctx = click.get_current_context(silent=True)
    origin = ctx.find_root().meta.get("lmkg.graph") if ctx is not None else None
    if isinstance(obj, dict) and origin is not None and "graph" not in obj:
        obj = {"graph": origin, **obj}
    click.echo(json.dumps(obj, indent=2, ensure_ascii=False, default=str))


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, list | tuple):
        return "; ".join(_cell(x) for x in v)
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


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
    emit_rows(dict_rows, cols, fmt)
    if fmt == "table":
        note(f"{len(rows)} row(s)")
