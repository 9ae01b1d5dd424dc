"""Name normalisation for lookups: case-, space- and punctuation-insensitive."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z+]")
_GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "κ": "kappa", "λ": "lambda"}


def normalise(text: str) -> str:
    """``"AZD-9291"`` and ``"azd 9291"`` -> ``"azd9291"``; ``"HER2+"`` keeps its ``+``.

    A trailing ``+`` is kept because "HER2+" (a breast-cancer subtype) and "HER2" (the gene)
    are different things; a ``-`` is not, so "ErbB-2" finds "ERBB2".
    """
    if text.isascii():  # most names: nothing for NFKC or the Greek letters to change
        t = text.lower()
    else:
        t = unicodedata.normalize("NFKC", text).casefold()
        for k, v in _GREEK.items():
            t = t.replace(k, v)
    t = t.replace("-positive", "+").replace(" positive", "+")
    return _NON_ALNUM.sub("", t)


_LEGAL = re.compile(
    r"[,.]?\s+(and company|& co|inc|incorporated|ltd|limited|llc|l\.l\.c|co|corp|corporation|company|plc|gmbh|"
    r"ag|sa|s\.a|nv|n\.v|bv|kk|k\.k|spa|s\.p\.a|ab|as|oy|pty)\.?$",
    re.IGNORECASE,
)
_TRAILING_WORDS = re.compile(r"\s+(pharmaceuticals?|pharma|therapeutics|biosciences|"
                             r"oncology|holdings?|group)$", re.IGNORECASE)


def company_name(name: str) -> str:
    """A company name without legal-form suffixes: "Seagen Inc." -> "Seagen",
    "Bristol-Myers Squibb Co." -> "Bristol-Myers Squibb"; a trailing "Pharmaceuticals" or
    "Therapeutics" goes too ("Regeneron Pharmaceuticals" -> "Regeneron")."""
    prev = None
    out = name.strip()
    while out != prev:
        prev = out
        out = _LEGAL.sub("", out).strip()
        out = _TRAILING_WORDS.sub("", out).strip()
    return out or name


_CARE_OF = re.compile(r"\s*\((?:c/o|care of)[^)]*\)", re.IGNORECASE)
_PARENS = re.compile(r"\s*\([^)]*\)")
_SUBSIDIARY_CLAUSE = re.compile(r"[,;]?\s+(?:a\s+)?(?:wholly[- ]owned\s+)?subsidiary\s+of\s+.*$"
                                r"|\s*\((?:a\s+)?member\s+of\s+[^)]*\)\s*$", re.IGNORECASE)


def company_key(name: str) -> str:
    """The key two spellings of one company's name share, for identity resolution.

    Public sources write one sponsor many ways: "Merck, Sharp, & Dohme, a subsidiary of Merck &
    Co., Inc.", "Merck Sharp and Dohme Corp.", "Hoffmann-La Roche, Inc. (c/o Genentech, Inc.)".
    The key drops a trailing "(c/o ...)" or other parenthesis and a "[a] subsidiary of ..."
    clause, reads "&" as "and", strips legal forms (:func:`company_name`) and normalises:
    all three MSD spellings give ``"mercksharpanddohme"``. A parent named in a clause is not
    taken as the company itself: the subsidiary's own name decides.
    """
    text = unicodedata.normalize("NFKC", name).strip()
    text = _CARE_OF.sub("", text)
    text = _SUBSIDIARY_CLAUSE.sub("", text)
    text = company_name(_PARENS.sub("", text).strip())  # "Merck & Co., Inc." -> "Merck" first
    text = re.sub(r"\s*&\s*", " and ", text)
    text = re.sub(r"\s*,\s*", ", ", text).strip(" ,")
    # "Merck, Sharp, and Dohme" and "Merck Sharp and Dohme": a comma before "and" says nothing.
    text = re.sub(r",\s+and\s+", " and ", text)
    return normalise(company_name(text)) or normalise(name)


_PARENT_CLAUSE = re.compile(
    r"(?:[,;]?\s+(?:a\s+)?(?:wholly[- ]owned\s+)?subsidiary\s+of\s+(?P<a>.+?)\.?$)"
    r"|(?:\((?:a\s+)?member\s+of\s+(?:the\s+)?(?P<b>.+?)(?:\s+group)?\)\s*$)",
    re.IGNORECASE)


def stated_parent(name: str) -> str | None:
    """The parent a sponsor's name itself states, if any: "Cubist Pharmaceuticals LLC, a
    subsidiary of Merck & Co., Inc." -> "Merck & Co., Inc."; "Acerta Pharma, LLC (a member of
    the AstraZeneca Group)" -> "AstraZeneca"."""
    m = _PARENT_CLAUSE.search(name.strip())
    if not m:
        return None
    return (m.group("a") or m.group("b") or "").strip(" ,.") or None
