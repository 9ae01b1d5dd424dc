"""What every CLI verb shares: the graph option, output formats and error handling."""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import re
import sys
import unicodedata
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


# Characters that must never reach a terminal raw: C0/C1 controls (ESC starts ANSI and OSC
# sequences that recolour, retitle or clear the terminal), format characters (RTL overrides,
# zero-width spaces, BOM), line and paragraph separators, lone surrogates.
_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_URI_USERINFO = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://[^/@\s:]*):\S*@")


def _escape_char(c: str) -> str:
    n = ord(c)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}"


def printable(text: object, newlines: bool = True) -> str:
    """``text`` safe to print on a terminal: control and format characters shown as escapes.

    ``\\x1b`` (ESC), ``\\u202e`` (RTL override), ``\\u200b`` (zero-width space) and the like
    become visible backslash escapes; newlines and tabs are kept unless ``newlines`` is False.
    Every text lmkg prints goes through here (tables, ``show``, paths, messages).
    """
    s = text if isinstance(text, str) else str(text)
    if s.isprintable():
        return s
    keep = "\n\t" if newlines else ""
    return "".join(
        c if c in keep or unicodedata.category(c) not in _UNPRINTABLE else _escape_char(c)
        for c in s)


def redact(text: str) -> str:
    """``text`` without secrets: a password in a URI (``bolt://u:***@host``) and the value of
    $NEO4J_PASSWORD wherever it appears."""
    text = _URI_USERINFO.sub(r"\1:***@", text)
    secret = os.environ.get("NEO4J_PASSWORD")
    if secret and len(secret) >= 4:
        text = text.replace(secret, "***")
    return text


def limit_options(rows: bool = True) -> Callable[[F], F]:
    """``--timeout``, ``--max-memory`` (and ``--max-rows``) for a verb that runs a user's query;
    the verb receives them as one ``limits`` argument (a QueryLimits)."""

    def deco(f: F) -> F:
        @functools.wraps(f)
        def wrapper(*args: Any, timeout: float | None, max_memory: int | None,
                    max_rows: int | None = None, **kwargs: Any) -> Any:
            from lmkg.graph.query.limits import QueryLimits

            d = QueryLimits()
            kwargs["limits"] = QueryLimits(
                d.timeout if timeout is None else timeout,
                d.max_rows if max_rows is None else max_rows,
                d.max_memory_mb if max_memory is None else max_memory)
            return f(*args, **kwargs)

        g: Any = wrapper
        g = click.option("--max-memory", type=click.IntRange(0), default=None, metavar="MB",
                         help="Stop the query if it needs more memory than this "
                              "(default 4096; 0: no limit).")(g)
        if rows:
            g = click.option("--max-rows", type=click.IntRange(0), default=None, metavar="N",
                             help="Fail if the answer has more rows than this (default "
                                  "100000; 0: no limit); add LIMIT for a sample.")(g)
        g = click.option("--timeout", type=click.FloatRange(0), default=None,
                         metavar="SECONDS",
                         help="Stop the query after this many seconds (default 30; 0: no "
                              "limit).")(g)
        return g  # type: ignore[no-any-return]

    return deco


def note(msg: str) -> None:
    """A message for the person at the terminal (stderr, so stdout stays machine-readable)."""
    click.echo(printable(redact(msg)), err=True)


def say(msg: str) -> None:
    """A line of a verb's own output on stdout, made safe to print."""
    click.echo(printable(msg))


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


