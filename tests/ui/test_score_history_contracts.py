"""Honest history: the panel's history chart marks where contract 2 began and never joins v1 and v2 points."""

from __future__ import annotations

import sqlite3

from desktop.app import MainWindow
from tests.ui.helpers import new_map_file


def with_v1_rows(path, scores: list[float]) -> None:
    """Rows a contract-1 build wrote before this one opened the file."""
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM score_history")
        for i, score in enumerate(scores):
            db.execute(
                "INSERT INTO score_history (timestamp, score, components, contract) VALUES (?, ?, '{}', 1)",
                (f"2026-01-0{i + 1}T10:00:00Z", score),
            )


def test_the_history_chart_marks_v2_and_keeps_the_lines_apart(qtbot, tmp_path):
    path = new_map_file(tmp_path, sample=True)
    with_v1_rows(path, [61.0, 64.5, 70.2])
    window = MainWindow(path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    panel = window.coherence
    panel.ensure_charts()
    chart = panel.history_chart
    assert chart.v2_marker.isVisible()
    old, new = chart.lines()
    assert old == [0.0, 1.0, 2.0]  # the v1 points, their own line
    assert new[0] == 3.0 and chart.v2_marker.value() == 2.5  # v2 begins at the opening score
    assert not panel.delta.isVisibleTo(panel)  # no "since last edit" across contracts
    window.quick_add("Webinars", window.session.map.channels[0].layer)
    old_after, new_after = chart.lines()
    assert old_after == old and new_after[-1] == 4.0  # an edit extends the v2 line only


def test_a_map_scored_by_v2_only_has_no_marker(qtbot, tmp_path):
    window = MainWindow(new_map_file(tmp_path, sample=True))
    qtbot.addWidget(window)
    window.show()
    window.coherence.ensure_charts()
    assert not window.coherence.history_chart.v2_marker.isVisible()
    assert len(window.coherence.history_chart.lines()) == 1


def test_the_first_opening_under_v2_says_so_once_and_links_the_contract(qtbot, tmp_path):
    from PySide6.QtWidgets import QLabel, QTextBrowser

    path = new_map_file(tmp_path, sample=True)
    with_v1_rows(path, [61.0])
    window = MainWindow(path)
    qtbot.addWidget(window)
    window.show()
    notice = window.findChild(QLabel, "contractNotice")
    assert notice.isVisible() and "contract v2" in notice.text()
    notice.linkActivated.emit("help:score")
    browser = window.findChild(QTextBrowser, "scoreHelp")
    assert browser is not None and browser.isVisible()
    assert "The coherence score, contract version 2" in browser.toPlainText()
    assert not notice.isVisible()
    window.close()
    again = MainWindow(path)  # the second opening: the file has a v2 row now
    qtbot.addWidget(again)
    again.show()
    assert not again.findChild(QLabel, "contractNotice").isVisible()


def test_help_menu_opens_the_contract_in_the_app(qtbot, tmp_path):
    from PySide6.QtWidgets import QTextBrowser

    window = MainWindow(new_map_file(tmp_path))
    qtbot.addWidget(window)
    window.actions_by_name["score_help"].trigger()
    browser = window.findChild(QTextBrowser, "scoreHelp")
    assert browser is not None and "AI_FACTOR" in browser.toPlainText()
