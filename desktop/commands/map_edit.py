"""`MapEdit`: the one QUndoCommand type, a list of primitive edits with their inverses.

Why one generic command: the primitive edits (desktop.domain.edits) already
know their exact inverse, so "Delete 3 channels", "Paste", "Move" and
"Rename" differ only in their edit list and their text. Merging (typing in the
inspector, arrow-key nudges) is by a merge key: consecutive commands with the
same key fold into one undo step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from desktop.domain.edits import Edit

if TYPE_CHECKING:
    from desktop.commands.session import MapSession

MERGE_ID = 4242


class MapEdit(QUndoCommand):
    """A user's edit: `edits` forward, `inverses` back (computed when first applied)."""

    def __init__(
        self, session: MapSession, text: str, edits: list[Edit], inverses: list[Edit], merge_key: str = ""
    ) -> None:
        super().__init__(text)
        self._session = session
        self.edits = edits
        self.inverses = inverses
        self.merge_key = merge_key
        self._done = True  # perform() applied it before pushing; the first redo() is a no-op

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._session._replay(self.edits)

    def undo(self) -> None:
        self._session._replay(self.inverses)

    def id(self) -> int:
        return MERGE_ID if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, MapEdit) or other.merge_key != self.merge_key or not self.merge_key:
            return False
        self.edits = self.edits + other.edits
        self.inverses = other.inverses + self.inverses
        return True
