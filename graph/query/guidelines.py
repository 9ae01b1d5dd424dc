"""What the guidelines recommend: recommendations by cancer and topic, for one agent, and the
diagnostic and response criteria of a condition with their guideline sources.

A recommendation is a ``Guideline -RECOMMENDS-> target`` edge (target: agent, regimen, drug
class, radiotherapy modality, diagnostic or delivery platform) with its topic, direction,
context (cancer, biomarker, EANO-ESMO LM type), strength and level as the guideline states
them, and the quoted text. A guideline that covers brain metastases only says so in
``covers``: its recommendations are never LM recommendations.

>>> import lmkg
>>> kg = lmkg.build()
>>> rows = guidelines(kg, cancer="NSCLC", topic="treatment")
>>> sorted({r.target for r in rows}) >= ["alectinib", "osimertinib"]
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lmkg.errors import LmkgError

from ..kg import KnowledgeGraph
from .rows import Rows, as_record
from .scope import ancestors, descendants

TOPICS = ("diagnosis", "response", "treatment")
LM_SITE = "lmkg:site/leptomeninges"


@dataclass(frozen=True)
class Recommendation:
    """One guideline recommendation, resolved to names, with where it applies.

    ``applies`` says how the recommendation relates to the question asked: ``cancer`` (for the
    cancer asked about or a subtype of it), ``broader cancer`` (for a cancer the one asked about
    is a subtype of), ``any cancer`` (no cancer named); for :func:`recommendations_for`,
    ``match`` says whether it names the agent (``direct``), a class the agent belongs to
    (``class-level``) or a regimen the agent is a component of (``regimen``).
    """

    guideline_id: str
    guideline: str
    issuer: str
    year: int | None
    covers: str | None
    target_id: str
    target: str
    target_type: str
    topic: str
    direction: str
    text: str
    cancer_id: str | None = None
    cancer: str | None = None
    biomarker_id: str | None = None
    biomarker: str | None = None
    lm_type: str | None = None
    population: str | None = None
    strength: str | None = None
    level: str | None = None
    note: str | None = None
    applies: str = "any cancer"
    match: str = "direct"
    sources: list[dict[str, Any]] = field(default_factory=list)

    @property
    def context(self) -> str:
        """The cancer, biomarker, LM type and population it is for, in one line."""
        parts = [p for p in (self.cancer, self.biomarker, _lm_type_label(self.lm_type),
                             self.population) if p]
        return "; ".join(parts) or "LM from any solid tumour"

    @property
    def grade(self) -> str:
        """Strength and level as stated, or a plain note that the source read gave none."""
        parts = [f"strength {self.strength}" if self.strength else None,
                 f"level {self.level}" if self.level else None]
        return "; ".join(p for p in parts if p) or "not stated in the source read"

    def as_dict(self) -> dict[str, Any]:
        out = as_record(self)
        out["context"] = self.context
        out["grade"] = self.grade
        return out


def _lm_type_label(lm_type: str | None) -> str | None:
    if lm_type is None:
        return None
    if lm_type == "any":
        return "any LM type"
    roman = lm_type.removeprefix("type_").upper()
    return f"LM type {roman}"


def _recommendation(kg: KnowledgeGraph, g: str, target: str, d: dict[str, Any],
                    applies: str = "any cancer", match: str = "direct") -> Recommendation:
    gnode = kg.node(g)
    cancer, biomarker = d.get("cancer"), d.get("biomarker")
    return Recommendation(
        guideline_id=g, guideline=gnode["name"], issuer=gnode.get("issuer", ""),
        year=gnode.get("year"), covers=gnode.get("covers"),
        target_id=target, target=kg.name_of(target), target_type=kg.type_of(target),
        topic=d["topic"], direction=d.get("direction", "for"), text=d["text"],
        cancer_id=cancer, cancer=kg.name_of(cancer) if cancer in kg else cancer,
        biomarker_id=biomarker, biomarker=_biomarker_label(kg, biomarker),
        lm_type=d.get("lm_type"), population=d.get("population"), strength=d.get("strength"),
        level=d.get("level"), note=d.get("note"), applies=applies, match=match,
        sources=list(d.get("sources", [])),
    )


def _biomarker_label(kg: KnowledgeGraph, b: str | None) -> str | None:
    """A biomarker's name; a gene reads as its symbol with 'any alteration' (EGFR-mutant)."""
    if b is None or b not in kg:
        return b
    node = kg.node(b)
    if node["type"] == "Gene":
        return f"{node.get('symbol') or node['name']} (any alteration)"
    return node["name"]


