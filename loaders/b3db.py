"""B3DB blood-brain-barrier permeability (Meng et al., Sci Data 8:289, 2021).

Reads the classification TSVs (``BBB+/BBB-`` label, ``logBB`` where measured) and the
regression TSV (numeric ``logBB``), streaming row by row. Each row becomes *preclinical* CNS
evidence on the agent it names: a BBB+ label or a logBB >= -1 supports CNS penetration, a BBB-
label or a logBB < -1 refutes it (B3DB's own threshold). B3DB creates nothing: a compound that
matches no agent in the graph is reported as unmatched. A compound listed twice with conflicting
labels (thiotepa, paclitaxel) is reported as a warning and both rows are kept as evidence.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from lmkg.ontology import Agent, CNSEvidence, SourceRef
from lmkg.ontology.vocab import EvidenceDirection

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

URL = "https://github.com/theochem/B3DB"
REQUIRED = {"compound_name", "logBB"}
LOGBB_THRESHOLD = -1.0  # B3DB: logBB >= -1 is BBB+, < -1 is BBB-


class B3DBLoader:
    name = "b3db"
    description = "B3DB blood-brain-barrier permeability TSVs (preclinical CNS evidence)"
    creates: frozenset[str] = frozenset()

    @paused_gc
    def load(self, path: Path, **options: Any) -> LoadResult:
        result = LoadResult(source=self.name, version=options.get("version", "B3DB (Meng 2021)"))
        self._scope = options.get("scope")
        files = iter_files(Path(path), (".tsv",))
        if not files:
            result.problems.append(Problem(str(path), None, None, None, "no .tsv files found"))
        labels: dict[str, list[tuple[str, str, bool]]] = {}
        for f in files:
            self._read(f, result, labels)
        for key, seen in labels.items():
            # A conflict is BBB+ and BBB- for one name (a logBB counts by B3DB's threshold),
            # not the same verdict stated twice or as a label and a number.
            if len({supports for _, _, supports in seen}) > 1:
                where = ", ".join(f"{lab} at {rec}" for lab, rec, _ in seen)
                result.problems.append(Problem(
                    str(path), None, key, "BBB+/BBB-",
                    f"conflicting BBB labels for {key}: {where}; all kept as evidence",
                    severity="warning"))
        return result

    def _read(self, f: Path, result: LoadResult, labels: dict[str, list[tuple[str, str, bool]]]) -> None:
        shown = f.name
        columns: set[str] = set()
        required = missing_columns(REQUIRED)

        def header_error(header: set[str]) -> str | None:
            columns.update(header)
            return required(header)

        read_table(f, result, delimiter="\t", what="a B3DB TSV", header_error=header_error,
                   on_row=lambda line, row: self._row(shown, line, row, "BBB+/BBB-" in columns,
                                                      result, labels))

    def _templates(self, version: str | None) -> tuple[SourceRef, CNSEvidence]:
        cached = getattr(self, "_tpl", None)
        if cached is None or cached[0] != version:
            src = SourceRef(url=URL, title="B3DB: blood-brain barrier database",
                            dataset=self.name, version=version, record="-", scope="cns",
                            note="-")
            ev = CNSEvidence(level="preclinical", metric="-", value="-",
                             population="B3DB curated literature value",
                             direction="supports", source=src)
            self._tpl = cached = (version, src, ev)
        return cached[1], cached[2]

    def _row(self, shown: str, line: int, row: dict[str, str], has_label: bool,
             result: LoadResult, labels: dict[str, list[tuple[str, str, bool]]]) -> None:
        # A few names hold a line break inside their quotes (four rows of the classification
        # and regression files): the name is its words, on one line.
        name = " ".join((row.get("compound_name") or "").split())
        record = f"{shown}:{row.get('NO.') or line}"
        cid = (row.get("CID") or "").strip().rstrip("|").split("|")[0].split(".")[0]
        xrefs = [f"PUBCHEM.COMPOUND:{cid}"] if cid.isdigit() else []
        if not name and not xrefs:
            # A sound row (B3DB gives these compounds by IUPAC name and SMILES only), but
            # lmkg matches compounds by name or PubChem CID: nothing to match it by.
            result.rejected.append(Rejected(shown, line, record, None, [
                "no compound_name and no CID (IUPAC name and SMILES only): nothing lmkg "
                "matches a compound by"], OUT_OF_SCOPE))
            return
        # A compound B3DB names only by IUPAC name and SMILES is still matched by its CID.
        name = name or f"PubChem CID {cid}"
        label = (row.get("BBB+/BBB-") or "").strip() if has_label else ""
        raw_logbb = (row.get("logBB") or "").strip()
        logbb: float | None = None
        if raw_logbb:
            try:
                logbb = float(raw_logbb)
            except ValueError:
                result.rejected.append(Rejected(shown, line, record, dict(row),
                                                [f"logBB {raw_logbb!r} is not a number"]))
                return
        if label not in ("BBB+", "BBB-", ""):
            result.rejected.append(Rejected(shown, line, record, dict(row),
                                            [f"BBB+/BBB- is {label!r}, expected BBB+ or BBB-"]))
            return
        if not label and logbb is None:
            result.rejected.append(Rejected(shown, line, record, dict(row),
                                            ["neither a BBB label nor a logBB value"]))
            return
        if label:
            supports = label == "BBB+"
            metric, value = "BBB permeability label (B3DB)", label
            if logbb is not None:
                value += f" (logBB {logbb:g})"
        else:
            supports = logbb >= LOGBB_THRESHOLD  # type: ignore[operator]
            metric, value = "logBB (B3DB)", f"{logbb:g}"
        labels.setdefault(name.casefold(), []).append(
            (label or f"logBB {logbb:g}", record, supports))
        scope = self._scope
        if scope is not None and not scope.may_match("Agent", (name,), xrefs):
            result.rejected.append(Rejected(shown, line, record, None, [
                scope.out_of_scope_reason("Agent", name, self.name)], OUT_OF_SCOPE))
            return
        # Copies of templates validated once per load: only plain text changes per row
        # (validating the constant URL and enums again is most of a row's cost).
        src_t, ev_t = self._templates(result.version)
        src = src_t.model_copy(update={
            "record": record,
            "note": f"B3DB row {record}: {metric} {value}; reference {row.get('reference') or '-'}"})
        evidence = ev_t.model_copy(update={
            "metric": metric, "value": value, "source": src,
            "direction": EvidenceDirection.SUPPORTS if supports else EvidenceDirection.REFUTES})
        try:
            agent = Agent(id=f"lmkg:agent/{slug(name)}", name=name, xrefs=tuple(xrefs),
                          cns_evidence=(evidence,), sources=(src,))
        except ValidationError as exc:  # e.g. a name broken over two lines in the file
            err = exc.errors()[0]
            result.rejected.append(Rejected(shown, line, record, dict(row), [
                f"field {'.'.join(map(str, err['loc']))}: {err['msg'].removeprefix('Value error, ')}"]))
            return
        result.items.append(SourceItem(record=record, entity=agent, line=line))


@register("b3db")
def _factory() -> B3DBLoader:
    return B3DBLoader()
