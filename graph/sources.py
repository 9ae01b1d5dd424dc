"""Adding external sources to the curated graph: identity resolution, provenance, the report.

The rule, the same for every source:

1. An entity from a source is matched to an existing entity of the same type by **xref first**
   (``DRUGBANK:DB09330``, ``NCT:NCT02228369``, ...), then by **normalised name or synonym**.
   A regulatory designation, whose name is free text, is also matched by what identifies it:
   the same agent (its HAS_DESIGNATION subject), agency and type, and a compatible date (equal,
   or one a prefix of the other: curated ``2017-06`` and the FDA's ``2017-06-05``).
   Several candidates make it *ambiguous*: reported with the candidates, never guessed.
2. An unmatched entity is **created** only when the source is authoritative for its type (the
   loader's ``creates``: ClinicalTrials.gov for trials and sponsors, the FDA for designations,
   ...); otherwise it is reported as unmatched and nothing is invented.
3. A matched entity is **enriched**: new synonyms, xrefs, CNS-evidence records and the
   source's provenance are added; a field the curated data already sets is kept, and a source
   value that differs is listed as a **conflict** (the curated data is the authority).
4. Each input record ends as exactly one of matched, created or rejected (with its reasons),
   so that ``read = matched + created + rejected`` in the build report.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from lmkg.loaders.base import LoadResult, SourceItem
from lmkg.ontology import Entity
from lmkg.ontology.curie import split_curie

from .build import derive
from .kg import KnowledgeGraph

LIST_FIELDS = ("synonyms", "xrefs", "cns_evidence", "sources", "epidemiology", "performance",
               "routes", "phases", "conditions", "interventions", "radiotherapy", "countries",
               "registry_notes")
# Identifier schemes an entity has at most one of: a second, different value is a conflict.
SINGLE_VALUED = {"DRUGBANK", "UNII", "CAS", "INCHIKEY", "CHEMBL", "NCT", "HGNC", "PMID", "DOI"}
IGNORED_FOR_CONFLICT = {"id", "name", "description"}


@dataclass
class SourceReport:
    """What one source contributed to a build."""

    source: str
    path: str
    version: str | None = None
    read: int = 0
    matched: int = 0
    created: int = 0
    rejected: int = 0
    entities_created: int = 0
    entities_enriched: int = 0
    relations_added: int = 0
    # Links the record states that the graph already held (their sources were merged in).
    relations_existing: int = 0
    # Repeated copies of a record already read (counted in ``read``, merged once).
    duplicates: int = 0
    rejections: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    ambiguous: list[dict[str, Any]] = field(default_factory=list)
    unmatched: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        return self.read == self.matched + self.created + self.rejected + self.duplicates

    # A source of a million rows must not make a report of a million entries: every rejection
    # is counted by reason, and the first ones are listed with their record and line.
    LISTED = 2000

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["balanced"] = self.balanced
        by_reason: dict[str, int] = {}
        for rej in self.rejections:
            for why in rej["reasons"]:
                key = why.split(":")[0]
                by_reason[key] = by_reason.get(key, 0) + 1
        d["rejections_by_reason"] = dict(sorted(by_reason.items(), key=lambda kv: -kv[1]))
        d["rejections_total"] = len(self.rejections)
        d["rejections_listed"] = min(len(self.rejections), self.LISTED)
        d["rejections"] = d["rejections"][: self.LISTED]
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

    def find(self, ent: Entity, owner: str | None = None,
             components: frozenset[str] | None = None) -> tuple[list[str], str]:
        etype = ent.entity_type.value
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
            found = [h for h in found if not self._other_identifier(h, ent)]
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
                self.report.unmatched.append({
                    "record": self.record, "type": ent.entity_type.value, "name": ent.name,
                    "reason": f"the name matches {self.kg.name_of(nid)} ({nid}), but its {p} is "
                              f"{x} and the source's is {mine[p]}: not the same entity"})
                return True
        return False

    def _same_designation(self, ent: Entity, owner: str) -> list[str]:
        """The designations of ``owner`` with ``ent``'s agency and type and a compatible date."""
        date = getattr(ent, "date", None)
        if not date:
            return []
        date = str(date)
        agency = getattr(ent.agency, "value", ent.agency)  # type: ignore[attr-defined]
        kind = getattr(ent.designation_type, "value", ent.designation_type)  # type: ignore[attr-defined]
        hits = []
        mine = self.created_ids  # this source's own records are told apart by their ids
        for _s, _k, d, _data in self.kg.out_edges(owner, "HAS_DESIGNATION"):
            if d in mine:
                continue
            node = self.kg.node(d)
            have = str(node.get("date") or "")
            if node.get("agency") == agency and node.get("designation_type") == kind and have \
                    and (have.startswith(date) or date.startswith(have)):
                hits.append(d)
        return sorted(hits)

    def resolve(self, ent: Entity, record: str, owner: str | None = None,
                components: frozenset[str] | None = None) -> tuple[str | None, str]:
        """Map a provisional entity to a graph id; returns (id or None, outcome).

        ``owner`` is the graph id of the agent that holds ``ent`` when it is a designation;
        ``components`` the graph ids of a regimen's agents (a regimen is matched by them).
        """
        if ent.id in self.mapping:
            mapped = self.mapping[ent.id]
            return mapped, "matched" if mapped else "unmatched"
        self.record = record
        hits, how = self.find(ent, owner, components)
        if len(hits) > 1:
            self.report.ambiguous.append({
                "record": record, "type": ent.entity_type.value, "name": ent.name,
                "matched_by": how,
                "candidates": [f"{self.kg.name_of(h)} ({h})" for h in hits]})
            self.mapping[ent.id] = None
            return None, "ambiguous"
        if hits:
            self.enrich(hits[0], ent, record)
            self.mapping[ent.id] = hits[0]
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
            if ent.entity_type.value == "Company":
                self._stated_parent(nid, ent)
            return nid, "created"
        self.report.unmatched.append({"record": record, "type": ent.entity_type.value,
                                      "name": ent.name,
                                      "reason": f"no {ent.entity_type.value} in the graph has "
                                                f"this name or xref, and {self.report.source} "
                                                f"does not create {ent.entity_type.value}s"})
        self.mapping[ent.id] = None
        return None, "unmatched"

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
               path: str) -> SourceReport:
    """Merge one external source's items into ``kg``; return its report."""
    report = SourceReport(source=name, path=path, version=result.version, read=result.read)
    report.problems = [p.as_dict() for p in result.problems]
    for rej in result.rejected:
        if rej.reasons and all(r.startswith("duplicate:") for r in rej.reasons):
            # Another copy of a record already read: counted apart (it is not invalid) and
            # listed as a warning, so that read = matched + created + rejected + duplicates.
            report.duplicates += 1
            report.problems.append({"file": rej.file, "line": rej.line, "record": rej.record,
                                    "field": None, "reason": rej.reasons[0],
                                    "severity": "warning"})
            continue
        report.rejected += 1
        report.rejections.append({"record": rej.record, "line": rej.line,
                                  "reasons": rej.reasons})
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
        report.rejected += 1
        report.rejections.append({"record": item.record, "line": item.line, "reasons": [
            "out of scope: " + ", ".join(names.get(u, u) for u in unresolved)
            + " is not in the graph"]})
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
        nid, outcome = res.resolve(item.entity, item.record, owner(item.entity))
        if nid is None:
            why = ("ambiguous: several entities match " if outcome == "ambiguous"
                   else "unmatched: nothing in the graph matches ")
            report.rejected += 1
            report.rejections.append({"record": item.record, "line": item.line,
                                      "reasons": [why + f"{item.entity.entity_type.value} "
                                                  f"{item.entity.name!r}"]})
            return
    added, present, skipped = 0, 0, []
    for rel in item.relations:
        s = res.mapping.get(rel.subject, rel.subject if rel.subject in kg else None)
        o = res.mapping.get(rel.object, rel.object if rel.object in kg else None)
        if s is None or o is None:
            missing = rel.subject if s is None else rel.object
            skipped.append(f"unresolved: {rel.predicate.value} {missing} is not in the graph")
            continue
        if kg.type_of(s) not in {t.value for t in rel.domain} or \
                kg.type_of(o) not in {t.value for t in rel.range}:
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
        # A record that is only links (an evidence item): it counts if any link landed.
        if added or present:
            report.matched += 1
        else:
            report.rejected += 1
            report.rejections.append({"record": item.record, "line": item.line,
                                      "reasons": skipped or ["no relation could be added"]})
        return
    if outcome == "created":
        report.created += 1
    else:
        report.matched += 1
    if skipped:
        report.unmatched.append({"record": item.record, "links_not_added": skipped})


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
    def unmatched_reason(etype: str, name: str, source: str) -> str:
        return (f"unmatched: nothing in the graph matches {etype} {name!r} "
                f"({source} does not create {etype}s)")


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
