"""Values handed from another thread to the GUI thread, with no Qt call on the sending side.

Why: the workshop room's web server runs on a thread of its own. It used to report each
suggestion and vote by emitting a Qt signal from that thread, queued to the GUI thread: the one
Qt call that thread made. PySide 6.8 and later are known to crash when another thread's signal
carries Python objects to a Python slot (PYSIDE-3124; a `@Slot` on the receiver is the advice, and
others report crashes even with it). While chasing a crash of the window under 30 phones, this
inbox came first; the crash went on (once in 132 room benchmarks) and turned out to be Python's
collector deleting Qt objects at the wrong moment (collector.py). The inbox stays: the server's thread now
calls no Qt code at all, which tests/room/test_threads.py checks. The sending thread only appends
to a deque (safe under Python's interpreter lock) and writes one byte into a socket pair; a
QSocketNotifier made on the GUI thread wakes the event loop there, which hands the values over in
the order they were put. The live library wakes the same way for PostgreSQL's notifications.
"""

from __future__ import annotations

import socket
from collections import deque
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier


class ThreadInbox(QObject):
    """`put(value)` from any thread; `deliver(value)` then runs on the thread that made the inbox."""

    def __init__(self, deliver: Callable[[Any], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._deliver = deliver
        self._items: deque[Any] = deque()
        self._closed = False
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)

    def put(self, item: Any) -> None:
        """Any thread: queue `item` and wake the receiving thread (no Qt call here)."""
        if self._closed:
            return
        self._items.append(item)
        try:
            self._writer.send(b"\x01")
        except OSError:  # full: wake-ups are pending already; closed: nobody is listening any more
            pass

    def _drain(self, *_: object) -> None:
        try:
            while self._reader.recv(4096):
                pass
        except OSError:  # BlockingIOError: every wake-up byte read
            pass
        # An item put after the bytes were read is delivered now or on its own byte's wake-up.
        while self._items and not self._closed:
            self._deliver(self._items.popleft())

    def close(self) -> None:
        """Deliver nothing more; what is still queued is dropped. Call once the senders have stopped."""
        if self._closed:
            return
        self._closed = True
        self._items.clear()
        self._notifier.setEnabled(False)
        self._reader.close()
        self._writer.close()
        self._notifier.deleteLater()
