"""What works for a biomarker: agents and regimens, graded by the biomarker evidence first and
the CNS evidence second, with resistance kept apart.

The question "which agents for EGFR T790M?" has three kinds of answer in the graph, kept apart
as OncoKB and CIViC keep them apart:

- *acts on*: ``Agent -TARGETS-> Biomarker`` (or a drug class that targets it): what the drug is
  designed to hit;
- *sensitivity* / *resistance*: ``Biomarker -PREDICTS_RESPONSE-> Agent|Regimen`` in a cancer, at
  an evidence tier (approved biomarker-selected indication > guideline > clinical trial > case
  report > preclinical);
- drug-gene interaction rows (``INTERACTS_WITH``) are never answers.

An agent answers for a variant only if it acts on it or has a sensitivity association with it;
an agent with a resistance association (in the cancer asked about, or anywhere when no cancer
is asked) and no stronger sensitivity is listed in the *resistance* section instead. A family
query (a gene: "EGFR", "HER2"; or a family biomarker: "NTRK fusion", "BRAF V600") answers for
its members and each row says which member; a variant query also takes the associations stated
for the families it belongs to ("BRAF V600E" takes what is stated for "BRAF V600").

Ranking (documented with worked examples in docs/queries.md), strongest first:

1. the biomarker relation: the tier of the best association (approved 5, guideline 4, clinical
   trial 3, case report 2, preclinical 1; acting on the variant with no association 0.5; an
   approval withdrawn since with the product counts as the trial evidence it rested on, 3); with
   ``cancer`` given, an association from another cancer counts 10 less (it ranks below every
   same-cancer basis) and a tissue-agnostic one 0.1 less; a basis that an LM or CNS guideline
   also recommends for the biomarker counts 0.5 more ("approved + guideline" before "approved");
2. the CNS evidence, record by record: its level (preclinical 0, csf_pk 1,
   intracranial_response 2, lm_clinical 3), one level less for anecdotal evidence (a
   ``case_report`` design, or fewer than five patients), one level less for evidence from
   another cancer than the row's and one level less for evidence from another biomarker's
   population (the record's ``biomarker`` is not the row's, a family of it or a member; any
   alteration of the gene for a gene query); so a case report never outranks a trial with a
   CNS endpoint at the same level or below; a regimen's records are its components', except those of a
   component given into the CSF (``route`` intrathecal or intraventricular only): the
   regimens of the graph are given systemically, so intrathecal trastuzumab's LM data are not
   evidence for pertuzumab + trastuzumab + docetaxel;
3. at that level: same-cancer (or not cancer-specific) before other-cancer evidence;
4. the strength at that level: the best record's weight (study design: randomised trial 4,
   single-arm trial or meta-analysis 3, trial subgroup 2.5, cohort or PK study 2, case series
   1.5, case report 1, preclinical or dataset 0.5; else the cited publication's kind), plus
   up to 1 for the number of patients (log10(n) / 3), halved for a secondary source; plus 0.1
   for each further independent source at that level;
5. a regimen before single agents, then development status, then name.

"CNS-penetrant" is derived from the records, never stored: supporting evidence at ``csf_pk``
or above (``cns_min_level`` to ask for another level).
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass, field
from typing import Any

from lmkg.errors import LmkgError
from lmkg.ontology import CNSEvidenceLevel, DevelopmentStatus, EvidenceTier

from ..evidence import LEVEL_RANK
from ..kg import KnowledgeGraph
from ..outcome import is_withdrawn
from .guidelines import recommendations_for
from .rows import Rows, as_record
from .scope import agent_in_scope, ancestors, cancer_scope, descendants

DEFAULT_MIN_LEVEL = CNSEvidenceLevel.CSF_PK
_DEFAULT_RANK = DEFAULT_MIN_LEVEL.rank
STATUS_RANK = {s.value: s.rank for s in DevelopmentStatus}
TIER_POINTS = {t.value: t.rank + 1 for t in EvidenceTier}  # preclinical 1 ... approved 5
ACTS_ON_POINTS = 0.5
OTHER_CANCER_PENALTY = 10.0
CSF_ROUTES = frozenset({"intrathecal", "intraventricular"})
AGNOSTIC_PENALTY = 0.1
# Added to the biomarker relation of a row whose basis (approved, trial, ...) is also what an
# LM or CNS guideline recommends for the biomarker: less than one tier, more than the
# tissue-agnostic penalty.
GUIDELINE_ENDORSEMENT = 0.5
TIER_LABEL = {"approved": "approved", "guideline": "guideline", "clinical_trial": "trial",
              "case_report": "case report", "preclinical": "preclinical"}

# How much a CNS record weighs within its level: by the design of the study behind it
# (``study_design``), else by the kind of publication cited. A secondary source (press
# release, review, news) counts half.
DESIGN_WEIGHT = {"randomized_trial": 4.0, "meta_analysis": 3.0, "single_arm_trial": 3.0,
                 "trial_subgroup": 2.5, "cohort": 2.0, "pk_study": 2.0, "case_series": 1.5,
                 "case_report": 1.0, "preclinical": 0.5, "dataset": 0.5}
KIND_WEIGHT = {"trial_report": 3.0, "cohort": 2.0, "case_series": 1.5, "review": 0.5,
               "guideline": 1.0, "label": 2.0, "preclinical": 0.5, "dataset": 0.5, "other": 1.0}
CORROBORATION = 0.1


@dataclass
class AgentHit:
    """One row of an answer: an agent or regimen, why it is there, and its CNS evidence."""

    id: str
    name: str
    type: str  # Agent | Regimen
    relation: str  # sensitivity | acts on | resistance
    basis: str  # the biomarker evidence in one line
    tier: str | None  # approved | guideline | clinical_trial | case_report | preclinical
    biomarker: str  # the biomarker the basis is about (a member, for a family query)
    evidence_cancer: str | None  # the cancer the biomarker evidence was shown in
    cancer_context: str | None  # same cancer | tissue-agnostic | other cancer | None
    associations: list[dict[str, Any]]
    acts_on: list[str]
    components: list[str]
    classes: list[str]
    companies: list[str]
    status: str
    cns_level: str | None
    cns_penetrant: bool
    cns_strength: float
    cns_evidence: dict[str, Any] | None
    cns_cancer: str | None
    cns_context: str | None  # same cancer | other cancer | not cancer-specific | None
    cns_records: int
    lm_evidence: list[str]
    approved_for: list[str]
    notes: list[str]
    why: str
    score: dict[str, Any]
    sources: list[dict[str, Any]] = field(default_factory=list)
    basis_sources: list[dict[str, Any]] = field(default_factory=list)
    basis_level: str | None = None  # the CIViC level of the basis association, if from CIViC
    # The basis is an approval withdrawn since with the product (the agent's status
    # ``withdrawn``, graph/outcome.py): it counts as the trial evidence it rested on.
    withdrawn_approval: bool = False
    # The level the row was ranked at (``cns_level`` is the best record's own level) and why
    # it is lower: "case report" / "N patient(s)" (anecdotal), "other cancer", "other
    # biomarker"; the record's biomarker and whether it is the row's; its route, when the
    # record says how the agent was given (intrathecal trastuzumab).
    cns_ranked_level: str | None = None
    cns_lowered_by: list[str] = field(default_factory=list)
    cns_biomarker: str | None = None
    cns_biomarker_context: str | None = None  # same biomarker | other biomarker | None
    cns_route: list[str] = field(default_factory=list)
    # Every cancer in which the row's basis holds as strongly, for the same biomarker (the
    # basis's first): dabrafenib + trametinib is approved for BRAF V600E in melanoma, NSCLC and
    # tissue-agnostically.
    evidence_cancers: list[str] = field(default_factory=list)
    # Guideline recommendations for the agent (or a regimen it is part of, or its class) that
    # fit the biomarker and cancer asked about, as the guideline states them.
    guidelines: list[dict[str, Any]] = field(default_factory=list)
    rank: int = 0
    query_name: str = ""  # the name of what was asked about (gene, family or variant)

    @property
    def match(self) -> str:
        """How the row reaches the biomarker (kept for older callers): its relation."""
        return self.relation

    def as_dict(self) -> dict[str, Any]:
        return as_record(self)


@dataclass
class BiomarkerAnswer:
    """The answer to "what works for biomarker X (in cancer C)": ranked rows and resistance."""

    query: str
    target: str
    target_name: str
    family: list[str]  # the biomarkers the query answered for (members, families), by name
    cancer: str | None
    answers: list[AgentHit]
    resistance: list[AgentHit]

    def as_dict(self) -> dict[str, Any]:
        return {"query": self.query, "target": self.target, "target_name": self.target_name,
                "answers_for": self.family, "cancer": self.cancer,
                "answers": [h.as_dict() for h in self.answers],
                "resistance": [h.as_dict() for h in self.resistance]}

    def _rows(self) -> Rows:
        return Rows([{"section": "answer", **h.as_dict()} for h in self.answers]
                    + [{"section": "resistance", **h.as_dict()} for h in self.resistance])

    def to_frame(self):
        """Answers and resistance rows in one pandas DataFrame (column ``section``)."""
        return self._rows().to_frame()

    def _repr_html_(self) -> str:
        return self._rows()._repr_html_()


# -- precomputed per graph ---------------------------------------------------------------------
# Weakly keyed by the graph object (an id() can be reused by a later graph).
_CACHE: weakref.WeakKeyDictionary[KnowledgeGraph, tuple[int, dict[str, str],
                                                       dict[str, list[Any]], set[str]]] = (
    weakref.WeakKeyDictionary())


def _per_graph(kg: KnowledgeGraph) -> tuple[dict[str, str], dict[str, list[Any]], set[str]]:
    """Computed once per graph version: source identifier -> publication kind, biomarker ->
    the guideline recommendations (RECOMMENDS edges) that name it, and the agents and regimens
    some recommendation can reach (:func:`recommendations_for`: the target itself, a member of
    a recommended class or of its subclasses, a component of a recommended regimen)."""
    hit = _CACHE.get(kg)
    if hit is not None and hit[0] == kg.version:
        return hit[1], hit[2], hit[3]
    kinds: dict[str, str] = {}
    for pid in kg.ids("Publication"):
        node = kg.node(pid)
        if node.get("kind"):
            for x in node.get("xrefs", ()):
                kinds[x] = node["kind"]
    recs: dict[str, list[Any]] = {}
    reached: set[str] = set()
    for edge in kg.edges("RECOMMENDS"):
        if edge[3].get("biomarker"):
            recs.setdefault(edge[3]["biomarker"], []).append(edge)
        target = edge[2]
        reached.add(target)
        for cls in descendants(kg, target, "SUBCLASS_OF"):
            reached.update(m for m, *_ in kg.in_edges(cls, "MEMBER_OF"))
        reached.update(c for _s, _p, c, _d in kg.out_edges(target, "HAS_COMPONENT"))
    _CACHE[kg] = (kg.version, kinds, recs, reached)
    return kinds, recs, reached


# An agent's or regimen's own facts that every answer naming it shows the same (its components,
# classes, companies and approvals, by name), made once per graph version as answers reach it.
_FACTS: weakref.WeakKeyDictionary[KnowledgeGraph, tuple[int, dict[str, tuple[tuple[str, ...],
                                                                             ...]]]] = (
    weakref.WeakKeyDictionary())


def _facts(kg: KnowledgeGraph, x: str, components: list[str]) -> tuple[tuple[str, ...], ...]:
    """``x``'s component names, class names, company names and approved-for names, sorted as
    the row shows them (classes and companies of a regimen: its components')."""
    held = _FACTS.get(kg)
    if held is None or held[0] != kg.version:
        held = _FACTS[kg] = (kg.version, {})
    hit = held[1].get(x)
    if hit is None:
        members = components or [x]
        name = kg.name_of
        hit = held[1][x] = (
            tuple(name(c) for c in components),
            tuple(sorted({name(o) for m in members for o in kg.out_neighbours(m, "MEMBER_OF")})),
            tuple(sorted({name(o) for m in members
                          for o in kg.out_neighbours(m, "DEVELOPED_BY")})),
            tuple(sorted({name(o) for o in kg.out_neighbours(x, "APPROVED_FOR")})))
    return hit


def record_weight(kinds: dict[str, str], record: dict[str, Any]) -> float:
    """The weight of one CNS record: its design (or cited publication's kind), its patients,
    halved for a secondary source."""
    weight = DESIGN_WEIGHT.get(record.get("study_design") or "")
    if weight is None:
        weight = KIND_WEIGHT.get(kinds.get(record["source"].get("id") or "", "other"), 1.0)
    n = record.get("patients")
    if n:
        weight += min(1.0, math.log10(n) / 3)
    return weight * (0.5 if record["source"].get("secondary") else 1.0)


ANECDOTAL_PATIENTS = 5


def _anecdotal(record: dict[str, Any]) -> bool:
    """A case report, or a finding on fewer than five patients: counts one level less."""
    n = record.get("patients")
    return record.get("study_design") == "case_report" or (n is not None and
                                                          n < ANECDOTAL_PATIENTS)


def _src_key(src: dict[str, Any]) -> str:
    return src.get("id") or src.get("url") or repr(sorted(src.items()))


# -- the biomarkers a query answers for --------------------------------------------------------
def biomarker_family(kg: KnowledgeGraph, target: str) -> dict[str, str]:
    """The biomarkers a query for ``target`` answers for: biomarker id -> how it relates
    (``self``, ``member`` of the queried family or gene, ``family`` it belongs to)."""
    out: dict[str, str] = {}
    if kg.type_of(target) == "Gene":
        for alt, *_ in kg.in_edges(target, "ALTERATION_OF"):
            for b in descendants(kg, alt, "SUBTYPE_OF"):
                out[b] = "member"
        return out
    out[target] = "self"
    for b in descendants(kg, target, "SUBTYPE_OF") - {target}:
        out[b] = "member"
    for b in ancestors(kg, target, "SUBTYPE_OF") - {target}:
        out.setdefault(b, "family")
    return out


# -- the answer ---------------------------------------------------------------------------------
def answer_biomarker(
    kg: KnowledgeGraph,
    biomarker: str,
    cancer: str | None = None,
    cns_min_level: CNSEvidenceLevel | str | None = None,
    status: str | None = None,
) -> BiomarkerAnswer:
    """What works for a biomarker or gene (optionally in a cancer), ranked, and what it predicts
    resistance to.

    ``cns_min_level`` keeps rows CNS-penetrant at that level; ``status`` is ``approved`` or
    ``investigational``; ``cancer`` keeps rows whose biomarker evidence is from that cancer (its
    subtypes and the cancers it is a subtype of) or tissue-agnostic, or whose agent is approved,
    developed, trialled or designated for it, and labels evidence from other cancers.

    >>> import lmkg
    >>> kg = lmkg.build()
    >>> [h.name for h in answer_biomarker(kg, "KRAS G12C").answers][:2]
    ['adagrasib', 'sotorasib']
    """
    target = kg.resolve(biomarker, types=["Biomarker", "Gene"])
    min_level = CNSEvidenceLevel(cns_min_level) if cns_min_level else None
    min_rank = min_level.rank if min_level is not None else 0
    if status not in (None, "approved", "investigational"):
        raise LmkgError(f"status must be approved or investigational, not {status!r}")
    cancer_id = kg.resolve(cancer, types=["PrimaryCancer", "MetastaticSite"]) if cancer else None
    scope = cancer_scope(kg, cancer_id) if cancer_id else None
    family = biomarker_family(kg, target)
    kinds, recommended, reached = _per_graph(kg)

    # What acts on the biomarkers (and, for a gene query, on the gene itself).
    acts: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    acted_ids: dict[str, set[str]] = {}  # agent -> the biomarkers (or gene) it acts on
    acted = list(family)
    if kg.type_of(target) == "Gene":
        acted.append(target)
    for b in acted:
        if family.get(b) == "family" and kg.type_of(target) != "Gene":
            continue  # acting on "BRAF V600" in general is not acting on V600E in particular
        for x, _p, _o, d in kg.in_edges(b, "TARGETS"):
            label = kg.name_of(b) + (f" ({d['action']})" if d.get("action") else "")
            if kg.type_of(x) == "Agent":
                acts.setdefault(x, []).append((label, d))
                acted_ids.setdefault(x, set()).add(b)
            elif kg.type_of(x) == "DrugClass":
                as_member = (f"{label} as a {kg.name_of(x)}", d)  # the same for every member
                for cls in descendants(kg, x, "SUBCLASS_OF"):
                    for agent in kg.in_neighbours(cls, "MEMBER_OF"):
                        acts.setdefault(agent, []).append(as_member)
                        acted_ids.setdefault(agent, set()).add(b)

    # The predictive associations, each with its cancer context; a guideline's treatment
    # recommendation for the biomarker (or a member of it) is one at the guideline tier.
    assocs: dict[str, list[dict[str, Any]]] = {}
    for b, how in family.items():
        for _s, _p, x, d in kg.out_edges(b, "PREDICTS_RESPONSE"):
            assocs.setdefault(x, []).append(_association(kg, b, how, d, scope,
                                                         withdrawn=is_withdrawn(kg, x)))
    marked = {**family, **({target: "self"} if kg.type_of(target) == "Gene" else {})}
    for g, _p, x, d in (e for b in marked for e in recommended.get(b, ())):
        b = d["biomarker"]
        if d.get("topic") != "treatment" or d.get("direction", "for") != "for" or \
                kg.type_of(x) not in ("Agent", "Regimen"):
            continue
        stated = {"direction": "sensitivity", "tier": "guideline", "cancer": d.get("cancer"),
                  "sources": d.get("sources", []), "derived": "guideline.recommendation",
                  "note": f"{kg.name_of(g)}: {d.get('text', '')}"}
        assocs.setdefault(x, []).append(_association(kg, b, marked[b], stated, scope))

    hits: list[AgentHit] = []
    resistant: list[AgentHit] = []
    scopes: dict[str, set[str]] = {}
    related: dict[str, frozenset[str]] = {}  # biomarker -> itself, its families and members
    for x in sorted(set(acts) | set(assocs)):
        # A row whose agent (or no component of the regimen) has any supporting CNS record at
        # the level asked for is dropped below whatever it holds: not built at all (most of an
        # answer's time on a large graph is building rows).
        if min_level is not None and not _may_reach(kg, x, min_rank):
            continue
        row = _row(kg, x, acts.get(x, []), assocs.get(x, []), scope, kinds, target, scopes,
                   acted_ids.get(x, set()), related)
        if row is None:
            continue
        # Recommendations only where one can reach the agent (most agents have none).
        row.guidelines = [_guideline(r) for r in recommendations_for(
            kg, x, biomarker_id=target, cancer_id=cancer_id)] if x in reached else []
        if row.tier not in (None, "guideline") and any(_endorses_for_lm(g) for g in row.guidelines):
            # Approved (or trialled) *and* recommended by an LM or CNS guideline for this
            # biomarker: stronger than the same tier alone, weaker than the next tier up.
            row.score["biomarker"] += GUIDELINE_ENDORSEMENT
        if scope is not None and not _in_cancer(kg, x, row, scope):
            continue
        if status == "approved" and row.status != "approved":
            continue
        if status == "investigational" and row.status == "approved":
            continue
        if min_level is not None and (row.cns_level is None
                                      or LEVEL_RANK[row.cns_level] < min_rank):
            continue
        (resistant if row.relation == "resistance" else hits).append(row)
    # Ties: a regimen before single agents (its evidence includes its components'), then the
    # more advanced development status, then the name.
    order = lambda h: (-h.score["biomarker"], -h.score["cns_level"],  # noqa: E731
                       -h.score["cns_context"], -h.score["cns_strength"],
                       h.type != "Regimen", -STATUS_RANK.get(h.status, -1), h.name.casefold())
    hits.sort(key=order)
    resistant.sort(key=order)
    for i, h in enumerate(hits, 1):
        h.rank = i
    for i, h in enumerate(resistant, 1):
        h.rank = i
    names = sorted(kg.name_of(b) for b in family if b != target)
    return BiomarkerAnswer(query=biomarker, target=target, target_name=kg.name_of(target),
                           family=names, cancer=kg.name_of(cancer_id) if cancer_id else None,
                           answers=Rows(hits), resistance=Rows(resistant))


def agents_for_biomarker(kg: KnowledgeGraph, biomarker: str, cancer: str | None = None,
                         cns_min_level: CNSEvidenceLevel | str | None = None,
                         status: str | None = None) -> list[AgentHit]:
    """The ranked answers of :func:`answer_biomarker` (without the resistance section).

    >>> import lmkg
    >>> kg = lmkg.build()
    >>> [h.name for h in agents_for_biomarker(kg, "EGFR T790M")][:1]
    ['osimertinib']
    """
    return answer_biomarker(kg, biomarker, cancer, cns_min_level, status).answers


def _may_reach(kg: KnowledgeGraph, x: str, rank: int) -> bool:
    """Whether an agent (or a regimen's component) has a supporting CNS record at ``rank`` or
    above: without one, its row's CNS level (that of one of those records) is below it."""
    node = kg.node(x)
    members = [o for _s, _p, o, _d in kg.out_edges(x, "HAS_COMPONENT")] \
        if node["type"] == "Regimen" else [x]
    return any(LEVEL_RANK[e["level"]] >= rank for m in members
               for e in kg.node(m).get("cns_evidence", ())
               if e.get("direction", "supports") == "supports")


def _endorses_for_lm(g: dict[str, Any]) -> bool:
    """A recommendation *for* the agent itself (or a regimen holding it) as LM or CNS treatment."""
    return (g["topic"] == "treatment" and g["direction"] == "for"
            and g["match"] in ("direct", "regimen") and g.get("covers") in ("lm", "cns"))


def _guideline(r: Any) -> dict[str, Any]:
    """One recommendation as a row field: who, what, for whom, how strongly (as stated)."""
    when = f" {r.year}" if r.year else ""
    grade = ", ".join(x for x in (r.strength, r.level) if x)
    short = (f"{r.issuer or r.guideline}{when}: {r.direction} ({r.topic}"
             + (f"; {grade}" if grade else "") + ")"
             + (f" [{r.covers}]" if r.covers and r.covers != "lm" else ""))
    return {"short": short, "guideline": r.guideline, "issuer": r.issuer, "year": r.year,
            "covers": r.covers, "target": r.target, "match": r.match, "topic": r.topic,
            "direction": r.direction, "cancer": r.cancer, "biomarker": r.biomarker,
            "lm_type": r.lm_type, "strength": r.strength, "level": r.level, "text": r.text,
            "applies": r.applies, "sources": r.sources}


def _association(kg: KnowledgeGraph, b: str, how: str, d: dict[str, Any],
                 scope: set[str] | None, withdrawn: bool = False) -> dict[str, Any]:
    """One predictive association as the answer weighs it. ``withdrawn``: the agent (or a
    component of the regimen) was withdrawn after approval, so an ``approved`` association
    is a withdrawn approval and counts as the trial evidence it rested on."""
    cancer = d.get("cancer")
    if d.get("tissue_agnostic"):
        where, context = "tissue-agnostic", "tissue-agnostic"
    else:
        where = kg.name_of(cancer) if cancer and cancer in kg else (d.get("disease") or None)
        context = None
        if scope is not None:
            context = "same cancer" if cancer in scope else "other cancer"
    refuted = d.get("evidence_direction") == "refutes"
    direction = d["direction"]
    effective = direction
    if refuted:  # evidence against sensitivity is no basis for an answer; against resistance, none
        effective = "resistance" if direction == "sensitivity" else None
    withdrawn = withdrawn and d.get("tier") == "approved"
    points = TIER_POINTS["clinical_trial"] if withdrawn else TIER_POINTS.get(d.get("tier", ""), 0)
    if context == "other cancer":
        points -= OTHER_CANCER_PENALTY
    elif context == "tissue-agnostic" and scope is not None:
        points -= AGNOSTIC_PENALTY
    return {
        "biomarker": kg.name_of(b), "biomarker_id": b, "member_of_query": how,
        "direction": direction, "effective": effective, "tier": d.get("tier"),
        "evidence_direction": d.get("evidence_direction", "supports"),
        "cancer": where, "cancer_id": cancer, "context": context,
        "level": d.get("level"), "rating": d.get("rating"), "significance": d.get("significance"),
        "oncokb_level": d.get("oncokb_level"), "note": d.get("note"),
        "derived": d.get("derived"), "points": points, "sources": d.get("sources", []),
        "withdrawn": withdrawn,
    }


def _describe(a: dict[str, Any]) -> str:
    tier = TIER_LABEL.get(a["tier"] or "", a["tier"] or "?")
    if a.get("withdrawn"):
        tier += " (withdrawn)"
    what = {"sensitivity": "sensitivity", "resistance": "resistance"}[a["direction"]]
    if a["evidence_direction"] == "refutes":
        what = f"evidence against {what}"
    civic = f", CIViC level {a['level']}" if a.get("level") else ""
    where = f" in {a['cancer']}" if a["cancer"] and a["cancer"] != "tissue-agnostic" else \
        (" (tissue-agnostic)" if a["cancer"] else "")
    ctx = " [other cancer]" if a["context"] == "other cancer" else ""
    return f"{what}: {tier}{civic}{where}{ctx} ({a['biomarker']})"


def _related(kg: KnowledgeGraph, b: str, cache: dict[str, frozenset[str]]) -> frozenset[str]:
    """A biomarker with the families it belongs to and its members (a gene: every alteration
    of it): CNS evidence in any of them is evidence for the same biomarker."""
    hit = cache.get(b)
    if hit is None:
        if kg.type_of(b) == "Gene":
            hit = frozenset({b} | {m for alt, *_ in kg.in_edges(b, "ALTERATION_OF")
                                   for m in descendants(kg, alt, "SUBTYPE_OF")})
        else:
            hit = frozenset(ancestors(kg, b, "SUBTYPE_OF") | descendants(kg, b, "SUBTYPE_OF")
                            | {b})
        cache[b] = hit
    return hit


def _row(kg: KnowledgeGraph, x: str, acts: list[tuple[str, dict[str, Any]]],
         assocs: list[dict[str, Any]], scope: set[str] | None, kinds: dict[str, str],
         target: str, scopes: dict[str, set[str]], acted_ids: set[str] = frozenset(),
         related: dict[str, frozenset[str]] | None = None) -> AgentHit | None:
    sens = [a for a in assocs if a["effective"] == "sensitivity"]
    res = [a for a in assocs if a["effective"] == "resistance"]
    best_sens = max(sens, key=lambda a: a["points"], default=None)
    notes: list[str] = []
    # Resistance decides where the row goes when it is shown in the cancer asked about (with
    # no cancer asked: anywhere) and is at least as strong as the sensitivity there (with no
    # cancer asked: the sensitivity in that same cancer; sensitivity only in other cancers
    # keeps the row an answer, with the resistance noted).
    relation: str | None = None
    in_ctx_res = [a for a in res if a["context"] != "other cancer"]
    if in_ctx_res:
        r = max(in_ctx_res, key=lambda a: a["points"])
        if scope is not None:
            rivals = [a for a in sens if a["context"] != "other cancer"]
        else:
            rivals = [a for a in sens if a["cancer"] == r["cancer"]]
        if not rivals and scope is None and sens:
            relation = "sensitivity"
        elif not rivals or r["points"] >= max(a["points"] for a in rivals):
            relation = "resistance"
            best_res = r
        else:
            relation = "sensitivity"
    elif best_sens is not None:
        relation = "sensitivity"
    elif acts:
        relation = "acts on"
    if relation is None:
        return None  # only other-cancer resistance, or evidence against resistance
    if relation == "sensitivity" and best_sens["context"] == "other cancer" and acts:
        relation = "acts on"  # in the cancer asked about it acts on it; the rest is elsewhere

    if relation == "resistance":
        basis_assoc = best_res
        points = best_res["points"]
    elif relation == "sensitivity":
        basis_assoc = best_sens
        points = best_sens["points"]
    else:
        basis_assoc = None
        points = ACTS_ON_POINTS
    for a in res:
        if a is not basis_assoc:
            notes.append(_describe(a))
    if relation == "resistance":
        notes += [_describe(a) for a in sens]

    node = kg.node(x)
    is_regimen = node["type"] == "Regimen"
    components = sorted(o for _s, _p, o, _d in kg.out_edges(x, "HAS_COMPONENT")) \
        if is_regimen else []
    members = components or [x]
    acts_labels = sorted({label for label, _d in acts})
    if basis_assoc is not None:
        basis = _describe(basis_assoc)
        if basis_assoc["member_of_query"] == "family":
            basis += f" (stated for {basis_assoc['biomarker']}, which includes " \
                     f"{kg.name_of(target)})"
    else:
        basis = "acts on " + "; ".join(acts_labels)
        if best_sens is not None:
            basis += "; " + _describe(best_sens)
    evidence_cancer = basis_assoc["cancer"] if basis_assoc else None
    cancer_context = basis_assoc["context"] if basis_assoc else None
    evidence_cancers = [] if basis_assoc is None else list(dict.fromkeys(
        a["cancer"] for a in [basis_assoc, *assocs]
        if a["effective"] == basis_assoc["effective"] and a["points"] == basis_assoc["points"]
        and a["biomarker"] == basis_assoc["biomarker"] and a["cancer"]))

    # The cancers the CNS evidence is compared with: the one asked about, else the cancer of
    # the biomarker evidence the row rests on.
    if scope is not None:
        cns_scope: set[str] | None = scope
    elif basis_assoc is not None and basis_assoc["cancer_id"] in kg:
        cid = basis_assoc["cancer_id"]
        if cid not in scopes:  # one scope per cancer per answer
            scopes[cid] = cancer_scope(kg, cid)
        cns_scope = scopes[cid]
    else:
        cns_scope = None
    # The biomarkers the CNS evidence is compared with: the row's (its basis, or what it acts
    # on), with their families and members.
    related = {} if related is None else related
    markers: set[str] = set()
    for b in ([basis_assoc["biomarker_id"]] if basis_assoc else sorted(acted_ids)):
        markers |= _related(kg, b, related)
    if markers and kg.type_of(target) == "Gene":  # asked about the gene: any of its alterations
        markers |= _related(kg, target, related)
    cns = _cns(kg, members, cns_scope, kinds, is_regimen, markers)

    status = _status(kg, x, components)
    sources: list[dict[str, Any]] = []
    seen: set[str] = set()
    for s in [*(basis_assoc["sources"] if basis_assoc else []),
              *(s for _l, d in acts for s in d.get("sources", [])),
              *([cns["best"]["source"]] if cns["best"] else [])]:
        key = _src_key(s)
        if key not in seen:
            seen.add(key)
            sources.append(s)
    threshold_rank = _DEFAULT_RANK
    strength = round(cns["strength"], 2)
    target_name = kg.name_of(target)
    best = cns["best"]
    if best is None:
        cns_text = "no supporting CNS evidence recorded"
    else:
        src = best["source"].get("id") or best["source"].get("url")
        pop = f" in {best['population']}" if best.get("population") else ""
        ctx = "".join(f" [{c}]" for c in (cns["context"], cns["biomarker_context"])
                      if c in ("other cancer", "other biomarker"))
        if cns["ranked_level"] != best["level"]:
            ctx += f" [ranked as {cns['ranked_level']}: {', '.join(cns['lowered_by'])}]"
        if best.get("route"):
            ctx += f" [{' + '.join(best['route'])}]"
        cns_text = (f"best CNS evidence {best['level']}{ctx}: {best['metric']} {best['value']}"
                    f"{pop} [{src}]")
    why = f"{basis}; {cns_text}"
    facts = _facts(kg, x, components)
    return AgentHit(
        id=x, name=node["name"], type=node["type"], relation=relation, basis=basis,
        tier=basis_assoc["tier"] if basis_assoc else None,
        biomarker=basis_assoc["biomarker"] if basis_assoc else
        (acts_labels[0].split(" (")[0] if acts_labels else target_name),
        evidence_cancer=evidence_cancer, cancer_context=cancer_context,
        evidence_cancers=evidence_cancers,
        associations=[{k: v for k, v in a.items() if k not in ("points",)} for a in assocs],
        acts_on=acts_labels,
        components=list(facts[0]), classes=list(facts[1]), companies=list(facts[2]),
        status=status, cns_level=best["level"] if best else None,
        cns_penetrant=bool(best and LEVEL_RANK[best["level"]] >= threshold_rank),
        cns_strength=strength, cns_evidence=best,
        cns_cancer=cns["cancer"], cns_context=cns["context"], cns_records=cns["records"],
        cns_ranked_level=cns["ranked_level"], cns_lowered_by=cns["lowered_by"],
        cns_biomarker=cns["biomarker"], cns_biomarker_context=cns["biomarker_context"],
        cns_route=list(best.get("route") or ()) if best else [],
        lm_evidence=cns["lm"],
        approved_for=list(facts[3]),
        notes=notes, why=why,
        score={"biomarker": points, "cns_level": cns["level"], "cns_context": cns["ctx_ok"],
               "cns_strength": strength},
        sources=sources, query_name=target_name,
        basis_sources=list(basis_assoc["sources"]) if basis_assoc else
        [s for _l, d in acts for s in d.get("sources", [])],
        basis_level=basis_assoc["level"] if basis_assoc else None,
        withdrawn_approval=bool(basis_assoc and basis_assoc["withdrawn"]),
    )


def _status(kg: KnowledgeGraph, x: str, components: list[str]) -> str:
    node = kg.node(x)
    if node["type"] != "Regimen":
        return node.get("status", "")
    if kg.out_edges(x, "APPROVED_FOR"):
        return "approved"
    stages = [kg.node(c).get("status", "") for c in components]
    return min(stages, key=lambda s: STATUS_RANK.get(s, -1)) if stages else ""


LEVEL_OF_RANK = {lvl.rank: lvl.value for lvl in CNSEvidenceLevel}


def _cns(kg: KnowledgeGraph, members: list[str], scope: set[str] | None,
         kinds: dict[str, str], is_regimen: bool,
         markers: set[str] | frozenset[str] = frozenset()) -> dict[str, Any]:
    """The best supporting CNS record of the agent (or of a regimen's components) and its
    effective level, context and strength (see the module docstring).

    ``markers``: the row's biomarkers (with their families and members); a record about
    another biomarker's population counts one level less, as another cancer's does. The
    result says at which level the record was ranked (``ranked_level``) and why it is lower
    than the record's own (``lowered_by``).
    """
    graded = []
    for m in members:
        for e in kg.node(m).get("cns_evidence", []):
            if e.get("direction", "supports") != "supports":
                continue
            if is_regimen and e.get("route") and set(e["route"]) <= CSF_ROUTES:
                continue  # a component given into the CSF: not how the regimen is given
            cancer = e.get("cancer")
            if cancer is None:
                ctx = "not cancer-specific"
            elif scope is None:
                ctx = None
            else:
                ctx = "same cancer" if cancer in scope else "other cancer"
            marker = e.get("biomarker")
            bctx = None if marker is None or not markers else \
                ("same biomarker" if marker in markers else "other biomarker")
            lowered = [why for why, yes in (
                (_anecdote(e), _anecdotal(e)), ("other cancer", ctx == "other cancer"),
                ("other biomarker", bctx == "other biomarker")) if yes]
            eff = LEVEL_RANK[e["level"]] - len(lowered)
            ok = 0 if "other cancer" in lowered or "other biomarker" in lowered else 1
            graded.append((eff, ok, record_weight(kinds, e), e, ctx, bctx, lowered, m))
    if not graded:
        return {"best": None, "level": -9, "ctx_ok": 0, "strength": 0.0, "context": None,
                "cancer": None, "records": 0, "lm": [], "ranked_level": None,
                "lowered_by": [], "biomarker": None, "biomarker_context": None}
    graded.sort(key=lambda g: (g[0], g[1], g[2]), reverse=True)
    eff, ok, weight, record, ctx, bctx, lowered, member = graded[0]
    best = dict(record)  # the one record shown is a copy (never the graph's own dict)
    if is_regimen:
        best["component"] = kg.name_of(member)
    others = {_src_key(g[3]["source"]) for g in graded[1:] if g[0] == eff and g[1] == ok}
    others.discard(_src_key(best["source"]))
    strength = weight + CORROBORATION * len(others)
    lm = []
    for g in graded:
        rec = g[3]
        if rec["level"] == "lm_clinical":
            src = rec["source"].get("id") or rec["source"].get("url")
            where = f"; {kg.name_of(rec['cancer'])}" if rec.get("cancer") in kg else ""
            tag = "".join(f" [{c}]" for c in (g[4], g[5])
                          if c in ("other cancer", "other biomarker"))
            route = f" [{' + '.join(rec['route'])}]" if rec.get("route") else ""
            lm.append(f"{rec['metric']} {rec['value']}{where}{tag}{route} [{src}]")
    cancer = best.get("cancer")
    marker = best.get("biomarker")
    return {"best": best, "level": eff, "ctx_ok": ok, "strength": strength, "context": ctx,
            "cancer": kg.name_of(cancer) if cancer in kg else None,
            "records": sum(1 for g in graded if g[3]["level"] == best["level"]), "lm": lm,
            "ranked_level": LEVEL_OF_RANK[max(eff, 0)], "lowered_by": lowered,
            "biomarker": kg.name_of(marker) if marker in kg else marker,
            "biomarker_context": bctx}


def _anecdote(record: dict[str, Any]) -> str:
    """Why an anecdotal record counts less, in a few words: "case report", or "n=4"."""
    if record.get("study_design") == "case_report" or record.get("patients") == 1:
        return "case report"
    return f"n={record.get('patients')}"


def _in_cancer(kg: KnowledgeGraph, x: str, row: AgentHit, scope: set[str]) -> bool:
    """With a cancer asked: the row's biomarker evidence is from it (or tissue-agnostic), or
    the agent (a regimen, or a component of it) is approved, developed, trialled or designated
    for it."""
    if any(a["context"] in ("same cancer", "tissue-agnostic") for a in row.associations):
        return True
    return agent_in_scope(kg, x, scope)
