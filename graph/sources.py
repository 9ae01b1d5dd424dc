"""Adding external sources to the curated graph: identity resolution, provenance, the report.

The rule, the same for every source:

1. An entity from a source is matched to an existing entity of the same type by **xref first**
   (``DRUGBANK:DB09330``, ``NCT:NCT02228369``, ...), then by **normalised name or synonym**.
   A regulatory designation, whose name is free text, is also matched by what identifies it:
   the same agent (its HAS_DESIGNATION subject), agency and type, and a compatible date (equal,
   or one a prefix of the other: curated ``2017-06`` and the FDA's ``2017-06-05``).
   An approval matched this way must also name the same indication: the cancers, biomarkers
   and sites its text mentions must be those the candidate is FOR_INDICATION (entrectinib's
   NTRK approval is not its ROS1 one, though both are dated 2019-08-15); a text that mentions
   none of them cannot tell, and several candidates left then make it ambiguous.
   Several candidates make it *ambiguous*: reported with the candidates, never guessed.
2. An unmatched entity is **created** only when the source is authoritative for its type (the
   loader's ``creates``: ClinicalTrials.gov for trials and sponsors, the FDA for designations,
   ...); otherwise the record is *out of scope* (the graph holds nothing it could be about)
   and nothing is invented.
3. A matched entity is **enriched**: new synonyms, xrefs, CNS-evidence records and the
   source's provenance are added; a field the curated data already sets is kept, and a source
   value that differs is listed as a **conflict** (the curated data is the authority).
4. Each input record ends as exactly one of **matched**, **created**, **out of scope** (sound,
   but about nothing the graph holds, or left out by rule: the loader's scope hand-off),
   **unmatched** (it names something that could not be matched safely: ambiguous, or a name
   whose identifier disagrees), **invalid** (broken: the only records called *rejected*) or
   **duplicate** (another copy of a record already read, such as a study found by two
   searches: merged once, each copy listed with the one kept), each with its reasons, so that ``read =
   matched + created + out_of_scope + unmatched + invalid + duplicate`` in the build report.
5. A source **fails** the build (unless lenient) when a file of it cannot be read at all
   (missing, truncated, binary, not the format, empty), when it has no record, or when more
   than half of its records are invalid: :meth:`SourceReport.failures` says why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from lmkg.loaders.base import LoadResult, SourceItem
from lmkg.ontology import Entity
from lmkg.ontology.curie import split_curie
from lmkg.ontology.vocab import APPROVAL_TYPES

from .build import derive
from .kg import KnowledgeGraph

LIST_FIELDS = ("synonyms", "xrefs", "cns_evidence", "sources", "epidemiology", "performance",
               "routes", "phases", "conditions", "interventions", "radiotherapy", "countries",
               "registry_notes")
# Identifier schemes an entity has at most one of: a second, different value is a conflict.
SINGLE_VALUED = {"DRUGBANK", "UNII", "CAS", "INCHIKEY", "CHEMBL", "NCT", "HGNC", "PMID", "DOI"}
IGNORED_FOR_CONFLICT = {"id", "name", "description"}
APPROVAL_KINDS = frozenset(t.value for t in APPROVAL_TYPES)


OUTCOMES = ("matched", "created", "out_of_scope", "unmatched", "invalid", "duplicate")
SET_ASIDE = ("out_of_scope", "unmatched", "invalid", "duplicate")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def reason_key(reason: str) -> str:
    """A reason with its quoted values left out, to count reasons: ``Agent 'x' is not in the
    graph`` and ``Agent 'y' is not in the graph`` are one reason."""
    return _QUOTED.sub("'…'", reason)


@dataclass
class SourceReport:
    """What one source contributed to a build, record by record."""

    source: str
    path: str
    version: str | None = None
    hash: str | None = None
    read: int = 0
    matched: int = 0
    created: int = 0
    out_of_scope: int = 0
    unmatched: int = 0
    invalid: int = 0
    duplicate: int = 0
    entities_created: int = 0
    entities_enriched: int = 0
    relations_added: int = 0
    # Links a record states that the graph already held (their sources were merged in).
    relations_existing: int = 0
    # The records set aside, by outcome: {"record", "file", "line", "reasons"}.
    rows: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {k: [] for k in SET_ASIDE})
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    ambiguous: list[dict[str, Any]] = field(default_factory=list)
    # Entities a record names whose name matched but whose identifier said otherwise.
    unmatched_entities: list[dict[str, Any]] = field(default_factory=list)
    # Links of matched or created records that could not be added, with why.
    links_not_added: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)

    def set_aside(self, outcome: str, record: str | None, line: int | None,
                  reasons: list[str], file: str | None = None) -> None:
        """Count a record as out of scope, unmatched or invalid, with its reasons."""
        setattr(self, outcome, getattr(self, outcome) + 1)
        self.rows[outcome].append({"record": record, "file": file, "line": line,
                                   "reasons": reasons})

    @property
    def balanced(self) -> bool:
        return self.read == sum(getattr(self, k) for k in OUTCOMES)

    # A record is "mostly invalid" above this share: a wrong file, not a few bad rows.
    MOSTLY_INVALID = 0.5

    def failures(self) -> list[str]:
        """Why this source must not go into a build (empty when it may): files that could not
        be read, no record at all, or more than half of the records invalid."""
        out = [f"{p['file']}{':' + str(p['line']) if p.get('line') else ''}: {p['reason']}"
               for p in self.problems if p.get("severity") == "error"]
        if self.read == 0 and not out:
            out.append(f"no record read from {self.path}")
        elif self.read and self.invalid > self.MOSTLY_INVALID * self.read:
            first = self.rows["invalid"][0]
            out.append(f"{self.invalid:,} of {self.read:,} records are invalid (more than "
                       f"half; the first, {first['file'] or ''}"
                       f"{':' + str(first['line']) if first['line'] else ''} "
                       f"{first['record'] or ''}: {'; '.join(first['reasons'])}): is this a "
                       f"{self.source} file?")
        return out

    # A source of a million rows must not make a report of a million entries: every record
    # set aside is counted by reason, and the first ones are listed with their file and line.
    LISTED = 2000

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        del d["rows"]
        d["balanced"] = self.balanced
        d["failures"] = self.failures()
        for kind in SET_ASIDE:
            rows = self.rows[kind]
            counts: dict[str, int] = {}
            for row in rows:
                for why in row["reasons"]:
                    counts[reason_key(why)] = counts.get(reason_key(why), 0) + 1
            d[f"{kind}_by_reason"] = dict(sorted(counts.items(), key=lambda kv: -kv[1]))
            d[f"{kind}_rows"] = rows[: self.LISTED]
        d["listed_at_most"] = self.LISTED
        return d


class _Resolver:
    def __init__(self, kg: KnowledgeGraph, creates: frozenset[str], report: SourceReport) -> None:
        self.kg = kg
        self.creates = creates
        self.report = report
        self.mapping: dict[str, str | None] = {}
        self.new_entities: list[Entity] = []
        self.created_ids: set[str] = set()
        self.record = ""
        # How each provisional id resolved: matched, created, ambiguous, vetoed (its name
        # matched but an identifier disagreed) or absent (nothing in the graph, not created).
        self.outcome: dict[str, str] = {}
        self.vetoed = False
        self._indications: _Indications | None = None

    def find(self, ent: Entity, owner: str | None = None,
             components: frozenset[str] | None = None) -> tuple[list[str], str]:
        etype = ent.entity_type.value
        self.vetoed = False
        for x in ent.xrefs:
            hits = [h for h in self.kg.lookup(x, types=[etype])]
            if hits:
                return hits, "xref"
        names = [ent.name, *ent.synonyms]
        if etype == "Company":
            from .names import company_name

            names += [company_name(n) for n in names]
        found: list[str] = []
        for n in names:  # the first name that matches decides: full names before stripped ones
            found = self.kg.lookup(n, types=[etype])
            if found:
                break
        if not found and etype == "Company":
            # Spelling variants of one sponsor ("Merck, Sharp, & Dohme, a subsidiary of ...",
            # "Merck Sharp and Dohme Corp."): the company key of any of its names.
            from .names import company_key

            keys = self._company_keys()
            for n in [ent.name, *ent.synonyms]:
                found = sorted(keys.get(company_key(n), ()))
                if found:
                    break
        if found:
            kept = [h for h in found if not self._other_identifier(h, ent)]
            self.vetoed = not kept
            found = kept
        if not found and etype == "RegulatoryDesignation" and owner is not None:
            return self._same_designation(ent, owner), "agent+agency+type+date"
        if not found and etype == "Regimen" and components:
            return self._same_regimen(components), "components"
        return found, "name"

    def _same_regimen(self, components: frozenset[str]) -> list[str]:
        """The regimens of the graph whose components are exactly ``components``."""
        hits = []
        for reg in self.kg.ids("Regimen"):
            have = frozenset(o for _s, _p, o, _d in self.kg.out_edges(reg, "HAS_COMPONENT"))
            if have == components:
                hits.append(reg)
        return hits

    def _stated_parent(self, nid: str, ent: Entity) -> None:
        """A sponsor named "X, a subsidiary of Y" or "X (a member of the Y Group)": when Y is
        one company of the graph, X is SUBSIDIARY_OF Y, sourced to the record that says so."""
        from .names import stated_parent

        parent = stated_parent(ent.name)
        if not parent:
            return
        hits = [h for h in self.kg.lookup(parent, types=["Company"]) if h != nid]
        if not hits:
            from .names import company_key

            hits = sorted(self._company_keys().get(company_key(parent), set()) - {nid})
        if len(hits) != 1:
            return
        sources = [s.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
                   for s in ent.sources] or [{"note": f"sponsor name in {self.report.source}"}]
        self.kg.add_edge_data(nid, "SUBSIDIARY_OF", hits[0], {
            "sources": sources, "derived": "parent stated in the sponsor name",
            "note": f"the source names the sponsor {ent.name!r}"})
        self.report.relations_added += 1

    def _company_keys(self) -> dict[str, set[str]]:
        """Company key (:func:`~lmkg.graph.names.company_key`) of every company name and
        synonym in the graph -> company ids; rebuilt when the graph changed."""
        from .names import company_key

        if getattr(self, "_keys_version", None) != self.kg.version:
            keys: dict[str, set[str]] = {}
            for c in self.kg.ids("Company"):
                node = self.kg.node(c)
                for text in (node.get("name", ""), *node.get("synonyms", ())):
                    if text:
                        keys.setdefault(company_key(text), set()).add(c)
            self._keys, self._keys_version = keys, self.kg.version
        return self._keys

    def _other_identifier(self, nid: str, ent: Entity) -> bool:
        """True when ``nid`` has, for a scheme an entity has one of (DRUGBANK, NCT, ...),
        another identifier than ``ent``: the names agree but the things differ (xref beats
        name). Reported as unmatched with both identifiers."""
        mine = {split_curie(x)[0]: x for x in ent.xrefs}
        for x in self.kg.node(nid).get("xrefs", []):
            p = split_curie(x)[0]
            if p in SINGLE_VALUED and p in mine and mine[p] != x:
                self.report.unmatched_entities.append({
                    "record": self.record, "type": ent.entity_type.value, "name": ent.name,
                    "reason": f"the name matches {self.kg.name_of(nid)} ({nid}), but its {p} is "
                              f"{x} and the source's is {mine[p]}: not the same entity"})
                return True
        return False

    def _same_designation(self, ent: Entity, owner: str) -> list[str]:
        """The designations of ``owner`` that ``ent`` is: same agency, same type (a source's
        plain "approval" may be the graph's accelerated or conditional one), a compatible date,
        and the same indication (:class:`_Indications`)."""
        date = getattr(ent, "date", None)
        if not date:
            return []
        date = str(date)
        agency = getattr(ent.agency, "value", ent.agency)  # type: ignore[attr-defined]
        kind = getattr(ent.designation_type, "value", ent.designation_type)  # type: ignore[attr-defined]
        kinds = APPROVAL_KINDS if kind == "approval" else {kind}
        hits = []
        mine = self.created_ids  # this source's own records are told apart by their ids
        for _s, _k, d, _data in self.kg.out_edges(owner, "HAS_DESIGNATION"):
            if d in mine:
                continue
            node = self.kg.node(d)
            have = str(node.get("date") or "")
            if node.get("agency") == agency and node.get("designation_type") in kinds and have \
                    and (have.startswith(date) or date.startswith(have)):
                hits.append(d)
        if not hits:
            return []
        if self._indications is None:
            self._indications = _Indications(self.kg)
        return self._indications.same(getattr(ent, "indication", "") or "", sorted(hits))

    def resolve(self, ent: Entity, record: str, owner: str | None = None,
                components: frozenset[str] | None = None) -> tuple[str | None, str]:
        """Map a provisional entity to a graph id; returns (id or None, outcome).

        ``owner`` is the graph id of the agent that holds ``ent`` when it is a designation;
        ``components`` the graph ids of a regimen's agents (a regimen is matched by them).
        """
        if ent.id in self.mapping:
            mapped = self.mapping[ent.id]
            return mapped, "matched" if mapped else self.outcome[ent.id]
        self.record = record
        hits, how = self.find(ent, owner, components)
        if len(hits) > 1:
            self.report.ambiguous.append({
                "record": record, "type": ent.entity_type.value, "name": ent.name,
                "matched_by": how,
                "candidates": [f"{self.kg.name_of(h)} ({h})" for h in hits]})
            self.mapping[ent.id] = None
            self.outcome[ent.id] = "ambiguous"
            return None, "ambiguous"
        if hits:
            self.enrich(hits[0], ent, record)
            self.mapping[ent.id] = hits[0]
            self.outcome[ent.id] = "matched"
            return hits[0], "matched"
        if ent.entity_type.value in self.creates:
            provisional = nid = ent.id
            if nid in self.kg:  # same slug, other type or name: keep both, distinctly
                nid = f"{ent.id}-{self.report.source}"
                ent = ent.model_copy(update={"id": nid})
            self.kg.add_entity(ent)
            self.new_entities.append(ent)
            self.created_ids.add(nid)
            self.report.entities_created += 1
            self.mapping[provisional] = nid
            self.outcome[provisional] = "created"
            if ent.entity_type.value == "Company":
                self._stated_parent(nid, ent)
            return nid, "created"
        self.mapping[ent.id] = None
        self.outcome[ent.id] = "vetoed" if self.vetoed else "absent"
        return None, self.outcome[ent.id]

    def enrich(self, nid: str, ent: Entity, record: str) -> None:
        node = self.kg.node(nid)
        # Only the fields the source actually stated (set on the model) count.
        incoming = ent.model_dump(mode="json", exclude_none=True, exclude_unset=True)
        changed = False
        for keys, companions in type(ent).merge_groups.items():
            changed |= self._merge_group(nid, node, incoming, keys, companions,
                                         type(ent).merge_group_dates.get(keys), record)
        for k, v in incoming.items():
            if k in IGNORED_FOR_CONFLICT or v in ((), [], None):
                continue
            if k in LIST_FIELDS:
                have = list(node.get(k, []))
                if k == "xrefs":
                    prefixes = {split_curie(x)[0]: x for x in have}
                    for x in v:
                        p = split_curie(x)[0]
                        if x in have:
                            continue
                        if p in SINGLE_VALUED and p in prefixes:
                            self.conflict(nid, k, prefixes[p], x, record)
                            continue
                        have.append(x)
                        changed = True
                elif k == "synonyms":
                    from .names import normalise

                    known = {normalise(s) for s in [node.get("name", ""), *have]}
                    for s in v:
                        if normalise(s) not in known:
                            have.append(s)
                            known.add(normalise(s))
                            changed = True
                else:
                    # The same record dumped with or without its defaults is the same record.
                    seen = [_canon(x) for x in have]
                    for item in v:
                        if _canon(item) not in seen:
                            have.append(item)
                            seen.append(_canon(item))
                            changed = True
                node[k] = have
            elif k not in node:
                node[k] = v
                changed = True
            elif k == "designation_type" and v == "approval" and node[k] in APPROVAL_KINDS:
                continue  # the source's plain "approval" is the graph's more precise kind
            elif node[k] != v and not _same_text(node[k], v):
                self.conflict(nid, k, node[k], v, record)
        if changed:
            self.kg.reindex(nid)
            self.report.entities_enriched += 1

    def _merge_group(self, nid: str, node: dict[str, Any], incoming: dict[str, Any],
                     keys: tuple[str, ...], companions: tuple[str, ...], date: str | None,
                     record: str) -> bool:
        """Merge one field group (``Entity.merge_groups``); the fields it settles are removed
        from ``incoming``. True when the node changed."""
        clash = [k for k in keys if k in incoming and k in node and node[k] != incoming[k]
                 and not _same_text(node[k], incoming[k])]
        mine, theirs = (node.get(date), incoming.get(date)) if date else (None, None)
        later = bool(mine and theirs and str(theirs) > str(mine))
        fields = (*keys, *companions)
        if clash and later:  # a later reading of the same observation replaces the earlier
            for k in clash:
                self.conflict(nid, k, node[k], incoming[k], record,
                              kept=f"source (read {theirs}, after the graph's {mine})")
            for k in fields:
                node.pop(k, None)
                if k in incoming:
                    node[k] = incoming.pop(k)
            return True
        if clash:  # the graph's judgement stands whole; the source's is a conflict
            for k in clash:
                self.conflict(nid, k, node[k], incoming[k], record)
            for k in fields:
                incoming.pop(k, None)
            return False
        changed = False
        for k in companions:  # the same judgement: its companions are only filled in,
            if k not in incoming:  # or moved on to a later reading
                continue
            if k not in node or (later and date is not None):
                changed |= node.get(k) != incoming[k]
                node[k] = incoming[k]
            incoming.pop(k)
        return changed

    def conflict(self, nid: str, fieldname: str, curated: Any, value: Any, record: str,
                 kept: str = "graph (curated data is the authority)") -> None:
        self.report.conflicts.append({
            "entity": nid, "name": self.kg.name_of(nid), "field": fieldname,
            "graph_value": curated, "source_value": value, "record": record, "kept": kept})


def add_source(kg: KnowledgeGraph, name: str, result: LoadResult, creates: frozenset[str],
               path: str, hash: str | None = None) -> SourceReport:
    """Merge one external source's items into ``kg``; return its report."""
    report = SourceReport(source=name, path=path, version=result.version, hash=hash,
                          read=result.read)
    report.problems = [p.as_dict() for p in result.problems]
    for rej in result.rejected:  # set aside by the loader: invalid, or out of scope
        report.set_aside(rej.outcome, rej.record, rej.line, rej.reasons, rej.file)
    res = _Resolver(kg, creates, report)
    for item in result.items:
        _merge_item(kg, res, item, report)
    derive(kg, res.new_entities)
    return report


def _merge_item(kg: KnowledgeGraph, res: _Resolver, item: SourceItem,
                report: SourceReport) -> None:
    outcome = None
    required = [e for e in item.related if e.id in item.requires]
    for ent in required:  # scope first: nothing is created for an out-of-scope record
        res.resolve(ent, item.record)
    unresolved = [r for r in item.requires if res.mapping.get(r) is None]
    if unresolved:
        names = {e.id: f"{e.entity_type.value} {e.name!r}" for e in item.related}
        unsure = [u for u in unresolved if res.outcome.get(u) in ("ambiguous", "vetoed")]
        if unsure:
            report.set_aside("unmatched", item.record, item.line, [
                f"{_why(res.outcome[u])}: {names.get(u, u)}" for u in unsure])
        else:
            report.set_aside("out_of_scope", item.record, item.line, [
                ", ".join(names.get(u, u) for u in unresolved) + " is not in the graph"])
        return
    # A designation is identified with its agent: resolve the holders first.
    holder = {rel.object: rel.subject for rel in item.relations
              if rel.predicate.value == "HAS_DESIGNATION"}

    def owner(ent: Entity) -> str | None:
        subject = holder.get(ent.id)
        return res.mapping.get(subject) if subject else None

    parts: dict[str, set[str]] = {}
    for rel in item.relations:
        if rel.predicate.value == "HAS_COMPONENT":
            parts.setdefault(rel.subject, set()).add(rel.object)

    def components(ent: Entity) -> frozenset[str] | None:
        if ent.id not in parts:
            return None
        mapped = {res.mapping.get(p) for p in parts[ent.id]}
        return None if None in mapped else frozenset(mapped)  # type: ignore[arg-type]

    for ent in item.related:
        if ent.id not in item.requires and ent.id not in holder and ent.id not in parts:
            res.resolve(ent, item.record)
    for ent in item.related:
        if ent.id in parts and ent.id not in item.requires:
            res.resolve(ent, item.record, components=components(ent))
    for ent in item.related:
        if ent.id in holder and ent.id not in item.requires:
            res.resolve(ent, item.record, owner(ent))
    if item.entity is not None:
        ent = item.entity
        nid, outcome = res.resolve(ent, item.record, owner(ent))
        if nid is None:
            what = f"{ent.entity_type.value} {ent.name!r}"
            if outcome == "absent":
                report.set_aside("out_of_scope", item.record, item.line, [
                    Scope.out_of_scope_reason(ent.entity_type.value, ent.name,
                                              report.source)])
            else:
                report.set_aside("unmatched", item.record, item.line,
                                 [f"{_why(outcome)}: {what}"])
            return
    added, present, skipped, absent = 0, 0, [], True
    for rel in item.relations:
        s = res.mapping.get(rel.subject, rel.subject if rel.subject in kg else None)
        o = res.mapping.get(rel.object, rel.object if rel.object in kg else None)
        if s is None or o is None:
            missing = rel.subject if s is None else rel.object
            state = res.outcome.get(missing, "absent")
            absent = absent and state == "absent"
            skipped.append(f"{rel.predicate.value} {missing!r}: "
                           + ("not in the graph" if state == "absent" else _why(state)))
            continue
        if kg.type_of(s) not in {t.value for t in rel.domain} or \
                kg.type_of(o) not in {t.value for t in rel.range}:
            absent = False
            skipped.append(f"type not allowed: {rel.predicate.value} {kg.type_of(s)} -> "
                           f"{kg.type_of(o)}")
            continue
        update: dict[str, Any] = {"subject": s, "object": o}
        for fname in rel.references:  # a qualifier naming an entity (the cancer) is mapped too
            ref = getattr(rel, fname)
            if ref is None:
                continue
            mapped = res.mapping.get(ref, ref if ref in kg else None)
            update[fname] = mapped
            if mapped is None and "disease" in type(rel).model_fields:
                # Not a cancer of the graph: the association keeps the source's disease name.
                named = next((e.name for e in item.related if e.id == ref), None)
                update["disease"] = rel.disease or named  # type: ignore[attr-defined]
        if kg.add_relation(rel.model_copy(update=update)):
            added += 1
        else:
            present += 1
    report.relations_added += added
    report.relations_existing += present
    if item.entity is None:
        # A record that is only links (an evidence item): it counts if any link landed (or was
        # there already); if none could, it is about nothing in the graph (or names something
        # unsure).
        if added or present:
            report.matched += 1
        else:
            report.set_aside("out_of_scope" if absent else "unmatched", item.record,
                             item.line, skipped or ["no relation to add"])
        return
    if outcome == "created":
        report.created += 1
    else:
        report.matched += 1
    if skipped:
        report.links_not_added.append({"record": item.record, "links": skipped})


def _why(outcome: str) -> str:
    return {"ambiguous": "ambiguous, several entities match",
            "vetoed": "the name matches but an identifier differs (see unmatched_entities)",
            }.get(outcome, outcome)


class _Indications:
    """Which cancers, biomarkers and sites a regulator's indication text mentions, to tell
    two approvals of one agent on one date apart.

    A mention is a whole-word match of a name or synonym (case and punctuation ignored:
    "ROS1-positive", "non-small cell lung cancer"), or of a biomarker's gene symbol ("NTRK",
    "ROS1"). A candidate designation is the same indication when the text mentions one of its
    FOR_INDICATION targets (or, without targets, a term of its own indication text); when the
    text mentions nothing the graph knows, it cannot tell and every candidate stays.
    """

    TYPES = ("PrimaryCancer", "Biomarker", "MetastaticSite")
    LONGEST = 8  # words in the longest name looked for

    def __init__(self, kg: KnowledgeGraph) -> None:
        self.kg = kg
        self.phrases: dict[str, set[str]] = {}
        for t in self.TYPES:
            for nid in kg.ids(t):
                for key in self.keys(nid):
                    for text in self._names(nid):
                        words = _words(text)
                        if words and (len(words) > 1 or len(words[0]) >= 3):
                            self.phrases.setdefault(" ".join(words), set()).add(key)
                    if key.startswith("gene:"):
                        self.phrases.setdefault(key[5:], set()).add(key)

    def _names(self, nid: str) -> list[str]:
        node = self.kg.node(nid)
        return [node.get("name", ""), *node.get("synonyms", ())]

    def keys(self, nid: str) -> set[str]:
        """What a mention of ``nid`` stands for: itself, and for a biomarker its gene."""
        keys = {nid}
        node = self.kg.node(nid)
        if node.get("type") == "Biomarker":
            symbol = None
            gene = node.get("gene")
            if gene and gene in self.kg:
                g = self.kg.node(gene)
                symbol = g.get("symbol") or g.get("name")
            if not symbol:
                first = (node.get("name") or "").split(" ")[0]
                symbol = first if re.fullmatch(r"[A-Z][A-Z0-9]{2,}", first) else None
            if symbol and len(symbol) >= 3:
                keys.add("gene:" + " ".join(_words(symbol)))
        return keys

    def mentions(self, text: str) -> set[str]:
        words = _words(text)
        found: set[str] = set()
        for i in range(len(words)):
            for n in range(1, min(self.LONGEST, len(words) - i) + 1):
                found |= self.phrases.get(" ".join(words[i:i + n]), set())
        return found

    def of(self, designation: str) -> set[str]:
        targets = [o for _s, _k, o, _d in self.kg.out_edges(designation, "FOR_INDICATION")]
        if targets:
            return set().union(*(self.keys(t) for t in targets))
        return self.mentions(self.kg.node(designation).get("indication") or "")

    def same(self, text: str, candidates: list[str]) -> list[str]:
        said = self.mentions(text)
        if not said:
            return candidates
        scored = []
        for c in candidates:
            theirs = self.of(c)
            if not theirs:
                scored.append((0, c))  # nothing to compare: cannot rule it out
            elif theirs & said:
                scored.append((len(theirs & said), c))
        best = max((n for n, _c in scored), default=0)
        return sorted(c for n, c in scored if n == best)


def _words(text: str) -> list[str]:
    import unicodedata

    t = unicodedata.normalize("NFKC", text).casefold()
    return re.findall(r"[0-9a-z]+", t)


def _canon(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _canon(v) for k, v in value.items() if v not in (None, False, [], ())}
    return value


def _same_text(a: Any, b: Any) -> bool:
    """Two texts that differ only in case, spacing or punctuation ("... cancer" and
    "... cancer.") say the same thing: not a conflict."""
    if not isinstance(a, str) or not isinstance(b, str):
        return False
    from .names import normalise

    return normalise(a) == normalise(b)


@dataclass(frozen=True)
class Scope:
    """What entities of each type could match: their normalised names and their identifiers.

    Handed to loaders (option ``scope``) so that a row which cannot match anything in the graph
    is rejected while it is read, with the reason the merge would give, instead of being turned
    into ontology objects first. It is a necessary condition only: a row that passes is still
    matched by the full rule. The scope is the graph *before* the source: a row that only a
    name added by an earlier row of the same source would match (a chained match through a
    trade name) is out of scope.
    """

    names: dict[str, frozenset[str]]
    xrefs: dict[str, frozenset[str]]

    def may_match(self, etype: str, names: Iterable[str], xrefs: Iterable[str] = ()) -> bool:
        from .names import company_key, company_name, normalise

        known = self.names.get(etype, frozenset())
        for n in names:
            if n and (normalise(n) in known
                      or (etype == "Company" and (normalise(company_name(n)) in known
                                                  or company_key(n) in known))):
                return True
        ids = self.xrefs.get(etype, frozenset())
        return any(x.casefold() in ids for x in xrefs if x)

    def names_of(self, etype: str) -> frozenset[str]:
        """The normalised names and synonyms of every entity of ``etype``."""
        return self.names.get(etype, frozenset())

    def has_xref(self, etype: str, xref: str) -> bool:
        return xref.casefold() in self.xrefs.get(etype, frozenset())

    @staticmethod
    def normalise(text: str) -> str:
        """The name normalisation the graph matches with (``lmkg.graph.names.normalise``), for
        loaders that look for the graph's names inside free text."""
        from .names import normalise

        return normalise(text)

    @staticmethod
    def out_of_scope_reason(etype: str, name: str, source: str) -> str:
        """Why a row whose entity matches nothing, of a type the source may not create, is
        set aside (the same words whether the scope or the merge finds it)."""
        return f"nothing in the graph matches {etype} {name!r} ({source} does not create {etype}s)"


def scope_for(kg: KnowledgeGraph) -> Scope:
    """The :class:`Scope` of a graph: every type's normalised names/synonyms and xrefs."""
    from .names import company_key, normalise

    names: dict[str, set[str]] = {}
    xrefs: dict[str, set[str]] = {}
    for nid, d in kg.g.nodes(data=True):
        t = d["type"]
        bucket = names.setdefault(t, set())
        for text in (d.get("name", ""), *d.get("synonyms", ()), nid.split("/", 1)[1]):
            if text:
                bucket.add(normalise(text))
                if t == "Company":
                    bucket.add(company_key(text))
        xb = xrefs.setdefault(t, set())
        for x in d.get("xrefs", ()):
            xb.add(x.casefold())
    return Scope({t: frozenset(v) for t, v in names.items()},
                 {t: frozenset(v) for t, v in xrefs.items()})
