"""Shared fixtures: offscreen Qt, a private settings store, temporary map files."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("DISTARCH_SETTINGS_DIR", "")

import pytest


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory, monkeypatch):
    """Each test gets its own QSettings and log folder so no test sees another's recent maps."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("DISTARCH_CONFIG_HOME", str(home))
    yield


@pytest.fixture(autouse=True, scope="session")
def _clear_clipboard_before_exit():
    """The clipboard owns the QMimeData a copy puts there; freeing it in Qt's exit handlers,
    after Python has finalised, segfaults. Clear it while Python is alive."""
    yield
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        QApplication.clipboard().clear()
        QApplication.processEvents()
