"""CIViC clinical evidence: the nightly ``ClinicalEvidenceSummaries.tsv``, the GraphQL JSON
shape (a document with ``evidence`` and ``molecular_profiles``, or single evidence items), and
CIViC-derived gene-drug rows (``gene_symbol, entrez_gene_id, drug_name, interaction_type``).

A predictive evidence item becomes a predictive association, ``Biomarker -PREDICTS_RESPONSE->
Agent`` (one per therapy; for a combination, one to the ``Regimen`` of its therapies), in the
item's disease, with

- ``direction``: sensitivity (significance sensitivity/response) or resistance (resistance,
  reduced sensitivity): resistance evidence is kept, as resistance;
- ``evidence_direction``: supports, or refutes for CIViC's "does not support";
- ``tier`` from the CIViC level: A (validated) -> guideline, B (clinical) -> clinical_trial,
  C (case study) -> case_report, D (preclinical) and E (inferential) -> preclinical; and
  ``level``, ``rating`` and ``significance`` as CIViC gives them;
- ``cancer``: the disease, matched to a cancer of the graph (DOID, then name); when none
  matches, the association keeps the disease's name (``disease``) and no cancer.

The item also gives ``Biomarker -OCCURS_IN-> cancer``. Everything is sourced with the CIViC
evidence id and a note carrying level, direction, significance, rating and citation. Other
evidence (prognostic, diagnostic, predisposing, adverse response) is rejected with its reason.
A gene-drug row (a drug-gene interaction table, not a statement of mechanism) becomes
``Agent -INTERACTS_WITH-> Gene`` with its interaction type, never ``TARGETS``.
CIViC creates only regimens (a combination of agents already in the graph, matched by name
or by its components); agents, biomarkers, genes and cancers are matched (xref: NCIt for
therapies, DOID for diseases; then name and aliases) and unmatched ones are reported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from lmkg.ontology import BY_PREDICATE, Agent, Biomarker, RelationType, SourceRef
from lmkg.ontology.entities import Gene, PrimaryCancer, Regimen

from .base import (
    INVALID,
    OUT_OF_SCOPE,
    LoadResult,
    Problem,
    Rejected,
    SourceItem,
    iter_files,
    paused_gc,
    read_json,
    read_table,
    register,
    slug,
)

TSV_COLUMNS = {"molecular_profile", "therapies", "disease", "doid", "evidence_type",
               "evidence_direction", "evidence_level", "significance", "citation_id",
               "source_type", "rating", "evidence_id", "evidence_status"}
DGI_COLUMNS = {"gene_symbol", "entrez_gene_id", "drug_name", "interaction_type"}
TIER_OF_LEVEL = {"A": "guideline", "B": "clinical_trial", "C": "case_report", "D": "preclinical",
                 "E": "preclinical"}
COMBINATION = {"COMBINATION"}
SUBSTITUTES = {"SUBSTITUTES", ""}


def _token(value: Any) -> str:
    """CIViC's enum spellings (GraphQL ``SENSITIVITYRESPONSE``, TSV ``Sensitivity/Response``,
    ``Does Not Support``) as one upper-case token without spaces or slashes."""
    return "".join(ch for ch in str(value or "").upper() if ch.isalnum() or ch == "_")


def _significance(value: Any) -> str:
    tok = _token(value).replace("_", "")
    if tok in {"SENSITIVITYRESPONSE", "SENSITIVITY", "RESPONSE"}:
        return "sensitivity"
    if tok in {"RESISTANCE", "REDUCEDSENSITIVITY"}:
        return "resistance"
    return ""


def _citation(source_type: str | None, citation_id: str | None) -> str | None:
    if not citation_id:
        return None
    if (source_type or "").upper() == "PUBMED" and citation_id.isdigit():
        return f"PMID:{citation_id}"
    return None


class CivicLoader:
    name = "civic"
    description = "CIViC evidence (nightly TSV, GraphQL JSON) and CIViC gene-drug rows"
    creates: frozenset[str] = frozenset({"Regimen"})

    @paused_gc
    def load(self, path: Path, **options: Any) -> LoadResult:
        result = LoadResult(source=self.name, version=options.get("version"))
        self._scope = options.get("scope")
        files = iter_files(Path(path), (".tsv", ".json"))
        if not files:
            result.problems.append(Problem(str(path), None, None, None,
                                           "no .tsv or .json files found"))
        # Molecular profiles named in any JSON document name the profiles of every file (a
        # single evidence item exported alone carries only its profile's id).
        docs = {f: read_json(f, result) for f in files if f.suffix == ".json"}
        self._profiles: dict[Any, str] = {}
        for doc in docs.values():
            if isinstance(doc, dict):
                for mp in doc.get("molecular_profiles") or []:
                    if isinstance(mp, dict) and "id" in mp and mp.get("name"):
                        self._profiles[mp["id"]] = mp["name"]
        for f in files:
            if f.suffix == ".json":
                self._json(f, docs[f], result)
            else:
                self._tsv(f, result)
        return result

    # -- the evidence record, whatever the format ----------------------------------------------
    def _evidence(self, shown: str, line: int | None, result: LoadResult, *, eid: str,
                  profile: str | None, therapies: list[dict[str, Any]], disease: dict[str, Any],
                  evidence_type: str, direction: str, level: str, significance: str,
                  rating: Any, citation: str | None, status: str | None, raw: Any,
                  interaction: str | None = None) -> None:
        record = f"EID{eid}"
        reasons = []
        response = _significance(significance)
        level = (level or "").strip().upper()
        combination = _token(interaction) in COMBINATION and len(therapies) > 1
        if _token(evidence_type) != "PREDICTIVE":
            reasons.append(f"not predictive evidence ({evidence_type})")
        elif not response:
            reasons.append(f"predictive evidence of {significance}, neither sensitivity nor "
                           "resistance")
        if status and status.lower() not in ("accepted",):
            reasons.append(f"evidence status is {status}, not accepted")
        if not profile:
            reasons.append("molecular profile not named in the file")
        if not therapies:
            reasons.append("no therapy")
        if _token(interaction) not in COMBINATION | SUBSTITUTES:
            reasons.append(f"therapy interaction {interaction} is not modelled "
                           "(combination and substitutes are)")
        if level not in TIER_OF_LEVEL and not reasons:
            reasons.append(f"evidence level {level or '(none)'} is not one of A-E")
        if reasons:
            # Prognostic or diagnostic evidence, unaccepted items, interactions lmkg does not
            # model: sound CIViC records that lmkg does not take; an item without a profile or
            # a therapy, or with a level that is not A-E, is broken.
            broken = ("molecular profile not named", "no therapy", "evidence level ")
            kept_out = [r for r in reasons if not r.startswith(broken)]
            result.rejected.append(Rejected(shown, line, record, raw, reasons,
                                            OUT_OF_SCOPE if kept_out else INVALID))
            return
        scope = self._scope
        if scope is not None:
            doid = str(disease.get("doid") or "").strip()
            bio_ok = scope.may_match("Biomarker", (profile,))
            matches = [scope.may_match("Agent", (t["name"], *(t.get("aliases") or [])),
                                       [f"NCIT:{t['ncit_id']}"] if t.get("ncit_id") else [])
                       for t in therapies]
            drug_ok = all(matches) if combination else any(matches)
            cancer_ok = scope.may_match(
                "PrimaryCancer", (disease.get("name") or "", *(disease.get("aliases") or [])),
                [f"DOID:{doid}"] if doid.isdigit() else [])
            if not bio_ok or not (drug_ok or cancer_ok):
                # Neither an association nor OCCURS_IN could land: what the merge would reject.
                result.rejected.append(Rejected(shown, line, record, None, [
                    f"unresolved: biomarker {profile!r}"
                    + ("" if bio_ok else " is not in the graph")
                    + ("" if not bio_ok else "; none of its therapies nor its disease is in "
                       "the graph")], OUT_OF_SCOPE))
                return
        evidence_direction = "refutes" if _token(direction) == "DOES_NOT_SUPPORT" or \
            _token(direction) == "DOESNOTSUPPORT" else "supports"
        sig_text = " ".join(str(significance).replace("_", " ").split()).lower()
        if sig_text == "sensitivityresponse":
            sig_text = "sensitivity/response"
        if sig_text == "reducedsensitivity":
            sig_text = "reduced sensitivity"
        note = (f"CIViC {record}: level {level}, {direction} {significance}, rating {rating}, "
                f"{profile} in {disease.get('name') or '?'}"
                + (f", {' + '.join(t['name'] for t in therapies)}" if combination else "")
                + (f"; citation {citation}" if citation else ""))
        src = SourceRef(id=f"CIVIC.EID:{eid}", dataset=self.name, version=result.version,
                        record=record, note=note, scope="general")
        rating_value = int(rating) if str(rating or "").strip().isdigit() \
            and 1 <= int(rating) <= 5 else None
        try:
            biomarker = Biomarker(id=f"lmkg:biomarker/{slug(profile)}", name=profile)
            related: list[Any] = [biomarker]
            relations = []
            requires: list[str] = []
            cancer = None
            if disease.get("name"):
                doid = str(disease.get("doid") or "").strip()
                cancer = PrimaryCancer(
                    id=f"lmkg:cancer/{slug(disease['name'])}", name=disease["name"],
                    synonyms=tuple(a for a in disease.get("aliases") or [] if a != disease["name"]),
                    xrefs=(f"DOID:{doid}",) if doid.isdigit() else ())
                related.append(cancer)
                relations.append(BY_PREDICATE[RelationType.OCCURS_IN](
                    subject=biomarker.id, object=cancer.id, sources=[src]))
            agents = []
            for t in therapies:
                xrefs = (f"NCIT:{t['ncit_id']}",) if t.get("ncit_id") else ()
                aliases = tuple(dict.fromkeys(a for a in t.get("aliases") or [] if a != t["name"]))
                agent = Agent(id=f"lmkg:agent/{slug(t['name'])}", name=t["name"],
                              synonyms=aliases, xrefs=xrefs)
                related.append(agent)
                agents.append(agent)
            association = dict(
                direction=response, tier=TIER_OF_LEVEL[level], level=level,
                rating=rating_value, significance=sig_text,
                evidence_direction=evidence_direction,
                cancer=cancer.id if cancer else None, sources=[src])
            predicts = BY_PREDICATE[RelationType.PREDICTS_RESPONSE]
            if combination:
                names = [a.name.lower() for a in agents]
                regimen = Regimen(id=f"lmkg:regimen/{slug(' + '.join(sorted(names)))}",
                                  name=" + ".join(names), sources=(src,))
                related.append(regimen)
                requires = [a.id for a in agents]  # a regimen only of agents in the graph
                relations.extend(BY_PREDICATE[RelationType.HAS_COMPONENT](
                    subject=regimen.id, object=a.id, sources=[src]) for a in agents)
                relations.append(predicts(subject=biomarker.id, object=regimen.id,
                                          **association))
            else:
                relations.extend(predicts(subject=biomarker.id, object=a.id, **association)
                                 for a in agents)
        except (ValidationError, KeyError, TypeError) as exc:
            result.rejected.append(Rejected(shown, line, record, raw, [f"malformed: {exc}"]))
            return
        result.items.append(SourceItem(record=record, entity=None, related=related,
                                       relations=relations, line=line, requires=requires))

    # -- GraphQL JSON --------------------------------------------------------------------------
    def _json(self, f: Path, doc: Any, result: LoadResult) -> None:
        shown = f.name
        if doc is None:
            return
        profiles = self._profiles
        if isinstance(doc, dict) and "evidence" in doc:
            items = doc["evidence"]
        elif isinstance(doc, dict):
            items = [doc]
        elif isinstance(doc, list):
            items = doc
        else:
            result.problems.append(Problem(shown, None, None, None,
                                           "expected CIViC evidence items or a document with 'evidence'"))
            return
        for ev in items:
            result.read += 1
            if not isinstance(ev, dict) or "id" not in ev:
                result.rejected.append(Rejected(shown, None, None, ev, ["not a CIViC evidence item"]))
                continue
            mp = ev.get("molecular_profile")
            profile = mp.get("name") if isinstance(mp, dict) else profiles.get(ev.get("molecular_profile_id"))
            src = ev.get("source") or {}
            self._evidence(
                shown, None, result, eid=str(ev["id"]), profile=profile,
                therapies=[t for t in ev.get("therapies") or [] if isinstance(t, dict) and t.get("name")],
                disease=ev.get("disease") or {}, evidence_type=ev.get("evidence_type", ""),
                direction=ev.get("evidence_direction", ""), level=ev.get("evidence_level", ""),
                significance=ev.get("significance", ""), rating=ev.get("rating"),
                citation=_citation(src.get("source_type"), src.get("citation_id")),
                status=ev.get("status"), raw={"id": ev["id"], "name": ev.get("name")},
                interaction=ev.get("therapy_interaction_type"))

    # -- TSV: nightly evidence summaries, or gene-drug rows ------------------------------------
    def _tsv(self, f: Path, result: LoadResult) -> None:
        shown = f.name
        kind: list[str] = []

        def header_error(header: set[str]) -> str | None:
            if TSV_COLUMNS <= header:
                kind.append("evidence")
            elif DGI_COLUMNS <= header:
                kind.append("gene-drug")
            else:
                return ("neither CIViC ClinicalEvidenceSummaries "
                        f"({', '.join(sorted(TSV_COLUMNS - header))} missing) nor gene-drug rows")
            return None

        def on_row(line: int, row: dict[str, str]) -> None:
            if kind[0] == "evidence":
                self._tsv_evidence(shown, line, row, result)
            else:
                self._gene_drug(shown, line, row, result)

        read_table(f, result, delimiter="\t", what="a CIViC TSV", header_error=header_error,
                   on_row=on_row)

    def _tsv_evidence(self, shown: str, line: int, row: dict[str, str], result: LoadResult) -> None:
        therapies = [{"name": t.strip()} for t in (row.get("therapies") or "").split(",") if t.strip()]
        self._evidence(
            shown, line, result, eid=(row.get("evidence_id") or "").strip() or f"row{line}",
            profile=(row.get("molecular_profile") or "").strip(), therapies=therapies,
            disease={"name": (row.get("disease") or "").strip(), "doid": row.get("doid")},
            evidence_type=row.get("evidence_type", ""), direction=row.get("evidence_direction", ""),
            level=row.get("evidence_level", ""), significance=row.get("significance", ""),
            rating=row.get("rating"),
            citation=_citation(row.get("source_type"), (row.get("citation_id") or "").strip()),
            status=row.get("evidence_status"), raw=dict(row),
            interaction=row.get("therapy_interaction_type"))

    def _gene_drug(self, shown: str, line: int, row: dict[str, str], result: LoadResult) -> None:
        symbol = (row.get("gene_symbol") or "").strip()
        drug = (row.get("drug_name") or "").strip()
        record = f"{shown}:{line}"
        if not symbol or not drug:
            result.rejected.append(Rejected(shown, line, record, dict(row),
                                            ["gene_symbol or drug_name is empty"]))
            return
        entrez = (row.get("entrez_gene_id") or "").strip()
        kind = (row.get("interaction_type") or "").strip()
        src = SourceRef(url="https://civicdb.org", dataset=self.name, version=result.version,
                        record=record, scope="general",
                        note=f"CIViC gene-drug row: {drug} - {symbol} "
                             f"({kind or 'N/A'}); a drug-gene interaction, not a mechanism")
        gene = Gene(id=f"lmkg:gene/{slug(symbol)}", name=symbol, symbol=symbol,
                    xrefs=(f"NCBIGENE:{entrez}",) if entrez.isdigit() else ())
        agent = Agent(id=f"lmkg:agent/{slug(drug)}", name=drug)
        rel = BY_PREDICATE[RelationType.INTERACTS_WITH](
            subject=agent.id, object=gene.id, sources=[src],
            interaction_type=kind if kind and kind.upper() not in ("N/A", "NA") else None)
        result.items.append(SourceItem(record=record, entity=None, related=[gene, agent],
                                       relations=[rel], line=line))


@register("civic")
def _factory() -> CivicLoader:
    return CivicLoader()
