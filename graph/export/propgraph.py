"""The property-graph view shared by every Cypher target (embedded engine, Neo4j, CSV, script).

One mapping, so that a query written against ``lmkg cypher`` runs unchanged on Neo4j:

- node label = entity type (``Agent``, ``Biomarker``, ...); every node has ``id`` and ``name``;
- relationship type = relation verb (``TARGETS``, ...);
- scalar fields become properties of the same name; lists of strings become string lists
  (``synonyms``, ``xrefs``, ``routes``, ``phases``, ``conditions``, ...);
- nested records are kept whole as JSON text (``cns_evidence_json``, ``epidemiology_json`` on
  cancers, ``performance_json`` on diagnostics, ``sources_json``) because Neo4j properties cannot nest; the fields that
  queries filter on are also flattened: on agents ``cns_level`` (best supporting level),
  ``cns_level_rank`` (0-3, -1 when none) and ``cns_penetrant`` (level csf_pk or above); on
  relationships ``source_ids`` (the CURIEs/URLs of their sources).
"""

from __future__ import annotations

import json
from typing import Any

from lmkg.ontology import BY_PREDICATE, ENTITY_CLASSES, RELATION_CLASSES, RelationType
from lmkg.ontology.entities import RECORD_FIELDS
from lmkg.ontology.owl import schema_fields

from ..evidence import LEVEL_RANK, best_cns

NESTED = {*RECORD_FIELDS, "sources"}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def node_properties(data: dict[str, Any]) -> dict[str, Any]:
    """A stored node dict as flat properties (no ``type``: that is the label)."""
    props: dict[str, Any] = {}
    for k, v in data.items():
        if k == "type":
            continue
        if k in NESTED:
            props[f"{k}_json"] = _json(v)
        else:
            props[k] = v
    if data.get("type") == "Agent":
        best = best_cns(data.get("cns_evidence", []))
        props["cns_level"] = best["level"] if best else None
        props["cns_level_rank"] = LEVEL_RANK[best["level"]] if best else -1
        props["cns_penetrant"] = bool(best and LEVEL_RANK[best["level"]] >= 1)
    return {k: v for k, v in props.items() if v is not None}


def edge_properties(attrs: dict[str, Any], key: str | None = None) -> dict[str, Any]:
    """A stored edge's attributes as flat relationship properties.

    ``key`` is the graph's edge key: a verb with identity qualifiers (``PREDICTS_RESPONSE``)
    gets it as the ``key`` property, which tells its relationships between one pair apart.
    """
    props: dict[str, Any] = {}
    if key is not None and BY_PREDICATE[RelationType(attrs["predicate"])].identity:
        props["key"] = key
    for k, v in attrs.items():
        if k == "predicate":
            continue
        if k == "sources":
            props["sources_json"] = _json(v)
            props["source_ids"] = [s.get("id") or s.get("url") for s in v]
        else:
            props[k] = v
    return {k: v for k, v in props.items() if v is not None}


def node_schema() -> dict[str, dict[str, str]]:
    """label -> property -> type (``STRING``, ``STRING[]``, ``INT64``, ``BOOLEAN``, ``DOUBLE``)."""
    out: dict[str, dict[str, str]] = {}
    for cls in ENTITY_CLASSES:
        cols: dict[str, str] = {}
        for fname, (base, many, _d) in schema_fields(cls).items():
            if fname in NESTED:
                cols[f"{fname}_json"] = "STRING"
            else:
                cols[fname] = _type(base, many)
        if cls.entity_type.value == "Agent":
            cols.update(cns_level="STRING", cns_level_rank="INT64", cns_penetrant="BOOLEAN")
        out[cls.entity_type.value] = cols
    return out


def relationship_schema() -> dict[str, dict[str, str]]:
    """type -> property -> type, for every relation verb."""
    out: dict[str, dict[str, str]] = {}
    for cls in RELATION_CLASSES:
        cols: dict[str, str] = {}
        for fname, (base, many, _d) in schema_fields(cls).items():
            if fname in ("subject", "object"):
                continue
            if fname == "sources":
                cols["sources_json"] = "STRING"
                cols["source_ids"] = "STRING[]"
            else:
                cols[fname] = _type(base, many)
        cols["derived"] = "STRING"
        if cls.identity:
            cols["key"] = "STRING"
        out[cls.predicate.value] = cols
    return out


def _type(base: Any, many: bool) -> str:
    t = {bool: "BOOLEAN", int: "INT64", float: "DOUBLE"}.get(base, "STRING")
    return t + "[]" if many else t
