"""The LM trial landscape: registered trials as rows, filtered the ways people ask.

``trials(kg, ...)`` answers "which LM trials are recruiting for EGFR-mutant NSCLC?" and its
kin: every filter narrows the LM trials of the graph (``lm_specific``; ``include_non_lm`` for
all), rows are sorted newest first (by start date, else by NCT number, which the registry
assigns in order of registration) and carry every field of the trial that a user reads: what
it tests (agents, regimens, radiotherapy modalities, diagnostics, drug classes, routes), in whom (cancers, biomarkers, LM population), who runs it, where and when, its status
with the date it was read, and the flags of :func:`status_flags`.

Matching, for the filters that name an entity (docs/trials.md, "Finding trials"):

- ``agent``: trials that evaluate the agent, a regimen containing it, or (for a regimen or a
  radiotherapy modality) that entity itself;
- ``drug_class``: trials of any member of the class or its subclasses, or that name the class;
- ``biomarker``: a gene matches trials of the gene (EGFR-mutant) and of any of its alterations;
  an alteration matches trials of it (``biomarker_match: exact``) and trials of its gene
  (``gene-level``: an EGFR-mutant trial may enrol T790M);
- ``biomarker``, implied: a trial that names no biomarker at all but tests an agent acting on
  the biomarker (or its gene), or names one or the gene in its title ("Intrathecal Pemetrexed
  ... That Progressed After Osimertinib"), and studies a cancer the biomarker occurs in (or
  names none): ``implied (EGFR: title names osimertinib)``. Such a trial enrols that population
  without the registry saying so;
- ``cancer``: trials of the cancer or its subtypes (``exact`` / ``subtype``); a trial of a
  broader cancer that names none of its subtypes but tests an agent acting on a biomarker
  that occurs in the subtype, studies such a biomarker, or names its gene in the title (not
  as negative: "HER2-negative"): ``broader (breast cancer; tests trastuzumab deruxtecan,
  acting on HER2)``; with ``broader``, every trial of the cancers it is a subtype of
  (``broader (breast cancer)``: a breast-cancer trial for HER2-positive breast cancer);
- ``sponsor``: trials sponsored by the company or a company of its group (SUBSIDIARY_OF);
  ``company``: also trials that evaluate an agent the company develops.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from lmkg.errors import LmkgError
from lmkg.ontology.vocab import LMPopulation, Route, TrialPhase, TrialStatus

from ..kg import KnowledgeGraph
from .rows import Rows, as_record
from .scope import ancestors, descendants

RECRUITING = ("recruiting", "enrolling_by_invitation")  # --recruiting
OPEN_STATUSES = frozenset({"recruiting", "not_yet_recruiting", "enrolling_by_invitation"})
STALE_AFTER_DAYS = 365  # "read more than 12 months ago"
PHASE_LABEL = {"early_phase1": "early 1", "phase1": "1", "phase2": "2", "phase3": "3",
               "phase4": "4", "na": "n/a"}
_PHASE_ORDER = {p: i for i, p in enumerate(["early_phase1", "phase1", "phase2", "phase3",
                                            "phase4", "na"])}
ROUTE_CHOICES = (*Route.values(), "radiotherapy")
_YEARS = re.compile(r"^\s*(\d{4})?\s*(-)?\s*(\d{4})?\s*$")


@dataclass
class TrialRow:
    """One trial as the trials view shows it; json and csv carry every field."""

    nct: str | None
    id: str
    title: str
    official_title: str | None
    study_type: str | None
    phase: str
    phases: list[str]
    status: str | None
    status_as_of: str | None
    status_verified: str | None
    stale: bool
    status_flags: list[str]
    lm_specific: bool
    lm_population: str | None
    lm_reason: str | None
    lm_basis: str | None
    agents: list[str]
    regimens: list[str]
    radiotherapy: list[str]
    classes: list[str]
    diagnostics: list[str]
    routes: list[str]
    cancers: list[str]
    biomarkers: list[str]
    sponsors: list[str]
    countries: list[str]
    start_date: str | None
    completion_date: str | None
    enrollment: int | None
    results_posted: bool | None
    key_result: str | None
    registry_notes: list[str]
    tests: list[dict[str, Any]]  # every EVALUATED_IN link: name, type, basis
    sources: list[str]
    cancer_match: str | None = None
    biomarker_match: str | None = None
    via: list[str] = field(default_factory=list)  # how an agent/class/company filter matched

    def as_dict(self) -> dict[str, Any]:
        return as_record(self)

    @property
    def tested(self) -> list[str]:
        """What the trial tests, for a table cell: agents, regimens, radiotherapy, diagnostics,
        then the classes it names without naming a member."""
        return [*self.agents, *self.regimens, *self.radiotherapy, *self.diagnostics,
                *(f"{c} (class)" for c in self.classes)]


def _nct(node: dict[str, Any]) -> str | None:
    return next((x.split(":", 1)[1] for x in node.get("xrefs", ()) if x.startswith("NCT:")),
                None)


def is_stale(node: dict[str, Any], today: _dt.date) -> bool:
    """A status read more than 12 months before ``today``, or never dated."""
    if not node.get("status"):
        return False
    when = node.get("status_as_of")
    if not when:
        return True
    y, m, d = (int(p) for p in [*str(when).split("-"), "1", "1"][:3])
    # A date known to the month or year is taken at its end: the reading is at least that recent.
    if len(str(when)) == 4:
        m, d = 12, 31
    elif len(str(when)) == 7:
        d = 28
    return (today - _dt.date(y, m, d)).days > STALE_AFTER_DAYS


_INTERIM = re.compile(r"\binterim\b|\bpreliminary\b|\bearly results\b|\bfirst results\b",
                      re.IGNORECASE)


def status_flags(kg: KnowledgeGraph, tid: str) -> list[str]:
    """Why a trial's status may be wrong: it says the trial still enrols while the graph holds
    its results (a key result, results posted on the registry, or a trial report cited on the
    trial or on a relation to it). Results said to be interim or preliminary (in the key
    result or the report's title) do not count: an open trial reports those."""
    node = kg.node(tid)
    if node.get("status") not in OPEN_STATUSES:
        return []
    found: list[str] = []
    if node.get("key_result") and not _INTERIM.search(node["key_result"]):
        found.append("a key result")
    if node.get("results_posted"):
        found.append("results posted on the registry")
    reports = set()
    for *_e, d in [*kg.in_edges(tid), *kg.out_edges(tid)]:
        for s in d.get("sources", ()):
            pub = kg.lookup(s.get("id") or "", types=["Publication"]) if s.get("id") else []
            reports.update(p for p in pub if _final_report(kg, p))
    for s in node.get("sources", ()):
        if s.get("id"):
            reports.update(p for p in kg.lookup(s["id"], types=["Publication"])
                           if _final_report(kg, p))
    found += [f"trial report {kg.name_of(p)!r}" for p in sorted(reports)]
    if not found:
        return []
    return [f"status {node['status']!r} contradicts the cited results: {'; '.join(found)}"]


def _final_report(kg: KnowledgeGraph, pub: str) -> bool:
    node = kg.node(pub)
    return node.get("kind") == "trial_report" and not _INTERIM.search(node.get("name", ""))


def _group(kg: KnowledgeGraph, company: str) -> set[str]:
    """A company and the companies of its group (SUBSIDIARY_OF, read downwards)."""
    return descendants(kg, company, "SUBSIDIARY_OF")


def _row(kg: KnowledgeGraph, tid: str, today: _dt.date) -> TrialRow:
    node = kg.node(tid)
    agents, regimens, radio, classes, diagnostics, tests = [], [], [], [], [], []
    for s, _p, _o, d in sorted(kg.in_edges(tid, "EVALUATED_IN"),
                               key=lambda e: kg.name_of(e[0]).casefold()):
        kind = kg.type_of(s)
        name = kg.name_of(s)
        {"Agent": agents, "Regimen": regimens, "RadiotherapyModality": radio,
         "DrugClass": classes, "Diagnostic": diagnostics}.get(kind, agents).append(name)
        tests.append({"name": name, "id": s, "type": kind, "basis": d.get("basis"),
                      "arm": d.get("arm")})
    for r in node.get("radiotherapy", ()):
        if r not in radio:
            radio.append(r)
    cancers, biomarkers = [], []
    for _s, _p, o, _d in kg.out_edges(tid, "STUDIES"):
        kind = kg.type_of(o)
        if kind == "PrimaryCancer":
            cancers.append(kg.name_of(o))
        elif kind in ("Biomarker", "Gene"):
            biomarkers.append(kg.node(o).get("symbol") or kg.name_of(o))
    sponsors = sorted(kg.out_edges(tid, "SPONSORED_BY"),
                      key=lambda e: (e[3].get("role") != "lead", kg.name_of(e[2]).casefold()))
    phases = sorted(node.get("phases", ()), key=lambda p: _PHASE_ORDER.get(p, 99))
    return TrialRow(
        nct=_nct(node), id=tid, title=node.get("name", tid),
        official_title=node.get("official_title"), study_type=node.get("study_type"),
        phase="/".join(PHASE_LABEL.get(p, p) for p in phases), phases=phases,
        status=node.get("status"), status_as_of=node.get("status_as_of"),
        status_verified=node.get("status_verified"), stale=is_stale(node, today),
        status_flags=status_flags(kg, tid),
        lm_specific=bool(node.get("lm_specific")), lm_population=node.get("lm_population"),
        lm_reason=node.get("lm_reason"), lm_basis=node.get("lm_basis"),
        agents=agents, regimens=regimens, radiotherapy=radio, classes=classes,
        diagnostics=diagnostics, routes=list(node.get("routes", ())), cancers=sorted(cancers, key=str.casefold),
        biomarkers=sorted(biomarkers, key=str.casefold),
        sponsors=[kg.name_of(o) + (" (collaborator)" if d.get("role") == "collaborator" else "")
                  for _s, _p, o, d in sponsors],
        countries=list(node.get("countries", ())), start_date=node.get("start_date"),
        completion_date=node.get("completion_date"), enrollment=node.get("enrollment"),
        results_posted=node.get("results_posted"), key_result=node.get("key_result"),
        registry_notes=list(node.get("registry_notes", ())), tests=tests,
        sources=[s.get("id") or s.get("url") or "?" for s in node.get("sources", ())])


def _years(spec: str) -> tuple[int | None, int | None]:
    m = _YEARS.match(str(spec))
    if not m or not (m.group(1) or m.group(3)):
        raise LmkgError(f"--start-year takes YEAR, FROM-TO, FROM- or -TO (2020, 2018-2022), "
                        f"not {spec!r}")
    lo, dash, hi = m.group(1), m.group(2), m.group(3)
    if not dash:
        return int(lo), int(lo)
    return (int(lo) if lo else None), (int(hi) if hi else None)


def _choice(value: str, allowed: Iterable[str], what: str) -> str:
    v = value.strip().lower().replace(" ", "_").replace("-", "_")
    allowed = list(allowed)
    if v not in allowed:
        raise LmkgError(f"unknown {what} {value!r} (one of {', '.join(allowed)})")
    return v


def trials(kg: KnowledgeGraph, *, status: Iterable[str] = (), recruiting: bool = False,
           phase: Iterable[str] = (), agent: str | None = None, drug_class: str | None = None,
           biomarker: str | None = None, cancer: str | None = None, broader: bool = False,
           sponsor: str | None = None, company: str | None = None, country: str | None = None,
           route: str | None = None, lm_population: str | None = None,
           start_year: str | None = None, stale: bool = False,
           today: _dt.date | None = None, include_non_lm: bool = False) -> Rows:
    """The trials that pass every filter given, as :class:`TrialRow` rows (module docstring).

    ``today`` is the reference date for ``stale`` (statuses read more than 12 months before
    it, or never dated) and for each row's ``stale`` field; it defaults to the current date.
    Raises :class:`~lmkg.errors.UnknownEntity` / ``AmbiguousName`` for a name the graph does
    not know, and :class:`LmkgError` for a bad value.
    """
    today = today or _dt.date.today()
    statuses = {_choice(s, TrialStatus.values(), "status") for s in status}
    if recruiting:
        statuses |= set(RECRUITING)
    phases = {_choice(p if p.startswith(("phase", "early", "na")) else f"phase{p}",
                      TrialPhase.values(), "phase") for p in phase}
    pop = _choice(lm_population, LMPopulation.values(), "LM population") if lm_population \
        else None
    rt = _choice(route, ROUTE_CHOICES, "route") if route else None
    years = _years(start_year) if start_year else None
    candidates = [t for t in kg.ids("ClinicalTrial")
                  if include_non_lm or kg.node(t).get("lm_specific")]
    via: dict[str, list[str]] = {}
    cancer_match: dict[str, str] = {}
    biomarker_match: dict[str, str] = {}

    def keep(allowed: dict[str, str] | set[str], into: dict[str, Any] | None = None) -> None:
        nonlocal candidates
        candidates = [t for t in candidates if t in allowed]
        if into is not None and isinstance(allowed, dict):
            for t in candidates:
                into.setdefault(t, allowed[t])

    if agent:
        a = kg.resolve(agent, types=["Agent", "Regimen", "RadiotherapyModality"])
        holders = {a} | {s for s, *_ in kg.in_edges(a, "HAS_COMPONENT")}
        hits: dict[str, str] = {}
        for h in holders:
            for _s, _p, t, _d in kg.out_edges(h, "EVALUATED_IN"):
                hits.setdefault(t, kg.name_of(h) if h != a else kg.name_of(a))
        keep(hits)
        for t in candidates:
            via.setdefault(t, []).append(f"tests {hits[t]}")
    if drug_class:
        c = kg.resolve(drug_class, types=["DrugClass"])
        classes = descendants(kg, c, "SUBCLASS_OF")
        members = {a for cls in classes for a, *_ in kg.in_edges(cls, "MEMBER_OF")}
        hits = {}
        for x in sorted(members | classes):
            for _s, _p, t, _d in kg.out_edges(x, "EVALUATED_IN"):
                hits.setdefault(t, kg.name_of(x))
            for reg, *_ in kg.in_edges(x, "HAS_COMPONENT"):
                for _s, _p, t, _d in kg.out_edges(reg, "EVALUATED_IN"):
                    hits.setdefault(t, kg.name_of(reg))
        keep(hits)
        for t in candidates:
            via.setdefault(t, []).append(f"tests {hits[t]} ({kg.name_of(c)})")
    if biomarker:
        b = kg.resolve(biomarker, types=["Biomarker", "Gene"])
        hits = {}
        if kg.type_of(b) == "Gene":
            marks = {b} | {s for s, *_ in kg.in_edges(b, "ALTERATION_OF")}
            for m in sorted(marks):
                for t, *_ in kg.in_edges(m, "STUDIES"):
                    hits.setdefault(t, "exact" if m == b else f"alteration ({kg.name_of(m)})")
        else:
            for t, *_ in kg.in_edges(b, "STUDIES"):
                hits[t] = "exact"
            for _s, _p, g, _d in kg.out_edges(b, "ALTERATION_OF"):
                for t, *_ in kg.in_edges(g, "STUDIES"):
                    hits.setdefault(t, f"gene-level ({kg.node(g).get('symbol') or kg.name_of(g)})")
        for t, why in _implied_biomarker(kg, b, candidates).items():
            hits.setdefault(t, why)
        keep(hits, biomarker_match)
    if cancer:
        c = kg.resolve(cancer, types=["PrimaryCancer"])
        hits = {}
        for x in sorted(descendants(kg, c, "SUBTYPE_OF")):
            for t, *_ in kg.in_edges(x, "STUDIES"):
                hits.setdefault(t, "exact" if x == c else f"subtype ({kg.name_of(x)})")
        if broader:
            for x in sorted(ancestors(kg, c, "SUBTYPE_OF") - {c}):
                for t, *_ in kg.in_edges(x, "STUDIES"):
                    hits.setdefault(t, f"broader ({kg.name_of(x)})")
        else:
            for t, why in _implied_subtype(kg, c, candidates).items():
                hits.setdefault(t, why)
        keep(hits, cancer_match)
    for name, with_agents in ((sponsor, False), (company, True)):
        if not name:
            continue
        co = kg.resolve(name, types=["Company"])
        group = _group(kg, co)
        hits = {}
        for g in sorted(group):
            for t, *_ in kg.in_edges(g, "SPONSORED_BY"):
                hits.setdefault(t, f"sponsored by {kg.name_of(g)}")
            if with_agents:
                for a, *_ in kg.in_edges(g, "DEVELOPED_BY"):
                    for _s, _p, t, _d in kg.out_edges(a, "EVALUATED_IN"):
                        hits.setdefault(t, f"tests {kg.name_of(a)} ({kg.name_of(g)})")
        keep(hits)
        for t in candidates:
            via.setdefault(t, []).append(hits[t])
    if country:
        wanted = {country.casefold()}
        for cid in kg.lookup(country, types=["Country"]):
            n = kg.node(cid)
            wanted |= {x.casefold() for x in (n.get("name", ""), *n.get("synonyms", ()),
                                              n.get("iso_code", "")) if x}
        keep({t for t in candidates
              if {x.casefold() for x in kg.node(t).get("countries", ())} & wanted})
    out = []
    for t in candidates:
        node = kg.node(t)
        if statuses and node.get("status") not in statuses:
            continue
        if phases and not phases & set(node.get("phases", ())):
            continue
        if pop and node.get("lm_population") != pop:
            continue
        if rt == "radiotherapy":
            if not node.get("radiotherapy") and not any(
                    kg.type_of(s) == "RadiotherapyModality"
                    for s, *_ in kg.in_edges(t, "EVALUATED_IN")):
                continue
        elif rt and rt not in node.get("routes", ()):
            continue
        if years:
            start = node.get("start_date")
            y = int(str(start)[:4]) if start else None
            lo, hi = years
            if y is None or (lo is not None and y < lo) or (hi is not None and y > hi):
                continue
        if stale and not is_stale(node, today):
            continue
        row = _row(kg, t, today)
        row.cancer_match = cancer_match.get(t)
        row.biomarker_match = biomarker_match.get(t)
        row.via = via.get(t, [])
        out.append(row)
    # Newest first: by start date; a trial with no start date (the shipped snapshot kept none)
    # by its NCT number, which ClinicalTrials.gov assigns in order of registration.
    out.sort(key=lambda r: (r.start_date is None, _neg(r.start_date), r.nct is None,
                            _neg(r.nct or r.id)))
    return Rows(out)


# -- implied populations: what a trial enrols without the registry record saying so -------------
_NEGATIVE = re.compile(r"^[\s-]*(?:negative|neg\b|non[\s-]?amplified|wild[\s-]?type|wt\b)",
                       re.IGNORECASE)


def _names_in(text: str, names: Iterable[str]) -> str | None:
    """The first of ``names`` that ``text`` mentions as a whole word (case-insensitive), not
    followed by "negative" or "wild-type" ("HER2-negative" does not name HER2 positively)."""
    for name in sorted({n for n in names if len(n) >= 3}, key=lambda n: (-len(n), n)):
        for m in re.finditer(rf"(?<![\w]){re.escape(name)}(?![\w])", text, re.IGNORECASE):
            if not _NEGATIVE.match(text[m.end():]):
                return name
    return None


def _title(kg: KnowledgeGraph, t: str) -> str:
    node = kg.node(t)
    return " ".join(x for x in (node.get("name"), node.get("official_title")) if x)


def _acting_on(kg: KnowledgeGraph, marks: set[str]) -> dict[str, str]:
    """Every agent that acts on one of ``marks`` (TARGETS, itself or through a drug class it is a
    member of) -> the name of what it acts on, for the row's note."""
    out: dict[str, str] = {}
    for m in sorted(marks):
        what = kg.node(m).get("symbol") or kg.name_of(m)
        for x, *_ in kg.in_edges(m, "TARGETS"):
            if kg.type_of(x) == "Agent":
                out.setdefault(x, what)
            elif kg.type_of(x) == "DrugClass":
                for cls in descendants(kg, x, "SUBCLASS_OF"):
                    for a, *_ in kg.in_edges(cls, "MEMBER_OF"):
                        out.setdefault(a, what)
    return out


def _implied_by(kg: KnowledgeGraph, t: str, agents: dict[str, str], genes: Iterable[str],
                acting: bool = True) -> str | None:
    """Why trial ``t`` enrols the population of ``agents``' target: it tests one of them, or its
    title names one of them or one of ``genes`` (its symbol or a synonym); None when neither.
    ``acting``: say what the agent acts on."""

    def on(what: str) -> str:
        return f", acting on {what}" if acting else ""

    for a, *_ in sorted(kg.in_edges(t, "EVALUATED_IN")):
        for x in sorted({a} | {c for _s, _p, c, _d in kg.out_edges(a, "HAS_COMPONENT")}):
            if x in agents:
                return f"tests {kg.name_of(x)}{on(agents[x])}"
    title = _title(kg, t)
    for g in sorted(genes):
        node = kg.node(g)
        hit = _names_in(title, [node.get("symbol") or "", *node.get("synonyms", ())])
        if hit:
            return f"title names {hit}"
    by_name: dict[str, str] = {}
    for a in agents:
        node = kg.node(a)
        for n in (node.get("name", ""), *node.get("synonyms", ())):
            by_name.setdefault(n, a)
    hit = _names_in(title, by_name)
    if hit:
        return f"title names {hit}{on(agents[by_name[hit]])}"
    return None


def _gene_of(kg: KnowledgeGraph, b: str) -> set[str]:
    if kg.type_of(b) == "Gene":
        return {b}
    return {g for _s, _p, g, _d in kg.out_edges(b, "ALTERATION_OF")}


def _implied_biomarker(kg: KnowledgeGraph, b: str, candidates: list[str]) -> dict[str, str]:
    """Trials that name no biomarker but enrol ``b``'s population (module docstring)."""
    genes = _gene_of(kg, b)
    marks = {b, *genes} | {a for g in genes for a, *_ in kg.in_edges(g, "ALTERATION_OF")}
    agents = _acting_on(kg, marks)
    label = " / ".join(sorted(kg.node(g).get("symbol") or kg.name_of(g) for g in genes)) \
        or kg.name_of(b)
    # The cancers the biomarker (or an alteration of its gene) occurs in, with their subtypes
    # and the cancers they are subtypes of.
    where: set[str] = set()
    for m in marks:
        for _s, _p, c, _d in kg.out_edges(m, "OCCURS_IN"):
            where |= descendants(kg, c, "SUBTYPE_OF") | ancestors(kg, c, "SUBTYPE_OF")
    out = {}
    for t in candidates:
        studied = [o for _s, _p, o, _d in kg.out_edges(t, "STUDIES")]
        if any(kg.type_of(o) in ("Biomarker", "Gene") for o in studied):
            continue  # the registry names the trial's biomarkers, and not this one
        cancers = {o for o in studied if kg.type_of(o) == "PrimaryCancer"}
        if cancers and not cancers & where:
            continue
        why = _implied_by(kg, t, agents, genes, acting=False)
        if why:
            out[t] = f"implied ({label}: {why})"
    return out


def _implied_subtype(kg: KnowledgeGraph, c: str, candidates: list[str]) -> dict[str, str]:
    """Trials of a broader cancer, naming none of its subtypes, that enrol subtype ``c``: they
    study a biomarker that occurs in it, test an agent acting on one, or name its gene in the
    title (module docstring)."""
    marks = {s for s, *_ in kg.in_edges(c, "OCCURS_IN") if kg.type_of(s) in ("Biomarker",
                                                                              "Gene")}
    if not marks:
        return {}
    genes = set().union(*(_gene_of(kg, m) for m in marks))
    agents = _acting_on(kg, marks | genes)
    broader = ancestors(kg, c, "SUBTYPE_OF") - {c}
    wanted = set(candidates)
    out = {}
    for x in sorted(broader):
        narrower = descendants(kg, x, "SUBTYPE_OF") - {x}
        for t, *_ in kg.in_edges(x, "STUDIES"):
            if t not in wanted or t in out:
                continue
            studied = {o for _s, _p, o, _d in kg.out_edges(t, "STUDIES")}
            if studied & narrower:
                continue  # it names the subtypes it enrols, and not this one
            named = sorted(studied & (marks | genes))
            why = (f"studies {kg.name_of(named[0])}" if named
                   else _implied_by(kg, t, agents, genes))
            if why:
                out[t] = f"broader ({kg.name_of(x)}; {why})"
    return out


def _neg(date: str | None) -> str:
    """A sort key that puts later dates first among dated rows."""
    if not date:
        return ""
    return "".join(chr(0x10FFFF - ord(c)) for c in str(date).ljust(10, "9"))


def trial_card(kg: KnowledgeGraph, name: str, today: _dt.date | None = None) -> dict[str, Any]:
    """One trial by NCT number, id or name, as the full row of :func:`trials`."""
    tid = kg.resolve(name, types=["ClinicalTrial"])
    return _row(kg, tid, today or _dt.date.today()).as_dict()


# Fields the build report counts on LM trials: (label, test on the trial).
_TESTED = ("Agent", "Regimen", "RadiotherapyModality")


def trial_coverage(kg: KnowledgeGraph) -> dict[str, Any]:
    """What share of the LM trials has each field, for all of them and for the
    interventional ones (the build report's "LM trials" section)."""
    lm = [t for t in kg.ids("ClinicalTrial") if kg.node(t).get("lm_specific")]

    def tests(t: str, types: tuple[str, ...]) -> bool:
        return any(kg.type_of(s) in types for s, *_ in kg.in_edges(t, "EVALUATED_IN"))

    def studies(t: str, types: tuple[str, ...]) -> bool:
        return any(kg.type_of(o) in types for _s, _p, o, _d in kg.out_edges(t, "STUDIES"))

    checks: dict[str, Any] = {
        "status": lambda t, n: bool(n.get("status")),
        "status_as_of": lambda t, n: bool(n.get("status_as_of")),
        "phase": lambda t, n: bool(n.get("phases")),
        "study_type": lambda t, n: bool(n.get("study_type")),
        "status, phase and a tested agent, regimen or radiotherapy": lambda t, n: bool(
            n.get("status") and n.get("phases") and tests(t, _TESTED)),
        "status, phase and a tested agent, regimen, radiotherapy or diagnostic": lambda t, n: bool(
            n.get("status") and n.get("phases") and tests(t, (*_TESTED, "Diagnostic"))),
        "tested agent, regimen or radiotherapy modality": lambda t, n: tests(t, _TESTED),
        "tested diagnostic": lambda t, n: tests(t, ("Diagnostic",)),
        "tested agent, regimen, modality, diagnostic or drug class": lambda t, n: tests(
            t, (*_TESTED, "Diagnostic", "DrugClass")),
        "route": lambda t, n: bool(n.get("routes")),
        "cancer": lambda t, n: studies(t, ("PrimaryCancer",)),
        "biomarker or gene": lambda t, n: studies(t, ("Biomarker", "Gene")),
        "sponsor": lambda t, n: bool(kg.out_edges(t, "SPONSORED_BY")),
        "countries": lambda t, n: bool(n.get("countries")),
        "enrollment": lambda t, n: n.get("enrollment") is not None,
        "start_date": lambda t, n: bool(n.get("start_date")),
        "completion_date": lambda t, n: bool(n.get("completion_date")),
        "results (key result or posted)": lambda t, n: bool(n.get("key_result")
                                                            or n.get("results_posted")),
        "lm_reason": lambda t, n: bool(n.get("lm_reason")),
    }
    interventional = [t for t in lm if kg.node(t).get("study_type") in ("interventional", None)]

    def share(ids: list[str], check: Any) -> dict[str, Any]:
        k = sum(1 for t in ids if check(t, kg.node(t)))
        return {"count": k, "of": len(ids), "share": round(k / len(ids), 4) if ids else None}

    return {
        "lm_trials": len(lm),
        "interventional": len(interventional),
        "by_population": {p: sum(1 for t in lm if kg.node(t).get("lm_population") == p)
                          for p in ("lm_only", "lm_cohort", "lm_allowed", None)},
        "fields": {label: {"all": share(lm, check), "interventional": share(interventional,
                                                                             check)}
                   for label, check in checks.items()},
    }
