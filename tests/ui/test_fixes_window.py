"""Fix it from the finding, through the real panel: each kind of fix (connect, merge, set the segment,
write the rule) is offered on its finding, shows a projected score equal to the score after applying,
and is undone in one step. Also: money in the panel's grouped headline."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton

from desktop.app import MainWindow
from desktop.domain.coherence import tenths
from tests.ui.fix_maps import fixable_edits
from tests.ui.helpers import file_map, new_map_file


def make_window(qtbot, path) -> MainWindow:
    window = MainWindow(path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def pick(window, rule: str) -> None:
    findings = window.coherence.findings
    for row, shown in enumerate(findings.rows):
        if shown.findings[0].rule == rule:
            findings.setCurrentRow(row)
            return
    raise AssertionError(f"no {rule} finding in the panel")


@pytest.mark.parametrize(
    ("rule", "value"),
    [
        ("unrouted-signal", None),
        ("unmeasured-execution", None),
        ("duplicate-function", "Keep Bing Ads"),
        ("unknown-segment", "Enterprise"),
        ("unruled-routing", "segment is {segment}"),
    ],
)
def test_each_fix_applies_from_the_panel_as_projected_and_undoes_in_one_step(qtbot, tmp_path, rule, value):
    path = new_map_file(tmp_path)
    window = make_window(qtbot, path)
    assert window.session.perform("Build", fixable_edits())
    panel = window.coherence
    before_rules = [f.rule for f in window.session.report.findings]
    before_map = file_map(path)
    steps = window.session.undo_stack.index()
    pick(window, rule)
    bar = panel.findChild(type(panel.fix_bar), "fixBar")
    assert bar.isVisible()
    if rule == "duplicate-function":
        keeper = bar.findChild(QComboBox, "fixKeeper")
        assert keeper.isVisible() and keeper.currentText() == "Keep Google Ads"  # the biggest spend
        keeper.setCurrentIndex(keeper.findText(value))
    elif value is not None:
        editor = bar.findChild(QLineEdit, "fixValue")
        assert editor.isVisible() and editor.text() == value  # the proposal
    projection = bar.findChild(QLabel, "fixProjection").text()
    projected = bar.projected_score
    assert projected is not None
    bar.findChild(QPushButton, "applyFix").click()
    after = window.session.report
    assert tenths(after.score) == tenths(projected)
    assert f"→ {after.score_text} (" in projection  # the change shown before applying
    assert rule not in [f.rule for f in after.findings] or len(after.findings) != len(before_rules)
    assert window.session.undo_stack.index() == steps + 1  # one undo step
    if rule == "duplicate-function":
        merged = file_map(path)
        assert not merged.has_channel("g") and merged.channel("b").monthly_spend == 25000
        assert merged.channel("b").leads_per_month == 50
        assert merged.flow("b", "s") is not None and merged.flow("g", "b") is None
    window.session.undo_stack.undo()
    assert [f.rule for f in window.session.report.findings] == before_rules
    restored = file_map(path)
    assert sorted(restored.channels, key=lambda c: c.id) == sorted(before_map.channels, key=lambda c: c.id)
    assert {f.pair for f in restored.flows} == {f.pair for f in before_map.flows}


def test_a_finding_without_a_fix_offers_none(qtbot, tmp_path):
    window = make_window(qtbot, new_map_file(tmp_path))
    assert window.session.perform("Build", fixable_edits())
    pick(window, "mixed-messages")
    assert not window.coherence.fix_bar.isVisible()


def test_an_edit_withdraws_the_offer_and_a_click_brings_it_back(qtbot, tmp_path):
    from PySide6.QtCore import Qt

    from desktop.domain import operations as ops

    window = make_window(qtbot, new_map_file(tmp_path))
    assert window.session.perform("Build", fixable_edits())
    pick(window, "unrouted-signal")
    bar = window.coherence.fix_bar
    assert bar.isVisible()
    s = window.session
    assert s.perform("Rename", ops.update_channel(s.map, "a", name="Attribution (Dreamdata)"))
    assert not bar.isVisible()  # nothing is projected on the edit path
    findings = window.coherence.findings
    row = findings.currentRow()
    rect = findings.visualItemRect(findings.item(row))
    qtbot.mouseClick(findings.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert bar.isVisible() and bar.fix is not None and bar.fix.kind == "connect"


def test_hovering_a_finding_projects_its_fix_in_the_tooltip(qtbot, tmp_path):
    window = make_window(qtbot, new_map_file(tmp_path))
    assert window.session.perform("Build", fixable_edits())
    findings = window.coherence.findings
    row = next(i for i, r in enumerate(findings.rows) if r.findings[0].rule == "unrouted-signal")
    item = findings.item(row)
    assert "Fix:" not in item.toolTip()  # nothing projected until hovered
    findings.itemEntered.emit(item)
    tip = item.toolTip()
    assert "Fix: Connect LinkedIn Ads → Lead scoring (score" in tip
    pick(window, "unrouted-signal")
    window.coherence.fix_bar.findChild(QPushButton, "applyFix").click()
    assert tip.endswith(f"→ {window.session.report.score_text})")
