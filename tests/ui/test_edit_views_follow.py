"""The views follow each edit from the one before (the findings list rebuilds only the rows whose text
changed, the canvas only the badges whose findings changed): what they show must always equal what a
fresh build from the current report shows, after an edit, its undo and its redo.

Checked through the real window, on a generated map with grouped findings (bench.maps), reading what
the user sees: the rows' texts, tooltips and accessible texts of `findings`, `scoreValue`, the badges.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget

from bench.maps import make_map
from desktop.app import MainWindow
from desktop.domain import operations as ops
from desktop.domain.layers import Layer
from desktop.store.document import write_new_file
from desktop.ui.findings_list import MESSAGE_ROLE, FindingsList


def open_window(qtbot, tmp_path, channels: int = 120) -> MainWindow:
    path = tmp_path / "big.distarch"
    write_new_file(path, make_map(channels))
    window = MainWindow(path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def shown(window: MainWindow) -> list[tuple[str, str, str, str]]:
    """Each row of the findings list as the user meets it: text, message, tooltip, accessible text."""
    listed = window.findChild(QListWidget, "findings")
    assert listed is not None
    rows = []
    for row in range(listed.count()):
        item = listed.item(row)
        rows.append(
            (
                item.text(),
                str(item.data(MESSAGE_ROLE)),
                item.toolTip().split("\n\nFix: ")[0],
                str(item.data(Qt.ItemDataRole.AccessibleTextRole)),
            )
        )
    return rows


def fresh(window: MainWindow) -> list[tuple[str, str, str, str]]:
    """The rows a new findings list shows for the current report (nothing carried over)."""
    other = FindingsList()
    coherence = window.coherence
    other.set_findings(window.session.report.findings, coherence.spend_of(), coherence.money_format())
    rows = [
        (
            other.item(r).text(),
            str(other.item(r).data(MESSAGE_ROLE)),
            other.item(r).toolTip(),
            str(other.item(r).data(Qt.ItemDataRole.AccessibleTextRole)),
        )
        for r in range(other.count())
    ]
    other.deleteLater()
    return rows


def badges(window: MainWindow) -> dict[str, list[str]]:
    assert window.scene is not None
    return {cid: list(item.findings) for cid, item in window.scene.channel_items.items()}


def report_badges(window: MainWindow) -> dict[str, list[str]]:
    report = window.session.report
    return {c.id: [f.message for f in report.findings_for(c.id)] for c in window.session.map.iter_channels()}


def assert_views_match(window: MainWindow) -> None:
    assert shown(window) == fresh(window)
    assert badges(window) == report_badges(window)
    score = window.findChild(QLabel, "scoreValue")
    assert score is not None and score.text() == window.session.report.score_text
    title = window.coherence.tabs.tabText(0)
    assert title == f"Findings ({len(window.session.report.findings)})"


def most_named(window: MainWindow) -> str:
    """The channel most findings name (a rename changes the most rows)."""
    counts = Counter(cid for f in window.session.report.findings for cid in f.channel_ids)
    return counts.most_common(1)[0][0]


def test_a_rename_shows_the_new_name_in_its_rows_and_undo_brings_back_the_rows_before(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path)
    session = window.session
    assert any(row.grouped for row in window.coherence.findings.rows)
    assert_views_match(window)
    before, badges_before = shown(window), badges(window)
    cid = most_named(window)
    old = session.map.channel(cid).name
    assert session.perform("Rename", ops.update_channel(session.map, cid, name="Zeta Renamed Channel"))
    after = shown(window)
    assert_views_match(window)
    assert any("Zeta Renamed Channel" in text for text, *_ in after)
    assert any(old in text for text, *_ in before)
    changed = [r for r, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert changed and all("Zeta Renamed Channel" in after[r][0] for r in changed)
    assert "Zeta Renamed Channel" in " ".join(badges(window)[cid])

    session.undo_stack.undo()
    assert shown(window) == before
    assert badges(window) == badges_before
    assert_views_match(window)
    session.undo_stack.redo()
    assert shown(window) == after
    assert_views_match(window)


def test_connecting_removing_and_changing_spend_keep_every_view_equal_to_a_fresh_one(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path)
    session = window.session
    arch = session.map
    cid = most_named(window)
    routing = [c.id for c in arch.in_layer(Layer.ROUTING) if c.id != cid]
    free = [r for r in routing if arch.flow(cid, r) is None and arch.flow(r, cid) is None]
    steps = [
        ("Connect", lambda: ops.connect(arch, cid, free[0])),
        ("Spend", lambda: ops.update_channel(arch, cid, monthly_spend=123456)),
        ("Delete", lambda: ops.delete(arch, [free[1]])),
        ("Rename", lambda: ops.update_channel(arch, free[2], name="Routing Renamed")),
        (
            "Move",
            lambda: ops.move_channels(arch, {cid: (arch.channel(cid).x, (arch.channel(cid).y or 0) + 40)}),
        ),
    ]
    shown_at = [shown(window)]
    for text, edits in steps:
        assert session.perform(text, edits())
        assert_views_match(window)
        shown_at.append(shown(window))
    assert shown_at[1] != shown_at[0] or shown_at[2] != shown_at[1]  # the edits changed what is shown
    for expected in reversed(shown_at[:-1]):
        session.undo_stack.undo()
        assert_views_match(window)
        assert shown(window) == expected


def test_a_spend_change_updates_the_grouped_headline_and_undo_puts_it_back(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path)
    session = window.session
    grouped = next(row for row in window.coherence.findings.rows if row.grouped and "/month" in row.headline)
    cid = next(iter(grouped.spend_ids))
    before = shown(window)
    assert session.perform("Spend", ops.update_channel(session.map, cid, monthly_spend=987654))
    assert_views_match(window)
    after = shown(window)
    assert after != before
    money = window.coherence.money_format()
    row = next(r for r in window.coherence.findings.rows if r.findings[0].rule == grouped.findings[0].rule)
    total = sum(session.map.channel(c).monthly_spend or 0 for c in row.spend_ids)
    assert f"({money(total)}/month)" in row.headline
    session.undo_stack.undo()
    assert shown(window) == before
    assert_views_match(window)


def history_rows(window: MainWindow) -> tuple[list[str], int]:
    """The History list as shown: its rows' texts and the current row."""
    model = window.history_view.model()
    texts = [str(model.data(model.index(r, 0))) for r in range(model.rowCount())]
    return texts, window.history_view.currentIndex().row()


def test_the_history_tab_lists_every_step_when_raised_even_after_edits_made_behind_it(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, channels=40)
    session = window.session
    cid = most_named(window)
    assert session.perform("Rename one", ops.update_channel(session.map, cid, name="First name"))
    window.history.raise_()
    qtbot.waitUntil(lambda: history_rows(window) == (["Opened map", "Rename one"], 1))
    window.inspector.raise_()  # History behind the Inspector again; edits and an undo meanwhile
    assert session.perform("Rename two", ops.update_channel(session.map, cid, name="Second name"))
    assert session.perform("Rename three", ops.update_channel(session.map, cid, name="Third name"))
    session.undo_stack.undo()
    window.history.raise_()
    qtbot.waitUntil(
        lambda: history_rows(window) == (["Opened map", "Rename one", "Rename two", "Rename three"], 2)
    )
    session.undo_stack.undo()  # followed while shown
    assert history_rows(window) == (["Opened map", "Rename one", "Rename two", "Rename three"], 1)
