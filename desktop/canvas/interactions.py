"""Gestures on the canvas as objects: the scene offers each mouse event to the active one first.

As orange-canvas-core's `interactions.py` does: instead of a switch on a mode
(and cards calling the scene back), a gesture in progress is an `Interaction`
with its own state. The scene starts one on a mouse press (`MapScene.begin`),
gives it every move and the release before the items see them, and forgets it
when it ends. Each gesture's result is one edit through the source's
`perform` (the document's one door), so it is one undo step:

- `DragCards`: the selected cards follow the mouse, snapped; one move on release;
- `DrawFlow`: a dashed arrow from a card's handle; a flow when it ends on a card;
- `RubberBand`: a rectangle from empty canvas selects what it touches;
- `PaletteDrop`: catalog entries dropped from the palette become channels;
- `connect_channels`: a flow between two channels (drawn, or Edit → Connect).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSceneDragDropEvent,
    QGraphicsSceneMouseEvent,
)

from desktop.canvas import mime
from desktop.canvas.channel_item import MOVABLE, ChannelItem
from desktop.domain import operations as ops
from desktop.domain.catalog import default_catalog
from desktop.domain.edits import AddChannel, Edit, UpdateChannel
from desktop.domain.layout import CHANNEL_HEIGHT, CHANNEL_WIDTH, lane_of_x, snap

if TYPE_CHECKING:
    from desktop.canvas.scene import MapScene

LEFT = Qt.MouseButton.LeftButton


class Interaction:
    """A gesture in progress. Each handler returns True when it used the event (the items never see it)."""

    def __init__(self, scene: MapScene) -> None:
        self.scene = scene

    def mouse_move(self, event: QGraphicsSceneMouseEvent) -> bool:
        return False

    def mouse_release(self, event: QGraphicsSceneMouseEvent) -> bool:
        return False

    def cancel(self) -> None:
        """Stop without an edit (the map was reloaded under the gesture, or another one began)."""

    def end(self) -> None:
        self.scene.end(self)


class DragCards(Interaction):
    """Cards dragged by a card: every selected card moves by the mouse's travel, snapped; one move."""

    def __init__(self, scene: MapScene, grabbed: ChannelItem) -> None:
        super().__init__(scene)
        self.grabbed = grabbed
        self.starts: dict[ChannelItem, QPointF] | None = None  # set by the first move

    def mouse_move(self, event: QGraphicsSceneMouseEvent) -> bool:
        if not event.buttons() & LEFT:
            return False
        scene = self.scene
        if self.starts is None:  # the first move of this drag: where every dragged card starts
            cards = [i for i in scene.selectedItems() if isinstance(i, ChannelItem) and i.flags() & MOVABLE]
            if self.grabbed not in cards:
                cards.append(self.grabbed)
            self.starts = {card: card.pos() for card in cards}
        travel = event.scenePos() - event.buttonDownScenePos(LEFT)
        place = scene.snapped if scene.snap_to_grid else (lambda p: p)
        scene.move_cards({card: place(start + travel) for card, start in self.starts.items()})
        event.accept()
        return True

    def mouse_release(self, event: QGraphicsSceneMouseEvent) -> bool:
        self.end()
        QGraphicsScene.mouseReleaseEvent(self.scene, event)  # the card's own release: a click's selection
        dragged = list(self.starts or ())
        if dragged:
            self.commit(dragged)
        return True

    def commit(self, cards: list[ChannelItem]) -> None:
        """One undo step moving every dragged card that changed place (and lane)."""
        scene = self.scene
        arch = scene.session.map
        positions: dict[str, tuple[float, float]] = {}
        for item in cards:
            cid = item.channel.id
            if scene.channel_items.get(cid) is not item:
                continue  # the card left the map while it was dragged (e.g. an undo)
            channel = arch.channel(cid)
            pos = item.pos()
            if (pos.x(), pos.y()) != (channel.x, channel.y):
                positions[cid] = (pos.x(), pos.y())
        if not positions:
            return
        edits = ops.move_channels(arch, positions)
        moved_lanes = [
            e.channel
            for e in edits
            if isinstance(e, UpdateChannel) and e.channel.layer is not arch.channel(e.channel.id).layer
        ]
        if len(positions) == 1 and moved_lanes:
            text = f"Move {moved_lanes[0].name} to {moved_lanes[0].layer.title}"
        elif len(positions) == 1:
            text = f"Move {arch.channel(next(iter(positions))).name}"
        else:
            text = f"Move {len(positions)} channels"
        # Done, the cards show what the map holds (clamped into their lanes) through `changed`;
        # refused, they go back to where the map has them.
        if not edits or not scene.session.perform(text, edits):
            scene.put_back(positions)


