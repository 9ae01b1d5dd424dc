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
    ApplicationOutcome,
    BiomarkerKind,
    CNSEvidenceLevel,
    DeliveryKind,
    DesignationType,
    DevelopmentStatus,
    DiagnosticKind,
    EntityType,
    EvidenceDirection,
    EvidenceScope,
    LMPopulation,
    LMVerdictBasis,
    Modality,
    PublicationKind,
    RadiationParticle,
    Route,
    StudyType,
    TrialPhase,
    TrialStatus,
)


class Entity(Model):
    """Anything that is a node of the graph."""

    entity_type: ClassVar[EntityType]
    id_kind: ClassVar[str]
    section: ClassVar[str]
    definition: ClassVar[str]
    # Fields that only make sense together, as key fields -> their companions (a verdict and
    # its reason): a public source adds none of a group's fields when the graph holds a
    # different value for a key field (that is a conflict); companions never conflict.
    merge_groups: ClassVar[dict[tuple[str, ...], tuple[str, ...]]] = {}
    # A group that is a dated observation (a status and the date it was read), with its date
    # companion: a later reading replaces an earlier one instead of conflicting with it.
    merge_group_dates: ClassVar[dict[tuple[str, ...], str]] = {}

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
    lm_stage: DevelopmentStatus | None = Field(
        default=None,
        description="Development stage in LM, derived at build time (never curated): approved "
                    "when an approval covers an LM indication, else the highest phase of its "
                    "LM trials (a phase 4 trial counts as phase 3); unset when it has neither. "
                    "Kept apart from the global status (docs/trials.md).")
    lm_stage_basis: tuple[str, ...] = Field(
        default=(), description="What the LM stage rests on: the LM approvals, the LM trials at "
                                "that phase, LM designations and refused LM applications.")
    lm_stage_note: str | None = Field(
        default=None, description="A refused or withdrawn LM application, said in words.")

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
    date: PartialDate | None = Field(default=None, description="Date granted (or refused).")
    outcome: ApplicationOutcome | None = Field(
        default=None,
        description="What became of the application: granted (the default when unset), "
                    "refused (FDA complete response letter, CHMP refusal), refusal_to_file, "
                    "withdrawn. A refused approval is never an APPROVED_FOR.")

    @property
    def is_approval(self) -> bool:
        return self.designation_type.is_approval

    @property
    def granted(self) -> bool:
        return self.outcome is None or self.outcome.granted


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
    # The LM verdict is one judgement; a status is only as good as the date it was read.
    merge_groups: ClassVar[dict[tuple[str, ...], tuple[str, ...]]] = {
        ("lm_specific", "lm_population"): ("lm_reason", "lm_basis"),
        ("status",): ("status_as_of", "status_verified")}
    merge_group_dates: ClassVar[dict[tuple[str, ...], str]] = {("status",): "status_as_of"}

    official_title: str | None = Field(default=None, description="Official title as registered.")
    study_type: StudyType | None = Field(
        default=None, description="Interventional, observational or expanded access.")
    phases: tuple[TrialPhase, ...] = Field(default=(), description="Trial phase(s).")
    status: TrialStatus | None = Field(default=None, description="Overall recruitment status.")
    status_as_of: PartialDate | None = Field(
        default=None,
        description="When the status was read: the registry snapshot or fetch date, or the "
                    "date of the curator's source.",
    )
    status_verified: PartialDate | None = Field(
        default=None, description="When the sponsor last verified the status (registry field).")
    lm_specific: bool = Field(
        default=False,
        description="Whether the trial is an LM trial: it enrols only patients with LM, has an LM "
                    "cohort, or admits patients with LM (docs/trials.md).",
    )
    lm_population: LMPopulation | None = Field(
        default=None, description="How the trial involves patients with LM (docs/trials.md).")
    lm_reason: str | None = Field(
        default=None, description="Why the trial has its LM verdict: the words that decided it.")
    lm_basis: LMVerdictBasis | None = Field(
        default=None, description="Who decided the LM verdict: the rule, a reviewer, the curator.")
    conditions: tuple[str, ...] = Field(default=(), description="Conditions as registered.")
    interventions: tuple[str, ...] = Field(default=(), description="Interventions as registered.")
    routes: tuple[Route, ...] = Field(
        default=(), description="Routes of the tested therapy (intrathecal, intraventricular, ...).")
    radiotherapy: tuple[str, ...] = Field(
        default=(), description="Radiotherapy the trial tests (whole-brain, involved-field, "
                                "craniospinal, ...), as named in the record.")
    brief_summary: str | None = Field(default=None, description="Brief summary as registered.")
    countries: tuple[str, ...] = Field(default=(), description="Countries with trial sites.")
    start_date: PartialDate | None = Field(default=None, description="Study start date.")
    completion_date: PartialDate | None = Field(
        default=None, description="Study (or primary) completion date, actual or anticipated.")
    enrollment: int | None = Field(default=None, ge=0, description="Enrolment (actual or planned).")
    results_posted: bool | None = Field(
        default=None, description="Whether the registry record has posted results.")
    key_result: str | None = Field(default=None, description="Key published result, if any.")
    registry_notes: tuple[str, ...] = Field(
        default=(), description="Quirks of the registry record and how they were handled.")

    @model_validator(mode="before")
    @classmethod
    def _lm_specific_from_population(cls, data: object) -> object:
        """``lm_specific`` follows ``lm_population``; both given and disagreeing is an error."""
        if not isinstance(data, dict) or data.get("lm_population") is None:
            return data
        try:
            pop = LMPopulation(data["lm_population"])
        except ValueError:
            return data  # the field validator reports the bad value
        if "lm_specific" in data and bool(data["lm_specific"]) != pop.is_lm:
            raise ValueError(f"lm_specific is {data['lm_specific']} but lm_population "
                             f"{pop.value} makes it {pop.is_lm} (docs/trials.md)")
        return {**data, "lm_specific": pop.is_lm}


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
