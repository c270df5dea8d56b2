"""Two windows on one team library map, live, against a real PostgreSQL server (pytest-qt, offscreen).

Each window has its own connection; an edit in one reaches the other through
LISTEN/NOTIFY on its connection's socket (no polling), and both equal the server.
"""

from __future__ import annotations

import pytest

from desktop.app import MainWindow
from desktop.domain import interchange
from desktop.domain.layers import Layer
from desktop.resources import sample_map_path
from desktop.store.library.catalog import Library
from desktop.ui import settings


def sample():
    return interchange.loads(sample_map_path().read_bytes())


def on_server(url: str, name: str = "Plan"):
    with Library.connect(url) as library:
        return library.load(name)


@pytest.fixture()
def two_windows(qtbot, library_url):
    with Library.connect(library_url) as library:
        library.create("Plan", sample())
    windows = []
    for who in ("Dana", "Sam"):
        settings.put("display_name", who)
        window = MainWindow(f"{library_url}#Plan")
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
    yield windows
    for window in windows:
        window.close()


def names(window) -> set[str]:
    return {c.name for c in window.session.map.channels}


def test_an_edit_in_one_window_appears_in_the_other(qtbot, two_windows, library_url):
    dana, sam = two_windows
    dana.quick_add("Podcast guests", Layer.CAPTURE)
    qtbot.waitUntil(lambda: "Podcast guests" in names(sam), timeout=5000)
    first = sam.session.map.channels[0].id
    sam.rename_channel(first, "Paid search (EMEA)")
    qtbot.waitUntil(lambda: dana.session.map.channel(first).name == "Paid search (EMEA)", timeout=5000)
    server = on_server(library_url)
    assert server.same_content(dana.session.map) and server.same_content(sam.session.map)
    assert sam.session.report.score == dana.session.report.score
    new_id = next(c.id for c in sam.session.map.channels if c.name == "Podcast guests")
    assert sam.scene.channel_items[new_id].objectName() == f"channel-{new_id}"


def test_an_edit_made_before_the_others_arrived_still_ends_in_one_order(qtbot, two_windows, library_url):
    dana, sam = two_windows
    first = sam.session.map.channels[0].id
    dana.quick_add("Podcast guests", Layer.CAPTURE)
    sam.rename_channel(first, "Paid search (EMEA)")  # before Dana's edit reached Sam
    qtbot.waitUntil(lambda: "Podcast guests" in names(sam), timeout=5000)
    qtbot.waitUntil(lambda: dana.session.map.channel(first).name == "Paid search (EMEA)", timeout=5000)
    server = on_server(library_url)
    assert server.same_content(dana.session.map) and server.same_content(sam.session.map)
