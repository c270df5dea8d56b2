"""The bare-Qt baselines: what Qt itself costs for the same work, with no app code.

Each figure of `make bench` is a ratio to one of these, measured in the same
run, because a shared machine's speed changes from minute to minute. A bare
scene is what a developer would write first: stock C++ items (a rounded box
path, two texts, a cubic curve per flow), no Python subclasses, no model, no
file, no score. This module imports only Qt and the standard library at the
top, so that `python -m bench.bare_qt start` is an honest bare process.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QMainWindow,
)

if TYPE_CHECKING:
    from desktop.domain.model import ArchitectureMap

BOX_W, BOX_H, LANE_W = 300.0, 72.0, 380.0
VIEW_SIZE = (1180, 860)  # about the canvas of the 1600×960 window once the docks are in


@dataclass
class BareBox:
    item: QGraphicsPathItem
    curves: list[tuple[QGraphicsPathItem, BareBox, BareBox]] = field(default_factory=list)


def curve(a: QPointF, b: QPointF) -> QPainterPath:
    """The same cubic a forward flow draws, from the right edge of one box to the left edge of another."""
    start = QPointF(a.x() + BOX_W, a.y() + BOX_H / 2)
    end = QPointF(b.x(), b.y() + BOX_H / 2)
    dx = max(40.0, abs(end.x() - start.x()) / 2)
    path = QPainterPath(start)
    path.cubicTo(QPointF(start.x() + dx, start.y()), QPointF(end.x() - dx, end.y()), end)
    return path


def bare_scene(
    boxes: list[tuple[str, str, str, float, float]], links: list[tuple[str, str]]
) -> tuple[QGraphicsScene, dict[str, BareBox]]:
    """A scene of rounded boxes (id, name, subtitle, x, y) with two texts each, and one curve per link."""
    scene = QGraphicsScene()
    scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
    box_path = QPainterPath()
    box_path.addRoundedRect(QRectF(0, 0, BOX_W, BOX_H), 10, 10)
    pen, brush = QPen(QColor("#cbd5e1"), 1.5), QBrush(QColor("#ffffff"))
    name_font, sub_font = QFont(), QFont()
    name_font.setPixelSize(16)
    name_font.setBold(True)
    sub_font.setPixelSize(13)
    height = max((y for *_, y in boxes), default=0.0) + 200
    for i in range(4):
        lane = scene.addRect(
            QRectF(i * LANE_W, 0, LANE_W, height), QPen(QColor("#e2e8f0")), QColor("#f8fafc")
        )
        lane.setZValue(-10)
    items: dict[str, BareBox] = {}
    for key, name, subtitle, x, y in boxes:
        box = QGraphicsPathItem(box_path)
        box.setPen(pen)
        box.setBrush(brush)
        box.setPos(x, y)
        box.setZValue(10)
        box.setFlag(QGraphicsPathItem.GraphicsItemFlag.ItemIsMovable)
        box.setFlag(QGraphicsPathItem.GraphicsItemFlag.ItemIsSelectable)
        title = QGraphicsSimpleTextItem(name, box)
        title.setFont(name_font)
        title.setPos(20, 14)
        sub = QGraphicsSimpleTextItem(subtitle, box)
        sub.setFont(sub_font)
        sub.setPos(20, 40)
        scene.addItem(box)
        items[key] = BareBox(box)
    flow_pen = QPen(QColor("#64748b"), 1.6)
    for source, target in links:
        a, b = items[source], items[target]
        line = QGraphicsPathItem(curve(a.item.pos(), b.item.pos()))
        line.setPen(flow_pen)
        line.setZValue(5)
        scene.addItem(line)
        a.curves.append((line, a, b))
        b.curves.append((line, a, b))
    return scene, items


def scene_of_map(arch: ArchitectureMap) -> tuple[QGraphicsScene, dict[str, BareBox]]:
    """The bare scene of the same boxes and curves as a map (names, tools, positions, flows)."""
    boxes = [(c.id, c.name, c.tool or c.function, c.x or 0.0, c.y or 0.0) for c in arch.iter_channels()]
    return bare_scene(boxes, [f.pair for f in arch.flows])


def bare_view(scene: QGraphicsScene | None = None) -> QGraphicsView:
    """A stock view with the canvas's render hints and size."""
    view = QGraphicsView(scene)
    view.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    view.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
    view.resize(*VIEW_SIZE)
    return view


def move_box(box: BareBox, pos: QPointF) -> None:
    """The bare drag step's model work: the box moves, its curves follow."""
    box.item.setPos(pos)
    for line, a, b in box.curves:
        line.setPath(curve(a.item.pos(), b.item.pos()))


def sample_boxes() -> tuple[list[tuple[str, str, str, float, float]], list[tuple[str, str]]]:
    """Twenty boxes in four lanes, each linked to two in the next lane: the size of the sample map."""
    boxes = [
        (f"b{i}", f"Channel {i}", "Tool", (i % 4) * LANE_W + 40, 120 + (i // 4) * 100.0) for i in range(20)
    ]
    links = [(f"b{i}", f"b{j}") for i in range(16) for j in (i + 1, i + 5) if j < 20]
    return boxes, links


def start() -> int:
    """A bare process: a QMainWindow with a QGraphicsView of the sample's size; quits after its first paint."""
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1600, 960)
    scene, _ = bare_scene(*sample_boxes())
    view = bare_view(scene)
    window.setCentralWidget(view)
    window.show()
    view.fitInView(scene.itemsBoundingRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def done() -> None:
        print("first-paint", flush=True)
        QTimer.singleShot(0, app.quit)  # once this paint cycle has reached the screen

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() != QEvent.Type.Paint:
                return False
            watched.removeEventFilter(self)
            QCoreApplication.sendEvent(watched, event)  # paint now, then say so
            done()
            return True

    view.viewport().installEventFilter(FirstPaint(view.viewport()))
    return app.exec()


def hold(channels: int) -> int:
    """A bare process holding a scene of `channels` boxes (2 curves each) in a painted window: the memory baseline."""
    from bench.maps import make_map

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1600, 960)
    scene, _ = scene_of_map(make_map(channels))
    view = bare_view(scene)
    window.setCentralWidget(view)
    window.show()
    view.fitInView(scene.itemsBoundingRect(), Qt.AspectRatioMode.KeepAspectRatio)
    app.processEvents()
    view.viewport().repaint()
    print("first-paint", flush=True)
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["start"]:
        sys.exit(start())
    if sys.argv[1:2] == ["hold"]:
        sys.exit(hold(int(sys.argv[2])))
    sys.exit("usage: python -m bench.bare_qt start | hold CHANNELS")
