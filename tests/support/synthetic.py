"""Synthetic graphs in the lmkg schema, for benchmarks and scale tests (never for answers).

Every node and edge obeys the ontology (id kinds, verbs' domains and ranges, a source on every
edge, CNS evidence on agents), so the code paths are the real ones; names and identifiers are
made up and say so (``synthetic agent 17``, ``PMID`` sources are not used).
"""

from __future__ import annotations

import random

from lmkg.graph.kg import KnowledgeGraph
from lmkg.ontology import BY_TYPE, RELATION_CLASSES, CNSEvidenceLevel, EntityType

# Share of nodes per type, roughly the curated graph's mix.
_MIX: dict[EntityType, float] = {
    EntityType.PUBLICATION: 0.28, EntityType.CLINICAL_TRIAL: 0.15, EntityType.AGENT: 0.15,
    EntityType.BIOMARKER: 0.08, EntityType.GENE: 0.04, EntityType.COMPANY: 0.08,
    EntityType.REGULATORY_DESIGNATION: 0.10, EntityType.DRUG_CLASS: 0.03,
    EntityType.PRIMARY_CANCER: 0.03, EntityType.METASTATIC_SITE: 0.005,
    EntityType.DIAGNOSTIC: 0.02, EntityType.DELIVERY_PLATFORM: 0.01,
    EntityType.REGULATORY_AGENCY: 0.005, EntityType.REGION: 0.005, EntityType.COUNTRY: 0.02,
}
# Relative frequency of each verb among the edges.
_WEIGHT = {"TARGETS": 6, "MEMBER_OF": 3, "EVALUATED_IN": 8, "SUPPORTED_BY": 12,
           "DEVELOPED_BY": 3, "SPONSORED_BY": 3, "STUDIES": 5, "OCCURS_IN": 4,
           "HAS_DESIGNATION": 2, "FOR_INDICATION": 2, "INVESTIGATED_FOR": 3}
_LEVELS = [lvl.value for lvl in CNSEvidenceLevel]


def make_synthetic(n_nodes: int = 2000, n_edges: int = 10000, seed: int = 0) -> KnowledgeGraph:
    """A random graph of about ``n_nodes`` nodes and exactly ``n_edges`` edges (if room)."""
    rng = random.Random(seed)
    kg = KnowledgeGraph()
    by_type: dict[str, list[str]] = {}
    for etype, share in _MIX.items():
        cls = BY_TYPE[etype]
        count = max(2, round(n_nodes * share))
        ids = []
        for i in range(count):
            nid = f"lmkg:{cls.id_kind}/synthetic-{i}"
            data: dict = {"id": nid, "type": etype.value,
                          "name": f"synthetic {etype.value} {i}"}
            if etype is EntityType.AGENT:
                data["status"] = rng.choice(["approved", "phase1", "phase2", "phase3"])
                data["cns_evidence"] = [{
                    "level": rng.choice(_LEVELS), "metric": "synthetic metric",
                    "value": f"{rng.randint(1, 99)}%", "direction": "supports",
                    "source": {"url": f"https://example.org/synthetic/{i}"},
                }]
            elif etype is EntityType.GENE:
                data["symbol"] = f"SYN{i}"
            elif etype is EntityType.BIOMARKER:
                data["kind"] = "mutation"
            elif etype is EntityType.REGULATORY_DESIGNATION:
                data.update(agency="fda", designation_type="orphan_drug", indication="synthetic")
            elif etype is EntityType.REGULATORY_AGENCY:
                data["agency"] = "fda"
            elif etype is EntityType.COUNTRY:
                data["iso_code"] = "ZZ"
            elif etype in (EntityType.DIAGNOSTIC,):
                data["kind"] = "imaging"
            elif etype is EntityType.DELIVERY_PLATFORM:
                data["kind"] = "device"
            kg.add_node_data(data)
            ids.append(nid)
        by_type[etype.value] = ids
    verbs = [c for c in RELATION_CLASSES if c.predicate.value in _WEIGHT]
    weights = [_WEIGHT[c.predicate.value] for c in verbs]
    added, attempts = 0, 0
    while added < n_edges and attempts < n_edges * 3:
        attempts += 1
        cls = rng.choices(verbs, weights)[0]
        # Only the types the mix has (a new type in a verb's domain leaves the mix unchanged).
        s = rng.choice(by_type[rng.choice([t for t in cls.domain if t.value in by_type]).value])
        o = rng.choice(by_type[rng.choice([t for t in cls.range if t.value in by_type]).value])
        if s == o or kg.g.has_edge(s, o, key=cls.predicate.value):
            continue
        kg.g.add_edge(s, o, key=cls.predicate.value, predicate=cls.predicate.value,
                      sources=[{"url": f"https://example.org/synthetic/e{added}"}])
        added += 1
    kg.version += added
    kg.meta = {"synthetic": True, "seed": seed}
    return kg