class DrawFlow(Interaction):
    """A dashed arrow from a card's handle to the mouse; released on another card, it becomes a flow."""

    def __init__(self, scene: MapScene, source: ChannelItem, pos: QPointF) -> None:
        super().__init__(scene)
        self.source = source
        self.line = QGraphicsPathItem()
        pen = QPen(QColor(scene.theme.selection), max(2.0, scene.theme.flow_width))
        pen.setDashPattern([4, 3])
        self.line.setPen(pen)
        self.line.setZValue(50)
        scene.addItem(self.line)
        self._draw(pos)

    def _draw(self, pos: QPointF) -> None:
        start = self.source.scenePos() + self.source.handle_center()
        path = QPainterPath(start)
        dx = max(30.0, abs(pos.x() - start.x()) / 2)
        path.cubicTo(QPointF(start.x() + dx, start.y()), QPointF(pos.x() - dx, pos.y()), pos)
        self.line.setPath(path)

    def mouse_move(self, event: QGraphicsSceneMouseEvent) -> bool:
        self._draw(event.scenePos())
        event.accept()
        return True

    def mouse_release(self, event: QGraphicsSceneMouseEvent) -> bool:
        scene = self.scene
        self.end()
        grabber = scene.mouseGrabberItem()
        if grabber is not None:
            grabber.ungrabMouse()
        target = scene.channel_item_at(event.scenePos())
        if target is None:
            scene.message.emit("Drop the arrow on another channel to connect them")
        else:
            connect_channels(scene, self.source.channel.id, target.channel.id)
        event.accept()
        return True

    def cancel(self) -> None:
        if self.line.scene() is not None:
            self.scene.removeItem(self.line)

    def end(self) -> None:
        self.cancel()
        super().end()


class RubberBand(Interaction):
    """A rectangle dragged from empty canvas: the cards and arrows it touches are selected."""

    def __init__(self, scene: MapScene, event: QGraphicsSceneMouseEvent) -> None:
        super().__init__(scene)
        self.origin = event.scenePos()
        adding = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        self.operation = (
            Qt.ItemSelectionOperation.AddToSelection if adding else Qt.ItemSelectionOperation.ReplaceSelection
        )
        self.rect = QGraphicsRectItem()
        colour = QColor(scene.theme.selection)
        self.rect.setPen(QPen(colour, 0))
        colour.setAlphaF(0.15)
        self.rect.setBrush(colour)
        self.rect.setZValue(60)
        self.rect.hide()
        scene.addItem(self.rect)

    def mouse_move(self, event: QGraphicsSceneMouseEvent) -> bool:
        if not event.buttons() & LEFT:
            return False
        area = QRectF(self.origin, event.scenePos()).normalized()
        self.rect.setRect(area)
        self.rect.show()
        path = QPainterPath()
        path.addRect(area)
        self.scene.setSelectionArea(path, self.operation, Qt.ItemSelectionMode.IntersectsItemShape)
        event.accept()
        return True

    def mouse_release(self, event: QGraphicsSceneMouseEvent) -> bool:
        self.end()
        return False

    def cancel(self) -> None:
        if self.rect.scene() is not None:
            self.scene.removeItem(self.rect)

    def end(self) -> None:
        self.cancel()
        super().end()


class PaletteDrop:
    """Catalog entries dragged from the palette: accepted over a writable map, added where dropped."""

    def __init__(self, scene: MapScene) -> None:
        self.scene = scene

    def enter(self, event: QGraphicsSceneDragDropEvent) -> None:
        if event.mimeData().hasFormat(mime.CHANNEL_TYPES_MIME) and not self.scene.read_only:
            event.acceptProposedAction()
        else:
            event.ignore()

    def drop(self, event: QGraphicsSceneDragDropEvent) -> None:
        entries = mime.decode(bytes(event.mimeData().data(mime.CHANNEL_TYPES_MIME).data()))
        if not entries or self.scene.read_only:
            event.ignore()
            return
        self.add(entries, event.scenePos())
        event.acceptProposedAction()

    def add(self, entries: list[dict[str, str]], pos: QPointF) -> list[str]:
        """Channels for catalog entries at `pos` (stacked downwards), as one undo step; their ids."""
        arch = self.scene.session.map
        scratch = arch.copy()
        edits: list[Edit] = []
        layer = lane_of_x(pos.x())
        for i, entry in enumerate(entries):
            catalog = default_catalog().by_name(entry.get("name", ""))
            function = entry.get("function") or (catalog.function if catalog else "")
            one = ops.add_channel(
                scratch,
                entry["name"],
                layer,
                snap(pos.x() - CHANNEL_WIDTH / 2),
                snap(max(0.0, pos.y() - CHANNEL_HEIGHT / 2 + i * (CHANNEL_HEIGHT + 20))),
                function=function,
                tool=entry.get("tool", ""),
                automation=catalog.automation if catalog else "",
            )
            for edit in one:
                if isinstance(edit, AddChannel):
                    scratch.put_channel(edit.channel)
            edits += one
        added = [e.channel for e in edits if isinstance(e, AddChannel)]
        names = ", ".join(channel.name for channel in added)
        if self.scene.session.perform(f"Add {names} to {layer.title}", edits):
            return [channel.id for channel in added]
        return []


def connect_channels(scene: MapScene, source: str, target: str) -> bool:
    """A flow from `source` to `target` as one undo step (refused with a reason: a loop, a duplicate)."""
    arch = scene.session.map
    a, b = arch.channel(source).name, arch.channel(target).name
    return bool(scene.session.perform(f"Connect {a} → {b}", ops.connect(arch, source, target)))
