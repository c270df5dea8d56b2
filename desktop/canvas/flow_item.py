"""`FlowItem`: an arrow between two channel cards; a flow back to an earlier lane is a return arc.

As in orange-canvas-core's link item: the path is recomputed only in
`adjust()` (after `prepareGeometryChange()`), `boundingRect` is cached, and
`shape()` is widened with a stroker so a thin arrow is easy to click.

An arrow is a plain `QGraphicsItem`, not a `QGraphicsObject`: it needs no
signals or object name, and PySide6 builds a QObject-backed item about four
times slower; nor does it override `itemChange`, which Qt calls from C++ for
every flag and scene change. The scene tells it when to move (`adjust`) and
when its rule box can look for a free spot (`place_label`).

Why the geometry is plain Python arithmetic: a map opens with two arrows per
card and a drag re-lays out every arrow of the moved card, so each Qt call
saved here is saved thousands of times. The curve is one cubic whose control
points are known, so its bounds, its end tangent and the points where a rule
box may sit are computed directly; the click shape (a stroked outline, the
costliest part) is built only when Qt first asks for it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

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
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from desktop.canvas import routes
from desktop.canvas.card_index import CardIndex
from desktop.canvas.channel_item import ChannelItem
from desktop.canvas.line_index import SPACING, LineIndex
from desktop.canvas.theme import Theme
from desktop.domain.layout import CHANNEL_HEIGHT, CHANNEL_WIDTH, LANE_HEADER
from desktop.domain.model import Flow

ARROW = 11.0
LABEL_STEPS = (0.5, *(0.5 + sign * k / 64 for k in range(1, 29) for sign in (-1, 1)))
LINE_CHECKS = 1000  # spots checked against the lines and boxes around them, per box, before settling
NEAR = 6 * CHANNEL_HEIGHT  # an arrow this tall or less finds the cards around its rule box in one query
MARGIN = 8.0  # around the curve's control points: half the click stroke (6) and the selected pen
NO_PEN = Qt.PenStyle.NoPen
NO_BRUSH = Qt.BrushStyle.NoBrush
ANTIALIASING = QPainter.RenderHint.Antialiasing
CENTRE = Qt.AlignmentFlag.AlignCenter


class FlowItem(QGraphicsItem):
    """A flow arrow between two cards."""

    def __init__(self, flow: Flow, source: ChannelItem, target: ChannelItem, theme: Theme) -> None:
        super().__init__()
        self.flow = flow
        self.source = source
        self.target = target
        self.theme = theme
        self.is_return = False
        self._curve: tuple[float, ...] = (0.0,) * 8  # start, two control points, end
        self._path = QPainterPath()
        self._arrow = QPolygonF()
        self._label_rect = QRectF()
        self._label_shown = ""  # the rule as drawn: elided to the box
        self._bounds = QRectF()
        self._shape: QPainterPath | None = None  # built on first use (clicks, rubber bands)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(5)
        source.flows.add(self)
        target.flows.add(self)  # laid out by the scene once added (`adjust`): routes and boxes need it

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
        lines = self._lines()
        if lines is not None:
            lines.remove(self)

    def _lines(self) -> LineIndex | None:
        return getattr(self.scene(), "line_index", None)

    def index_line(self) -> None:
        """Tell the scene's line index where this arrow runs (the scene calls it once the arrow is in)."""
        lines = self._lines()
        if lines is not None:
            lines.put_line(self, self._samples())

    def _samples(self) -> list[tuple[float, float]]:
        """Points along the line, closer together than a rule box is tall, and the head's corners."""
        c = self._curve
        count = (len(c) - 2) // 6
        points: list[tuple[float, float]] = []
        for i in range(count):  # each cubic sampled by its own length: a long straight run needs more
            seg = c[6 * i : 6 * i + 8]
            span = sum(math.hypot(seg[j + 2] - seg[j], seg[j + 3] - seg[j + 1]) for j in (0, 2, 4))
            steps = max(2, int(span / SPACING) + 1)
            points += [self._point((i + k / steps) / count) for k in range(steps + 1)]
        return points + self._head_points()

    def _head_points(self) -> list[tuple[float, float]]:
        corners = [(p.x(), p.y()) for p in self._arrow]  # type: ignore[attr-defined]  # a QPolygonF iterates
        if not corners:
            return []
        cx = sum(x for x, _ in corners) / len(corners)
        cy = sum(y for _, y in corners) / len(corners)
        return [*corners, (cx, cy)]

    def label_text(self) -> str:
        """What the box on the arrow says: the rule, the label, or both."""
        return " · ".join(v for v in (self.flow.rule.strip(), self.flow.label.strip()) if v)

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
        a = self.source.pos()
        b = self.target.pos()
        ax, ay, bx, by = a.x(), a.y(), b.x(), b.y()
        self.is_return = bx + CHANNEL_WIDTH / 2 < ax
        if bx >= ax + CHANNEL_WIDTH * 0.75:  # forward, to a lane on the right
            sx, sy = ax + CHANNEL_WIDTH, ay + CHANNEL_HEIGHT / 2
            ex, ey = bx - 2, by + CHANNEL_HEIGHT / 2
            dx = max(40.0, (ex - sx) / 2)
            curve: tuple[float, ...] = (sx, sy, sx + dx, sy, ex - dx, ey, ex, ey)
            if self._runs_behind_a_card(curve):
                curve = self._row_gap_route(sx, sy, ex, ey, ay)
        elif self.is_return:  # back to an earlier lane: around the cards, along the lanes' bottom
            curve = self._return_route(ax, ay, bx, by)
            sx, sy, ex, ey = curve[0], curve[1], curve[-2], curve[-1]
        else:  # the same lane: a loop out to the right
            sx, sy = ax + CHANNEL_WIDTH, ay + CHANNEL_HEIGHT / 2
            ex, ey = bx + CHANNEL_WIDTH + 2, by + CHANNEL_HEIGHT / 2
            bulge = min(56.0, 46.0 + 0.1 * abs(ey - sy))  # stays in the gap before the next lane
            curve = (sx, sy, sx + bulge, sy, ex + bulge, ey, ex, ey)
        self._curve = curve
        path = QPainterPath(QPointF(sx, sy))
        for i in range(2, len(curve) - 2, 6):
            path.cubicTo(*curve[i : i + 6])
        self._path = path
        # The arrow points along the curve's end tangent (end minus the last control point).
        tx, ty = ex - curve[-4], ey - curve[-3]
        if tx == 0.0 and ty == 0.0:
            tx, ty = ex - curve[-6], ey - curve[-5]
        length = math.hypot(tx, ty) or 1.0
        ux, uy = tx / length, ty / length
        size = ARROW * max(1.0, self.theme.flow_width / 1.6)
        base_x, base_y = ex - ux * size, ey - uy * size
        half = size / 2
        self._arrow = QPolygonF(
            [
                QPointF(ex, ey),
                QPointF(base_x - uy * half, base_y + ux * half),
                QPointF(base_x + uy * half, base_y - ux * half),
            ]
        )
        self.index_line()
        self._place_label()

    def place_label(self) -> None:
        """Place the rule box again on the same path: the scene calls it once every card is in."""
        self.prepareGeometryChange()
        self._place_label()

    def _place_label(self) -> None:
        text = "" if getattr(self.scene(), "building", False) else self.label_text()
        if text:  # while a map is built, boxes wait: the scene places them once every card is in
            width, height, self._label_shown = _label_layout(self.theme.rule_px, text)
            self._label_rect = self._free_label_rect(width, height)
        else:
            self._label_rect = QRectF()
            self._label_shown = ""
        lines = self._lines()
        if lines is not None:
            box = self._label_rect
            lines.put_box(self, None if box.isNull() else (box.left(), box.top(), box.right(), box.bottom()))
        xs = self._curve[0::2]
        ys = self._curve[1::2]
        bounds = QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)).adjusted(
            -MARGIN, -MARGIN, MARGIN, MARGIN
        )
        if not self._label_rect.isNull():
            bounds = bounds.united(self._label_rect.adjusted(-2, -2, 2, 2))
        self._bounds = bounds
        self._shape = None

    def _runs_behind_a_card(self, curve: tuple[float, ...]) -> bool:
        """In present mode's grid (lanes wrapped into columns): whether a plain curve would pass behind a
        card other than its two ends."""
        scene = self.scene()
        index: CardIndex | None = getattr(scene, "card_index", None)
        if index is None or getattr(scene, "grid", None) is None:
            return False
        xs, ys = curve[0::2], curve[1::2]
        ends = {self.source.pos().toTuple(), self.target.pos().toTuple()}
        boxes = [b for b in index.boxes_near(min(xs), min(ys), max(xs), max(ys)) if b[:2] not in ends]
        return routes.runs_behind(curve, boxes)

    def _row_gap_route(self, sx: float, sy: float, ex: float, ey: float, ay: float) -> tuple[float, ...]:
        return routes.row_gap_route(sx, sy, ex, ey, ay, (self.flow.ord % 3 - 1) * 4.0)

    def _return_route(self, ax: float, ay: float, bx: float, by: float) -> tuple[float, ...]:
        scene = self.scene()
        lanes = getattr(scene, "lanes", None)
        bottom = max(lane.boundingRect().height() for lane in lanes.values()) if lanes else None
        index: CardIndex | None = getattr(scene, "card_index", None)
        grid = getattr(scene, "grid", None)  # present mode's grid fits a screen: runs along its bottom
        has_card = index.any_in if index is not None and grid is None else None
        return routes.return_route(ax, ay, bx, by, (self.flow.ord % 3) * 8.0, bottom, has_card)

    def _point(self, t: float) -> tuple[float, float]:
        """The path's point at parameter t (de Casteljau's cubic, in Python: cheaper than a Qt call); a
        path of several cubics gives each an equal share of t."""
        count = (len(self._curve) - 2) // 6
        i = min(int(t * count), count - 1)
        t = t * count - i
        x0, y0, x1, y1, x2, y2, x3, y3 = self._curve[6 * i : 6 * i + 8]
        s = 1.0 - t
        a, b, c, d = s * s * s, 3 * s * s * t, 3 * s * t * t, t * t * t
        return a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3

    def _free_label_rect(self, width: float, height: float) -> QRectF:
        """The rule box on the path, as near its middle as it can sit without covering a card."""
        index: CardIndex | None = getattr(self.scene(), "card_index", None)
        half_w, half_h = width / 2, height / 2
        if index is None or getattr(self.scene(), "building", False):
            x, y = self._point(0.5)
            return QRectF(x - half_w, y - half_h, width, height)
        # A short arrow gets the cards around it once and tries every spot against those; a tall
        # one (a return arc passes hundreds of cards) asks the index once per spot instead.
        xs, ys = self._curve[0::2], self._curve[1::2]
        top, bottom = min(ys) - half_h, max(ys) + half_h
        near = (
            index.boxes_near(min(xs) - half_w, top, max(xs) + half_w, bottom)
            if bottom - top <= NEAR
            else None
        )
        # A workshop-sized map (the scene keeps a line index) gets the careful search: boxes kept an
        # arrowhead's length from every card's sides (where heads sit) and clear of other lines and
        # boxes; a big map keeps the fast one, clear of cards only.
        careful = self._lines() is not None
        pad = ARROW * max(1.0, self.theme.flow_width / 1.6) + 2 if careful else 0.0
        checks = LINE_CHECKS if careful else 0
        badge = 14.0 if careful else 2.0  # a card's findings badge stands this far above its top-right corner
        fallback: QRectF | None = None
        lanes = getattr(self.scene(), "lanes", None)
        floor = max(lane.boundingRect().height() for lane in lanes.values()) if lanes else math.inf
        for x, y, on_path in self._label_spots(half_w, half_h, careful):
            x0, y0, x1, y1 = x - half_w, y - half_h, x + half_w, y + half_h
            if careful and (y0 < LANE_HEADER - 8 or y1 > floor):  # the header's rule is at LANE_HEADER - 8
                continue  # not over the lane headers, nor below the lanes
            cards = (
                near
                if near is not None and on_path
                else index.boxes_near(x0 - pad, y0 - 2, x1 + pad, y1 + badge)
            )
            if any(
                (x0 < cx1 + pad and cx0 - pad < x1 and y0 < cy1 + 2 and cy0 - 2 < y1)
                or (x0 < cx1 and cx1 - 32 < x1 and y0 < cy0 and cy0 - badge < y1)  # a findings badge
                for cx0, cy0, cx1, cy1 in cards
            ):
                continue
            rect = QRectF(x0, y0, width, height)
            if checks <= 0:
                return fallback or rect
            checks -= 1
            if not self._hides_an_arrow(rect):
                return rect
            fallback = fallback or rect
        if fallback is not None:
            return fallback
        x, y = self._point(0.5)
        return QRectF(x - half_w, y - half_h, width, height)

    def _label_spots(
        self, half_w: float, half_h: float, careful: bool
    ) -> Iterator[tuple[float, float, bool]]:
        """Where a rule box may go, best first: on the path near its middle; on a small map also just
        above or below it, then into the row gaps beside it (two cards on one row leave no room between)."""
        for step in LABEL_STEPS:
            yield (*self._point(step), True)
        if not careful:
            return
        clear = CHANNEL_HEIGHT / 2 + half_h + 3  # from a card's middle into the gap above or below it
        for offset in (-(half_h + 8), half_h + 8, -clear, clear):
            for step in LABEL_STEPS[:15]:
                x, y = self._point(step)
                yield x, y + offset, False
        for step in (0.5, 0.35, 0.65, 0.2, 0.8, 0.1, 0.9):
            px, py = self._point(step)
            for dy in range(-int(clear + 30), int(clear + 31), 10):
                for dx in (0.0, -half_w / 2, half_w / 2, -half_w - 4, half_w + 4, -2 * half_w, 2 * half_w):
                    yield px + dx, py + dy, False

    def _hides_an_arrow(self, rect: QRectF) -> bool:
        """Whether a rule box here would cover another arrow's line or box, or any arrow's head (its own too)."""
        lines = self._lines()
        if lines is None:
            return False
        grown = (rect.left() - 3, rect.top() - 3, rect.right() + 3, rect.bottom() + 3)
        return lines.blocked(grown, self, self._head_points())

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        if self._shape is None:
            stroker = QPainterPathStroker()
            stroker.setWidth(12)
            shape = stroker.createStroke(self._path)
            shape.addPolygon(self._arrow)
            if not self._label_rect.isNull():
                shape.addRect(self._label_rect)
            self._shape = shape
        return self._shape

    def path(self) -> QPainterPath:
        return self._path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        pen, brush = _pen_and_brush(self.theme, self.isSelected(), self.is_return)
        painter.setRenderHint(ANTIALIASING)
        painter.setPen(pen)
        painter.setBrush(NO_BRUSH)
        painter.drawPath(self._path)
        painter.setPen(NO_PEN)
        painter.setBrush(brush)
        painter.drawPolygon(self._arrow)

    def arrow_polygon(self) -> QPolygonF:
        """The arrowhead, in scene coordinates."""
        return QPolygonF(self._arrow)

    def label_rect(self) -> QRectF:
        """Where the rule (or label) box sits, in scene coordinates; null when the flow has none."""
        return QRectF(self._label_rect)

    def has_label(self) -> bool:
        return not self._label_rect.isNull()

    def paint_label(self, painter: QPainter) -> None:
        """Paint the rule box in scene coordinates. The scene calls it above the cards so rules stay readable.

        The caller saves and restores the painter around all the boxes it paints (MapScene.drawForeground).
        """
        if self._label_rect.isNull():
            return
        t = self.theme
        box_pen, fill, text_pen, font = _label_style(t, self.isSelected(), self.is_return)
        painter.setRenderHint(ANTIALIASING)
        painter.setPen(box_pen)
        painter.setBrush(fill)
        painter.drawRoundedRect(self._label_rect, 6, 6)
        painter.setPen(text_pen)
        painter.setFont(font)
        painter.drawText(self._label_rect, CENTRE, self._label_shown)