def is_wide() -> bool:
    """True when the command was given --wide (every cell whole)."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.find_root().meta.get("lmkg.wide"))


def get_graph(path: Path | None):
    """Open the saved graph, or build one from the shipped data when none was saved (saying
    so). Once the command has answered in a table or text, one line on stderr says which graph
    answered (file, build time, curated data hash, sources); json objects carry it as
    ``graph`` instead, and json arrays and csv stay as they are."""
    p = _graph_file(path)
    if p is None:
        from lmkg.api import build

        kg = build()
    else:
        from lmkg.graph.store import load_graph

        kg = load_graph(p)
        _warn_if_stale(p, kg.meta)
    _announce(kg)
    return kg


def saved_graph(path: Path | None) -> Path | None:
    """The saved graph file a verb reads (``--graph``, else $LMKG_GRAPH or the default), with a
    warning when it is older than the data it was built from, and without reading more of it
    than its meta (a verb answered from a cache built beside it needs no more); None when there
    is none and the verb works on a graph built from the shipped data (:func:`get_graph`)."""
    from lmkg.graph.kg import KnowledgeGraph
    from lmkg.graph.store import read_meta

    p = _graph_file(path, say=False)
    if p is not None:
        meta = read_meta(p)
        _warn_if_stale(p, meta)
        shell = KnowledgeGraph()  # no nodes: only what origin() reads, the meta and the file
        shell.meta, shell.path = meta, str(p)
        _announce(shell)
    return p


def _graph_file(path: Path | None, say: bool = True) -> Path | None:
    from lmkg.api import default_data_dir, default_graph_path

    p = path or default_graph_path()
    if path is None and not p.exists():
        if say:
            note(f"no built graph at {p}; building the curated-only graph from "
                 f"{default_data_dir()} (run 'lmkg build' to save it, with --source to add "
                 "public sources)")
        return None
    return p


def _warn_if_stale(p: Path, meta: dict[str, Any]) -> None:
    from lmkg.graph.store import older_than_data

    changed = older_than_data(meta)
    if changed is not None:
        note(f"warning: {p} is older than the data in {changed}; run 'lmkg build' to refresh")


def _announce(kg) -> None:
    ctx = click.get_current_context(silent=True)
    if ctx is not None:  # said once the answer is out (handle_errors), never before an error
        ctx.find_root().meta["lmkg.graph"] = kg.origin()
        ctx.find_root().meta["lmkg.graph_line"] = f"graph: {kg.describe_origin()}"


def handle_errors(f: F) -> F:
    """Turn lmkg's errors into a one-line message on stderr and exit code 1; after a
    successful answer from a graph, name that graph on stderr."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from lmkg.errors import LmkgError

        try:
            out = f(*args, **kwargs)
            ctx = click.get_current_context(silent=True)
            meta = ctx.find_root().meta if ctx else {}
            line = meta.pop("lmkg.graph_line", None)
            if line and not meta.get("lmkg.machine"):  # json/csv stay alone, as scripts want
                note(fold(line, indent="  "))  # within the width, like the table above it
            return out
        except BrokenPipeError:  # output piped into head: not an error
            sys.stderr.close()
            raise SystemExit(0) from None
        except LmkgError as exc:
            raise click.ClickException(_one_line(str(exc))) from None
        except OSError as exc:  # a file lmkg was given or asked to write: one line, no trace
            where = f"{exc.filename}: " if exc.filename else ""
            raise click.ClickException(_one_line(f"{where}{exc.strerror or exc}")) from None

    return wrapper  # type: ignore[return-value]


def _one_line(msg: str) -> str:
    return printable(redact(msg), newlines=False)


def emit_rows(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str,
              title: str | None = None, extra: Sequence[str] = (), whole: bool = False) -> None:
    """Print rows as a table that fits the terminal, a JSON array, or CSV.

    ``columns`` are the table's; ``extra`` are more columns for CSV only (the JSON rows are
    the row dicts whole, so they carry every column and more). CSV joins lists with ``; ``.
    A table cuts a cell after three lines, unless ``whole`` (``lmkg show``: every cell whole,
    wrapped to the width, however many lines it takes).
    """
    if fmt == "json":
        emit_json([_with_columns(r, columns) for r in rows])
        return
    if fmt == "csv":
        machine_output()
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow([printable(c) for c in (*columns, *extra)])
        for r in rows:
            w.writerow([printable(_cell(r.get(c))) for c in (*columns, *extra)])
        click.echo(buf.getvalue(), nl=False)
        return
    from .table import MAX_LINES, render

    click.echo(render(rows, columns, title=title, wide=is_wide(), bold=_bold(),
                      max_lines=None if whole else MAX_LINES), nl=False)


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
    if is_wide():
        return first + text
    lines = wrap(text, max(20, width() - width_of(indent)),
                 first=max(20, width() - width_of(first)))
    return "\n".join([first + lines[0], *(indent + x for x in lines[1:])])


def emit_json(obj: Any) -> None:
    """Print ``obj`` as indented JSON; a JSON object also says which graph answered
    (``graph``: file, built_at, curated_data, data_hash, sources) when a graph was read.
    Characters unsafe on a terminal are written as ``\\uXXXX`` escapes, so the JSON holds the
    same values and the terminal sees none of them raw."""
    ctx = machine_output()
    origin = ctx.find_root().meta.get("lmkg.graph") if ctx is not None else None
    if isinstance(obj, dict) and origin is not None and "graph" not in obj:
        obj = {"graph": origin, **obj}
    click.echo(json_text(obj))


def json_text(obj: Any) -> str:
    text = json.dumps(obj, indent=2, ensure_ascii=False, default=str)
    return text if text.isascii() else _JSON_UNSAFE.sub(_json_escape, text)


_JSON_UNSAFE = re.compile(r"[^\x00-\x7e]")


def _json_escape(m: re.Match[str]) -> str:
    c = m.group()
    if c.isprintable() or unicodedata.category(c) not in _UNPRINTABLE:
        return c
    n = ord(c)
    if n < 0x10000:
        return f"\\u{n:04x}"
    n -= 0x10000
    return f"\\u{0xD800 + (n >> 10):04x}\\u{0xDC00 + (n & 0x3FF):04x}"


def machine_output() -> click.Context | None:
    """Note that this command printed json or csv (no graph line on stderr then)."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.find_root().meta["lmkg.machine"] = True
    return ctx


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
        click.echo(printable(text), nl=False)
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
