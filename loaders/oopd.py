"""FDA Office of Orphan Products Development (OOPD) search export, CSV.

One row per designation, repeated once per approval. Each distinct designation (generic name,
designation date, designated use) becomes an FDA ``orphan_drug`` RegulatoryDesignation, and each
orphan approval row an FDA ``approval`` RegulatoryDesignation for the approved labelled
indication; the repeated rows of one designation are collapsed into one record. Both are
attached to the agent (HAS_DESIGNATION) and the sponsor develops the agent (DEVELOPED_BY).

Scope rule: the FDA is authoritative for designations, but a designation is only created when
its agent is in the graph (the export covers all of rare disease; lmkg is the LM landscape):
a row whose agent is not in the graph is rejected as "out of scope". Sponsors are matched to
companies in the graph, or created.

Dates: both ``9/04/14`` and ``09/04/2014`` are read; a two-digit year is in the 2000s when that
is not after the export's year (the ``version`` option, default 2022-01-07, the access date of
the shipped extract), else in the 1900s, so ``2/02/99`` is 1999, not 2099; a date in the future
or not on the calendar is reported and left empty, never guessed. A designation whose indication names leptomeningeal disease is FOR_INDICATION the
leptomeninges (``site/leptomeninges``), one naming brain metastases the brain (``site/brain``).
"""

from __future__ import annotations

import functools
import re
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from lmkg.ontology import BY_PREDICATE, Agent, RegulatoryDesignation, RelationType, SourceRef
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
    read_table,
    register,
    slug,
)
from .ctgov import BRAIN_WORDS
from .ctgov_lm import LM_TERM as LM_WORDS

URL = "https://www.accessdata.fda.gov/scripts/opdlisting/oopd/"
REQUIRED = {"Generic Name", "Date Designated", "Orphan Designation", "Orphan Designation Status",
            "Marketing Approval Date", "Approved Labeled Indication", "Sponsor Company"}
_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")


def parse_date(text: str, accessed: date, today: date | None = None
               ) -> tuple[str | None, str | None]:
    """``(ISO date, None)`` or ``(None, reason)``; empty text is ``(None, None)`` (the rule:
    :func:`_parse_date`; results are cached, the export repeats its dates)."""
    return _parse_date((text or "").strip(), accessed, today or date.today())


@functools.lru_cache(maxsize=65536)
def _parse_date(text: str, accessed: date, today: date) -> tuple[str | None, str | None]:
    """``(ISO date, None)`` or ``(None, reason)``; empty text is ``(None, None)``.

    A two-digit year is in the 2000s when that is not after the export's year, else the 1900s
    (``99`` is 1999, never 2099); a date in the future or not on the calendar is impossible.
    """
    if not text:
        return None, None
    m = _DATE.match(text)
    if not m:
        return None, f"date {text!r} is not M/D/YY or MM/DD/YYYY"
    month, day, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if len(m.group(3)) == 2:
        year += 2000 if 2000 + year <= accessed.year else 1900
    try:
        d = date(year, month, day)
    except ValueError as exc:
        return None, f"date {text!r} is not a calendar date ({exc})"
    if d > today:
        return None, f"date {text!r} reads as {d.isoformat()}, in the future: impossible, " \
                     "left empty"
    return d.isoformat(), None


@functools.lru_cache(maxsize=65536)
def _short_hash(text: str) -> str:
    import hashlib

    return hashlib.sha1(text.encode()).hexdigest()[:6]