def _cancer_relation(kg: KnowledgeGraph, wanted: str | None, rec_cancer: str | None) -> str | None:
    """How a recommendation's cancer relates to the cancer asked about (None: unrelated)."""
    if rec_cancer is None:
        return "any cancer"
    if wanted is None:
        return "cancer"
    if rec_cancer in descendants(kg, wanted, "SUBTYPE_OF"):
        return "cancer"
    if rec_cancer in ancestors(kg, wanted, "SUBTYPE_OF"):
        return "broader cancer"
    return None


def _biomarker_matches(kg: KnowledgeGraph, wanted: str | None, rec_biomarker: str | None) -> bool:
    """A recommendation for no biomarker applies to all; one for a gene (EGFR-mutant) applies
    to its alterations, and one for an alteration to a question about its gene."""
    if wanted is None or rec_biomarker is None:
        return True
    if wanted == rec_biomarker:
        return True
    genes_of = {o for *_x, o, _d in kg.out_edges(wanted, "ALTERATION_OF")}
    if rec_biomarker in genes_of:
        return True
    return any(o == wanted for *_x, o, _d in kg.out_edges(rec_biomarker, "ALTERATION_OF"))


_APPLIES_ORDER = {"cancer": 0, "broader cancer": 1, "any cancer": 2}
_TOPIC_ORDER = {t: i for i, t in enumerate(TOPICS)}


def _sort_key(kg: KnowledgeGraph, r: Recommendation) -> tuple[Any, ...]:
    lm_first = 0 if r.covers == "lm" else 1 if r.covers == "cns" else 2
    return (_APPLIES_ORDER.get(r.applies, 3), _TOPIC_ORDER.get(r.topic, 9), lm_first,
            -(r.year or 0), r.guideline.casefold(), r.target.casefold())


def guidelines(kg: KnowledgeGraph, cancer: str | None = None, topic: str | None = None,
               guideline: str | None = None, biomarker: str | None = None,
               lm_only: bool = False) -> list[Recommendation]:
    """Every recommendation, or those for ``cancer`` (by any name; its subtypes, the broader
    cancers it belongs to, and recommendations naming no cancer are included, each row saying
    which), ``topic`` (diagnosis, response, treatment), one ``guideline`` and a ``biomarker``.
    ``lm_only`` drops guidelines that cover brain metastases only. Most specific first."""
    if topic is not None and topic not in TOPICS:
        raise LmkgError(f"--topic must be one of {', '.join(TOPICS)}, not {topic!r}")
    cancer_id = kg.resolve(cancer, types=["PrimaryCancer"]) if cancer else None
    biomarker_id = kg.resolve(biomarker, types=["Biomarker", "Gene"]) if biomarker else None
    wanted_g = kg.resolve(guideline, types=["Guideline"]) if guideline else None
    out: list[Recommendation] = []
    for g in kg.ids("Guideline"):
        if wanted_g is not None and g != wanted_g:
            continue
        if lm_only and kg.node(g).get("covers") == "brain_metastases":
            continue
        for _s, _p, target, d in kg.out_edges(g, "RECOMMENDS"):
            if topic is not None and d["topic"] != topic:
                continue
            applies = _cancer_relation(kg, cancer_id, d.get("cancer"))
            if applies is None or not _biomarker_matches(kg, biomarker_id, d.get("biomarker")):
                continue
            out.append(_recommendation(kg, g, target, d, applies=applies))
    out.sort(key=lambda r: _sort_key(kg, r))
    return Rows(out)


