"""Present mode (F5) in the real window: full screen, lanes revealed by keys, quick add, timer, exact restore."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel

from desktop.app import MainWindow
from desktop.domain.layers import Layer
from desktop.ui import settings
from desktop.ui.present import MIN_NAME_PX, PresentMode
from tests.ui.helpers import file_map, new_map_file


def make_window(qtbot, tmp_path):
    window = MainWindow(new_map_file(tmp_path, sample=True))
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def visible_docks(window) -> set[str]:
    return {d.objectName() for d in window.findChildren(QDockWidget) if d.isVisible()}


def dock_layout(window) -> dict[str, tuple[bool, tuple[int, int, int, int]]]:
    return {d.objectName(): (d.isVisible(), d.geometry().getRect()) for d in window.findChildren(QDockWidget)}


def present(window) -> PresentMode:
    mode = window.present_mode
    assert isinstance(mode, PresentMode)
    return mode


def layer_visible(window, layer: Layer) -> bool:
    items = [i for i in window.scene.channel_items.values() if i.channel.layer is layer]
    assert items
    shown = {i.isVisible() for i in items}
    assert len(shown) == 1
    return shown.pop()


def test_f5_enters_full_screen_with_the_projector_theme_and_no_panels(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    action = window.actions_by_name["present"]
    assert action.objectName() == "action-present"
    assert action.shortcut() == QKeySequence("F5")
    assert action in window.view_menu.actions()
    QTest.keyClick(window.view, Qt.Key.Key_F5)
    mode = present(window)
    assert mode.active and window.isFullScreen()
    assert visible_docks(window) == set()
    assert not window.menuBar().isVisible() and not window.statusBar().isVisible()
    assert window.scene.theme.name == "projector"
    assert mode.bar.isVisible() and mode.quick.isVisible()
    assert mode.bar.score.text() == window.session.report.score_text


def test_arrow_keys_reveal_and_hide_the_lanes_one_at_a_time(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    window.actions_by_name["present"].trigger()
    view = window.view
    assert window.scene.revealed == 1
    assert layer_visible(window, Layer.CAPTURE) and not layer_visible(window, Layer.ROUTING)
    QTest.keyClick(view, Qt.Key.Key_Right)
    assert window.scene.revealed == 2 and layer_visible(window, Layer.ROUTING)
    assert not layer_visible(window, Layer.EXECUTION)
    QTest.keyClick(view, Qt.Key.Key_Space)
    QTest.keyClick(view, Qt.Key.Key_PageDown)
    assert window.scene.revealed == 4 and layer_visible(window, Layer.FEEDBACK)
    QTest.keyClick(view, Qt.Key.Key_Right)
    assert window.scene.revealed == 4
    flows = window.scene.flow_items.values()
    assert all(f.isVisible() for f in flows)
    QTest.keyClick(view, Qt.Key.Key_Left)
    QTest.keyClick(view, Qt.Key.Key_PageUp)
    assert window.scene.revealed == 2 and not layer_visible(window, Layer.EXECUTION)
    assert all(f.isVisible() == (f.source.isVisible() and f.target.isVisible()) for f in flows)
    assert window.scene.lanes[Layer.FEEDBACK].opacity() < 1.0
    assert present(window).quick.current_lane() is Layer.ROUTING


def test_esc_restores_the_window_exactly(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    window.apply_theme("dark")
    window.palette_dock.hide()
    window.view.set_zoom(0.8)
    geometry, docks, zoom = window.geometry(), visible_docks(window), window.view.zoom
    layout = dock_layout(window)
    window.actions_by_name["present"].trigger()
    assert window.geometry() != geometry
    QTest.keyClick(window.view, Qt.Key.Key_Right)
    QTest.keyClick(window.view, Qt.Key.Key_Escape)
    mode = present(window)
    assert not mode.active and not window.isFullScreen()
    assert window.geometry() == geometry
    assert visible_docks(window) == docks and "paletteDock" not in docks
    qtbot.wait(20)
    assert dock_layout(window) == layout
    assert window.menuBar().isVisible() and window.statusBar().isVisible()
    assert window.theme_name == "dark" and window.scene.theme.name == "dark"
    assert settings.get("theme") == "dark"
    assert window.view.zoom == zoom
    assert window.scene.revealed == 4
    assert not mode.bar.isVisible() and not mode.quick.isVisible()


def test_a_maximized_window_comes_back_maximized(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    window.showMaximized()
    qtbot.waitUntil(window.isMaximized)
    window.actions_by_name["present"].trigger()
    assert window.isFullScreen()
    window.actions_by_name["present"].trigger()  # F5 again leaves too
    assert window.isMaximized() and not window.isFullScreen()


def test_names_are_at_least_20_px_on_a_1920_by_1080_projector(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    window.actions_by_name["present"].trigger()
    window.setGeometry(0, 0, 1920, 1080)
    mode = present(window)
    mode.fit()
    assert window.view.width() == 1920
    assert window.scene.theme.name_px * window.view.zoom >= MIN_NAME_PX
    lanes_right = window.view.mapFromScene(window.scene.lanes[Layer.FEEDBACK].sceneBoundingRect().topRight())
    lanes_left = window.view.mapFromScene(window.scene.lanes[Layer.CAPTURE].sceneBoundingRect().topLeft())
    assert lanes_left.x() >= 0 and lanes_right.x() <= window.view.viewport().width()
    bar_bottom = mode.bar.geometry().bottom()
    assert window.view.viewport().geometry().top() > bar_bottom
    assert window.view.viewport().geometry().bottom() < mode.quick.geometry().top()


def test_quick_add_bar_adds_to_the_chosen_lane_and_the_score_follows(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    window.actions_by_name["present"].trigger()
    mode = present(window)
    QTest.keyClick(window.view, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is mode.quick.edit
    mode.quick.set_lane(Layer.FEEDBACK)
    QTest.keyClicks(mode.quick.edit, "Churn survey")
    QTest.keyClick(mode.quick.edit, Qt.Key.Key_Return)
    added = window.session.map.channel_by_name("Churn survey")
    assert added is not None and added.layer is Layer.FEEDBACK
    assert file_map(window.session.repository.path).channel_by_name("Churn survey") is not None
    assert window.scene.revealed == 4  # adding to a hidden lane reveals it
    assert window.scene.channel_items[added.id].isVisible()
    assert mode.bar.score.text() == window.session.report.score_text
    assert mode.quick.edit.text() == ""
    QTest.keyClicks(mode.quick.edit, "half typed")
    QTest.keyClick(mode.quick.edit, Qt.Key.Key_Escape)
    assert mode.active and mode.quick.edit.text() == ""  # Esc clears first…
    QTest.keyClick(mode.quick.edit, Qt.Key.Key_Escape)
    assert not mode.active  # …then leaves


def test_keys_typed_into_the_quick_add_box_are_text_not_commands(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    window.actions_by_name["present"].trigger()
    mode = present(window)
    mode.quick.edit.setFocus()
    QTest.keyClicks(mode.quick.edit, "T R + -")
    QTest.keyClick(mode.quick.edit, Qt.Key.Key_Left)
    assert mode.quick.edit.text() == "T R + -"
    assert not mode.timer.running and window.scene.revealed == 1


def test_workshop_timer_keys_and_the_end_signal(qtbot, tmp_path, monkeypatch):
    beeps = []
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: beeps.append(1)))
    window = make_window(qtbot, tmp_path)
    window.actions_by_name["present"].trigger()
    mode = present(window)
    timer = mode.timer
    start_minutes = timer.minutes
    QTest.keyClick(window.view, Qt.Key.Key_Plus)
    assert timer.minutes == start_minutes + 1 and timer.remaining == 60 * timer.minutes
    assert settings.get("present_timer_minutes") == str(timer.minutes)
    QTest.keyClick(window.view, Qt.Key.Key_Minus)
    QTest.keyClick(window.view, Qt.Key.Key_Minus)
    assert timer.minutes == start_minutes - 1
    assert mode.bar.clock.text() == f"{timer.minutes:02d}:00"
    QTest.keyClick(window.view, Qt.Key.Key_T)
    assert timer.running
    QTest.keyClick(window.view, Qt.Key.Key_T)
    assert not timer.running
    QTest.keyClick(window.view, Qt.Key.Key_R)
    assert timer.remaining == 60 * timer.minutes
    timer.set_duration(1)
    with qtbot.waitSignal(timer.finished, timeout=4000):
        QTest.keyClick(window.view, Qt.Key.Key_T)
    assert beeps and timer.remaining == 0 and not timer.running
    assert mode.bar.clock.text() == "00:00"
    qtbot.waitUntil(lambda: "background: #b91c1c" in mode.bar.clock.styleSheet(), timeout=2000)


def test_editing_still_works_while_presenting(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    window.actions_by_name["present"].trigger()
    before = len(window.session.map)
    window.scene.select_channels(["c1"])
    window.actions_by_name["delete"].trigger()
    assert len(window.session.map) == before - 1
    assert present(window).bar.score.text() == window.session.report.score_text
    window.actions_by_name["undo"].trigger()
    assert len(window.session.map) == before


def test_after_quick_add_the_arrow_keys_reveal_lanes_again(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    window.actions_by_name["present"].trigger()
    mode = present(window)
    assert window.scene.revealed == 1
    QTest.keyClick(window.view, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is mode.quick.edit
    QTest.keyClicks(mode.quick.edit, "Podcast ads")
    QTest.keyClick(mode.quick.edit, Qt.Key.Key_Return)
    assert window.session.map.channel_by_name("Podcast ads").layer is Layer.CAPTURE
    focus = QApplication.focusWidget()
    QTest.keyClick(focus, Qt.Key.Key_Right)
    assert window.scene.revealed == 2 and layer_visible(window, Layer.ROUTING)


def test_ctrl_digits_pick_the_quick_add_lane_while_presenting(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    window.actions_by_name["present"].trigger()
    mode = present(window)
    QTest.keyClick(window.view, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert mode.quick.current_lane() is Layer.EXECUTION
    QTest.keyClick(window.view, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(mode.quick.edit, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert mode.quick.current_lane() is Layer.CAPTURE
    QTest.keyClicks(mode.quick.edit, "Podcast ads")
    QTest.keyClick(mode.quick.edit, Qt.Key.Key_Return)
    assert window.session.map.channel_by_name("Podcast ads").layer is Layer.CAPTURE


def test_f_shows_the_findings_and_arrows_spotlight_one_and_esc_returns(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    window.actions_by_name["present"].trigger()
    mode = present(window)
    view, scene = window.view, window.scene
    band = mode.bar.caption.text()
    QTest.keyClick(view, Qt.Key.Key_F)
    strip = mode.spotlight.strip
    assert strip.isVisible() and scene.revealed == 4
    report = window.session.report
    assert [r.text() for r in strip.rows[:3]][0].startswith("\u2212")
    assert report.findings[0].message[:20] in strip.rows[0].text()
    # the whole map still fits above the strip
    port = view.viewport().geometry()
    assert port.bottom() < strip.geometry().top() + 1
    for item in scene.channel_items.values():
        rect = view.mapFromScene(item.mapRectToScene(item.card_rect())).boundingRect()
        assert view.viewport().rect().contains(rect)
    QTest.keyClick(view, Qt.Key.Key_Down)
    first = report.findings[0]
    assert strip.spotlit == 0
    lit = {cid for cid, item in scene.channel_items.items() if item.opacity() == 1.0}
    assert lit == set(first.channel_ids)
    assert f"{first.points:.1f}" in mode.bar.caption.text()
    QTest.keyClick(view, Qt.Key.Key_Down)
    assert strip.spotlit == 1
    assert {c for c, i in scene.channel_items.items() if i.opacity() == 1.0} == set(
        report.findings[1].channel_ids
    )
    QTest.keyClick(view, Qt.Key.Key_Up)
    assert strip.spotlit == 0
    QTest.keyClick(view, Qt.Key.Key_Escape)
    assert mode.active and not strip.isVisible()
    assert all(i.opacity() == 1.0 for i in scene.channel_items.values())
    assert mode.bar.caption.text() == band
    assert "F findings" in mode.quick.findChild(QLabel, "presentHint").text()
    QTest.keyClick(view, Qt.Key.Key_Escape)
    assert not mode.active


def test_arrows_out_of_a_wrapped_lane_run_between_the_cards_not_behind_them(qtbot, tmp_path):
    from PySide6.QtGui import QPainterPathStroker

    window = make_window(qtbot, tmp_path)
    window.actions_by_name["present"].trigger()
    window.setGeometry(0, 0, 1920, 1080)
    present(window).fit()
    scene = window.scene
    assert scene.grid is not None and scene.grid.columns[Layer.CAPTURE.index] >= 2  # 9 capture cards wrap
    stroker = QPainterPathStroker()
    stroker.setWidth(1.0)
    crossings = []
    for flow in scene.flow_items.values():
        line = stroker.createStroke(flow.path())
        for card in scene.channel_items.values():
            if card in (flow.source, flow.target):
                continue
            if line.intersects(card.mapRectToScene(card.card_rect()).adjusted(3, 3, -3, -3)):
                crossings.append((flow.source.channel.name, flow.target.channel.name, card.channel.name))
    assert crossings == [], crossings
