"""The coherence panel's pyqtgraph charts: one bar per component, and the score's history.

This is the only module that imports pyqtgraph, and the panel imports it only
when it first shows its charts, so `desktop.cli` and the window's start-up
never pay for pyqtgraph and numpy. Each chart is built once: every edit
updates the same `BarGraphItem`s, text items and `PlotDataItem` in place with
`setOpts`/`setData`, never a new plot.

Component bars are in points, on one scale: a pale track as long as the
component's weight, a filled bar of weight × value coloured by how much of the
weight is earned, and the drag as a negative bar to the left of zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont, QPen
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsItem

from desktop.domain import score_presentation
from desktop.domain.coherence import COMPONENTS, WEIGHTS, CoherenceReport, tenths

if TYPE_CHECKING:
    from desktop.ui.coherence_panel import PanelColours

pg.setConfigOptions(antialias=True)

COMPONENT_LABELS = score_presentation.COMPONENT_LABELS
ROWS: tuple[str, ...] = (*COMPONENTS, "drag")
BAR_HEIGHT = 0.58
VALUE_ROOM = 13.0
MINUS = "\u2212"


def _plot_widget(height: int) -> pg.PlotWidget:
    """A static chart: no mouse zoom, no context menu, no auto-range buttons."""
    widget = pg.PlotWidget()
    widget.setFixedHeight(height)
    policy = pg.QtWidgets.QSizePolicy.Policy
    widget.setSizePolicy(policy.Ignored, policy.Fixed)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    widget.setFrameShape(pg.QtWidgets.QFrame.Shape.NoFrame)
    plot = widget.getPlotItem()
    plot.hideButtons()
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(x=False, y=False)
    plot.getViewBox().setDefaultPadding(0.0)
    plot.layout.setContentsMargins(0, 0, 0, 0)
    plot.hideAxis("bottom")
    return widget


def _font(pixels: int, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(pixels)
    font.setBold(bold)
    return font


def _alpha(colour: str, alpha: float) -> QColor:
    result = QColor(colour)
    result.setAlphaF(alpha)
    return result


class ComponentChart:
    """Horizontal bars: each component's weight × value against its weight, and the drag below zero."""

    def __init__(self, colours: PanelColours, height: int) -> None:
        self.colours = colours
        self.widget = _plot_widget(height)
        self.widget.setObjectName("componentBars")
        self.widget.setAccessibleName("Component scores")
        plot = self.widget.getPlotItem()
        plot.invertY(True)
        axis = plot.getAxis("left")
        axis.setTicks([[(row, COMPONENT_LABELS.get(name, "Drag")) for row, name in enumerate(ROWS)], []])
        axis.setStyle(tickLength=0, tickAlpha=0, tickTextOffset=10, tickFont=_font(13))
        axis.setWidth(86)
        rows = np.arange(len(COMPONENTS), dtype=float)
        weights = np.array([WEIGHTS[name] for name in COMPONENTS])
        self.track = pg.BarGraphItem(x0=np.zeros(len(rows)), y=rows, height=BAR_HEIGHT, width=weights)
        self.bars = pg.BarGraphItem(
            x0=np.zeros(len(rows)), y=rows, height=BAR_HEIGHT, width=np.zeros(len(rows))
        )
        self.drag = pg.BarGraphItem(x0=[0.0], y=[float(len(COMPONENTS))], height=BAR_HEIGHT, width=[0.0])
        self.zero = pg.InfiniteLine(pos=0.0, angle=90, movable=False)
        for item in (self.track, self.bars, self.drag, self.zero):
            plot.addItem(item)
        self.labels: list[pg.TextItem] = []
        for row in range(len(ROWS)):
            label = pg.TextItem(anchor=(0.0, 0.5))
            label.setFont(_font(13))
            label.setPos(0.0, float(row))
            plot.addItem(label)
            self.labels.append(label)
        self._left = -5.0
        self._report: CoherenceReport | None = None
        plot.setYRange(-0.55, len(ROWS) - 0.45, padding=0)
        self._set_x_range(self._left)
        self.set_colours(colours)

    def _set_x_range(self, left: float) -> None:
        self.widget.getPlotItem().setXRange(left, max(WEIGHTS.values()) + VALUE_ROOM, padding=0)

    def set_colours(self, colours: PanelColours) -> None:
        self.colours = colours
        self.widget.setBackground(colours.background)
        axis = self.widget.getPlotItem().getAxis("left")
        axis.setTextPen(pg.mkPen(colours.text))
        axis.setPen(pg.mkPen(None))
        self.track.setOpts(brush=pg.mkBrush(colours.track), pen=pg.mkPen(None))
        self.drag.setOpts(brush=pg.mkBrush(colours.bad), pen=pg.mkPen(None))
        self.zero.setPen(pg.mkPen(colours.muted, width=1))
        for label in self.labels:
            label.setColor(colours.text)
        if self._report is not None:
            self.update(self._report)

    def update(self, report: CoherenceReport) -> None:
        """Show a report's components and drag: bars, texts and tooltip, all updated in place."""
        self._report = report
        points = [WEIGHTS[name] * report.components[name] for name in COMPONENTS]
        brushes = [pg.mkBrush(self.colours.ratio_colour(report.components[name])) for name in COMPONENTS]
        self.bars.setOpts(width=np.array(points), brushes=brushes, pen=pg.mkPen(None))
        self.drag.setOpts(x0=[-report.drag], width=[report.drag])
        lines = []
        for row, name in enumerate(COMPONENTS):
            text = f"{tenths(points[row])} / {WEIGHTS[name]:g}"
            self.labels[row].setText(text)
            self.labels[row].setPos(WEIGHTS[name] + 0.6, float(row))
            lines.append(
                f"{COMPONENT_LABELS.get(name, name.title())}: {text} points ({report.components[name]:.0%})"
            )
        drag_text = f"{MINUS}{tenths(report.drag)}" if report.drag else "0.0"
        self.labels[-1].setText(drag_text)
        self.labels[-1].setPos(0.6, float(len(COMPONENTS)))
        lines.append(f"Drag (orphans and duplicates): {drag_text} points")
        left = -max(5.0, 5.0 * math.ceil(report.drag / 5.0))
        if left != self._left:
            self._left = left
            self._set_x_range(left)
        summary = "\n".join(lines)
        self.widget.setToolTip(summary)
        self.widget.setAccessibleDescription(summary)

    def values(self) -> list[float]:
        """The points each component bar shows, in component order (from the bar item itself)."""
        return [float(v) for v in self.bars.opts["width"]]

    def drag_value(self) -> float:
        return float(self.drag.opts["width"][0])

    def texts(self) -> list[str]:
        return [label.toPlainText() for label in self.labels]


