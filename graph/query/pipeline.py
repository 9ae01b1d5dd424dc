"""The strategist's pipeline and calendar: agents by development stage, dated regulatory events
and deals, trials as rows for analysis. The map's linked views and the landscape report read
these; each row carries the ids it is about and the sources behind it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..evidence import LEVEL_RANK, best_cns
from ..kg import KnowledgeGraph
from ..outcome import designation_outcome

# Board columns, least to most advanced; a stage outside them goes to "other". "none": the graph
# holds LM stages and the agent has no LM trial or LM approval (it may be approved elsewhere).
STAGES: tuple[str, ...] = ("preclinical", "phase1", "phase2", "phase3", "approved",
                           "discontinued", "none")
STAGE_LABEL = {"preclinical": "Preclinical", "phase1": "Phase 1", "phase2": "Phase 2",
               "phase3": "Phase 3", "approved": "Approved", "discontinued": "Discontinued / "
               "withdrawn", "none": "No LM trial or approval", "other": "Other"}
_STAGE_OF_STATUS = {"early_phase1": "phase1", "withdrawn": "discontinued"}
LM_BASIS = "LM stage (from the agent's LM trials and LM approvals)"
STATUS_BASIS = "global status (the graph holds no LM stage)"


def has_lm_stages(kg: KnowledgeGraph) -> bool:
    """Whether the graph's agents carry an LM stage (graph/lm_stage.py derives it at build
    time; a graph saved before that has none)."""
    cached = getattr(kg, "_lm_stage_cache", None)
    if cached is None or cached[0] != kg.version:
        found = any(kg.node(a).get("lm_stage") for a in kg.ids("Agent"))
        cached = (kg.version, found)
        kg._lm_stage_cache = cached  # type: ignore[attr-defined]
    return cached[1]


def development_stage(kg: KnowledgeGraph, agent: str) -> tuple[str, str]:
    """An agent's stage for the pipeline board and the basis it rests on.

    The LM development stage (``lm_stage``, derived at build time from the agent's LM trials
    and LM approvals, graph/lm_stage.py) when the graph holds LM stages: ``none`` for an agent
    with no LM trial or approval (approved elsewhere or not). A graph without LM stages gives
    the agent's global development ``status``, said so in the basis. This is the one place
    that chooses.
    """
    node = kg.node(agent)
    if has_lm_stages(kg):
        raw, basis = str(node.get("lm_stage") or "none"), LM_BASIS
    else:
        raw, basis = str(node.get("status") or "other"), STATUS_BASIS
    stage = _STAGE_OF_STATUS.get(raw, raw)
    return (stage if stage in STAGES else "other"), basis


def _names(kg: KnowledgeGraph, ids: Iterable[str]) -> list[str]:
    return sorted({kg.name_of(i) for i in ids}, key=str.casefold)


def agent_groups(kg: KnowledgeGraph, agent: str, by: str) -> list[str]:
    """The biomarkers an agent targets (``by="biomarker"``: genes count when it targets no
    alteration) or the drug classes it belongs to (``by="class"``), as names."""
    if by == "biomarker":
        targets = [o for _s, _p, o, _d in kg.out_edges(agent, "TARGETS")]
        marks = [t for t in targets if kg.type_of(t) == "Biomarker"]
        return _names(kg, marks or targets)
    if by == "class":
        return _names(kg, [o for _s, _p, o, _d in kg.out_edges(agent, "MEMBER_OF")])
    raise ValueError(f"group by biomarker or class, not {by!r}")


def pipeline(kg: KnowledgeGraph) -> list[dict[str, Any]]:
    """One row per agent: stage (and its basis), modality, routes, targets, classes,
    developers, best CNS-evidence level, and its LM trials and designations."""
    rows = []
    for a in kg.ids("Agent"):
        node = kg.node(a)
        stage, basis = development_stage(kg, a)
        best = best_cns(node.get("cns_evidence", []))
        trials = [o for _s, _p, o, _d in kg.out_edges(a, "EVALUATED_IN")]
        desig = [o for _s, _p, o, _d in kg.out_edges(a, "HAS_DESIGNATION")]
        rows.append({
            "id": a, "agent": kg.name_of(a), "stage": stage, "stage_basis": basis,
            "status": node.get("status"), "modality": node.get("modality") or "other",
            "routes": list(node.get("routes", ())),
            "biomarkers": agent_groups(kg, a, "biomarker"),
            "classes": agent_groups(kg, a, "class"),
            "companies": _names(kg, [o for _s, _p, o, _d in kg.out_edges(a, "DEVELOPED_BY")]),
            "company_ids": sorted({o for _s, _p, o, _d in kg.out_edges(a, "DEVELOPED_BY")}),
            "cns_level": best["level"] if best else None,
            "cns_rank": LEVEL_RANK[best["level"]] if best else -1,
            "trials": len(trials),
            "lm_trials": sum(1 for t in trials if kg.node(t).get("lm_specific")),
            "designations": len(desig),
        })
    return rows


def year_of(date: str | None) -> float | None:
    """``"2017-09-28"`` -> 2017.74, ``"2021-06"`` -> 2021.46, ``"2022"`` -> 2022.5 (mid-year:
    a date known to the year only is drawn in the middle of it); None when there is none."""
    if not date:
        return None
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", str(date))
    if not m:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if month is None:
        return year + 0.5
    frac = (int(month) - 1) / 12 + ((int(day) - 0.5) / 31 / 12 if day else 1 / 24)
    return round(year + frac, 3)


def regulatory_events(kg: KnowledgeGraph) -> list[dict[str, Any]]:
    """Every approval and designation as a dated event: agency, type, indication, what became
    of it (``outcome``, ``in_force``, ``outcome_label``, ``outcome_note``: graph/outcome.py; a
    refused application is an event, never an approval), whether the indication is
    leptomeningeal, the agents holding it and their developers, its sources."""
    from .landscape import is_lm_indication

    out = []
    for d in kg.ids("RegulatoryDesignation"):
        node = kg.node(d)
        holders = sorted(s for s, *_ in kg.in_edges(d, "HAS_DESIGNATION"))
        agents = [h for h in holders if kg.type_of(h) == "Agent"]
        for reg in (h for h in holders if kg.type_of(h) == "Regimen"):
            agents += [o for _s, _p, o, _d in kg.out_edges(reg, "HAS_COMPONENT")]
        companies = sorted({o for a in agents for _s, _p, o, _d in kg.out_edges(a, "DEVELOPED_BY")})
        sources = list(node.get("sources", ()))
        for h in holders:
            for _s, _p, _o, ed in kg.out_edges(h, "HAS_DESIGNATION"):
                if _o == d:
                    sources += ed.get("sources", [])
        outcome = designation_outcome(kg, d)
        out.append({
            "id": d, "name": kg.name_of(d), "date": node.get("date"),
            "year": year_of(node.get("date")), "agency": node.get("agency"),
            "type": node.get("designation_type"), "indication": node.get("indication"),
            "outcome": outcome["outcome"], "in_force": outcome["in_force"],
            "outcome_label": outcome["outcome_label"], "outcome_note": outcome["outcome_note"],
            "lm": is_lm_indication(kg, d), "holders": holders,
            "agents": sorted(set(agents)), "companies": companies,
            "agent_names": _names(kg, holders), "company_names": _names(kg, companies),
            "sources": _dedupe(sources),
        })
    out.sort(key=lambda e: (e["year"] is None, e["year"] or 0, e["name"]))
    return out


def deals(kg: KnowledgeGraph) -> list[dict[str, Any]]:
    """Acquisitions and partnerships between companies, dated, with their reported terms."""
    out = []
    for verb, kind in (("ACQUIRED", "acquisition"), ("PARTNERS_WITH", "partnership")):
        for s, _p, o, d in kg.edges(verb):
            out.append({
                "kind": kind, "from": s, "to": o, "from_name": kg.name_of(s),
                "to_name": kg.name_of(o), "date": d.get("date"), "year": year_of(d.get("date")),
                "terms": d.get("value") or d.get("scope") or "", "note": d.get("note"),
                "sources": _dedupe(d.get("sources", [])),
            })
    out.sort(key=lambda e: (e["year"] is None, e["year"] or 0, e["from_name"], e["to_name"]))
    return out


_ACADEMIC = re.compile(r"universit|hospital|medical cent|cancer cent|institut|college|clinic\b|"
                       r"foundation|health system|school of|kettering|anderson", re.IGNORECASE)
_GROUP = re.compile(r"\bgroup\b|consortium|alliance|network|\bnrg\b|\becog\b|\bsw?og\b|"
                    r"\beortc\b", re.IGNORECASE)
_GOVERNMENT = re.compile(r"national cancer institute|\bnci\b|national institutes of health|"
                         r"\bnih\b|ministry|government", re.IGNORECASE)


def sponsor_class(kg: KnowledgeGraph, company: str) -> str:
    """A trial sponsor's class: ``government``, ``cooperative group``, ``academic`` or
    ``industry``, read from its name (ClinicalTrials.gov's classes, inferred: the graph does not
    store the registry's own field), industry when none of the others' words appears."""
    names = " ".join([kg.name_of(company), *kg.node(company).get("synonyms", ())])
    if _GOVERNMENT.search(names):
        return "government"
    if _GROUP.search(kg.name_of(company)) and not _ACADEMIC.search(kg.name_of(company)):
        return "cooperative group"
    if _ACADEMIC.search(names):
        return "academic"
    return "industry"


_PHASE_LABEL = {"early_phase1": "early phase 1", "phase1": "phase 1", "phase2": "phase 2",
                "phase3": "phase 3", "phase4": "phase 4", "na": "not applicable"}


def trial_rows(kg: KnowledgeGraph) -> list[dict[str, Any]]:
    """One row per trial: phase(s), status, LM-specific, start year, lead sponsor and its class,
    the agents it evaluates, what it studies, its NCT number and sources."""
    rows = []
    for t in kg.ids("ClinicalTrial"):
        node = kg.node(t)
        sponsors = kg.out_edges(t, "SPONSORED_BY")
        lead = [o for _s, _p, o, d in sponsors if d.get("role") in (None, "lead")]
        nct = next((x.split(":", 1)[1] for x in node.get("xrefs", ()) if x.startswith("NCT:")),
                   None)
        start = year_of(node.get("start_date"))
        rows.append({
            "id": t, "trial": kg.name_of(t), "nct": nct,
            "phase": "/".join(_PHASE_LABEL.get(p, p) for p in node.get("phases", ()))
                     or "not stated",
            "status": (node.get("status") or "not stated").replace("_", " "),
            "lm_specific": bool(node.get("lm_specific")),
            "start_year": int(start) if start else None,
            "sponsors": _names(kg, lead), "sponsor_ids": sorted(lead),
            "sponsor_class": sorted({sponsor_class(kg, c) for c in lead}) or ["not stated"],
            "agents": _names(kg, [s for s, *_ in kg.in_edges(t, "EVALUATED_IN")]),
            "agent_ids": sorted(s for s, *_ in kg.in_edges(t, "EVALUATED_IN")),
            "studies": _names(kg, [o for _s, _p, o, _d in kg.out_edges(t, "STUDIES")]),
            "countries": sorted(node.get("countries", ())),
            "study_type": (node.get("study_type") or "not stated").replace("_", " "),
            "sources": _dedupe(list(node.get("sources", ()))),
        })
    return rows


def _dedupe(sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    out = []
    for s in sources:
        key = s.get("id") or s.get("url") or repr(sorted(s.items()))
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out
