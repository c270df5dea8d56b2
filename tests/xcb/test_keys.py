"""Redo and the other editing keys on X11, through real key events (QTest and, for the X server, xdotool)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest

from desktop.app import MainWindow
from desktop.domain.layers import Layer
from tests.ui.helpers import file_map, new_map_file


def make_window(qtbot, tmp_path) -> MainWindow:
    window = MainWindow(new_map_file(tmp_path))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.view.setFocus()
    return window


def add_then_undo(window, qtbot) -> None:
    window.quick_add("Webinars", Layer.CAPTURE)
    assert len(window.session.map) == 1
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(window.session.map) == 0


@pytest.mark.parametrize(
    "key, mods",
    [
        (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier),
        (Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier),
    ],
    ids=["ctrl-shift-z", "ctrl-y"],
)
def test_redo_keys_redo_on_x11(qtbot, tmp_path, key, mods):
    window = make_window(qtbot, tmp_path)
    add_then_undo(window, qtbot)
    QTest.keyClick(window.view, key, mods)  # an ambiguous binding logs a warning, which fails the test
    assert [c.name for c in window.session.map.channels] == ["Webinars"]
    assert [c.name for c in file_map(window.session.repository.path).channels] == ["Webinars"]


def test_redo_action_lists_each_key_once(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    keys = [k.toString() for k in window.actions_by_name["redo"].shortcuts()]
    assert len(keys) == len(set(keys))
    assert {QKeySequence("Ctrl+Shift+Z").toString(), QKeySequence("Ctrl+Y").toString()} <= set(keys)


@pytest.mark.skipif(shutil.which("xdotool") is None and not os.environ.get("CI"), reason="needs xdotool")
def test_redo_from_the_x_server_keyboard(qtbot, tmp_path):
    """The keys as the X server delivers them (XTEST), not synthesised inside Qt."""
    window = make_window(qtbot, tmp_path)
    add_then_undo(window, qtbot)
    wid = str(int(window.winId()))
    subprocess.run(["xdotool", "windowfocus", "--sync", wid], check=True, timeout=10)
    subprocess.run(["xdotool", "key", "--clearmodifiers", "ctrl+shift+z"], check=True, timeout=10)
    qtbot.waitUntil(lambda: len(window.session.map) == 1, timeout=5000)
    QTest.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(window.session.map) == 0
    subprocess.run(["xdotool", "key", "--clearmodifiers", "ctrl+y"], check=True, timeout=10)
    qtbot.waitUntil(lambda: len(window.session.map) == 1, timeout=5000)


def test_present_mode_keys_on_x11(qtbot, tmp_path):
    """Ctrl+3 picks the quick-add lane, Enter hands the keys back, → reveals, F and ↓ spotlight, Esc leaves."""
    window = MainWindow(new_map_file(tmp_path, "sample.distarch", sample=True))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.actions_by_name["present"].trigger()
    mode = window.present_mode
    view = window.view
    QTest.keyClick(view, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert mode.quick.current_lane() is Layer.EXECUTION
    QTest.keyClick(view, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(mode.quick.edit, "Podcast ads")
    QTest.keyClick(mode.quick.edit, Qt.Key.Key_Return)
    assert window.session.map.channel_by_name("Podcast ads").layer is Layer.EXECUTION
    revealed = window.scene.revealed
    QTest.keyClick(view, Qt.Key.Key_Right)
    assert window.scene.revealed == min(4, revealed + 1)
    QTest.keyClick(view, Qt.Key.Key_F)
    QTest.keyClick(view, Qt.Key.Key_Down)
    assert mode.spotlight.strip.spotlit == 0
    QTest.keyClick(view, Qt.Key.Key_Escape)
    assert mode.active and not mode.spotlight.shown
    QTest.keyClick(view, Qt.Key.Key_Escape)
    assert not mode.active
