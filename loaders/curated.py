"""The curated YAML dataset under ``data/`` (format: ``data/README.md``).

Every problem is collected with its file, line, record id, field and reason: YAML syntax,
unknown sections and fields, wrong types, invalid enum values, malformed CURIEs, missing
sources, duplicate ids with conflicting fields, unknown references, relations between entity
types their verb does not allow, and cited PMIDs/DOIs/NCT numbers that no publication or trial
record declares. A record with an error is rejected (and kept, with its reasons, in the result);
records that depend on it are rejected in turn, saying why.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from lmkg.ontology import BY_PREDICATE, BY_SECTION, BY_TYPE, Entity, Relation, RelationType
from lmkg.ontology.curie import CurieError, check_lmkg_id, id_kind
from lmkg.ontology.entities import (
    CURATION_REQUIRED,
    Agent,
    Biomarker,
    ClinicalTrial,
    Diagnostic,
    Guideline,
    PrimaryCancer,
    Publication,
)
from lmkg.ontology.evidence import SourceRef
from lmkg.ontology.vocab import LMVerdictBasis, PublicationKind, TrialStatus

from .base import LoadResult, Problem, Rejected, iter_files, register
from .yamlsrc import LineDict, LineList, YamlError, load_yaml

CITABLE_PREFIXES = {"PMID": Publication, "DOI": Publication, "PMC": Publication,
                    "NCT": ClinicalTrial}


@dataclass
class _Rec:
    file: str
    line: int
    raw: Any
    record_id: str | None
    model: Entity | Relation | None = None
    reasons: list[str] = field(default_factory=list)


def _line_at(raw: Any, loc: tuple[Any, ...], default: int) -> int:
    """Follow a pydantic error location through the LineDict/LineList tree to a line."""
    node, line = raw, default
    for part in loc:
        if isinstance(node, LineDict) and isinstance(part, str):
            if part not in node:
                return node.line or line
            line = node.line_of(part)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and part < len(node):
            line = node.lines[part]
            node = node[part]
        else:
            break
    return line


def _reason(err: dict[str, Any], fieldname: str) -> str:
    kind, msg = err["type"], err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    if kind == "missing":
        if fieldname.split(".")[0] == "sources":
            return "missing source: every relation needs at least one source"
        return "required field is missing"
    if kind == "extra_forbidden":
        return f"unknown field {fieldname.split('.')[-1]!r}"
    if kind == "too_short" and fieldname.split(".")[0] == "sources":
        return "missing source: every relation needs at least one source"
    if kind == "enum":
        return f"invalid value {err.get('input')!r}: {msg}"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return f"wrong type ({type(err.get('input')).__name__} {err.get('input')!r}): {msg}"
    return msg


def _validation_problems(
    exc: ValidationError, file: str, raw: Any, line: int, rid: str | None,
    rename: dict[str, str] | None = None,
) -> list[Problem]:
    out = []
    errors = exc.errors()
    nested = {e["loc"][0] for e in errors if len(e["loc"]) > 1}
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "too_short" and len(loc) == 1 and loc[0] in nested:
            continue  # the items themselves were invalid; that is the error to report
        if loc and rename and loc[0] in rename:
            loc = (rename[loc[0]], *loc[1:])
        fname = ".".join(str(x) for x in loc) or None
        out.append(Problem(file, _line_at(raw, loc, line), rid, fname, _reason(err, fname or "")))
    return out


def _iter_sources(model: Entity | Relation) -> list[tuple[str, SourceRef]]:
    """Every source a record cites, with the field path it sits at."""
    found: list[tuple[str, SourceRef]] = []

    def walk(value: Any, path: str) -> None:
        if isinstance(value, SourceRef):
            found.append((path, value))
        elif isinstance(value, tuple):
            for i, v in enumerate(value):
                walk(v, f"{path}.{i}")
        elif hasattr(type(value), "model_fields"):
            for name in type(value).model_fields:
                walk(getattr(value, name), f"{path}.{name}" if path else name)

    walk(model, "")
    return found


class CuratedLoader:
    """Loader for the curated YAML dataset."""

    name = "curated"
    description = "the curated YAML dataset (data/README.md)"
    creates = frozenset(t.value for t in BY_TYPE)

    def load(self, path: Path, **options: Any) -> LoadResult:
        path = Path(path)
        result = LoadResult(source=self.name)
        if not path.exists():
            result.problems.append(Problem(str(path), None, None, None, "no such file or directory"))
            return result
        files = iter_files(path, (".yaml", ".yml"))
        if not files:
            result.problems.append(Problem(str(path), None, None, None, "no .yaml files found"))
            return result
        base = path if path.is_dir() else path.parent
        entities: dict[str, _Rec] = {}
        relations: list[_Rec] = []
        unreadable: dict[str, str] = {}  # file shown -> its text, for the files that did not parse
        for f in files:
            self._read_file(f, _display(f, base), entities, relations, result.problems,
                            unreadable)
        self._check(entities, relations, result)
        if unreadable:
            _trace_to_unreadable(result, unreadable)
        result.stats = {"files": len(files), "entities": len(result.entities),
                        "relations": len(result.relations), "rejected": len(result.rejected)}
        return result

    # -- reading -------------------------------------------------------------------------------
    def _read_file(self, f: Path, shown: str, entities: dict[str, _Rec], relations: list[_Rec],
                   problems: list[Problem], unreadable: dict[str, str] | None = None) -> None:
        unreadable = {} if unreadable is None else unreadable
        try:
            text = f.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            problems.append(Problem(shown, None, None, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
            unreadable[shown] = f.read_bytes().decode("utf-8", "replace")
            return
        try:
            data, issues = load_yaml(text)
        except YamlError as exc:
            problems.append(Problem(shown, exc.line, None, None, exc.reason))
            unreadable[shown] = text
            return
        for issue in issues:
            problems.append(Problem(shown, issue.line, None, None, issue.reason))
        if data is None:
            return
        if not isinstance(data, LineDict):
            problems.append(Problem(shown, getattr(data, "line", 1), None, None,
                                    "the file must be a mapping of sections (agents:, relations:, ...)"))
            return
        for section, items in data.items():
            sline = data.key_lines[section]
            if section != "relations" and section not in BY_SECTION:
                known = ", ".join(sorted([*BY_SECTION, "relations"]))
                problems.append(Problem(shown, sline, None, section,
                                        f"unknown section {section!r} (known: {known})"))
                continue
            if not isinstance(items, LineList):
                problems.append(Problem(shown, sline, None, section,
                                        "wrong type: a section must be a list of records"))
                continue
            for item, iline in zip(items, items.lines, strict=True):
                if section == "relations":
                    relations.append(self._relation(shown, iline, item, None, problems))
                else:
                    self._entity(shown, iline, section, item, entities, relations, problems)

    def _entity(self, shown: str, line: int, section: str, raw: Any, entities: dict[str, _Rec],
                relations: list[_Rec], problems: list[Problem]) -> None:
        if not isinstance(raw, LineDict):
            problems.append(Problem(shown, line, None, None,
                                    f"wrong type: a record in {section} must be a mapping"))
            return
        rid = raw.get("id") if isinstance(raw.get("id"), str) else None
        try:
            rid = check_lmkg_id(rid) if rid else rid
        except CurieError:
            pass
        data = {k: v for k, v in raw.items() if k != "relations"}
        rec = _Rec(shown, line, raw, rid)
        model_cls = BY_SECTION[section]
        try:
            rec.model = model_cls.model_validate(data)
        except ValidationError as exc:
            found = _validation_problems(exc, shown, raw, line, rid)
            problems.extend(found)
            rec.reasons = [p.reason for p in found]
        if isinstance(rec.model, ClinicalTrial) and rec.model.lm_population is not None \
                and rec.model.lm_basis is None:
            rec.model = rec.model.model_copy(update={"lm_basis": LMVerdictBasis.CURATED})
        for fname in CURATION_REQUIRED.get(section, ()):
            if data.get(fname) is None and fname not in [p.field for p in problems[-5:]]:
                problems.append(Problem(shown, line, rid, fname, "required field is missing"))
                rec.reasons.append(f"{fname}: required field is missing")
        inline = raw.get("relations")
        if inline is not None:
            if not isinstance(inline, LineList):
                problems.append(Problem(shown, raw.line_of("relations"), rid, "relations",
                                        "wrong type: relations must be a list"))
            else:
                for item, iline in zip(inline, inline.lines, strict=True):
                    relations.append(self._relation(shown, iline, item, rid, problems))
        if rid is None:
            if not rec.reasons:
                rec.reasons.append("record has no id")
            # Without an id there is nothing to key on; keep it as rejected.
            entities.setdefault(f"<no id {shown}:{line}>", rec)
            return
        prev = entities.get(rid)
        if prev is None:
            entities[rid] = rec
            return
        if prev.model is not None and rec.model is not None and prev.model == rec.model:
            return  # the same record twice: harmless
        diff = _differing_fields(prev.raw, raw)
        reason = (f"duplicate id {rid} with conflicting fields ({', '.join(diff) or 'content'}); "
                  f"first defined at {prev.file}:{prev.line}")
        problems.append(Problem(shown, raw.line_of(diff[0]) if diff else line, rid,
                                diff[0] if diff else "id", reason))
        prev.reasons.append(f"duplicate id {rid} conflicts with {shown}:{line}")
        rec.reasons.append(reason)
        entities[f"{rid}#dup@{shown}:{line}"] = rec

    def _relation(self, shown: str, line: int, raw: Any, subject: str | None,
                  problems: list[Problem]) -> _Rec:
        if not isinstance(raw, LineDict):
            p = Problem(shown, line, subject, None, "wrong type: a relation must be a mapping")
            problems.append(p)
            return _Rec(shown, line, raw, subject, reasons=[p.reason])
        data = dict(raw)
        if subject is not None:
            if "from" in data:
                p = Problem(shown, raw.line_of("from"), subject, "from",
                            "an inline relation takes its subject from the record; remove 'from'")
                problems.append(p)
                return _Rec(shown, line, raw, subject, reasons=[p.reason])
            data["from"] = subject
        rel = data.pop("rel", None)
        label = f"{data.get('from')} {rel} {data.get('to')}"
        rec = _Rec(shown, line, raw, label)
        if rel is None:
            rec.reasons.append("required field is missing")
            problems.append(Problem(shown, line, label, "rel", "required field is missing"))
            return rec
        try:
            pred = RelationType(rel)
        except ValueError:
            reason = f"invalid value {rel!r}: relation must be one of {', '.join(RelationType.values())}"
            problems.append(Problem(shown, raw.line_of("rel"), label, "rel", reason))
            rec.reasons.append(reason)
            return rec
        data["subject"] = data.pop("from", None)
        data["object"] = data.pop("to", None)
        try:
            rec.model = BY_PREDICATE[pred].model_validate(data)
        except ValidationError as exc:
            found = _validation_problems(exc, shown, raw, line, label,
                                         rename={"subject": "from", "object": "to"})
            problems.extend(found)
            rec.reasons = [p.reason for p in found]
        return rec

    # -- cross-record checks -------------------------------------------------------------------
    def _check(self, entities: dict[str, _Rec], relations: list[_Rec], result: LoadResult) -> None:
        problems = result.problems
        good: dict[str, Entity] = {
            k: r.model for k, r in entities.items()
            if r.model is not None and not r.reasons  # type: ignore[misc]
        }
        cited_index: dict[str, str] = {}
        for eid, ent in good.items():
            if isinstance(ent, Publication | ClinicalTrial):
                for x in ent.xrefs:
                    cited_index[x] = eid

        def check_citations(rec: _Rec) -> None:
            assert rec.model is not None
            for path, src in _iter_sources(rec.model):
                if src.id is None:
                    continue
                prefix = src.id.split(":", 1)[0]
                if prefix in CITABLE_PREFIXES and src.id not in cited_index:
                    what = CITABLE_PREFIXES[prefix].section
                    reason = (f"source {src.id} is cited but not declared: add a record to "
                              f"{what} with xrefs [{src.id}] (and its title)")
                    problems.append(Problem(rec.file, _line_at(rec.raw, _path(path), rec.line),
                                            rec.record_id, path, reason))
                    rec.reasons.append(reason)

        for rec in entities.values():
            if rec.model is None or rec.reasons:
                continue
            check_citations(rec)
            for path, ref, kind in _references(rec.model):
                reason = _reference_problem(ref, kind, entities)
                if reason is None:
                    continue
                problems.append(Problem(rec.file, _line_at(rec.raw, _path(path), rec.line),
                                        rec.record_id, path, reason))
                rec.reasons.append(reason)
            if isinstance(rec.model, Guideline) and rec.model.doi is not None \
                    and rec.model.doi not in cited_index:
                reason = (f"doi {rec.model.doi} is not declared: add a record to publications "
                          f"with xrefs [{rec.model.doi}] (and its title)")
                problems.append(Problem(rec.file, rec.raw.line_of("doi"), rec.record_id, "doi",
                                        reason))
                rec.reasons.append(reason)
            if isinstance(rec.model, Biomarker) and rec.model.gene is not None:
                gene = rec.model.gene
                if gene not in good:
                    reason = f"unknown reference: gene {gene} does not exist"
                    if gene in entities:
                        reason = f"unknown reference: gene {gene} was rejected"
                    problems.append(Problem(rec.file, rec.raw.line_of("gene"), rec.record_id,
                                            "gene", reason))
                    rec.reasons.append(reason)
                elif id_kind(gene) != "gene":
                    reason = f"wrong type: gene must be a Gene id, not {gene}"
                    problems.append(Problem(rec.file, rec.raw.line_of("gene"), rec.record_id,
                                            "gene", reason))
                    rec.reasons.append(reason)
                elif not rec.model.sources:
                    reason = ("missing source: a biomarker tied to a gene needs sources "
                              "(they back the ALTERATION_OF link)")
                    problems.append(Problem(rec.file, rec.line, rec.record_id, "sources", reason))
                    rec.reasons.append(reason)
        good = {k: v for k, v in good.items() if not entities[k].reasons}

        seen_rel: dict[tuple[str, str, str], _Rec] = {}
        for rec in relations:
            if rec.model is None or rec.reasons:
                continue
            rel = rec.model
            assert isinstance(rel, Relation)
            for end, fname, allowed in ((rel.subject, "from", rel.domain),
                                        (rel.object, "to", rel.range)):
                line = rec.raw.line_of(fname) if isinstance(rec.raw, LineDict) else rec.line
                if end not in good:
                    if end in entities:
                        why = "; ".join(entities[end].reasons) or "it was rejected"
                        reason = f"unknown reference: {end} was rejected ({why})"
                    else:
                        reason = f"unknown reference: {end} does not exist"
                    problems.append(Problem(rec.file, line, rec.record_id, fname, reason))
                    rec.reasons.append(reason)
                    continue
                etype = good[end].entity_type
                if etype not in allowed:
                    names = " or ".join(t.value for t in allowed)
                    reason = (f"wrong type: {rel.predicate.value} cannot {'start from' if fname == 'from' else 'point to'} "
                              f"a {etype.value} ({end}); expected {names}")
                    problems.append(Problem(rec.file, line, rec.record_id, fname, reason))
                    rec.reasons.append(reason)
            if rel.predicate is RelationType.SUBTYPE_OF and not rec.reasons and \
                    good[rel.subject].entity_type != good[rel.object].entity_type:
                reason = (f"wrong type: SUBTYPE_OF joins two entities of one type (a cancer and "
                          f"a cancer, a biomarker and a biomarker), not a "
                          f"{good[rel.subject].entity_type.value} and a "
                          f"{good[rel.object].entity_type.value}")
                line = rec.raw.line_of("to") if isinstance(rec.raw, LineDict) else rec.line
                problems.append(Problem(rec.file, line, rec.record_id, "to", reason))
                rec.reasons.append(reason)
            for fname, kind in _RELATION_REFERENCES.get(rel.predicate, ()):
                ref = getattr(rel, fname)
                if ref is None:
                    continue
                reason = _reference_problem(ref, kind, entities, good)
                if reason is not None:
                    line = rec.raw.line_of(fname) if isinstance(rec.raw, LineDict) else rec.line
                    problems.append(Problem(rec.file, line, rec.record_id, fname, reason))
                    rec.reasons.append(reason)
            if not rec.reasons:
                check_citations(rec)
            if rec.reasons:
                continue
            prev = seen_rel.get(rel.key)
            if prev is not None and prev.model != rel:
                # Same triple twice: keep both sets of sources, but qualifiers must agree.
                if prev.model.properties() != rel.properties():  # type: ignore[union-attr]
                    reason = (f"duplicate relation {' '.join(rel.key)} with conflicting qualifiers; "
                              f"first at {prev.file}:{prev.line}")
                    problems.append(Problem(rec.file, rec.line, rec.record_id, None, reason))
                    rec.reasons.append(reason)
                    continue
            seen_rel.setdefault(rel.key, rec)

        _trial_checks(entities, relations, good, problems)
        for _key, rec in entities.items():
            if rec.reasons or rec.model is None:
                result.rejected.append(Rejected(rec.file, rec.line, rec.record_id, rec.raw,
                                                rec.reasons or ["invalid record"]))
            else:
                result.entities.append(rec.model)  # type: ignore[arg-type]
        for rec in relations:
            if rec.reasons or rec.model is None:
                result.rejected.append(Rejected(rec.file, rec.line, rec.record_id, rec.raw,
                                                rec.reasons or ["invalid relation"]))
            else:
                result.relations.append(rec.model)  # type: ignore[arg-type]


# Interim or preliminary results are what an open trial reports: they contradict nothing.
_INTERIM = re.compile(r"\binterim\b|\bpreliminary\b|\bearly results\b|\bfirst results\b",
                      re.IGNORECASE)
OPEN_STATUSES = frozenset({TrialStatus.RECRUITING, TrialStatus.NOT_YET_RECRUITING,
                           TrialStatus.ENROLLING_BY_INVITATION})


def _trial_checks(entities: dict[str, _Rec], relations: list[_Rec], good: dict[str, Entity],
                  problems: list[Problem]) -> None:
    """Warnings on trial records (docs/trials.md, "Freshness"): a status with no date it was
    read; a status that says the trial still enrols while the data cites its results; an LM
    verdict with no reason."""
    trial_reports = {x for ent in good.values() if isinstance(ent, Publication)
                     and ent.kind == PublicationKind.TRIAL_REPORT
                     and not _INTERIM.search(ent.name) for x in ent.xrefs}
    cited: dict[str, list[str]] = {}
    for rec in relations:
        if rec.model is None or rec.reasons:
            continue
        rel = rec.model
        for end in (rel.subject, rel.object):  # type: ignore[union-attr]
            for src in rel.sources:  # type: ignore[union-attr]
                if src.id in trial_reports:
                    cited.setdefault(end, []).append(src.id)
    for rid, rec in entities.items():
        t = rec.model
        if not isinstance(t, ClinicalTrial) or rec.reasons:
            continue
        for src in t.sources:
            if src.id in trial_reports:
                cited.setdefault(rid, []).append(src.id)
        line = functools.partial(_field_line, rec)
        if t.status is not None and t.status_as_of is None:
            problems.append(Problem(rec.file, line("status"), rid, "status",
                                    f"status {t.status.value!r} has no status_as_of: say when "
                                    "it was read (docs/trials.md)", "warning"))
        if t.status in OPEN_STATUSES:
            results = sorted(set(cited.get(rid, [])))
            final_key = t.key_result if t.key_result and not _INTERIM.search(t.key_result) \
                else None
            if final_key or results:
                what = "; ".join(filter(None, [f"key_result {final_key!r}" if final_key
                                               else None, *(f"trial report {r}" for r in results)]))
                problems.append(Problem(
                    rec.file, line("status"), rid, "status",
                    f"status {t.status.value!r}"
                    + (f" (as of {t.status_as_of})" if t.status_as_of else "")
                    + f" contradicts a cited result: {what}; check the registry and the "
                      "sponsor's announcements", "warning"))
        if t.lm_population is not None and not t.lm_reason:
            problems.append(Problem(rec.file, line("lm_population"), rid, "lm_reason",
                                    "an LM verdict needs its reason (docs/trials.md)", "warning"))


def _field_line(rec: _Rec, fieldname: str) -> int:
    if isinstance(rec.raw, LineDict) and fieldname in rec.raw:
        return rec.raw.line_of(fieldname)
    return rec.line


# Qualifiers of relations that name another record, and the id kind they must have.
_RELATION_REFERENCES: dict[RelationType, tuple[tuple[str, str], ...]] = {
    RelationType.RECOMMENDS: (("cancer", "cancer"), ("biomarker", "biomarker|gene")),
    RelationType.PREDICTS_RESPONSE: (("cancer", "cancer"),),
}


def _references(model: Entity) -> list[tuple[str, str, str]]:
    """(field path, referenced id, expected id kind) for every id an entity's records name."""
    out: list[tuple[str, str, str]] = []
    if isinstance(model, Agent):
        for i, ev in enumerate(model.cns_evidence):
            out += [(f"cns_evidence.{i}.{f}", getattr(ev, f), f) for f in ("cancer", "biomarker")
                    if getattr(ev, f) is not None]
    if isinstance(model, PrimaryCancer):
        out += [(f"epidemiology.{i}.biomarker", fig.biomarker, "biomarker|gene")
                for i, fig in enumerate(model.epidemiology) if fig.biomarker is not None]
    if isinstance(model, Diagnostic):
        out += [(f"performance.{i}.cancer", perf.cancer, "cancer")
                for i, perf in enumerate(model.performance) if perf.cancer is not None]
    if isinstance(model, Guideline) and model.supersedes is not None:
        out.append(("supersedes", model.supersedes, "guideline"))
    return out


