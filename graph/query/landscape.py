"""The strategist's landscape tables: pipeline counts and lists grouped one way."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from lmkg.errors import LmkgError

from ..evidence import LEVEL_RANK, best_cns
from ..kg import KnowledgeGraph
from ..lm_stage import is_lm_indication
from ..outcome import designation_outcome
from .biomarker import DEFAULT_MIN_LEVEL, STATUS_RANK, agents_for_biomarker
from .epidemiology import figures_by_measure
from .rows import Rows
from .scope import agent_in_scope, descendants

LANDSCAPE_VIEWS = ("company", "class", "biomarker", "phase", "designation", "cancer")


def landscape(kg: KnowledgeGraph, by: str, lm_only: bool = False,
              rollup: bool = True) -> list[dict[str, Any]]:
    """The strategist's tables: pipeline counts and lists grouped one way.

    ``lm_only`` (designation view) keeps designations whose indication is leptomeningeal.
    ``rollup`` (default) counts a subsidiary's or an acquired company's programmes under the
    head of its group (:mod:`lmkg.graph.companies`): one AstraZeneca, one Roche (with
    Genentech and Chugai); ``rollup=False`` lists each company on its own.
    """
    if by not in LANDSCAPE_VIEWS:
        raise LmkgError(f"--by must be one of {', '.join(LANDSCAPE_VIEWS)}, not {by!r}")
    if rollup:
        from ..companies import rolled_up

        kg = rolled_up(kg)
    return Rows(_VIEWS[by](kg, lm_only))


def _agents_row(kg: KnowledgeGraph, agents: Iterable[str]) -> dict[str, Any]:
    agents = sorted(set(agents), key=lambda a: kg.name_of(a).casefold())
    statuses = [kg.node(a).get("status", "") for a in agents]
    return {
        "agents": len(agents),
        "approved": sum(1 for s in statuses if s == "approved"),
        "investigational": sum(1 for s in statuses if s not in ("approved", "discontinued",
                                                                 "withdrawn")),
        "cns_penetrant": sum(1 for a in agents
                             if (b := best_cns(kg.node(a).get("cns_evidence", [])))
                             and LEVEL_RANK[b["level"]] >= DEFAULT_MIN_LEVEL.rank),
        "agent_names": [f"{kg.name_of(a)} ({kg.node(a).get('status', '?')})" for a in agents],
    }


def _by_company(kg: KnowledgeGraph, _lm: bool) -> Iterator[dict[str, Any]]:
    for c in kg.ids("Company"):
        agents = sorted(s for s, *_ in kg.in_edges(c, "DEVELOPED_BY"))
        trials = sorted(s for s, *_ in kg.in_edges(c, "SPONSORED_BY"))
        desig = [o for a in agents for *_x, o, _d in kg.out_edges(a, "HAS_DESIGNATION")]
        yield {"company": kg.name_of(c), "id": c,
               "subsidiaries": [m["name"] for m in kg.node(c).get("subsidiaries", ())],
               **_agents_row(kg, agents),
               "trials": len(trials), "designations": len(set(desig)),
               "note": kg.node(c).get("lm_programme_note")}


def _by_class(kg: KnowledgeGraph, _lm: bool) -> Iterator[dict[str, Any]]:
    for c in kg.ids("DrugClass"):
        members = [a for cls in descendants(kg, c, "SUBCLASS_OF")
                   for a, *_ in kg.in_edges(cls, "MEMBER_OF")]
        parents = sorted(kg.name_of(o) for _s, _p, o, _d in kg.out_edges(c, "SUBCLASS_OF"))
        yield {"class": kg.name_of(c), "id": c, "parent": parents, **_agents_row(kg, members)}


def _by_biomarker(kg: KnowledgeGraph, _lm: bool) -> Iterator[dict[str, Any]]:
    for b in kg.ids("Biomarker"):
        hits = agents_for_biomarker(kg, b)
        genes = sorted(kg.name_of(o) for _s, _p, o, _d in kg.out_edges(b, "ALTERATION_OF"))
        cancers = sorted(kg.name_of(o) for _s, _p, o, _d in kg.out_edges(b, "OCCURS_IN"))
        yield {"biomarker": kg.name_of(b), "id": b, "gene": genes, "cancers": cancers,
               "sensitivity": sum(1 for h in hits if h.relation == "sensitivity"),
               **_agents_row(kg, [h.id for h in hits])}


def _by_phase(kg: KnowledgeGraph, _lm: bool) -> Iterator[dict[str, Any]]:
    """Agents by their development stage **in LM** (``lm_stage``: an LM approval, else the
    highest phase of their LM trials), not their global status: methotrexate, approved for
    other cancers, is a phase 3 agent in LM. Agents with neither an LM approval nor an LM
    trial come last, grouped by their global status and said so."""
    groups: dict[str, list[str]] = {}
    for a in kg.ids("Agent"):
        node = kg.node(a)
        key = node.get("lm_stage") or f"no LM trial (global: {node.get('status', 'unknown')})"
        groups.setdefault(key, []).append(a)

    def rank(stage: str) -> tuple[int, int]:
        if stage in STATUS_RANK:
            return (0, -STATUS_RANK[stage])
        glob = stage.rsplit(": ", 1)[-1].rstrip(")")
        return (1, -STATUS_RANK.get(glob, -1))

    for st in sorted(groups, key=rank):
        agents = sorted(groups[st], key=lambda a: kg.name_of(a).casefold())
        row = _agents_row(kg, agents)
        row["agent_names"] = [
            f"{kg.name_of(a)} (global {kg.node(a).get('status', '?')}"
            + ("; LM application refused" if kg.node(a).get("lm_stage_note") else "") + ")"
            for a in agents]
        row["globally_approved"] = row["approved"]
        yield {"phase": st, "lm_stage": st if st in STATUS_RANK else None,
               "stage_basis": "LM stage" if st in STATUS_RANK else "global status", **row,
               "refused": [kg.name_of(a) for a in agents if kg.node(a).get("lm_stage_note")]}


def _outcome(kg: KnowledgeGraph, d: str) -> dict[str, Any]:
    """The designation's outcome fields (graph/outcome.py): ``outcome`` is the table's words
    (granted, refused, refused to file, application withdrawn, withdrawn)."""
    o = designation_outcome(kg, d)
    return {"outcome": o["outcome_label"], "outcome_code": o["outcome"],
            "in_force": o["in_force"], "outcome_date": o["outcome_date"],
            "outcome_note": o["outcome_note"]}


def _by_designation(kg: KnowledgeGraph, lm_only: bool) -> Iterator[dict[str, Any]]:
    """Every approval and designation, with what became of it: a refused application is
    listed as such (``outcome``), never as an approval, and an approval withdrawn with its
    product says ``withdrawn``."""
    rows = []
    for d in kg.ids("RegulatoryDesignation"):
        node = kg.node(d)
        lm = is_lm_indication(kg, d)
        if lm_only and not lm:
            continue
        holders = sorted(s for s, *_ in kg.in_edges(d, "HAS_DESIGNATION"))
        companies = sorted({kg.name_of(o) for h in holders
                            for _s, _p, o, _d in kg.out_edges(h, "DEVELOPED_BY")})
        srcs = [s for h in sorted(kg.in_edges(d, "HAS_DESIGNATION"), key=lambda e: e[0])
                for s in h[3].get("sources", [])]
        rows.append({
            "agent": [kg.name_of(h) for h in holders], "agency": node["agency"],
            "type": node["designation_type"], **_outcome(kg, d),
            "indication": node["indication"],
            "date": node.get("date"), "lm_indication": lm, "companies": companies,
            "id": d, "sources": [s.get("id") or s.get("url") for s in
                                 [*node.get("sources", []), *srcs]],
        })
    rows.sort(key=lambda r: (r["agency"], r["type"], r["date"] or "", r["indication"]))
    yield from rows


def _by_cancer(kg: KnowledgeGraph, _lm: bool) -> Iterator[dict[str, Any]]:
    for c in kg.ids("PrimaryCancer"):
        scope = descendants(kg, c, "SUBTYPE_OF")
        agents = [a for a in kg.ids("Agent") if agent_in_scope(kg, a, scope)]
        biomarkers = sorted({kg.name_of(s) for x in scope for s, *_ in kg.in_edges(x, "OCCURS_IN")})
        trials = {s for x in scope for s, *_ in kg.in_edges(x, "STUDIES")}
        node = kg.node(c)
        yield {"cancer": node["name"], "id": c, "biomarkers": biomarkers,
               "trials": len(trials),
               "lm_incidence_among_patients": figures_by_measure(
                   kg, c, "lm_incidence_among_patients", "lm_cumulative_incidence",
                   "lm_at_diagnosis"),
               "share_of_lm_cases": figures_by_measure(kg, c, "share_of_lm_cases"),
               "median_os_from_lm_diagnosis": figures_by_measure(
                   kg, c, "median_os_from_lm_diagnosis"),
               "cns_not_lm_specific": figures_by_measure(
                   kg, c, "cns_metastasis_incidence", "cns_involvement_at_diagnosis"),
               **_agents_row(kg, agents)}


_VIEWS = {"company": _by_company, "class": _by_class, "biomarker": _by_biomarker,
          "phase": _by_phase, "designation": _by_designation, "cancer": _by_cancer}
