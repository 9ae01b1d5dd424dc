"""How each entity type and relation verb looks on the map: one table, shared by page and legend.

vis-network shapes that draw the label under the node (so node size stays meaningful); colour
and shape together tell the entity types apart, and each verb has its own colour and
line pattern.
"""

from __future__ import annotations

from lmkg.ontology import EntityType, RelationType
from lmkg.ontology.vocab import Modality

# entity type -> (colour, vis-network shape)
NODE_STYLE: dict[str, tuple[str, str]] = {
    EntityType.PRIMARY_CANCER: ("#d7263d", "hexagon"),
    EntityType.METASTATIC_SITE: ("#7a1020", "hexagon"),
    EntityType.GENE: ("#9a6324", "triangleDown"),
    EntityType.BIOMARKER: ("#f58231", "triangle"),
    EntityType.DRUG_CLASS: ("#911eb4", "square"),
    EntityType.AGENT: ("#2f5fd0", "dot"),
    EntityType.REGIMEN: ("#5b8def", "dot"),
    EntityType.COMPANY: ("#2e9e44", "diamond"),
    EntityType.REGULATORY_DESIGNATION: ("#e040c8", "star"),
    EntityType.REGULATORY_AGENCY: ("#469990", "star"),
    EntityType.CLINICAL_TRIAL: ("#19a7c9", "square"),
    EntityType.PUBLICATION: ("#9a9a9a", "dot"),
    EntityType.DIAGNOSTIC: ("#808000", "triangle"),
    EntityType.DELIVERY_PLATFORM: ("#1b2a80", "diamond"),
    EntityType.RADIOTHERAPY_MODALITY: ("#c0392b", "diamond"),
    EntityType.GUIDELINE: ("#4b4b4b", "square"),
    EntityType.REGION: ("#8fbf2f", "hexagon"),
    EntityType.COUNTRY: ("#b79ce8", "dot"),
}

# Human-readable type names for the legend.
TYPE_LABEL: dict[str, str] = {
    "PrimaryCancer": "Primary cancer", "MetastaticSite": "Metastatic site", "Gene": "Gene",
    "Biomarker": "Biomarker", "DrugClass": "Drug class", "Agent": "Agent", "Regimen": "Regimen",
    "Company": "Company",
    "RegulatoryDesignation": "Regulatory designation", "RegulatoryAgency": "Regulatory agency",
    "ClinicalTrial": "Clinical trial", "Publication": "Publication", "Diagnostic": "Diagnostic",
    "DeliveryPlatform": "Delivery platform", "RadiotherapyModality": "Radiotherapy modality",
    "Guideline": "Guideline", "Region": "Region", "Country": "Country",
}

# relation verb -> (colour, dash pattern or None for a solid line)
EDGE_STYLE: dict[str, tuple[str, list[int] | None]] = {
    RelationType.TARGETS: ("#d7263d", None),
    RelationType.MEMBER_OF: ("#8a6fb0", None),
    RelationType.SUBCLASS_OF: ("#8a6fb0", [6, 4]),
    RelationType.SUBTYPE_OF: ("#c46a75", [6, 4]),
    RelationType.ALTERATION_OF: ("#9a6324", [6, 4]),
    RelationType.OCCURS_IN: ("#f58231", None),
    RelationType.METASTASIZES_TO: ("#7a1020", [2, 4]),
    RelationType.DEVELOPED_BY: ("#2e9e44", None),
    RelationType.APPROVED_FOR: ("#1f4fb4", None),
    RelationType.INVESTIGATED_FOR: ("#1f4fb4", [6, 4]),
    RelationType.HAS_DESIGNATION: ("#e040c8", None),
    RelationType.FOR_INDICATION: ("#e040c8", [6, 4]),
    RelationType.GRANTED_BY: ("#469990", [2, 4]),
    RelationType.EVALUATED_IN: ("#19a7c9", None),
    RelationType.SPONSORED_BY: ("#19a7c9", [6, 4]),
    RelationType.STUDIES: ("#19a7c9", [2, 4]),
    RelationType.ACQUIRED: ("#1b6e2c", [6, 4]),
    RelationType.PARTNERS_WITH: ("#1b6e2c", [2, 4]),
    RelationType.SUBSIDIARY_OF: ("#1b6e2c", None),
    RelationType.SUPPORTED_BY: ("#b0b0b0", [2, 4]),
    RelationType.HAS_COMPONENT: ("#5b8def", [6, 4]),
    RelationType.DELIVERED_VIA: ("#1b2a80", [6, 4]),
    RelationType.ASSESSES: ("#808000", [6, 4]),
    RelationType.PART_OF: ("#8fbf2f", [2, 4]),
    RelationType.REGULATED_BY: ("#469990", [6, 4]),
    RelationType.PREDICTS_RESPONSE: ("#e6a700", None),
    RelationType.INTERACTS_WITH: ("#c8a2a2", [2, 4]),
    RelationType.RECOMMENDS: ("#4b4b4b", None),
}

# agent modality -> (legend label, colour) for the pipeline board (a qualitative palette that
# keeps its order readable for the common colour-vision deficiencies: Okabe-Ito, then tints).
MODALITY_STYLE: dict[str, tuple[str, str]] = {
    "small_molecule": ("Small molecule", "#0072b2"),
    "antibody": ("Antibody", "#009e73"),
    "antibody_drug_conjugate": ("Antibody-drug conjugate", "#d55e00"),
    "bispecific": ("Bispecific", "#cc79a7"),
    "cell_therapy": ("Cell therapy", "#e69f00"),
    "radiopharmaceutical": ("Radiopharmaceutical", "#56b4e9"),
    "peptide_drug_conjugate": ("Peptide-drug conjugate", "#8c564b"),
    "chemotherapy": ("Chemotherapy", "#7f7f7f"),
    "liposomal_formulation": ("Liposomal formulation", "#bcbd22"),
    "other": ("Other", "#b0b0b0"),
}

assert set(NODE_STYLE) == set(EntityType), "every entity type needs a map style"
assert set(EDGE_STYLE) == set(RelationType), "every relation verb needs a map style"
assert set(MODALITY_STYLE) == set(Modality), "every modality needs a pipeline colour"
