"""Versions re-score with the current contract: a version saved under contract 1 shows today's score,
with its stored number marked v1; the compare dialog and the slide score both sides by the current one."""

from __future__ import annotations

import sqlite3

from PySide6.QtWidgets import QLabel

from desktop.app import MainWindow
from desktop.domain.coherence import CURRENT_CONTRACT, assess, tenths
from tests.ui.helpers import new_map_file


def test_a_v1_version_shows_todays_score_and_its_old_number_marked(qtbot, tmp_path):
    path = new_map_file(tmp_path, sample=True)
    window = MainWindow(path)
    qtbot.addWidget(window)
    window.scenarios.save("As-is", "")
    window.close()
    with sqlite3.connect(path) as db:  # as a contract-1 build wrote it
        db.execute("UPDATE score_history SET contract = 1")
        db.execute("UPDATE version SET score = 50.0")
    again = MainWindow(path)
    qtbot.addWidget(again)
    again.show()
    again.versions_dock.show()
    again.versions_dock.refresh()
    today = assess(again.scenarios.load("As-is")).score
    listed = again.versions_dock.list
    rows = [listed.itemWidget(listed.item(i)) for i in range(listed.count())]
    assert [row.findChild(QLabel, "versionScore").text() for row in rows] == [str(tenths(today))]
    assert today != 50.0
    assert [row.findChild(QLabel, "versionOldScore").text() for row in rows] == ["v1: 50.0"]
    dialog = again.scenarios.open_compare(("version", "As-is"))
    qtbot.addWidget(dialog)
    assert dialog.result.before.version == CURRENT_CONTRACT
    assert tenths(dialog.result.before.score) == tenths(today)
