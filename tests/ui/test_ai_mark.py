"""AI on the canvas: an AI channel carries a small mark on its card and in the export legend; the
inspector's automation checkbox explains what AI means in the contract's words."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QCheckBox

from desktop.app import MainWindow
from desktop.canvas.ai_mark import AI_FILL
from desktop.domain.vocabulary import AI_DEFINITION
from desktop.io.images import ExportOptions, export_map
from tests.ui.helpers import new_map_file


def violet_pixels(image: QImage) -> int:
    target = QColor(AI_FILL)
    found = 0
    for y in range(image.height()):
        for x in range(image.width()):
            c = image.pixelColor(x, y)
            if (
                abs(c.red() - target.red()) + abs(c.green() - target.green()) + abs(c.blue() - target.blue())
                < 12
            ):
                found += 1
    return found


def card_image(window, channel_id: str) -> QImage:
    item = window.scene.channel_items[channel_id]
    rect = item.sceneBoundingRect().adjusted(-4, -12, 4, 4)
    image = QImage(int(rect.width()), int(rect.height()), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    window.scene.render(painter, QRectF(image.rect()), rect)
    painter.end()
    return image


def legend(path) -> QImage:
    image = QImage(str(path))
    return image.copy(0, image.height() - 72, image.width(), 72)


def test_an_ai_channel_is_marked_on_its_card_and_in_the_export_legend(qtbot, tmp_path):
    window = MainWindow(new_map_file(tmp_path, sample=True))
    qtbot.addWidget(window)
    window.show()
    sdr = window.session.map.channel_by_name("SDR outreach")
    assert sdr is not None
    assert violet_pixels(card_image(window, sdr.id)) == 0
    plain = export_map(window.session.map, tmp_path / "plain.png", ExportOptions(title=False))
    window.scene.select_channels([sdr.id])
    box = window.inspector.findChild(QCheckBox, "field-automation")
    assert AI_DEFINITION in box.toolTip() and box.whatsThis() == AI_DEFINITION
    box.setChecked(True)
    assert violet_pixels(card_image(window, sdr.id)) > 40
    marked = export_map(window.session.map, tmp_path / "ai.png", ExportOptions(title=False))
    assert violet_pixels(legend(plain)) == 0
    assert violet_pixels(legend(marked)) > 40
