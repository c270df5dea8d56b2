"""The catalog of channel types (resources/catalog.json): name, usual layer, function, icon, colour.

Pure data so that the palette, the canvas colours and the CLI's image export
agree on a channel's colour.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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


@dataclass(frozen=True)
class Catalog:
    entries: tuple[CatalogEntry, ...]

    def by_name(self, name: str) -> CatalogEntry | None:
        key = fold(name)
        return next((e for e in self.entries if fold(e.name) == key), None)

    def by_function(self, function: str) -> CatalogEntry | None:
        key = fold(function)
        return next((e for e in self.entries if fold(e.function) == key), None) if key else None

    def colour_for(self, function: str, name: str = "") -> str:
        """The colour of a channel: its function's catalog colour, else a stable colour of its text."""
        entry = self.by_function(function) or self.by_name(name)
        if entry:
            return entry.colour
        digest = hashlib.sha1(fold(function or name).encode()).digest()
        return FALLBACK_COLOURS[digest[0] % len(FALLBACK_COLOURS)]

    def icon_for(self, function: str, name: str = "") -> str:
        entry = self.by_function(function) or self.by_name(name)
        return entry.icon if entry else "dot"


def load_catalog(path: Path) -> Catalog:
    data = json.loads(path.read_text(encoding="utf-8"))
    entries = tuple(
        CatalogEntry(
            e["name"],
            Layer.parse(e["layer"]),
            e.get("function", ""),
            e.get("icon", "dot"),
            e.get("colour", "#2563eb"),
        )
        for e in data["entries"]
    )
    return Catalog(entries)


@lru_cache(maxsize=1)
def default_catalog() -> Catalog:
    from desktop.resources import resource  # not Qt: a path helper

    return load_catalog(resource("catalog.json"))
