"""`WorkshopTimer`: the countdown a facilitator runs during a workshop exercise in present mode.

It counts against a monotonic deadline (not by adding up ticks) so it stays
right on a busy machine, and it emits `changed` only when the shown second
changes, so the large clock on the projector repaints once a second.
"""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.ui import settings

DEFAULT_MINUTES = 10
TIMER_KEY = "present_timer_minutes"


def remembered_minutes() -> int:
    """The exercise length the facilitator chose last time (minutes, 1 to 120)."""
    try:
        return max(1, min(120, int(settings.get(TIMER_KEY, str(DEFAULT_MINUTES)))))
    except ValueError:
        return DEFAULT_MINUTES


class WorkshopTimer(QObject):
    """A countdown for a workshop exercise. Signals: `changed()` every second, `finished()` at zero."""

    changed = Signal()
    finished = Signal()
    minutes_changed = Signal(int)

    def __init__(self, minutes: int = DEFAULT_MINUTES, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.minutes = max(1, minutes)
        self.remaining = self.minutes * 60
        self.running = False
        self._deadline = 0.0
        self._ticker = QTimer(self)
        self._ticker.setInterval(200)
        self._ticker.timeout.connect(self._tick)

    @property
    def text(self) -> str:
        minutes, seconds = divmod(max(0, self.remaining), 60)
        return f"{minutes:02d}:{seconds:02d}"

    def toggle(self) -> None:
        if self.running:
            self.pause()
        else:
            self.start()

    def start(self) -> None:
        if self.remaining <= 0:
            self.reset()
        self._deadline = time.monotonic() + self.remaining
        self.running = True
        self._ticker.start()
        self.changed.emit()

    def pause(self) -> None:
        if self.running:
            self._tick()
        self.running = False
        self._ticker.stop()
        self.changed.emit()

    def reset(self) -> None:
        self.running = False
        self._ticker.stop()
        self.remaining = self.minutes * 60
        self.changed.emit()

    def set_duration(self, seconds: int) -> None:
        """Count down from `seconds` (the minutes stay what the facilitator chose for the next reset)."""
        self.remaining = max(0, int(seconds))
        if self.running:
            self._deadline = time.monotonic() + self.remaining
        self.changed.emit()

    def add_minutes(self, delta: int) -> None:
        """+/-: change the exercise length; while running, add or take a minute from what is left."""
        minutes = max(1, min(120, self.minutes + delta))
        if minutes != self.minutes:
            self.minutes = minutes
            self.minutes_changed.emit(minutes)
        if self.running:
            self.set_duration(max(1, self.remaining + 60 * delta))
        else:
            self.remaining = self.minutes * 60
            self.changed.emit()

    def _tick(self) -> None:
        if not self.running:
            return
        remaining = max(0, math.ceil(self._deadline - time.monotonic() - 1e-3))
        if remaining == self.remaining:
            return
        self.remaining = remaining
        if remaining <= 0:
            self.running = False
            self._ticker.stop()
            self.changed.emit()
            self.finished.emit()
            return
        self.changed.emit()
