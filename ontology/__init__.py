"""The lmkg schema: entity and relation models, controlled vocabularies, CURIEs, OWL.

The vocabularies (:mod:`.vocab`, plain enums) are imported with the package; the pydantic
models (:mod:`.entities`, :mod:`.evidence`, :mod:`.relations`) and the CURIE machinery only when
one of their names is first used, so that code that reads a saved graph (every read-only
``lmkg`` verb) never pays for pydantic. ``from lmkg.ontology import Agent`` works as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import vocab
from ._lazy import lazy_exports
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

# Name -> the submodule that defines it, imported on first use (PEP 562).
_LAZY = {
    **dict.fromkeys(("PREFIXES", "Curie", "CurieError", "LmkgId", "check_curie",
                     "check_lmkg_id", "expand"), "curie"),
    **dict.fromkeys((
        "BY_KIND", "BY_SECTION", "BY_TYPE", "ENTITY_CLASSES", "Agent", "Biomarker",
        "ClinicalTrial", "Company", "Country", "DeliveryPlatform", "Diagnostic", "DrugClass",
        "Entity", "Gene", "Guideline", "MetastaticSite", "PrimaryCancer", "Publication",
        "RadiotherapyModality", "Region", "RegulatoryAgency", "RegulatoryDesignation"),
        "entities"),
    **dict.fromkeys(("CNSEvidence", "DiagnosticPerformance", "EpiFigure", "SourceRef"),
                    "evidence"),
    **dict.fromkeys(("BY_PREDICATE", "RELATION_CLASSES", "Relation"), "relations"),
}

if TYPE_CHECKING:
    from .curie import (
        PREFIXES,
        Curie,
        CurieError,
        LmkgId,
        check_curie,
        check_lmkg_id,
        expand,
    )
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


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)


# Every vocabulary (the enums of .vocab) is exported, and every name of the lazy modules above.
_VOCABULARIES = [n for n, v in vars(vocab).items()
                 if isinstance(v, type) and issubclass(v, vocab._Vocab) and v is not vocab._Vocab]
globals().update({n: getattr(vocab, n) for n in _VOCABULARIES})
__all__ = sorted([*_VOCABULARIES, *_LAZY])
