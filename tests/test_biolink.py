"""Biolink mappings: every entity type and verb has one, and every term exists in the Biolink
Model schema shipped with the biolink-model package (checked offline with bmt)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from lmkg.ontology import EntityType, RelationType
from lmkg.ontology.biolink import CATEGORIES, PREDICATES, category, predicate
from lmkg.ontology.curie import LMKG_SCHEMA_NAMESPACE
from lmkg.ontology.owl import camel

TTL = Path(__file__).resolve().parent.parent / "ontology" / "lmkg.ttl"


@pytest.fixture(scope="module")
def toolkit():
    import biolink_model
    import bmt

    schema = Path(next(iter(biolink_model.__path__))) / "schema" / "biolink_model.yaml"
    # predicate_map given: bmt would otherwise fetch the predicate mappings over the network.
    return bmt.Toolkit(schema=str(schema), predicate_map={"predicate mappings": []})


def test_every_type_and_verb_has_a_mapping():
    assert {t.value for t in EntityType} - {t.value for t in CATEGORIES} == set()
    assert {v.value for v in RelationType} - {v.value for v in PREDICATES} == set()


@pytest.mark.parametrize("etype", list(EntityType), ids=str)
def test_categories_exist_in_biolink(toolkit, etype):
    for curie in category(etype).all_curies():
        assert toolkit.is_category(curie), f"{etype}: {curie} is not a Biolink category"


@pytest.mark.parametrize("verb", list(RelationType), ids=str)
def test_predicates_and_their_qualifiers_exist_in_biolink(toolkit, verb):
    term = predicate(verb)
    for curie in term.all_curies():
        assert toolkit.is_predicate(curie), f"{verb}: {curie} is not a Biolink predicate"
    for slot, value in term.qualifiers.items():
        el = toolkit.get_element(slot)
        assert el is not None, f"{verb}: qualifier {slot} is not a Biolink slot"
        enum = toolkit.view.get_enum(el.range) if el.range else None
        if enum is not None:
            assert value in enum.permissible_values, f"{verb}: {slot}={value} not in {el.range}"


def test_refinements_pick_the_specific_term():
    assert category("Biomarker").for_data({"kind": "mutation"}) == "biolink:SequenceVariant"
    assert category("Biomarker").for_data({"kind": "overexpression"}) == "biolink:BiologicalEntity"


def test_the_owl_states_every_mapping():
    g = Graph().parse(TTL)
    for etype, term in CATEGORIES.items():
        cls = URIRef(LMKG_SCHEMA_NAMESPACE + etype.value)
        assert (cls, SKOS[term.match], URIRef(term.iri)) in g, etype
    for verb, term in PREDICATES.items():
        prop = URIRef(LMKG_SCHEMA_NAMESPACE + camel(verb.value))
        assert (prop, SKOS[term.match], URIRef(term.iri)) in g, verb


def test_unmapped_names_say_where_to_add_them():
    with pytest.raises(KeyError, match=r"ontology/biolink\.py"):
        category("NoSuchType")
