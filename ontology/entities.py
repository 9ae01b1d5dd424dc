"""Entity types of the LM landscape, one pydantic model each.

Each class carries its ``entity_type`` (the Neo4j label and OWL class), the ``id_kind`` its ids
must use (``lmkg:agent/...``), the YAML ``section`` it is curated under, and a ``definition``
that becomes the OWL class's definition. Field descriptions become the OWL datatype properties'
comments, so the schema is written once.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, field_validator, model_validator

from .curie import Curie, LmkgId, id_kind
from .evidence import (
    CNSEvidence,
    DiagnosticPerformance,
    EpiFigure,
    Model,
    PartialDate,
    SourceRef,
    Url,
)
from .vocab import (
    Agency,
    BiomarkerKind,
    CNSEvidenceLevel,
    DeliveryKind,
    DesignationType,
    DevelopmentStatus,
    DiagnosticKind,
    EntityType,
    EvidenceDirection,
    EvidenceScope,
    Modality,
    PublicationKind,
    RadiationParticle,
    Route,
    TrialPhase,
    TrialStatus,
)


class Entity(Model):
    """Anything that is a node of the graph."""

    entity_type: ClassVar[EntityType]
    id_kind: ClassVar[str]
    section: ClassVar[str]
    definition: ClassVar[str]

    id: LmkgId = Field(description="Stable local identifier, lmkg:<kind>/<slug>.")
    name: str = Field(min_length=1, description="Preferred name.")
    synonyms: tuple[str, ...] = Field(
        default=(), description="Other names: brand, INN, code names, abbreviations."
    )
    xrefs: tuple[Curie, ...] = Field(
        default=(), description="Verified identifiers in external resources, as CURIEs."
    )
    description: str | None = Field(default=None, description="A short free-text description.")
    sources: tuple[SourceRef, ...] = Field(
        default=(), description="Sources for the entity's own attributes."
    )

    @model_validator(mode="after")
    def _id_matches_type(self) -> Entity:
        kind = id_kind(self.id)
        if kind != self.id_kind:
            raise ValueError(
                f"id {self.id!r} has kind {kind!r} but a {self.entity_type} id must start "
                f"with lmkg:{self.id_kind}/"
            )
        return self

    @field_validator("synonyms", "xrefs")
    @classmethod
    def _no_repeats(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        seen: set[str] = set()
        for v in value:
            if v in seen:
                raise ValueError(f"{v!r} is listed twice")
            seen.add(v)
        return value


# Fields the curated data must set even where the model allows a public source to leave them
# unset (a source that does not know a value must not be made to invent one).
CURATION_REQUIRED: dict[str, tuple[str, ...]] = {"agents": ("status",), "biomarkers": ("kind",)}


class PrimaryCancer(Entity):
    entity_type = EntityType.PRIMARY_CANCER
    id_kind = "cancer"
    section = "cancers"
    definition = "A primary cancer (or molecular subtype of one) that can spread to the leptomeninges."

    epidemiology: tuple[EpiFigure, ...] = Field(
        default=(),
        description="Published epidemiology figures, each naming its measure (incidence among "
                    "patients, share of LM cases, median OS, ...), population and source.",
    )


class MetastaticSite(Entity):
    entity_type = EntityType.METASTATIC_SITE
    id_kind = "site"
    section = "sites"
    definition = "An anatomical site of metastasis, such as the leptomeninges or the brain parenchyma."


class Gene(Entity):
    entity_type = EntityType.GENE
    id_kind = "gene"
    section = "genes"
    definition = "A gene (or the protein it encodes) that biomarkers are alterations or states of."

    symbol: str = Field(description="HGNC gene symbol.")


class Biomarker(Entity):
    entity_type = EntityType.BIOMARKER
    id_kind = "biomarker"
    section = "biomarkers"
    definition = "A gene alteration or expression state used to select or target therapy."

    kind: BiomarkerKind | None = Field(
        default=None,
        description="Kind of alteration or state (required in the curated data).",
    )
    gene: LmkgId | None = Field(
        default=None, description="The gene this biomarker is an alteration or state of."
    )


class DrugClass(Entity):
    entity_type = EntityType.DRUG_CLASS
    id_kind = "class"
    section = "classes"
    definition = "A class of therapeutic agents grouped by mechanism, target or modality."


class Agent(Entity):
    entity_type = EntityType.AGENT
    id_kind = "agent"
    section = "agents"
    definition = "A drug, biologic, cell therapy or radiopharmaceutical used or studied against LM."

    modality: Modality | None = Field(default=None, description="Kind of therapeutic.")
    routes: tuple[Route, ...] = Field(default=(), description="Routes of administration.")
    status: DevelopmentStatus | None = Field(
        default=None,
        description="Highest development stage reached (required in the curated data; "
                    "a public source that does not say leaves it unset).",
    )
    cns_evidence: tuple[CNSEvidence, ...] = Field(
        default=(), description="Evidence on CNS penetration or activity, each with its level."
    )

    def best_cns_evidence(self) -> CNSEvidence | None:
        """The supporting record at the highest level, or None if there is none."""
        supporting = [e for e in self.cns_evidence if e.direction == EvidenceDirection.SUPPORTS]
        if not supporting:
            return None
        return max(supporting, key=lambda e: e.level.rank)

    def cns_penetrant(self, min_level: CNSEvidenceLevel = CNSEvidenceLevel.CSF_PK) -> bool:
        """CNS-penetrant at ``min_level``: some supporting evidence at that level or above."""
        best = self.best_cns_evidence()
        return best is not None and best.level.rank >= min_level.rank


class Regimen(Entity):
    entity_type = EntityType.REGIMEN
    id_kind = "regimen"
    section = "regimens"
    definition = ("A combination of agents (or of agents and a modality) given together, such as "
                  "dabrafenib + trametinib; its components are HAS_COMPONENT relations.")


class Company(Entity):
    entity_type = EntityType.COMPANY
    id_kind = "company"
    section = "companies"
    definition = "A company or institution developing, marketing or sponsoring LM therapies."

    headquarters: str | None = Field(default=None, description="Country of headquarters.")
    lm_programme_note: str | None = Field(
        default=None,
        description="What is known of the company's LM-relevant programmes (or that none is sourced).",
    )


class RegulatoryDesignation(Entity):
    entity_type = EntityType.REGULATORY_DESIGNATION
    id_kind = "designation"
    section = "designations"
    definition = "A regulatory approval or designation granted to an agent for an indication."

    agency: Agency = Field(description="The regulator that granted it.")
    designation_type: DesignationType = Field(description="Approval or designation type.")
    indication: str = Field(description="The indication as the regulator words it.")
    date: PartialDate | None = Field(default=None, description="Date granted.")

    @property
    def is_approval(self) -> bool:
        return self.designation_type.is_approval


class RegulatoryAgency(Entity):
    entity_type = EntityType.REGULATORY_AGENCY
    id_kind = "agency"
    section = "agencies"
    definition = "A medicines regulator."

    agency: Agency = Field(description="The controlled-vocabulary code of this regulator.")


class ClinicalTrial(Entity):
    entity_type = EntityType.CLINICAL_TRIAL
    id_kind = "trial"
    section = "trials"
    definition = "A registered clinical trial."

    phases: tuple[TrialPhase, ...] = Field(default=(), description="Trial phase(s).")
    status: TrialStatus | None = Field(default=None, description="Overall recruitment status.")
    lm_specific: bool = Field(
        default=False, description="Whether the trial enrols or reports an LM cohort."
    )
    conditions: tuple[str, ...] = Field(default=(), description="Conditions as registered.")
    interventions: tuple[str, ...] = Field(default=(), description="Interventions as registered.")
    start_date: PartialDate | None = Field(default=None, description="Study start date.")
    enrollment: int | None = Field(default=None, ge=0, description="Enrolment (actual or planned).")
    key_result: str | None = Field(default=None, description="Key published result, if any.")


class Publication(Entity):
    entity_type = EntityType.PUBLICATION
    id_kind = "publication"
    section = "publications"
    definition = "A paper, label or other document that facts in the graph rest on."

    year: int | None = Field(default=None, ge=1900, le=2100, description="Publication year.")
    journal: str | None = Field(default=None, description="Journal or publisher.")
    first_author: str | None = Field(default=None, description="First author's surname.")
    kind: PublicationKind | None = Field(default=None, description="Kind of publication.")


class Diagnostic(Entity):
    entity_type = EntityType.DIAGNOSTIC
    id_kind = "diagnostic"
    section = "diagnostics"
    definition = "A test, imaging method or response criterion used to diagnose or assess LM."

    kind: DiagnosticKind = Field(description="Kind of diagnostic.")
    performance: tuple[DiagnosticPerformance, ...] = Field(
        default=(),
        description="Published diagnostic performance: sensitivity, specificity, reference "
                    "standard, population, source.",
    )


class DeliveryPlatform(Entity):
    entity_type = EntityType.DELIVERY_PLATFORM
    id_kind = "delivery"
    section = "delivery"
    definition = "A device, procedure or carrier used to get drugs into the CSF or across the BBB."

    kind: DeliveryKind = Field(description="Device, procedure or carrier.")


class RadiotherapyModality(Entity):
    entity_type = EntityType.RADIOTHERAPY_MODALITY
    id_kind = "radiotherapy"
    section = "radiotherapy"
    definition = ("A radiotherapy technique and target volume used against LM (whole-brain, "
                  "involved-field, proton or photon craniospinal irradiation); usable like an "
                  "agent in trials, regimens and recommendations.")

    particle: RadiationParticle | None = Field(default=None, description="Photons or protons.")
    target_volume: str | None = Field(
        default=None, description="What is irradiated (whole brain, symptomatic sites, the "
                                  "whole craniospinal axis).")


class Guideline(Entity):
    entity_type = EntityType.GUIDELINE
    id_kind = "guideline"
    section = "guidelines"
    definition = ("A clinical practice guideline or response-criteria proposal that makes "
                  "recommendations (RECOMMENDS) with the strength and level it states.")

    issuer: str = Field(min_length=1, description="Issuing societies (EANO-ESMO, ASCO-SNO-ASTRO, ...).")
    year: int = Field(ge=1900, le=2100, description="Year of publication.")
    version: str | None = Field(default=None, description="Version or edition, as the issuer names it.")
    title: str | None = Field(default=None, description="Full title.")
    doi: Curie | None = Field(default=None, description="DOI of the guideline (DOI:...).")
    url: Url | None = Field(default=None, description="The issuer's page for the guideline.")
    covers: EvidenceScope | None = Field(
        default=None, description="What the guideline is about: lm (leptomeningeal "
                                  "metastases), brain_metastases, cns.")
    supersedes: LmkgId | None = Field(default=None, description="The earlier guideline it updates.")

    @field_validator("doi")
    @classmethod
    def _doi(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("DOI:"):
            raise ValueError(f"doi must be a DOI: CURIE, not {value!r}")
        return value


class Region(Entity):
    entity_type = EntityType.REGION
    id_kind = "region"
    section = "regions"
    definition = "A market region (North America, Europe, Asia-Pacific, Rest of World)."


class Country(Entity):
    entity_type = EntityType.COUNTRY
    id_kind = "country"
    section = "countries"
    definition = "A country in a market region."

    iso_code: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code.")


ENTITY_CLASSES: tuple[type[Entity], ...] = (
    PrimaryCancer, MetastaticSite, Gene, Biomarker, DrugClass, Agent, Regimen, Company,
    RegulatoryDesignation, RegulatoryAgency, ClinicalTrial, Publication, Diagnostic,
    DeliveryPlatform, RadiotherapyModality, Guideline, Region, Country,
)
# Entity fields that hold lists of nested evidence records, and the record model of each: the
# exports keep them whole (JSON text in Neo4j, records of their own in RDF).
RECORD_FIELDS: dict[str, type[Model]] = {
    "cns_evidence": CNSEvidence, "epidemiology": EpiFigure, "performance": DiagnosticPerformance,
}
BY_TYPE: dict[EntityType, type[Entity]] = {c.entity_type: c for c in ENTITY_CLASSES}
BY_SECTION: dict[str, type[Entity]] = {c.section: c for c in ENTITY_CLASSES}
BY_KIND: dict[str, type[Entity]] = {c.id_kind: c for c in ENTITY_CLASSES}

assert set(BY_TYPE) == set(EntityType), "every EntityType needs a model"
