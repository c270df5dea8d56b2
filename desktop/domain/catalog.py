"""The catalog of channel types (resources/catalog.json): name, usual layer, function, icon, colour.

Pure data so that the palette, the canvas colours and the CLI's image export
agree on a channel's colour.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from desktop.domain.layers import Layer
from desktop.domain.model import fold

FALLBACK_COLOURS = ("#2563eb", "#7c3aed", "#0891b2", "#16a34a", "#ea580c", "#db2777", "#ca8a04", "#0d9488")


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    name: str
    layer: Layer
    function: str
    icon: str
    colour: str
    automation: str = ""  # "ai" for channel types that act through AI (an AI SDR agent, an AI chatbot)


@dataclass(frozen=True)
class Catalog:
    """The entries, with folded-name and folded-function indexes: every card asks for its colour."""

    entries: tuple[CatalogEntry, ...]
    _names: dict[str, CatalogEntry] = field(init=False, repr=False, compare=False)
    _functions: dict[str, CatalogEntry] = field(init=False, repr=False, compare=False)
    _colours: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names: dict[str, CatalogEntry] = {}
        functions: dict[str, CatalogEntry] = {}
        for entry in self.entries:  # the first entry of a name or function wins, as a scan would find it
            names.setdefault(fold(entry.name), entry)
            if fold(entry.function):
                functions.setdefault(fold(entry.function), entry)
        object.__setattr__(self, "_names", names)
        object.__setattr__(self, "_functions", functions)
        object.__setattr__(self, "_colours", {})

    def by_name(self, name: str) -> CatalogEntry | None:
        return self._names.get(fold(name))

    def infer(self, name: str) -> CatalogEntry | None:
        """The entry a typed name stands for: the same name, else the longest entry name it contains
        as whole words ("LinkedIn Ads EMEA" is LinkedIn Ads), so quick add can fill in the function."""
        found = self.by_name(name)
        if found is not None:
            return found
        words = _phrase(name)
        best: CatalogEntry | None = None
        for key, entry in self._names.items():
            phrase = _phrase(key)
            if phrase.strip() and phrase in words and (best is None or len(key) > len(fold(best.name))):
                best = entry
        return best

    def by_function(self, function: str) -> CatalogEntry | None:
        key = fold(function)
        return self._functions.get(key) if key else None

    def colour_for(self, function: str, name: str = "") -> str:
        """The colour of a channel: its function's catalog colour, else a stable colour of its text."""
        colour = self._colours.get(function)  # maps repeat a few functions many times
        if colour is not None:
            return colour
        entry = self.by_function(function)
        if entry is not None:
            if len(self._colours) < 4096:
                self._colours[function] = entry.colour
            return entry.colour
        entry = self.by_name(name)
        if entry is not None:
            return entry.colour
        digest = _sha1(fold(function or name).encode())
        return FALLBACK_COLOURS[digest[0] % len(FALLBACK_COLOURS)]


def _sha1(data: bytes) -> bytes:
    digest: bytes = _sha1_function()(data).digest()
    return digest


@lru_cache(maxsize=1)
def _sha1_function() -> Callable[[bytes], Any]:
    """SHA-1 by Python's own module when it has one: hashlib loads OpenSSL, a few ms of every start."""
    try:
        from _sha1 import sha1
    except ImportError:  # pragma: no cover - a Python built without its own hash modules
        from hashlib import sha1
    function: Callable[[bytes], Any] = sha1
    return function


_WORDS = re.compile(r"[\w&/]+")


def _phrase(text: str) -> str:
    """Folded words between single spaces, padded, so that whole phrases can be found with `in`."""
    return " " + " ".join(_WORDS.findall(fold(text))) + " "


def load_catalog(path: Path) -> Catalog:
    data = json.loads(path.read_text(encoding="utf-8"))
    entries = tuple(
        CatalogEntry(
            e["name"],
            Layer.parse(e["layer"]),
            e.get("function", ""),
            e.get("icon", "dot"),
            e.get("colour", "#2563eb"),
            "ai" if str(e.get("automation", "")).strip().casefold() == "ai" else "",
        )
        for e in data["entries"]
    )
    return Catalog(entries)


@lru_cache(maxsize=1)
def default_catalog() -> Catalog:
    from desktop.resources import resource  # not Qt: a path helper

    return load_catalog(resource("catalog.json"))
