"""What a newcomer trips over (issue 16), driven through real clicks and keys in the window."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest

from desktop.app import MainWindow
from desktop.domain.layers import Layer
from tests.ui.helpers import new_map_file


def make_window(qtbot, path) -> MainWindow:
    window = MainWindow(path)
    qtbot.addWidget(window)
    window.resize(1600, 960)
    window.show()
    qtbot.waitExposed(window)
    return window


def dark_pixels(image: QImage, rect: QRect) -> int:
    """Pixels in `rect` dark enough to be text on the list's light background."""
    count = 0
    for y in range(max(0, rect.top()), min(image.height(), rect.bottom()), 2):
        for x in range(max(0, rect.left()), min(image.width(), rect.right()), 2):
            if QColor(image.pixel(x, y)).lightness() < 110:
                count += 1
    return count


def test_a_clicked_finding_keeps_its_text_through_later_edits(qtbot, tmp_path):
    window = make_window(qtbot, new_map_file(tmp_path, sample=True))
    findings = window.coherence.findings
    qtbot.waitUntil(lambda: findings.count() > 3)
    rect = findings.visualItemRect(findings.item(1))
    before = dark_pixels(findings.viewport().grab().toImage(), rect)
    assert before > 50
    QTest.mouseClick(findings.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert findings.item(1).isSelected()
    after = dark_pixels(findings.viewport().grab().toImage(), rect)
    assert after > before * 0.7  # the text is still there, not white on white
    # an edit changes the findings: no row of the list is ever left blank
    window.quick_add("Podcast ads", Layer.CAPTURE)
    image = findings.viewport().grab().toImage()
    for row in range(findings.count()):
        row_rect = findings.visualItemRect(findings.item(row))
        if row_rect.bottom() < findings.viewport().height():
            assert dark_pixels(image, row_rect) > 50, row


def test_cards_show_the_tool_else_the_catalog_name_never_an_internal_id(qtbot, tmp_path):
    from desktop.canvas.channel_item import card_subtitle
    from desktop.io.images import export_map

    window = make_window(qtbot, new_map_file(tmp_path))
    window.quick_add("Paid search", Layer.CAPTURE)  # the catalog's own name: no second line repeating it
    window.quick_add("SDR outreach", Layer.EXECUTION)
    window.quick_add("Win/loss interviews", Layer.FEEDBACK)
    arch = window.session.map
    sdr = arch.channel_by_name("SDR outreach")
    assert sdr.function == "sdr"
    subtitles = {c.name: card_subtitle(c) for c in arch.channels}
    assert subtitles["Paid search"] == ""
    assert all(s not in ("paid-search", "sdr", "win-loss") for s in subtitles.values())
    renamed = sdr.with_changes(name="Cold calls")
    assert card_subtitle(renamed) == "SDR outreach"
    assert card_subtitle(renamed.with_changes(tool="Outreach.io")) == "Outreach.io"
    svg = tmp_path / "map.svg"
    export_map(arch, svg)
    text = svg.read_text(encoding="utf-8")
    assert ">sdr<" not in text and ">win-loss<" not in text


def test_typing_a_rule_counts_as_one_edit(qtbot, tmp_path):
    window = make_window(qtbot, new_map_file(tmp_path, sample=True))
    scene = window.scene
    pair = next(p for p, f in scene.flow_items.items() if not f.flow.rule)
    scene.clearSelection()
    scene.flow_items[pair].setSelected(True)
    qtbot.keyClicks(window.inspector.rule, "score > 10")
    assert window.session.map.flow(*pair).rule == "score > 10"
    assert window.session.undo_stack.count() == 1
    assert window.coherence.history_count.text() == "1 edit"
    window.quick_add("Podcast ads", Layer.CAPTURE)
    assert window.coherence.history_count.text() == "2 edits"


def test_a_map_opens_readable_with_lanes_sized_to_its_cards(qtbot, tmp_path):
    window = make_window(qtbot, new_map_file(tmp_path, sample=True))
    assert window.scene.theme.name_px * window.view.zoom >= 11
    lane = window.scene.lanes[Layer.CAPTURE]
    top = window.view.mapFromScene(lane.sceneBoundingRect().topLeft())
    assert top.y() >= 0  # the lane headers are on screen, not scrolled past
    small = make_window(qtbot, new_map_file(tmp_path, "one.distarch"))
    small.quick_add("Webinars", Layer.CAPTURE)
    assert small.scene.lanes[Layer.CAPTURE].boundingRect().height() <= 420
    assert small.counts_label.text() == "1 channel · 0 flows"


def test_the_inspector_hint_stays_at_the_top(qtbot, tmp_path):
    window = make_window(qtbot, new_map_file(tmp_path, sample=True))
    inspector = window.inspector
    window.scene.select_channels(["c1"])
    window.scene.clearSelection()
    qtbot.waitUntil(lambda: inspector.stack.currentWidget() is inspector.empty)
    hint = inspector.empty
    text_top = hint.contentsRect().top()
    assert text_top <= 40
    assert hint.mapTo(inspector, hint.rect().topLeft()).y() + text_top < inspector.height() // 3


def test_quitting_leaves_the_map_writable_and_the_settings_saved(tmp_path):
    """The window leaves without tearing every Qt object down (fast), and nothing is lost by it."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from desktop.store.document import MapDocument

    path = new_map_file(tmp_path, sample=True)
    home = tmp_path / "home"
    env = dict(
        os.environ, DISTARCH_CONFIG_HOME=str(home), DISTARCH_SMOKE_QUIT_MS="400", QT_QPA_PLATFORM="offscreen"
    )
    root = Path(__file__).resolve().parents[2]
    run = subprocess.run(
        [sys.executable, "main.py", str(path)], cwd=root, env=env, timeout=60, capture_output=True
    )
    assert run.returncode == 0, run.stderr
    assert str(path.absolute()) in (home / "settings.ini").read_text(encoding="utf-8")
    with MapDocument.open(path) as doc:
        assert not doc.read_only
