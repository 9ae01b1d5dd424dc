"""Controlled vocabularies of the lmkg schema.

Every enum value is the lower-case token used in the curated YAML, in the saved graph and in
the Neo4j and RDF exports. Entity types and relation verbs are closed sets: exporters take
labels and relationship types from here, never from data.
"""

from __future__ import annotations

from enum import StrEnum


class _Vocab(StrEnum):
    """A string enum whose members read and print as their value."""

    def __str__(self) -> str:
        return self.value

    @classmethod
    def values(cls) -> list[str]:
        return [m.value for m in cls]


class EntityType(_Vocab):
    PRIMARY_CANCER = "PrimaryCancer"
    METASTATIC_SITE = "MetastaticSite"
    GENE = "Gene"
    BIOMARKER = "Biomarker"
    DRUG_CLASS = "DrugClass"
    AGENT = "Agent"
    REGIMEN = "Regimen"
    COMPANY = "Company"
    REGULATORY_DESIGNATION = "RegulatoryDesignation"
    REGULATORY_AGENCY = "RegulatoryAgency"
    CLINICAL_TRIAL = "ClinicalTrial"
    PUBLICATION = "Publication"
    DIAGNOSTIC = "Diagnostic"
    DELIVERY_PLATFORM = "DeliveryPlatform"
    REGION = "Region"
    COUNTRY = "Country"


class RelationType(_Vocab):
    TARGETS = "TARGETS"
    MEMBER_OF = "MEMBER_OF"
    SUBCLASS_OF = "SUBCLASS_OF"
    SUBTYPE_OF = "SUBTYPE_OF"
    ALTERATION_OF = "ALTERATION_OF"
    OCCURS_IN = "OCCURS_IN"
    METASTASIZES_TO = "METASTASIZES_TO"
    DEVELOPED_BY = "DEVELOPED_BY"
    APPROVED_FOR = "APPROVED_FOR"
    INVESTIGATED_FOR = "INVESTIGATED_FOR"
    HAS_DESIGNATION = "HAS_DESIGNATION"
    FOR_INDICATION = "FOR_INDICATION"
    GRANTED_BY = "GRANTED_BY"
    EVALUATED_IN = "EVALUATED_IN"
    SPONSORED_BY = "SPONSORED_BY"
    STUDIES = "STUDIES"
    ACQUIRED = "ACQUIRED"
    PARTNERS_WITH = "PARTNERS_WITH"
    SUBSIDIARY_OF = "SUBSIDIARY_OF"
    SUPPORTED_BY = "SUPPORTED_BY"
    DELIVERED_VIA = "DELIVERED_VIA"
    ASSESSES = "ASSESSES"
    PART_OF = "PART_OF"
    REGULATED_BY = "REGULATED_BY"
    HAS_COMPONENT = "HAS_COMPONENT"
    PREDICTS_RESPONSE = "PREDICTS_RESPONSE"
    INTERACTS_WITH = "INTERACTS_WITH"


class TrialPhase(_Vocab):
    """ClinicalTrials.gov API v2 phase tokens, lower-cased."""

    EARLY_PHASE1 = "early_phase1"
    PHASE1 = "phase1"
    PHASE2 = "phase2"
    PHASE3 = "phase3"
    PHASE4 = "phase4"
    NA = "na"


class TrialStatus(_Vocab):
    """ClinicalTrials.gov API v2 overall-status tokens, lower-cased."""

    NOT_YET_RECRUITING = "not_yet_recruiting"
    RECRUITING = "recruiting"
    ENROLLING_BY_INVITATION = "enrolling_by_invitation"
    ACTIVE_NOT_RECRUITING = "active_not_recruiting"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"
    UNKNOWN = "unknown"
    WITHHELD = "withheld"
    NO_LONGER_AVAILABLE = "no_longer_available"
    AVAILABLE = "available"
    APPROVED_FOR_MARKETING = "approved_for_marketing"
    TEMPORARILY_NOT_AVAILABLE = "temporarily_not_available"


class DesignationType(_Vocab):
    APPROVAL = "approval"
    ACCELERATED_APPROVAL = "accelerated_approval"
    CONDITIONAL_APPROVAL = "conditional_approval"
    ORPHAN_DRUG = "orphan_drug"
    FAST_TRACK = "fast_track"
    BREAKTHROUGH_THERAPY = "breakthrough_therapy"
    PRIORITY_REVIEW = "priority_review"
    RARE_PEDIATRIC_DISEASE = "rare_pediatric_disease"
    PRIME = "prime"
    SAKIGAKE = "sakigake"

    @property
    def is_approval(self) -> bool:
        return self in APPROVAL_TYPES


APPROVAL_TYPES = frozenset(
    {
        DesignationType.APPROVAL,
        DesignationType.ACCELERATED_APPROVAL,
        DesignationType.CONDITIONAL_APPROVAL,
    }
)


class Agency(_Vocab):
    FDA = "fda"
    EMA = "ema"
    EC = "ec"
    PMDA = "pmda"
    MHLW = "mhlw"
    NMPA = "nmpa"
    MHRA = "mhra"
    HEALTH_CANADA = "health_canada"
    TGA = "tga"
    SWISSMEDIC = "swissmedic"


class Route(_Vocab):
    ORAL = "oral"
    INTRAVENOUS = "intravenous"
    SUBCUTANEOUS = "subcutaneous"
    INTRAMUSCULAR = "intramuscular"
    INTRATHECAL = "intrathecal"
    INTRAVENTRICULAR = "intraventricular"
    INTRA_ARTERIAL = "intra_arterial"
    INTRANASAL = "intranasal"
    INTRATUMORAL = "intratumoral"


