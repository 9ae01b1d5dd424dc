"""The LM rule: is a registered study a trial for patients with leptomeningeal metastases?

The rule is written out, with its reasons and examples, in ``docs/trials.md``; this module is
that text as code, and the ctgov loader applies it to every record it reads (the shipped
snapshot, a ``lmkg fetch ctgov`` directory, any API v2 file).

It reads what the record says, in this order, and the first part that names LM decides:

1. the titles (brief and official; an official title that shares no word with the rest of the
   record belongs to another study and is set aside, with a note);
2. the registered conditions and keywords;
3. the brief summary and detailed description (a verdict that rests on these alone is *unsure*
   and needs a reviewer's verdict in ``data/registry/lm-review.tsv``);
4. the eligibility criteria, when the record has them (inclusion: LM allowed; exclusion: LM
   excluded).

"LM" means leptomeningeal spread of a cancer (leptomeningeal metastases or disease, neoplastic,
carcinomatous, lymphomatous or leukaemic meningitis, meningeal carcinomatosis, "metastatic to the
lining around the brain", ...). The abbreviations "LM" and "LMD" never count alone: they also mean
left main (coronary) disease, laser-mediated destruction or low mood. Words in another sense
(leptomeningeal inflammation in multiple sclerosis, leptomeningeal collaterals in stroke,
leptomeningeal amyloid, primary melanocytic or glioneuronal tumours of the meninges) do not
count, and a record that names no cancer at all is not an LM trial.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lmkg.ontology.vocab import LMPopulation, LMVerdictBasis

P = LMPopulation

# Leptomeningeal spread of a cancer, in the words registries use (English, lay and clinical).
LM_TERM = re.compile(
    r"""\b(?:
        lept?om[ei]n(?:in)?g(?:eal|es|ial)\w*               # leptomeningeal, -meninges, -mingeal
      | mening[ei]al\s+(?:metasta\w*|carcinomatos\w*|malignanc\w*|neoplasm\w*|tumou?rs?|cancers?
                        |involvement|progression|spread|dissemination|disease|(?:\w+\s+){0,2}leuka?emia
                        |lymphoma|carcinoma|relapse|recurrence)
      | (?:neoplastic|carcinomatous|lymphomatous|leuka?emic|metastatic|malignant)\s+meningitis
      | meningeosis(?:\s+(?:neoplastica|carcinomatosa|leuka?emica))?
      | carcinomatosis\s+of\s+the\s+meninges
      | (?:metasta\w*|spread)\s+to\s+the\s+(?:thin\s+)?(?:lining|membranes?|tissues?)\s+
            (?:around|surrounding|covering|of)\s+the\s+brain
      | LM\s+disease
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# "leptomeningeal" in another sense than cancer spread (the word right after it tells).
OTHER_SENSE_AFTER = re.compile(
    r"^\W*(?:\w+\W+)?(?:amyloid\w*|ttr|collateral\w*|anastomos\w*|vessels?|blood\s+flow|"
    r"inflammation|melanocyt\w*|glioneuronal|lymphatic)",
    re.IGNORECASE)
CANCER_AFTER = re.compile(
    r"^\W*(?:metasta\w*|disease|carcinomatos\w*|cancers?|neoplasm\w*|malignan\w*|tumou?rs?|"
    r"spread|involvement|progression|dissemination|melanoma|lymphoma|leuka?emia|"
    r"glioblastoma|medulloblastoma|ependymoma)", re.IGNORECASE)
PRIMARY_MENINGEAL = re.compile(r"meningioma|hemangiopericytoma|meningeal\s+melano", re.IGNORECASE)
# A study of another disease of the nervous system, named in its title or conditions.
OTHER_DISEASE = re.compile(
    r"multiple\s+sclerosis|amyloid|stroke|subdural|h(?:a)?ematoma|h(?:a)?emorrhage|tubercul|"
    r"sars-cov|covid|alzheimer|parkinson|occlusion|leukodystrophy|aseptic\s+meningitis",
    re.IGNORECASE)
ONCOLOGY = re.compile(
    r"cancer|carcinom|tumou?r|neoplas|malignan|metasta|lymphom|leuka?em|melanom|gliom|blastom|"
    r"sarcom|myelom|\bN?SCLC\b|oncolog|ependymom", re.IGNORECASE)
# Cues in the words before an LM term (same sentence).
ALLOWED_BEFORE = re.compile(r"\bwith\s+or\s+without\s+(?:\w+\W+){0,3}$", re.IGNORECASE)
# A sentence that rules patients out ("People cannot take part if ...") negates what follows;
# a plain "without" or "no" only the next few words, up to a "with" ("without prior therapy, or
# with LM" admits LM).
EXCLUDED_BEFORE = re.compile(
    r"\b(?:exclud\w*|except(?:\s+for)?|cannot\s+take\s+part|must\s+not|not\s+eligible|"
    r"ineligible|may\s+not\s+(?:take\s+part|enrol+|participate))\b[^.;]{0,120}$", re.IGNORECASE)
NEGATED_BEFORE = re.compile(
    r"\b(?:without|no|not|other\s+than|absence\s+of|free\s+of)\b(?:(?!\bwith\b)[^.;]){0,40}$",
    re.IGNORECASE)
WITH_OR_WITHOUT = re.compile(r"\bwith\s+or\s+without\b", re.IGNORECASE)
OUTCOME_BEFORE = re.compile(
    r"\b(?:risk|incidence|prevent\w*|reduc\w*|lower\w*|delay\w*|development|occurrence|"
    r"cumulative)\b[^.;:]{0,40}$", re.IGNORECASE)
OUTCOME_AFTER = re.compile(r"^\W*(?:\w+\W+)?(?:incidence|risk|rate)\b", re.IGNORECASE)
# A title that names LM beside another CNS population: brain or CNS metastases *or* LM.
_CNS = r"(?:brain|cns|central\s+nervous\s+system|intracranial|parenchymal|cerebral)"
COHORT_BEFORE = re.compile(_CNS + r"\b[^.;:]{0,40}?(?:\band/or\b|\bor\b|\band\b|/)\s*(?:\w+\W+){0,3}$",
                           re.IGNORECASE)
COHORT_AFTER = re.compile(r"^\w*\W*(?:\w+\W+){0,3}?(?:and/or|or|/|,)\s*(?:\w+\W+){0,2}?" + _CNS + r"\b",
                          re.IGNORECASE)
WITH_OR_WITHOUT_AFTER = re.compile(r"^\w*\W*(?:\w+\W+){0,3}?with\s+or\s+without\b", re.IGNORECASE)
SENTENCE = re.compile(r"(?<=[.;!?])\s+|\n+")
# A condition list this long is a catch-all (NCI's lists of every leukaemia subtype).
CATCH_ALL = 20
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    "with without from that this study trial phase patients patient treatment treating their "
    "them have been will into versus after before during under over among such other than more "
    "most only also open label randomized randomised single multicenter multicentre center "
    "centre clinical evaluate evaluating safety efficacy".split())