class OopdLoader:
    name = "oopd"
    description = "FDA orphan drug designations and approvals (OOPD search export CSV)"
    creates = frozenset({"RegulatoryDesignation", "Company"})

    @paused_gc
    def load(self, path: Path, **options: Any) -> LoadResult:
        version = options.get("version", "2022-01-07")
        result = LoadResult(source=self.name, version=f"OOPD export accessed {version}")
        accessed = date.fromisoformat(version)
        self._scope = options.get("scope")
        files = iter_files(Path(path), (".csv",))
        if not files:
            result.problems.append(Problem(str(path), None, None, None, "no .csv files found"))
        for f in files:
            self._read(f, result, accessed)
        return result

    def _read(self, f: Path, result: LoadResult, accessed: date) -> None:
        shown = f.name
        seen: dict[tuple[str, str, str], str] = {}
        read_table(f, result, delimiter=",", what="an OOPD export",
                   header_error=missing_columns(REQUIRED),
                   on_row=lambda line, row: self._row(shown, line, row, result, accessed, seen))

    def _cache(self, version: str | None) -> dict[str, Any]:
        c = getattr(self, "_cached", None)
        if c is None or c["version"] != version:
            export = SourceRef(url=URL, dataset=self.name, version=version,
                               title="FDA Orphan Drug Designations and Approvals")
            c = self._cached = {"version": version, "export": export, "agents": {},
                                "companies": {}, "templates": {},
                                "src": export.model_copy(update={"record": "-", "note": "-"})}
        return c

    def _row(self, shown: str, line: int, row: dict[str, str], result: LoadResult,
             accessed: date, seen: dict[tuple[str, str, str], str]) -> None:
        generic = (row.get("Generic Name") or "").strip()
        use = (row.get("Orphan Designation") or "").strip()
        grid = (row.get("CF Grid Key") or "").strip()
        record = f"{shown}:{line}" + (f" (grid {grid})" if grid else "")
        if generic.startswith("Note:") and not use:
            result.rejected.append(Rejected(shown, line, record, dict(row), [
                "the export's footnote ('Note: ...'), not a designation"], OUT_OF_SCOPE))
            return
        if not generic or not use:
            result.rejected.append(Rejected(shown, line, record, dict(row),
                                            ["Generic Name or Orphan Designation is empty"]))
            return
        designated, why = parse_date(row.get("Date Designated", ""), accessed)
        if why:
            result.problems.append(Problem(shown, line, record, "Date Designated", why,
                                           severity="warning"))
        approved, why2 = parse_date(row.get("Marketing Approval Date", ""), accessed)
        if why2:
            result.problems.append(Problem(shown, line, record, "Marketing Approval Date", why2,
                                           severity="warning"))
        scope = self._scope
        trade = (row.get("Trade Name") or "").strip()
        if scope is not None and not scope.may_match("Agent", (generic, trade)):
            # The merge would reject it with this reason; no objects are built for it.
            result.rejected.append(Rejected(shown, line, record, None, [
                f"Agent {generic!r} is not in the graph"], OUT_OF_SCOPE))
            return
        cache = self._cache(result.version)
        # A copy of a template validated once per load: only the record and note change.
        src = cache["src"].model_copy(update={
            "record": record,
            "note": f"{generic}: designated {row.get('Date Designated')} for {use!r}; "
                    f"status {row.get('Orphan Designation Status')}"})
        agent = cache["agents"].get((generic, trade))
        if agent is None:  # one validated Agent per name: rows repeat their drug
            agent = cache["agents"][(generic, trade)] = Agent(
                id=f"lmkg:agent/{slug(generic)}", name=generic,
                synonyms=(trade,) if trade and trade.casefold() != generic.casefold() else ())
        agent_id = agent.id
        related: list[Any] = [agent]
        relations = []

        templates = cache["templates"]

        def rel(pred: RelationType, s: str, o: str, **props: Any) -> None:
            # The first relation of each kind is validated; the others copy it with new ids
            # (built by slug(), so well-formed) and source: the same checks, once.
            key = (pred, *sorted(props.items()))
            t = templates.get(key)
            if t is None:
                templates[key] = BY_PREDICATE[pred](subject=s, object=o, sources=[src], **props)
                relations.append(templates[key])
            else:
                relations.append(t.model_copy(update={"subject": s, "object": o,
                                                      "sources": (src,)}))

        def designation(kind: str, **values: Any) -> RegulatoryDesignation:
            # Validated once per kind; then copies with the row's ids, names, texts and a date
            # parse_date() already checked.
            t = templates.get(kind)
            if t is None:
                t = templates[kind] = RegulatoryDesignation(
                    agency="fda", designation_type=kind, sources=(src,), **values)
                return t
            return t.model_copy(update={**values, "sources": (src,)})

        key = (generic.casefold(), designated or row.get("Date Designated", ""), use.casefold())
        first = seen.get(key)
        primary = None
        try:
            if first is None:
                seen[key] = record
                primary = designation(
                    "orphan_drug",
                    id=f"lmkg:designation/oopd-{slug(generic)}-{designated or 'undated'}-"
                       f"{slug(use)[:40]}-{_short_hash(use)}",
                    name=f"FDA orphan drug designation: {generic} — {use}",
                    indication=use, date=designated)
                rel(RelationType.HAS_DESIGNATION, agent_id, primary.id)
                self._indications(primary, use, rel)
            sponsor = (row.get("Sponsor Company") or "").strip()
            if sponsor:
                # One Company per sponsor name, sourced to the export (each row's own source
                # is on its DEVELOPED_BY relation).
                company = cache["companies"].get(sponsor)
                if company is None:
                    company = cache["companies"][sponsor] = Company(
                        id=f"lmkg:company/{slug(sponsor)}", name=sponsor,
                        sources=(cache["export"],))
                related.append(company)
                rel(RelationType.DEVELOPED_BY, agent_id, company.id, role="developer")
            label = (row.get("Approved Labeled Indication") or "").strip()
            if approved or label:
                appr = designation(
                    "approval",
                    id=f"lmkg:designation/oopd-{slug(generic)}-approval-{approved or 'undated'}-"
                       f"{slug(label or use)[:40]}-{_short_hash(label or use)}",
                    name=f"FDA orphan approval {approved or 'undated'}: {trade or generic} — "
                         f"{label or use}",
                    indication=label or use, date=approved)
                rel(RelationType.HAS_DESIGNATION, agent_id, appr.id)
                self._indications(appr, label or use, rel)
                if primary is None:
                    primary = appr  # a repeated designation row: its approval is the record
                else:
                    related.append(appr)
        except ValidationError as exc:
            e = exc.errors()[0]
            result.rejected.append(Rejected(shown, line, record, dict(row), [
                f"field {'.'.join(map(str, e['loc']))}: {e['msg']}"]))
            return
        # A repeated designation row without an approval of its own collapses into the first
        # (primary None: it counts as matched when its links land on what the first created).
        result.items.append(SourceItem(record=record, entity=primary, related=related,
                                       relations=relations, line=line, requires=[agent_id]))

    @staticmethod
    def _indications(d: RegulatoryDesignation, text: str, rel) -> None:
        if LM_WORDS.search(text):
            rel(RelationType.FOR_INDICATION, d.id, "lmkg:site/leptomeninges")
        elif BRAIN_WORDS.search(text):
            rel(RelationType.FOR_INDICATION, d.id, "lmkg:site/brain")


@register("oopd")
def _factory() -> OopdLoader:
    return OopdLoader()

