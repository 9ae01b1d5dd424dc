"""The map page's data, packed: what :func:`lmkg.viz.map.map_data` returns, as the page has it.

The data is most of a map page's weight. The page carries the dict ``map_data`` returns
(docs/map.md, "The page's data") packed, and reads it back into that dict before it draws:

- every list of records (nodes, edges, sources, the views' items, the facets) is stored by
  column, so that a field's name is written once, not once a record;
- a column that holds its default in most records (no description, no facts, a label that is
  the name) lists only the records that differ, by the gaps between their row numbers;
- strings that recur (entity types, relation names, fact labels, source labels and scopes, the
  part of a URL or an id up to its last ``/``) are written once, in ``strings``, and named by
  their index there; sorted lists of row numbers are written as the gaps between them;
- what the page works out for itself is not written: a node's degree and marker size (from the
  edges), the search keys of its ASCII name, synonyms and id (the others are written), a facet
  entry's name and type (its node's).

:data:`SCHEMA` is the one description of the format: it travels in the page, and both readers,
:func:`unpack` here and ``unpack`` in map.js, follow it. ``unpack(pack(data)) == data``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from lmkg.graph import normalise
from lmkg.graph._gc import paused_gc

FORMAT = 2

# Per list of records: its fields as [name, codec] or [name, codec, default]. A field with a
# default is written only where it differs (a sparse column), when that is shorter. A default
# {"as": "name"} is the record's field ``name``; {"as": "#"} its row number. ``omit``: a field at
# its default is absent from the record (the sources), not present with the default value.
# Codecs, value by value: num, text (as is); str (an index in ``strings``); strs (a list of
# them); texts (a list of strings, as is); pairs ([[a, b], ...] -> [ia, ib, ...], both interned);
# path (a URL or id -> [index of what ends in its last "/", the rest]); links ([{label, href},
# ...] -> [ilabel, path(href), ...]); refs (a list of row numbers: one number alone when it is
# one); ids (a list of row numbers, as its first and the gaps between the next ones).
SCHEMA: dict[str, dict[str, Any]] = {
    "nodes": {
        "fields": [
            ["id", "path"],
            ["name", "text"],
            ["label", "text", {"as": "name"}],
            ["type", "str"],
            ["x", "num"],
            ["y", "num"],
            ["lx", "num"],
            ["ly", "num"],
            ["synonyms", "strs", []],
            ["description", "text", None],
            ["status", "str", None],
            ["facts", "pairs", []],
            ["xrefs", "links", []],
            ["sources", "refs", []],
            # The search keys the page cannot make from the name, synonyms and id, and (never in
            # practice) those it would make that are not keys.
            ["keys", "texts", []],
            ["keys_not", "texts", []],
        ],
        "derived": ["degree", "size", "keys"],
    },
    "edges": {
        "fields": [
            ["from", "num"],
            ["to", "num"],
            ["rel", "str"],
            ["facts", "pairs", []],
            ["sources", "refs", []],
            ["derived", "str", None],
        ]
    },
    # data["sources"], with data["source_group"] as its column "group".
    "sources": {
        "omit": True,
        "fields": [
            ["label", "str"],
            ["href", "path"],
            ["note", "text", None],
            ["scope", "str", None],
            ["title", "text", None],
            ["secondary", "num", False],
            ["group", "num", {"as": "#"}],
        ],
    },
    "pipeline": {
        "fields": [
            ["node", "num"],
            ["stage", "str"],
            ["basis", "str"],
            ["modality", "str"],
            ["biomarker", "strs"],
            ["class", "strs"],
            ["companies", "ids"],
            ["lm_trials", "num"],
            ["designations", "num"],
        ]
    },
    "events": {
        "fields": [
            ["node", "num"],
            ["year", "num"],
            ["date", "str"],
            ["agency", "str"],
            ["type", "str"],
            ["lm", "num"],
            ["outcome", "str"],
            ["outcome_label", "str"],
            ["agents", "ids"],
            ["companies", "ids"],
            ["label", "text"],
        ]
    },
    "deals": {
        "fields": [
            ["kind", "str"],
            ["year", "num"],
            ["date", "str"],
            ["companies", "ids"],
            ["from", "num"],
            ["to", "num"],
            ["label", "text"],
            ["terms", "text"],
            ["sources", "refs"],
        ]
    },
    "companies": {
        "fields": [
            ["node", "num"],
            ["subsidiaries", "num", []],
            ["agents", "ids"],
            ["trials", "num"],
            ["designations", "num"],
            ["deals", "num"],
            ["note", "text", None],
        ]
    },
    # Each of data["facets"]'s lists; an entry's name and type are its node's.
    "facets": {"fields": [["node", "num"], ["members", "ids"]], "derived": ["name", "type"]},
}
TABLES = ("nodes", "edges", "sources", "pipeline", "events", "deals", "companies")


def _is_default(value: Any, default: Any) -> bool:
    # False == 0 and 1 == True in Python: a default matches only a value of its own type.
    return type(value) is type(default) and value == default


def _gaps(rows: list[int]) -> list[int]:
    return [b - a for a, b in zip([0, *rows], rows, strict=False)]


def _ungap(gaps: list[int]) -> list[int]:
    out, at = [], 0
    for g in gaps:
        at += g
        out.append(at)
    return out


class _Packer:
    def __init__(self) -> None:
        self.strings: list[str] = []
        self._index: dict[str, int] = {}

    def intern(self, s: str) -> int:
        i = self._index.get(s)
        if i is None:
            i = self._index[s] = len(self.strings)
            self.strings.append(s)
        return i

    def codec(self, name: str) -> Callable[[Any], Any]:
        intern = self.intern

        def path(v: str | None) -> Any:
            if v is None:
                return None
            cut = v.rfind("/") + 1
            return [intern(v[:cut]), v[cut:]]

        if name in ("num", "text", "texts"):
            return lambda v: v
        if name == "str":
            return lambda v: None if v is None else intern(v)
        if name == "strs":
            return lambda v: [intern(s) for s in v]
        if name == "pairs":
            return lambda v: [intern(s) for pair in v for s in pair]
        if name == "path":
            return path
        if name == "links":
            return lambda v: [x for link in v for x in (intern(link["label"]), path(link["href"]))]
        if name == "refs":
            return lambda v: v[0] if len(v) == 1 else v
        if name == "ids":
            return _gaps
        raise ValueError(f"unknown codec {name!r}")

    def table(self, rows: list[dict[str, Any]], spec: dict[str, Any]) -> dict[str, Any]:
        cols: dict[str, Any] = {}
        n = len(rows)
        for field in spec["fields"]:
            name, codec = field[0], self.codec(field[1])
            values = [r.get(name) for r in rows] if spec.get("omit") else [r[name] for r in rows]
            if len(field) == 2:
                cols[name] = [codec(v) for v in values]
                continue
            default = field[2]
            if isinstance(default, dict):
                same = list(range(n)) if default["as"] == "#" else [r[default["as"]] for r in rows]
                differ = [i for i, v in enumerate(values) if v != same[i]]
            elif spec.get("omit"):
                differ = [i for i, v in enumerate(values) if v is not None and v != default]
            else:
                differ = [i for i, v in enumerate(values) if not _is_default(v, default)]
            if 2 * len(differ) >= n:  # most differ: every value, at its place
                if isinstance(default, dict) or not spec.get("omit"):
                    cols[name] = [codec(v) for v in values]
                else:
                    cols[name] = [codec(default if v is None else v) for v in values]
            else:
                cols[name] = {"at": _gaps(differ), "v": [codec(values[i]) for i in differ]}
        return {"n": n, "cols": cols}


@paused_gc()  # many small acyclic objects: a collection would find no garbage (graph/_gc.py)
def pack(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` (from ``map_data``) as the page carries it."""
    p = _Packer()
    nodes = []
    for n in data["nodes"]:
        made = _made_keys(n)
        keys = set(n["keys"])
        nodes.append(
            {**n, "keys": [k for k in n["keys"] if k not in made], "keys_not": sorted(made - keys)}
        )
    sources = [
        {**e, "group": g} for e, g in zip(data["sources"], data["source_group"], strict=True)
    ]
    rows = {**{t: data[t] for t in TABLES}, "nodes": nodes, "sources": sources}
    tables: dict[str, Any] = {t: p.table(rows[t], SCHEMA[t]) for t in TABLES}
    tables["facets"] = {
        f: p.table(entries, SCHEMA["facets"]) for f, entries in data["facets"].items()
    }
    rest = {k: v for k, v in data.items() if k not in (*TABLES, "facets", "source_group")}
    return {**rest, "format": FORMAT, "schema": SCHEMA, "strings": p.strings, "tables": tables}


