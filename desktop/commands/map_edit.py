"""`MapEdit`: the one QUndoCommand type, a mirror of one step of the editor's history.

The editor (desktop.document.editor) keeps the steps and their inverses; this
command only calls its `undo`/`redo`, so the Edit menu and the History dock
show the same steps. The editor merges consecutive steps with the same merge
key (typing a name is one step); `merged` says the pushed command folds into
the one before it, so the QUndoStack keeps the same count.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

if TYPE_CHECKING:
    from desktop.commands.session import MapSession

MERGE_ID = 4242


class MapEdit(QUndoCommand):
    """One history step of a session's editor (already done when pushed)."""

    def __init__(self, session: MapSession, text: str, merged: bool = False) -> None:
        super().__init__(text)
        self._session = session
        self.merged = merged
        self._done = True  # the editor did it before the push; the first redo() is a no-op

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._session.replay(forward=True)

    def undo(self) -> None:
        self._session.replay(forward=False)

    def id(self) -> int:
        return MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        return isinstance(other, MapEdit) and other.merged
