"""The loader protocol: read a source, yield ontology objects, report every problem.

A loader never raises on the first bad record and never drops one silently: each problem is a
:class:`Problem` naming the file, line (or record id), field and reason, and a rejected record
is kept in the :class:`LoadResult` so that a lenient build can write it to its report.
"""

from __future__ import annotations

import csv
import functools
import gc
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from lmkg.ontology import Entity, Relation

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as the format allows."""

    file: str
    line: int | None
    record: str | None
    field: str | None
    reason: str
    severity: str = "error"  # "error" rejects the record; "warning" keeps it

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        parts = [where]
        if self.record:
            parts.append(f"record {self.record}")
        if self.field:
            parts.append(f"field {self.field}")
        return f"{' '.join(parts)}: {self.severity}: {self.reason}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


INVALID = "invalid"
OUT_OF_SCOPE = "out_of_scope"
UNMATCHED = "unmatched"
DUPLICATE = "duplicate"


@dataclass
class Rejected:
    """A record that was not loaded, with its raw content, why, and what kind of outcome it is.

    ``outcome`` tells a bad record from one that is simply not about the LM landscape:
    ``invalid`` (the record is broken: a field missing, not a number, not the shape the format
    has: the only records a report calls *rejected*), ``out_of_scope`` (a sound record about
    something the graph does not hold and the source may not create, or that lmkg leaves out
    by rule, such as a generic-drug application), ``unmatched`` (it names something that
    could not be matched safely) or ``duplicate`` (another copy of a record already read: the
    copy kept is named in the reason).
    """

    file: str
    line: int | None
    record: str | None
    raw: Any
    reasons: list[str]
    outcome: str = INVALID


@dataclass
class SourceItem:
    """One input record of an external source, as ontology objects with provisional ids.

    ``entity`` is the record's primary entity (a trial, a designation, an agent's evidence);
    ``related`` are other entities it names (sponsors, conditions, interventions); ``relations``
    join them by their provisional ids. The merger resolves every provisional entity to an
    existing one (xref first, then name or synonym) or creates it where the source is
    authoritative for that type, and decides the record's outcome: matched, created or rejected.
    """

    record: str
    entity: Entity | None
    related: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    line: int | None = None
    # Provisional ids among ``related`` that must resolve for ``entity`` to be created: a
    # designation is only in scope if its agent is in the graph.
    requires: list[str] = field(default_factory=list)


@dataclass
class LoadResult:
    """What a loader produced: entities, relations, problems, and the records it rejected."""

    source: str
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
    # External sources: one item per input record that parsed, and how many records were read.
    items: list[SourceItem] = field(default_factory=list)
    read: int = 0
    version: str | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def invalid(self) -> list[Rejected]:
        """The records that are broken (not those set aside as out of scope)."""
        return [r for r in self.rejected if r.outcome == INVALID]

    def rejected_report(self) -> list[dict[str, Any]]:
        return [
            {"file": r.file, "line": r.line, "record": r.record, "reasons": r.reasons,
             "raw": _jsonable(r.raw)}
            for r in self.rejected
        ]


def _jsonable(value: Any) -> Any:
    try:
        json.dumps(value)
        return value
    except TypeError:
        return json.loads(json.dumps(value, default=str))


class Loader(Protocol):
    """Reads one source into ontology objects.

    ``name`` is the registry key (``curated``, ``ctgov``, ...). ``load`` takes a path (file or
    directory) and returns a :class:`LoadResult`; it must not raise on bad records: a record
    that cannot be read becomes a :class:`Rejected` with its reasons (and counts in ``read``).
    ``creates`` names the entity types the source is authoritative for: an unmatched entity of
    those types is created, any other unmatched entity is reported, never invented.
    """

    name: str
    description: str
    creates: frozenset[str]

    def load(self, path: Path, **options: Any) -> LoadResult: ...


_REGISTRY: dict[str, Callable[[], Loader]] = {}


def register(name: str) -> Callable[[Callable[[], Loader]], Callable[[], Loader]]:
    """Register a loader factory under a name (``@register("b3db")``)."""

    def deco(factory: Callable[[], Loader]) -> Callable[[], Loader]:
        if name in _REGISTRY:
            raise ValueError(f"loader {name!r} is registered twice")
        _REGISTRY[name] = factory
        return factory

    return deco


def get_loader(name: str) -> Loader:
    try:
        return _REGISTRY[name]()
    except KeyError:
        raise KeyError(
            f"no loader named {name!r} (available: {', '.join(sorted(_REGISTRY))})"
        ) from None


def loader_names() -> list[str]:
    return sorted(_REGISTRY)


def paused_gc(load: F) -> F:
    """Run a loader's ``load`` with the cyclic garbage collector paused.

    A load allocates millions of small acyclic objects (models, tuples, dicts) that all stay
    alive; each collection walks every one of them again, which about halves a loader's speed
    on a large file. Reference counting still frees everything; collection resumes after.
    """

    @functools.wraps(load)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return load(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return wrapper  # type: ignore[return-value]


def not_utf8(path: Path, exc: UnicodeDecodeError, shown: str | None = None) -> Problem:
    """The problem for a file that is not UTF-8, at the first line that does not decode.

    Text is decoded in blocks, so the error surfaces where a block was read, not where the
    bad byte is: the file is scanned again, line by line, to name the line.
    """
    shown = shown or path.name
    try:
        with path.open("rb") as fh:
            for n, raw in enumerate(fh, 1):
                try:
                    raw.decode("utf-8")
                except UnicodeDecodeError as e:
                    byte = raw[e.start:e.start + 1]
                    return Problem(shown, n, None, None,
                                   f"not UTF-8 text: byte 0x{byte.hex()} at column {e.start + 1} "
                                   "(Latin-1 or Windows-1252? save the file as UTF-8); "
                                   "the file was not read from here on")
    except OSError:
        pass
    return Problem(shown, None, None, None, f"not UTF-8 text ({exc.reason})")


def iter_files(path: Path, suffixes: Iterable[str]) -> list[Path]:
    """The files under ``path`` (or ``path`` itself) with one of ``suffixes``, sorted."""
    sufs = tuple(suffixes)
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.is_file() and p.name.endswith(sufs))


def read_table(path: Path, result: LoadResult, *, delimiter: str, what: str,
               header_error: Callable[[set[str]], str | None],
               on_row: Callable[[int, dict[str, str]], None], shown: str | None = None) -> None:
    """Stream a CSV/TSV file row by row into ``on_row(line, row)``, counting ``result.read``.

    ``header_error`` gets the column names and returns why they are wrong (or None). Every
    failure becomes a Problem with the file and line: unreadable file, wrong columns, bytes
    that are not UTF-8, malformed quoting; a leading byte-order mark is accepted.
    """
    shown = shown or path.name
    try:
        fh = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        result.problems.append(Problem(shown, None, None, None, f"cannot read: {exc.strerror}"))
        return
    with fh:
        reader = csv.DictReader(fh, delimiter=delimiter)
        try:
            header = set(reader.fieldnames or [])
        except UnicodeDecodeError as exc:
            result.problems.append(not_utf8(path, exc, shown))
            return
        why = header_error(header)
        if why:
            result.problems.append(Problem(shown, 1, None, None,
                                           f"wrong columns: {why}; is this {what}?"))
            return
        line, short = 1, False
        width = len(reader.fieldnames or [])
        kind = "TSV" if delimiter == "\t" else "CSV"
        try:
            for row in reader:
                line = reader.line_num
                result.read += 1
                # A row with more or fewer fields than the header is not a record to read.
                short = None in row.values()
                if short or None in row:
                    have = width - sum(v is None for v in row.values()) + len(row.get(None) or ())
                    result.rejected.append(Rejected(shown, line, f"{shown}:{line}", _plain(row), [
                        f"{have} fields where the header has {width}"
                        + (" (a stray delimiter or quote?)" if not short else "")]))
                    continue
                on_row(line, row)
        except UnicodeDecodeError as exc:
            result.problems.append(not_utf8(path, exc, shown))
        except csv.Error as exc:
            result.problems.append(Problem(shown, line + 1, None, None,
                                           f"malformed {kind} ({exc}); stopped here"))
        else:
            if short and not _ends_with_newline(path):
                result.problems.append(Problem(shown, line, None, None,
                                               f"the file ends inside a row (line {line} stops "
                                               f"short of the header's {width} fields): "
                                               f"truncated?"))


def _plain(row: dict[Any, Any]) -> dict[str, Any]:
    return {("(extra)" if k is None else k): v for k, v in row.items()}


def _ends_with_newline(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            fh.seek(-1, 2)
            return fh.read(1) in (b"\n", b"\r")
    except OSError:
        return True


def missing_columns(required: Iterable[str]) -> Callable[[set[str]], str | None]:
    """A ``header_error`` for :func:`read_table` that asks for these columns."""
    need = set(required)

    def check(header: set[str]) -> str | None:
        missing = need - header
        if not missing:
            return None
        return (f"missing {', '.join(sorted(missing))} "
                f"(found {', '.join(sorted(header)) or 'none'})")

    return check


def read_json(path: Path, result: LoadResult, shown: str | None = None) -> Any:
    """The parsed JSON document, or None after recording why it could not be read."""
    shown = shown or path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        result.problems.append(Problem(shown, None, None, None, f"cannot read: {exc.strerror}"))
        return None
    try:
        return json.loads(raw)
    except UnicodeDecodeError as exc:
        result.problems.append(not_utf8(path, exc, shown))
    except ValueError as exc:
        result.problems.append(Problem(shown, getattr(exc, "lineno", None), None, None,
                                       f"not valid JSON (truncated or damaged?): {exc}"))
    return None


_SLUG = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=131072)  # sources repeat their names row after row
def slug(text: str) -> str:
    """The id slug for a name a source gives: ``"Seagen Inc."`` -> ``seagen-inc``.

    Not truncated: provisional ids key the merge's resolution cache, so two long names must
    not share one.
    """
    return _SLUG.sub("-", text.casefold()).strip("-") or "unnamed"
