"""`kept_per_map`: a value derived from a map, kept on that map until its inputs change.

The score engines rebuild their flow graphs only when a map's channels or flows
changed; keeping the last graph on the map object itself (not in one module-level
slot) means every open map keeps its own, so a window scoring two maps never
rebuilds either.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def kept_per_map(
    owner: object, slot: str, kind: type[T], still_valid: Callable[[T], bool], build: Callable[[], T]
) -> T:
    """The `kind` value kept on `owner` under `slot` while `still_valid` says so, else a new one from `build`."""
    cache = getattr(owner, "__dict__", None)
    last = cache.get(slot) if cache is not None else None
    if isinstance(last, kind) and still_valid(last):
        return last
    made = build()
    if cache is not None:
        cache[slot] = made
    return made
