"""The cookbook questions of docs/cypher.md and docs/sparql.md: the queries as the docs print
them, parameters picked from the graph, and each answer computed independently in Python."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx

from lmkg.graph.export.propgraph import node_properties

DOCS = Path(__file__).resolve().parent.parent / "docs"
NAMES = ["cns-penetrant-agents", "lm-designations", "lm-trials-by-phase-sponsor",
         "shortest-path", "company-pipeline", "predictive-associations"]


def doc_queries(doc: str, lang: str) -> dict[str, str]:
    """name -> query text of every ```lang block whose first line is ``<comment> cookbook: name``."""
    text = (DOCS / doc).read_text(encoding="utf-8")
    out = {}
    for block in re.findall(rf"```{lang}\n(.*?)```", text, flags=re.S):
        m = re.match(r"(?://|#) cookbook: (\S+)\n", block)
        if m:
            out[m.group(1)] = block
    return out


def params(kg) -> dict[str, dict[str, str]]:
    """Parameters for each question, chosen so that the answer is not empty."""
    def pen(a: str) -> bool:
        return bool(node_properties(kg.node(a)).get("cns_penetrant"))

    bio = Counter(o for s, _, o, _ in kg.edges("TARGETS")
                  if kg.type_of(o) == "Biomarker" and pen(s))
    site = Counter(o for _, _, o, _ in kg.edges("FOR_INDICATION") if kg.type_of(o) == "MetastaticSite")
    company = Counter(o for _, _, o, _ in kg.edges("DEVELOPED_BY"))
    predicts = Counter(s for s, _, _, _ in kg.edges("PREDICTS_RESPONSE"))
    agent = "lmkg:agent/osimertinib" if "lmkg:agent/osimertinib" in kg else kg.ids("Agent")[0]
    und = kg.g.to_undirected(as_view=True)
    dist = nx.single_source_shortest_path_length(und, agent, cutoff=3)
    cancers = sorted((d, c) for c, d in dist.items() if kg.type_of(c) == "PrimaryCancer")
    far = [c for d, c in cancers if d >= 2]
    cancer = far[0] if far else cancers[0][1]
    return {
        "cns-penetrant-agents": {"biomarker": bio.most_common(1)[0][0]},
        "lm-designations": {"site": "lmkg:site/leptomeninges" if "lmkg:site/leptomeninges" in kg
                            else site.most_common(1)[0][0]},
        "lm-trials-by-phase-sponsor": {},
        "shortest-path": {"agent": agent, "cancer": cancer},
        "company-pipeline": {"company": company.most_common(1)[0][0]},
        "predictive-associations": {"biomarker": "lmkg:biomarker/egfr-t790m"
                                    if "lmkg:biomarker/egfr-t790m" in kg
                                    else predicts.most_common(1)[0][0]},
    }


def expected(kg, name: str, p: dict[str, str]) -> list[tuple[Any, ...]]:
    """The answer as sorted tuples of the query's leading columns (see :data:`COLUMNS`)."""
    return sorted(_expected(kg, name, p), key=repr)


def _expected(kg, name: str, p: dict[str, str]) -> list[tuple[Any, ...]]:
    if name == "cns-penetrant-agents":
        rows = []
        for s, _, o, _ in kg.edges("TARGETS"):
            props = node_properties(kg.node(s))
            if o == p["biomarker"] and props.get("cns_penetrant"):
                rows.append((props["name"], props["cns_level"]))
        return sorted(rows)
    if name == "lm-designations":
        rows = []
        for d, _, site, _ in kg.edges("FOR_INDICATION"):
            if site != p["site"]:
                continue
            des = kg.node(d)
            for a, *_ in kg.in_edges(d, "HAS_DESIGNATION"):
                for *_, c, _ in kg.out_edges(a, "DEVELOPED_BY"):
                    rows.append((kg.name_of(c), kg.name_of(a), des["agency"],
                                 des["designation_type"], des.get("date")))
        return sorted(rows, key=repr)
    if name == "lm-trials-by-phase-sponsor":
        per: dict[tuple[str, str], set[str]] = {}
        for t, _, c, _ in kg.edges("SPONSORED_BY"):
            node = kg.node(t)
            if not node.get("lm_specific"):
                continue
            for ph in node.get("phases", []):
                per.setdefault((ph, kg.name_of(c)), set()).add(t)
        return sorted((ph, sp, len(ts)) for (ph, sp), ts in per.items())
    if name == "shortest-path":
        und = kg.g.to_undirected(as_view=True)
        return [(nx.shortest_path_length(und, p["agent"], p["cancer"]),)]
    if name == "company-pipeline":
        rows = []
        for a, _, c, _ in kg.edges("DEVELOPED_BY"):
            if c == p["company"]:
                rows.append((kg.name_of(a), kg.node(a)["status"],
                             len(kg.out_edges(a, "EVALUATED_IN"))))
        return sorted(rows)
    if name == "predictive-associations":
        return sorted((kg.name_of(x), d["direction"], d["tier"])
                      for s, _, x, d in kg.edges("PREDICTS_RESPONSE")
                      if s == p["biomarker"] and d.get("evidence_direction", "supports")
                      == "supports")
    raise KeyError(name)


# How many leading columns of each query's rows the expectation covers.
COLUMNS = {"cns-penetrant-agents": 2, "lm-designations": 5, "lm-trials-by-phase-sponsor": 3,
           "shortest-path": 1, "company-pipeline": 3, "predictive-associations": 3}


def normalise(name: str, rows: list[list[Any]]) -> list[tuple[Any, ...]]:
    k = COLUMNS[name]
    return sorted((tuple(r[:k]) for r in rows), key=repr)
