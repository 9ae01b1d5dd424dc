"""The graph as one standalone Cypher script (``cypher-shell -f``): every value an escaped
literal, re-running it leaves the same graph."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..kg import KnowledgeGraph
from .neo4j_statements import Dialect, _key, _label, _rtype, node_rows, rel_rows, schema_statements

_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b",
            "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r"[\\'\x00-\x1f]")


def cypher_string(s: str) -> str:
    """A single-quoted Cypher string literal for any text (quotes, backslashes, controls)."""
    return "'" + _NEEDS_ESCAPE.sub(
        lambda m: _ESCAPES.get(m.group(0), f"\\u{ord(m.group(0)):04x}"), s) + "'"


def cypher_literal(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            raise ValueError("NaN and infinity have no Cypher literal")
        return repr(v)
    if isinstance(v, str):
        return cypher_string(v)
    if isinstance(v, list):
        return "[" + ", ".join(cypher_literal(x) for x in v) + "]"
    raise TypeError(f"no Cypher literal for {type(v).__name__}")


def cypher_map(props: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{_key(k)}: {cypher_literal(v)}" for k, v in props.items()) + "}"


def cypher_script(kg: KnowledgeGraph, dialect: Dialect | str = Dialect.NEO4J) -> Iterator[str]:
    """Statements (each ending ``;``): schema, then one MERGE per node, then per relationship.

    Every value is an escaped literal; re-running the script leaves the same graph.
    """
    yield "// lmkg graph as a Cypher script: cypher-shell -f this-file\n"
    for s in schema_statements(dialect):
        yield s + ";\n"
    for label, rows in node_rows(kg).items():
        for r in rows:
            yield (f"MERGE (n:{_label(label)} {{id: {cypher_string(r['id'])}}}) "
                   f"SET n = {cypher_map(r['props'])};\n")
    for (rtype, sl, ol), rows in rel_rows(kg).items():
        for r in rows:
            keyed = f" {{key: {cypher_string(r['key'])}}}" if "key" in r else ""
            yield (f"MATCH (s:{_label(sl)} {{id: {cypher_string(r['s'])}}}), "
                   f"(o:{_label(ol)} {{id: {cypher_string(r['o'])}}}) "
                   f"MERGE (s)-[r:{_rtype(rtype)}{keyed}]->(o) "
                   f"SET r = {cypher_map(r['props'])};\n")
