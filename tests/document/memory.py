"""`MemoryRepository`: a `MapRepository` held in memory, shared by several editors in tests.

It stands for a shared store (the team library): every editor of it writes
through `write`, which keeps the map as written and counts revisions.
"""

from __future__ import annotations

from collections.abc import Sequence

from desktop.document.repository import ScorePoint, ScoreStamp, VersionInfo, WriteRefused
from desktop.domain.edits import Edit, apply_all
from desktop.domain.errors import MapError
from desktop.domain.model import ArchitectureMap, fold


class MemoryRepository:
    """A map, its score history, settings and versions, in memory. `refuse_writes` fails every write."""

    def __init__(self, arch: ArchitectureMap | None = None, read_only_reason: str = "") -> None:
        self.held = (arch or ArchitectureMap()).copy()
        self.scores: list[ScorePoint] = []
        self.settings: dict[str, str] = {}
        self.snapshots: dict[str, tuple[VersionInfo, ArchitectureMap]] = {}
        self.read_only_reason = read_only_reason
        self.read_only = bool(read_only_reason)
        self.refuse_writes = False
        self._revision = 0

    location = "memory:"

    @property
    def revision(self) -> int:
        """How many writes it kept."""
        return self._revision

    def load(self) -> ArchitectureMap:
        return self.held.copy()

    def write(self, edits: Sequence[Edit], score: ScoreStamp | None, base_revision: int) -> int:
        if self.refuse_writes:
            raise WriteRefused("the disk is full")
        apply_all(self.held, list(edits))
        if score is not None:
            self.append_score(score)
        self._revision += 1
        return self._revision

    def append_score(self, score: ScoreStamp) -> None:
        self.scores.append(ScorePoint("t", score.score, dict(score.components), score.contract))

    def score_history(self, limit: int | None = None) -> list[ScorePoint]:
        return self.scores[-limit:] if limit else list(self.scores)

    def setting(self, key: str, default: str = "") -> str:
        return self.settings.get(key, default)

    def set_setting(self, key: str, value: str) -> None:
        self.settings[key] = value

    def list_versions(self) -> list[VersionInfo]:
        return [info for info, _arch in self.snapshots.values()]

    def _key(self, name: str) -> str:
        if fold(name) not in self.snapshots:
            raise MapError(f"no version named {name!r}")
        return fold(name)

    def save_version(
        self, name: str, note: str, arch: ArchitectureMap, score: float, kept: VersionInfo | None = None
    ) -> VersionInfo:
        if fold(name) in self.snapshots:
            raise MapError(f"a version named {name!r} already exists")
        info = VersionInfo(name, note, "t", score, len(arch), len(arch.flows), len(self.scores))
        if kept is not None:
            info = VersionInfo(
                name, note, kept.created, score, len(arch), len(arch.flows), kept.history_index
            )
        self.snapshots[fold(name)] = (info, arch.copy())
        return info

    def load_version(self, name: str) -> ArchitectureMap:
        return self.snapshots[self._key(name)][1].copy()

    def rename_version(self, old: str, new: str) -> None:
        info, arch = self.snapshots.pop(self._key(old))
        self.snapshots[fold(new)] = (VersionInfo(new, *_rest(info)), arch)

    def delete_version(self, name: str) -> None:
        del self.snapshots[self._key(name)]

    def close(self) -> None:
        pass


def _rest(info: VersionInfo) -> tuple[str, str, float, int, int, int]:
    return (info.note, info.created, info.score, info.channels, info.flows, info.history_index)
