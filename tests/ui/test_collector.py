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


def test_a_large_heap_is_walked_whole_only_as_often_as_python_would(qtbot, qapp) -> None:
    """CPython walks the whole heap only when a quarter as many objects again have reached the oldest
    generation since the last time: a full collection with a 10,000-channel map open takes 110 ms."""
    collector = GuiThreadCollector(qapp, interval_ms=60_000)  # driven by hand here
    walked: list[int] = []

    def seen(phase: str, info: dict) -> None:
        if phase == "start":
            walked.append(info["generation"])

    kept = [[n] for n in range(200_000)]  # the open map: long-lived, tracked objects
    gc.callbacks.append(seen)
    try:
        for _ in range(400):  # a busy session's worth of ticks, each after some short-lived garbage
            for _ in range(800):
                Node()
            collector.check()
        full = walked.count(2)
        assert walked.count(0) > 100 and walked.count(1) > 10
        assert full == 1  # the first (it measures the heap); then 200,000 kept objects outweigh the rest
        # Now a quarter as many again reach the oldest generation (the heap holds other tests' objects too).
        survivors = [[n] for n in range(collector._long_lived // 4 + 20_000)]
        for _ in range(400):
            for _ in range(800):
                Node()
            collector.check()
        assert walked.count(2) == full + 1
    finally:
        gc.callbacks.remove(seen)
        collector.stop()
    assert len(kept) == 200_000 and survivors


def test_a_full_collection_made_elsewhere_counts_as_the_last_one(qapp, collector) -> None:
    collector._pending = 10**9  # as if a full collection were long overdue
    gc.collect()  # make bench does this between its groups
    assert collector._pending == 0 and collector._long_lived > 1_000  # what is long-lived now


def test_the_event_loop_collects_each_time_it_is_about_to_wait(qtbot, qapp) -> None:
    collector = GuiThreadCollector(qapp, interval_ms=60_000)  # no tick during this test
    try:
        kept = weakref.ref(Node())
        for _ in range(1_000):
            Node()
        qtbot.wait(50)  # an event loop that waits: aboutToBlock
        assert kept() is None
    finally:
        collector.stop()
