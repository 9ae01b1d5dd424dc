"""Query results that notebooks can show: a list that becomes a pandas DataFrame or an HTML
table.

Every list a query returns is a :class:`Rows`: ``rows.to_frame()`` is a DataFrame (pandas is
the optional extra ``lmkg[notebook]``), and Jupyter shows the rows as a table by itself
(``_repr_html_``, no pandas needed). Items are turned into flat records by ``as_dict()`` when
they have one (answers, paths), else used as the dicts they are.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import fields
from typing import Any

from lmkg.errors import LmkgError


def as_record(obj: Any) -> dict[str, Any]:
    """A dataclass instance as a dict of its fields, nested dicts, lists, tuples and dataclasses
    copied: what :func:`dataclasses.asdict` gives, without its deep copy of every leaf value
    (the ``as_dict`` of an answer row was a third of a read-only verb's own time)."""
    names = _FIELDS.get(type(obj))
    if names is None:
        names = _FIELDS[type(obj)] = tuple(f.name for f in fields(obj))
    return {n: _copy(getattr(obj, n)) for n in names}


_FIELDS: dict[type, tuple[str, ...]] = {}


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_copy(v) for v in value)
    if hasattr(type(value), "__dataclass_fields__"):
        return as_record(value)
    return value  # str, int, float, bool, None: immutable, shared as asdict's copy would be


class Rows(list):
    """A list of query results with a table form."""

    def __init__(self, items: Iterable[Any] = (), record: Callable[[Any], dict] | None = None):
        super().__init__(items)
        self._record = record

    def records(self) -> list[dict[str, Any]]:
        """Each item as a flat dict (what a DataFrame row holds)."""
        if self._record is not None:
            return [self._record(x) for x in self]
        return [x.as_dict() if hasattr(x, "as_dict") else dict(x) for x in self]

    def to_frame(self):
        """The rows as a pandas DataFrame, one column per field."""
        try:
            import pandas as pd
        except ImportError:
            raise LmkgError("to_frame() needs pandas: pip install 'lmkg[notebook]'") from None
        return pd.DataFrame.from_records(self.records())

    def _repr_html_(self) -> str:
        recs = self.records()
        if not recs:
            return "<p><em>no rows</em></p>"
        cols = list(dict.fromkeys(k for r in recs for k in r))
        head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(_cell(r.get(c)))}</td>" for c in cols) + "</tr>"
            for r in recs)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    return str(value)
