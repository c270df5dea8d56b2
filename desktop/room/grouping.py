"""Similar suggested names grouped under one key: "Webinar", "webinars" and "Webinars (ON24)" are one.

The key drops what is in brackets, accents, case, punctuation and a plural
"s", so that the facilitator sees one row per idea with its variants.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_BRACKETS = re.compile(r"[(\[{][^)\]}]*[)\]}]")
_NOT_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=8192)
def group_key(name: str) -> str:
    """The key under which a suggested name is grouped (also a map's channel names, to find an idea that
    is on the map already: "Webinar" for "Webinars")."""
    text = _BRACKETS.sub(" ", name)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    words = [_singular(w) for w in _NOT_WORD.split(text) if w]
    return " ".join(words) or name.strip().casefold()


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word
