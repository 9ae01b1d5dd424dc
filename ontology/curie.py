"""CURIE prefixes, their syntax and the resolvable IRIs they expand to.

Local entity ids are ``lmkg:<kind>/<slug>`` (``lmkg:agent/osimertinib``); external identifiers
are CURIEs whose local part is checked against the prefix's pattern, so a malformed PMID or NCT
number is caught when the data is read, not when a user clicks a dead link.

The prefixes, their patterns and URI prefixes are the Bioregistry's (``prefixes.json``,
generated from the ``bioregistry`` package by ``scripts/make_prefixes.py`` and checked by a
test); expansion is done by a ``curies`` converter built from them (:func:`converter`).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import curies

LMKG_NAMESPACE = "https://w3id.org/lmkg/"
LMKG_SCHEMA_NAMESPACE = "https://w3id.org/lmkg/schema#"


@dataclass(frozen=True)
class Prefix:
    """An external identifier scheme, as the Bioregistry defines it (``prefixes.json``)."""

    name: str
    pattern: re.Pattern[str]
    iri: str
    example: str
    label: str
    bioregistry: str
    biolink: str | None

    def expand(self, local: str) -> str:
        return self.iri + local


def _load_prefixes() -> dict[str, Prefix]:
    # Generated from the bioregistry and biolink-model packages by scripts/make_prefixes.py;
    # read as plain JSON so that importing lmkg needs neither package.
    from importlib.resources import files

    doc = json.loads(files("lmkg.ontology").joinpath("prefixes.json").read_text(encoding="utf-8"))
    return {
        r["prefix"]: Prefix(r["prefix"], re.compile(r["pattern"]), r["uri_prefix"],
                            r["example"], r["name"], r["bioregistry"], r["biolink"])
        for r in doc["prefixes"]
    }


@functools.cache
def prefixes() -> dict[str, Prefix]:
    """Every external prefix lmkg uses (also the module attribute ``PREFIXES``), read and its
    patterns compiled on first use: opening a saved graph needs none of them."""
    return _load_prefixes()


@functools.cache
def converter() -> curies.Converter:
    """A :class:`curies.Converter` for every prefix lmkg uses (and ``lmkg`` itself), with the
    Bioregistry's and the Biolink Model's spellings as synonyms: ``expand``, ``compress`` and
    ``standardize_curie`` as the ``curies`` package does them."""
    import curies

    records = [curies.Record(prefix="lmkg", uri_prefix=LMKG_NAMESPACE)]
    for p in prefixes().values():
        synonyms = sorted({s for s in (p.bioregistry, p.biolink) if s and s != p.name})
        records.append(curies.Record(prefix=p.name, uri_prefix=p.iri, prefix_synonyms=synonyms,
                                     pattern=p.pattern.pattern))
    return curies.Converter(records)


# What an lmkg id's kind segment must be for each entity type (see ontology.entities).
ID_KINDS = (
    "cancer", "site", "gene", "biomarker", "class", "agent", "regimen", "company", "designation",
    "agency",
    "trial", "publication", "diagnostic", "delivery", "radiotherapy", "guideline", "region",
    "country",
)


@functools.cache
def _lmkg_id() -> re.Pattern[str]:
    # Compiled on first use (a few ms): only the models and loaders check lmkg ids.
    return re.compile(r"^lmkg:(" + "|".join(ID_KINDS) + r")/[a-z0-9][a-z0-9._+-]*$")


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
    known_prefixes = prefixes()
    spec = known_prefixes.get(prefix)
    if spec is None:
        same = [p.name for p in known_prefixes.values()
                if prefix.casefold() in {p.bioregistry.casefold(), (p.biolink or "").casefold(),
                                         p.name.casefold()}]
        if same:
            raise CurieError(f"CURIE prefix {prefix!r} in {value!r} is spelled {same[0]} in lmkg "
                             f"(write {same[0]}:{local})")
        known = ", ".join(sorted(known_prefixes))
        raise CurieError(f"unknown CURIE prefix {prefix!r} in {value!r} (the registered prefixes "
                         f"lmkg uses: {known}; see scripts/make_prefixes.py to add one)")
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
    if not _lmkg_id().match(value):
        raise CurieError(
            f"malformed lmkg id {value!r} (expected lmkg:<kind>/<slug>, kind one of "
            f"{', '.join(ID_KINDS)}; slug lower-case letters, digits, . _ + -)"
        )
    return value


def id_kind(lmkg_id: str) -> str:
    return lmkg_id.split(":", 1)[1].split("/", 1)[0]


@functools.cache
def _uri_prefixes() -> dict[str, str]:
    return {"lmkg": LMKG_NAMESPACE, **{p.name: p.iri for p in prefixes().values()}}


def expand(curie: str) -> str:
    """The resolvable IRI of a CURIE (lmkg ids expand into the lmkg namespace).

    A prefix spelled as lmkg spells it (every identifier in a built graph: the loaders check
    it) expands by one dict lookup, as the ``curies`` converter would; another spelling the
    Bioregistry knows (``pubmed:1``) goes through the converter (:func:`converter`).
    """
    prefix, sep, local = curie.partition(":")
    base = _uri_prefixes().get(prefix) if sep else None
    if base is not None:
        return base + local
    iri = converter().expand(curie)
    if iri is None:
        raise CurieError(f"cannot expand {curie!r}: unknown CURIE prefix")
    return iri


def __getattr__(name: str) -> Any:
    if name == "PREFIXES":
        return prefixes()
    # The pydantic field types, built on first use (by the models), so that reading a saved
    # graph never imports pydantic.
    if name in ("Curie", "LmkgId"):
        from typing import Annotated

        from pydantic import AfterValidator

        check = check_curie if name == "Curie" else check_lmkg_id
        value = globals()[name] = Annotated[str, AfterValidator(check)]
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
