"""Requests from the operating system: a map opened from Finder reaches the running window."""

from __future__ import annotations

from PySide6.QtGui import QFileOpenEvent

from desktop.app import MainWindow, open_requested_file
from tests.ui.helpers import new_map_file


def test_a_file_open_request_opens_the_map_in_the_window(qtbot, tmp_path):
    first = new_map_file(tmp_path, "first.distarch", sample=True)
    second = new_map_file(tmp_path, "second.distarch")
    window = MainWindow(first)
    qtbot.addWidget(window)
    assert open_requested_file(window, QFileOpenEvent(str(second)))
    assert window.session.repository.path == second.absolute()
    assert not open_requested_file(window, QFileOpenEvent(""))
    assert window.session.repository.path == second.absolute()
