"""The drivers market reports name for LM therapy, and what the graph holds for each over time.

A driver is a rule over facts the graph stores, never a label someone typed:

- **CNS-penetrant TKIs**: small-molecule members of a kinase-inhibitor class (a class whose
  name says "kinase inhibitor" or "TKI", or one of its subclasses) with supporting CNS
  evidence at the CSF-pharmacokinetics level or above (the ``agents --cns-penetrant`` rule);
- **ADCs**: agents whose modality is an antibody-drug conjugate;
- **Immunotherapy**: members of an immune-checkpoint, CAR T-cell or T-cell-engager class, and
  cell therapies;
- **Intrathecal delivery**: agents given intrathecally or intraventricularly;
- **CSF liquid biopsy**: CSF liquid-biopsy diagnostics, and the trials whose title, official
  title, interventions or description name CSF (cerebrospinal fluid) together with circulating
  tumour cells or DNA, cell-free DNA or liquid biopsy.
"""

from __future__ import annotations

import re
from typing import Any

from ..evidence import LEVEL_RANK, best_cns
from ..kg import KnowledgeGraph
from .pipeline import regulatory_events, year_of
from .scope import descendants

DRIVERS: tuple[str, ...] = ("CNS-penetrant TKIs", "ADCs", "Immunotherapy",
                            "Intrathecal delivery", "CSF liquid biopsy")
_KINASE = re.compile(r"kinase inhibitor|\bTKI\b", re.IGNORECASE)
_IMMUNE = re.compile(r"checkpoint|CAR T|T-cell engager|PD-1|PD-L1|CTLA-4|LAG-3", re.IGNORECASE)
_CSF = r"(\bCSF\b|cerebrospinal fluid)"
_BIOPSY = r"(ctDNA|cfDNA|cell-free|circulating tumou?r|liquid biopsy)"
_CSF_BIOPSY = re.compile(rf"{_CSF}.*{_BIOPSY}|{_BIOPSY}.*{_CSF}", re.IGNORECASE | re.DOTALL)


def _class_members(kg: KnowledgeGraph, pattern: re.Pattern[str]) -> set[str]:
    classes = {c for c in kg.ids("DrugClass") if pattern.search(kg.name_of(c))}
    every = {d for c in classes for d in descendants(kg, c, "SUBCLASS_OF")}
    return {a for c in every for a, *_ in kg.in_edges(c, "MEMBER_OF")}


def driver_agents(kg: KnowledgeGraph) -> dict[str, list[str]]:
    """Driver -> the agents (ids) that belong to it under the module's rules."""
    kinase = _class_members(kg, _KINASE)
    immune = _class_members(kg, _IMMUNE)
    out: dict[str, list[str]] = {d: [] for d in DRIVERS}
    for a in kg.ids("Agent"):
        node = kg.node(a)
        best = best_cns(node.get("cns_evidence", []))
        if a in kinase and node.get("modality") == "small_molecule" and best \
                and LEVEL_RANK[best["level"]] >= LEVEL_RANK["csf_pk"]:
            out["CNS-penetrant TKIs"].append(a)
        if node.get("modality") == "antibody_drug_conjugate":
            out["ADCs"].append(a)
        if a in immune or node.get("modality") == "cell_therapy":
            out["Immunotherapy"].append(a)
        if {"intrathecal", "intraventricular"} & set(node.get("routes", ())):
            out["Intrathecal delivery"].append(a)
    return out


def csf_biopsy(kg: KnowledgeGraph) -> tuple[list[str], list[str]]:
    """The CSF liquid-biopsy diagnostics and the trials that use one (see the module rules)."""
    diags = [d for d in kg.ids("Diagnostic") if kg.node(d).get("kind") == "liquid_biopsy"
             and re.search(r"\bCSF\b|cerebrospinal", kg.name_of(d), re.IGNORECASE)]
    trials = []
    for t in kg.ids("ClinicalTrial"):
        node = kg.node(t)
        text = " ".join([kg.name_of(t), node.get("official_title") or "",
                         *node.get("interventions", ()), node.get("description") or ""])
        if _CSF_BIOPSY.search(text):
            trials.append(t)
    return diags, trials


def driver_summary(kg: KnowledgeGraph) -> list[dict[str, Any]]:
    """Per driver: its agents, their trials and designations (LM ones counted apart), and per
    year the designations granted and the trials started."""
    members = driver_agents(kg)
    events = regulatory_events(kg)
    rows = []
    for drv in DRIVERS:
        agents = members.get(drv, [])
        if drv == "CSF liquid biopsy":
            diags, trials = csf_biopsy(kg)
            evs: list[dict[str, Any]] = []
        else:
            diags = []
            trials = sorted({o for a in agents for _s, _p, o, _d in kg.out_edges(a, "EVALUATED_IN")})
            aset = set(agents)
            evs = [e for e in events if aset & set(e["agents"])]
        by_year_des: dict[int, int] = {}
        for e in evs:
            if e["year"] is not None:
                by_year_des[int(e["year"])] = by_year_des.get(int(e["year"]), 0) + 1
        by_year_trial: dict[int, int] = {}
        for t in trials:
            y = year_of(kg.node(t).get("start_date"))
            if y is not None:
                by_year_trial[int(y)] = by_year_trial.get(int(y), 0) + 1
        rows.append({
            "driver": drv, "agents": agents, "diagnostics": diags, "trials": trials,
            "lm_trials": [t for t in trials if kg.node(t).get("lm_specific")],
            "designations": [e["id"] for e in evs],
            "lm_designations": [e["id"] for e in evs if e["lm"]],
            "approvals": [e["id"] for e in evs if "approval" in (e["type"] or "")],
            "designations_by_year": dict(sorted(by_year_des.items())),
            "trials_by_year": dict(sorted(by_year_trial.items())),
        })
    return rows


def agency_regions(kg: KnowledgeGraph) -> dict[str, list[str]]:
    """Agency code (``fda``) -> the market regions whose medicines it regulates, read from the
    graph's REGULATED_BY (a region, or a country PART_OF a region); empty when not recorded."""
    out: dict[str, set[str]] = {}
    for ag in kg.ids("RegulatoryAgency"):
        code = kg.node(ag).get("agency")
        regions = out.setdefault(code, set())
        for s, *_ in kg.in_edges(ag, "REGULATED_BY"):
            if kg.type_of(s) == "Region":
                regions.add(kg.name_of(s))
            else:
                regions.update(kg.name_of(o) for _s, _p, o, _d in kg.out_edges(s, "PART_OF"))
    return {k: sorted(v) for k, v in out.items()}
