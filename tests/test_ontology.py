"""The schema: CURIEs, models, and the OWL file agreeing with the models."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError
from rdflib import OWL, RDF, RDFS, Graph, Namespace
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS

from lmkg.ontology import (
    BY_PREDICATE,
    ENTITY_CLASSES,
    RELATION_CLASSES,
    Agent,
    CNSEvidenceLevel,
    CurieError,
    RelationType,
    check_curie,
    expand,
)
from lmkg.ontology.curie import LMKG_SCHEMA_NAMESPACE
from lmkg.ontology.owl import STANDARD_FIELDS, build_owl, camel, schema_fields

S = Namespace(LMKG_SCHEMA_NAMESPACE)
TTL = Path(__file__).resolve().parent.parent / "ontology" / "lmkg.ttl"


@pytest.mark.parametrize("curie", ["PMID:31751012", "NCT:NCT02228369", "DOI:10.1200/JCO.2018.78.3118",
                                   "CHEMBL.COMPOUND:CHEMBL3353410", "HGNC:3236", "UNII:3C06JJ0Z2O",
                                   "lmkg:agent/osimertinib"])
def test_good_curies(curie):
    assert check_curie(curie) == curie


@pytest.mark.parametrize("curie,why", [
    ("PMID:abc", "malformed PMID"), ("NCT:NCT123", "malformed NCT"), ("FOO:1", "unknown CURIE prefix"),
    ("31751012", "not a CURIE"), ("lmkg:drug/x", "malformed lmkg id"), ("lmkg:agent/Osimertinib", "malformed lmkg id"),
])
def test_bad_curies(curie, why):
    with pytest.raises(CurieError, match=why):
        check_curie(curie)


def test_expand_gives_resolvable_iris():
    assert expand("PMID:31751012") == "https://pubmed.ncbi.nlm.nih.gov/31751012"
    assert expand("NCT:NCT02228369") == "https://www.clinicaltrials.gov/study/NCT02228369"
    assert expand("NCBIGENE:1956") == "https://www.ncbi.nlm.nih.gov/gene/1956"
    assert expand("lmkg:agent/osimertinib") == "https://w3id.org/lmkg/agent/osimertinib"


def test_relations_require_a_source():
    rel = BY_PREDICATE[RelationType.TARGETS]
    with pytest.raises(ValidationError):
        rel(subject="agent/a", object="gene/b", sources=[])
    with pytest.raises(ValidationError):
        rel(subject="agent/a", object="gene/b")
    ok = rel(subject="agent/a", object="gene/b", sources=[{"id": "PMID:1"}])
    assert ok.subject == "lmkg:agent/a"  # short ids are normalised


def test_models_are_immutable_and_strict():
    a = Agent(id="agent/x", name="x", status="approved")
    with pytest.raises(ValidationError):
        a.name = "y"
    with pytest.raises(ValidationError):
        Agent(id="agent/x", name="x", status="approved", colour="red")


def test_cns_penetrant_is_derived_from_evidence():
    src = {"id": "PMID:1"}
    pre = Agent(id="agent/x", name="x", status="phase1",
                cns_evidence=[{"level": "preclinical", "metric": "Kp,uu", "value": "0.5", "source": src}])
    assert not pre.cns_penetrant()
    assert pre.cns_penetrant(CNSEvidenceLevel.PRECLINICAL)
    refuted = Agent(id="agent/y", name="y", status="approved",
                    cns_evidence=[{"level": "lm_clinical", "metric": "ORR", "value": "0%",
                                   "direction": "refutes", "source": src}])
    assert not refuted.cns_penetrant(CNSEvidenceLevel.PRECLINICAL)


def test_committed_owl_matches_the_models():
    """ontology/lmkg.ttl is what `lmkg ontology` writes from the models; regenerate it if not."""
    committed = Graph().parse(TTL, format="turtle")
    assert isomorphic(committed, build_owl()), (
        "ontology/lmkg.ttl is out of date with the models: run `lmkg ontology -o ontology/lmkg.ttl`")


def _union_members(g: Graph, node) -> set:
    if (node, RDF.type, OWL.Class) in g and (node, OWL.unionOf, None) in g:
        from rdflib.collection import Collection
        return set(Collection(g, g.value(node, OWL.unionOf)))
    return {node}


def test_owl_has_every_class_property_domain_and_range():
    g = Graph().parse(TTL, format="turtle")
    for cls in ENTITY_CLASSES:
        c = S[cls.entity_type.value]
        assert (c, RDF.type, OWL.Class) in g
        assert g.value(c, RDFS.label) is not None and g.value(c, SKOS.definition) is not None
        for fname in schema_fields(cls):
            if fname in STANDARD_FIELDS:
                continue
            prop = S[camel(fname)]
            assert (prop, RDF.type, None) in g, f"{cls.__name__}.{fname} missing from OWL"
            assert c in _union_members(g, g.value(prop, RDFS.domain)), f"{fname} domain lacks {c}"
    for rel in RELATION_CLASSES:
        p = S[camel(rel.predicate.value)]
        assert (p, RDF.type, OWL.ObjectProperty) in g
        assert str(g.value(p, RDFS.label)) == rel.predicate.value
        assert _union_members(g, g.value(p, RDFS.domain)) == {S[t.value] for t in rel.domain}
        assert _union_members(g, g.value(p, RDFS.range)) == {S[t.value] for t in rel.range}


def test_cli_writes_owl(tmp_path):
    from click.testing import CliRunner

    from lmkg.cli import cli

    out = tmp_path / "o.ttl"
    res = CliRunner().invoke(cli, ["ontology", "-o", str(out)])
    assert res.exit_code == 0
    assert isomorphic(Graph().parse(out, format="turtle"), build_owl())


def test_prefixes_are_the_bioregistrys():
    """ontology/prefixes.json is what scripts/make_prefixes.py makes from the installed
    bioregistry and biolink-model packages (offline), and nothing else."""
    import subprocess
    import sys

    script = Path(__file__).resolve().parent.parent / "scripts" / "make_prefixes.py"
    run = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("curie,why", [
    ("NCBIGene:1956", "spelled NCBIGENE in lmkg"), ("pubmed:31751012", "spelled PMID in lmkg"),
    ("uniprot:P00533", "unknown CURIE prefix 'uniprot'"), ("DOI:11.1/x", "malformed DOI"),
])
def test_other_spellings_and_unregistered_prefixes_are_refused(curie, why):
    with pytest.raises(CurieError, match=why):
        check_curie(curie)


def test_the_curies_converter_knows_every_spelling():
    from lmkg.ontology.curie import converter

    c = converter()
    assert c.standardize_curie("NCBIGene:1956") == "NCBIGENE:1956"
    assert c.compress("https://pubmed.ncbi.nlm.nih.gov/31751012") == "PMID:31751012"
    assert c.expand("lmkg:agent/osimertinib") == "https://w3id.org/lmkg/agent/osimertinib"