@dataclass(frozen=True)
class StudyText:
    """The parts of a registry record the rule reads, each as registered."""

    nct: str
    brief_title: str = ""
    official_title: str | None = None  # None when missing, or set aside as another study's
    conditions: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    summary: str = ""  # brief summary and detailed description
    inclusion: str | None = None
    exclusion: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def titles(self) -> list[str]:
        return [t for t in (self.brief_title, self.official_title) if t]

    @property
    def all_text(self) -> str:
        return " ".join([*self.titles, *self.conditions, *self.keywords, self.summary,
                         self.inclusion or "", self.exclusion or ""])


@dataclass(frozen=True)
class Verdict:
    """The rule's answer for one record: the population, why, and whether it is sure."""

    population: LMPopulation
    reason: str
    unsure: bool = False
    basis: LMVerdictBasis = LMVerdictBasis.RULE

    @property
    def lm_specific(self) -> bool:
        return self.population.is_lm


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.casefold()) if len(w) >= 4 and w not in _STOP}


def study_text(proto: Mapping[str, Any]) -> StudyText:
    """The rule's view of an API v2 ``protocolSection``.

    An official title that shares no content word with the brief title, conditions, keywords and
    summary is set aside (NCT02422641's official title is another study's, in the registry
    itself), and a note says so.
    """
    ident = proto.get("identificationModule") or {}
    cond = proto.get("conditionsModule") or {}
    desc = proto.get("descriptionModule") or {}
    elig = (proto.get("eligibilityModule") or {}).get("eligibilityCriteria")
    brief = ident.get("briefTitle") or ""
    official = ident.get("officialTitle") or None
    conditions = tuple(c for c in cond.get("conditions") or [] if isinstance(c, str))
    keywords = tuple(k for k in cond.get("keywords") or [] if isinstance(k, str))
    summary = " ".join(x for x in (desc.get("briefSummary"), desc.get("detailedDescription"))
                       if isinstance(x, str))
    notes: list[str] = []
    if official:
        own = _words(official)
        rest = _words(" ".join([brief, *conditions, *keywords, summary]))
        if len(own) >= 4 and not own & rest:
            notes.append(f"official title {official!r} shares no word with the brief title, "
                         "conditions or summary: it belongs to another study and was not used")
            official = None
    inclusion, exclusion = _split_eligibility(elig) if isinstance(elig, str) else (None, None)
    summary, in_summary = _split_eligibility(summary)
    if in_summary:  # some summaries copy the exclusion criteria
        exclusion = " ".join(x for x in (exclusion, in_summary) if x)
    return StudyText(nct=ident.get("nctId") or "", brief_title=brief, official_title=official,
                     conditions=conditions, keywords=keywords, summary=summary,
                     inclusion=inclusion, exclusion=exclusion, notes=tuple(notes))


