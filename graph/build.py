"""Merging loader output into one KnowledgeGraph, plus the few rules that derive edges.

Derived edges are marked with ``derived`` (the rule's name) and carry the sources of the facts
they come from, so nothing in the graph lacks a source:

- ``biomarker.gene``: a biomarker's ``gene`` field gives ``Biomarker -ALTERATION_OF-> Gene``.
- ``designation.agency``: a designation's agency gives ``-GRANTED_BY-> RegulatoryAgency`` when
  that agency is in the graph.
- ``designation.approval``: ``Agent -HAS_DESIGNATION-> d -FOR_INDICATION-> X`` where ``d`` is an
  approval gives ``Agent -APPROVED_FOR-> X`` (with agency and date).
- ``approval.biomarker``: an approval whose indication names a biomarker gives
  ``Biomarker -PREDICTS_RESPONSE-> Agent`` (or Regimen), direction sensitivity, tier
  ``approved``, in each cancer the indication names; an indication that names no cancer of
  the graph keeps the regulator's wording as ``disease``, and is ``tissue_agnostic`` when that
  wording is "solid tumours" (larotrectinib's NTRK approval). An approval a regimen holds is
  the regimen's: its components, which hold it too, get no association from it.
- ``evidence.publication``: a CNS-evidence, epidemiology or diagnostic-performance record, or an
  entity source, that cites a declared publication gives ``-SUPPORTED_BY-> Publication``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lmkg.loaders.base import LoadResult
from lmkg.ontology import (
    BY_PREDICATE,
    Agent,
    Biomarker,
    Entity,
    RegulatoryDesignation,
    RelationType,
    SourceRef,
)
from lmkg.ontology.entities import Diagnostic, PrimaryCancer, Publication

from .kg import KnowledgeGraph
from .store import fingerprint

__all__ = ["derive", "fingerprint", "merge", "source_fingerprint"]


def source_fingerprint(path: Path) -> str:
    """A hash of the names and contents of every file of a public source (file or folder)."""
    h = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for f in files:
        h.update(str(f.relative_to(path if path.is_dir() else path.parent)).encode() + b"\0")
        try:
            with f.open("rb") as fh:
                for block in iter(lambda fh=fh: fh.read(1 << 20), b""):
                    h.update(block)
        except OSError:
            h.update(b"unreadable")
    return h.hexdigest()[:16]


def merge(results: Iterable[LoadResult]) -> KnowledgeGraph:
    """One graph from loader results: entities first, then stated relations, then derived ones."""
    kg = KnowledgeGraph()
    results = list(results)
    entities: list[Entity] = []
    for res in results:
        for ent in res.entities:
            if ent.id in kg:
                continue
            kg.add_entity(ent)
            entities.append(ent)
    for res in results:
        for rel in res.relations:
            kg.add_relation(rel)
    derive(kg, entities)
    return kg


def _src_dicts(sources: Iterable[SourceRef | dict[str, Any]]) -> list[SourceRef]:
    out: list[SourceRef] = []
    seen: set[str] = set()
    for s in sources:
        ref = s if isinstance(s, SourceRef) else SourceRef.model_validate(s)
        if ref.key not in seen:
            seen.add(ref.key)
            out.append(ref)
    return out


_SOLID_TUMOURS = re.compile(r"\bsolid\s+tumou?rs?\b", re.IGNORECASE)


def _approved_biomarker(kg: KnowledgeGraph, ent: RegulatoryDesignation, holders: list[Any],
                        indications: list[Any], add: Any) -> None:
    """The approved biomarker-selected indication as a predictive association (rule
    ``approval.biomarker``): the strongest tier there is, sourced by the approval."""
    markers = [i for i in indications if kg.type_of(i[2]) == "Biomarker"]
    # An approval a regimen holds is the regimen's: its components hold it as part of it.
    parts = {c for h in holders if kg.type_of(h[0]) == "Regimen"
             for _s, _p, c, _d in kg.out_edges(h[0], "HAS_COMPONENT")}
    holders = [h for h in holders if h[0] not in parts]
    cancers = [i for i in indications if kg.type_of(i[2]) == "PrimaryCancer"]
    when = f" {ent.date}" if ent.date else ""
    note = (f"{ent.agency.value.upper()} {ent.designation_type.value.replace('_', ' ')}{when}: "
            f"{ent.indication}")
    for marker in markers:
        for holder in holders:
            base = [*holder[3]["sources"], *marker[3]["sources"], *ent.sources]
            if cancers:
                for c in cancers:
                    add(RelationType.PREDICTS_RESPONSE, marker[2], holder[0],
                        _src_dicts([*base, *c[3]["sources"]]), "approval.biomarker",
                        direction="sensitivity", tier="approved", cancer=c[2], note=note)
            else:
                agnostic = bool(_SOLID_TUMOURS.search(ent.indication))
                add(RelationType.PREDICTS_RESPONSE, marker[2], holder[0], _src_dicts(base),
                    "approval.biomarker", direction="sensitivity", tier="approved",
                    disease=None if agnostic else ent.indication,
                    tissue_agnostic=True if agnostic else None, note=note)


def derive(kg: KnowledgeGraph, entities: list[Entity]) -> None:
    pubs: dict[str, str] = {}
    for pid in kg.ids("Publication"):
        for x in kg.node(pid).get("xrefs", ()):
            pubs[x] = pid
    agencies = {kg.node(a)["agency"]: a for a in kg.ids("RegulatoryAgency")}

    def add(pred: RelationType, s: str, o: str, sources: list[SourceRef], rule: str,
            **props: Any) -> None:
        if not sources:
            return
        rel = BY_PREDICATE[pred](subject=s, object=o, sources=sources, **props)
        kg.add_relation(rel, derived=rule)

    for ent in entities:
        if isinstance(ent, Biomarker) and ent.gene and ent.gene in kg:
            add(RelationType.ALTERATION_OF, ent.id, ent.gene, list(ent.sources), "biomarker.gene")
        if isinstance(ent, RegulatoryDesignation):
            holders = kg.in_edges(ent.id, RelationType.HAS_DESIGNATION.value)
            holder_sources = [s for e in holders for s in e[3]["sources"]]
            sources = _src_dicts([*ent.sources, *holder_sources])
            agency = agencies.get(ent.agency.value)
            if agency:
                add(RelationType.GRANTED_BY, ent.id, agency, sources, "designation.agency")
            if ent.is_approval and ent.granted:  # a refused application approves nothing
                indications = kg.out_edges(ent.id, RelationType.FOR_INDICATION.value)
                for ind in indications:
                    for holder in holders:
                        srcs = _src_dicts([*holder[3]["sources"], *ind[3]["sources"]])
                        add(RelationType.APPROVED_FOR, holder[0], ind[2], srcs,
                            "designation.approval", agency=ent.agency.value, date=ent.date)
                _approved_biomarker(kg, ent, holders, indications, add)
        if isinstance(ent, Publication):
            continue
        cited: list[tuple[SourceRef, str | None]] = [(s, None) for s in ent.sources]
        if isinstance(ent, Agent):
            cited += [(ev.source, f"CNS evidence: {ev.metric} {ev.value}") for ev in ent.cns_evidence]
        if isinstance(ent, PrimaryCancer):
            cited += [(f.source, f"{f.measure.value}: {f.value} ({f.population})")
                      for f in ent.epidemiology]
        if isinstance(ent, Diagnostic):
            cited += [(p.source, "diagnostic performance: " + ", ".join(
                f"{k} {getattr(p, k)}" for k in ("sensitivity", "specificity") if getattr(p, k)))
                for p in ent.performance]
        for src, why in cited:
            pub = pubs.get(src.id or "")
            if pub and pub != ent.id:
                note = why or src.note
                add(RelationType.SUPPORTED_BY, ent.id, pub, [src], "evidence.publication",
                    note=note)
