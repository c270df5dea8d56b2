"""`ChannelItem`: one channel drawn as a rounded card in its lane.

It only displays a `Channel` (immutable): the scene's interactions
(interactions.py) turn gestures on it into edits; it never changes the model
and never calls the scene. Geometry is fixed per theme, so
`boundingRect` is cached and the card is device-cached for fast drags.

Why there is no `itemChange` override: Qt calls it from C++ for every flag,
z-value, scene and position change of every card (about twenty times per
card while a map opens), and each call into Python costs more than the
change itself. A drag is the scene's `DragCards` interaction instead, which
snaps the cards and has the scene move them with their arrows in one pass.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsObject,
    QStyleOptionGraphicsItem,
)

from desktop.canvas.ai_mark import paint_ai_mark
from desktop.canvas.theme import Theme
from desktop.domain.catalog import default_catalog
from desktop.domain.layout import CHANNEL_HEIGHT, CHANNEL_WIDTH
from desktop.domain.model import Channel, fold

if TYPE_CHECKING:
    from desktop.canvas.flow_item import FlowItem

HANDLE_RADIUS = 8.0
BADGE_RADIUS = 11.0
STRIP = 8.0
TEXT_LOD = 0.25  # below this zoom a card is drawn without its text (an export at 0.25× keeps it)
MOVABLE = QGraphicsItem.GraphicsItemFlag.ItemIsMovable
FLAGS = QGraphicsItem.GraphicsItemFlag.ItemIsSelectable | QGraphicsItem.GraphicsItemFlag.ItemIsFocusable


class ChannelItem(QGraphicsObject):
    """A channel card. Object name `channel-<id>` (the testability contract)."""

    def __init__(self, channel: Channel, theme: Theme, movable: bool = True) -> None:
        super().__init__()
        self.channel = channel
        self.theme = theme
        self.flows: set[FlowItem] = set()
        self.findings: list[str] = []
        self._hover = False
        self._colour = _colour(default_catalog().colour_for(channel.function, channel.name))
        self.setObjectName(f"channel-{channel.id}")
        self.setFlags(FLAGS | MOVABLE if movable else FLAGS)
        self.setAcceptHoverEvents(True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setZValue(10)
        self._bounds = BOUNDS

    # --- model → view ----------------------------------------------------------
    def set_channel(self, channel: Channel) -> None:
        if channel == self.channel:
            return
        self.channel = channel
        self._colour = _colour(default_catalog().colour_for(channel.function, channel.name))
        self.update()

    def set_findings(self, messages: list[str]) -> None:
        if messages == self.findings:
            return
        self.findings = messages
        self.update()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.update()

    def tooltip_text(self) -> str:
        """The card's tooltip, written when hovered (MapScene.helpEvent), not for every card a map opens with."""
        c = self.channel
        lines = [f"<b>{_esc(c.name)}</b> · {c.layer.title}"]
        details = [v for v in (c.tool, c.function, c.segment, c.motion) if v]
        if details:
            lines.append(_esc(" · ".join(details)))
        if self.findings:
            lines.append("<br><b>To fix</b>")
            lines += [f"• {_esc(m)}" for m in self.findings]
        return "<br>".join(lines)

    # --- geometry ----------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(QRectF(0, 0, CHANNEL_WIDTH, CHANNEL_HEIGHT), 10, 10)
        path.addEllipse(self.handle_center(), HANDLE_RADIUS + 3, HANDLE_RADIUS + 3)
        return path

    def card_rect(self) -> QRectF:
        return QRectF(0, 0, CHANNEL_WIDTH, CHANNEL_HEIGHT)

    def handle_center(self) -> QPointF:
        return QPointF(CHANNEL_WIDTH, CHANNEL_HEIGHT / 2)

    def on_handle(self, pos: QPointF) -> bool:
        d = pos - self.handle_center()
        return (d.x() * d.x() + d.y() * d.y()) <= (HANDLE_RADIUS + 4) ** 2

    # --- painting (paint only paints) ---------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        t = self.theme
        selected = self.isSelected()
        border, fill = _card_style(t, selected)
        painter.setRenderHint(ANTIALIASING)
        painter.setPen(border)
        painter.setBrush(fill)
        painter.drawRoundedRect(CARD_RECT, 10, 10)
        painter.setPen(NO_PEN)
        painter.setBrush(self._colour)
        painter.drawPath(_strip_path())
        if option.levelOfDetailFromTransform(painter.worldTransform()) < TEXT_LOD:
            return  # zoomed far out (a whole big map fitted): the text would be a pixel-high smudge

        name_font = _font(t.name_px, bold=True)
        sub_font = _font(t.sub_px)
        text_left = STRIP + 12
        text_width = CHANNEL_WIDTH - text_left - 14
        subtitle = card_subtitle(self.channel)
        name_metrics = QFontMetricsF(name_font)
        name = name_metrics.elidedText(self.channel.name, Qt.TextElideMode.ElideRight, text_width)
        painter.setPen(QColor(t.channel_text))
        painter.setFont(name_font)
        if subtitle:
            sub_metrics = QFontMetricsF(sub_font)
            block = name_metrics.height() + sub_metrics.height() + 2
            top = (CHANNEL_HEIGHT - block) / 2
            painter.drawText(
                QRectF(text_left, top, text_width, name_metrics.height()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                name,
            )
            painter.setFont(sub_font)
            painter.setPen(QColor(t.channel_subtext))
            sub = sub_metrics.elidedText(subtitle, Qt.TextElideMode.ElideRight, text_width)
            painter.drawText(
                QRectF(text_left, top + name_metrics.height() + 2, text_width, sub_metrics.height()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                sub,
            )
        else:
            painter.drawText(
                QRectF(text_left, 0, text_width, CHANNEL_HEIGHT),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                name,
            )

        if self._hover or selected:
            painter.setPen(QPen(QColor(t.selection), 2))
            painter.setBrush(QColor(t.channel_fill))
            painter.drawEllipse(self.handle_center(), HANDLE_RADIUS, HANDLE_RADIUS)
            painter.setBrush(QColor(t.selection))
            painter.drawEllipse(self.handle_center(), HANDLE_RADIUS / 2.5, HANDLE_RADIUS / 2.5)

        if self.channel.automation == "ai":
            paint_ai_mark(painter, QPointF(STRIP + 26, 0), t.channel_fill)

        if self.findings:
            centre = QPointF(CHANNEL_WIDTH - BADGE_RADIUS - 6, 0)
            painter.setPen(QPen(QColor(t.channel_fill), 2))
            painter.setBrush(QColor(t.badge))
            painter.drawEllipse(centre, BADGE_RADIUS, BADGE_RADIUS)
            painter.setPen(QColor(t.badge_text))
            painter.setFont(_font(12, bold=True))
            painter.drawText(
                QRectF(
                    centre.x() - BADGE_RADIUS, centre.y() - BADGE_RADIUS, 2 * BADGE_RADIUS, 2 * BADGE_RADIUS
                ),
                Qt.AlignmentFlag.AlignCenter,
                str(len(self.findings)),
            )

    # --- hover (the gestures are the scene's interactions: interactions.py) --------------
    def hoverEnterEvent(self, event) -> None:
        self._hover = True
        self.update()
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event) -> None:
        self._hover = False
        self.update()
        super().hoverLeaveEvent(event)

    def hoverMoveEvent(self, event) -> None:
        shape = Qt.CursorShape.CrossCursor if self.on_handle(event.pos()) else Qt.CursorShape.OpenHandCursor
        self.setCursor(shape)
        super().hoverMoveEvent(event)


ANTIALIASING = QPainter.RenderHint.Antialiasing
NO_PEN = Qt.PenStyle.NoPen
CARD_RECT = QRectF(0, 0, CHANNEL_WIDTH, CHANNEL_HEIGHT)
_STRIP: list[QPainterPath] = []
_STYLES: dict[tuple[int, bool], tuple[QPen, QBrush, Theme]] = {}


def _strip_path() -> QPainterPath:
    """The colour strip down a card's left edge: the left half of a rounded bar, built once."""
    if not _STRIP:
        strip = QPainterPath()
        strip.addRoundedRect(QRectF(0, 0, STRIP * 2, CHANNEL_HEIGHT), 10, 10)
        clip = QPainterPath()
        clip.addRect(QRectF(0, 0, STRIP, CHANNEL_HEIGHT))
        _STRIP.append(strip.intersected(clip))
    return _STRIP[0]


def _card_style(theme: Theme, selected: bool) -> tuple[QPen, QBrush]:
    """A card's border pen and fill, one pair per theme and selection state."""
    key = (id(theme), selected)
    cached = _STYLES.get(key)
    if cached is None or cached[2] is not theme:
        colour = QColor(theme.selection if selected else theme.channel_border)
        pen = QPen(colour, theme.border_width * (2.2 if selected else 1.0))
        cached = _STYLES[key] = (pen, QBrush(QColor(theme.channel_fill)), theme)
    return cached[0], cached[1]


BOUNDS = QRectF(-4, -BADGE_RADIUS - 2, CHANNEL_WIDTH + HANDLE_RADIUS + 8, CHANNEL_HEIGHT + BADGE_RADIUS + 6)
_FONTS: dict[tuple[int, bool], QFont] = {}
_COLOURS: dict[str, QColor] = {}


def _colour(name: str) -> QColor:
    """One QColor per colour name: a map has thousands of cards and a few dozen colours."""
    colour = _COLOURS.get(name)
    if colour is None:
        colour = _COLOURS[name] = QColor(name)
    return colour


def _font(px: int, bold: bool = False) -> QFont:
    key = (px, bold)
    font = _FONTS.get(key)
    if font is None:
        font = QFont()
        font.setPixelSize(px)
        font.setBold(bold)
        _FONTS[key] = font
    return font


def card_subtitle(channel: Channel) -> str:
    """A card's second line: its tool (and segment), else the catalog's name for its function, never an
    internal id such as "paid-search"; nothing when that would only repeat the card's name."""
    shown = " · ".join(v for v in (channel.tool, channel.segment) if v)
    if shown:
        return shown
    entry = default_catalog().by_function(channel.function)
    if entry is not None:
        return "" if fold(entry.name) == fold(channel.name) else entry.name
    return channel.function


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