# The heading of an exclusion list ("Exclusion Criteria:", or followed by a list), not the words
# in running text ("meeting none of the exclusion criteria, will ...").
_EXCLUSION_HEAD = re.compile(r"exclusion\s+criteria\s*(?::|\n|(?=[*\-•]))", re.IGNORECASE)


def _split_eligibility(text: str) -> tuple[str, str | None]:
    m = _EXCLUSION_HEAD.search(text)
    if not m:
        return text, None
    return text[:m.start()], text[m.end():]


@dataclass
class _Hit:
    region: str  # title | condition | keyword | summary | inclusion | exclusion
    text: str  # the whole title, condition or sentence
    term: str
    sense: str  # positive | allowed | negated | outcome | other
    start: int
    end: int
    specific: bool  # the words themselves name cancer spread ("leptomeningeal metastases")


def _hits(region: str, texts: Iterable[str]) -> list[_Hit]:
    out: list[_Hit] = []
    for text in texts:
        for m in LM_TERM.finditer(text):
            before, after = text[:m.start()], text[m.end():]
            if OTHER_SENSE_AFTER.match(after) and m.group().lower().startswith("lept"):
                sense = "other"
            elif ALLOWED_BEFORE.search(before):
                sense = "allowed"
            elif EXCLUDED_BEFORE.search(before) or \
                    NEGATED_BEFORE.search(WITH_OR_WITHOUT.sub("with", before)):
                sense = "negated"
            elif OUTCOME_BEFORE.search(before) or OUTCOME_AFTER.match(after):
                sense = "outcome"
            else:
                sense = "positive"
            specific = not m.group().lower().startswith("lept") or bool(CANCER_AFTER.match(after))
            out.append(_Hit(region, text, m.group(), sense, m.start(), m.end(), specific))
    return out


def _sentences(text: str) -> list[str]:
    return [s for s in SENTENCE.split(text) if s.strip()]


