"""Controlled vocabularies of the lmkg schema.

Every enum value is the lower-case token used in the curated YAML, in the saved graph and in
the Neo4j and RDF exports. Entity types and relation verbs are closed sets: exporters take
labels and relationship types from here, never from data.
"""

from __future__ import annotations

from enum import StrEnum

_RANKS: dict[type, dict[str, int]] = {}


def _rank(member: StrEnum) -> int:
    """A member's place in its enum, weakest first (computed once per enum: answers ask it
    per row). Keyed by the enum and the value: members of two string enums with one value
    ("preclinical") are equal to each other, so a cache on the member alone would mix them."""
    cls = type(member)
    ranks = _RANKS.get(cls)
    if ranks is None:
        ranks = _RANKS[cls] = {m.value: i for i, m in enumerate(cls)}
    return ranks[member.value]


def camel(name: str) -> str:
    """A field or verb as its RDF/OWL term: ``cns_evidence`` -> ``cnsEvidence``;
    ``HAS_DESIGNATION`` -> ``hasDesignation``."""
    parts = name.lower().split("_")
    return parts[0] + "".join(p.capitalize() for p in parts[1:])


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
    RADIOTHERAPY_MODALITY = "RadiotherapyModality"
    GUIDELINE = "Guideline"
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
    RECOMMENDS = "RECOMMENDS"


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


class StudyType(_Vocab):
    """ClinicalTrials.gov API v2 study types, lower-cased."""

    INTERVENTIONAL = "interventional"
    OBSERVATIONAL = "observational"
    EXPANDED_ACCESS = "expanded_access"


class LMPopulation(_Vocab):
    """How a registered study involves patients with leptomeningeal metastases (docs/trials.md).

    The first three make it an LM trial (``lm_specific``): every patient has LM (``lm_only``),
    LM is one of the populations or cohorts it names (``lm_cohort``), or patients with LM may
    enrol (``lm_allowed``). The others are reasons a study found by an LM search is not one.
    """

    LM_ONLY = "lm_only"
    LM_COHORT = "lm_cohort"
    LM_ALLOWED = "lm_allowed"
    EXCLUDES_LM = "excludes_lm"
    LM_OUTCOME = "lm_outcome"
    MENTIONS_LM = "mentions_lm"
    OTHER_SENSE = "other_sense"
    NO_LM = "no_lm"

    @property
    def is_lm(self) -> bool:
        return self in LM_POPULATIONS


LM_POPULATIONS = frozenset({LMPopulation.LM_ONLY, LMPopulation.LM_COHORT, LMPopulation.LM_ALLOWED})


class LMVerdictBasis(_Vocab):
    """Who decided a study's LM verdict: the written rule, a reviewer who read the record
    (``data/registry/lm-review.tsv``), or the curated data."""

    RULE = "rule"
    REVIEW = "review"
    CURATED = "curated"


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


class ApplicationOutcome(_Vocab):
    """What became of the application behind an approval or designation record."""

    GRANTED = "granted"
    REFUSED = "refused"  # the regulator declined: FDA complete response letter, CHMP refusal
    REFUSAL_TO_FILE = "refusal_to_file"  # not accepted for review
    WITHDRAWN = "withdrawn"  # withdrawn by the applicant, before a decision or after approval

    @property
    def granted(self) -> bool:
        return self is ApplicationOutcome.GRANTED


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
    MFDS = "mfds"  # Ministry of Food and Drug Safety, South Korea


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
        return _rank(self)

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
        return _rank(self)


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
        return _rank(self)


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


class RecommendationTopic(_Vocab):
    """What a guideline recommendation is about."""

    DIAGNOSIS = "diagnosis"
    RESPONSE = "response"
    TREATMENT = "treatment"


class RecommendationDirection(_Vocab):
    """A recommendation for something, or against it ("is not recommended")."""

    FOR = "for"
    AGAINST = "against"


class LmType(_Vocab):
    """The EANO-ESMO classification of LM (2017, kept in 2023): type I = tumour cells in the CSF
    (confirmed LM), type II = clinical and MRI signs without them (probable or possible LM);
    A linear, B nodular, C both, D neither (normal MRI or hydrocephalus only). ``any`` applies to
    every type."""

    ANY = "any"
    TYPE_I = "type_i"
    TYPE_IA = "type_ia"
    TYPE_IB = "type_ib"
    TYPE_IC = "type_ic"
    TYPE_ID = "type_id"
    TYPE_II = "type_ii"
    TYPE_IIA = "type_iia"
    TYPE_IIB = "type_iib"
    TYPE_IIC = "type_iic"
    TYPE_IID = "type_iid"


class EpiMeasure(_Vocab):
    """What an epidemiology figure measures. A share of LM cases (breast cancer is 43% of LM
    cases) is not an incidence (2-5% of patients with metastatic breast cancer develop LM).

    - ``lm_incidence_among_patients``: share of patients with the cancer (or biomarker) who are
      diagnosed with LM over the follow-up of the study;
    - ``lm_cumulative_incidence``: the same within a stated time (e.g. 2 years);
    - ``lm_at_diagnosis``: share with LM (or leptomeningeal dissemination) when the cancer is
      diagnosed;
    - ``share_of_lm_cases``: share of a series of LM patients whose primary is the cancer (or
      who carry the biomarker / subtype);
    - ``share_of_relapses``: share of relapses that are leptomeningeal (or CNS);
    - ``cns_metastasis_incidence``: CNS metastasis or relapse, parenchymal and leptomeningeal
      together (not LM-specific);
    - ``cns_involvement_at_diagnosis``: CNS (CSF) involvement when the cancer is diagnosed;
    - ``median_os_from_lm_diagnosis``: median overall survival from LM diagnosis, all patients
      of the series whatever their treatment;
    - ``median_os_treated`` / ``median_os_untreated``: the same for patients given / not given
      LM-directed treatment (the population says which);
    - ``median_os_after_cns_relapse``: median OS after a CNS event (not LM-specific);
    - ``survival_rate``: share alive at a stated time after LM (or CNS) diagnosis.
    """

    LM_INCIDENCE_AMONG_PATIENTS = "lm_incidence_among_patients"
    LM_CUMULATIVE_INCIDENCE = "lm_cumulative_incidence"
    LM_AT_DIAGNOSIS = "lm_at_diagnosis"
    SHARE_OF_LM_CASES = "share_of_lm_cases"
    SHARE_OF_RELAPSES = "share_of_relapses"
    CNS_METASTASIS_INCIDENCE = "cns_metastasis_incidence"
    CNS_INVOLVEMENT_AT_DIAGNOSIS = "cns_involvement_at_diagnosis"
    MEDIAN_OS_FROM_LM_DIAGNOSIS = "median_os_from_lm_diagnosis"
    MEDIAN_OS_TREATED = "median_os_treated"
    MEDIAN_OS_UNTREATED = "median_os_untreated"
    MEDIAN_OS_AFTER_CNS_RELAPSE = "median_os_after_cns_relapse"
    SURVIVAL_RATE = "survival_rate"

    @property
    def is_incidence(self) -> bool:
        return self in (EpiMeasure.LM_INCIDENCE_AMONG_PATIENTS, EpiMeasure.LM_CUMULATIVE_INCIDENCE,
                        EpiMeasure.LM_AT_DIAGNOSIS)

    @property
    def is_survival(self) -> bool:
        return self.value.startswith("median_os") or self is EpiMeasure.SURVIVAL_RATE


class RadiationParticle(_Vocab):
    PHOTON = "photon"
    PROTON = "proton"
