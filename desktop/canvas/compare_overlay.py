"""The compare overlay: what changed since a saved version, marked on the canvas of the current map.

A lead who tries a consolidated version wants to see, on the map itself,
which channels are new (green outline), which were changed or moved to
another layer (amber), and which are gone (a ghosted card where the channel
used to be, in red). Flows that were added are traced in green.

The overlay only draws: it never changes the map. It follows the session, so
the marks move with every edit, undo and redo while it is shown. Marks on a
channel are children of its card, so they follow a drag; ghosts and flow
traces are redrawn after each edit. The painting helpers are shared with the
before/after slide (`desktop.io.comparison_image`), so both look the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QObject, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QStyleOptionGraphicsItem

from desktop.canvas.channel_item import ChannelItem
from desktop.canvas.scene import MapScene
from desktop.canvas.theme import Theme
from desktop.domain.compare import Comparison, compare
from desktop.domain.layout import CHANNEL_HEIGHT, CHANNEL_WIDTH, clamp_x
from desktop.domain.model import ArchitectureMap, Channel, fold

NEW, CHANGED, MOVED, REMOVED = "new", "changed", "moved", "removed"
TAGS = {NEW: "NEW", CHANGED: "CHANGED", MOVED: "MOVED", REMOVED: "REMOVED"}
OUTLINE_GAP = 5.0
TAG_HEIGHT = 22.0


def mark_colour(theme: Theme, kind: str) -> QColor:
    """Green for new, amber for changed or moved, red for removed: the theme's readable band colours."""
    if kind == NEW:
        return QColor(theme.band_good)
    if kind == REMOVED:
        return QColor(theme.band_poor)
    return QColor(theme.band_fair)


def _font(px: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(max(1, round(px)))
    font.setBold(bold)
    return font


def paint_tag(painter: QPainter, left: float, top: float, text: str, colour: QColor, px: float = 12) -> None:
    """A filled pill with white capitals, e.g. NEW, with its top-left corner at (left, top)."""
    font = _font(px, bold=True)
    metrics = QFontMetricsF(font)
    height = TAG_HEIGHT * px / 12
    rect = QRectF(left, top, metrics.horizontalAdvance(text) + height * 0.9, height)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRoundedRect(rect, height / 2, height / 2)
    painter.setPen(QColor("#ffffff"))
    painter.setFont(font)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


def paint_channel_mark(
    painter: QPainter, card: QRectF, kind: str, theme: Theme, detail: str = "", size: float = 1.0
) -> None:
    """An outline around a card (in its own coordinates) and a tag above its top-left corner.

    `size` enlarges the outline and tag, for a map drawn small (the slide).
    """
    colour = mark_colour(theme, kind)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(colour, 3.0 * size))
    gap = OUTLINE_GAP * size
    outline = card.adjusted(-gap, -gap, gap, gap)
    painter.drawRoundedRect(outline, 10 + gap, 10 + gap)
    text = TAGS[kind] + (f" · {detail}" if detail else "")
    tag_height = TAG_HEIGHT * size
    paint_tag(painter, card.left() + 14, card.top() - tag_height / 2 - gap, text, colour, 12 * size)


def paint_ghost(painter: QPainter, card: QRectF, name: str, theme: Theme) -> None:
    """A removed channel: a faded, dashed card with its name struck through and a REMOVED tag."""
    colour = mark_colour(theme, REMOVED)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    fill = QColor(theme.channel_fill)
    fill.setAlphaF(0.55)
    pen = QPen(colour, 2.0)
    pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.setBrush(fill)
    painter.drawRoundedRect(card, 10, 10)
    font = _font(theme.name_px, bold=True)
    font.setStrikeOut(True)
    metrics = QFontMetricsF(font)
    text_rect = card.adjusted(20, 0, -14, 0)
    faded = QColor(theme.channel_subtext)
    painter.setPen(faded)
    painter.setFont(font)
    painter.drawText(
        text_rect,
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        metrics.elidedText(name, Qt.TextElideMode.ElideRight, text_rect.width()),
    )
    paint_tag(painter, card.left() + 14, card.top() - TAG_HEIGHT / 2, TAGS[REMOVED], colour)


def card_rect_of(channel: Channel) -> QRectF:
    """Where a channel's card sits in scene coordinates (as the scene places it)."""
    x = clamp_x(channel.layer, channel.x if channel.x is not None else 0.0)
    return QRectF(x, channel.y if channel.y is not None else 0.0, CHANNEL_WIDTH, CHANNEL_HEIGHT)


@dataclass(frozen=True)
class ChannelMarks:
    """Which channels of the `after` map are new, changed or moved, and which `before` channels are gone."""

    by_key: dict[str, tuple[str, str]]
    removed: tuple[Channel, ...]
    flows_added: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, result: Comparison, before: ArchitectureMap) -> ChannelMarks:
        marks: dict[str, tuple[str, str]] = {}
        for change in result.channels_changed:
            marks[fold(change.name)] = (CHANGED, "")
        for move in result.channels_moved:
            marks[fold(move.name)] = (MOVED, move.to_layer.capitalize())
        for name in result.channels_added:
            marks[fold(name)] = (NEW, "")
        removed = tuple(c for c in (before.channel_by_name(n) for n in result.channels_removed) if c)
        return cls(marks, removed, result.flows_added)

    def kind_of(self, channel: Channel) -> tuple[str, str] | None:
        return self.by_key.get(channel.key)


