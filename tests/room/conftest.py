"""Room fixtures: the real window on a copy of the sample map, with its room opened on loopback."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QLabel

from desktop.app import MainWindow
from desktop.ui.collector import collect_on_gui_thread
from tests.ui.helpers import new_map_file


def open_room(qtbot, window) -> str:
    """Trigger Workshop → Open Room… as a user would; returns the join address the dock shows."""
    action = window.findChild(QAction, "openRoom")
    assert action is not None
    action.trigger()
    label = window.findChild(QLabel, "roomAddress")
    assert label is not None
    qtbot.waitUntil(lambda: label.text().startswith("http://127.0.0.1:"))
    return label.text()


def inbox(window) -> QAbstractItemView:
    view = window.findChild(QAbstractItemView, "roomInbox")
    assert view is not None
    return view


def rows(window) -> list[str]:
    model = inbox(window).model()
    return [str(model.index(row, 0).data()) for row in range(model.rowCount())]


@pytest.fixture()
def room_window(qtbot, qapp, tmp_path, monkeypatch):
    """The window as `main.py` runs it, collector included: collections on the GUI thread only, never
    on the room's server thread (desktop/ui/collector.py)."""
    monkeypatch.setenv("DISTARCH_ROOM_HOST", "127.0.0.1")
    collector = collect_on_gui_thread(qapp)
    path = new_map_file(tmp_path, sample=True)
    window = MainWindow(path)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    yield window, path
    room = getattr(window, "room", None)
    if room is not None:
        room.close()
    collector.stop()
