"""`Links`: the signal connections a panel keeps to the open map, let go of in one place.

Every panel that follows the open map (inspector, coherence panel, versions,
present mode) connects to the session's and the scene's signals when a map
opens (`MainWindow.session_opened`) and must let go of the previous map's:
`rebind` does both, and `release` lets go when the window closes. A sender
already deleted (the old session) is simply forgotten.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import SignalInstance


class Links:
    """(signal, slot) pairs connected for the map shown now."""

    def __init__(self) -> None:
        self._pairs: list[tuple[SignalInstance, Callable[..., Any]]] = []

    def rebind(self, *pairs: tuple[SignalInstance, Callable[..., Any]]) -> None:
        """Let go of the previous map's connections, then connect these."""
        self.release()
        for signal, slot in pairs:
            signal.connect(slot)
            self._pairs.append((signal, slot))

    def release(self) -> None:
        for signal, slot in self._pairs:
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):  # the sender is already gone
                pass
        self._pairs.clear()
