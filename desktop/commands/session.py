"""`MapSession`: the Qt face of an open map's `MapEditor` (desktop.document.editor).

The editor is the one door for every write; this adapter only turns its
plain-callable notifications into a `changed(Change)` signal and mirrors its
history on a QUndoStack (the Edit menu, the History dock), whose commands call
the editor's public `undo`/`redo`. A refused edit is `failed(reason)`; a write
the repository refused is `write_failed(reason)` (the window then reloads).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from desktop.commands.map_edit import MapEdit
from desktop.document.editor import Change, MapEditor, Result
from desktop.document.repository import MapRepository
from desktop.domain.coherence import CoherenceReport
from desktop.domain.edits import Edit
from desktop.domain.model import ArchitectureMap

__all__ = ["Change", "MapSession", "Result"]

T = TypeVar("T")


class _Editors(Generic[T]):
    """A read-only attribute of the session that is its editor's (`session.map` is `session.editor.map`)."""

    def __init__(self, read: Callable[[MapEditor], T]) -> None:
        self._read = read

    def __get__(self, session: MapSession, owner: type | None = None) -> T:
        return self._read(session.editor)


class MapSession(QObject):
    """The open map. Signals: `changed(Change)`; `failed(str)`, a refused edit; `write_failed(str)`."""

    changed = Signal(object)
    failed = Signal(str)
    write_failed = Signal(str)

    def __init__(self, repository: MapRepository, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.editor = MapEditor(repository)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(0)
        self._replaying = False
        self._skip_replay = False
        self._held: list[Change] | None = None  # changes of a step not on the undo stack yet
        self._unsubscribe = self.editor.subscribe(self._announce)

    # What views read, always the editor's own (the map changes only through perform, undo, redo
    # and remote edits; a move keeps the report it had; read-only: every edit is refused).
    repository: _Editors[MapRepository] = _Editors(lambda editor: editor.repository)
    map: _Editors[ArchitectureMap] = _Editors(lambda editor: editor.map)
    report: _Editors[CoherenceReport] = _Editors(lambda editor: editor.report)
    read_only: _Editors[bool] = _Editors(lambda editor: editor.read_only)

    def perform(self, text: str, edits: Sequence[Edit], merge_key: str = "") -> Result:
        """Apply a user's edit as one undo step. A falsy result (with its reason) if refused."""
        with self._holding():
            return self._pushed(text, self.editor.perform(text, edits, merge_key), bool(edits))

    # Versions: a refusal (a name taken) is the caller's to show; a failed write is `write_failed`.
    def save_version(self, name: str, note: str = "") -> Result:
        with self._holding():
            return self._pushed("Save version", self.editor.save_version(name, note), refusal=False)

    def rename_version(self, old: str, new: str) -> Result:
        with self._holding():
            return self._pushed("Rename version", self.editor.rename_version(old, new), refusal=False)

    def delete_version(self, name: str) -> Result:
        with self._holding():
            return self._pushed("Delete version", self.editor.delete_version(name), refusal=False)

    def _announce(self, change: Change) -> None:
        if self._held is not None:
            self._held.append(change)
        else:
            self.changed.emit(change)

    @contextmanager
    def _holding(self) -> Iterator[None]:
        """Say what a new step changed once it is on the undo stack (views read the stack's count)."""
        self._held = []
        try:
            yield
        finally:
            held, self._held = self._held, None
            for change in held:
                self.changed.emit(change)

    def _pushed(self, text: str, result: Result, recorded: bool = True, refusal: bool = True) -> Result:
        if result.write_failed:
            self.write_failed.emit(result.reason)
        elif not result and refusal:
            self.failed.emit(result.reason)
        if not result:
            return result
        if recorded:
            history = self.editor.history
            self.undo_stack.push(MapEdit(self, history[-1] if history else text, result.merged))
        return result

    def replay(self, forward: bool) -> None:
        """A QUndoStack command's undo/redo: the editor's; a failure reloads what the repository holds."""
        if self._skip_replay:
            return
        self._replaying = True
        try:
            result = self.editor.redo() if forward else self.editor.undo()
            if result.kept:  # refused, nothing changed: put the stack back where the editor is
                self.failed.emit(result.reason)
                QTimer.singleShot(0, self, lambda: self._restore_index(forward))
            elif result.write_failed:
                self.write_failed.emit(result.reason)
            elif not result:
                self.failed.emit(result.reason)
                self.reload()
        finally:
            self._replaying = False

    def _restore_index(self, forward: bool) -> None:
        self._skip_replay = True
        try:
            self.undo_stack.undo() if forward else self.undo_stack.redo()
        finally:
            self._skip_replay = False

    def reload(self) -> None:
        """Show exactly what the repository holds and forget the undo history (after a failed write)."""
        if self._replaying:  # inside QUndoStack.undo(): clearing now would delete the running command
            QTimer.singleShot(0, self.undo_stack, self.undo_stack.clear)
        else:
            self.undo_stack.clear()
        self.editor.reload()

    def close(self) -> None:
        self._unsubscribe()
        self.undo_stack.clear()
        self.editor.close()
