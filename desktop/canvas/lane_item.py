"""`LaneItem`: one of the four tinted, labelled lanes (Capture, Routing, Execution, Feedback)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsObject, QStyleOptionGraphicsItem

from desktop.canvas.theme import Theme
from desktop.domain.layers import Layer
from desktop.domain.layout import LANE_HEADER, LANE_WIDTH, lane_left

LANE_BLURBS = {
    Layer.CAPTURE: "Where signals come in",
    Layer.ROUTING: "Who gets which signal, by rule",
    Layer.EXECUTION: "One message, one motion per segment",
    Layer.FEEDBACK: "Results that flow back",
}


class LaneItem(QGraphicsObject):
    """A lane. Object name `lane-<layer>`; it paints only itself and never takes mouse focus."""

    def __init__(self, layer: Layer, theme: Theme, height: float) -> None:
        super().__init__()
        self.layer = layer
        self.theme = theme
        self.count = 0
        self._height = height
        self._width = LANE_WIDTH
        self.setObjectName(f"lane-{layer.value}")
        self.setPos(lane_left(layer), 0)
        self.setZValue(-10)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setCacheMode(QGraphicsObject.CacheMode.DeviceCoordinateCache)

    def set_height(self, height: float) -> None:
        if height != self._height:
            self.prepareGeometryChange()
            self._height = height

    def set_span(self, left: float, width: float) -> None:
        """Where the lane starts and how wide it is (present mode wraps a tall lane into columns)."""
        if width != self._width:
            self.prepareGeometryChange()
            self._width = width
        self.setPos(left, 0)

    def set_count(self, count: int) -> None:
        if count != self.count:
            self.count = count
            self.update()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self._width, self._height)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        t = self.theme
        rect = self.boundingRect()
        # The tint as a pen-less rectangle: QPainter.fillRect's overloads make PySide6 build the QGradient
        # class (1.5 ms of every start) only to find that a colour is not one of its presets.
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(t.lane_tints[self.layer]))
        painter.drawRect(rect)
        painter.setPen(QPen(QColor(t.lane_border), t.border_width))
        painter.drawLine(rect.topRight(), rect.bottomRight())
        if self.layer.index == 0:
            painter.drawLine(rect.topLeft(), rect.bottomLeft())
        painter.drawLine(rect.left(), LANE_HEADER - 8, rect.right(), LANE_HEADER - 8)
        title = QFont()
        title.setPixelSize(t.title_px)
        title.setBold(True)
        painter.setFont(title)
        painter.setPen(QColor(t.lane_title))
        number = f"{self.layer.index + 1}  {self.layer.title}"
        painter.drawText(
            QRectF(18, 8, self._width - 36, t.title_px * 1.4),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            number,
        )
        sub = QFont()
        sub.setPixelSize(t.sub_px)
        painter.setFont(sub)
        painter.setPen(QColor(t.lane_subtitle))
        noun = "channel" if self.count == 1 else "channels"
        count = f" · {self.count} {noun}"
        metrics = QFontMetricsF(sub)
        room = self._width - 36 - metrics.horizontalAdvance(count)
        blurb = metrics.elidedText(LANE_BLURBS[self.layer], Qt.TextElideMode.ElideRight, room)
        painter.drawText(
            QRectF(18, 12 + t.title_px * 1.4, self._width - 36, t.sub_px * 1.5),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            blurb + count,
        )
