"""Load on loopback: 30 phones, each 20 suggestions and 3 dots, against the real window's room.

Bounded in count (600 suggestions, 90 dots) and in time (every request has a
timeout, the whole run a deadline). Nothing is lost or duplicated, and the
canvas keeps painting while the room is busy.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import QEvent, QObject, QTimer

from tests.room.conftest import open_room
from tests.room.phones import Phone

PHONES = 30
SUGGESTIONS = 20
DOTS = 3
DEADLINE_MS = 180_000


class PaintCounter(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def participant(url: str, number: int, key: str) -> tuple[list[int], list[int]]:
    phone = Phone(url).join()
    statuses = [phone.suggest(f"Phone {number} idea {i}", "routing").status for i in range(SUGGESTIONS)]
    votes = [phone.vote(key).status for _ in range(DOTS)]
    assert len(phone.state()["suggestions"]) == SUGGESTIONS
    return statuses, votes


def test_thirty_phones_lose_nothing_and_the_canvas_keeps_painting(qtbot, room_window) -> None:
    window, _path = room_window
    url = open_room(qtbot, window)
    window.room.open_vote()
    window.room.card.hide()  # the join card covers the canvas until the facilitator dismisses it
    key = window.room.state.ballot.items[0].key
    counter = PaintCounter()
    window.view.viewport().installEventFilter(counter)
    ticker = QTimer(interval=20, timeout=window.view.viewport().repaint)
    ticker.start()
    started = time.monotonic()
    with ThreadPoolExecutor(PHONES) as pool:
        futures = [pool.submit(participant, url, n, key) for n in range(PHONES)]
        qtbot.waitUntil(lambda: all(f.done() for f in futures), timeout=DEADLINE_MS)
        painted_while_busy = counter.paints
        busy_ms = (time.monotonic() - started) * 1000
        results = [f.result() for f in futures]
    ticker.stop()
    assert all(status == 201 for statuses, _ in results for status in statuses)
    assert all(status == 200 for _, votes in results for status in votes)
    model = window.room.model
    qtbot.waitUntil(lambda: sum(len(g.suggestions) for g in model.groups) == PHONES * SUGGESTIONS)
    received = [s for g in model.groups for s in g.suggestions]
    assert len({s.id for s in received}) == PHONES * SUGGESTIONS  # no duplicate
    assert {s.name for s in received} == {
        f"Phone {n} idea {i}" for n in range(PHONES) for i in range(SUGGESTIONS)
    }
    assert window.room.state.ballot.tally()[key] == PHONES * DOTS
    # the GUI thread kept running its timers and painting: at least one paint per second of load
    assert painted_while_busy >= max(1, int(busy_ms // 1000))
