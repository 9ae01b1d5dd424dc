"""Which lmkg entities are in Hetionet: a join of lmkg with Hetionet's node list by identifier.

Hetionet (hetio/hetionet v1.0) names its nodes ``Compound::<DrugBank id>``,
``Disease::DOID:<n>`` and ``Gene::<Entrez id>``; lmkg agents, cancers and genes carry the same
identifiers as ``DRUGBANK:``, ``DOID:`` and ``NCBIGENE:`` xrefs (curated, or added at build
time by the ``hetionet`` source). The join is by identifier only: a name never joins.

>>> import lmkg
>>> from lmkg.graph.query.hetionet import join_hetionet
>>> join = join_hetionet(lmkg.build(), "../shared/data/hetionet/hetionet-v1.0-nodes.tsv")
>>> sorted(join.counts)
['Agent', 'Gene', 'PrimaryCancer']
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lmkg.errors import LmkgError

from ..kg import KnowledgeGraph

# lmkg type -> (xref prefix, Hetionet kind, how the Hetionet id reads after "Kind::")
JOIN_KEYS = {"Agent": ("DRUGBANK", "Compound", ""), "PrimaryCancer": ("DOID", "Disease", "DOID:"),
             "Gene": ("NCBIGENE", "Gene", "")}


@dataclass
class HetionetJoin:
    """The matched pairs, and per lmkg type how many entities there are, how many carry a
    join identifier and how many of those Hetionet has."""

    matches: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def summary(self) -> str:
        return "; ".join(f"{t}: {c['matched']} of {c['entities']} matched "
                         f"({c['with_id']} with a {JOIN_KEYS[t][0]} id)"
                         for t, c in self.counts.items())


def hetionet_node_ids(path: str | Path) -> dict[str, str]:
    """Hetionet node id -> name, for the kinds lmkg joins on."""
    wanted = {kind for _p, kind, _l in JOIN_KEYS.values()}
    out: dict[str, str] = {}
    try:
        with Path(path).open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh, delimiter="\t")
            if not reader.fieldnames or not {"id", "name", "kind"} <= set(reader.fieldnames):
                raise LmkgError(f"{path} is not a Hetionet node list (columns id, name, kind)")
            for row in reader:
                if row["kind"] in wanted:
                    out[row["id"]] = row["name"]
    except OSError as exc:
        raise LmkgError(f"cannot read {path}: {exc.strerror}") from None
    return out


def join_hetionet(kg: KnowledgeGraph, nodes_path: str | Path) -> HetionetJoin:
    """Join the graph's agents, cancers and genes with Hetionet's nodes by identifier."""
    het = hetionet_node_ids(nodes_path)
    join = HetionetJoin()
    for etype, (prefix, kind, lead) in JOIN_KEYS.items():
        ids = kg.ids(etype)
        with_id = matched = 0
        for nid in ids:
            node = kg.node(nid)
            locals_ = [x.split(":", 1)[1] for x in node.get("xrefs", ())
                       if x.split(":", 1)[0] == prefix]
            if locals_:
                with_id += 1
            hits = [f"{kind}::{lead}{loc}" for loc in locals_ if f"{kind}::{lead}{loc}" in het]
            if hits:
                matched += 1
                for h in hits:
                    join.matches.append({"type": etype, "id": nid, "name": node["name"],
                                         "hetionet_id": h, "hetionet_name": het[h]})
        join.counts[etype] = {"entities": len(ids), "with_id": with_id, "matched": matched}
    return join
