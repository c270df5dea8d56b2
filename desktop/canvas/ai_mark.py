"""The AI mark: a small "AI" pill on the top edge of a channel that acts through AI (contract 2).

Why a module of its own: the card (channel_item.py) and the export legend
(desktop/io/images.py) draw the same mark, and contract 2 multiplies the
points of every finding such a channel is part of (docs/score.md,
`AI_FACTOR`), so the lead should see at a glance which cards those are.
One violet fill with white text reads on the light, dark and projector themes.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen

AI_FILL = "#6d28d9"
AI_TEXT = "#ffffff"
WIDTH = 26.0
HEIGHT = 16.0


def paint_ai_mark(painter: QPainter, centre: QPointF, ring: str) -> None:
    """Paint the mark centred at `centre`, ringed in `ring` (the card's fill, so it reads over the edge)."""
    rect = QRectF(centre.x() - WIDTH / 2, centre.y() - HEIGHT / 2, WIDTH, HEIGHT)
    painter.save()
    painter.setPen(QPen(QColor(ring), 2))
    painter.setBrush(QColor(AI_FILL))
    painter.drawRoundedRect(rect, HEIGHT / 2, HEIGHT / 2)
    font = QFont()
    font.setPixelSize(10)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor(AI_TEXT))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "AI")
    painter.restore()
