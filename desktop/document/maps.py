"""`MapFiles`: how the window opens, creates and copies maps without knowing the store.

The composition root (`desktop.app`) hands the window an implementation
(`desktop.store.opening.FileMaps`); New, New from Template, Import into a New
Map and Save As are navigation to another map through it, and every edit of
the open map goes through its `MapEditor`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from desktop.document.library import TeamLibrary
from desktop.document.repository import MapRepository
from desktop.domain.model import ArchitectureMap


class MapFiles(Protocol):
    """Opening and making maps. Methods raise `MapError` with a one-line reason."""

    def open(
        self, location: str, *, read_only: bool = False, password: str | None = None, author: str = ""
    ) -> MapRepository:
        """Open a map file, or a team library map at a `postgresql://…#Map name` address.

        `password` for a library that asks for one (`PasswordNeeded`); `author`: who writes.
        """
        ...

    def connect_library(self, address: str, *, password: str | None = None, author: str = "") -> TeamLibrary:
        """Connect to the team library at `address` (for the Team Library dialog)."""
        ...

    def read(self, location: str) -> ArchitectureMap:
        """The map at `location`, read without locking it (it may be open in a window)."""
        ...

    def create(self, path: Path, arch: ArchitectureMap, *, overwrite: bool = False) -> None:
        """Write a whole new map file at `path` (atomically)."""
        ...

    def save_copy(self, repository: MapRepository, target: Path) -> None:
        """Write a consistent copy of an open map to `target` (Save As)."""
        ...
