"""Python's cyclic garbage collector, run only on the GUI thread, between events.

Why: left to itself, the collector runs wherever allocations happen to cross its threshold: on
the workshop room's server thread (30 phones' requests allocate a lot), or on the GUI thread in
the middle of Qt delivering an event. A Qt object whose Python wrapper sits in a reference cycle
(a dropped window, dialog or scene) is then deleted on the wrong thread, or under Qt's feet. With
30 phones submitting, the room's benchmark (`bench/room.py`, a new window each round) run back to
back crashed twice in 221 rounds (a segmentation fault in the collector on the GUI thread, then
one inside event processing, with the room's Qt signals already gone); with this collector, none
in 1,073 rounds (over its three versions). pyqtgraph ships the same remedy
(`pyqtgraph.util.garbage_collector`); this one is ours so that starting the app does not import
pyqtgraph, and it keeps CPython's rule for full collections.

Automatic collection is switched off. Each time the GUI thread's event loop is about to wait, and
on a 250 ms tick, the collector collects what Python would have:
a generation when its count passes its threshold, and the whole heap only when the objects that
reached the oldest generation since the last full collection are a quarter of those there then
(CPython's own rule: a full collection walks every object alive, 110 ms with a 10,000-channel map
open, so it must stay rare). Memory is reclaimed as before, only at a moment when no Qt code is on
the stack.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QAbstractEventDispatcher, QObject, QTimer

INTERVAL_MS = 250


class GuiThreadCollector(QObject):
    """Owns the collection for the process while it lives (one per application)."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        self._long_lived = 0  # objects in the oldest generation after the last full collection
        self._pending = 0  # objects that reached it since
        gc.callbacks.append(self._collected)  # a full collection made elsewhere (gc.collect()) counts too
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        # Also each time the event loop is about to wait: collections then come as often and as small
        # as Python's own (a few hundred objects), not as one larger pause per tick. The tick remains
        # for loops that never wait (a long `processEvents` loop).
        self._dispatcher: QAbstractEventDispatcher | None = QAbstractEventDispatcher.instance(self.thread())
        if self._dispatcher is not None:
            self._dispatcher.aboutToBlock.connect(self.check)

    def check(self) -> int:
        """Collect what Python would collect now (see above); the number of unreachable objects found."""
        first, second, third = gc.get_count()
        low, middle, high = self.threshold
        if first <= low:
            return 0
        if second <= middle:
            return gc.collect(0)
        if third > high and self._pending > self._long_lived // 4:
            return gc.collect(2)
        young = len(gc.get_objects(0)) + len(gc.get_objects(1))
        found = gc.collect(1)
        self._pending += max(0, young - found)  # the survivors move to the oldest generation
        return found

    def _collected(self, phase: str, info: dict[str, int]) -> None:
        """After any full collection, ours or a `gc.collect()` elsewhere: what is long-lived now (listing
        the objects takes 9 ms for 360,000, a tenth of the collection that just walked them)."""
        if phase == "stop" and info["generation"] == 2:
            self._long_lived, self._pending = len(gc.get_objects(2)), 0

    def stop(self) -> None:
        """Back to Python's own collection, as it was before (tests that start a room stop it)."""
        self.timer.stop()
        if self._dispatcher is not None:
            self._dispatcher.aboutToBlock.disconnect(self.check)
            self._dispatcher = None
        if self._collected in gc.callbacks:
            gc.callbacks.remove(self._collected)
        if self._was_enabled:
            gc.enable()
        if self in _COLLECTOR:
            _COLLECTOR.remove(self)


_COLLECTOR: list[GuiThreadCollector] = []


def collect_on_gui_thread(app: QObject) -> GuiThreadCollector:
    """Start (once per application) collecting on the GUI thread only; returns the collector."""
    for collector in _COLLECTOR:
        if collector.parent() is app:
            return collector
    collector = GuiThreadCollector(app)
    _COLLECTOR[:] = [collector]
    return collector
