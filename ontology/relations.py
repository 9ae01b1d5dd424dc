"""Relation types: one pydantic model per verb, with the entity types it may connect.

Every relation is directed (subject -> object) and stored once: no inverse edges are
materialised. ``sources`` is required and non-empty on every relation.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from .curie import LmkgId
from .evidence import Model, PartialDate, SourceRef
from .vocab import (
    CompanyRole,
    DevelopmentStatus,
    EntityType,
    EvidenceDirection,
    EvidenceTier,
    LmType,
    PredictiveDirection,
    RecommendationDirection,
    RecommendationTopic,
    RelationType,
    SponsorRole,
)

E = EntityType


class Relation(Model):
    """A sourced, directed link between two entities."""

    predicate: ClassVar[RelationType]
    domain: ClassVar[tuple[EntityType, ...]]
    range: ClassVar[tuple[EntityType, ...]]
    definition: ClassVar[str]
    # Qualifiers that tell two statements of one verb between the same pair apart (a
    # sensitivity in one cancer and a resistance in another are two edges, not one).
    identity: ClassVar[tuple[str, ...]] = ()
    # Qualifiers that name another entity: field -> the id kind it must have.
    references: ClassVar[dict[str, str]] = {}

    subject: LmkgId = Field(description="The entity the relation starts from.")
    object: LmkgId = Field(description="The entity the relation points to.")
    sources: tuple[SourceRef, ...] = Field(
        min_length=1, description="The sources that support this relation."
    )
    note: str | None = Field(default=None, description="A qualifier in free text.")

    @property
    def key(self) -> tuple[str, str, str]:
        """(subject, edge key, object): the edge key is the verb, plus the identity qualifiers
        for verbs that have them (``PREDICTS_RESPONSE|sensitivity|lmkg:cancer/nsclc|supports``)."""
        return (self.subject, edge_key(self.predicate.value, self.properties()), self.object)

    def properties(self) -> dict[str, object]:
        """The relation-specific fields (not subject, object or sources), set ones only."""
        skip = {"subject", "object", "sources"}
        return {
            k: v for k, v in self.model_dump(mode="json").items() if k not in skip and v is not None
        }


def edge_key(predicate: str, attrs: dict[str, object]) -> str:
    """The key of an edge in the graph: its verb, with the identity qualifiers of verbs that
    have them, so that one pair can hold several statements of that verb."""
    cls = BY_PREDICATE.get(RelationType(predicate))
    if cls is None or not cls.identity:
        return predicate
    parts = []
    for q in cls.identity:
        v = attrs.get(q)
        v = getattr(v, "value", v)
        default = cls.model_fields[q].default
        if v is None or v == getattr(default, "value", default):
            continue
        parts.append(f"{q}={v}")
    return "|".join([predicate, *parts])


def _rel(pred: RelationType, domain, range_, definition: str, *, identity=(), references=None,
         **fields):
    """Declare a relation model; extra fields are (annotation, FieldInfo) pairs."""
    from pydantic import create_model

    model = create_model(  # type: ignore[call-overload]
        "".join(w.capitalize() for w in pred.value.split("_")),
        __base__=Relation,
        **fields,
    )
    model.predicate = pred
    model.domain = tuple(domain)
    model.range = tuple(range_)
    model.definition = definition
    model.identity = tuple(identity)
    model.references = dict(references or {})
    model.__doc__ = definition
    return model


_opt = lambda desc: (str | None, Field(default=None, description=desc))  # noqa: E731

Targets = _rel(
    RelationType.TARGETS, (E.AGENT, E.DRUG_CLASS), (E.BIOMARKER, E.GENE),
    "The agent or class acts on the biomarker or gene product.",
    action=_opt("Mode of action (inhibitor, antibody, conjugate, CAR, ...)."),
)
MemberOf = _rel(RelationType.MEMBER_OF, (E.AGENT,), (E.DRUG_CLASS,),
                "The agent belongs to the drug class.")
SubclassOf = _rel(RelationType.SUBCLASS_OF, (E.DRUG_CLASS,), (E.DRUG_CLASS,),
                  "The drug class is a narrower kind of the other class.")
SubtypeOf = _rel(RelationType.SUBTYPE_OF, (E.PRIMARY_CANCER, E.BIOMARKER),
                 (E.PRIMARY_CANCER, E.BIOMARKER),
                 "The cancer is a subtype of the other cancer; the biomarker is a member of the "
                 "other, broader biomarker (BRAF V600E of BRAF V600, NTRK1 fusion of NTRK fusion).")
AlterationOf = _rel(RelationType.ALTERATION_OF, (E.BIOMARKER,), (E.GENE,),
                    "The biomarker is an alteration or expression state of the gene.")
OccursIn = _rel(
    RelationType.OCCURS_IN, (E.BIOMARKER, E.GENE), (E.PRIMARY_CANCER,),
    "The biomarker is found in the cancer.",
    frequency=_opt("Published frequency in the cancer."),
    population=_opt("Population the frequency was measured in."),
)
MetastasizesTo = _rel(
    RelationType.METASTASIZES_TO, (E.PRIMARY_CANCER,), (E.METASTATIC_SITE,),
    "The cancer spreads to the site.",
    incidence=_opt("Published incidence of spread to the site."),
)
DevelopedBy = _rel(
    RelationType.DEVELOPED_BY, (E.AGENT,), (E.COMPANY,),
    "The company develops, licenses or markets the agent.",
    role=(CompanyRole | None, Field(default=None, description="The company's role.")),
    since=(PartialDate | None, Field(default=None, description="Since when.")),
)
ApprovedFor = _rel(
    RelationType.APPROVED_FOR, (E.AGENT, E.REGIMEN), (E.PRIMARY_CANCER, E.METASTATIC_SITE, E.BIOMARKER),
    "The agent holds a marketing approval for the indication.",
    agency=_opt("Approving regulator."),
    date=(PartialDate | None, Field(default=None, description="Approval date.")),
)
InvestigatedFor = _rel(
    RelationType.INVESTIGATED_FOR, (E.AGENT, E.REGIMEN, E.RADIOTHERAPY_MODALITY),
    (E.PRIMARY_CANCER, E.METASTATIC_SITE, E.BIOMARKER),
    "The agent is in development for the indication.",
    status=(DevelopmentStatus | None, Field(default=None, description="Stage for this indication.")),
)
HasDesignation = _rel(RelationType.HAS_DESIGNATION, (E.AGENT, E.REGIMEN), (E.REGULATORY_DESIGNATION,),
                      "The agent holds the approval or designation.")
ForIndication = _rel(
    RelationType.FOR_INDICATION, (E.REGULATORY_DESIGNATION,),
    (E.PRIMARY_CANCER, E.METASTATIC_SITE, E.BIOMARKER),
    "The approval or designation covers the indication.",
)
GrantedBy = _rel(RelationType.GRANTED_BY, (E.REGULATORY_DESIGNATION,), (E.REGULATORY_AGENCY,),
                 "The regulator granted the approval or designation.")
EvaluatedIn = _rel(
    RelationType.EVALUATED_IN,
    (E.AGENT, E.REGIMEN, E.RADIOTHERAPY_MODALITY, E.DIAGNOSTIC, E.DRUG_CLASS),
    (E.CLINICAL_TRIAL,),
    "The agent, regimen or radiotherapy modality is an intervention of the trial (a diagnostic: "
    "the test a diagnostic study evaluates; a drug class: the trial tests a member of it without "
    "naming one, such as 'a third-generation EGFR TKI').",
    arm=_opt("Arm or cohort in which the agent is given."),
    basis=_opt("How the link was read: a registered intervention, or the agent named in the "
               "title or summary (docs/trials.md)."),
)
SponsoredBy = _rel(
    RelationType.SPONSORED_BY, (E.CLINICAL_TRIAL,), (E.COMPANY,),
    "The company or institution sponsors the trial.",
    role=(SponsorRole | None, Field(default=None, description="Lead sponsor or collaborator.")),
)
Studies = _rel(
    RelationType.STUDIES, (E.CLINICAL_TRIAL,),
    (E.PRIMARY_CANCER, E.METASTATIC_SITE, E.BIOMARKER, E.GENE),
    "The trial enrols patients with the condition (a gene: an alteration of it, unspecified, "
    "such as EGFR-mutant).",
    basis=_opt("How the link was read: a registered condition, or the title (docs/trials.md)."),
)
Acquired = _rel(
    RelationType.ACQUIRED, (E.COMPANY,), (E.COMPANY,),
    "The company acquired the other company.",
    date=(PartialDate | None, Field(default=None, description="Completion date.")),
    value=_opt("Deal value as reported."),
)
PartnersWith = _rel(
    RelationType.PARTNERS_WITH, (E.COMPANY,), (E.COMPANY,),
    "The companies co-develop or co-commercialise a programme.",
    date=(PartialDate | None, Field(default=None, description="Date the agreement was made.")),
    scope=_opt("What the partnership covers."),
)
SubsidiaryOf = _rel(
    RelationType.SUBSIDIARY_OF, (E.COMPANY,), (E.COMPANY,),
    "The company is a subsidiary, affiliate or division of the other (its parent); views roll "
    "its programmes up to the parent.",
    since=(PartialDate | None, Field(default=None, description="Since when, where a source says.")),
    share=_opt("Share of the company the parent holds, as reported."),
)
SupportedBy = _rel(
    RelationType.SUPPORTED_BY, tuple(EntityType), (E.PUBLICATION,),
    "The publication reports on the entity (trial results, CNS data, a label).",
)
DeliveredVia = _rel(RelationType.DELIVERED_VIA, (E.AGENT,), (E.DELIVERY_PLATFORM,),
                    "The agent is given through the device, procedure or carrier.")
Assesses = _rel(
    RelationType.ASSESSES, (E.DIAGNOSTIC,), (E.METASTATIC_SITE, E.PRIMARY_CANCER, E.BIOMARKER),
    "The diagnostic detects or assesses the condition.",
)
PartOf = _rel(RelationType.PART_OF, (E.COUNTRY,), (E.REGION,),
              "The country belongs to the market region.")
HasComponent = _rel(
    RelationType.HAS_COMPONENT, (E.REGIMEN,), (E.AGENT, E.RADIOTHERAPY_MODALITY),
    "The regimen includes the agent (or radiotherapy modality) as one of its components.",
)
Recommends = _rel(
    RelationType.RECOMMENDS, (E.GUIDELINE,),
    (E.AGENT, E.REGIMEN, E.DRUG_CLASS, E.RADIOTHERAPY_MODALITY, E.DIAGNOSTIC, E.DELIVERY_PLATFORM),
    "The guideline makes a recommendation about the agent, regimen, class, radiotherapy, "
    "diagnostic or delivery procedure, in a context (cancer, biomarker, LM type), with the "
    "strength and level it states.",
    topic=(RecommendationTopic, Field(description="diagnosis, response or treatment.")),
    direction=(RecommendationDirection, Field(
        default=RecommendationDirection.FOR,
        description="for (recommended, may be considered) or against (not recommended).")),
    cancer=(LmkgId | None, Field(default=None, description="The cancer (id) the recommendation is for.")),
    biomarker=(LmkgId | None, Field(default=None, description="The biomarker (id) of the population it is for.")),
    lm_type=(LmType | None, Field(default=None, description="The EANO-ESMO LM type it is for.")),
    population=_opt("Further context in the guideline's words (performance status, setting)."),
    strength=_opt("Strength or grade of recommendation exactly as the guideline states it."),
    level=_opt("Level or quality of evidence exactly as the guideline states it."),
    text=(str, Field(min_length=1, description="The recommendation, quoted from the guideline.")),
)
PredictsResponse = _rel(
    RelationType.PREDICTS_RESPONSE, (E.BIOMARKER,), (E.AGENT, E.REGIMEN),
    "The biomarker predicts sensitivity or resistance to the agent or regimen, in a cancer, "
    "at an evidence tier (approved biomarker-selected indication, guideline, clinical trial, "
    "case report, preclinical).",
    identity=("direction", "cancer", "disease", "tissue_agnostic", "evidence_direction"),
    references={"cancer": "cancer"},
    direction=(PredictiveDirection, Field(
        description="sensitivity (the biomarker predicts response) or resistance.")),
    tier=(EvidenceTier, Field(
        description="Strength of the evidence: approved, guideline, clinical_trial, "
                    "case_report or preclinical.")),
    cancer=(LmkgId | None, Field(default=None, description=(
        "The cancer (lmkg id) the association was shown in; evidence in one cancer is not "
        "evidence in another."))),
    disease=_opt("The disease as the source names it, when it is not a cancer of the graph."),
    tissue_agnostic=(bool | None, Field(default=None, description=(
        "True when the association holds across tumour types (a tissue-agnostic approval)."))),
    evidence_direction=(EvidenceDirection, Field(
        default=EvidenceDirection.SUPPORTS,
        description="Whether the evidence supports the association or does not (CIViC's "
                    "evidence direction: supports, or refutes for 'does not support').")),
    level=(str | None, Field(default=None, pattern=r"^[A-E]$",
                             description="CIViC evidence level (A validated ... E inferential).")),
    rating=(int | None, Field(default=None, ge=1, le=5, description="CIViC evidence rating (1-5).")),
    significance=_opt("The source's own significance term (CIViC: sensitivity/response, "
                      "resistance, reduced sensitivity)."),
    oncokb_level=(str | None, Field(default=None, pattern=r"^(1|2|3A|3B|4|R1|R2)$",
                                    description="OncoKB-style level where curated.")),
)
InteractsWith = _rel(
    RelationType.INTERACTS_WITH, (E.AGENT,), (E.GENE, E.BIOMARKER),
    "A drug-gene interaction table lists the agent with the gene; not a statement that the "
    "agent acts on it (TARGETS) nor that the gene predicts response (PREDICTS_RESPONSE).",
    interaction_type=_opt("The interaction type as the table gives it (inhibitor, ...), if any."),
)
RegulatedBy = _rel(RelationType.REGULATED_BY, (E.COUNTRY, E.REGION), (E.REGULATORY_AGENCY,),
                   "Medicines in the country or region are regulated by the agency.")

RELATION_CLASSES: tuple[type[Relation], ...] = (
    Targets, MemberOf, SubclassOf, SubtypeOf, AlterationOf, OccursIn, MetastasizesTo, DevelopedBy,
    ApprovedFor, InvestigatedFor, HasDesignation, ForIndication, GrantedBy, EvaluatedIn,
    SponsoredBy, Studies, Acquired, PartnersWith, SubsidiaryOf, SupportedBy, DeliveredVia,
    Assesses, PartOf, RegulatedBy, HasComponent, Recommends, PredictsResponse,
    InteractsWith,
)
BY_PREDICATE: dict[RelationType, type[Relation]] = {c.predicate: c for c in RELATION_CLASSES}

assert set(BY_PREDICATE) == set(RelationType), "every RelationType needs a model"
