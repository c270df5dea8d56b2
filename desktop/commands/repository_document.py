"""`RepositoryDocument`: a `MapRepository` (the team library's `LibraryMap`) as the window's session uses a file.

Until the window talks to `MapRepository` directly (the document layer's
`MapEditor`), the session, the coherence panel and the Versions dock call the
`.distarch` document's methods. This adapter gives them those methods on top
of the repository: writes carry the revision the window last saw
(`base_revision`), a refused write raises `StoreWriteError` (so the session
puts the map back, exactly as for a file), and versions go to the repository.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.document.repository import MapRepository, RepositoryError, ScoreStamp
from desktop.domain.edits import Edit
from desktop.domain.errors import MapError
from desktop.domain.model import ArchitectureMap, fold
from desktop.store.document import StoreWriteError


@dataclass(frozen=True)
class _Version:
    """A version as the Versions dock lists it (with its place in the score history)."""

    name: str
    note: str
    created: str
    score: float
    history_index: int


class _Versions:
    """`desktop.store.versions`' functions, for a repository."""

    @staticmethod
    def list_versions(doc: RepositoryDocument) -> list[_Version]:
        marks = dict((name, index) for index, name in _marks(doc.repository))
        return [
            _Version(v.name, v.note, v.created, v.score, marks.get(v.name, 0))
            for v in doc.repository.list_versions()
        ]

    @staticmethod
    def find(doc: RepositoryDocument, name: str) -> _Version | None:
        return next((v for v in _Versions.list_versions(doc) if fold(v.name) == fold(name)), None)

    @staticmethod
    def load_version(doc: RepositoryDocument, name: str) -> ArchitectureMap:
        return doc.repository.load_version(name)

    @staticmethod
    def save_version(
        doc: RepositoryDocument, name: str, note: str, arch: ArchitectureMap, score: float
    ) -> _Version:
        saved = doc.repository.save_version(name, note, arch, score)
        found = _Versions.find(doc, saved.name)
        assert found is not None
        return found

    @staticmethod
    def rename_version(doc: RepositoryDocument, old: str, new: str) -> None:
        doc.repository.rename_version(old, new)

    @staticmethod
    def delete_version(doc: RepositoryDocument, name: str) -> None:
        doc.repository.delete_version(name)


def _marks(repository: Any) -> list[tuple[int, str]]:
    marks = getattr(repository, "version_marks", None)
    return marks() if marks is not None else []


class RepositoryDocument:
    """The window's document for a map that lives in a repository other than a file."""

    versions = _Versions

    def __init__(self, repository: MapRepository) -> None:
        self.repository = repository
        self.schema_version = 2

    @property
    def location(self) -> str:
        return self.repository.location

    @property
    def path(self) -> Path:
        """Where file dialogs start (a library map has no file): the home folder."""
        return Path.home() / "library map.distarch"

    @property
    def read_only(self) -> bool:
        return self.repository.read_only

    @property
    def read_only_reason(self) -> str:
        return self.repository.read_only_reason

    def load(self) -> ArchitectureMap:
        return self.repository.load()

    def write(
        self, edits: list[Edit], score: float | None = None, components: dict[str, float] | None = None
    ) -> None:
        stamp = None if score is None else ScoreStamp(score, dict(components or {}))
        try:
            self.repository.write(edits, stamp, self.repository.revision)
        except RepositoryError as exc:
            raise StoreWriteError(exc.message) from None

    def append_score(self, score: float, components: dict[str, float]) -> None:
        try:
            self.repository.append_score(ScoreStamp(score, dict(components)))
        except RepositoryError as exc:
            raise StoreWriteError(exc.message) from None

    def score_history(self, limit: int | None = None):
        try:
            return self.repository.score_history(limit)
        except RepositoryError:
            return []

    def setting(self, key: str, default: str = "") -> str:
        try:
            return self.repository.setting(key, default)
        except RepositoryError:
            return default

    def set_setting(self, key: str, value: str) -> None:
        try:
            self.repository.set_setting(key, value)
        except RepositoryError:
            pass

    def save_copy(self, target: str | Path) -> None:
        """Save a local `.distarch` copy of the map as the repository holds it."""
        from desktop.store.document import write_new_file

        try:
            arch = self.repository.load()
        except RepositoryError as exc:
            raise MapError(exc.message) from None
        write_new_file(Path(target), arch, overwrite=Path(target).exists())

    def close(self) -> None:
        self.repository.close()
