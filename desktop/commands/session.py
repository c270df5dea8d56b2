"""`MapSession`: an open map as the window sees it (domain map + file + undo stack + report).

The one path for a change: `perform(text, edits)` checks and applies the edits
to the domain map, writes them and the new score to the file in one
transaction, pushes a `MapEdit` on the undo stack and emits `changed` once.
If the write fails, the domain map is put back and `failed` carries the
reason: the window never shows an edit the file does not hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from desktop.commands.map_edit import MapEdit
from desktop.domain.coherence import CoherenceReport, assess
from desktop.domain.edits import (
    AddChannel,
    AddFlow,
    Edit,
    RemoveChannel,
    RemoveFlow,
    SetInfo,
    UpdateChannel,
    UpdateFlow,
    apply_all,
)
from desktop.domain.errors import MapError
from desktop.domain.model import ArchitectureMap
from desktop.store.document import MapDocument, StoreWriteError


@dataclass
class Change:
    """What an edit touched, so views update only that (a full reset on open or reload)."""

    channels: set[str] = field(default_factory=set)
    flows: set[tuple[str, str]] = field(default_factory=set)
    info: bool = False
    reset: bool = False

    @classmethod
    def of(cls, edits: list[Edit]) -> Change:
        change = cls()
        for edit in edits:
            match edit:
                case AddChannel(channel) | UpdateChannel(channel):
                    change.channels.add(channel.id)
                case RemoveChannel(channel_id):
                    change.channels.add(channel_id)
                case AddFlow(flow) | UpdateFlow(flow):
                    change.flows.add(flow.pair)
                case RemoveFlow(source, target):
                    change.flows.add((source, target))
                case SetInfo():
                    change.info = True
        return change


class MapSession(QObject):
    """The open map. Signals: `changed(Change)`; `failed(str)`, a refused edit; `write_failed(str)`, the file refused a write."""

    changed = Signal(object)
    failed = Signal(str)
    write_failed = Signal(str)

    def __init__(self, document: MapDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.map: ArchitectureMap = document.load()
        self.report: CoherenceReport = assess(self.map)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(0)
        self._replaying = False
        self._record_opening_score()

    def _record_opening_score(self) -> None:
        """A map's history starts with its score as opened, so the line has a first point."""
        if self.document.read_only or self.document.score_history(limit=1):
            return
        try:
            self.document.append_score(self.report.score, self.report.components)
        except StoreWriteError:
            pass

    @property
    def read_only(self) -> bool:
        return self.document.read_only

    def perform(self, text: str, edits: list[Edit], merge_key: str = "") -> bool:
        """Apply a user's edit as one undo step. Returns False (and emits `failed`) if refused."""
        if not edits:
            return True
        if self.read_only:
            self.failed.emit(self.document.read_only_reason or "this map is read-only")
            return False
        try:
            inverses = apply_all(self.map, edits)
        except (MapError, KeyError, ValueError) as exc:
            self.failed.emit(_reason(exc))
            return False
        if not self._persist(edits, inverses):
            return False
        self.undo_stack.push(MapEdit(self, text, edits, inverses, merge_key))
        self._changed(Change.of(edits))
        return True

    def _replay(self, edits: list[Edit]) -> None:
        """Undo/redo: re-apply a recorded list. A failed write reloads what the file holds."""
        self._replaying = True
        try:
            try:
                inverses = apply_all(self.map, edits)
            except (MapError, KeyError, ValueError) as exc:  # pragma: no cover - stack out of step
                self.failed.emit(f"could not undo or redo: {_reason(exc)}")
                self.reload()
                return
            if self._persist(edits, inverses):
                self._changed(Change.of(edits))
        finally:
            self._replaying = False

    def _persist(self, edits: list[Edit], inverses: list[Edit]) -> bool:
        # Positions never change the score (coherence.md), so a move keeps the report it had.
        report = self.report if _moves_only(edits, inverses) else assess(self.map)
        try:
            self.document.write(edits, score=report.score, components=report.components)
        except StoreWriteError as exc:
            apply_all(self.map, inverses)
            self.write_failed.emit(exc.message)
            return False
        self.report = report
        return True

    def reload(self) -> None:
        """Show exactly what the file holds and forget the undo history (after a failed write)."""
        self.map = self.document.load()
        self.report = assess(self.map)
        if self._replaying:  # inside QUndoStack.undo(): clearing now would delete the running command
            QTimer.singleShot(0, self.undo_stack, self.undo_stack.clear)
        else:
            self.undo_stack.clear()
        self.changed.emit(Change(reset=True))

    def _changed(self, change: Change) -> None:
        self.changed.emit(change)

    def close(self) -> None:
        self.undo_stack.clear()
        self.document.close()


def _moves_only(edits: list[Edit], inverses: list[Edit]) -> bool:
    """Whether the edits only move channels within their lanes (the most frequent edit, a drag)."""
    before = {e.channel.id: e.channel for e in inverses if isinstance(e, UpdateChannel)}
    for edit in edits:
        old = before.get(edit.channel.id) if isinstance(edit, UpdateChannel) else None
        if old is None or edit.channel.with_changes(x=old.x, y=old.y) != old:  # type: ignore[union-attr]
            return False
    return True


def _reason(exc: BaseException) -> str:
    if isinstance(exc, MapError):
        return exc.message
    if isinstance(exc, KeyError):
        return f"{exc.args[0]!r} no longer exists"
    return str(exc)