class HistoryChart:
    """The score after each edit, as a line over the last `window` points, with the bands' floors."""

    def __init__(self, colours: PanelColours, height: int = 92) -> None:
        self.widget = _plot_widget(height)
        self.widget.setObjectName("scoreHistory")
        self.widget.setAccessibleName("Score history")
        plot = self.widget.getPlotItem()
        axis = plot.getAxis("left")
        axis.setTicks([[(0, "0"), (50, "50"), (100, "100")], []])
        axis.setStyle(tickLength=0, tickAlpha=0, tickTextOffset=4, tickFont=_font(10))
        axis.setWidth(26)
        self.guides = [
            pg.InfiniteLine(pos=level, angle=0, movable=False) for level in score_presentation.GUIDES
        ]
        for guide in self.guides:
            plot.addItem(guide)
        self.line = pg.PlotDataItem([], [], fillLevel=0.0)
        # The newest score as a dot 8 px wide at any zoom. A plain ellipse item, moved with setPos:
        # a ScatterPlotItem rebuilds its symbol atlas on every setData, a fifth of an edit's time.
        self.last = QGraphicsEllipseItem(-4.0, -4.0, 8.0, 8.0)
        self.last.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.last.setZValue(10)
        self.last.hide()
        self._x_range: tuple[float, float] | None = None
        # Scores of contract 1 before the map was first scored by contract 2: their own line, never
        # joined to the v2 points, and a marker where v2 began (the numbers are not comparable).
        self.old_line = pg.PlotDataItem([], [])
        self.v2_start: float | None = None
        self.v2_marker = pg.InfiniteLine(pos=0.0, angle=90, movable=False, label="v2")
        self.v2_marker.setToolTip(
            "The score follows contract 2 from here (docs/score.md); earlier points are v1"
        )
        self.v2_marker.hide()
        plot.addItem(self.old_line)
        plot.addItem(self.v2_marker)
        plot.addItem(self.line)
        plot.addItem(self.last)
        plot.setYRange(-7, 107, padding=0)
        # The points to draw on the next turn of the event loop (drawing them inside an edit costs
        # that edit a fifth of a millisecond on a busy map); reading the chart draws them first.
        self._pending: tuple[list[float], list[float]] | None = None
        self.set_colours(colours)

    def set_colours(self, colours: PanelColours) -> None:
        self.colours = colours
        self.widget.setBackground(colours.background)
        axis = self.widget.getPlotItem().getAxis("left")
        axis.setTextPen(pg.mkPen(colours.muted))
        axis.setPen(pg.mkPen(None))
        for guide in self.guides:
            guide.setPen(pg.mkPen(_alpha(colours.muted, 0.45), width=1, style=Qt.PenStyle.DashLine))
        self.line.setPen(pg.mkPen(colours.accent, width=2))
        self.line.setFillBrush(pg.mkBrush(_alpha(colours.accent, 0.14)))
        self.last.setBrush(QBrush(QColor(colours.accent)))
        self.last.setPen(QPen(QColor(colours.background), 2))
        self.old_line.setPen(pg.mkPen(colours.muted, width=1.5, style=Qt.PenStyle.DotLine))
        self.v2_marker.setPen(pg.mkPen(colours.muted, width=1, style=Qt.PenStyle.DashLine))
        self.v2_marker.label.setColor(colours.muted)

    def set_v2_start(self, x: float | None) -> None:
        """Where contract 2 began on this map's history (None: every point shown is v2, or every one v1)."""
        self.v2_start = x
        if x is None:
            self.v2_marker.hide()
            self.old_line.setData([], [])
        else:
            self.v2_marker.setValue(x - 0.5)
            self.v2_marker.show()

    def set_points(self, xs: Sequence[float], ys: Sequence[float]) -> None:
        """Show these points (x: the edit's number in the file's history) from the next turn of the
        event loop, before the chart is painted: several edits in one turn draw once."""
        if self._pending is None:
            QTimer.singleShot(0, self.widget, self.flush)
        self._pending = (list(xs), list(ys))

    def flush(self) -> None:
        """Draw the points set since the last drawing, if any."""
        if self._pending is not None:
            xs, ys = self._pending
            self._pending = None
            self._draw(xs, ys)

    def _draw(self, xs: Sequence[float], ys: Sequence[float]) -> None:
        x = np.asarray(xs, dtype=float)
        y = np.asarray(ys, dtype=float)
        start = self.v2_start
        if start is not None and len(x) and x[0] < start:
            old = x < start
            self.old_line.setData(x[old], y[old])
            self.line.setData(x[~old], y[~old])
        else:
            if start is not None:
                self.old_line.setData([], [])
            self.line.setData(x, y)
        if len(x):
            self.last.setPos(float(x[-1]), float(y[-1]))
            self.last.show()
            low, high = float(x[0]), float(x[-1])
            if high - low < 4:
                high = low + 4
            span = high - low
            x_range = (low - span * 0.02, high + span * 0.05)
            if x_range != self._x_range:  # an axis relayout: only when the range moves
                self._x_range = x_range
                self.widget.getPlotItem().setXRange(*x_range, padding=0)
        else:
            self.last.hide()
        described = f"{len(x)} points, last {y[-1]:.1f}" if len(x) else "no edits yet"
        self.widget.setAccessibleDescription(f"Score after each edit: {described}")

    def points(self) -> tuple[list[float], list[float]]:
        """The plotted (x, y), read from the line items (v1 points first)."""
        self.flush()
        xs: list[float] = []
        ys: list[float] = []
        for item in (self.old_line, self.line):
            x, y = item.getData()
            if x is not None:
                xs += [float(v) for v in x]
                ys += [float(v) for v in y]
        return xs, ys

    def lines(self) -> list[list[float]]:
        """The x of each separately drawn line (v1, then v2): a line is never joined across contracts."""
        self.flush()
        found = []
        for item in (self.old_line, self.line):
            x, _y = item.getData()
            if x is not None and len(x):
                found.append([float(v) for v in x])
        return found
