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
