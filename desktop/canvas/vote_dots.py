"""The room's vote results on the cards: a pill of dots above each card a voted finding names.

Drawn as a child of the card, so it moves, hides (present mode's reveal) and
exports with it; it takes no mouse buttons, so it never gets in the way of a
drag. Used by the window (after a vote closes) and by image exports.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

DOT_FILL = "#f59e0b"
DOT_TEXT = "#111827"
HEIGHT = 24.0
MAX_DRAWN = 8


class VoteDotsItem(QGraphicsItem):
    """`dots` amber dots (at most eight drawn, then the number) in a pill above the card's top-left corner."""

    def __init__(self, dots: int, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.dots = dots
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(5)
        self.font = QFont()
        self.font.setPixelSize(14)
        self.font.setBold(True)
        self.label = f"{dots}"
        drawn = min(dots, MAX_DRAWN)
        width = 12 + drawn * 14 + QFontMetricsF(self.font).horizontalAdvance(self.label) + 10
        self._rect = QRectF(4, -HEIGHT - 4, width, HEIGHT)
        self.setToolTip(f"{dots} room vote dot{'s' if dots != 1 else ''}")

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-1, -1, 1, 1)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(DOT_FILL), 1.5))
        painter.setBrush(QColor("#fffbeb"))
        r = self._rect
        painter.drawRoundedRect(r, HEIGHT / 2, HEIGHT / 2)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(DOT_FILL))
        x = r.left() + 12
        for _ in range(min(self.dots, MAX_DRAWN)):
            painter.drawEllipse(QRectF(x, r.center().y() - 5, 10, 10))
            x += 14
        painter.setPen(QColor(DOT_TEXT))
        painter.setFont(self.font)
        painter.drawText(
            QRectF(x + 2, r.top(), r.right() - x, r.height()), Qt.AlignmentFlag.AlignVCenter, self.label
        )
        painter.restore()


def show_vote_dots(
    scene: QGraphicsScene, cards: Mapping[str, QGraphicsItem], dots: Mapping[str, int]
) -> None:
    """Put one pill on each card in `dots` (channel id -> dots) and take the others away."""
    for cid, card in cards.items():
        for child in card.childItems():
            if isinstance(child, VoteDotsItem):
                if child.dots == dots.get(cid, 0):
                    break
                scene.removeItem(child)
        else:
            if dots.get(cid, 0) > 0:
                VoteDotsItem(dots[cid], card)
