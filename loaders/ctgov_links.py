"""What a registered trial tests and in whom, read from its words (docs/trials.md, "Links").

A full registry record lists its interventions and conditions; the shipped snapshot kept
neither, so the same facts are also read from the titles and summary by a written rule:

- **agents and drug classes**: any name or synonym of an agent or class already in the graph,
  found in a title, a registered intervention, or a *purpose sentence* of the summary (one that
  says what the study does: "The purpose of this study is ...", "Patients will receive ...",
  "... to evaluate ..."); the longest name wins ("trastuzumab deruxtecan", not "trastuzumab"), and
  names of two characters or fewer are not read ("IP" is also intraperitoneal). Background
  sentences ("commonly used drugs include methotrexate ...") are not read.
- **routes**: intrathecal (intrathecal, intra-CSF, lumbar puncture), intraventricular
  (intraventricular, intracerebroventricular, Ommaya, lateral-ventricle or ventricular-catheter
  delivery), intravenous, oral; from the same places.
- **radiotherapy**: the technique named (proton or photon craniospinal irradiation,
  whole-brain, involved-field, stereotactic, tomotherapy, or radiotherapy unspecified); never
  radioimmunotherapy or a radiolabelled drug, which are agents.
- **diagnostics**: a test the graph holds (CSF ctDNA, CSF circulating tumour cells by an EpCAM
  (CellSearch) assay, CSF cytology, gadolinium-enhanced MRI) named in a title or purpose sentence
  by the table :data:`DIAGNOSTIC_TERMS`; a diagnostic study tests the diagnostic.
- **cancers and biomarkers**: from the titles, conditions and keywords only (a summary often
  names other cancers as background), by the table :data:`CANCER_TERMS` and
  :data:`BIOMARKER_TERMS` (HER2-positive breast cancer, EGFR-mutant NSCLC, ALK-positive, ...).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from lmkg.ontology.vocab import Route

PURPOSE = re.compile(
    r"\b(?:purpose|aims?|objectives?|goals?|"
    r"this\s+(?:is\s+an?\s+)?(?:[\w,-]+\s+){0,5}?(?:study|trial|research|protocol)|"
    r"we\s+(?:will|propose|plan|hypothes\w*)|will\s+(?:receive|be\s+given|be\s+treated|"
    r"be\s+randomi[sz]ed|be\s+assigned|be\s+enrolled|be\s+administered|undergo)|"
    r"(?:to|will)\s+(?:evaluate|assess|determine|test|investigate|explore|observe|compare|"
    r"study|find\s+out|learn|establish|define)|is\s+studying|are\s+studying|designed\s+to|"
    r"phase\s+(?:i|ii|iii|1|2|3)\w*\s+(?:trial|study))\b",
    re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.;!?])\s+|\n+")
# Tokens split at spaces, hyphens, slashes and brackets; a name's key is its tokens' keys
# joined, so "Ara-C", "T-DXd" and "Intrathecal-MTX" are all found.
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9+.']*")

ROUTE_TERMS: tuple[tuple[Route, re.Pattern[str]], ...] = (
    (Route.INTRAVENTRICULAR, re.compile(
        r"intra-?(?:cerebro-?)?ventricular\w*|ommaya|lateral\s+ventric\w*\s+(?:chemotherapy|"
        r"injection|infusion|administration)|ventricular\s+(?:catheter|reservoir)|"
        r"into\s+the\s+(?:lateral\s+)?ventricles?", re.IGNORECASE)),
    (Route.INTRATHECAL, re.compile(
        r"intra-?thecal\w*|intra-?csf|lumbar\s+puncture|\bIT\s+(?:injection|chemotherapy|"
        r"administration|therapy)|directly\s+into\s+the\s+(?:cerebrospinal\s+fluid|csf)",
        re.IGNORECASE)),
    (Route.INTRAVENOUS, re.compile(r"\bintravenous\w*|\bIV\b", re.IGNORECASE)),
    (Route.ORAL, re.compile(r"\boral(?:ly)?\b|\btablets?\b|\bcapsules?\b", re.IGNORECASE)),
)
_NOT_RT = r"(?<!radioimmuno)(?<!chemo)"
RADIOTHERAPY_TERMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # Craniospinal irradiation "using proton therapy or VMAT" names both techniques.
    ("proton craniospinal irradiation", re.compile(
        r"proton\W+(?:beam\W+)?(?:(?:radiation|radiotherapy)\W+(?:therapy\W+)?)?(?:to\s+the\s+"
        r"brain\s+and\s+spinal\s+cord|cranio-?\s?spinal)|proton\s+CSI|"
        r"cranio-?\s?spinal\s+(?:irradiation|radiation|radiotherapy)[^.]{0,120}\bproton\s+"
        r"(?:beam\s+)?(?:therapy|radiation|radiotherapy)", re.IGNORECASE)),
    ("photon craniospinal irradiation", re.compile(
        r"photon\W+(?:\w+\W+){0,2}cranio-?\s?spinal|VMAT[- ]CSI|(?:linac|VMAT)\b[^.]{0,60}"
        r"cranio-?\s?spinal|cranio-?\s?spinal[^.]{0,120}\b(?:linac|VMAT|volumetric[- ]modulated"
        r"\s+arc)\b", re.IGNORECASE)),
    ("craniospinal irradiation", re.compile(
        r"cranio-?\s?spinal\s+(?:irradiation|radiation|radiotherapy)|\bCSI\b", re.IGNORECASE)),
    ("whole-brain radiotherapy", re.compile(
        r"whole[- ]brain\s+(?:low[- ]dose\s+)?(?:radio\w*|radiation|irradiation|RT|LDRT)|"
        r"\bWBRT\b|\bWBR\b|\bWB-LDRT\b", re.IGNORECASE)),
    ("involved-field radiotherapy", re.compile(
        r"involved[- ]field\s+(?:photon\s+)?(?:radio\w*|radiation|RT)|\bIFRT\b|"
        r"partial\s+photon\s+radiation", re.IGNORECASE)),
    ("stereotactic radiotherapy", re.compile(
        r"stereotactic\s+(?:radio\w*|radiation|body)|\bSRS\b|\bSRT\b|radiosurgery|gamma\s+knife|"
        r"cyberknife", re.IGNORECASE)),
    ("tomotherapy", re.compile(r"tomotherapy", re.IGNORECASE)),
    ("spinal radiotherapy", re.compile(
        r"(?<!cranio)(?<!cranio-)(?<!cranio )\bspinal\s+(?:radiotherapy|radiation|irradiation)",
        re.IGNORECASE)),
    ("radiotherapy", re.compile(
        _NOT_RT + r"\bradiotherapy\b|\bradiation\s+therapy\b|\bXRT\b|\birradiation\b|"
        r"\bradiation\b(?!\s+(?:dosimetry|exposure|necrosis|injury|oncolog))", re.IGNORECASE)),
)
RADIOIMMUNO = re.compile(r"radio-?immuno|radiolabel|radioactive|radionuclide|\b1\d\dI\b|"
                         r"iodine\s+i?\s?131|lutetium|rhenium|177Lu|186Re|131I", re.IGNORECASE)

# Diagnostics named in a title or purpose sentence: (pattern, graph name, kind, required context
# or None). A CSF circulating-tumour-cell count is the graph's CellSearch assay only when the record
# says EpCAM or CellSearch (another device, such as a microfluidic chip, is not that test).
_CSF = r"(?:cerebro-?\s?spinal\s+fluid|CSF)"
DIAGNOSTIC_TERMS: tuple[tuple[re.Pattern[str], str, str, re.Pattern[str] | None], ...] = (
    (re.compile(_CSF + r"\W+(?:\w+\W+){0,3}(?:ctDNA|circulating\s+tumou?r\s+DNA|cell-?free\s+DNA|"
                r"cfDNA)", re.IGNORECASE), "CSF circulating tumour DNA", "liquid_biopsy", None),
    (re.compile(r"circulating\s+tumou?r\s+cells?\W+(?:\(CTCs?\)\W+)?(?:\w+\W+){0,4}" + _CSF + "|"
                + _CSF + r"\W+(?:CTCs?|circulating\s+tumou?r\s+cells?)\b", re.IGNORECASE),
     "CSF circulating tumour cells (CellSearch)", "liquid_biopsy", re.compile(r"EpCAM|CellSearch", re.IGNORECASE)),
    (re.compile(_CSF + r"\W+cytolog\w*|\bcytology\W+(?:\w+\W+){0,3}" + _CSF, re.IGNORECASE),
     "CSF cytology", "cytology", None),
    (re.compile(r"gadolinium|gado(?:piclenol|butrol|terate|teridol)|contrast\W+(?:\w+\W+){0,2}"
                r"MRI|\bMRI\b\W+(?:\w+\W+){0,2}contrast", re.IGNORECASE),
     "gadolinium-enhanced MRI of brain and spine", "imaging", None),
)

# Cancer and biomarker terms of titles and conditions: (pattern, entity type, graph name).
# The name is resolved in the graph like any source name; one the graph lacks is reported as
# an unmatched link, never invented.
CANCER_TERMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bHER[- ]?2\W*(?:\+|positive|pos\b|amplified|over-?expressing|-?neu\s+positive)"
                r"[^.;]{0,40}breast|breast[^.;]{0,40}\bHER[- ]?2\W*(?:\+|positive|amplified)",
                re.IGNORECASE), "HER2-positive breast cancer"),
    (re.compile(r"triple[- ]negative|\bTNBC\b", re.IGNORECASE), "triple-negative breast cancer"),
    (re.compile(r"\bbreast\b", re.IGNORECASE), "breast cancer"),
    (re.compile(r"non[- ]?small[- ]?cell|\bNSCLC\b|lung\s+adenocarcinoma|EGFR[- ]?m(?:utant|"
                r"utated)?\b[^.;]{0,20}lung", re.IGNORECASE), "non-small cell lung cancer"),
    (re.compile(r"(?<!non-)(?<!non )(?<!non)\bsmall[- ]cell\s+lung|\bSCLC\b", re.IGNORECASE),
     "small cell lung cancer"),
    (re.compile(r"melanoma", re.IGNORECASE), "melanoma"),
    (re.compile(r"lymphoma|lymphomatous", re.IGNORECASE), "lymphoma"),
    (re.compile(r"acute\s+lymphoblastic\s+leuka?emia|\bALL\b(?=\W)", re.IGNORECASE),
     "acute lymphoblastic leukemia"),
    (re.compile(r"neuroblastoma", re.IGNORECASE), "neuroblastoma"),
    (re.compile(r"medulloblastoma", re.IGNORECASE), "medulloblastoma"),
    (re.compile(r"ovarian", re.IGNORECASE), "ovarian cancer"),
)
BIOMARKER_TERMS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"T790M", re.IGNORECASE), "Biomarker", "EGFR T790M"),
    (re.compile(r"exon\s*19\s*del\w*|ex19del|19del", re.IGNORECASE), "Biomarker",
     "EGFR exon 19 deletion"),
    (re.compile(r"L858R", re.IGNORECASE), "Biomarker", "EGFR L858R"),
    (re.compile(r"exon\s*20\s*ins\w*", re.IGNORECASE), "Biomarker", "EGFR exon 20 insertion"),
    (re.compile(r"\bEGFR(?!vIII|806)\W*(?:m\b|\+|mutat\w*|mutant|positive|activating|"
                r"sensiti\w*|gene\s+mutation|\(\+\))|\bEGFRm\b|\bEGFR\W*TKIs?\b|"
                r"epidermal\s+growth\s+factor\s+receptor(?:\s+\(EGFR\))?(?:\s+gene)?\s+"
                r"(?:mutat\w*|mutant|mutation-positive)|EGFR\s+(?:classic\s+)?mutation",
                re.IGNORECASE), "Gene", "EGFR"),
    (re.compile(r"\bHER[- ]?2\W*(?:\+|positive|amplified|amplification|over-?expressi\w*|"
                r"-?neu\s+positive)|\bHER2\+", re.IGNORECASE), "Biomarker",
     "HER2 amplification/overexpression"),
    (re.compile(r"\bHER[- ]?2\W*mutat\w*|ERBB2\s+mutat\w*", re.IGNORECASE), "Biomarker",
     "HER2 (ERBB2) mutation"),
    (re.compile(r"\bALK\W*(?:\+|positive|rearrange\w*|fusion)|\bALK\+|anaplastic\s+lymphoma\s+"
                r"kinase\s+\(ALK\)\s*-?\s*positive", re.IGNORECASE), "Biomarker", "ALK fusion"),
    (re.compile(r"\bROS1\b", re.IGNORECASE), "Biomarker", "ROS1 fusion"),
    (re.compile(r"\bRET\W+(?:fusion|rearrange\w*|positive)", re.IGNORECASE), "Biomarker",
     "RET fusion"),
    (re.compile(r"MET\s+exon\s*14", re.IGNORECASE), "Biomarker", "MET exon 14 skipping"),
    (re.compile(r"KRAS\s*G12C", re.IGNORECASE), "Biomarker", "KRAS G12C"),
    (re.compile(r"BRAF\s*V600E", re.IGNORECASE), "Biomarker", "BRAF V600E"),
    (re.compile(r"\bNTRK\b|\bTRK\s+fusion", re.IGNORECASE), "Biomarker", "NTRK fusion"),
    (re.compile(r"\bB7[- ]?H3\b|\bCD276\b", re.IGNORECASE), "Biomarker", "B7-H3 expression"),
    (re.compile(r"\bGD2\b", re.IGNORECASE), "Biomarker", "GD2 expression"),
    (re.compile(r"\bCD20\b", re.IGNORECASE), "Biomarker", "CD20 expression"),
    (re.compile(r"\bHER3\b", re.IGNORECASE), "Biomarker", "HER3 protein expression"),
    (re.compile(r"\bPIK3CA\b", re.IGNORECASE), "Gene", "PIK3CA"),
)


@dataclass
class Links:
    """What the words of one record name: agent and class names as written, routes,
    radiotherapy, and the cancer and biomarker names of :data:`CANCER_TERMS` and
    :data:`BIOMARKER_TERMS`, each with where it was read."""

    agents: dict[str, str] = field(default_factory=dict)  # name as written -> where
    classes: dict[str, str] = field(default_factory=dict)
    routes: list[Route] = field(default_factory=list)
    radiotherapy: list[str] = field(default_factory=list)
    cancers: dict[str, str] = field(default_factory=dict)  # graph name -> where
    biomarkers: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (type, where)
    diagnostics: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (kind, where)


def purpose_sentences(summary: str) -> list[str]:
    """The sentences of a summary that say what the study does (see the module docstring)."""
    return [s for s in _SENTENCE.split(summary) if s.strip() and PURPOSE.search(s)]


_ROUTE_HINT = re.compile(r"intra|ommaya|ventric|lumbar|oral|tablet|capsul|\bIV\b|csf",
                         re.IGNORECASE)
_RT_HINT = re.compile(r"radi|irradiat|WBR|CSI|\bSR[ST]\b|tomother|knife|stereotac|IFRT|XRT",
                      re.IGNORECASE)


def find_names(text: str, names: frozenset[str] | set[str], normalise, max_words: int = 6
               ) -> list[str]:
    """Spans of ``text`` whose normalised form is in ``names``, longest first, not overlapping.

    ``names`` are normalised names (``lmkg.graph.names.normalise``); a span is a run of 1 to
    ``max_words`` tokens. Names of two characters or fewer once normalised are not read.
    """
    return find_names_in(text, {"": names}, normalise, max_words)[""]


def find_names_in(text: str, sets: dict[str, frozenset[str] | set[str]], normalise,
                  max_words: int = 6) -> dict[str, list[str]]:
    """:func:`find_names` for several name sets in one pass over ``text``."""
    tokens = [m.group().rstrip(".'") for m in _TOKEN.finditer(text)]
    # Normalising drops spaces and punctuation, so a span's key is its tokens' keys joined.
    keys = [_key(normalise, t) for t in tokens]
    out: dict[str, list[str]] = {k: [] for k in sets}
    for label, names in sets.items():
        if not names:
            continue
        found = out[label]
        i = 0
        while i < len(tokens):
            hit, key = 0, ""
            for n in range(1, min(max_words, len(tokens) - i) + 1):
                key += keys[i + n - 1]
                if len(key) > 2 and key in names:
                    hit = n
            if hit:
                found.append(" ".join(tokens[i:i + hit]))
                i += hit
            else:
                i += 1
    return out


_KEYS: dict[tuple[int, str], str] = {}


def _key(normalise, token: str) -> str:
    k = (id(normalise), token)
    hit = _KEYS.get(k)
    if hit is None:
        if len(_KEYS) > 200_000:
            _KEYS.clear()
        hit = _KEYS[k] = normalise(token)
    return hit


def read_links(*, titles: Iterable[str], conditions: Iterable[str], keywords: Iterable[str],
               summary: str, interventions: Iterable[str], agent_names: frozenset[str],
               class_names: frozenset[str], normalise) -> Links:
    """The links of one record, by the rule of this module's docstring."""
    out = Links()
    titles, conditions, keywords = list(titles), list(conditions), list(keywords)
    places = ([("title", t) for t in titles] + [("registered intervention", i)
                                                 for i in interventions]
              + [("summary", s) for s in purpose_sentences(summary)])
    for where, text in places:
        found = find_names_in(text, {"agent": agent_names, "class": class_names}, normalise)
        for name in found["agent"]:
            out.agents.setdefault(name, where)
        for name in found["class"]:
            out.classes.setdefault(name, where)
        if _ROUTE_HINT.search(text):
            for route, pat in ROUTE_TERMS:
                if pat.search(text) and route not in out.routes:
                    out.routes.append(route)
        if _RT_HINT.search(text) and not RADIOIMMUNO.search(text):
            for label, pat in RADIOTHERAPY_TERMS:
                if pat.search(text) and label not in out.radiotherapy:
                    out.radiotherapy.append(label)
    said = "\n".join(t for _, t in places)
    for pat, name, kind, context in DIAGNOSTIC_TERMS:
        if context is not None and not context.search(said):
            continue
        where = next((w for w, t in places if w != "registered intervention" and pat.search(t)),
                     None)
        if where:
            out.diagnostics.setdefault(name, (kind, where))
    # "radiotherapy" alone says nothing once a technique is named.
    if len(out.radiotherapy) > 1 and "radiotherapy" in out.radiotherapy:
        out.radiotherapy.remove("radiotherapy")
    if "craniospinal irradiation" in out.radiotherapy and any(
            r.endswith("craniospinal irradiation") and r != "craniospinal irradiation"
            for r in out.radiotherapy):
        out.radiotherapy.remove("craniospinal irradiation")
    regions = ([("title", t) for t in titles] + [("condition", c) for c in conditions]
               + [("keyword", k) for k in keywords])
    everything = "\n".join(t for _, t in regions)

    def first_place(pat: re.Pattern[str]) -> str | None:
        if not pat.search(everything):
            return None
        return next((where for where, t in regions if pat.search(t)), None)

    for pat, name in CANCER_TERMS:
        where = first_place(pat)
        if where:
            out.cancers.setdefault(name, where)
    for pat, etype, name in BIOMARKER_TERMS:
        where = first_place(pat)
        if where:
            out.biomarkers.setdefault(name, (etype, where))
    # A named subtype says more than its parent ("HER2-positive breast cancer", not also "breast").
    if {"HER2-positive breast cancer", "triple-negative breast cancer"} & set(out.cancers):
        out.cancers.pop("breast cancer", None)
    return out