class DevelopmentStatus(_Vocab):
    """Highest stage reached, ordered from least to most advanced (see ``rank``)."""

    DISCONTINUED = "discontinued"
    WITHDRAWN = "withdrawn"
    PRECLINICAL = "preclinical"
    EARLY_PHASE1 = "early_phase1"
    PHASE1 = "phase1"
    PHASE2 = "phase2"
    PHASE3 = "phase3"
    APPROVED = "approved"

    @property
    def rank(self) -> int:
        return list(DevelopmentStatus).index(self)

    @property
    def is_approved(self) -> bool:
        return self is DevelopmentStatus.APPROVED


class CNSEvidenceLevel(_Vocab):
    """How directly a record shows that an agent reaches and acts in the CNS, weakest first.

    - ``preclinical``: animal or in-vitro data, or a computed/measured BBB permeability label.
    - ``csf_pk``: human cerebrospinal-fluid or brain-tissue drug levels (CSF/plasma ratio).
    - ``intracranial_response``: human intracranial (brain-metastasis) response or control.
    - ``lm_clinical``: human clinical data in leptomeningeal metastases specifically.
    """

    PRECLINICAL = "preclinical"
    CSF_PK = "csf_pk"
    INTRACRANIAL_RESPONSE = "intracranial_response"
    LM_CLINICAL = "lm_clinical"

    @property
    def rank(self) -> int:
        return list(CNSEvidenceLevel).index(self)


class EvidenceDirection(_Vocab):
    SUPPORTS = "supports"
    REFUTES = "refutes"
    INCONCLUSIVE = "inconclusive"


class PredictiveDirection(_Vocab):
    """What a biomarker predicts about an agent or regimen: response, or its absence."""

    SENSITIVITY = "sensitivity"
    RESISTANCE = "resistance"


class EvidenceTier(_Vocab):
    """How strong the evidence for a predictive association is, weakest first (see ``rank``).

    - ``preclinical``: cell lines, animal models, or inference (CIViC levels D and E);
    - ``case_report``: individual patients (CIViC level C);
    - ``clinical_trial``: a trial or other clinical study of patients with the biomarker
      (CIViC level B);
    - ``guideline``: a guideline recommendation or validated consensus (CIViC level A);
    - ``approved``: a regulator's approval for the biomarker-selected indication (FDA, EMA,
      NMPA, ... label): OncoKB level 1/R1.
    """

    PRECLINICAL = "preclinical"
    CASE_REPORT = "case_report"
    CLINICAL_TRIAL = "clinical_trial"
    GUIDELINE = "guideline"
    APPROVED = "approved"

    @property
    def rank(self) -> int:
        return list(EvidenceTier).index(self)


class StudyDesign(_Vocab):
    """The design of the study a CNS-evidence record comes from (weights ranking within a level)."""

    RANDOMIZED_TRIAL = "randomized_trial"
    SINGLE_ARM_TRIAL = "single_arm_trial"
    TRIAL_SUBGROUP = "trial_subgroup"
    COHORT = "cohort"
    CASE_SERIES = "case_series"
    CASE_REPORT = "case_report"
    PK_STUDY = "pk_study"
    META_ANALYSIS = "meta_analysis"
    PRECLINICAL = "preclinical"
    DATASET = "dataset"


class EvidenceScope(_Vocab):
    """What population a source's finding is about: LM evidence is not brain-metastasis evidence."""

    LM = "lm"
    BRAIN_METASTASES = "brain_metastases"
    CNS = "cns"
    GENERAL = "general"


class BiomarkerKind(_Vocab):
    MUTATION = "mutation"
    DELETION = "deletion"
    INSERTION = "insertion"
    FUSION = "fusion"
    AMPLIFICATION = "amplification"
    OVEREXPRESSION = "overexpression"
    EXPRESSION = "expression"
    RECEPTOR_STATUS = "receptor_status"
    TRANSPORT_TARGET = "transport_target"
    OTHER = "other"


class Modality(_Vocab):
    SMALL_MOLECULE = "small_molecule"
    ANTIBODY = "antibody"
    ANTIBODY_DRUG_CONJUGATE = "antibody_drug_conjugate"
    BISPECIFIC = "bispecific"
    PEPTIDE_DRUG_CONJUGATE = "peptide_drug_conjugate"
    RADIOPHARMACEUTICAL = "radiopharmaceutical"
    CELL_THERAPY = "cell_therapy"
    CHEMOTHERAPY = "chemotherapy"
    LIPOSOMAL_FORMULATION = "liposomal_formulation"
    OTHER = "other"


class DiagnosticKind(_Vocab):
    IMAGING = "imaging"
    CYTOLOGY = "cytology"
    LIQUID_BIOPSY = "liquid_biopsy"
    RESPONSE_CRITERIA = "response_criteria"
    OTHER = "other"


class DeliveryKind(_Vocab):
    DEVICE = "device"
    PROCEDURE = "procedure"
    CARRIER = "carrier"


class PublicationKind(_Vocab):
    TRIAL_REPORT = "trial_report"
    COHORT = "cohort"
    CASE_SERIES = "case_series"
    REVIEW = "review"
    GUIDELINE = "guideline"
    PRECLINICAL = "preclinical"
    LABEL = "label"
    DATASET = "dataset"
    OTHER = "other"


class CompanyRole(_Vocab):
    ORIGINATOR = "originator"
    DEVELOPER = "developer"
    LICENSEE = "licensee"
    CO_DEVELOPER = "co_developer"
    MARKETER = "marketer"
    ACADEMIC_SPONSOR = "academic_sponsor"


class SponsorRole(_Vocab):
    LEAD = "lead"
    COLLABORATOR = "collaborator"
