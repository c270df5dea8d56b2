"""Two windows on one team library map, live, against a real PostgreSQL server (pytest-qt, offscreen).

Each window has its own connection; an edit in one reaches the other through
LISTEN/NOTIFY on its connection's socket (no polling), and both equal the server.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QMessageBox

from desktop.app import MainWindow
from desktop.domain import interchange
from desktop.domain.edits import AddFlow, UpdateChannel, apply_all, remove_channels
from desktop.domain.layers import Layer
from desktop.domain.model import Flow
from desktop.resources import sample_map_path
from desktop.store.library.catalog import Library
from desktop.ui import settings


def sample():
    """The sample map without its "Webinars" channel (the simultaneous-add test adds it twice)."""
    arch = interchange.loads(sample_map_path().read_bytes())
    apply_all(arch, remove_channels(arch, ["c3"]))
    return arch


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


def both_equal_the_server(qtbot, url, *windows) -> None:
    def equal() -> bool:
        server = on_server(url)
        return all(server.same_content(w.session.map) for w in windows)

    qtbot.waitUntil(equal, timeout=5000)


def set_field(window, cid: str, **changes) -> None:
    channel = window.session.map.channel(cid)
    assert window.session.perform("Edit channel", [UpdateChannel(channel.with_changes(**changes))])


def test_different_fields_of_one_channel_both_survive(qtbot, two_windows, library_url):
    dana, sam = two_windows
    dana.rename_channel("c1", "Paid search (EMEA)")
    set_field(sam, "c1", tool="Google Ads Editor")  # Sam had not seen Dana's rename yet
    set_field(sam, "c2", monthly_spend=999.0)
    both_equal_the_server(qtbot, library_url, dana, sam)
    server = on_server(library_url)
    assert server.channel("c1").name == "Paid search (EMEA)"
    assert server.channel("c1").tool == "Google Ads Editor"
    assert server.channel("c2").monthly_spend == 999.0


def test_the_same_field_the_later_commit_wins_and_the_other_is_told(qtbot, two_windows, library_url):
    dana, sam = two_windows
    dana.rename_channel("c1", "Search (Dana)")
    sam.rename_channel("c1", "Search (Sam)")  # later, and without having seen Dana's
    both_equal_the_server(qtbot, library_url, dana, sam)
    assert on_server(library_url).channel("c1").name == "Search (Sam)"
    qtbot.waitUntil(lambda: "Sam changed the name" in dana.statusBar().currentMessage(), timeout=5000)
    assert "Search (Sam)" in dana.statusBar().currentMessage()


def test_an_edit_to_a_channel_someone_deleted_is_refused_with_a_notice(qtbot, two_windows, library_url):
    dana, sam = two_windows
    before = len(on_server(library_url).flows)
    assert sam.session.perform("Delete", remove_channels(sam.session.map, ["c1"]))
    dana.rename_channel("c1", "Paid search (EMEA)")  # Dana still sees it
    box = dana.findChild(QMessageBox, "problemDialog")
    assert box is not None and "Sam deleted this channel" in box.text()
    both_equal_the_server(qtbot, library_url, dana, sam)
    server = on_server(library_url)
    assert not server.has_channel("c1") and len(server.flows) == before - len(sample().flows_of("c1"))


def test_a_flow_whose_end_was_deleted_goes_with_it(qtbot, two_windows, library_url):
    dana, sam = two_windows
    assert dana.session.perform("Draw", [AddFlow(Flow("c2", "c4"))])
    assert sam.session.perform("Delete", remove_channels(sam.session.map, ["c4"]))  # not seen Dana's flow
    both_equal_the_server(qtbot, library_url, dana, sam)
    server = on_server(library_url)
    assert not server.has_channel("c4") and server.flow("c2", "c4") is None


def test_two_people_adding_webinars_at_once_get_webinars_and_webinars_2(qtbot, two_windows, library_url):
    dana, sam = two_windows
    dana.quick_add("Webinars", Layer.CAPTURE)
    sam.quick_add("Webinars", Layer.CAPTURE)  # at once: Sam had not seen Dana's
    both_equal_the_server(qtbot, library_url, dana, sam)
    assert {"Webinars", "Webinars 2"} <= names(dana)
    qtbot.waitUntil(lambda: "yours is 'Webinars 2'" in sam.statusBar().currentMessage(), timeout=5000)
    assert "Dana added 'Webinars'" in sam.statusBar().currentMessage()


def test_undo_undoes_only_your_own_edit_and_refuses_to_overwrite_a_newer_one(qtbot, two_windows, library_url):
    dana, sam = two_windows
    dana.rename_channel("c1", "Search (Dana)")
    sam.rename_channel("c2", "LinkedIn (Sam)")
    both_equal_the_server(qtbot, library_url, dana, sam)
    dana.undo_group.undo()  # Dana's rename, as a new edit in the log; Sam's stays
    both_equal_the_server(qtbot, library_url, dana, sam)
    server = on_server(library_url)
    assert server.channel("c1").name == "Paid search" and server.channel("c2").name == "LinkedIn (Sam)"
    set_field(dana, "c5", tool="Ahrefs")
    both_equal_the_server(qtbot, library_url, dana, sam)
    set_field(sam, "c5", tool="Semrush")  # newer than Dana's
    both_equal_the_server(qtbot, library_url, dana, sam)
    dana.undo_group.undo()
    assert "someone else changed the tool of 'Content & SEO'" in dana.statusBar().currentMessage()
    both_equal_the_server(qtbot, library_url, dana, sam)
    assert on_server(library_url).channel("c5").tool == "Semrush"
    qtbot.waitUntil(lambda: dana.undo_group.activeStack().canUndo(), timeout=2000)
    assert dana.undo_group.activeStack().index() == 1  # the refused step is still Dana's to undo later


def test_presence_shows_both_and_each_selection_in_its_colour(qtbot, two_windows):
    dana, sam = two_windows
    qtbot.waitUntil(lambda: "Sam" in dana.findChild(QLabel, "presence").text(), timeout=5000)
    qtbot.waitUntil(lambda: "Dana" in sam.findChild(QLabel, "presence").text(), timeout=5000)
    sam.scene.select_channels(["c2"])
    qtbot.waitUntil(lambda: dana.library_watch.presence.outlined() == {"Sam": ["c2"]}, timeout=5000)
    assert dana.scene.channel_items["c2"].childItems()  # the outline is drawn on Sam's card
    sam.close()
    qtbot.waitUntil(lambda: "Sam" not in dana.findChild(QLabel, "presence").text(), timeout=5000)
    assert dana.library_watch.presence.outlined() == {}
