"""Provenance and evidence records: what a fact rests on."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from .curie import Curie, LmkgId
from .vocab import CNSEvidenceLevel, EpiMeasure, EvidenceDirection, EvidenceScope, StudyDesign

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


class Model(BaseModel):
    """Base of every ontology object: immutable, and unknown fields are errors (typos)."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


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
    weighs the record within its level.
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
    source: SourceRef
