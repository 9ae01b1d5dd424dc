"""ClinicalTrials.gov API v2 study records, read with the LM rule.

Accepts one study (an object with ``protocolSection``), a JSON array of studies, the API's paged
response (``{"studies": [...], "nextPageToken": ...}``), JSON Lines with one study per line
(streamed), or a directory of such files (``lmkg fetch ctgov`` writes one file per page and a
``manifest.json``, which is not read as a study but dates the records: its ``fetched_at`` is when
every status in the directory was read).

Each study is judged by the LM rule (:mod:`.ctgov_lm`, written out in docs/trials.md), or by a
reviewer's verdict (option ``review``, the table ``data/registry/lm-review.tsv``). A study that
is not an LM trial is rejected with the rule's reason, unless the graph already holds it (a
curated trial, matched by its NCT number through the ``scope``); ``lm_only=False`` keeps every
study.

A kept study becomes a ClinicalTrial (ClinicalTrials.gov is authoritative for trials and their
sponsors, so both are created when new) with its titles, status and the date it was read, study
type, phases, conditions, summary, sites' countries, dates, enrolment and the LM verdict;
SPONSORED_BY its lead sponsor and collaborators (organisations only: an individual sponsor,
class ``INDIV``, is an investigator, not a company); STUDIES the registered conditions and the
cancers and biomarkers its titles and conditions name; EVALUATED_IN from the registered
interventions and from the agents and drug classes of the graph that its titles and purpose
sentences name (:mod:`.ctgov_links`; never created: a placebo or a procedure is not an agent).

Option ``snapshot``: another ctgov path read first (the shipped registry snapshot); a study read
from ``path`` replaces the snapshot's record of the same study unless it was read earlier.
Within one load the same study found twice (several searches) is kept once, the most recently
read; the other copies are counted as duplicates, so that every record read is accounted for.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from lmkg.ontology import BY_PREDICATE, Agent, ClinicalTrial, RelationType, SourceRef
from lmkg.ontology.entities import (
    Biomarker,
    Company,
    Diagnostic,
    DrugClass,
    Gene,
    MetastaticSite,
    PrimaryCancer,
    RadiotherapyModality,
)
from lmkg.ontology.vocab import StudyType

from .base import (
    DUPLICATE,
    OUT_OF_SCOPE,
    LoadResult,
    Problem,
    Rejected,
    SourceItem,
    iter_files,
    not_utf8,
    paused_gc,
    read_json,
    register,
    slug,
)
from .ctgov_links import read_links
from .ctgov_lm import LM_TERM, Review, lm_verdict, read_review, study_text

BRAIN_WORDS = re.compile(r"brain metasta|cns metasta|intracranial metasta|metastatic malignant "
                         r"neoplasm in the brain", re.IGNORECASE)
AGENT_TYPES = {"DRUG", "BIOLOGICAL", "RADIATION", "GENETIC", "COMBINATION_PRODUCT"}
SKIP_INTERVENTIONS = re.compile(r"^placebo|^standard of care$|^best supportive care$",
                                re.IGNORECASE)
_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?")


@dataclass
class _Read:
    """One study as read: where from, when its status was read, and the record itself."""

    shown: str
    line: int | None
    study: Any
    as_of: str | None
    version: str | None


class CtgovLoader:
    name = "ctgov"
    description = ("ClinicalTrials.gov API v2 study JSON (one study, a list, pages, JSON Lines, "
                   "a fetch directory), judged by the LM rule")
    creates = frozenset({"ClinicalTrial", "Company"})

    @paused_gc
    def load(self, path: Path, **options: Any) -> LoadResult:
        path = Path(path)
        result = LoadResult(source=self.name, version=options.get("version"))
        self._scope = options.get("scope")
        self._lm_only = options.get("lm_only", True)
        review = options.get("review")
        self._review = review if isinstance(review, Review) else read_review(
            Path(review) if review else None)
        for line, fieldname, why in self._review.problems:
            result.problems.append(Problem(Path(self._review.path or "review").name, line,
                                           None, fieldname or None, why))
        records: list[_Read] = []
        snapshot = options.get("snapshot")
        if snapshot is not None and Path(snapshot).exists():
            records += self._read_path(Path(snapshot), result, options.get("as_of"))
        fresh = self._read_path(path, result, options.get("as_of"))
        if fresh and not result.version:
            result.version = fresh[0].version
        records += fresh
        kept: dict[str, _Read] = {}
        order: list[str] = []
        for rec in records:
            nct = _nct(rec.study)
            if nct is None:
                self._study(rec, result)
                continue
            old = kept.get(nct)
            if old is None:
                kept[nct] = rec
                order.append(nct)
                continue
            # The record read later wins; a tie goes to the later source (path after snapshot).
            newer, older = (rec, old) if (rec.as_of or "") >= (old.as_of or "") else (old, rec)
            kept[nct] = newer
            result.rejected.append(Rejected(
                older.shown, older.line, nct, None,
                [f"duplicate: {nct} is also in {newer.shown}"
                 + (f" (read {newer.as_of})" if newer.as_of else "")
                 + ", which was kept" + (f"; this copy was read {older.as_of}"
                                         if older.as_of else "")], DUPLICATE))
        for nct in order:
            self._study(kept[nct], result)
        return result

    # -- reading files -------------------------------------------------------------------------
    def _read_path(self, path: Path, result: LoadResult, as_of: str | None) -> list[_Read]:
        from .ctgov_fetch import MANIFEST, read_manifest

        if not path.exists():
            result.problems.append(Problem(str(path), None, None, None, "no such file or folder"))
            return []
        files = iter_files(path, (".json", ".jsonl"))
        manifests: dict[Path, dict[str, Any]] = {}
        if path.is_dir():
            files = [f for f in files if f.name != MANIFEST]
            for f in files:  # a fetch directory may hold one folder per search
                d = f.parent
                if d not in manifests:
                    manifests[d] = read_manifest(d) or {}
        else:
            manifests[path.parent] = read_manifest(path.parent) or {}
        if not files:
            result.problems.append(Problem(str(path), None, None, None,
                                           "no .json or .jsonl files found"))
        out: list[_Read] = []
        for f in files:
            fetched = manifests.get(f.parent) or {}
            when = as_of or _date(fetched.get("fetched_at"))
            version = (f"{fetched.get('source') or 'ClinicalTrials.gov API v2'}, read {when}"
                       if when else None)
            shown = f"{path.name}/{f.relative_to(path)}" if path.is_dir() else f.name
            for line, study in self._studies(f, result, shown):
                result.read += 1
                out.append(_Read(shown, line, study, when, version))
        return out

    def _studies(self, f: Path, result: LoadResult, shown: str
                 ) -> Iterator[tuple[int | None, Any]]:
        if f.suffix == ".jsonl":
            try:
                with f.open(encoding="utf-8") as fh:
                    for n, text in enumerate(fh, 1):
                        if not text.strip():
                            continue
                        try:
                            yield n, json.loads(text)
                        except ValueError as exc:
                            result.read += 1
                            result.rejected.append(Rejected(shown, n, None, text[:200],
                                                            [f"not JSON: {exc}"]))
            except UnicodeDecodeError as exc:
                result.problems.append(not_utf8(f, exc, shown))
            return
        doc = read_json(f, result, shown)
        if doc is None:
            return
        if isinstance(doc, dict) and "studies" in doc:
            doc = doc["studies"]
            if not isinstance(doc, list):
                result.problems.append(Problem(shown, None, None, "studies", "wrong type: "
                                               "'studies' must be a list"))
                return
        if isinstance(doc, dict):
            doc = [doc]
        if not isinstance(doc, list):
            result.problems.append(Problem(shown, None, None, None,
                                           "expected a study object, a list of studies or a "
                                           "page with 'studies'"))
            return
        for study in doc:
            yield None, study

    # -- one study -----------------------------------------------------------------------------
    def _study(self, rec: _Read, result: LoadResult) -> None:
        study = rec.study
        proto = study.get("protocolSection") if isinstance(study, dict) else None
        nct = _nct(study)
        record = nct or f"{rec.shown}:{rec.line or result.read}"
        if not isinstance(proto, dict) or not nct:
            result.rejected.append(Rejected(rec.shown, rec.line, record, _brief(study),
                                            ["not a ClinicalTrials.gov v2 study: no "
                                             "protocolSection.identificationModule.nctId"]))
            return
        try:
            st = study_text(proto)
            verdict = self._review.apply(nct, lm_verdict(st))
            known = self._scope is not None and self._scope.has_xref("ClinicalTrial",
                                                                    f"NCT:{nct}")
            if self._lm_only and not verdict.lm_specific and not known:
                result.rejected.append(Rejected(
                    rec.shown, rec.line, nct, None,
                    [f"not an LM trial: {verdict.population.value}: {verdict.reason}"],
                    OUT_OF_SCOPE))
                return
            item = self._item(nct, study, proto, st, verdict, rec)
        except (ValidationError, ValueError, TypeError, AttributeError) as exc:
            reason = _one_line(exc)
            result.rejected.append(Rejected(rec.shown, rec.line, record, _brief(study), [reason]))
            return
        result.items.append(item)

    def _item(self, nct: str, study: dict[str, Any], proto: dict[str, Any], st: Any,
              verdict: Any, rec: _Read) -> SourceItem:
        ident = proto.get("identificationModule") or {}
        status = proto.get("statusModule") or {}
        design = proto.get("designModule") or {}
        arms = proto.get("armsInterventionsModule") or {}
        sponsors = proto.get("sponsorCollaboratorsModule") or {}
        locations = (proto.get("contactsLocationsModule") or {}).get("locations") or []
        updated = (status.get("lastUpdatePostDateStruct") or {}).get("date")
        src = SourceRef(url=f"https://clinicaltrials.gov/study/{nct}", dataset=self.name,
                        version=rec.version or updated, record=nct,
                        title=ident.get("briefTitle"), accessed=rec.as_of)
        conditions = list(st.conditions)
        interventions = [i for i in arms.get("interventions") or [] if isinstance(i, dict)]
        intervention_text = [" ".join(filter(None, [i.get("name"), i.get("description")]))
                             for i in interventions if isinstance(i.get("name"), str)]
        scope = self._scope
        normalise = getattr(scope, "normalise", None)
        links = read_links(
            titles=st.titles, conditions=conditions, keywords=st.keywords, summary=st.summary,
            interventions=intervention_text,
            agent_names=scope.names_of("Agent") if normalise else frozenset(),
            class_names=scope.names_of("DrugClass") if normalise else frozenset(),
            normalise=normalise or (lambda t: t))
        study_type = (design.get("studyType") or "").lower() or None
        countries = sorted({loc["country"] for loc in locations
                            if isinstance(loc, dict) and isinstance(loc.get("country"), str)})
        completion = (status.get("completionDateStruct") or status.get(
            "primaryCompletionDateStruct") or {}).get("date")
        fields: dict[str, Any] = dict(
            id=f"lmkg:trial/{nct.lower()}",
            name=ident.get("acronym") or ident.get("briefTitle") or nct,
            xrefs=(f"NCT:{nct}",),
            official_title=st.official_title,
            study_type=StudyType(study_type) if study_type in StudyType.values() else None,
            phases=tuple(p.lower() for p in design.get("phases") or []),
            status=(status.get("overallStatus") or "unknown").lower(),
            status_as_of=rec.as_of,
            status_verified=_date(status.get("statusVerifiedDate")),
            lm_population=verdict.population, lm_reason=verdict.reason,
            lm_basis=verdict.basis,
            conditions=tuple(conditions),
            interventions=tuple(i.get("name", "") for i in interventions if i.get("name")),
            routes=tuple(links.routes), radiotherapy=tuple(links.radiotherapy),
            brief_summary=(proto.get("descriptionModule") or {}).get("briefSummary") or None,
            countries=tuple(countries),
            start_date=_date((status.get("startDateStruct") or {}).get("date")),
            completion_date=_date(completion),
            enrollment=(design.get("enrollmentInfo") or {}).get("count"),
            registry_notes=st.notes, sources=(src,),
        )
        if isinstance(study.get("hasResults"), bool):
            fields["results_posted"] = study["hasResults"]
        if ident.get("acronym") and ident.get("briefTitle"):
            fields["synonyms"] = (ident["briefTitle"],)
        trial = ClinicalTrial(**{k: v for k, v in fields.items() if v is not None})
        related: list[Any] = []
        relations = []

        def rel(pred: RelationType, s: str, o: str, **props: Any) -> None:
            relations.append(BY_PREDICATE[pred](subject=s, object=o, sources=[src], **props))

        lead = sponsors.get("leadSponsor") or {}
        for org, role in [(lead, "lead")] + [
                (c, "collaborator") for c in sponsors.get("collaborators") or []
                if isinstance(c, dict)]:
            name = org.get("name") if isinstance(org, dict) else None
            # An individual sponsor (class INDIV: an investigator) is a person, not a company.
            if not name or org.get("class") == "INDIV":
                continue
            company = Company(id=f"lmkg:company/{slug(name)}", name=name, sources=(src,))
            related.append(company)
            rel(RelationType.SPONSORED_BY, trial.id, company.id, role=role)
        seen: set[str] = set()

        def studies(ent: Any, basis: str) -> None:
            if ent.id in seen:
                return
            seen.add(ent.id)
            related.append(ent)
            rel(RelationType.STUDIES, trial.id, ent.id, basis=basis)

        for c in conditions:
            if LM_TERM.search(c):
                studies(MetastaticSite(id="lmkg:site/leptomeninges", name=c,
                                       synonyms=("leptomeningeal metastases",)),
                        "registered condition")
            elif BRAIN_WORDS.search(c):
                studies(MetastaticSite(id="lmkg:site/brain", name=c,
                                       synonyms=("brain metastases",)), "registered condition")
            else:
                studies(PrimaryCancer(id=f"lmkg:cancer/{slug(c)}", name=c), "registered condition")
        if verdict.lm_specific and "lmkg:site/leptomeninges" not in seen:
            studies(MetastaticSite(id="lmkg:site/leptomeninges",
                                   name="leptomeningeal metastases"), "LM rule")
        for name, where in links.cancers.items():
            studies(PrimaryCancer(id=f"lmkg:cancer/{slug(name)}", name=name), where)
        for name, (etype, where) in links.biomarkers.items():
            ent = (Gene(id=f"lmkg:gene/{slug(name)}", name=name, symbol=name) if etype == "Gene"
                   else Biomarker(id=f"lmkg:biomarker/{slug(name)}", name=name))
            studies(ent, where)
        tested: set[str] = set()
        for i in interventions:
            name = (i.get("name") or "").strip()
            if not name or i.get("type") not in AGENT_TYPES or SKIP_INTERVENTIONS.search(name):
                continue
            others = tuple(dict.fromkeys(o for o in i.get("otherNames") or []
                                         if isinstance(o, str) and o.strip() and o != name))
            agent = Agent(id=f"lmkg:agent/{slug(name)}", name=name, synonyms=others)
            if agent.id in tested:
                continue
            tested.add(agent.id)
            related.append(agent)
            rel(RelationType.EVALUATED_IN, agent.id, trial.id,
                arm="; ".join(i.get("armGroupLabels") or []) or None,
                basis="registered intervention")
        for name, where in links.agents.items():
            agent = Agent(id=f"lmkg:agent/{slug(name)}", name=name)
            if agent.id in tested:
                continue
            tested.add(agent.id)
            related.append(agent)
            rel(RelationType.EVALUATED_IN, agent.id, trial.id, basis=f"named in the {where}")
        modalities = scope.names_of("RadiotherapyModality") if normalise else frozenset()
        for label in links.radiotherapy:  # only techniques the graph knows (docs/trials.md)
            if normalise and normalise(label) in modalities:
                rt = RadiotherapyModality(id=f"lmkg:radiotherapy/{slug(label)}", name=label)
                related.append(rt)
                rel(RelationType.EVALUATED_IN, rt.id, trial.id, basis="radiotherapy named in "
                                                                     "the record")
        known = scope.names_of("Diagnostic") if normalise else frozenset()
        for name, (kind, where) in links.diagnostics.items():  # only tests the graph knows
            if normalise and normalise(name) in known:
                dx = Diagnostic(id=f"lmkg:diagnostic/{slug(name)}", name=name, kind=kind)
                related.append(dx)
                rel(RelationType.EVALUATED_IN, dx.id, trial.id, basis=f"named in the {where}")
        for name, where in links.classes.items():
            cls = DrugClass(id=f"lmkg:class/{slug(name)}", name=name)
            if cls.id in tested:
                continue
            tested.add(cls.id)
            related.append(cls)
            rel(RelationType.EVALUATED_IN, cls.id, trial.id, basis=f"named in the {where}")
        return SourceItem(record=nct, entity=trial, related=related, relations=relations,
                          line=rec.line)


def _nct(study: Any) -> str | None:
    if not isinstance(study, dict):
        return None
    ident = (study.get("protocolSection") or {}).get("identificationModule") or {}
    nct = ident.get("nctId") if isinstance(ident, dict) else None
    return nct if isinstance(nct, str) and nct else None


def _date(value: Any) -> str | None:
    """The date part of an API date or timestamp (``2024-05``, ``2026-04-03T10:00:00+00:00``)."""
    if not isinstance(value, str):
        return None
    m = _DATE.match(value.strip())
    return m.group() if m else None


def _brief(value: Any) -> Any:
    text = json.dumps(value, default=str)
    return text if len(text) < 400 else text[:400] + "..."


def _one_line(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        e = exc.errors()[0]
        return f"field {'.'.join(map(str, e['loc']))}: {e['msg']}"
    return " ".join(str(exc).split())


@register("ctgov")
def _factory() -> CtgovLoader:
    return CtgovLoader()