# -- reading it back (the page does the same in map.js) -------------------------------------------
def _made_keys(node: dict[str, Any]) -> set[str]:
    """The search keys the page makes itself: its ASCII name, synonyms and id's local part."""
    texts = (node["name"], *node["synonyms"], node["id"].split("/", 1)[1])
    return {k for t in texts if t and t.isascii() and (k := normalise(t))}


def node_size(degree: int) -> float:
    """Marker radius by number of relations: square-root scaled, 8 to 40 pixels."""
    return round(min(40.0, 8.0 + 4.0 * math.sqrt(degree)), 1)


def _decoder(name: str, strings: list[str]) -> Callable[[Any], Any]:
    def path(v: Any) -> str | None:
        return None if v is None else strings[v[0]] + v[1]

    if name in ("num", "text", "texts"):
        return lambda v: v
    if name == "str":
        return lambda v: None if v is None else strings[v]
    if name == "strs":
        return lambda v: [strings[i] for i in v]
    if name == "pairs":
        return lambda v: [[strings[v[k]], strings[v[k + 1]]] for k in range(0, len(v), 2)]
    if name == "path":
        return path
    if name == "links":
        return lambda v: [
            {"label": strings[v[k]], "href": path(v[k + 1])} for k in range(0, len(v), 2)
        ]
    if name == "refs":
        return lambda v: [v] if isinstance(v, int) else v
    if name == "ids":
        return _ungap
    raise ValueError(f"unknown codec {name!r}")