# --- shared drawing tools (one per theme and state, not one per arrow and paint) -------------------
_PENS: dict[tuple[int, bool, bool], tuple[QPen, QBrush, Theme]] = {}
_LABEL_STYLES: dict[tuple[int, bool, bool], tuple[QPen, QBrush, QPen, QFont, Theme]] = {}
_LABEL_FONTS: dict[int, tuple[QFont, QFontMetricsF]] = {}


def _flow_colour(theme: Theme, selected: bool, is_return: bool) -> QColor:
    return QColor(theme.selection if selected else (theme.return_flow if is_return else theme.flow))


def _pen_and_brush(theme: Theme, selected: bool, is_return: bool) -> tuple[QPen, QBrush]:
    key = (id(theme), selected, is_return)
    cached = _PENS.get(key)
    if cached is None or cached[2] is not theme:
        colour = _flow_colour(theme, selected, is_return)
        width = theme.return_width if is_return else theme.flow_width
        pen = QPen(colour, width * (1.8 if selected else 1.0))
        if is_return:
            pen.setStyle(Qt.PenStyle.DashLine)
        cached = _PENS[key] = (pen, QBrush(colour), theme)  # the theme is kept so its id stays unique
    return cached[0], cached[1]


def _label_style(theme: Theme, selected: bool, is_return: bool) -> tuple[QPen, QBrush, QPen, QFont]:
    key = (id(theme), selected, is_return)
    cached = _LABEL_STYLES.get(key)
    if cached is None or cached[4] is not theme:
        colour = _flow_colour(theme, selected, is_return)
        box_pen = QPen(colour, max(1.0, theme.flow_width / 2))
        font = _label_font(theme.rule_px)
        cached = (box_pen, QBrush(QColor(theme.rule_fill)), QPen(QColor(theme.rule_text)), font, theme)
        _LABEL_STYLES[key] = cached
    return cached[0], cached[1], cached[2], cached[3]


def _label_metrics(px: int) -> QFontMetricsF:
    cached = _LABEL_FONTS.get(px)
    if cached is None:
        font = QFont()
        font.setPixelSize(px)
        cached = _LABEL_FONTS[px] = (font, QFontMetricsF(font))
    return cached[1]


_LAYOUTS: dict[tuple[int, str], tuple[float, float, str]] = {}


def _label_layout(px: int, text: str) -> tuple[float, float, str]:
    """A rule box's width and height and its text as drawn (elided): rules repeat across a map."""
    key = (px, text)
    layout = _LAYOUTS.get(key)
    if layout is None:
        metrics = _label_metrics(px)
        width = min(metrics.horizontalAdvance(text), 220.0) + 14
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width - 10)
        layout = (width, metrics.height() + 6, shown)
        if len(_LAYOUTS) < 8192:
            _LAYOUTS[key] = layout
    return layout


def _label_font(px: int) -> QFont:
    _label_metrics(px)
    return _LABEL_FONTS[px][0]