class _ChannelMarkItem(QGraphicsItem):
    """An outline and tag drawn around its parent card; it takes no clicks."""

    def __init__(self, parent: ChannelItem, kind: str, detail: str) -> None:
        super().__init__(parent)
        self.kind, self.detail = kind, detail
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(1)
        self._bounds = QRectF(-12, -TAG_HEIGHT - 12, CHANNEL_WIDTH + 24, CHANNEL_HEIGHT + TAG_HEIGHT + 24)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        parent = self.parentItem()
        theme = parent.theme if isinstance(parent, ChannelItem) else None
        if theme is not None:
            paint_channel_mark(
                painter, QRectF(0, 0, CHANNEL_WIDTH, CHANNEL_HEIGHT), self.kind, theme, self.detail
            )


class _GhostItem(QGraphicsItem):
    """A removed channel where it used to be, under the live cards."""

    def __init__(self, channel: Channel, theme: Theme) -> None:
        super().__init__()
        self.channel, self.theme = channel, theme
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(8)
        rect = card_rect_of(channel)
        self.setPos(rect.topLeft())
        self.setToolTip(f"<b>{channel.name}</b> was removed ({channel.layer.title})")

    def boundingRect(self) -> QRectF:
        return QRectF(-4, -TAG_HEIGHT, CHANNEL_WIDTH + 8, CHANNEL_HEIGHT + TAG_HEIGHT + 4)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        paint_ghost(painter, QRectF(0, 0, CHANNEL_WIDTH, CHANNEL_HEIGHT), self.channel.name, self.theme)


class CompareOverlay(QObject):
    """Marks on `scene` what changed between `before` and the scene's live map, until `remove()`."""

    def __init__(self, scene: MapScene, before: ArchitectureMap, label: str) -> None:
        super().__init__(scene)
        self.scene = scene
        self.before = before
        self.label = label
        self.marks: ChannelMarks | None = None
        self.result: Comparison | None = None
        self._items: list[QGraphicsItem] = []
        scene.session.changed.connect(self.refresh)
        self.refresh()

    def refresh(self, _change: object = None) -> None:
        """Compare again and redraw every mark (after each edit, undo or redo)."""
        self._clear()
        arch = self.scene.session.map
        self.result = compare(self.before, arch)
        self.marks = ChannelMarks.of(self.result, self.before)
        theme = self.scene.theme
        for cid, item in self.scene.channel_items.items():
            found = self.marks.kind_of(arch.channel(cid)) if arch.has_channel(cid) else None
            if found is not None:
                self._items.append(_ChannelMarkItem(item, *found))
        for channel in self.marks.removed:
            ghost = _GhostItem(channel, theme)
            self.scene.addItem(ghost)
            self._items.append(ghost)
        traces = [(pair, NEW) for pair in self.marks.flows_added]
        traces += [((f.source, f.target), CHANGED) for f in self.result.flows_changed]
        for (source_name, target_name), kind in traces:
            trace = self._flow_trace(source_name, target_name, kind, theme)
            if trace is not None:
                self._items.append(trace)

    def _flow_trace(
        self, source_name: str, target_name: str, kind: str, theme: Theme
    ) -> QGraphicsPathItem | None:
        arch = self.scene.session.map
        source, target = arch.channel_by_name(source_name), arch.channel_by_name(target_name)
        flow_item = self.scene.flow_items.get((source.id, target.id)) if source and target else None
        if flow_item is None:
            return None
        outline = flow_trace_path(flow_item.mapToScene(flow_item.path()))
        colour = mark_colour(theme, kind)
        colour.setAlphaF(0.42)
        trace = QGraphicsPathItem(outline)
        trace.setPen(Qt.PenStyle.NoPen)
        trace.setBrush(colour)
        trace.setZValue(4)
        trace.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        what = "New flow" if kind == NEW else "Flow changed"
        trace.setToolTip(f"{what} since {self.label}: {source_name} → {target_name}")
        self.scene.addItem(trace)
        return trace

    def marked(self) -> dict[str, str]:
        """The kind of mark on each live channel id, and `removed:<name>` for each ghost (for tests)."""
        result: dict[str, str] = {}
        for item in self._items:
            if isinstance(item, _ChannelMarkItem) and shiboken6.isValid(item):
                parent = item.parentItem()
                if isinstance(parent, ChannelItem):
                    result[parent.channel.id] = item.kind
            elif isinstance(item, _GhostItem):
                result[f"removed:{item.channel.name}"] = REMOVED
        return result

    def _clear(self) -> None:
        for item in self._items:
            if not shiboken6.isValid(item):
                continue
            if item.parentItem() is not None:
                item.setParentItem(None)  # type: ignore[arg-type]  # Qt takes None: no parent
            if item.scene() is self.scene:
                self.scene.removeItem(item)
        self._items.clear()

    def remove(self) -> None:
        """Take every mark off the canvas and stop following the map."""
        try:
            self.scene.session.changed.disconnect(self.refresh)
        except (RuntimeError, TypeError):
            pass
        if shiboken6.isValid(self.scene):
            self._clear()
        self._items.clear()
        self.deleteLater()


def flow_trace_path(path: QPainterPath, width: float = 11.0) -> QPainterPath:
    """The wide outline of a flow's path, as the overlay and the slide highlight new flows."""
    stroker = QPainterPathStroker()
    stroker.setWidth(width)
    stroker.setCapStyle(Qt.PenCapStyle.RoundCap)
    return stroker.createStroke(path)
