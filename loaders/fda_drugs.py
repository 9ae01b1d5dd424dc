"""openFDA ``drug/drugsfda`` JSON and the DrugBank open vocabulary CSV.

**openfda**: each application's original approval (``ORIG`` submission with status ``AP``)
becomes an FDA ``approval`` RegulatoryDesignation dated from the submission, plus a
``priority_review`` one when the original review was priority; the sponsor develops the agent.
Scope rule as for the orphan designations: an application is only taken when its agent (generic
name, brand name or UNII) is in the graph, and generic (ANDA) applications are left out; others
are rejected as out of scope. openFDA is
authoritative for its approvals and for sponsors.

**drugbank**: each row enriches the agent it names (common name, synonyms, or an xref already
known) with synonyms and the DRUGBANK, CAS, UNII and InChIKey identifiers. DrugBank creates
nothing: a row that matches no agent is reported as unmatched.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from lmkg.ontology import BY_PREDICATE, Agent, RegulatoryDesignation, RelationType, SourceRef
from lmkg.ontology.curie import PREFIXES
from lmkg.ontology.entities import Company

from .base import (
    OUT_OF_SCOPE,
    LoadResult,
    Problem,
    Rejected,
    SourceItem,
    iter_files,
    missing_columns,
    paused_gc,
    read_json,
    read_table,
    register,
    slug,
)

_YMD = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def _ymd(text: str | None) -> str | None:
    m = _YMD.match(text or "")
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else None


class OpenFdaLoader:
    name = "openfda"
    description = "openFDA drugsfda JSON: original approvals, review priority, sponsors"
    creates = frozenset({"RegulatoryDesignation", "Company"})

    @paused_gc
    def load(self, path: Path, **options: Any) -> LoadResult:
        result = LoadResult(source=self.name, version=options.get("version"))
        self._scope = options.get("scope")
        files = iter_files(Path(path), (".json",))
        if not files:
            result.problems.append(Problem(str(path), None, None, None, "no .json files found"))
        for f in files:
            shown = f.name
            doc = read_json(f, result)
            if doc is None:
                continue
            if not isinstance(doc, dict) or not isinstance(doc.get("results"), list):
                result.problems.append(Problem(shown, None, None, "results",
                                               "not an openFDA response: no 'results' list"))
                continue
            result.version = result.version or (doc.get("meta") or {}).get("last_updated")
            for n, app in enumerate(doc["results"]):
                result.read += 1
                self._application(shown, n, app, result)
        return result

    def _application(self, shown: str, n: int, app: Any, result: LoadResult) -> None:
        number = app.get("application_number") if isinstance(app, dict) else None
        record = number or f"{shown}:results[{n}]"
        if not number:
            result.rejected.append(Rejected(shown, None, record, None, ["no application_number"]))
            return
        if number.upper().startswith("ANDA"):
            result.rejected.append(Rejected(shown, None, record, None, [
                "a generic (ANDA) application; lmkg keeps originator approvals"], OUT_OF_SCOPE))
            return
        of = app.get("openfda") or {}
        generics = of.get("generic_name") or [p.get("active_ingredients", [{}])[0].get("name")
                                               for p in app.get("products") or []][:1]
        generic = (generics[0] if generics else None) or None
        if not generic:
            result.rejected.append(Rejected(shown, None, record, None, ["no generic name"]))
            return
        orig = [s for s in app.get("submissions") or []
                if s.get("submission_type") == "ORIG" and s.get("submission_status") == "AP"]
        if not orig:
            result.rejected.append(Rejected(shown, None, record, None,  # pending, withdrawn
                                            ["no approved original submission"], OUT_OF_SCOPE))
            return
        sub = orig[0]
        when = _ymd(sub.get("submission_status_date"))
        brands = sorted({b.title() for b in of.get("brand_name") or []})
        url = ("https://www.accessdata.fda.gov/scripts/cder/daf/index.cfm?event=overview.process"
               f"&ApplNo={number[-6:]}")
        src = SourceRef(url=url, dataset=self.name, version=result.version, record=number,
                        note=f"{number} {', '.join(brands) or generic}: original approval "
                             f"{when or '?'}, review {sub.get('review_priority') or '?'}")
        # Drugs@FDA numbers are unique without their NDA/BLA/ANDA type (Bioregistry:
        # fda.application takes the six digits).
        digits = number[-6:]
        xref = (f"FDA.APPLICATION:{digits}"
                if re.fullmatch(r"(NDA|BLA|ANDA)\d{6}", number)
                and PREFIXES["FDA.APPLICATION"].pattern.match(digits) else None)
        uniis = tuple(u for u in of.get("unii") or [] if PREFIXES["UNII"].pattern.match(u))
        scope = self._scope
        if scope is not None and not scope.may_match(
                "Agent", (generic.lower(), *brands), [f"UNII:{u}" for u in uniis]):
            result.rejected.append(Rejected(shown, None, record, None, [
                f"Agent {generic.lower()!r} is not in the graph"], OUT_OF_SCOPE))
            return
        try:
            agent = Agent(id=f"lmkg:agent/{slug(generic)}", name=generic.lower(),
                          synonyms=tuple(b for b in brands if b.lower() != generic.lower()),
                          xrefs=tuple(f"UNII:{u}" for u in uniis))
            label = f"{', '.join(brands) or generic} ({number})"
            approval = RegulatoryDesignation(
                id=f"lmkg:designation/fda-{number.lower()}-approval",
                name=f"FDA approval of {label}", agency="fda", designation_type="approval",
                indication=f"as labelled for {label}", date=when,
                xrefs=(xref,) if xref else (), sources=(src,))
            related: list[Any] = [agent]
            relations = [BY_PREDICATE[RelationType.HAS_DESIGNATION](
                subject=agent.id, object=approval.id, sources=[src])]
            if (sub.get("review_priority") or "").upper() == "PRIORITY":
                prio = RegulatoryDesignation(
                    id=f"lmkg:designation/fda-{number.lower()}-priority-review",
                    name=f"FDA priority review of {label}", agency="fda",
                    designation_type="priority_review", indication=f"as labelled for {label}",
                    date=when, sources=(src,))
                related.append(prio)
                relations.append(BY_PREDICATE[RelationType.HAS_DESIGNATION](
                    subject=agent.id, object=prio.id, sources=[src]))
            sponsor = (app.get("sponsor_name") or "").strip()
            if sponsor:
                company = Company(id=f"lmkg:company/{slug(sponsor)}", name=sponsor.title(),
                                  sources=(src,))
                related.append(company)
                relations.append(BY_PREDICATE[RelationType.DEVELOPED_BY](
                    subject=agent.id, object=company.id, sources=[src], role="marketer"))
        except ValidationError as exc:
            e = exc.errors()[0]
            result.rejected.append(Rejected(shown, None, record, None,
                                            [f"field {'.'.join(map(str, e['loc']))}: {e['msg']}"]))
            return
        result.items.append(SourceItem(record=record, entity=approval, related=related,
                                       relations=relations, requires=[agent.id]))


class DrugBankLoader:
    name = "drugbank"
    description = "DrugBank open vocabulary CSV: synonyms and DrugBank/CAS/UNII/InChIKey xrefs"
    creates: frozenset[str] = frozenset()
    COLUMNS = frozenset({"DrugBank ID", "Common name", "CAS", "UNII", "Synonyms",
                         "Standard InChI Key"})

    @paused_gc
    def load(self, path: Path, **options: Any) -> LoadResult:
        result = LoadResult(source=self.name, version=options.get("version"))
        self._scope = options.get("scope")
        files = iter_files(Path(path), (".csv",))
        if not files:
            result.problems.append(Problem(str(path), None, None, None, "no .csv files found"))
        for f in files:
            read_table(f, result, delimiter=",", what="the DrugBank open vocabulary",
                       header_error=missing_columns(self.COLUMNS),
                       on_row=lambda line, row, shown=f.name: self._row(shown, line, row, result))
        return result

    def _row(self, shown: str, line: int, row: dict[str, str], result: LoadResult) -> None:
        dbid = (row.get("DrugBank ID") or "").strip()
        name = (row.get("Common name") or "").strip()
        if not dbid or not name:
            result.rejected.append(Rejected(shown, line, dbid or f"{shown}:{line}", dict(row),
                                            ["DrugBank ID or Common name is empty"]))
            return
        xrefs, bad = [], []
        for prefix, col in (("DRUGBANK", "DrugBank ID"), ("CAS", "CAS"), ("UNII", "UNII"),
                            ("INCHIKEY", "Standard InChI Key")):
            value = (row.get(col) or "").strip()
            if not value:
                continue
            if PREFIXES[prefix].pattern.match(value):
                xrefs.append(f"{prefix}:{value}")
            else:
                bad.append(f"{col} {value!r} is not a valid {prefix} identifier")
        for b in bad:
            result.problems.append(Problem(shown, line, dbid, None, b + " (left out)",
                                           severity="warning"))
        synonyms = tuple(dict.fromkeys(
            s.strip() for s in (row.get("Synonyms") or "").split(" | ")
            if s.strip() and s.strip().casefold() != name.casefold()))
        scope = self._scope
        if scope is not None and not scope.may_match("Agent", (name, *synonyms), xrefs):
            result.rejected.append(Rejected(shown, line, dbid, None, [
                scope.out_of_scope_reason("Agent", name, self.name)], OUT_OF_SCOPE))
            return
        src = SourceRef(url=f"https://go.drugbank.com/drugs/{dbid}", dataset=self.name,
                        version=result.version, record=dbid,
                        note=f"DrugBank open vocabulary row {dbid} ({name})")
        try:
            agent = Agent(id=f"lmkg:agent/{slug(name)}", name=name, synonyms=synonyms,
                          xrefs=tuple(xrefs), sources=(src,))
        except ValidationError as exc:
            e = exc.errors()[0]
            result.rejected.append(Rejected(shown, line, dbid, dict(row),
                                            [f"field {'.'.join(map(str, e['loc']))}: {e['msg']}"]))
            return
        result.items.append(SourceItem(record=dbid, entity=agent, line=line))


@register("openfda")
def _openfda() -> OpenFdaLoader:
    return OpenFdaLoader()


@register("drugbank")
def _drugbank() -> DrugBankLoader:
    return DrugBankLoader()
