"""Where the shipped resources live: the repository's `resources/`, or the bundle's copy."""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def resources_dir() -> Path:
    """Resolved once: the palette asks for thirty icons while the window opens."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def sample_map_path() -> Path:
    return resource("samples", "sample.json")


def template_names() -> list[str]:
    return sorted(p.stem for p in resource("templates").glob("*.json"))


def template_path(name: str) -> Path | None:
    wanted = name.strip().casefold()
    for path in resource("templates").glob("*.json"):
        if path.stem.casefold() == wanted:
            return path
    return None


def score_doc_path() -> Path:
    """docs/score.md, the score's contract: the bundle ships it in `docs/` beside `resources/`."""
    bundle = getattr(sys, "_MEIPASS", None)
    root = Path(bundle) if bundle else Path(__file__).resolve().parent.parent
    return root / "docs" / "score.md"
