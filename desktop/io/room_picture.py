"""The map as the room's phones see it: the projector's picture of the revealed lanes, as a plain PNG.

Built from a copy of the map that keeps only the channels of the lanes the
projector has revealed (and the flows between them), without notes, spend,
leads or any other field a card does not show, painted in the projector theme
with no header, and encoded by Qt's PNG writer with no text chunks: nothing in
the file can be read back as map data, and no path or other map is in it.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QBuffer, QIODevice, QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from desktop.domain.coherence import CoherenceReport
from desktop.domain.layers import LAYERS
from desktop.domain.layout import LANE_WIDTH
from desktop.domain.model import ArchitectureMap, Channel, MapInfo

WIDTH_PX = 960
MARGIN_X = 12.0


def room_map(arch: ArchitectureMap, revealed: int) -> ArchitectureMap:
    """The revealed lanes' channels with only what a card shows (name, layer, function, position)."""
    shown = set(LAYERS[: max(0, min(len(LAYERS), revealed))])
    channels = [
        Channel(id=c.id, name=c.name, layer=c.layer, function=c.function, x=c.x, y=c.y, ord=c.ord)
        for c in arch.iter_channels()
        if c.layer in shown
    ]
    keep = {c.id for c in channels}
    flows = [f.with_changes(rule="", label="") for f in arch.flows if f.source in keep and f.target in keep]
    return ArchitectureMap.build(channels, flows, MapInfo("Room"))


def room_picture(arch: ArchitectureMap, report: CoherenceReport, revealed: int) -> bytes:
    """PNG bytes, at most 960 px wide, of the lanes the projector shows (the legend left out)."""
    from desktop.io.images import ExportOptions, Sheet

    subject = room_map(arch, revealed)
    keep = {c.id for c in subject.iter_channels()}
    findings = tuple(f for f in report.findings if set(f.channel_ids) <= keep)
    shown = replace(report, findings=findings)  # the badges the projector shows on these cards
    sheet = Sheet(subject, ExportOptions(theme="projector", title=False), shown)
    lanes = max(1, min(len(LAYERS), revealed))  # the revealed lanes only: larger on a phone
    left = max(0.0, sheet.content_left - MARGIN_X)
    right = min(sheet.width, sheet.content_left + lanes * LANE_WIDTH + MARGIN_X)
    bottom = sheet.height - Sheet.LEGEND
    part = QRectF(left, 0, right - left, bottom)
    scale = min(2.0, WIDTH_PX / part.width())
    image = QImage(round(part.width() * scale), round(part.height() * scale), QImage.Format.Format_RGB32)
    image.fill(QColor(sheet.theme.background))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.scale(scale, scale)
        painter.translate(-left, 0)
        sheet.paint(painter, part, background=False)
    finally:
        painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data())