_ID_LINE = re.compile(r"^[\s-]*id:\s*['\"]?([A-Za-z_]+/[^\s'\"#]+)", re.MULTILINE)
_MISSING = re.compile(r"unknown reference: (?:\w+ )?(\S+) does not exist$")
_UNDECLARED = re.compile(r"^(?:source|doi) (\S+) is (?:cited but )?not declared")


def _trace_to_unreadable(result: LoadResult, unreadable: dict[str, str]) -> None:
    """Say so when an unknown reference follows from a file that could not be read: one YAML
    error in a file that defines osimertinib otherwise reads as two dozen unknown references
    in other files. The ids a file defines are read from its ``id:`` lines, which a syntax
    error elsewhere in it does not hide."""
    defined: dict[str, str] = {}
    for shown, text in unreadable.items():
        for m in _ID_LINE.finditer(text):
            ref = m.group(1)
            defined.setdefault(ref if ref.startswith("lmkg:") else "lmkg:" + ref, shown)
    names = ", ".join(sorted(unreadable))
    for i, p in enumerate(result.problems):
        m = _MISSING.search(p.reason)
        cited = _UNDECLARED.search(p.reason)
        if m:
            ref = m.group(1) if m.group(1).startswith("lmkg:") else "lmkg:" + m.group(1)
            where = defined.get(ref)
        elif cited:  # a publication record in the unreadable file may declare it
            where = next((f for f, text in sorted(unreadable.items())
                          if cited.group(1) in text), None)
        else:
            continue
        why = (f" (it is defined in {where}, which could not be read: fix that file first)"
               if where else f" ({names} could not be read; it may be defined there)")
        result.problems[i] = replace(p, reason=p.reason + why)