def _quote(text: str, hit: _Hit | None = None, width: int = 160) -> str:
    if hit is None or len(text) <= width:
        shown = text
    else:
        a = max(0, hit.start - width // 2)
        shown = ("..." if a else "") + text[a:a + width] + ("..." if a + width < len(text) else "")
    return '"' + " ".join(shown.split()) + '"'


def lm_verdict(st: StudyText) -> Verdict:
    """The rule's verdict on one record (docs/trials.md)."""
    everything = st.all_text
    titles = _hits("title", st.titles)
    conds = _hits("condition", st.conditions)
    keys = _hits("keyword", st.keywords)
    summ = _hits("summary", _sentences(st.summary))
    incl = _hits("inclusion", _sentences(st.inclusion or ""))
    excl = _hits("exclusion", _sentences(st.exclusion or ""))
    hits = titles + conds + keys + summ + incl + excl
    if not hits:
        about = (" (the title names a primary tumour of the meninges, not metastatic spread)"
                 if any(PRIMARY_MENINGEAL.search(t) for t in st.titles) else "")
        return Verdict(P.NO_LM, "no LM term in the title, conditions or summary" + about)
    core = " ".join([*st.titles, *st.conditions, *st.keywords])
    if OTHER_DISEASE.search(core) and not ONCOLOGY.search(core):
        m = OTHER_DISEASE.search(core)
        return Verdict(P.OTHER_SENSE, f"a study of another disease ({m.group()!r} in the title "
                                      "or conditions), not of cancer spread to the leptomeninges")
    if not any(h.specific for h in hits) and not ONCOLOGY.search(everything):
        h = hits[0]
        return Verdict(P.OTHER_SENSE, f"not a cancer study: {h.region} {_quote(h.text, h)} uses "
                                      "a meningeal term in another sense")
    real = [h for h in hits if h.sense != "other"]
    if not real:
        h = hits[0]
        return Verdict(P.OTHER_SENSE, f"{h.region} {_quote(h.text, h)}: 'leptomeningeal' in "
                                      "another sense than cancer spread")

    def positive(hs: list[_Hit]) -> list[_Hit]:
        return [h for h in hs if h.sense in ("positive", "allowed")]

    if positive(titles):
        return _title_verdict(positive(titles))
    summary_pos = positive(summ)
    for region_hits, what in ((conds, "condition"), (keys, "keyword")):
        pos = positive(region_hits)
        if not pos:
            continue
        h = pos[0]
        if what == "condition" and len(st.conditions) >= CATCH_ALL and not summary_pos:
            return Verdict(P.MENTIONS_LM,
                           f"LM is named only as one of {len(st.conditions)} registered "
                           f"conditions (a catch-all list: {_quote(h.text)}); the title and "
                           "summary do not name it")
        return Verdict(P.LM_ALLOWED,
                       f"registered {what} {_quote(h.text)}; the title names a wider population "
                       f"({_quote(st.brief_title)})")
    if summary_pos:
        h = summary_pos[0]
        guess = P.LM_COHORT if re.search(_CNS + r"|cohort|arm\b", h.text, re.IGNORECASE) \
            else P.LM_ALLOWED
        return Verdict(guess, f"LM is named only in the summary: {_quote(h.text, h)}",
                       unsure=True)
    if positive(incl):
        h = positive(incl)[0]
        return Verdict(P.LM_ALLOWED, f"the inclusion criteria admit LM: {_quote(h.text, h)}")
    negated = [h for h in real if h.sense == "negated" or h.region == "exclusion"]
    if negated:
        h = negated[0]
        return Verdict(P.EXCLUDES_LM, f"the record excludes LM: {h.region} {_quote(h.text, h)}")
    outcome = [h for h in real if h.sense == "outcome"]
    if outcome:
        h = outcome[0]
        return Verdict(P.LM_OUTCOME, f"LM is an outcome to prevent or measure, not the "
                                     f"population: {h.region} {_quote(h.text, h)}")
    h = real[0]
    return Verdict(P.MENTIONS_LM, f"LM is mentioned ({h.region} {_quote(h.text, h)}) but not "
                                  "as the population", unsure=True)


def _title_verdict(hits: list[_Hit]) -> Verdict:
    for h in hits:
        if h.sense == "allowed":
            return Verdict(P.LM_ALLOWED, f"title {_quote(h.text)} admits patients with or "
                                         "without LM")
    for h in hits:
        after = h.text[h.end:]
        if WITH_OR_WITHOUT_AFTER.match(after):
            continue  # "LM with or without brain involvement": every patient has LM
        if COHORT_BEFORE.search(h.text[:h.start]) or COHORT_AFTER.match(after):
            return Verdict(P.LM_COHORT, f"title {_quote(h.text)} names LM beside brain or CNS "
                                        "disease")
    return Verdict(P.LM_ONLY, f"title {_quote(hits[0].text)} names LM as the population")


# -- the reviewers' verdicts ---------------------------------------------------------------------

REVIEW_COLUMNS = ("nct_id", "population", "reason", "reviewed")


@dataclass
class Review:
    """Verdicts a person gave after reading a record (``data/registry/lm-review.tsv``)."""

    path: str | None = None
    verdicts: dict[str, Verdict] = field(default_factory=dict)
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (line, field, reason)

    def apply(self, nct: str, rule: Verdict) -> Verdict:
        return self.verdicts.get(nct, rule)


def read_review(path: Path | None) -> Review:
    """The review table: one row per record, ``nct_id  population  reason  reviewed``.

    Bad rows are reported (line, field, reason) and left out; the rule's verdict then stands.
    """
    review = Review(path=str(path) if path else None)
    if path is None or not Path(path).is_file():
        return review
    with Path(path).open(encoding="utf-8", newline="") as fh:
        rows = csv.reader((line for line in fh), delimiter="\t")
        header = next(rows, None)
        if header is None or tuple(h.strip() for h in header) != REVIEW_COLUMNS:
            review.problems.append((1, "", f"wrong columns {header!r}: expected "
                                            f"{', '.join(REVIEW_COLUMNS)}"))
            return review
        for n, row in enumerate(rows, 2):
            if not row or not "".join(row).strip() or row[0].startswith("#"):
                continue
            if len(row) != len(REVIEW_COLUMNS):
                review.problems.append((n, "", f"expected {len(REVIEW_COLUMNS)} tab-separated "
                                                f"fields, found {len(row)}"))
                continue
            nct, pop, reason, _when = (x.strip() for x in row)
            if not re.fullmatch(r"NCT\d{8}", nct):
                review.problems.append((n, "nct_id", f"{nct!r} is not an NCT number"))
                continue
            try:
                population = LMPopulation(pop)
            except ValueError:
                review.problems.append((n, "population", f"{pop!r} is not one of "
                                                         f"{', '.join(LMPopulation.values())}"))
                continue
            if not reason:
                review.problems.append((n, "reason", "a verdict needs its reason"))
                continue
            if nct in review.verdicts:
                review.problems.append((n, "nct_id", f"{nct} is reviewed twice"))
                continue
            review.verdicts[nct] = Verdict(population, f"review: {reason}",
                                           basis=LMVerdictBasis.REVIEW)
    return review
