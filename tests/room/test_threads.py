"""The room's server thread hands news to the window without touching Qt (desktop/ui/thread_inbox.py).

It used to emit Qt signals from its own thread, which PySide 6.8+ does not always survive
(PYSIDE-3124). The crash seen under 30 phones was the cyclic collector's (tests/ui/test_collector.py).
"""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QLabel

from desktop.ui.thread_inbox import ThreadInbox
from tests.room.conftest import open_room, rows
from tests.room.phones import Phone


def test_the_server_thread_makes_no_qt_call_while_phones_suggest_and_vote(qtbot, room_window) -> None:
    window, _path = room_window
    qt_calls: list[str] = []

    def watch(frame, event, arg):  # every thread started from now on: only the room's server is
        if event == "c_call" and threading.current_thread().name == "room-server":
            owner = getattr(arg, "__self__", None)
            module = type(owner).__module__ if owner is not None else getattr(arg, "__module__", "") or ""
            if module.startswith(("PySide6", "shiboken6", "Shiboken")):
                qt_calls.append(f"{type(owner).__name__}.{arg.__name__}")

    threading.setprofile(watch)
    try:
        phone = Phone(open_room(qtbot, window)).join()
    finally:
        threading.setprofile(None)  # type: ignore[arg-type]
    for name in ("Podcasts", "Partner webinars", "G2 reviews"):
        assert phone.suggest(name).status == 201
    qtbot.waitUntil(lambda: len(rows(window)) == 3)
    window.room.open_vote()
    key = phone.state()["vote"]["findings"][0]["key"]
    assert phone.vote(key).status == 200
    status = window.findChild(QLabel, "roomVoteStatus")
    assert status is not None
    qtbot.waitUntil(lambda: status.text().endswith("· 1 dot cast"))
    window.room.close_vote()
    assert qt_calls == []


def test_an_inbox_delivers_on_its_own_thread_in_order_and_nothing_once_closed(qtbot) -> None:
    got: list[tuple[int, int, int]] = []
    inbox = ThreadInbox(lambda item: got.append((*item, threading.get_ident())))
    senders = [
        threading.Thread(target=lambda n=n: [inbox.put((n, i)) for i in range(500)], name=f"sender {n}")
        for n in range(4)
    ]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()
    qtbot.waitUntil(lambda: len(got) == 2000)
    assert {thread for *_, thread in got} == {threading.main_thread().ident}
    for n in range(4):
        assert [i for sender, i, _ in got if sender == n] == list(range(500))
    inbox.close()
    inbox.put((9, 9))
    qtbot.wait(50)
    assert len(got) == 2000
    inbox.close()  # twice: harmless
