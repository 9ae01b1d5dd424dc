"""Where lmkg's entity types and relation verbs sit in the Biolink Model.

Every entity type has a Biolink category and every verb a Biolink predicate, each with how
close the match is, as a SKOS mapping property read from lmkg's side: ``exactMatch`` (same
meaning), ``closeMatch`` (near enough to merge on), ``broadMatch`` (the Biolink term is broader:
lmkg's is a narrower kind of it, e.g. PrimaryCancer and ``biolink:Disease``) and
``narrowMatch`` (the Biolink term is narrower). Verbs with no closer Biolink predicate map to
``biolink:related_to`` as a ``broadMatch``: merge on them only knowing that.

A mapping may refine itself by a relation's qualifier (a predictive association's
``direction``: sensitivity -> ``biolink:associated_with_sensitivity_to``) or by an entity's
field (a biomarker's ``kind``), and may add Biolink qualifiers to the edge
(``APPROVED_FOR`` -> ``clinical_approval_status: approved_for_condition``).

The terms are checked against the Biolink Model schema shipped in the ``biolink-model``
package with ``bmt`` (tests/test_biolink.py), offline; nothing here imports either package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .vocab import EntityType, RelationType

BIOLINK_NAMESPACE = "https://w3id.org/biolink/vocab/"
SKOS_MATCHES = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch")


@dataclass(frozen=True)
class BiolinkTerm:
    """A Biolink category or predicate (``biolink:Drug``), how close it is, and refinements."""

    curie: str
    match: str
    # field or qualifier name -> {value: a more specific Biolink CURIE}
    refine: dict[str, dict[str, str]] = field(default_factory=dict)
    # Biolink qualifier slots this mapping sets on every edge (predicates only).
    qualifiers: dict[str, str] = field(default_factory=dict)
    note: str = ""

    def __post_init__(self) -> None:
        if self.match not in SKOS_MATCHES:
            raise ValueError(f"{self.match!r} is not one of {SKOS_MATCHES}")
        if not self.curie.startswith("biolink:"):
            raise ValueError(f"{self.curie!r} is not a biolink: CURIE")

    @property
    def iri(self) -> str:
        return BIOLINK_NAMESPACE + self.curie.split(":", 1)[1]

    def for_data(self, data: dict[str, Any]) -> str:
        """The most specific term for one node's or edge's data."""
        for key, by_value in self.refine.items():
            value = data.get(key)
            if isinstance(value, str) and value in by_value:
                return by_value[value]
        return self.curie

    def all_curies(self) -> set[str]:
        return {self.curie, *(c for by in self.refine.values() for c in by.values())}


def _t(curie: str, match: str, **kw: Any) -> BiolinkTerm:
    return BiolinkTerm(curie, match, **kw)


E, R = EntityType, RelationType
_SEQUENCE_KINDS = ("mutation", "deletion", "insertion", "fusion", "amplification")

CATEGORIES: dict[EntityType, BiolinkTerm] = {
    E.PRIMARY_CANCER: _t("biolink:Disease", "broadMatch",
                         note="a cancer (or molecular subtype of one) is a kind of disease"),
    E.METASTATIC_SITE: _t("biolink:AnatomicalEntity", "closeMatch"),
    E.GENE: _t("biolink:Gene", "exactMatch"),
    # Alterations are sequence variants; expression and receptor states are not, and stay
    # biological entities (Biolink has no category for an expression state).
    E.BIOMARKER: _t("biolink:BiologicalEntity", "broadMatch",
                    refine={"kind": {k: "biolink:SequenceVariant" for k in _SEQUENCE_KINDS}}),
    E.DRUG_CLASS: _t("biolink:ChemicalEntity", "broadMatch",
                     note="a class of agents by mechanism or target; Biolink has no drug-class "
                          "category"),
    E.AGENT: _t("biolink:Drug", "closeMatch",
                note="lmkg agents include investigational compounds, biologics and cell "
                     "therapies"),
    E.REGIMEN: _t("biolink:Treatment", "closeMatch"),
    E.COMPANY: _t("biolink:Agent", "broadMatch"),
    E.REGULATORY_DESIGNATION: _t("biolink:InformationContentEntity", "broadMatch"),
    E.REGULATORY_AGENCY: _t("biolink:Agent", "broadMatch"),
    E.CLINICAL_TRIAL: _t("biolink:ClinicalTrial", "exactMatch"),
    E.PUBLICATION: _t("biolink:Publication", "exactMatch"),
    E.DIAGNOSTIC: _t("biolink:DiagnosticAid", "closeMatch"),
    E.DELIVERY_PLATFORM: _t("biolink:Device", "closeMatch",
                            refine={"kind": {"procedure": "biolink:Procedure"}}),
    E.RADIOTHERAPY_MODALITY: _t("biolink:Procedure", "closeMatch",
                                note="a radiotherapy technique and target volume"),
    E.GUIDELINE: _t("biolink:Publication", "broadMatch",
                    note="a clinical practice guideline or response-criteria proposal"),
    E.REGION: _t("biolink:GeographicLocation", "broadMatch"),
    E.COUNTRY: _t("biolink:GeographicLocation", "broadMatch"),
}

_RELATED = "biolink:related_to"

PREDICATES: dict[RelationType, BiolinkTerm] = {
    R.TARGETS: _t("biolink:directly_physically_interacts_with", "closeMatch",
                  note="the agent binds or acts on the gene product or alteration"),
    R.MEMBER_OF: _t("biolink:member_of", "exactMatch"),
    R.SUBCLASS_OF: _t("biolink:subclass_of", "exactMatch"),
    R.SUBTYPE_OF: _t("biolink:subclass_of", "closeMatch"),
    R.ALTERATION_OF: _t("biolink:is_sequence_variant_of", "closeMatch"),
    R.OCCURS_IN: _t("biolink:genetically_associated_with", "closeMatch"),
    R.METASTASIZES_TO: _t("biolink:disease_has_location", "closeMatch"),
    R.DEVELOPED_BY: _t(_RELATED, "broadMatch"),
    R.APPROVED_FOR: _t("biolink:treats", "closeMatch",
                       qualifiers={"clinical_approval_status": "approved_for_condition"}),
    R.INVESTIGATED_FOR: _t("biolink:studied_to_treat", "closeMatch"),
    R.HAS_DESIGNATION: _t(_RELATED, "broadMatch"),
    R.FOR_INDICATION: _t(_RELATED, "broadMatch"),
    R.GRANTED_BY: _t(_RELATED, "broadMatch"),
    R.EVALUATED_IN: _t("biolink:is_input_of", "closeMatch"),
    R.SPONSORED_BY: _t(_RELATED, "broadMatch"),
    R.STUDIES: _t(_RELATED, "broadMatch"),
    R.ACQUIRED: _t(_RELATED, "broadMatch"),
    R.PARTNERS_WITH: _t(_RELATED, "broadMatch"),
    R.SUPPORTED_BY: _t("biolink:mentioned_by", "closeMatch"),
    R.DELIVERED_VIA: _t(_RELATED, "broadMatch"),
    R.ASSESSES: _t("biolink:diagnoses", "closeMatch"),
    R.PART_OF: _t("biolink:part_of", "closeMatch"),
    R.REGULATED_BY: _t(_RELATED, "broadMatch"),
    R.HAS_COMPONENT: _t("biolink:has_part", "closeMatch"),
    R.RECOMMENDS: _t(_RELATED, "broadMatch",
                     note="a guideline recommendation, with topic, context, strength and level"),
    R.SUBSIDIARY_OF: _t("biolink:part_of", "closeMatch",
                        note="a subsidiary is part of its parent company"),
    R.PREDICTS_RESPONSE: _t("biolink:related_to", "broadMatch",
                            refine={"direction": {
                                "sensitivity": "biolink:associated_with_sensitivity_to",
                                "resistance": "biolink:associated_with_resistance_to"}},
                            note="a predictive association of a biomarker with an agent or "
                                 "regimen, in a cancer, graded by tier"),
    R.INTERACTS_WITH: _t("biolink:interacts_with", "closeMatch",
                         note="a drug-gene interaction table row"),
}


def category(entity_type: str | EntityType) -> BiolinkTerm:
    """The Biolink mapping of an entity type (KeyError names what to add where)."""
    try:
        return CATEGORIES[EntityType(entity_type)]
    except (KeyError, ValueError):
        raise KeyError(f"entity type {entity_type} has no Biolink category: add it to "
                       "ontology/biolink.py CATEGORIES") from None


def predicate(verb: str | RelationType) -> BiolinkTerm:
    """The Biolink mapping of a relation verb (KeyError names what to add where)."""
    try:
        return PREDICATES[RelationType(verb)]
    except (KeyError, ValueError):
        raise KeyError(f"relation {verb} has no Biolink predicate: add it to "
                       "ontology/biolink.py PREDICATES") from None
