"""Canvas editing through real events in the real window; the file follows every step."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from desktop.app import MainWindow
from desktop.canvas.interactions import connect_channels
from desktop.domain.layers import LAYERS, Layer
from desktop.domain.layout import CHANNEL_HEIGHT, CHANNEL_WIDTH, LANE_WIDTH, slot_y
from tests.ui.helpers import click, double_click, drag, drop_mime, file_map, new_map_file


def make_window(qtbot, path):
    window = MainWindow(path)
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    window.view.resetTransform()
    window.view.centerOn(LANE_WIDTH * 2, 300)
    return window


def palette_index(window, name):
    proxy = window.palette_dock.proxy
    for row in range(proxy.rowCount()):
        group = proxy.index(row, 0)
        for child in range(proxy.rowCount(group)):
            index = proxy.index(child, 0, group)
            if index.data() == name:
                return index
    raise AssertionError(name)


def in_file_equals_window(window, path):
    assert file_map(path).same_content(window.session.map)


def card_centre(window, cid):
    item = window.scene.channel_items[cid]
    window.view.ensureVisible(item, 60, 60)
    return item.scenePos() + QPointF(CHANNEL_WIDTH / 2, CHANNEL_HEIGHT / 2)


def test_full_editing_session_then_undo_all_and_redo_all(qtbot, tmp_path):
    path = new_map_file(tmp_path)
    window = make_window(qtbot, path)
    session, scene, view = window.session, window.scene, window.view
    snapshots = [session.map.copy()]

    # 1. drop a palette entry into each lane: the lane decides the layer
    names = ["Paid search", "Lead scoring", "SDR outreach", "Attribution"]
    for layer, name in zip(LAYERS, names, strict=True):
        index = palette_index(window, name)
        mime = window.palette_dock.proxy.mimeData([index])
        drop_mime(view, mime, QPointF(layer.index * LANE_WIDTH + LANE_WIDTH / 2, slot_y(0) + 40))
        in_file_equals_window(window, path)
        snapshots.append(session.map.copy())
    assert [(c.name, c.layer) for c in session.map.channels] == list(zip(names, LAYERS, strict=True))
    assert {f"channel-{c.id}" for c in session.map.channels} <= {i.objectName() for i in scene.items()}
    c1, c2, c3, c4 = (c.id for c in session.map.channels)  # new ids are UUIDs

    # 2. a second drop of the same entry gets a numbered name
    mime = window.palette_dock.proxy.mimeData([palette_index(window, "Paid search")])
    drop_mime(view, mime, QPointF(LANE_WIDTH / 2, slot_y(2) + 40))
    c5 = session.map.channels[-1].id
    assert session.map.channel(c5).name == "Paid search 2"
    snapshots.append(session.map.copy())

    # 3. drag "Paid search 2" into the routing lane with the mouse
    start = card_centre(window, c5)
    drag(view, start, start + QPointF(LANE_WIDTH, 0))
    assert session.map.channel(c5).layer is Layer.ROUTING
    in_file_equals_window(window, path)
    assert session.undo_stack.undoText().startswith("Move Paid search 2 to Routing")
    snapshots.append(session.map.copy())

    # 4. connect by dragging from the handle of Paid search to Lead scoring
    handle = scene.channel_items[c1].scenePos() + scene.channel_items[c1].handle_center()
    scene.channel_items[c1].setSelected(True)
    drag(view, handle, card_centre(window, c2))
    assert session.map.flow(c1, c2) is not None
    assert scene.mouseGrabberItem() is None
    in_file_equals_window(window, path)
    snapshots.append(session.map.copy())

    # 5. connect two selected channels with the Connect action
    scene.select_channels([c2, c3])
    window.actions_by_name["connect"].trigger()
    assert session.map.flow(c2, c3) is not None
    snapshots.append(session.map.copy())

    # 6. a self-flow is refused with a status-bar message, never silently
    connect_channels(window.scene, c1, c1)
    assert "itself" in window.statusBar().currentMessage()
    assert session.map.flow(c1, c1) is None

    # 7. edit in the inspector: a rule on the flow, then a bad number shown inline and not applied
    scene.clearSelection()
    scene.flow_items[(c2, c3)].setSelected(True)
    qtbot.keyClicks(window.inspector.rule, "score >= 70")
    assert session.map.flow(c2, c3).rule == "score >= 70"
    in_file_equals_window(window, path)
    snapshots.append(session.map.copy())
    scene.select_channels([c3])
    spend = window.inspector.fields["monthly_spend"]
    qtbot.keyClicks(spend, "-5")
    assert session.map.channel(c3).monthly_spend is None
    assert not window.inspector.errors["monthly_spend"].isHidden()
    spend.clear()
    qtbot.keyClicks(spend, "12,000")
    assert session.map.channel(c3).monthly_spend == 12000
    snapshots.append(session.map.copy())

    # 8. rename in place with a double click
    double_click(view, card_centre(window, c4))
    editor = view.findChild(type(window.palette_dock.quick), "renameEditor")
    assert editor is not None
    editor.selectAll()
    QTest.keyClicks(editor, "Dreamdata attribution")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    assert session.map.channel(c4).name == "Dreamdata attribution"
    in_file_equals_window(window, path)
    snapshots.append(session.map.copy())

    # 9. copy and paste, then delete a channel with its flows
    scene.select_channels([c1, c2])
    window.actions_by_name["copy"].trigger()
    window.actions_by_name["paste"].trigger()
    assert [c.name for c in session.map.channels][-2:] == ["Paid search 3", "Lead scoring 2"]
    assert len(session.map.flows) == 3
    snapshots.append(session.map.copy())
    scene.select_channels([c2])
    view.setFocus()
    window.actions_by_name["delete"].trigger()
    assert not session.map.has_channel(c2)
    assert session.map.flow(c1, c2) is None
    in_file_equals_window(window, path)
    snapshots.append(session.map.copy())

    # 10. undo everything, back to the empty map; redo everything, back to the end
    final = session.map.copy()
    steps = session.undo_stack.count()
    for _ in range(steps):
        window.actions_by_name["undo"].trigger()
        in_file_equals_window(window, path)
    assert len(session.map) == 0
    assert file_map(path).same_content(snapshots[0])
    for _ in range(steps):
        window.actions_by_name["redo"].trigger()
        in_file_equals_window(window, path)
    assert session.map.same_content(final)
    assert set(scene.channel_items) == {c.id for c in final.channels}
    assert set(scene.flow_items) == {f.pair for f in final.flows}


def test_quick_add_is_keyboard_only_and_numbers_duplicates(qtbot, tmp_path):
    path = new_map_file(tmp_path)
    window = make_window(qtbot, path)
    box = window.palette_dock.quick
    box.setFocus()
    for _ in range(3):
        QTest.keyClicks(box, "Webinars")
        QTest.keyClick(box, Qt.Key.Key_Return)
    assert [c.name for c in window.session.map.channels] == ["Webinars", "Webinars 2", "Webinars 3"]
    assert box.text() == ""
    window.palette_dock.set_lane(Layer.EXECUTION)
    QTest.keyClicks(box, "Field events")
    QTest.keyClick(box, Qt.Key.Key_Return)
    added = window.session.map.channel_by_name("Field events")
    assert added is not None and added.layer is Layer.EXECUTION
    ys = [c.y for c in window.session.map.in_layer(Layer.CAPTURE)]
    assert len(set(ys)) == 3
    in_file_equals_window(window, path)


def test_rubber_band_selects_and_multi_move_is_one_undo_step(qtbot, tmp_path):
    path = new_map_file(tmp_path, sample=True)
    window = make_window(qtbot, path)
    scene, view, session = window.scene, window.view, window.session
    view.resetTransform()
    view.centerOn(LANE_WIDTH / 2, 300)
    top_left = QPointF(5, slot_y(0) - 10)
    drag(view, top_left, QPointF(LANE_WIDTH - 5, slot_y(1) + CHANNEL_HEIGHT + 10))
    selected = sorted(scene.selected_channel_ids())
    assert selected == ["c1", "c2"]
    before = {cid: session.map.channel(cid).y for cid in selected}
    count = session.undo_stack.count()
    start = card_centre(window, "c1")
    drag(view, start, start + QPointF(0, 200))
    assert session.undo_stack.count() == count + 1
    assert session.undo_stack.undoText() == "Move 2 channels"
    assert all(abs(session.map.channel(c).y - (before[c] + 200)) <= 20 for c in selected)
    window.actions_by_name["undo"].trigger()
    assert all(session.map.channel(c).y == before[c] for c in selected)
    in_file_equals_window(window, path)


def test_zoom_fit_and_select_all(qtbot, tmp_path):
    window = make_window(qtbot, new_map_file(tmp_path, sample=True))
    view = window.view
    zoom = view.zoom
    window.actions_by_name["zoom-in"].trigger()
    assert view.zoom > zoom
    window.actions_by_name["fit"].trigger()
    assert view.zoom < 1.2
    window.actions_by_name["select-all"].trigger()
    assert len(window.scene.selected_channel_ids()) == 20
    window.actions_by_name["duplicate"].trigger()
    assert len(window.session.map) == 40
    assert len(window.scene.selected_channel_ids()) == 20
    window.actions_by_name["undo"].trigger()
    assert len(window.session.map) == 20


def test_second_window_on_the_same_map_is_read_only(qtbot, tmp_path):
    path = new_map_file(tmp_path, sample=True)
    first = make_window(qtbot, path)
    second = MainWindow(path)
    qtbot.addWidget(second)
    assert not first.session.read_only
    assert second.session.read_only
    assert "[read-only]" in second.windowTitle()
    from desktop.domain import operations as ops

    assert not second.session.perform("Add", ops.add_channel(second.session.map, "X", Layer.CAPTURE))
    assert second.saved_label.text() == "Read-only"
    assert not second.actions_by_name["delete"].isEnabled()
    QGuiApplication.processEvents()
    click(second.view, QPointF(10, 10))


def test_ctrl_wheel_zooms_and_middle_or_space_drag_pans(qtbot, tmp_path):
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    window = make_window(qtbot, new_map_file(tmp_path, sample=True))
    view = window.view
    view.resetTransform()
    viewport = view.viewport()
    centre = QPointF(viewport.width() / 2, viewport.height() / 2)
    wheel = QWheelEvent(
        centre,
        QPointF(viewport.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(viewport, wheel)
    assert view.zoom > 1.2
    assert window.zoom_label.text() == f"{view.zoom * 100:.0f} %"

    def scroll():
        return view.horizontalScrollBar().value(), view.verticalScrollBar().value()

    start = scroll()
    drag(
        view,
        view.mapToScene(QPoint(400, 400)),
        view.mapToScene(QPoint(300, 300)),
        button=Qt.MouseButton.MiddleButton,
    )
    assert scroll() != start
    assert window.session.undo_stack.count() == 0  # panning is not an edit

    view.setFocus()
    QTest.keyPress(view, Qt.Key.Key_Space)
    start = scroll()
    drag(view, view.mapToScene(QPoint(300, 300)), view.mapToScene(QPoint(420, 380)))
    QTest.keyRelease(view, Qt.Key.Key_Space)
    assert scroll() != start
    assert window.session.undo_stack.count() == 0
    assert window.scene.selected_channel_ids() == []
