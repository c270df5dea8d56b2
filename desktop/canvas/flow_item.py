"""`FlowItem`: an arrow between two channel cards; a flow back to an earlier lane is a return arc.

As in orange-canvas-core's link item: the path is recomputed only in
`adjust()` (after `prepareGeometryChange()`), `boundingRect` is cached, and
`shape()` is widened with a stroker so a thin arrow is easy to click.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QGraphicsScene, QStyleOptionGraphicsItem

from desktop.canvas.channel_item import ChannelItem
from desktop.canvas.theme import Theme
from desktop.domain.layout import CHANNEL_HEIGHT, CHANNEL_WIDTH
from desktop.domain.model import Flow

ARROW = 11.0
LABEL_STEPS = (0.5, *(0.5 + sign * k / 64 for k in range(1, 29) for sign in (-1, 1)))
SCENE_CHANGED = QGraphicsItem.GraphicsItemChange.ItemSceneHasChanged  # looked up once: itemChange is hot
NEAR = 6 * CHANNEL_HEIGHT  # an arrow this tall or less finds the cards around its rule box in one query


class FlowItem(QGraphicsObject):
    """A flow arrow. Object name `flow-<source>-<target>`."""

    def __init__(self, flow: Flow, source: ChannelItem, target: ChannelItem, theme: Theme) -> None:
        super().__init__()
        self.flow = flow
        self.source = source
        self.target = target
        self.theme = theme
        self.is_return = False
        self._path = QPainterPath()
        self._arrow = QPolygonF()
        self._label_rect = QRectF()
        self._bounds = QRectF()
        self._shape = QPainterPath()
        self.setObjectName(f"flow-{flow.source}-{flow.target}")
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(5)
        source.flows.add(self)
        target.flows.add(self)
        self.adjust()

    def set_flow(self, flow: Flow) -> None:
        if flow == self.flow:
            return
        self.flow = flow
        self.adjust()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.adjust()

    def detach(self) -> None:
        self.source.flows.discard(self)
        self.target.flows.discard(self)

    def label_text(self) -> str:
        return self.flow.rule.strip() or self.flow.label.strip()

    def tooltip_text(self) -> str:
        """The arrow's tooltip, written when hovered (MapScene.helpEvent), with the cards' current names."""
        s, t = self.source.channel.name, self.target.channel.name
        rule = self.flow.rule.strip()
        text = f"{s} → {t}" + (f"<br>Rule: {rule}" if rule else "<br><i>No routing rule</i>")
        if self.flow.label.strip():
            text += f"<br>{self.flow.label.strip()}"
        return text

    # --- geometry ---------------------------------------------------------------
    def adjust(self) -> None:
        """Recompute the path from the two cards' current positions."""
        self.prepareGeometryChange()
        a = self.source.scenePos()
        b = self.target.scenePos()
        path = QPainterPath()
        self.is_return = b.x() + CHANNEL_WIDTH / 2 < a.x()
        if b.x() >= a.x() + CHANNEL_WIDTH * 0.75:  # forward, to a lane on the right
            start = QPointF(a.x() + CHANNEL_WIDTH, a.y() + CHANNEL_HEIGHT / 2)
            end = QPointF(b.x() - 2, b.y() + CHANNEL_HEIGHT / 2)
            dx = max(40.0, (end.x() - start.x()) / 2)
            path.moveTo(start)
            path.cubicTo(QPointF(start.x() + dx, start.y()), QPointF(end.x() - dx, end.y()), end)
        elif self.is_return:  # back to an earlier lane: an arc under the cards
            start = QPointF(a.x() + CHANNEL_WIDTH / 2, a.y() + CHANNEL_HEIGHT)
            end = QPointF(b.x() + CHANNEL_WIDTH / 2, b.y() + CHANNEL_HEIGHT + 2)
            depth = 40.0 + 0.12 * abs(start.x() - end.x())
            bottom = max(start.y(), end.y()) + depth
            path.moveTo(start)
            path.cubicTo(QPointF(start.x(), bottom), QPointF(end.x(), bottom), end)
        else:  # the same lane: a loop out to the right
            start = QPointF(a.x() + CHANNEL_WIDTH, a.y() + CHANNEL_HEIGHT / 2)
            end = QPointF(b.x() + CHANNEL_WIDTH + 2, b.y() + CHANNEL_HEIGHT / 2)
            bulge = 46.0 + 0.1 * abs(end.y() - start.y())
            path.moveTo(start)
            path.cubicTo(QPointF(start.x() + bulge, start.y()), QPointF(end.x() + bulge, end.y()), end)
        self._path = path
        angle = math.radians(path.angleAtPercent(1.0))
        tip = path.pointAtPercent(1.0)
        back = QPointF(math.cos(angle), -math.sin(angle))
        normal = QPointF(-back.y(), back.x())
        size = ARROW * max(1.0, self.theme.flow_width / 1.6)
        base = tip - back * size
        self._arrow = QPolygonF([tip, base + normal * (size / 2), base - normal * (size / 2)])
        self._place_label()

    def place_label(self) -> None:
        """Place the rule box again on the same path: the scene calls it once every card is in."""
        self.prepareGeometryChange()
        self._place_label()

    def _place_label(self) -> None:
        path = self._path
        text = self.label_text()
        if text:
            metrics = QFontMetricsF(_label_font(self.theme.rule_px))
            width = min(metrics.horizontalAdvance(text), 220.0) + 14
            height = metrics.height() + 6
            self._label_rect = self._free_label_rect(path, width, height)
        else:
            self._label_rect = QRectF()
        stroker = QPainterPathStroker()
        stroker.setWidth(12)
        shape = stroker.createStroke(path)
        shape.addPolygon(self._arrow)
        if not self._label_rect.isNull():
            shape.addRect(self._label_rect)
        self._shape = shape
        self._bounds = shape.boundingRect().adjusted(-4, -4, 4, 4)

    def _free_label_rect(self, path: QPainterPath, width: float, height: float) -> QRectF:
        """The rule box on the path, as near its middle as it can sit without covering a card."""
        # A short arrow asks the scene's index once for the cards around it; a tall one (a return
        # arc on a 2,000-channel map passes hundreds of cards) asks once per candidate box instead.
        scene = self.scene()
        if scene is None:
            mid = path.pointAtPercent(0.5)
            return QRectF(mid.x() - width / 2, mid.y() - height / 2, width, height)
        around = path.boundingRect().adjusted(-width / 2, -height / 2, width / 2, height / 2)
        cards = _card_rects(scene, around) if around.height() <= NEAR else None
        first = QRectF()
        for step in LABEL_STEPS:
            mid = path.pointAtPercent(step)
            rect = QRectF(mid.x() - width / 2, mid.y() - height / 2, width, height)
            if first.isNull():
                first = rect
            near = cards if cards is not None else _card_rects(scene, rect)
            if not any(rect.intersects(card) for card in near):
                return rect
        return first

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value):
        if (
            change == SCENE_CHANGED
            and value is not None
            and self.label_text()
            and not getattr(value, "building", False)
        ):
            self.place_label()  # now the cards around can be seen, place the rule box clear of them
        return super().itemChange(change, value)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        return self._shape

    def path(self) -> QPainterPath:
        return self._path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        t = self.theme
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor(t.selection if self.isSelected() else (t.return_flow if self.is_return else t.flow))
        width = t.flow_width * (1.8 if self.isSelected() else 1.0)
        pen = QPen(colour, width)
        if self.is_return:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(colour))
        painter.drawPolygon(self._arrow)

    def label_rect(self) -> QRectF:
        """Where the rule (or label) box sits, in scene coordinates; null when the flow has none."""
        return self.mapRectToScene(self._label_rect) if not self._label_rect.isNull() else QRectF()

    def paint_label(self, painter: QPainter) -> None:
        """Paint the rule box in scene coordinates. The scene calls it above the cards so rules stay readable."""
        if self._label_rect.isNull():
            return
        t = self.theme
        colour = QColor(t.selection if self.isSelected() else (t.return_flow if self.is_return else t.flow))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setTransform(self.sceneTransform(), True)
        painter.setPen(QPen(colour, max(1.0, t.flow_width / 2)))
        painter.setBrush(QColor(t.rule_fill))
        painter.drawRoundedRect(self._label_rect, 6, 6)
        painter.setPen(QColor(t.rule_text))
        font = _label_font(t.rule_px)
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        text = metrics.elidedText(
            self.label_text(), Qt.TextElideMode.ElideRight, self._label_rect.width() - 10
        )
        painter.drawText(self._label_rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()


_LABEL_FONTS: dict[int, QFont] = {}


def _label_font(px: int) -> QFont:
    font = _LABEL_FONTS.get(px)
    if font is None:
        font = QFont()
        font.setPixelSize(px)
        _LABEL_FONTS[px] = font
    return font


def _card_rects(scene: QGraphicsScene, rect: QRectF) -> list[QRectF]:
    """The scene rectangles of the channel cards that `rect` (scene coordinates) touches."""
    return [
        item.mapRectToScene(item.card_rect())
        for item in scene.items(rect, Qt.ItemSelectionMode.IntersectsItemBoundingRect)
        if isinstance(item, ChannelItem)
    ]
