"""The room in the real window: open, the inbox, accept (one undo step), drag, dismiss, vote, close."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from desktop.canvas.vote_dots import VoteDotsItem
from desktop.domain.layers import Layer
from desktop.domain.layout import LANE_WIDTH
from desktop.room.votes import ROOM_KEY, VoteResults
from desktop.store.document import MapDocument  # the test reads the file as another program would
from desktop.ui.findings_list import CAPTION_ROLE
from tests.room.conftest import inbox, open_room, rows
from tests.room.phones import Phone
from tests.ui.helpers import drop_mime, file_map


def names(path) -> set[str]:
    return {c.name for c in file_map(path).iter_channels()}


def test_suggestions_reach_the_inbox_grouped_and_never_the_map(qtbot, room_window) -> None:
    window, path = room_window
    url = open_room(qtbot, window)
    before = names(path)
    phone = Phone(url).join()
    for name in ("Webinar", "webinars", "Webinars (ON24)", "<script>alert(1)</script>"):
        assert phone.suggest(name).status == 201
    qtbot.waitUntil(lambda: len(rows(window)) == 2)
    first, second = rows(window)
    assert "Webinar" in first and "webinars" in first and "Webinars (ON24)" in first
    assert second.startswith("<script>alert(1)</script>")
    assert names(path) == before  # the room never writes the map by itself
    assert window.session.undo_stack.count() == 0


def test_enter_accepts_the_highlighted_suggestion_as_one_undo_step(qtbot, room_window) -> None:
    window, path = room_window
    phone = Phone(open_room(qtbot, window)).join()
    phone.suggest("Podcast sponsorships", "execution", "two shows")
    qtbot.waitUntil(lambda: len(rows(window)) == 1)
    view = inbox(window)
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    QTest.keyClick(view, Qt.Key.Key_Return)
    channel = next(c for c in file_map(path).iter_channels() if c.name == "Podcast sponsorships")
    assert channel.layer is Layer.EXECUTION and channel.notes == "two shows"
    assert rows(window) == [] and window.session.undo_stack.count() == 1
    qtbot.waitUntil(lambda: phone.state()["suggestions"][0]["status"] == "accepted")
    window.session.undo_stack.undo()
    assert "Podcast sponsorships" not in names(path)


def test_an_idea_already_on_the_map_selects_its_card_instead_of_a_near_duplicate(qtbot, room_window) -> None:
    window, path = room_window  # the sample map has "Webinars"
    phone = Phone(open_room(qtbot, window)).join()
    phone.suggest("Webinar", "capture", "monthly product demo")
    phone.suggest("webinars (ON24)", "capture")
    qtbot.waitUntil(lambda: len(rows(window)) == 1)
    assert rows(window)[0].startswith("Webinar  ·  on the map as Webinars")
    before = names(path)
    view = inbox(window)
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    QTest.keyClick(view, Qt.Key.Key_Return)
    assert names(path) == before  # no "Webinar" beside "Webinars"
    webinars = next(c for c in file_map(path).iter_channels() if c.name == "Webinars")
    assert "monthly product demo" in webinars.notes
    assert window.scene.selected_channel_ids() == [webinars.id]
    assert rows(window) == [] and window.session.undo_stack.count() == 1
    qtbot.waitUntil(lambda: {s["status"] for s in phone.state()["suggestions"]} == {"accepted"})
    window.session.undo_stack.undo()
    assert (
        "monthly product demo"
        not in next(c for c in file_map(path).iter_channels() if c.name == "Webinars").notes
    )
    phone.suggest("Podcast sponsorships", "execution")  # a new idea says nothing of the map
    qtbot.waitUntil(lambda: len(rows(window)) == 1)
    assert "on the map" not in rows(window)[0]
    window.quick_add("Podcast sponsorship", Layer.EXECUTION)  # once it is there, the row says so
    qtbot.waitUntil(lambda: "on the map as Podcast sponsorship" in rows(window)[0])


def test_delete_dismisses_and_drag_puts_a_suggestion_on_any_lane(qtbot, room_window) -> None:
    window, path = room_window
    phone = Phone(open_room(qtbot, window)).join()
    phone.suggest("Billboards")
    phone.suggest("Community Slack", "capture")
    qtbot.waitUntil(lambda: len(rows(window)) == 2)
    view = inbox(window)
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    QTest.keyClick(view, Qt.Key.Key_Delete)
    assert len(rows(window)) == 1 and "Billboards" not in names(path)
    index = view.model().index(0, 0)
    feedback_x = LANE_WIDTH * 3 + LANE_WIDTH / 2
    drop_mime(window.view, view.mime_for(index), QPointF(feedback_x, 700))
    channel = next(c for c in file_map(path).iter_channels() if c.name == "Community Slack")
    assert channel.layer is Layer.FEEDBACK
    states = {s["channel"]: s["status"] for s in phone.state()["suggestions"]}
    assert states["Billboards"] == "dismissed"


def test_a_vote_on_the_findings_is_stored_with_the_map_and_shown_as_dots(qtbot, room_window) -> None:
    window, path = room_window
    phone = Phone(open_room(qtbot, window)).join()
    window.room.open_vote()
    findings = phone.state()["vote"]["findings"]
    assert [f["text"] for f in findings] == [f.message for f in window.session.report.findings[:8]]
    for _ in range(3):
        assert phone.vote(findings[1]["key"]).status == 200
    window.room.close_vote()
    with MapDocument.open(path, read_only=True) as doc:
        results = VoteResults.loads(doc.setting(ROOM_KEY))
    assert results.results[0].dots == 3 and results.results[0].message == findings[1]["text"]
    named = window.session.report.findings[1].channel_ids
    qtbot.waitUntil(
        lambda: any(isinstance(c, VoteDotsItem) for c in window.scene.channel_items[named[0]].childItems())
    )
    panel = window.coherence.findings
    qtbot.waitUntil(lambda: "3 room dots" in str(panel.item(1).data(CAPTION_ROLE)))
    assert phone.vote(findings[0]["key"]).status == 409  # the vote is closed


def test_close_room_stops_the_server_and_every_token(qtbot, room_window) -> None:
    window, _path = room_window
    phone = Phone(open_room(qtbot, window)).join()
    assert phone.suggest("Webinars").status == 201
    window.actions_by_name["room-close"].trigger()
    assert (
        window.room.server is None
        and window.findChild(type(window.room.dock.address), "roomAddress").text() == ""
    )
    try:
        answer = phone.get("/api/state")
        assert answer.status in (401, 410)
    except OSError:
        pass  # the server is gone: nothing answers


def test_w_in_present_mode_shows_the_join_card_and_the_strip(qtbot, room_window) -> None:
    from desktop.ui.menus import toggle_present

    window, _path = room_window
    toggle_present(window)
    QTest.keyClick(window.view, Qt.Key.Key_W)
    qtbot.waitUntil(lambda: window.room.is_open)
    assert window.room.card.isVisible() and window.room.card.qr.matrix
    QTest.keyClick(window.view, Qt.Key.Key_W)
    assert not window.room.card.isVisible()
    assert window.room.strip.isVisible()
    Phone(window.room.server.join_url).join().suggest("Webinars")
    qtbot.waitUntil(lambda: "1 waiting" in window.room.strip.label.text())
    window.present_mode.leave()


def test_closing_the_window_closes_its_room(qtbot, room_window) -> None:
    window, _path = room_window
    phone = Phone(open_room(qtbot, window)).join()
    window.close()
    assert window.room.server is None
    try:
        assert phone.get("/api/state").status in (401, 410)
    except OSError:
        pass  # nothing listens any more
