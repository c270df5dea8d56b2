"""A room opened before present mode: its present-mode strip never opens as a window of its own."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from tests.room.conftest import open_room, rows
from tests.room.phones import Phone


def stray_strips() -> list[str]:
    return [
        w.objectName()
        for w in QApplication.topLevelWidgets()
        if w.isVisible() and w.objectName().startswith("roomStrip")
    ]


def test_the_strip_waits_for_present_mode_while_suggestions_arrive(qtbot, room_window) -> None:
    window, _path = room_window
    phone = Phone(open_room(qtbot, window)).join()
    for name in ("Billboards", "Community Slack", "Podcast ads"):
        assert phone.suggest(name).status == 201
    qtbot.waitUntil(lambda: len(rows(window)) == 3)
    assert stray_strips() == []
    assert QApplication.activeWindow() in (None, window)
