"""Workshop room figures: suggestion-to-inbox latency on loopback, and the drag step while 30 phones submit.

The room runs in the real window (sample map) on 127.0.0.1; the 30 phones are
plain HTTP clients in another process (bench.room_phones), as real phones do
not share the app's interpreter. Latency is from a phone's send to the
suggestion's row in the facilitator's inbox (rows inserted or updated on the
GUI thread), on the monotonic clock both processes share. The drag step is
what bench.canvas times (one card moved a grid step, the viewport repainted)
plus the event-loop turn before it, which is where the room's arrivals are
handled.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, QPointF, QTimer
from PySide6.QtWidgets import QApplication

from bench.report import Figure
from desktop.app import MainWindow

PHONES = 30
ROOT = Path(__file__).resolve().parents[1]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else float("nan")


def phones(url: str, each: int, pause: float) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "bench.room_phones", url, str(PHONES), str(each), str(pause)]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)


def figures(quick: bool) -> list[Figure]:
    os.environ["DISTARCH_ROOM_HOST"] = "127.0.0.1"
    window = MainWindow(None)
    window.resize(1600, 960)
    window.show()
    app = QApplication.instance()
    from desktop.ui.room_panel import room_controller

    room = room_controller(window)
    try:
        assert room.open("127.0.0.1") and room.server is not None
        room.card.hide()
        out = latency(app, room, 5 if quick else 10)
        room.close()
        assert room.open("127.0.0.1") and room.server is not None
        room.card.hide()
        out += drag_while_submitting(app, window, room, 80 if quick else 200)
    finally:
        room.close()
        window.close()
    return out


def latency(app, room, each: int) -> list[Figure]:
    seen: dict[str, float] = {}
    model = room.model

    def shown(first: int, last: int) -> None:  # rows inserted or updated in the inbox
        now = time.monotonic()
        for group in model.groups[first : last + 1]:
            for suggestion in group.suggestions:
                seen.setdefault(suggestion.name, now)

    model.rowsInserted.connect(lambda _parent, first, last: shown(first, last))
    model.dataChanged.connect(lambda top, bottom: shown(top.row(), bottom.row()))
    process = phones(room.server.join_url, each, 0.05)
    deadline = time.monotonic() + 120
    # The window's own event loop (it waits between events, as the app's does), until the phones are done.
    loop = QEventLoop()
    poll = QTimer(interval=10)
    poll.timeout.connect(lambda: (process.poll() is not None or time.monotonic() > deadline) and loop.quit())
    poll.start()
    loop.exec()
    poll.stop()
    QTimer.singleShot(100, loop.quit)  # the last arrivals' batch
    loop.exec()
    sent = json.loads(process.communicate(timeout=30)[0])["sent"]
    delays = [seen[name] - sent[name] for name in sent if name in seen]
    lost = len(sent) - len(delays)
    note = f"{len(delays)} suggestions from {PHONES} phones" + (f", {lost} missing" if lost else "")
    p50 = Figure("Room: suggestion to inbox, p50", [percentile(delays, 50)], note=note)
    p95 = Figure("Room: suggestion to inbox, p95", [percentile(delays, 95)], note=note).check(under=0.3)
    return [p50, p95]


def drag_while_submitting(app, window: MainWindow, room, steps: int) -> list[Figure]:
    scene, view = window.scene, window.view
    item = next(iter(scene.channel_items.values()))
    view.auto_fit = False
    view.set_zoom(1.0)
    view.centerOn(item)
    view.viewport().repaint()
    start = item.pos()
    process = phones(room.server.join_url, 30, 0)  # each phone's whole minute's allowance, at once
    while room.model.rowCount() == 0 and process.poll() is None:  # the phones have joined and begun
        app.processEvents()
    times: list[float] = []
    for step in range(steps):
        began = time.perf_counter()
        app.processEvents()  # the room's queued arrivals are handled here, as in the event loop
        scene.move_cards({item: scene.snapped(start + QPointF(0, 20 * (step % 2 + 1)))})
        view.viewport().repaint()
        times.append(time.perf_counter() - began)
    arrived = room.model.rowCount()
    accepted = json.loads(process.communicate(timeout=120)[0])["accepted"]
    scene.move_cards({item: start})
    note = f"{steps} steps, {arrived} of {accepted} suggestions arrived meanwhile; p95 {percentile(times, 95) * 1e3:.1f} ms"
    figure = Figure("Room: drag step while 30 phones submit", [statistics.median(times)], note=note)
    return [figure.check(under=0.016)]
