"""`MapSource`: what a scene reads, so a map can be drawn with no session, store or undo stack.

An open map's `MapSession` (desktop.commands) is one; `MapSnapshot` (a map
rendered for an image export) is another. Edits from gestures need a source
that can also `perform` (`EditableSource`); a read-only source refuses them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from desktop.domain.coherence import CoherenceReport
from desktop.domain.edits import Edit
from desktop.domain.model import ArchitectureMap


class MapSource(Protocol):
    """A map, its coherence report, a `changed(Change)` signal and whether it may be edited."""

    @property
    def map(self) -> ArchitectureMap: ...

    @property
    def report(self) -> CoherenceReport: ...

    @property
    def read_only(self) -> bool: ...

    changed: Any  # a Qt signal carrying a desktop.document.editor.Change


class EditableSource(MapSource, Protocol):
    """A source whose edits go through the document's one door (`MapSession.perform`)."""

    def perform(self, text: str, edits: Sequence[Edit], merge_key: str = "") -> Any: ...
