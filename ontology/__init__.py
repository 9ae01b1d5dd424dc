"""The lmkg schema: entity and relation models, controlled vocabularies, CURIEs, OWL."""

from .curie import PREFIXES, Curie, CurieError, LmkgId, check_curie, check_lmkg_id, expand
from .entities import (
    BY_KIND,
    BY_SECTION,
    BY_TYPE,
    ENTITY_CLASSES,
    Agent,
    Biomarker,
    ClinicalTrial,
    Company,
    Country,
    DeliveryPlatform,
    Diagnostic,
    DrugClass,
    Entity,
    Gene,
    Guideline,
    MetastaticSite,
    PrimaryCancer,
    Publication,
    RadiotherapyModality,
    Region,
    RegulatoryAgency,
    RegulatoryDesignation,
)
from .evidence import CNSEvidence, DiagnosticPerformance, EpiFigure, SourceRef
from .relations import BY_PREDICATE, RELATION_CLASSES, Relation
from .vocab import (
    Agency,
    ApplicationOutcome,
    BiomarkerKind,
    CNSEvidenceLevel,
    DesignationType,
    DevelopmentStatus,
    EntityType,
    EpiMeasure,
    EvidenceDirection,
    EvidenceScope,
    EvidenceTier,
    LMPopulation,
    LmType,
    LMVerdictBasis,
    PredictiveDirection,
    RecommendationDirection,
    RecommendationTopic,
    RelationType,
    Route,
    StudyDesign,
    StudyType,
    TrialPhase,
    TrialStatus,
)

__all__ = [name for name in dir() if not name.startswith("_")]
