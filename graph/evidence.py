"""CNS-evidence records as stored on agent nodes: their levels and the best supporting one."""

from __future__ import annotations

from typing import Any

from lmkg.ontology import CNSEvidenceLevel

LEVEL_RANK = {lvl.value: lvl.rank for lvl in CNSEvidenceLevel}


def best_cns(evidence: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The supporting record at the highest level, or None when none supports."""
    supporting = [e for e in evidence if e.get("direction", "supports") == "supports"]
    if not supporting:
        return None
    return max(supporting, key=lambda e: LEVEL_RANK[e["level"]])
