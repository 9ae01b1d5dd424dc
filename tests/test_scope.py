"""The scope hand-off: rows that cannot match the graph are set aside while they are read,
and the build comes out as it would have without it."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from lmkg.graph.sources import add_source, scope_for
from lmkg.loaders import get_loader

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def merged(kg, name, folder, scoped):
    g = copy.deepcopy(kg)
    loader = get_loader(name)
    opts = {"scope": scope_for(g)} if scoped else {}
    report = add_source(g, name, loader.load(SHARED / folder, **opts), loader.creates, folder)
    edges = {(s, k, o) for s, o, k in g.g.edges(keys=True)}
    return report, set(g.g.nodes), edges


@pytest.mark.parametrize("name,folder", [("b3db", "b3db"), ("civic", "civic"),
                                         ("drugbank", "drugbank"), ("openfda", "openfda")])
def test_scoped_load_merges_the_same(kg, name, folder):
    plain, nodes, edges = merged(kg, name, folder, scoped=False)
    scoped, nodes2, edges2 = merged(kg, name, folder, scoped=True)
    kinds = ("read", "matched", "created", "out_of_scope", "unmatched", "invalid")
    # the same outcome for every record, whether the loader or the merge sets it aside
    assert [getattr(scoped, k) for k in kinds] == [getattr(plain, k) for k in kinds]
    assert nodes2 == nodes and edges2 == edges
    assert scoped.balanced


def test_oopd_scope_only_sets_aside_rows_the_graph_does_not_name(kg):
    plain, nodes, edges = merged(kg, "oopd", "fda", scoped=False)
    scoped, nodes2, edges2 = merged(kg, "oopd", "fda", scoped=True)
    assert scoped.balanced and scoped.read == plain.read
    # The only difference: rows matched in the unscoped run through a trade name that an
    # earlier row of the same export had just added as a synonym (a chained match). The scope
    # is the graph before the source, so such rows are out of scope.
    out = scoped.rows["out_of_scope"]
    extra = {r["record"] for r in out} - {r["record"] for r in plain.rows["out_of_scope"]}
    sc = scope_for(kg)
    for rec in extra:
        reason = next(r["reasons"][0] for r in out if r["record"] == rec)
        assert reason.startswith("Agent ") and reason.endswith(" is not in the graph")
        name = reason.split("'")[1]
        assert not sc.may_match("Agent", (name,))
    assert nodes2 <= nodes and edges2 <= edges
    assert len(extra) <= 5


def test_scope_matches_names_synonyms_xrefs_and_company_suffixes(kg):
    sc = scope_for(kg)
    assert sc.may_match("Agent", ("Tagrisso",))
    assert sc.may_match("Agent", ("AZD-9291",))
    assert not sc.may_match("Agent", ("no such drug",))
    assert sc.may_match("Company", ("Seagen Inc.",))
    xref = next(x for a in kg.ids("Agent") for x in kg.node(a).get("xrefs", ()))
    assert sc.may_match("Agent", (), [xref])
