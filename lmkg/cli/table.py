"""The table writer of every row verb: fits the terminal, cuts long cells, caps row height.

A table is as wide as the terminal: ``$COLUMNS``, else the width of the terminal stdout is
attached to, else 100 (a pipe, a file, ``| less``). Columns keep their whole text while the
table fits; when it does not, the widest columns give up space first (each column is cut to
the same width, the narrow ones keep theirs), a cell wraps at spaces onto at most
``max_lines`` lines (3), and what still does not fit is cut with an ellipsis (``…``). With
``wide`` nothing is cut or wrapped: each row is one line holding every cell whole.

Dependency-free on purpose: a verb that prints ten rows should not pay for a rendering
library's start-up (rich took about 70 ms a call here).
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections.abc import Sequence
from typing import Any, TextIO

ELLIPSIS = "…"
GAP = "  "
DEFAULT_WIDTH = 100
MAX_LINES = 3
HEADER_LINES = 2

# Characters that would move the cursor, retitle or clear the terminal, or reorder the text
# around them: shown as a visible escape instead of acting on the terminal.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")
_SPACE = re.compile(r"[\t\n\r]+")
_PIECES = re.compile(r"[^-_/]+[-_/]*|[-_/]+")
# A piece longer than this (a URL, an InChIKey) is not worth a column that wide: it is split.
LONGEST_PIECE = 16
PROSE_FLOOR = 10  # a column of sentences is still worth this wide
SHORT_WORD = 12  # words up to this wide (dates, statuses, drug names) are never split
LONG_TOKEN = 32  # nor, in tables whose rows grow (show), one-word cells up to this wide


def terminal_width(stream: TextIO | None = None) -> int:
    """``$COLUMNS`` when set to a positive number, else the terminal's width, else 100."""
    env = os.environ.get("COLUMNS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    stream = stream if stream is not None else sys.stdout
    try:
        if stream.isatty():
            return os.get_terminal_size(stream.fileno()).columns or DEFAULT_WIDTH
    except (AttributeError, OSError, ValueError):
        pass
    return DEFAULT_WIDTH


def clean(text: str) -> str:
    """One line of printable text: tabs and newlines become spaces, control and bidi
    characters become visible ``\\x1b``/``\\u202e`` escapes."""
    text = _SPACE.sub(" ", text)
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def cell_text(value: Any) -> str:
    """How a value reads in a cell: lists joined with ``; ``, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(t for t in (cell_text(v) for v in value) if t)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):
        return ", ".join(f"{k}={cell_text(v)}" for k, v in value.items())
    return str(value)


def width_of(text: str) -> int:
    """Columns ``text`` takes on a terminal (wide East Asian characters count two)."""
    if text.isascii():
        return len(text)
    n = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        n += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return n


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` columns, ending with an ellipsis when cut."""
    if width_of(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    out, used = [], 0
    for ch in text:
        w = width_of(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out).rstrip() + ELLIPSIS


def pieces(word: str) -> list[str]:
    """Where a word may break: after a hyphen, an underscore or a slash
    (``third-`` ``generation``, ``intracranial_`` ``response``, ``https://`` ``host/``)."""
    return _PIECES.findall(word) or [word]


def wrap(text: str, width: int, first: int | None = None) -> list[str]:
    """Wrap ``text`` into lines of at most ``width`` columns (the first line ``first``, when
    given), breaking at spaces, else after a hyphen, underscore or slash, else (a word wider
    than the column) anywhere."""
    if width <= 0:
        return [""]
    lines: list[str] = []
    line, used = "", 0
    full = width
    width = first if first is not None else full
    for word in text.split(" "):
        if not word:
            continue
        for k, piece in enumerate(pieces(word)):
            sep = " " if k == 0 and line else ""
            w = width_of(piece)
            if used + len(sep) + w <= width:
                line, used = line + sep + piece, used + len(sep) + w
                continue
            if line:
                lines.append(line)
                width = full
            while w > width:
                head = _take(piece, width)
                lines.append(head)
                width = full
                piece = piece[len(head):]
                w = width_of(piece)
            line, used = piece, w
    if line or not lines:
        lines.append(line)
    return lines


def _take(word: str, width: int) -> str:
    out, used = [], 0
    for ch in word:
        w = width_of(ch)
        if used + w > width:
            break
        out.append(ch)
        used += w
    return "".join(out) or word[:1]


def fit(text: str, width: int, max_lines: int | None) -> list[str]:
    """``text`` wrapped to ``width``, at most ``max_lines`` lines (None: all of them), the last
    one cut with an ellipsis when text was left out."""
    lines = wrap(text, width)
    if max_lines is None or len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    last = kept[-1]
    kept[-1] = last + ELLIPSIS if width_of(last) + 1 <= width else cut(last + "  ", width)
    return kept


def column_widths(natural: Sequence[int], wanted: Sequence[int], room: int,
                  prose: Sequence[bool] | None = None) -> list[int]:
    """Column widths that fit in ``room``.

    Natural widths (every cell on one line) when they fit. Otherwise each column first gets
    what it ``wanted`` (its longest unbreakable piece, so words are not split) and the space
    left goes to the columns still narrower than their text, all cut to one common cap (the
    narrow columns keep their width). When even the wanted widths do not fit, the ``prose``
    columns (sentences, lists) give up their width first, down to PROSE_FLOOR, and the
    one-word columns (names, statuses) keep theirs; failing that, the widest are cut to a
    common cap.
    """
    if sum(natural) <= room:
        return list(natural)
    base = [min(n, w) for n, w in zip(natural, wanted, strict=True)]
    if sum(base) <= room:
        return _fill(base, natural, room)
    prose = prose or [False] * len(base)
    low = [min(b, PROSE_FLOOR) if p else b for b, p in zip(base, prose, strict=True)]
    if sum(low) <= room:
        return _fill(low, base, room)
    return _fill([min(b, 1) for b in base], base, room)


def _fill(low: Sequence[int], high: Sequence[int], room: int) -> list[int]:
    """``max(low, min(high, cap))`` per column for the largest cap that fits ``room``; the
    columns left with less than ``high`` then share the remainder, widest first."""
    lo, hi = 0, max(high, default=0)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if sum(max(a, min(b, mid)) for a, b in zip(low, high, strict=True)) <= room:
            lo = mid
        else:
            hi = mid - 1
    widths = [max(a, min(b, lo)) for a, b in zip(low, high, strict=True)]
    spare = room - sum(widths)
    for i in sorted(range(len(widths)), key=lambda i: -high[i]):
        if spare <= 0:
            break
        if widths[i] < high[i]:
            widths[i] += 1
            spare -= 1
    return widths


def render(rows: Sequence[dict[str, Any]], columns: Sequence[str], *, title: str | None = None,
           width: int | None = None, wide: bool = False, max_lines: int | None = MAX_LINES,
           bold: bool = False) -> str:
    """The table as text (with a trailing newline); see the module docstring for the rules."""
    width = terminal_width() if width is None else width
    cells = [[clean(cell_text(r.get(c))) for c in columns] for r in rows]
    heads = [clean(str(c)) for c in columns]
    numeric = [bool(rows) and all(_is_number(r.get(c)) for r in rows) for c in columns]
    natural = [max([width_of(h), *(width_of(row[i]) for row in cells)])
               for i, h in enumerate(heads)]
    gap = GAP
    if wide:
        widths = natural
    else:
        prose = [_is_prose([row[i] for row in cells]) for i in range(len(heads))]
        # One-word columns (names, statuses, vocabulary terms) keep their words whole when
        # they can; when rows may grow as tall as they need (show), longer ones too.
        short = SHORT_WORD if max_lines is not None else LONG_TOKEN
        wanted = [max([_longest_word(h), *(_longest_piece(row[i], SHORT_WORD if prose[i]
                                                          else short) for row in cells)])
                  for i, h in enumerate(heads)]
        if sum(min(n, w) for n, w in zip(natural, wanted, strict=True)) \
                + len(gap) * (len(columns) - 1) > width:
            gap = " "  # a cramped table gives up a space between columns before words
        room = max(len(columns), width - len(gap) * (len(columns) - 1))
        widths = column_widths(natural, wanted, room, prose)
    b0, b1 = ("\x1b[1m", "\x1b[0m") if bold else ("", "")
    out: list[str] = []
    if title:
        out.append(b0 + (clean(title) if wide else cut(clean(title), width)) + b1)
    head_lines = [[h] if wide else fit(h, w, HEADER_LINES) for h, w in zip(heads, widths,
                                                                              strict=True)]
    out += _lines(head_lines, widths, [False] * len(widths), gap, b0, b1)
    out.append(gap.join("─" * w for w in widths))
    body = [[[t] if wide else fit(t, w, max_lines) for t, w in zip(row, widths, strict=True)]
            for row in cells]
    spaced = any(len(c) > 1 for row in body for c in row)
    for n, row in enumerate(body):
        if spaced and n:
            out.append("")
        out += _lines(row, widths, numeric, gap)
    return "\n".join(out) + "\n"


def _lines(cells: list[list[str]], widths: Sequence[int], numeric: Sequence[bool], gap: str,
           b0: str = "", b1: str = "") -> list[str]:
    height = max((len(c) for c in cells), default=1)
    lines = []
    for k in range(height):
        parts = []
        for c, w, num in zip(cells, widths, numeric, strict=True):
            text = c[k] if k < len(c) else ""
            pad = " " * (w - width_of(text))
            parts.append(pad + text if num else text + pad)
        text = gap.join(parts).rstrip()
        lines.append(b0 + text + b1 if b0 and text else text)
    return lines


def _is_prose(texts: Sequence[str]) -> bool:
    """A column of sentences or lists (most cells several words), not of names or codes."""
    filled = [t for t in texts if t]
    return bool(filled) and sum(" " in t for t in filled) * 2 > len(filled)


def _is_number(v: Any) -> bool:
    return v is None or (isinstance(v, int | float) and not isinstance(v, bool))


def _longest_word(text: str) -> int:
    return max((width_of(w) for w in text.split()), default=0)


def _longest_piece(text: str, short: int = 12) -> int:
    """The widest piece of ``text`` a column should not split: a short word whole (a date,
    a status, ``osimertinib``), a long one at its hyphens, underscores and slashes, and
    nothing wider than LONGEST_PIECE."""
    best = 0
    for word in text.split():
        w = width_of(word)
        if w <= best:
            continue
        if w <= short:
            best = w
            continue
        for p in pieces(word):
            best = max(best, min(width_of(p), LONGEST_PIECE))
            if best == LONGEST_PIECE:
                return best
    return best
