"""The data of the map's linked views: the pipeline board, the timeline and the company view.

Every item names the map nodes it is about (by their index in the page's node list), so that
selecting it in one view highlights it in the others and opens the node's sourced facts; an
item that is not a node (a deal) carries its own facts and sources.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lmkg.graph import KnowledgeGraph
from lmkg.graph.query.pipeline import (
    STAGE_LABEL,
    STAGES,
    deals,
    pipeline,
    regulatory_events,
)

# Designation types as the timeline draws them, most decisive first.
EVENT_STYLE: dict[str, tuple[str, str, str]] = {
    # type -> (legend label, colour, marker)
    "approval": ("Approval", "#1f4fb4", "circle"),
    "accelerated_approval": ("Accelerated approval", "#5b8def", "circle"),
    "conditional_approval": ("Conditional approval", "#8fb0f5", "circle"),
    "breakthrough_therapy": ("Breakthrough therapy", "#d7263d", "star"),
    "prime": ("PRIME (EMA)", "#d7263d", "star"),
    "sakigake": ("SAKIGAKE (Japan)", "#d7263d", "star"),
    "priority_review": ("Priority review", "#e69f00", "square"),
    "fast_track": ("Fast track", "#009e73", "triangle"),
    "orphan_drug": ("Orphan drug", "#cc79a7", "diamond"),
    "rare_pediatric_disease": ("Rare pediatric disease", "#8c564b", "diamond"),
    "acquisition": ("Acquisition", "#2e2e2e", "ring"),
    "partnership": ("Partnership", "#7f7f7f", "ring"),
}
AGENCY_LABEL = {"fda": "FDA (US)", "ema": "EMA (EU)", "ec": "European Commission",
                "pmda": "PMDA (Japan)", "mhlw": "MHLW (Japan)", "nmpa": "NMPA (China)",
                "mhra": "MHRA (UK)", "health_canada": "Health Canada", "tga": "TGA (Australia)",
                "swissmedic": "Swissmedic", "mfds": "MFDS (South Korea)"}


def view_data(kg: KnowledgeGraph, source_kg: KnowledgeGraph, index: dict[str, int],
              heads: dict[str, str], cite: Callable[[dict[str, Any]], int]) -> dict[str, Any]:
    """The three views' items for the nodes in ``index`` (id -> page index).

    ``kg`` is the graph the map draws (rolled up or not), ``source_kg`` the graph before the
    roll-up (its acquisitions between members of one group are still deals on the timeline),
    ``heads`` maps a company to the head it was rolled into (empty without roll-up), ``cite``
    gives a source's row in the map's source table (a deal names its sources by row).
    """

    def idx(ids: list[str]) -> list[int]:
        return sorted({index[i] for i in ids if i in index})

    board = []
    for row in pipeline(kg):
        if row["id"] not in index:
            continue
        board.append({"node": index[row["id"]], "stage": row["stage"],
                      "basis": row["stage_basis"], "modality": row["modality"],
                      "biomarker": row["biomarkers"], "class": row["classes"],
                      "companies": idx(row["company_ids"]), "lm_trials": row["lm_trials"],
                      "designations": row["designations"]})
    events = []
    for ev in regulatory_events(kg):
        if ev["id"] not in index:
            continue
        events.append({"node": index[ev["id"]], "year": ev["year"], "date": ev["date"],
                       "agency": ev["agency"], "type": ev["type"], "lm": ev["lm"],
                       "outcome": ev["outcome"], "outcome_label": ev["outcome_label"],
                       "agents": idx(ev["holders"] + ev["agents"]),
                       "companies": idx(ev["companies"]),
                       "label": ", ".join(ev["agent_names"]) or ev["name"]})
    deal_items = []
    for d in deals(source_kg):
        a, b = heads.get(d["from"], d["from"]), heads.get(d["to"], d["to"])
        if a not in index or b not in index:
            continue
        verb = "acquired" if d["kind"] == "acquisition" else "partnered with"
        deal_items.append({
            "kind": d["kind"], "year": d["year"], "date": d["date"],
            "companies": sorted({index[a], index[b]}), "from": index[a], "to": index[b],
            "label": f"{d['from_name']} {verb} {d['to_name']}", "terms": d["terms"],
            "sources": [cite(s) for s in d["sources"]]})
    companies = []
    agents_of: dict[int, list[int]] = {}
    for item in board:
        for c in item["companies"]:
            agents_of.setdefault(c, []).append(item["node"])
    events_of: dict[int, int] = {}
    for ev_item in events:
        for c in ev_item["companies"]:
            events_of[c] = events_of.get(c, 0) + 1
    deals_of: dict[int, int] = {}
    for d_item in deal_items:
        for c in d_item["companies"]:
            deals_of[c] = deals_of.get(c, 0) + 1
    for c in kg.ids("Company"):
        if c not in index:
            continue
        i = index[c]
        trials = [s for s, *_ in kg.in_edges(c, "SPONSORED_BY")]
        companies.append({
            "node": i, "subsidiaries": [
                {"name": m["name"], "via": m.get("via"), "parent": m.get("parent")}
                for m in kg.node(c).get("subsidiaries", ())],
            "agents": sorted(agents_of.get(i, [])), "trials": len(trials),
            "designations": events_of.get(i, 0), "deals": deals_of.get(i, 0),
            "note": kg.node(c).get("lm_programme_note")})
    return {
        "pipeline": board, "events": events, "deals": deal_items, "companies": companies,
        "stages": [{"name": s, "label": STAGE_LABEL[s]} for s in (*STAGES, "other")],
        "event_types": [{"name": k, "label": v[0], "color": v[1], "marker": v[2]}
                        for k, v in EVENT_STYLE.items()],
        "agencies": [{"name": k, "label": v} for k, v in AGENCY_LABEL.items()],
    }
