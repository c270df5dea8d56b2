"""Live team maps: edit-to-visible latency between two windows, and the drag step under remote edits.

Two windows on one library map of a throwaway PostgreSQL 15 server (loopback,
unix socket). Latency: a rename in window A (its write committed) until window
B has applied it and announced the change (canvas, badges, panel follow in
that signal); B learns of it through LISTEN/NOTIFY on its socket, no polling.
Drag step: window A moves a card a grid step and repaints while another client
(its own connection, a thread) writes 10 edits a second to other channels; a step counts
applying whatever arrived before it.
"""

from __future__ import annotations

import statistics
import threading
import time

from bench.report import Figure

ROUNDS = 40
DRAG_SECONDS = 3.0


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


def figures(quick: bool) -> list[Figure]:
    from PySide6.QtCore import QEventLoop, QPointF, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.app import MainWindow
    from desktop.document.editor import MapEditor
    from desktop.domain import interchange
    from desktop.domain.edits import UpdateChannel
    from desktop.resources import sample_map_path
    from desktop.store.library import schema
    from desktop.store.library.catalog import Library
    from desktop.store.library.connection import connect
    from tests.postgres import Cluster, ClusterUnavailable

    try:
        cluster = Cluster().start()
    except ClusterUnavailable as exc:
        return [Figure(f"live team maps (not measured: {exc})", [], note="no PostgreSQL")]
    windows: list[MainWindow] = []
    try:
        url = cluster.socket_url(cluster.new_database())
        conn = connect(url)
        schema.init(conn)
        conn.close()
        with Library.connect(url) as library:
            library.create("Live", interchange.loads(sample_map_path().read_bytes()))
        for _ in range(2):
            window = MainWindow(f"{url}#Live")
            window.resize(1600, 900)
            window.show()
            windows.append(window)
        for _ in range(5):
            QApplication.processEvents()
        a, b = windows
        latency: list[float] = []
        for index in range(ROUNDS // 2 if quick else ROUNDS):
            loop = QEventLoop()
            b.session.changed.connect(loop.quit)
            QTimer.singleShot(2000, loop.quit)
            began = time.perf_counter()
            a.rename_channel("c1", f"Paid search {index}")
            if b.session.map.channel("c1").name != f"Paid search {index}":
                loop.exec()
            latency.append(time.perf_counter() - began)
            b.session.changed.disconnect(loop.quit)
        p50 = Figure("live: edit in one window visible in the other, p50", latency, note="loopback")
        p95 = Figure("live: edit in one window visible in the other, p95", [_p95(latency)]).check(under=0.25)

        stop = threading.Event()
        sent = [0]

        def other_client() -> None:
            library = Library.connect(url, author="Sam")
            editor = MapEditor(library.open("Live"))
            try:
                while not stop.is_set():
                    channel = editor.map.channel("c2")
                    editor.perform(
                        "Spend", [UpdateChannel(channel.with_changes(monthly_spend=float(sent[0])))]
                    )
                    sent[0] += 1
                    stop.wait(0.1)
            finally:
                editor.close()
                library.close()

        scene, view = a.scene, a.view
        item = scene.channel_items["c5"]
        view.centerOn(item)
        start = item.pos()
        steps: list[float] = []
        thread = threading.Thread(target=other_client)
        thread.start()
        ends = time.perf_counter() + (DRAG_SECONDS / 2 if quick else DRAG_SECONDS)
        step = 0
        while time.perf_counter() < ends:
            began = time.perf_counter()
            QApplication.processEvents()  # the other client's edits arrive and are applied in the step
            step += 1
            scene.move_cards({item: scene.snapped(start + QPointF(0, 20 * (step % 2 + 1)))})
            view.viewport().repaint()
            steps.append(time.perf_counter() - began)
            time.sleep(0.004)
        stop.set()
        thread.join(timeout=10)
        scene.move_cards({item: start})
        note = f"{sent[0]} remote edits in {DRAG_SECONDS:g} s; p95 {_p95(steps) * 1000:.1f} ms"
        drag = Figure("live: drag step while another client sends 10 edits/s", steps, note=note).check(
            under=0.016
        )
        return [p50, p95, drag]
    finally:
        for window in windows:
            window.close()
        cluster.remove()
