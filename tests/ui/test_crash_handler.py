"""The global exception handler: logged to a rotating file, one dialog, and the map stays intact."""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop.app import MainWindow
from desktop.domain import operations as ops
from desktop.domain.layers import Layer
from desktop.store.document import MapDocument
from desktop.ui import crash, settings
from tests.ui.helpers import new_map_file


def _fake_error(message: str = "the flux capacitor overflowed") -> tuple:
    try:
        raise RuntimeError(message)
    except RuntimeError as exc:
        return type(exc), exc, exc.__traceback__


def _crash_boxes() -> list[QMessageBox]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.objectName() == "crashDialog" and w.isVisible()
    ]


@pytest.fixture(autouse=True)
def _no_dialog_left():
    yield
    for box in _crash_boxes():
        box.close()
    QApplication.processEvents()


def test_an_unexpected_error_is_logged_and_shown_and_the_map_stays_intact(qtbot, tmp_path):
    path = new_map_file(tmp_path, sample=True)
    w = MainWindow(path)
    qtbot.addWidget(w)
    assert w.session.perform("Add", ops.add_channel(w.session.map, "Before the error", Layer.CAPTURE))

    crash.handle_exception(*_fake_error())

    log = settings.log_dir() / "errors.log"
    text = log.read_text(encoding="utf-8")
    assert "the flux capacitor overflowed" in text and "Traceback" in text and "RuntimeError" in text
    boxes = _crash_boxes()
    assert len(boxes) == 1
    assert "flux capacitor" in boxes[0].text()
    assert "Your map is safe" in boxes[0].text() and str(log) in boxes[0].text()
    with MapDocument.open(path, read_only=True) as doc:
        assert doc.load().same_content(w.session.map)
    assert w.session.perform("Add", ops.add_channel(w.session.map, "After the error", Layer.ROUTING))
    with MapDocument.open(path, read_only=True) as doc:
        assert doc.load().channel_by_name("After the error") is not None


def test_a_storm_of_errors_shows_one_dialog_and_logs_every_one(qapp):
    for n in range(20):
        crash.handle_exception(*_fake_error(f"paint failed {n}"))
    assert len(_crash_boxes()) == 1
    text = (settings.log_dir() / "errors.log").read_text(encoding="utf-8")
    assert all(f"paint failed {n}" in text for n in range(20))
    _crash_boxes()[0].close()
    QApplication.processEvents()
    crash.handle_exception(*_fake_error("later"))
    assert len(_crash_boxes()) == 1


def test_the_log_rotates(qapp):
    big = "x" * 20_000
    for n in range(40):
        crash.handle_exception(*_fake_error(f"{n} {big}"))
    folder = settings.log_dir()
    assert (folder / "errors.log.1").exists()
    assert (folder / "errors.log").stat().st_size <= crash.MAX_BYTES
    assert not (folder / f"errors.log.{crash.BACKUPS + 1}").exists()


def test_the_log_follows_the_log_folder(qapp, tmp_path, monkeypatch):
    crash.handle_exception(*_fake_error("first folder"))
    first = settings.log_dir() / "errors.log"
    monkeypatch.setenv("DISTARCH_CONFIG_HOME", str(tmp_path / "elsewhere"))
    crash.handle_exception(*_fake_error("second folder"))
    second = settings.log_dir() / "errors.log"
    assert first != second
    assert "second folder" in second.read_text(encoding="utf-8")
    assert "second folder" not in first.read_text(encoding="utf-8")


def test_keyboard_interrupt_goes_to_the_default_hook(qapp, monkeypatch):
    seen = []
    monkeypatch.setattr(sys, "__excepthook__", lambda *args: seen.append(args[0]))
    try:
        raise KeyboardInterrupt
    except KeyboardInterrupt as exc:
        crash.handle_exception(type(exc), exc, exc.__traceback__)
    assert seen == [KeyboardInterrupt]
    assert _crash_boxes() == []


def test_the_app_installs_the_handler(qapp, monkeypatch):
    import desktop.app

    class FakeWindow(QWidget):
        def __init__(self, path=None, **options) -> None:
            super().__init__()

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    monkeypatch.setattr(desktop.app, "MainWindow", FakeWindow)
    monkeypatch.setattr(QApplication, "exec", lambda self: 0)
    assert desktop.app.main([]) == 0
    assert sys.excepthook is crash.handle_exception
    assert threading.excepthook is not threading.__excepthook__
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, FakeWindow):
            widget.close()
            widget.deleteLater()
