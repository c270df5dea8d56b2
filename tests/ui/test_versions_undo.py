"""Undoing a version's deletion brings it back as it was: its saved time, its place in the score
history (the chart's mark) and its place in the list, for a file map and a team library map alike."""

from __future__ import annotations

import sqlite3

import pytest

from desktop.app import MainWindow
from desktop.domain import interchange
from desktop.domain.layers import Layer
from desktop.resources import sample_map_path
from desktop.store.library.catalog import Library
from tests.ui.helpers import new_map_file

OLD = "2020-01-02T03:04:05+00:00"


def age(location: str, name: str) -> None:
    """Make the version look saved long ago, straight in the store (so a new time cannot pass for it)."""
    if location.startswith("postgresql"):
        from desktop.store.library.connection import connect

        conn = connect(location.split("#")[0])
        with conn.transaction():
            conn.execute("UPDATE distarch.version SET created = %s WHERE name = %s", (OLD, name))
        conn.close()
    else:
        with sqlite3.connect(location) as conn:
            conn.execute("UPDATE version SET created = ? WHERE name = ?", (OLD, name))
        conn.close()


@pytest.fixture(params=["file", "library"])
def location(request, tmp_path) -> str:
    if request.param == "file":
        return str(new_map_file(tmp_path, sample=True))
    url = request.getfixturevalue("library_url")
    with Library.connect(url) as library:
        library.create("Plan", interchange.loads(sample_map_path().read_bytes()))
    return f"{url}#Plan"


def open_window(qtbot, location: str) -> MainWindow:
    window = MainWindow(location)
    qtbot.addWidget(window)
    return window


def test_undoing_a_deleted_version_brings_it_back_as_it_was(qtbot, location):
    window = open_window(qtbot, location)
    assert window.scenarios.save("As-is", "before the workshop") is not None
    window.quick_add("Webinars", Layer.CAPTURE)
    window.quick_add("Podcast guests", Layer.CAPTURE)
    assert window.scenarios.save("Two more", "") is not None
    window.close()
    age(location, "As-is")
    window = open_window(qtbot, location)  # a later session: the version was saved long ago
    session = window.session
    before = session.repository.list_versions()
    shown = window.versions_dock.names()  # newest first
    assert [v.name for v in before] == ["As-is", "Two more"] and before[0].created == OLD
    assert before[0].history_index < before[1].history_index
    assert window.scenarios.delete("As-is")
    assert [v.name for v in session.repository.list_versions()] == ["Two more"]
    window.actions_by_name["undo"].trigger()
    assert session.repository.list_versions() == before
    assert window.versions_dock.names() == shown == ["Two more", "As-is"]
    window.actions_by_name["redo"].trigger()
    window.actions_by_name["undo"].trigger()
    assert session.repository.list_versions() == before
    window.close()