def _reference_problem(ref: str, kind: str, entities: dict[str, _Rec],
                       good: dict[str, Entity] | None = None) -> str | None:
    """Why ``ref`` cannot be the ``kind`` record it should name (``a|b``: either kind), or None
    when it can."""
    kinds = kind.split("|")
    name = "biomarker" if kinds[0] == "biomarker" else kinds[0]
    if id_kind(ref) not in kinds:
        allowed = " or ".join(f"{k} id ({k}/...)" for k in kinds)
        return f"wrong type: {name} must be a {allowed}, not {ref}"
    if ref not in entities:
        return f"unknown reference: {name} {ref} does not exist"
    if good is not None and ref not in good:
        return f"unknown reference: {name} {ref} was rejected"
    return None


def _path(dotted: str) -> tuple[Any, ...]:
    return tuple(int(p) if p.isdigit() else p for p in dotted.split(".") if p)


def _display(f: Path, base: Path) -> str:
    try:
        return str(f.relative_to(base.parent if base.name else base))
    except ValueError:
        return str(f)


def _differing_fields(a: Any, b: Any) -> list[str]:
    if not isinstance(a, dict) or not isinstance(b, dict):
        return []
    keys = [k for k in dict.fromkeys([*a, *b]) if k != "relations"]
    return [k for k in keys if a.get(k) != b.get(k)]


@register("curated")
def _factory() -> CuratedLoader:
    return CuratedLoader()


__all__ = ["CuratedLoader"]
