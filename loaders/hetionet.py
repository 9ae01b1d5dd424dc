"""Hetionet v1.0's node list (hetio/hetionet, CC0): identifiers for the genes, compounds and
diseases lmkg already has.

The file is a TSV of ``id, name, kind`` (47,031 rows); ids are ``Gene::<Entrez id>``,
``Compound::<DrugBank id>`` and ``Disease::DOID:<n>``. Hetionet creates nothing in lmkg: a
Gene, Compound or Disease row whose name is the name, symbol or synonym of an lmkg gene, agent
or cancer adds its identifier to it as an xref (``NCBIGENE:``, ``DRUGBANK:``, ``DOID:``), with
the row as the source; the merge's identity rule applies (an identifier that disagrees with one
the entity already has vetoes the match, and the conflict is listed). Other kinds are out of
scope. Joining lmkg with Hetionet by these identifiers is then
:func:`lmkg.graph.query.hetionet.join_hetionet`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from lmkg.ontology import Agent, Gene, PrimaryCancer, SourceRef
from lmkg.ontology.curie import PREFIXES

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

URL = "https://github.com/hetio/hetionet"
# Hetionet kind -> (lmkg type, CURIE prefix of the id, how the id reads after "Kind::")
KINDS = {"Gene": ("Gene", "NCBIGENE", ""), "Compound": ("Agent", "DRUGBANK", ""),
         "Disease": ("PrimaryCancer", "DOID", "DOID:")}


class HetionetLoader:
    name = "hetionet"
    description = "Hetionet v1.0 node list: Entrez, DrugBank and DOID ids for genes, agents, cancers"
    creates: frozenset[str] = frozenset()

    @paused_gc
    def load(self, path: Path, **options: Any) -> LoadResult:
        result = LoadResult(source=self.name, version=options.get("version", "Hetionet v1.0"))
        self._scope = options.get("scope")
        files = iter_files(Path(path), (".tsv",))
        if not files:
            result.problems.append(Problem(str(path), None, None, None, "no .tsv files found"))
        for f in files:
            read_table(f, result, delimiter="\t", what="the Hetionet node list",
                       header_error=missing_columns({"id", "name", "kind"}),
                       on_row=lambda line, row, shown=f.name: self._row(shown, line, row, result))
        return result

    def _row(self, shown: str, line: int, row: dict[str, str], result: LoadResult) -> None:
        hid, name, kind = ((row.get(k) or "").strip() for k in ("id", "name", "kind"))
        if kind not in KINDS:
            result.rejected.append(Rejected(shown, line, hid or f"{shown}:{line}", None, [
                f"Hetionet {kind or 'rows without a kind'} have no lmkg type"], OUT_OF_SCOPE))
            return
        etype, prefix, lead = KINDS[kind]
        local = hid.split("::", 1)[1] if "::" in hid else ""
        if lead:
            local = local[len(lead):] if local.startswith(lead) else ""
        if not name or not PREFIXES[prefix].pattern.match(local):
            result.rejected.append(Rejected(shown, line, hid or f"{shown}:{line}", dict(row), [
                f"id {hid!r} is not a {kind}::{lead}<{prefix} id> or the name is empty"]))
            return
        xref = f"{prefix}:{local}"
        scope = self._scope
        if scope is not None and not scope.may_match(etype, (name,), [xref]):
            result.rejected.append(Rejected(shown, line, hid, None, [
                scope.out_of_scope_reason(etype, name, self.name)], OUT_OF_SCOPE))
            return
        src = SourceRef(url=URL, dataset=self.name, version=result.version, record=hid,
                        note=f"Hetionet v1.0 node {hid} ({name}, {kind})")
        try:
            if etype == "Gene":
                entity = Gene(id=f"lmkg:gene/{slug(name)}", name=name, symbol=name,
                              xrefs=(xref,), sources=(src,))
            elif etype == "Agent":
                entity = Agent(id=f"lmkg:agent/{slug(name)}", name=name, xrefs=(xref,),
                               sources=(src,))
            else:
                entity = PrimaryCancer(id=f"lmkg:cancer/{slug(name)}", name=name, xrefs=(xref,),
                                       sources=(src,))
        except ValidationError as exc:
            e = exc.errors()[0]
            result.rejected.append(Rejected(shown, line, hid, dict(row),
                                            [f"field {'.'.join(map(str, e['loc']))}: {e['msg']}"]))
            return
        result.items.append(SourceItem(record=hid, entity=entity, line=line))


@register("hetionet")
def _factory() -> HetionetLoader:
    return HetionetLoader()
