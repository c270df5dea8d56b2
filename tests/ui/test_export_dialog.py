"""File → Export… (Ctrl+E): the dialog's choices, presets, remembered settings, selection and cancelling."""

from __future__ import annotations

import struct

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QProgressDialog

from desktop.app import MainWindow
from desktop.io.embedded import read_embedded_map
from desktop.ui.export_dialog import PRESETS, ExportDialog, open_export_dialog
from tests.ui.helpers import new_map_file


def make_window(qtbot, tmp_path):
    window = MainWindow(new_map_file(tmp_path, sample=True))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def png_size(path) -> tuple[int, int]:
    return struct.unpack(">II", path.read_bytes()[16:24])


def test_file_menu_has_export_with_ctrl_e(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    action = window.actions_by_name["export-image"]
    assert action.objectName() == "action-export-image"
    assert action.shortcut() == QKeySequence("Ctrl+E")
    actions = window.file_menu.actions()
    assert actions.index(action) < actions.index(window.actions_by_name["quit"])
    action.trigger()
    dialog = window.findChild(QDialog, "exportDialog")
    assert isinstance(dialog, ExportDialog) and dialog.isVisible()
    assert not dialog.selection.isEnabled() and dialog.whole.isChecked()
    dialog.reject()


def test_export_writes_the_chosen_format_and_remembers_the_settings(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    dialog = open_export_dialog(window)
    dialog.format.setCurrentIndex(dialog.format.findData(".png"))
    dialog.scale.setValue(3)
    dialog.theme.setCurrentIndex(dialog.theme.findData("projector"))
    dialog.transparent.setChecked(True)
    out = tmp_path / "deck.png"
    assert dialog.export_to(out)
    assert out.exists() and read_embedded_map(out).same_content(window.session.map)
    dialog.reject()

    again = open_export_dialog(window)
    assert again.scale.value() == 3
    assert again.theme.currentData() == "projector"
    assert again.transparent.isChecked()
    options = again.options()
    assert (options.scale, options.theme, options.transparent) == (3, "projector", True)
    assert again.suggested_path().parent == tmp_path
    again.format.setCurrentIndex(again.format.findData(".pdf"))
    assert not again.scale.isEnabled() and not again.transparent.isEnabled()
    assert again.options().transparent is False
    pdf = tmp_path / "handout.pdf"
    assert again.export_to(pdf)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    again.reject()


def test_presets(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    dialog = open_export_dialog(window)
    assert set(PRESETS) == {"Slide 16:9 @2×", "Projector, dark", "Transparent for decks"}
    dialog.apply_preset("Slide 16:9 @2×")
    options = dialog.options()
    assert options.scale == 2 and options.aspect and abs(options.aspect - 16 / 9) < 1e-9
    slide = tmp_path / "slide.png"
    assert dialog.export_to(slide)
    width, height = png_size(slide)
    assert abs(width / height - 16 / 9) < 0.01
    dialog.apply_preset("Projector, dark")
    assert dialog.options().theme == "dark"
    dialog.apply_preset("Transparent for decks")
    options = dialog.options()
    assert options.transparent and not options.title and options.aspect is None
    dialog.reject()


def test_selection_export(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    window.scene.select_channels(["c1", "c10"])
    dialog = open_export_dialog(window)
    assert dialog.selection.isEnabled() and dialog.selection.isChecked()
    assert "2 channels" in dialog.selection.text()
    out = tmp_path / "part.svg"
    dialog.format.setCurrentIndex(dialog.format.findData(".svg"))
    assert dialog.export_to(out)
    assert {c.id for c in read_embedded_map(out).channels} == {"c1", "c10"}
    dialog.whole.setChecked(True)
    assert dialog.options().selection is None
    dialog.reject()


def test_a_cancelled_export_writes_nothing(qtbot, tmp_path, monkeypatch):
    window = make_window(qtbot, tmp_path)
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: True)
    dialog = open_export_dialog(window)
    out = tmp_path / "never.png"
    assert not dialog.export_to(out)
    assert not out.exists()
    assert "cancelled" in window.statusBar().currentMessage()
    dialog.reject()
