"""Provenance and evidence records: what a fact rests on."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .curie import Curie, LmkgId
from .vocab import (
    CNSEvidenceLevel,
    EpiMeasure,
    EvidenceDirection,
    EvidenceScope,
    Route,
    StudyDesign,
)

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def check_partial_date(value: object) -> str:
    """A calendar date given to the precision known: ``2020``, ``2020-04`` or ``2020-04-17``."""
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        raise ValueError(f"expected a date like 2020-04-17, got {type(value).__name__}")
    m = _PARTIAL_DATE.match(value)
    if not m:
        raise ValueError(f"{value!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = (int(g) if g else None for g in m.groups())
    if not 1900 <= year <= 2100:
        raise ValueError(f"year {year} in {value!r} is out of range")
    try:
        date(year, month or 1, day or 1)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a calendar date ({exc})") from None
    return value


def _date_as_text(value: object) -> object:
    # YAML reads 2020-04-17 as a date and 2020 as an int; both are kept as ISO text.
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


PartialDate = Annotated[str, BeforeValidator(_date_as_text), AfterValidator(check_partial_date)]

_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")


def check_url(value: str) -> str:
    if not isinstance(value, str) or not _URL.match(value):
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value


Url = Annotated[str, AfterValidator(check_url)]


def _number_as_text(value: object) -> object:
    # YAML reads 0.16 or 66 as numbers; a reported figure is kept as written.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


NumberText = Annotated[str, BeforeValidator(_number_as_text)]


def _one_or_many(value: object) -> object:
    # ``route: intrathecal`` and ``route: [intrathecal, intravenous]`` both read as a list.
    return (value,) if isinstance(value, str) else value


# Never in a name: C0/C1 controls (ESC begins the ANSI/OSC sequences that recolour, retitle or
# clear a terminal; NUL truncates C strings), format characters (RTL/LTR overrides and
# isolates, zero-width spaces and joiners, BOM, soft hyphen), line/paragraph separators and
# lone surrogates. In other text (descriptions, notes, titles) tab and newline are allowed,
# and so are the invisible format characters real titles carry, but not controls or the
# bidirectional overrides that make text read differently from what it holds.
_NAME_FIELDS = frozenset({"name", "synonyms"})
_NEVER = frozenset({"Cc", "Cs", "Zl", "Zp"})
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                  "\u2066\u2067\u2068\u2069")


def _char_name(c: str) -> str:
    import unicodedata

    label = unicodedata.name(c, "") or ("control character" if unicodedata.category(c) == "Cc"
                                        else "character")
    return f"U+{ord(c):04X} ({label})"


def check_text(value: str, name: bool = False) -> str:
    """Refuse characters that would make a text display as something it is not.

    ``name``: the stricter rule for names and synonyms (no control or format character at
    all, not even tab or newline). Raises ValueError saying which character and where.
    """
    if value.isprintable():
        return value
    import unicodedata

    for i, c in enumerate(value):
        cat = unicodedata.category(c)
        if name:
            bad = cat in _NEVER or cat == "Cf"
        else:
            bad = (cat in _NEVER and c not in "\t\n\r") or c in _BIDI
        if bad:
            where = "a name" if name else "text"
            raise ValueError(f"{_char_name(c)} at position {i + 1} is not allowed in {where} "
                             f"(control and invisible formatting characters are refused)")
    return value


def _check_any(value: Any, name: bool) -> None:
    if isinstance(value, str):
        check_text(value, name)
    elif isinstance(value, tuple | list):
        for v in value:
            _check_any(v, name)


class Model(BaseModel):
    """Base of every ontology object: immutable, and unknown fields are errors (typos).

    Every text field is checked by :func:`check_text` (names and synonyms strictly).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        _check_any(value, info.field_name in _NAME_FIELDS)
        return value


class SourceRef(Model):
    """Where a fact comes from: an identifier (PMID, DOI, NCT, ...) or a URL, and what it shows.

    ``note`` records what the source says in support of the fact; ``scope`` whether the source's
    finding is about leptomeningeal metastases, brain metastases, the CNS in general, or not
    CNS-specific; ``secondary`` marks a summary (review, press release, market report) used in
    place of the primary source. ``dataset``/``version``/``record`` give provenance for facts
    pulled from public datasets by a loader.
    """

    id: Curie | None = None
    url: Url | None = None
    title: str | None = None
    note: str | None = None
    scope: EvidenceScope | None = None
    secondary: bool = False
    accessed: PartialDate | None = None
    dataset: str | None = None
    version: str | None = None
    record: str | None = None

    @model_validator(mode="after")
    def _has_locator(self) -> SourceRef:
        if self.id is None and self.url is None:
            raise ValueError("a source needs an id (PMID:..., DOI:..., NCT:...) or a url")
        return self

    @property
    def key(self) -> str:
        """A stable identity for de-duplicating sources."""
        return self.id or self.url or ""

    @property
    def link(self) -> str:
        from .curie import expand

        return self.url or expand(self.id)  # type: ignore[arg-type]


class EpiFigure(Model):
    """A published epidemiology figure that names what it measures (``measure``), in which
    population (and, for a biomarker-selected one, which ``biomarker``), when, where, on how many
    patients, and from which source. ``metric`` keeps the wording of the source when it says
    more than the measure (``2-year cumulative incidence``, ``CSF-confirmed``)."""

    measure: EpiMeasure
    value: NumberText
    population: str = Field(min_length=1)
    metric: str | None = None
    biomarker: LmkgId | None = None
    period: str | None = None
    region: str | None = None
    patients: int | None = Field(default=None, ge=1)
    source: SourceRef


class DiagnosticPerformance(Model):
    """How well a diagnostic detects LM in one study: sensitivity and specificity as reported,
    against which reference standard, at which cut-off, in which population (and ``cancer``
    id when the patients had one cancer), on how many patients."""

    sensitivity: NumberText | None = None
    specificity: NumberText | None = None
    reference_standard: str = Field(min_length=1)
    population: str = Field(min_length=1)
    cutoff: str | None = None
    cancer: LmkgId | None = None
    patients: int | None = Field(default=None, ge=1)
    study_design: StudyDesign | None = None
    source: SourceRef

    @model_validator(mode="after")
    def _has_a_figure(self) -> DiagnosticPerformance:
        if self.sensitivity is None and self.specificity is None:
            raise ValueError("a performance record needs a sensitivity or a specificity")
        return self


class CNSEvidence(Model):
    """One finding on whether an agent reaches or acts in the CNS, at a stated level.

    ``cancer`` and ``biomarker`` say in which cancer (and biomarker-selected population) the
    finding was shown, so that evidence from one cancer is never read as evidence in another;
    ``patients`` is the number of patients the figure rests on (evaluable, as reported), which
    weighs the record within its level; ``route`` how the agent was given in the finding when
    the source says so (intrathecal trastuzumab, intraventricular rituximab, high-dose
    intravenous methotrexate; one route or a list), so that evidence for one route is never
    read as evidence for the agent's usual one.
    """

    level: CNSEvidenceLevel
    metric: str
    value: NumberText
    population: str | None = None
    cancer: LmkgId | None = None
    biomarker: LmkgId | None = None
    patients: int | None = Field(default=None, ge=1)
    direction: EvidenceDirection = EvidenceDirection.SUPPORTS
    study_design: StudyDesign | None = None
    route: Annotated[tuple[Route, ...] | None, BeforeValidator(_one_or_many)] = Field(
        default=None, description="How the agent was given in the finding, when the source "
                                  "says so (intrathecal, intraventricular, ...).")
    source: SourceRef
