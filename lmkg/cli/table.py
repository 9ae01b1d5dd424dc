"""The table writer of every row verb: fits the terminal, cuts long cells, caps row height.

A table is as wide as the terminal: ``$COLUMNS``, else the width of the terminal stdout is
attached to, else 100 (a pipe, a file, ``| less``). Columns keep their whole text while the
table fits. When it does not:

- a column that says the same on every row (or is empty on every row) is left out and said
  once above the table (``every row: covers = lm``; an empty column: ``cancer = -``);
- every column first gets the width that keeps its words whole (a word is split only after
  a hyphen, underscore or slash, and only a token longer than 20 characters, an id or a URL,
  anywhere), its header words too;
- columns of short text (names, lists of a few names) then get the width that shows them whole
  in ``max_lines`` lines, and what is left goes to the columns still short of their text in
  proportion to what they lack, so the free-text column (a quote, an indication, evidence)
  takes most of it;
- a cell wraps at spaces onto at most ``max_lines`` lines (3) and what still does not fit is
  cut with an ellipsis (``…``); a URL wider than its column is cut, never wrapped.

Only when even whole words do not fit are words split: the free-text columns give up their
width first, then every column. With ``wide`` nothing is cut or wrapped: each row is one line
holding every cell whole.

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
_URL = re.compile(r"(?:https?|ftp)://\S+|www\.\S+")
# A piece longer than this (an InChIKey, a long id) is not worth a column that wide: it is split.
LONGEST_PIECE = 16
WORD = 20  # words up to this wide (drug and company names, statuses, dates) are kept whole
URL_WIDTH = 24  # a URL is cut to its column, which is worth at least this wide
LONG_TOKEN = 32  # in tables whose rows grow (show), one-word cells up to this wide stay whole
PROSE_FLOOR = 10  # a column of sentences is still worth this wide
SIZE_ROWS = 500  # rows measured to size the short-text columns (the rest wrap or are cut)


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


def wrap(text: str, width: int, first: int | None = None, cut_urls: bool = False
         ) -> list[str]:
    """Wrap ``text`` into lines of at most ``width`` columns (the first line ``first``, when
    given), breaking at spaces, else after a hyphen, underscore or slash, else (a word wider
    than the column) anywhere. With ``cut_urls`` a URL wider than the column is cut with an
    ellipsis on a line of its own instead (a table's cell: the whole URL is in json and csv)."""
    if width <= 0:
        return [""]
    lines: list[str] = []
    line, used = "", 0
    full = width
    width = first if first is not None else full
    for word in text.split(" "):
        if not word:
            continue
        if cut_urls and width_of(word) > full and _URL.match(word):
            if line:
                lines.append(line)
            lines.append(cut(word, full))
            line, used, width = "", 0, full
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


def fit(text: str, width: int, max_lines: int | None, cut_urls: bool = False) -> list[str]:
    """``text`` wrapped to ``width``, at most ``max_lines`` lines (None: all of them), the last
    one cut with an ellipsis when text was left out."""
    lines = wrap(text, width, cut_urls=cut_urls)
    if max_lines is None or len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    last = kept[-1]
    kept[-1] = last + ELLIPSIS if width_of(last) + 1 <= width else cut(last + "  ", width)
    return kept


def column_widths(natural: Sequence[int], wanted: Sequence[int], room: int,
                  prose: Sequence[bool] | None = None,
                  tidy: Sequence[int] | None = None, tidy_share: float = 0.5) -> list[int]:
    """Column widths that fit in ``room``.

    Natural widths (every cell on one line) when they fit. Otherwise each column first gets
    what it ``wanted`` (its longest unbreakable piece, so that no word is split); then the
    columns whose text fits whole in a few lines at their ``tidy`` width (names, short lists)
    get it, the cheapest first and none more than ``tidy_share`` of the space still free; the rest
    goes to the columns still narrower than their text, in proportion to what each lacks, so
    that the long free text gets most of it. When even the wanted widths do not fit, the
    ``prose`` columns (sentences, lists) give up their width first, down to PROSE_FLOOR, and
    the one-word columns (names, statuses) keep theirs; failing that, the widest are cut to a
    common cap.
    """
    if sum(natural) <= room:
        return list(natural)
    base = [min(n, w) for n, w in zip(natural, wanted, strict=True)]
    if sum(base) > room:
        prose = prose or [False] * len(base)
        low = [min(b, PROSE_FLOOR) if p else b for b, p in zip(base, prose, strict=True)]
        if sum(low) <= room:
            return _fill(low, base, room)
        return _fill([min(b, 1) for b in base], base, room)
    widths = list(base)
    spare = room - sum(widths)
    if tidy is not None:
        goal = [min(max(t, b), n) for t, b, n in zip(tidy, base, natural, strict=True)]
        for i in sorted(range(len(widths)), key=lambda i: (goal[i] - widths[i], i)):
            cost = goal[i] - widths[i]
            if 0 < cost <= int(spare * tidy_share):
                widths[i] += cost
                spare -= cost
    return _share(widths, natural, spare)


def _share(widths: list[int], natural: Sequence[int], spare: int) -> list[int]:
    """``spare`` columns added to ``widths``, each column's share in proportion to what it
    lacks of its ``natural`` width (largest remainders first), none beyond it."""
    while spare > 0:
        lack = [max(0, n - w) for n, w in zip(natural, widths, strict=True)]
        total = sum(lack)
        if total == 0:
            break
        if total <= spare:
            return [max(n, w) for n, w in zip(natural, widths, strict=True)]
        shares = [spare * x / total for x in lack]
        add = [int(x) for x in shares]
        left = spare - sum(add)
        for i in sorted(range(len(add)), key=lambda i: (add[i] - shares[i], -lack[i]))[:left]:
            add[i] += 1
        widths = [w + a for w, a in zip(widths, add, strict=True)]
        spare = 0
    return widths


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
    columns = list(columns)
    cells = [[clean(cell_text(r.get(c))) for c in columns] for r in rows]
    heads = [clean(str(c)) for c in columns]
    natural = [max([width_of(h), *(width_of(row[i]) for row in cells)])
               for i, h in enumerate(heads)]
    gap = GAP
    said: list[str] = []
    if not wide and sum(natural) + len(gap) * (len(columns) - 1) > width:
        keep, said = _said_once(cells, heads, rows, columns)
        if said:
            columns = [c for i, c in enumerate(columns) if i in keep]
            cells = [[row[i] for i in keep] for row in cells]
            heads = [heads[i] for i in keep]
            natural = [natural[i] for i in keep]
    numeric = [bool(rows) and all(_is_number(r.get(c)) for r in rows) for c in columns]
    if wide:
        widths = natural
    else:
        prose = [_is_prose([row[i] for row in cells]) for i in range(len(heads))]
        # When rows may grow as tall as they need (show), a one-word cell up to LONG_TOKEN
        # (a vocabulary term such as lm_incidence_among_patients) is kept whole too.
        whole = [WORD if max_lines is not None or prose[i] else LONG_TOKEN
                 for i in range(len(heads))]
        wanted = [max([_head_width(h), *(_longest_piece(row[i], whole[i]) for row in cells)])
                  for i, h in enumerate(heads)]
        if sum(min(n, w) for n, w in zip(natural, wanted, strict=True)) \
                + len(gap) * (len(columns) - 1) > width:
            gap = " "  # a cramped table gives up a space between columns before words
        room = max(len(columns), width - len(gap) * (len(columns) - 1))
        # Short cells are worth showing whole in max_lines lines; in show's tables, whose
        # rows grow as tall as they need, in two (a name, a qualifier), so that the long
        # text (sources, quotes) takes the height.
        goal = max_lines if max_lines is not None else 2
        tidy = [_tidy_width([row[i] for row in cells[:SIZE_ROWS]], min(n, w), n, goal, room)
                for i, (n, w) in enumerate(zip(natural, wanted, strict=True))]
        widths = column_widths(natural, wanted, room, prose, tidy,
                               0.5 if max_lines is not None else 1.0)
    b0, b1 = ("\x1b[1m", "\x1b[0m") if bold else ("", "")
    out: list[str] = []
    if title:
        out.append(b0 + (clean(title) if wide else cut(clean(title), width)) + b1)
    if said:
        out.append(cut("every row: " + "; ".join(said), width))
    head_lines = [[h] if wide else fit(h, w, HEADER_LINES) for h, w in zip(heads, widths,
                                                                              strict=True)]
    out += _lines(head_lines, widths, [False] * len(widths), gap, b0, b1)
    out.append(gap.join("─" * w for w in widths))
    # A table's URL is cut (json and csv hold it whole); show's tables keep every cell whole.
    body = [[[t] if wide else fit(t, w, max_lines, cut_urls=max_lines is not None)
             for t, w in zip(row, widths, strict=True)] for row in cells]
    spaced = any(len(c) > 1 for row in body for c in row)
    for n, row in enumerate(body):
        if spaced and n:
            out.append("")
        out += _lines(row, widths, numeric, gap)
    return "\n".join(out) + "\n"


def _said_once(cells: list[list[str]], heads: list[str], rows: Sequence[dict[str, Any]],
               columns: Sequence[str]) -> tuple[list[int], list[str]]:
    """The columns worth a place in a table that does not fit, and what the others say once:
    a column empty on every row, or (three rows or more) the same short text on every row
    (a status, a category: up to WORD wide), is left out and named above the table. The first
    column (what the rows are) and numbers always stay."""
    keep, said = [0] if heads else [], []
    for i in range(1, len(heads)):
        values = {row[i] for row in cells}
        if values == {""} and cells:
            said.append(f"{heads[i]} = -")
        elif len(values) == 1 and len(cells) >= 3 and width_of(next(iter(values))) <= WORD \
                and not all(_is_number(r.get(columns[i])) for r in rows):
            said.append(f"{heads[i]} = {next(iter(values))}")
        else:
            keep.append(i)
    return keep, said


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


def _head_width(text: str) -> int:
    """The narrowest a header may be: its pieces whole (``cns_`` ``penetrant``, never
    ``subsidiarie`` ``s``) on at most HEADER_LINES lines."""
    w = max((width_of(p) for word in text.split() for p in pieces(word)), default=0)
    while len(wrap(text, w)) > HEADER_LINES:
        w += 1
    return w


def _longest_piece(text: str, whole: int = WORD) -> int:
    """The widest piece of ``text`` a column should not split: a word up to ``whole`` wide
    (a drug or company name, a date, ``brain_metastases``), a longer one at its hyphens,
    underscores and slashes and none of its pieces wider than LONGEST_PIECE, a URL (cut, not
    wrapped, in a cell) URL_WIDTH at most."""
    best = 0
    for word in text.split():
        w = width_of(word)
        if w <= best:
            continue
        if w <= whole:
            best = w
        elif _URL.match(word):
            best = max(best, URL_WIDTH)
        else:
            for p in pieces(word):
                best = max(best, min(width_of(p), LONGEST_PIECE))
    return best


def _tidy_width(texts: Sequence[str], low: int, high: int, max_lines: int, room: int) -> int:
    """The narrowest width from ``low`` up to ``high`` at which every text wraps onto at most
    ``max_lines`` lines (nothing cut), or ``high`` when that takes more than ``room``."""
    need = low
    for t in texts:
        w = width_of(t)
        if w <= need:
            continue
        if w > max_lines * room:
            return high
        guess = max(need, -(-w // max_lines))
        while guess < high and len(wrap(t, guess, cut_urls=True)) > max_lines:
            guess += 1
        need = guess
        if need >= high:
            return high
    return need
