"""Which agents act on a biomarker: the answers scientists ask for, ranked by CNS evidence.

"CNS-penetrant" is derived from an agent's CNS-evidence records, never stored as a flag: an
agent is CNS-penetrant at level L when it has a *supporting* record at level L or above; the
default threshold is ``csf_pk`` (human CSF or brain-tissue drug levels), so preclinical data
alone never makes an agent CNS-penetrant. Levels, weakest first: ``preclinical``, ``csf_pk``,
``intracranial_response``, ``lm_clinical``. Every answer row says why it qualifies.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from lmkg.errors import LmkgError
from lmkg.ontology import CNSEvidenceLevel, DevelopmentStatus

from ..evidence import LEVEL_RANK, best_cns
from ..kg import KnowledgeGraph
from .rows import Rows
from .scope import agent_in_scope, cancer_scope, descendants

MATCH_ORDER = {"direct": 0, "gene-level": 1, "class-level": 2}
DEFAULT_MIN_LEVEL = CNSEvidenceLevel.CSF_PK
STATUS_RANK = {s.value: s.rank for s in DevelopmentStatus}


@dataclass
class AgentHit:
    """One agent in an answer to "which agents target X", with why it is there."""

    id: str
    name: str
    match: str  # direct | gene-level | class-level
    via: list[str]
    classes: list[str]
    companies: list[str]
    status: str
    cns_level: str | None
    cns_penetrant: bool
    cns_evidence: dict[str, Any] | None
    cns_records: int
    cns_weight: float
    approved_for: list[str]
    why: str
    sources: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)



# outweighs a case report; a secondary source (press release, review, news) counts half; each
# source counts once, by its best record, so one study split into many metrics is one study.
DESIGN_WEIGHT = {"randomized_trial": 4.0, "meta_analysis": 3.0, "single_arm_trial": 3.0,
                 "trial_subgroup": 2.5, "cohort": 2.0, "pk_study": 2.0, "case_series": 1.5,
                 "case_report": 1.0, "preclinical": 0.5, "dataset": 0.5}
KIND_WEIGHT = {"trial_report": 3.0, "cohort": 2.0, "case_series": 1.5, "review": 0.5,
               "guideline": 1.0, "label": 2.0, "preclinical": 0.5, "dataset": 0.5, "other": 1.0}


def record_weight(kg: KnowledgeGraph, record: dict[str, Any]) -> float:
    weight = DESIGN_WEIGHT.get(record.get("study_design") or "")
    if weight is None:
        kind = None
        sid = record["source"].get("id")
        if sid:
            pubs = kg.lookup(sid, types=["Publication"])
            if pubs:
                kind = kg.node(pubs[0]).get("kind")
        weight = KIND_WEIGHT.get(kind or "other", 1.0)
    return weight * (0.5 if record["source"].get("secondary") else 1.0)


def evidence_weight(kg: KnowledgeGraph, evidence: list[dict[str, Any]], level: str | None) -> float:
    """Sum over the distinct sources of supporting records at ``level`` of their best weight."""
    if level is None:
        return 0.0
    best: dict[str, float] = {}
    for e in evidence:
        if e["level"] != level or e.get("direction", "supports") != "supports":
            continue
        key = e["source"].get("id") or e["source"].get("url") or repr(e["source"])
        best[key] = max(best.get(key, 0.0), record_weight(kg, e))
    return sum(best.values())


def explain_cns(best: dict[str, Any] | None, min_level: CNSEvidenceLevel) -> str:
    if best is None:
        return "no supporting CNS evidence recorded"
    src = best["source"].get("id") or best["source"].get("url")
    pop = f" in {best['population']}" if best.get("population") else ""
    fact = f"{best['metric']} {best['value']}{pop} [{src}]"
    if LEVEL_RANK[best["level"]] >= min_level.rank:
        return f"CNS-penetrant ({best['level']} >= {min_level.value}): {fact}"
    return f"not shown CNS-penetrant (best evidence {best['level']} < {min_level.value}): {fact}"


def agents_for_biomarker(
    kg: KnowledgeGraph,
    biomarker: str,
    cancer: str | None = None,
    cns_min_level: CNSEvidenceLevel | str | None = None,
    status: str | None = None,
) -> list[AgentHit]:
    """The agents that target a biomarker or gene, ranked by strength of CNS evidence.

    An alteration (EGFR T790M) also brings the agents that target its gene (labelled
    ``gene-level``); a gene (EGFR) brings the agents that target any of its alterations; a drug
    class that targets either brings its member agents (``class-level``). ``cns_min_level``
    keeps only agents CNS-penetrant at that level; ``status`` is ``approved`` or
    ``investigational``; ``cancer`` keeps agents approved, in development, trialled or
    designated for that cancer (its subtypes and parents included).

    >>> import lmkg
    >>> kg = lmkg.build()
    >>> [h.name for h in agents_for_biomarker(kg, "EGFR", cns_min_level="csf_pk")][:1]
    ['osimertinib']
    """
    target = kg.resolve(biomarker, types=["Biomarker", "Gene"])
    min_level = CNSEvidenceLevel(cns_min_level) if cns_min_level else None
    if status not in (None, "approved", "investigational"):
        raise LmkgError(f"status must be approved or investigational, not {status!r}")

    targets: dict[str, tuple[str, str | None]] = {target: ("direct", None)}
    if kg.type_of(target) == "Biomarker":
        for _s, _p, gene, _d in kg.out_edges(target, "ALTERATION_OF"):
            targets[gene] = ("gene-level", kg.name_of(gene))
    else:
        for alt, *_ in kg.in_edges(target, "ALTERATION_OF"):
            targets[alt] = ("direct", kg.name_of(alt))

    found: dict[str, dict[str, Any]] = {}

    def note(agent: str, kind: str, via: str | None, sources: list[dict[str, Any]]) -> None:
        rec = found.setdefault(agent, {"match": kind, "via": [], "sources": []})
        if MATCH_ORDER[kind] < MATCH_ORDER[rec["match"]]:
            rec["match"] = kind
        if via and via not in rec["via"]:
            rec["via"].append(via)
        keys = {s.get("id") or s.get("url") for s in rec["sources"]}
        rec["sources"] += [s for s in sources if (s.get("id") or s.get("url")) not in keys]

    for t, (kind, via) in targets.items():
        for x, _p, _o, d in kg.in_edges(t, "TARGETS"):
            xtype = kg.type_of(x)
            if xtype == "Agent":
                note(x, kind, via, d.get("sources", []))
            elif xtype == "DrugClass":
                for cls in descendants(kg, x, "SUBCLASS_OF"):
                    for agent, *_ in kg.in_edges(cls, "MEMBER_OF"):
                        label = f"class {kg.name_of(x)}" + (f" ({via})" if via else "")
                        note(agent, "class-level", label, d.get("sources", []))

    scope = cancer_scope(kg, kg.resolve(cancer, types=["PrimaryCancer", "MetastaticSite"])) \
        if cancer else None
    threshold = min_level or DEFAULT_MIN_LEVEL
    hits: list[AgentHit] = []
    for agent, rec in found.items():
        node = kg.node(agent)
        evidence = node.get("cns_evidence", [])
        best = best_cns(evidence)
        level = best["level"] if best else None
        if best is not None:  # the strongest record at the best level is the one shown
            best = max((e for e in evidence if e["level"] == level
                        and e.get("direction", "supports") == "supports"),
                       key=lambda e: record_weight(kg, e))
        if min_level is not None and (best is None or LEVEL_RANK[level] < min_level.rank):
            continue
        st = node.get("status", "")
        if status == "approved" and st != "approved":
            continue
        if status == "investigational" and st == "approved":
            continue
        if scope is not None and not agent_in_scope(kg, agent, scope):
            continue
        sources = list(rec["sources"])
        if best and best["source"] not in sources:
            sources.append(best["source"])
        why_match = {"direct": "targets it directly",
                     "gene-level": "targets the gene (gene-level)",
                     "class-level": "member of a class that targets it"}[rec["match"]]
        via = f" via {', '.join(rec['via'])}" if rec["via"] else ""
        hits.append(AgentHit(
            id=agent, name=node["name"], match=rec["match"], via=rec["via"],
            classes=sorted(kg.name_of(o) for _s, _p, o, _d in kg.out_edges(agent, "MEMBER_OF")),
            companies=sorted({kg.name_of(o) for _s, _p, o, _d in
                              kg.out_edges(agent, "DEVELOPED_BY")}),
            status=st, cns_level=level,
            cns_penetrant=bool(best and LEVEL_RANK[level] >= DEFAULT_MIN_LEVEL.rank),
            cns_evidence=best,
            cns_records=sum(1 for e in evidence if e.get("direction", "supports") == "supports"
                            and best and e["level"] == level),
            cns_weight=evidence_weight(kg, evidence, level),
            approved_for=sorted({kg.name_of(o) for _s, _p, o, _d in
                                 kg.out_edges(agent, "APPROVED_FOR")}),
            why=f"{why_match}{via}; {explain_cns(best, threshold)}",
            sources=sources,
        ))
    hits.sort(key=lambda h: (
        -(LEVEL_RANK[h.cns_level] if h.cns_level else -1),
        -h.cns_weight,
        MATCH_ORDER[h.match],
        -STATUS_RANK.get(h.status, -1),
        h.name.casefold(),
    ))
    return Rows(hits)
