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
