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