def recommendations_for(kg: KnowledgeGraph, agent_id: str, biomarker_id: str | None = None,
                        cancer_id: str | None = None) -> list[Recommendation]:
    """The recommendations that exist for an agent (by id or any name): naming it
    (``match="direct"``), a drug class it belongs to or a broader class (``"class-level"``), or
    a regimen it is a component of (``"regimen"``); kept when they fit ``biomarker_id`` (the
    biomarker, its gene, or one of its alterations) and ``cancer_id`` (the cancer, a subtype or
    broader cancer of it, or no cancer named). For the ``agents`` answer: each row says which
    guideline, topic, context, strength and level."""
    agent = agent_id if agent_id in kg else kg.resolve(agent_id, types=["Agent"])
    biomarker = (biomarker_id if biomarker_id is None or biomarker_id in kg
                 else kg.resolve(biomarker_id, types=["Biomarker", "Gene"]))
    cancer = (cancer_id if cancer_id is None or cancer_id in kg
              else kg.resolve(cancer_id, types=["PrimaryCancer"]))
    targets: dict[str, str] = {agent: "direct"}
    for _s, _p, cls, _d in kg.out_edges(agent, "MEMBER_OF"):
        for c in ancestors(kg, cls, "SUBCLASS_OF"):
            targets.setdefault(c, "class-level")
    for reg, *_x in kg.in_edges(agent, "HAS_COMPONENT"):
        targets.setdefault(reg, "regimen")
    out: list[Recommendation] = []
    for target, match in targets.items():
        for g, _p, _o, d in kg.in_edges(target, "RECOMMENDS"):
            applies = _cancer_relation(kg, cancer, d.get("cancer"))
            if applies is None or not _biomarker_matches(kg, biomarker, d.get("biomarker")):
                continue
            out.append(_recommendation(kg, g, target, d, applies=applies, match=match))
    order = {"direct": 0, "class-level": 1, "regimen": 2}
    out.sort(key=lambda r: (order[r.match], *_sort_key(kg, r)))
    return Rows(out)


def criteria_for(kg: KnowledgeGraph, condition: str = LM_SITE) -> list[dict[str, Any]]:
    """The diagnostic and response criteria of a condition (by default leptomeningeal
    metastases): every diagnostic that assesses it or that a guideline recommends for diagnosis
    or response, one row per (diagnostic, guideline recommendation), with the guideline, topic,
    LM type, strength and level, the quoted text and the sources; a diagnostic no guideline
    recommends gets one row saying so. Diagnosis before response, then by name."""
    site = condition if condition in kg else kg.resolve(condition)
    diagnostics = {s for s, *_ in kg.in_edges(site, "ASSESSES")
                   if kg.type_of(s) == "Diagnostic"}
    recommended: dict[str, list[Recommendation]] = {}
    for g in kg.ids("Guideline"):
        for _s, _p, target, d in kg.out_edges(g, "RECOMMENDS"):
            if kg.type_of(target) == "Diagnostic" and d["topic"] in ("diagnosis", "response"):
                recommended.setdefault(target, []).append(_recommendation(kg, g, target, d))
    rows: list[dict[str, Any]] = []
    for dx in sorted(diagnostics | set(recommended), key=lambda x: kg.name_of(x).casefold()):
        node = kg.node(dx)
        perf = node.get("performance", [])
        base = {"criterion": node["name"], "id": dx, "kind": node.get("kind"),
                "performance": [_performance_text(p) for p in perf]}
        recs = recommended.get(dx, [])
        if not recs:
            rows.append({**base, "topic": None, "guideline": None, "guideline_id": None,
                         "lm_type": None, "strength": None, "level": None,
                         "grade": "no guideline recommendation in the graph", "text": None,
                         "sources": list(node.get("sources", []))})
        for r in sorted(recs, key=lambda r: (_TOPIC_ORDER[r.topic], -(r.year or 0))):
            rows.append({**base, "topic": r.topic, "guideline": r.guideline,
                         "guideline_id": r.guideline_id, "lm_type": _lm_type_label(r.lm_type),
                         "strength": r.strength, "level": r.level, "grade": r.grade,
                         "text": r.text, "sources": r.sources})
    rows.sort(key=lambda r: (_TOPIC_ORDER.get(r["topic"] or "", 9), r["criterion"].casefold()))
    return Rows(rows)


def _performance_text(p: dict[str, Any]) -> str:
    figs = ", ".join(f"{k} {p[k]}" for k in ("sensitivity", "specificity") if p.get(k))
    cut = f" at {p['cutoff']}" if p.get("cutoff") else ""
    return f"{figs}{cut} vs {p['reference_standard']} ({p['population']})"


def guideline_recommendations(kg: KnowledgeGraph, guideline_id: str) -> list[Recommendation]:
    """Every recommendation one guideline makes, by topic then target."""
    return sorted((_recommendation(kg, guideline_id, o, d)
                   for _s, _p, o, d in kg.out_edges(guideline_id, "RECOMMENDS")),
                  key=lambda r: (_TOPIC_ORDER.get(r.topic, 9), r.target.casefold()))


__all__ = ["TOPICS", "Recommendation", "criteria_for", "guideline_recommendations", "guidelines",
           "recommendations_for"]
