"""The coherence panel, live: score, bars, history line, findings and economics follow every edit."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from desktop import cli
from desktop.app import MainWindow
from desktop.document.repository import ScoreStamp
from desktop.domain import operations as ops
from desktop.domain.coherence import WEIGHTS
from desktop.store.document import MapDocument
from desktop.ui.coherence_panel import CoherencePanel, contrast, tint
from tests.ui.helpers import new_map_file


def open_window(qtbot, path) -> MainWindow:
    window = MainWindow(path)
    qtbot.addWidget(window)
    window.coherence.ensure_charts()
    return window


def channel_id(window: MainWindow, name: str) -> str:
    return next(c.id for c in window.session.map.iter_channels() if c.name == name)


def add_rule(window: MainWindow) -> None:
    """Give Lead scoring → Email nurture a rule: routing goes from 5/6 to 1 (+2.5 points)."""
    session = window.session
    source, target = channel_id(window, "Lead scoring"), channel_id(window, "Email nurture")
    assert session.perform("Add rule", ops.update_flow(session.map, source, target, rule="score 40-69"))


def score_label(window: MainWindow) -> QLabel:
    return window.findChild(QLabel, "scoreValue")


def finding_rules(window: MainWindow) -> list[str]:
    return [f.rule for f in window.session.report.findings]


def listed(window: MainWindow) -> list[str]:
    findings = window.coherence.findings
    return [findings.item(row).text() for row in range(findings.count())]


@pytest.fixture
def sample_path(tmp_path):
    return new_map_file(tmp_path, sample=True)


def test_score_equals_the_cli_score_and_is_accessible(qtbot, sample_path, capsys):
    window = open_window(qtbot, sample_path)
    assert cli.run_command(["score", str(sample_path), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    label = score_label(window)
    assert label.text() == window.session.report.score_text == f"{printed['score']:.1f}" == "74.1"
    assert label.accessibleName() == "Coherence score 74.1 out of 100"
    assert window.findChild(QLabel, "scoreBand").text() == "Architecture with gaps"
    assert len(listed(window)) == len(printed["findings"])
    first = printed["findings"][0]
    assert listed(window)[0] == f"\u2212{first['points']:.1f}  {first['message']}"


def test_an_edit_updates_score_bars_history_and_findings_and_undo_puts_them_back(qtbot, sample_path):
    window = open_window(qtbot, sample_path)
    panel: CoherencePanel = window.coherence
    chart, history = panel.component_chart, panel.history_chart
    bars = chart.bars
    before_values = chart.values()
    assert before_values[2] == pytest.approx(WEIGHTS["routing"] * 5 / 6)
    assert chart.drag_value() == pytest.approx(window.session.report.drag) == pytest.approx(7.40, abs=0.01)
    assert chart.texts()[2] == "12.5 / 15"
    assert "unruled-routing" in finding_rules(window)
    assert history.points()[1] == [pytest.approx(window.session.report.score)]

    add_rule(window)
    assert score_label(window).text() == "76.6" == window.session.report.score_text
    assert "76.6" in score_label(window).accessibleName()
    assert window.findChild(QLabel, "scoreDelta").text() == "▲ +2.5 since last edit"
    assert chart.bars is bars
    assert chart.values()[2] == pytest.approx(WEIGHTS["routing"])
    assert chart.texts()[2] == "15.0 / 15"
    assert "unruled-routing" not in finding_rules(window)
    assert not any("Lead scoring sends" in text for text in listed(window))
    assert len(listed(window)) == len(window.session.report.findings)
    assert len(window.session.repository.score_history()) == 2  # the opening score, then the edit
    xs, ys = history.points()
    assert ys[-1] == pytest.approx(window.session.report.score)
    assert len(xs) == 2  # the opening score, then the edit

    window.session.undo_stack.undo()
    assert score_label(window).text() == "74.1"
    assert window.findChild(QLabel, "scoreDelta").text() == "▼ \u22122.5 since last edit"
    assert chart.values() == pytest.approx(before_values)
    assert "unruled-routing" in finding_rules(window)
    assert any("Lead scoring sends" in text for text in listed(window))
    assert len(window.session.repository.score_history()) == 3
    assert len(history.points()[0]) == 3

    window.session.undo_stack.redo()
    assert score_label(window).text() == "76.6"


def test_findings_rows_are_kept_when_an_edit_leaves_the_findings_alone(qtbot, sample_path):
    window = open_window(qtbot, sample_path)
    findings = window.coherence.findings
    first = findings.item(0)
    findings.setCurrentRow(3)
    session = window.session
    cid = channel_id(window, "Paid search")
    session.perform("Notes", ops.update_channel(session.map, cid, notes="Brand and non-brand"))
    assert findings.item(0) is first
    assert findings.currentRow() == 3
    add_rule(window)
    assert findings.item(0) is first  # rows are reused, not rebuilt
    assert findings.count() == len(session.report.findings)


def test_clicking_or_entering_a_finding_selects_its_channels(qtbot, sample_path):
    window = open_window(qtbot, sample_path)
    window.show()
    qtbot.waitExposed(window)
    findings = window.coherence.findings
    report = window.session.report
    row = next(i for i, f in enumerate(report.findings) if f.rule == "duplicate-function")
    expected = set(report.findings[row].channel_ids)
    findings.scrollToItem(findings.item(row))
    rect = findings.visualItemRect(findings.item(row))
    with qtbot.waitSignal(window.coherence.finding_activated) as signal:
        qtbot.mouseClick(findings.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert set(signal.args[0]) == expected
    assert set(window.scene.selected_channel_ids()) == expected

    window.scene.clearSelection()
    findings.setFocus()
    findings.setCurrentRow(0)
    qtbot.keyClick(findings, Qt.Key.Key_Return)
    assert sorted(window.scene.selected_channel_ids()) == sorted(report.findings[0].channel_ids)


def test_findings_without_channels_do_nothing_harmful(qtbot, tmp_path):
    window = open_window(qtbot, new_map_file(tmp_path))
    findings = window.coherence.findings
    assert score_label(window).text() == "0.0"
    assert findings.count() == len(window.session.report.findings) > 0
    assert all(not f.channel_ids for f in window.session.report.findings)
    with qtbot.waitSignal(window.coherence.finding_activated) as signal:
        findings.itemClicked.emit(findings.item(0))
    assert signal.args == [[]]
    assert window.scene.selected_channel_ids() == []
    assert window.findChild(QLabel, "scoreBand").text() == "A pile of point solutions"


def test_history_survives_closing_and_reopening(qtbot, sample_path):
    window = open_window(qtbot, sample_path)
    add_rule(window)
    cid = channel_id(window, "Email nurture")
    window.session.perform("Segment", ops.update_channel(window.session.map, cid, segment="SMB"))
    scores = [p.score for p in window.session.repository.score_history()]
    assert len(scores) == 3  # opening score and two edits
    window.close()

    again = open_window(qtbot, sample_path)
    assert again.coherence.history_chart.points()[1] == pytest.approx(scores)
    assert again.findChild(QLabel, "historyCount").text() == "2 edits"
    assert score_label(again).text() == again.session.report.score_text
    assert scores[2] < scores[1]  # SMB now has two messages
    assert again.findChild(QLabel, "scoreDelta").text() == "▼ \u22122.7 since last edit"


def test_long_histories_show_the_last_200_points(qtbot, sample_path):
    with MapDocument.open(sample_path) as document:
        for i in range(260):
            document.append_score(ScoreStamp(float(i % 100), {}, 2))
    window = open_window(qtbot, sample_path)
    xs, ys = window.coherence.history_chart.points()
    assert len(xs) == 200 and xs[-1] == 259 and ys[-1] == 59.0  # x counts edits after the opening score
    assert window.findChild(QLabel, "historyCount").text() == "last 200 of 259 edits"
    add_rule(window)
    xs, ys = window.coherence.history_chart.points()
    assert len(xs) == 200 and xs[-1] == 260
    assert ys[-1] == pytest.approx(window.session.report.score)


def test_economics_shows_unknown_numbers_as_unknown_and_follows_edits(qtbot, sample_path):
    window = open_window(qtbot, sample_path)
    table = window.coherence.economics
    rows = table.texts()
    routing = rows[1]
    assert "Routing" in routing[0]
    assert "2,000" in routing[1] and "1 unknown" in routing[1]
    assert "2 unknown" in routing[2] and "0" not in routing[2].split(">")[1].split("<")[0]
    assert "unknown" in routing[3]
    assert "Total" in rows[4][0] and "189,500" in rows[4][1]
    session = window.session
    cid = channel_id(window, "Lead scoring")
    session.perform("Leads", ops.update_channel(session.map, cid, leads_per_month=50.0))
    assert "50" in table.texts()[1][2] and "1 unknown" in table.texts()[1][2]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_colours_follow_the_palette_and_read_at_aa(qtbot, sample_path, theme):
    window = open_window(qtbot, sample_path)
    window.apply_theme(theme, remember=False)
    colours = window.coherence.colours
    dark_background = contrast(colours.background, "#000000") < contrast(colours.background, "#ffffff")
    assert dark_background == (theme == "dark")
    for band in (colours.good, colours.warn, colours.bad, colours.muted):
        assert contrast(band, colours.background) >= 4.5
        assert contrast(band, tint(band, colours.background)) >= 4.5
    assert contrast(colours.list_bad, colours.list_background) >= 4.5
    assert colours.warn in score_label(window).styleSheet()
    chart = window.coherence.component_chart
    assert chart.widget.backgroundBrush().color().name() == colours.background


def test_charts_are_built_once_the_panel_is_shown(qtbot, sample_path):
    window = MainWindow(sample_path)
    qtbot.addWidget(window)
    assert window.coherence.component_chart is None
    window.show()
    qtbot.waitUntil(lambda: window.coherence.component_chart is not None)
    assert window.coherence.component_chart.texts()[0] == "5.0 / 5"


def test_the_cli_and_the_window_module_do_not_import_pyqtgraph(tmp_path):
    path = new_map_file(tmp_path, sample=True)
    code = (
        "import sys, desktop.cli, desktop.ui.main_window\n"
        f"assert desktop.cli.run_command(['score', {str(path)!r}]) == 0\n"
        "assert 'pyqtgraph' not in sys.modules, 'pyqtgraph imported'\n"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=root
    )
    assert result.returncode == 0, result.stderr
    assert "Coherence score: 74.1" in result.stdout
