"""ClinicalTrials.gov API v2 study records.

Accepts one study (an object with ``protocolSection``), a JSON array of studies, the API's paged
response (``{"studies": [...], "nextPageToken": ...}``), JSON Lines with one study per line
(streamed), or a directory of such files (``lmkg fetch ctgov`` writes one file per page and a
``manifest.json``, which is not read as a study but gives the source's version: the fetch date).

Each study becomes a ClinicalTrial (ClinicalTrials.gov is authoritative for trials and their
sponsors, so both are created when new) with SPONSORED_BY its lead sponsor and collaborators
(organisations only: an individual sponsor, class ``INDIV``, is an investigator, not a company),
STUDIES the conditions that match a cancer or metastatic site in the graph, and EVALUATED_IN
from the interventions that match an agent by name or ``otherNames`` (never created: a trial's
placebo or procedure is not an agent). ``lm_specific`` is set when the title, conditions or
keywords name leptomeningeal disease.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from lmkg.ontology import BY_PREDICATE, Agent, ClinicalTrial, RelationType, SourceRef
from lmkg.ontology.entities import Company, MetastaticSite, PrimaryCancer

from .base import (
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

LM_WORDS = re.compile(r"leptomening|meningeal (carcinomatosis|metasta|disease)|"
                      r"neoplastic meningitis|carcinomatous meningitis|lymphomatous meningitis",
                      re.IGNORECASE)
BRAIN_WORDS = re.compile(r"brain metasta|cns metasta|intracranial metasta", re.IGNORECASE)
AGENT_TYPES = {"DRUG", "BIOLOGICAL", "RADIATION", "GENETIC", "COMBINATION_PRODUCT"}
SKIP_INTERVENTIONS = re.compile(r"^placebo|^standard of care$|^best supportive care$",
                                re.IGNORECASE)


class CtgovLoader:
    name = "ctgov"
    description = "ClinicalTrials.gov API v2 study JSON (one study, a list, pages, JSON Lines)"
    creates = frozenset({"ClinicalTrial", "Company"})

    @paused_gc
    def load(self, path: Path, **options: Any) -> LoadResult:
        from .ctgov_fetch import MANIFEST, read_manifest

        path = Path(path)
        result = LoadResult(source=self.name, version=options.get("version"))
        files = iter_files(path, (".json", ".jsonl"))
        if path.is_dir():  # a fetch directory: its manifest is not a study, but dates the pages
            files = [f for f in files if f.name != MANIFEST]
            fetched = read_manifest(path)
            if fetched and not result.version and fetched.get("fetched_at"):
                result.version = f"ClinicalTrials.gov API v2, fetched {fetched['fetched_at']}"
        if not files:
            result.problems.append(Problem(str(path), None, None, None,
                                           "no .json or .jsonl files found"))
        self._seen: dict[str, tuple[int, str, list[str]]] = {}
        for f in files:
            for line, study in self._studies(f, result):
                result.read += 1
                self._study(f.name, line, study, result)
        for nct, (_idx, version, where) in sorted(self._seen.items()):
            if len(where) > 1:
                shown = ", ".join(where[:5]) + (f" and {len(where) - 5} more"
                                                if len(where) > 5 else "")
                result.problems.append(Problem(
                    where[0].split(":")[0], None, nct, None,
                    f"duplicate: the study appears {len(where)} times ({shown}); read once (the copy "
                    f"last updated {version or 'unknown'})", severity="warning"))
        return result

    def _studies(self, f: Path, result: LoadResult) -> Iterator[tuple[int | None, Any]]:
        shown = f.name
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
        doc = read_json(f, result)
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

    def _study(self, shown: str, line: int | None, study: Any, result: LoadResult) -> None:
        proto = study.get("protocolSection") if isinstance(study, dict) else None
        ident = (proto or {}).get("identificationModule") or {}
        nct = ident.get("nctId")
        record = nct or f"{shown}:{line or result.read}"
        if not isinstance(proto, dict) or not nct:
            result.rejected.append(Rejected(shown, line, record, _brief(study),
                                            ["not a ClinicalTrials.gov v2 study: no "
                                             "protocolSection.identificationModule.nctId"]))
            return
        try:
            item = self._item(nct, proto, shown, line)
        except (ValidationError, ValueError, TypeError, AttributeError) as exc:
            reason = _one_line(exc)
            result.rejected.append(Rejected(shown, line, record, _brief(study), [reason]))
            return
        # One study, one record: a copy (a page fetched twice, a file given twice) is counted
        # as a duplicate and merged once, from the copy updated last.
        version = ((proto.get("statusModule") or {}).get("lastUpdatePostDateStruct")
                   or {}).get("date") or ""
        here = f"{shown}:{line}" if line else shown
        if nct in self._seen:
            idx, seen_version, where = self._seen[nct]
            where.append(here)
            result.duplicates += 1
            if version > seen_version:
                result.items[idx] = item
                self._seen[nct] = (idx, version, where)
            return
        self._seen[nct] = (len(result.items), version, [here])
        result.items.append(item)

    def _item(self, nct: str, proto: dict[str, Any], shown: str, line: int | None) -> SourceItem:
        ident = proto.get("identificationModule") or {}
        status = proto.get("statusModule") or {}
        design = proto.get("designModule") or {}
        cond = proto.get("conditionsModule") or {}
        arms = proto.get("armsInterventionsModule") or {}
        sponsors = proto.get("sponsorCollaboratorsModule") or {}
        version = (status.get("lastUpdatePostDateStruct") or {}).get("date")
        src = SourceRef(url=f"https://clinicaltrials.gov/study/{nct}", dataset=self.name,
                        version=version, record=nct, title=ident.get("briefTitle"))
        conditions = [c for c in cond.get("conditions") or [] if isinstance(c, str)]
        keywords = [k for k in cond.get("keywords") or [] if isinstance(k, str)]
        title = " ".join(filter(None, [ident.get("briefTitle"), ident.get("officialTitle")]))
        interventions = [i for i in arms.get("interventions") or [] if isinstance(i, dict)]
        enrollment = (design.get("enrollmentInfo") or {}).get("count")
        start = (status.get("startDateStruct") or {}).get("date")
        trial = ClinicalTrial(
            id=f"lmkg:trial/{nct.lower()}", name=ident.get("acronym") or ident.get("briefTitle") or nct,
            xrefs=(f"NCT:{nct}",),
            phases=tuple(p.lower() for p in design.get("phases") or []),
            status=(status.get("overallStatus") or "unknown").lower(),
            lm_specific=bool(LM_WORDS.search(" ".join([title, *conditions, *keywords]))),
            conditions=tuple(conditions),
            interventions=tuple(i.get("name", "") for i in interventions if i.get("name")),
            start_date=start, enrollment=enrollment, sources=(src,),
        )
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
        seen_sites: set[str] = set()
        for c in conditions:
            if LM_WORDS.search(c):
                ent = MetastaticSite(id="lmkg:site/leptomeninges", name=c,
                                     synonyms=("leptomeningeal metastases",))
            elif BRAIN_WORDS.search(c):
                ent = MetastaticSite(id="lmkg:site/brain", name=c, synonyms=("brain metastases",))
            else:
                ent = PrimaryCancer(id=f"lmkg:cancer/{slug(c)}", name=c)
            if ent.id in seen_sites:
                continue
            seen_sites.add(ent.id)
            related.append(ent)
            rel(RelationType.STUDIES, trial.id, ent.id)
        for i in interventions:
            name = (i.get("name") or "").strip()
            if not name or i.get("type") not in AGENT_TYPES or SKIP_INTERVENTIONS.search(name):
                continue
            others = tuple(dict.fromkeys(o for o in i.get("otherNames") or []
                                         if isinstance(o, str) and o.strip() and o != name))
            agent = Agent(id=f"lmkg:agent/{slug(name)}", name=name, synonyms=others)
            related.append(agent)
            rel(RelationType.EVALUATED_IN, agent.id, trial.id,
                arm="; ".join(i.get("armGroupLabels") or []) or None)
        return SourceItem(record=nct, entity=trial, related=related, relations=relations,
                          line=line)


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