def _read_table(
    enc: dict[str, Any], spec: dict[str, Any], strings: list[str]
) -> list[dict[str, Any]]:
    n, omit = enc["n"], spec.get("omit", False)
    rows: list[dict[str, Any]] = [{} for _ in range(n)]
    for field in spec["fields"]:
        name, decode = field[0], _decoder(field[1], strings)
        col = enc["cols"][name]
        has_default = len(field) > 2
        default = field[2] if has_default else None
        # In a record that omits its defaults, a field at a plain default is absent.
        absent = omit and has_default and not isinstance(default, dict)
        if isinstance(col, list):
            for r, v in zip(rows, col, strict=True):
                v = decode(v)
                if not (absent and _is_default(v, default)):
                    r[name] = v
            continue
        at = set()
        for i, v in zip(_ungap(col["at"]), col["v"], strict=True):
            rows[i][name] = decode(v)
            at.add(i)
        if absent:
            continue
        for i, r in enumerate(rows):
            if i in at:
                continue
            if isinstance(default, dict):
                r[name] = i if default["as"] == "#" else r[default["as"]]
            else:
                r[name] = list(default) if isinstance(default, list) else default
    return rows


def unpack(doc: dict[str, Any]) -> dict[str, Any]:
    """The ``map_data`` dict back from its packed form (``doc``, the page's JSON)."""
    if doc.get("format") != FORMAT:
        raise ValueError(f"not a map page's data of format {FORMAT}: {doc.get('format')!r}")
    schema, strings, tables = doc["schema"], doc["strings"], doc["tables"]
    data = {k: v for k, v in doc.items() if k not in ("format", "schema", "strings", "tables")}
    for t in TABLES:
        data[t] = _read_table(tables[t], schema[t], strings)
    data["source_group"] = [s.pop("group") for s in data["sources"]]
    degree = [0] * len(data["nodes"])
    for e in data["edges"]:
        degree[e["from"]] += 1
        degree[e["to"]] += 1
    for n, d in zip(data["nodes"], degree, strict=True):
        n["degree"], n["size"] = d, node_size(d)
        n["keys"] = sorted((_made_keys(n) | set(n["keys"])) - set(n.pop("keys_not")))
    data["facets"] = {}
    for f, enc in tables["facets"].items():
        entries = _read_table(enc, schema["facets"], strings)
        for e in entries:
            node = data["nodes"][e["node"]]
            e["name"], e["type"] = node["name"], node["type"]
        data["facets"][f] = entries
    return data
