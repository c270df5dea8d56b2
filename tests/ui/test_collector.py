"""Python's cyclic collector runs on the GUI thread only, between events (desktop/ui/collector.py)."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest
from PySide6.QtWidgets import QApplication

from desktop.ui.collector import GuiThreadCollector, collect_on_gui_thread


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the cyclic collector frees it


@pytest.fixture()
def collector(qapp):
    was = gc.isenabled()
    started = GuiThreadCollector(qapp, interval_ms=20)
    yield started
    started.stop()
    assert gc.isenabled() == was


def test_a_busy_thread_never_collects_and_the_gui_thread_does(qtbot, collector) -> None:
    threads: list[int] = []

    def seen(phase: str, _info: dict) -> None:
        if phase == "start":
            threads.append(threading.get_ident())

    gc.callbacks.append(seen)
    try:
        kept = weakref.ref(Node())  # garbage in a cycle from the start
        busy = threading.Thread(target=lambda: [Node() for _ in range(200_000)])  # 285 thresholds' worth
        busy.start()
        busy.join()
        assert threads == []  # on its own thread, Python would have collected hundreds of times
        qtbot.waitUntil(lambda: kept() is None, timeout=5000)
    finally:
        gc.callbacks.remove(seen)
    assert threads and set(threads) == {threading.main_thread().ident}


def test_quiet_ticks_collect_nothing_and_one_collector_serves_an_application(qtbot, collector) -> None:
    gc.collect()
    assert collector.check() == 0  # below every threshold
    app = QApplication.instance()
    first = collect_on_gui_thread(app)
    try:
        assert collect_on_gui_thread(app) is first
        assert not gc.isenabled()
    finally:
        first.stop()
