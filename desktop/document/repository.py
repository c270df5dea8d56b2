"""`MapRepository`: the port through which the document layer reads and writes a map.

Two stores implement it: the `.distarch` file (`desktop.store.document.MapDocument`)
and the team library on PostgreSQL (`desktop.store.library`). The document layer
(`MapEditor`) only ever talks to this protocol, so a repository on a server fits
without reopening the editor.

Revisions: every successful `write` returns the repository's new revision, a
number that only grows. The editor passes the revision it last saw as
`base_revision`; a file repository (one writer, held by a lock) may ignore it,
a shared repository uses it to order and merge concurrent writers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from desktop.domain.edits import Edit
from desktop.domain.errors import MapError
from desktop.domain.model import ArchitectureMap


class RepositoryError(MapError):
    """The repository refused or failed an operation; the message is one line for a person."""


class WriteRefused(RepositoryError):
    """A write failed (disk full, I/O error, server gone, read-only); nothing of it was kept."""


@dataclass(frozen=True)
class ScoreStamp:
    """The score after a write, as recorded in the score history."""

    score: float
    components: dict[str, float] = field(default_factory=dict)
    contract: int = 1


@dataclass(frozen=True)
class ScorePoint:
    """One row of a map's score history."""

    timestamp: str
    score: float
    components: dict[str, float] = field(default_factory=dict)
    contract: int = 1


@dataclass(frozen=True)
class VersionInfo:
    """A named version of a map (a snapshot the user saved).

    `history_index`: how many score-history rows there were when it was saved
    (where the score chart marks it).
    """

    name: str
    note: str
    created: str
    score: float
    channels: int
    flows: int
    history_index: int = 0


@runtime_checkable
class MapRepository(Protocol):
    """Where an open map lives. Methods raise `RepositoryError` subclasses with a one-line reason."""

    @property
    def location(self) -> str:
        """Where the map lives, for the title bar and Recent: a path, or an address with no password."""
        ...

    @property
    def read_only(self) -> bool: ...

    @property
    def read_only_reason(self) -> str: ...

    def load(self) -> ArchitectureMap:
        """The map as the repository holds it now."""
        ...

    def write(self, edits: Sequence[Edit], score: ScoreStamp | None, base_revision: int) -> int:
        """Write edits (already applied to the editor's map) and the score after them, atomically.

        Returns the new revision. Raises `WriteRefused` when nothing was kept.
        """
        ...

    @property
    def revision(self) -> int:
        """The revision of what `load` last returned or `write` last wrote."""
        ...

    def append_score(self, score: ScoreStamp) -> None: ...

    def score_history(self, limit: int | None = None) -> list[ScorePoint]: ...

    def setting(self, key: str, default: str = "") -> str: ...

    def set_setting(self, key: str, value: str) -> None: ...

    def list_versions(self) -> list[VersionInfo]: ...

    def save_version(
        self, name: str, note: str, arch: ArchitectureMap, score: float, kept: VersionInfo | None = None
    ) -> VersionInfo:
        """Keep `arch` as a version. `kept`: the version as it was before it was deleted (undoing the
        deletion), whose saved time and place in the score history come back with it."""
        ...

    def load_version(self, name: str) -> ArchitectureMap: ...

    def rename_version(self, old: str, new: str) -> None: ...

    def delete_version(self, name: str) -> None: ...

    def close(self) -> None: ...
