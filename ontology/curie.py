"""CURIE prefixes, their syntax and the resolvable IRIs they expand to.

Local entity ids are ``lmkg:<kind>/<slug>`` (``lmkg:agent/osimertinib``); external identifiers
are CURIEs whose local part is checked against the prefix's pattern, so a malformed PMID or NCT
number is caught when the data is read, not when a user clicks a dead link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator

LMKG_NAMESPACE = "https://w3id.org/lmkg/"
LMKG_SCHEMA_NAMESPACE = "https://w3id.org/lmkg/schema#"


@dataclass(frozen=True)
class Prefix:
    """An external identifier scheme: pattern of its local part and the IRI it resolves to."""

    name: str
    pattern: re.Pattern[str]
    iri: str
    example: str
    label: str

    def expand(self, local: str) -> str:
        return self.iri.format(local)


def _p(name: str, pattern: str, iri: str, example: str, label: str) -> Prefix:
    return Prefix(name, re.compile(pattern), iri, example, label)


PREFIXES: dict[str, Prefix] = {
    p.name: p
    for p in (
        _p("PMID", r"^[1-9]\d{0,8}$", "https://pubmed.ncbi.nlm.nih.gov/{}/", "31751012", "PubMed"),
        _p("PMC", r"^PMC\d+$", "https://www.ncbi.nlm.nih.gov/pmc/articles/{}/", "PMC6951219",
           "PubMed Central"),
        _p("DOI", r"^10\.\d{4,9}/\S+$", "https://doi.org/{}", "10.1200/JCO.2018.78.3118", "DOI"),
        _p("NCT", r"^NCT\d{8}$", "https://clinicaltrials.gov/study/{}", "NCT02151981",
           "ClinicalTrials.gov"),
        _p("CHEMBL", r"^CHEMBL\d+$", "https://identifiers.org/chembl.compound:{}",
           "CHEMBL3353410", "ChEMBL compound"),
        _p("NCIT", r"^C\d+$", "http://purl.obolibrary.org/obo/NCIT_{}", "C2926", "NCI Thesaurus"),
        _p("MONDO", r"^\d{7}$", "http://purl.obolibrary.org/obo/MONDO_{}", "0005233", "MONDO"),
        _p("DOID", r"^\d+$", "http://purl.obolibrary.org/obo/DOID_{}", "3908", "Disease Ontology"),
        _p("HGNC", r"^\d+$", "https://identifiers.org/hgnc:{}", "3236", "HGNC"),
        _p("NCBIGENE", r"^\d+$", "https://identifiers.org/ncbigene:{}", "1956", "NCBI Gene"),
        _p("UNII", r"^[A-Z0-9]{10}$", "https://identifiers.org/unii:{}", "3C06JJ0Z2O", "FDA UNII"),
        _p("DRUGBANK", r"^DB\d{5}$", "https://identifiers.org/drugbank:{}", "DB09330",
           "DrugBank"),
        _p("CAS", r"^\d{2,7}-\d{2}-\d$", "https://identifiers.org/cas:{}", "1421373-65-0",
           "CAS Registry"),
        _p("INCHIKEY", r"^[A-Z]{14}-[A-Z]{10}-[A-Z]$", "https://identifiers.org/inchikey:{}",
           "DUYJMQONPNNFPI-UHFFFAOYSA-N", "InChIKey"),
        _p("MESH", r"^[CDQ]\d+$", "https://identifiers.org/mesh:{}", "D000077212", "MeSH"),
        _p("CIVIC.EID", r"^\d+$", "https://identifiers.org/civic.eid:{}", "3017",
           "CIViC evidence item"),
        _p("PUBCHEM.COMPOUND", r"^\d+$", "https://pubchem.ncbi.nlm.nih.gov/compound/{}", "71496458",
           "PubChem compound"),
        _p("WIKIDATA", r"^Q\d+$", "https://www.wikidata.org/wiki/{}", "Q3376337", "Wikidata"),
        _p("ROR", r"^0[a-z0-9]{6}\d{2}$", "https://ror.org/{}", "04r9x1a08", "ROR"),
        _p("EUCT", r"^\d{4}-\d{6}-\d{2}(-\d{2})?$",
           "https://euclinicaltrials.eu/search-for-clinical-trials/?lang=en&EUCT={}",
           "2023-503689-37-00", "EU CT number"),
        _p("FDA.APPL", r"^(NDA|BLA|ANDA)\d{6}$",
           "https://www.accessdata.fda.gov/scripts/cder/daf/index.cfm?event=overview.process&ApplNo={}",
           "NDA208065", "Drugs@FDA application"),
    )
}

# What an lmkg id's kind segment must be for each entity type (see ontology.entities).
ID_KINDS = (
    "cancer", "site", "gene", "biomarker", "class", "agent", "regimen", "company", "designation",
    "agency",
    "trial", "publication", "diagnostic", "delivery", "radiotherapy", "guideline", "region",
    "country",
)
_LMKG_ID = re.compile(r"^lmkg:(" + "|".join(ID_KINDS) + r")/[a-z0-9][a-z0-9._+-]*$")
_CURIE = re.compile(r"^([A-Za-z][A-Za-z0-9.]*):(.+)$")


class CurieError(ValueError):
    """A string is not a well-formed CURIE of a known prefix."""


def split_curie(value: str) -> tuple[str, str]:
    m = _CURIE.match(value)
    if not m:
        raise CurieError(f"{value!r} is not a CURIE (expected PREFIX:local, e.g. PMID:31751012)")
    return m.group(1), m.group(2)


def check_curie(value: str) -> str:
    """Return ``value`` if it is a CURIE of a known prefix with a well-formed local part."""
    if not isinstance(value, str):
        raise CurieError(f"expected a CURIE string, got {type(value).__name__}")
    prefix, local = split_curie(value)
    if prefix == "lmkg":
        return check_lmkg_id(value)
    spec = PREFIXES.get(prefix)
    if spec is None:
        known = ", ".join(sorted(PREFIXES))
        raise CurieError(f"unknown CURIE prefix {prefix!r} in {value!r} (known: {known})")
    if not spec.pattern.match(local):
        raise CurieError(
            f"malformed {prefix} identifier {local!r} (expected like {spec.example!r})"
        )
    return value


def normalise_lmkg_id(value: str) -> str:
    """Accept the short form ``agent/osimertinib`` used in YAML and return ``lmkg:agent/...``."""
    if isinstance(value, str) and not value.startswith("lmkg:") and "/" in value:
        return "lmkg:" + value
    return value


def check_lmkg_id(value: str) -> str:
    if not isinstance(value, str):
        raise CurieError(f"expected an lmkg id string, got {type(value).__name__}")
    value = normalise_lmkg_id(value)
    if not _LMKG_ID.match(value):
        raise CurieError(
            f"malformed lmkg id {value!r} (expected lmkg:<kind>/<slug>, kind one of "
            f"{', '.join(ID_KINDS)}; slug lower-case letters, digits, . _ + -)"
        )
    return value


def id_kind(lmkg_id: str) -> str:
    return lmkg_id.split(":", 1)[1].split("/", 1)[0]


def expand(curie: str) -> str:
    """The resolvable IRI of a CURIE (lmkg ids expand into the lmkg namespace)."""
    prefix, local = split_curie(curie)
    if prefix == "lmkg":
        return LMKG_NAMESPACE + local
    return PREFIXES[prefix].expand(local)


Curie = Annotated[str, AfterValidator(check_curie)]
LmkgId = Annotated[str, AfterValidator(check_lmkg_id)]
