"""`MapScene`: the map drawn as lanes, channel cards and flow arrows.

Sync runs one way: the session emits `changed(Change)`, the scene updates just
the items named in it (a model → item lookup, as in orange-canvas-core).
User gestures (drop, move, connect) become edits sent to `session.perform`;
the items themselves never change the model.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSceneDragDropEvent,
    QGraphicsSceneHelpEvent,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QToolTip,
)

from desktop.canvas import mime
from desktop.canvas.card_index import CardIndex
from desktop.canvas.channel_item import TEXT_LOD, ChannelItem
from desktop.canvas.flow_item import FlowItem
from desktop.canvas.lane_item import LaneItem
from desktop.canvas.theme import LIGHT, Theme
from desktop.commands.session import Change, MapSession
from desktop.domain import operations as ops
from desktop.domain.catalog import default_catalog
from desktop.domain.coherence import CoherenceReport, assess
from desktop.domain.layers import LAYERS, Layer
from desktop.domain.layout import (
    CHANNEL_HEIGHT,
    CHANNEL_WIDTH,
    LANE_WIDTH,
    clamp_x,
    lane_of_x,
    scene_height,
    snap,
)
from desktop.domain.model import ArchitectureMap, Channel

SCENE_MARGIN = 40.0


class MapSnapshot(QObject):
    """A map that is drawn but never edited (image exports): the part of a `MapSession` a scene reads."""

    changed = Signal(object)
    read_only = True

    def __init__(self, arch: ArchitectureMap, report: CoherenceReport | None = None) -> None:
        super().__init__()
        self.map = arch
        self.report = report if report is not None else assess(arch)


class MapScene(QGraphicsScene):
    """The canvas scene of one session. Signals: `rename_requested(id)`, `message(str)`."""

    rename_requested = Signal(str)
    message = Signal(str)

    def __init__(self, session: MapSession | MapSnapshot, theme: Theme = LIGHT, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.theme = theme
        self.snap_to_grid = True
        self.revealed = len(LAYERS)
        self.building = False
        self._badged: CoherenceReport | None = None
        self.lanes: dict[Layer, LaneItem] = {}
        self.channel_items: dict[str, ChannelItem] = {}
        self.flow_items: dict[tuple[str, str], FlowItem] = {}
        self.card_index = CardIndex()  # where the cards are, for placing rule boxes clear of them
        self._flow_drag: tuple[ChannelItem, QGraphicsPathItem] | None = None
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.setBackgroundBrush(QColor(theme.background))
        session.changed.connect(self._on_changed)
        self.rebuild()

    @classmethod
    def for_map(
        cls, arch: ArchitectureMap, report: CoherenceReport | None = None, theme: Theme = LIGHT
    ) -> MapScene:
        """A read-only scene of a plain map, for rendering without a window or a file."""
        return cls(MapSnapshot(arch, report), theme)

    @property
    def read_only(self) -> bool:
        return self.session.read_only

    # --- building -----------------------------------------------------------------
    def rebuild(self) -> None:
        """Drop every item and draw the whole map again (open, reload)."""
        with collector_paused():
            self._rebuild()

    def _rebuild(self) -> None:
        self._cancel_flow_drag()
        self.clear()
        self.channel_items.clear()
        self.flow_items.clear()
        self.card_index.clear()
        height = scene_height(self.session.map)
        self.lanes = {layer: LaneItem(layer, self.theme, height) for layer in LAYERS}
        for lane in self.lanes.values():
            self.addItem(lane)
        # Rule boxes are placed once every card is in: one index build, not one per flow.
        self.building = True
        for channel in self.session.map.iter_channels():
            self._add_channel_item(channel)
        for flow in self.session.map.flows:
            self._add_flow_item(flow.source, flow.target)
        self.building = False
        self._refresh_lanes()
        for flow_item in self.flow_items.values():
            if flow_item.label_text():
                flow_item.place_label()
        self._refresh_badges()
        self._apply_reveal()

    def _add_channel_item(self, channel: Channel) -> ChannelItem:
        item = ChannelItem(channel, self.theme, movable=not self.read_only)
        x, y = _position(channel)
        item.setPos(x, y)
        self.card_index.put(channel.id, x, y)
        self.addItem(item)
        self.channel_items[channel.id] = item
        return item

    def move_cards(self, moves: dict[ChannelItem, QPointF]) -> None:
        """Move cards (a drag step, or the map changed) and lay out each of their arrows once."""
        arrows: set[FlowItem] = set()
        index = self.card_index
        for item, pos in moves.items():
            if item.pos() == pos:
                continue
            item.setPos(pos)
            index.put(item.channel.id, pos.x(), pos.y())
            arrows.update(item.flows)
        for arrow in arrows:
            arrow.adjust()

    def _add_flow_item(self, source: str, target: str) -> None:
        flow = self.session.map.flow(source, target)
        if flow is None:
            return
        item = FlowItem(flow, self.channel_items[source], self.channel_items[target], self.theme)
        self.addItem(item)
        self.flow_items[flow.pair] = item
        if not self.building and item.label_text():
            item.place_label()  # in the scene now: the rule box can keep clear of the cards

    def _remove_flow_item(self, pair: tuple[str, str]) -> None:
        item = self.flow_items.pop(pair, None)
        if item is not None:
            item.setSelected(False)
            item.detach()
            self.removeItem(item)

    # --- model → view ---------------------------------------------------------------
    def _on_changed(self, change: Change) -> None:
        if change.reset:
            self.rebuild()
            return
        arch = self.session.map
        for pair in change.flows:
            if arch.flow(*pair) is None:
                self._remove_flow_item(pair)
        lanes_changed = False  # a card added, removed, or moved to another lane or row
        moves: dict[ChannelItem, QPointF] = {}  # moved together, so an arrow between two is laid out once
        for cid in change.channels:
            item = self.channel_items.get(cid)
            if not arch.has_channel(cid):
                lanes_changed = True
                if item is not None:
                    for flow_item in list(item.flows):
                        self._remove_flow_item(flow_item.flow.pair)
                    del self.channel_items[cid]
                    self.card_index.remove(cid)
                    item.setSelected(False)
                    self.removeItem(item)
                continue
            channel = arch.channel(cid)
            if item is None:
                lanes_changed = True
                self._add_channel_item(channel)
            else:
                before = item.channel
                lanes_changed = lanes_changed or (before.layer, before.y) != (channel.layer, channel.y)
                item.set_channel(channel)
                moves[item] = QPointF(*_position(channel))
        self.move_cards(moves)
        for pair in change.flows:
            flow = arch.flow(*pair)
            if flow is None:
                continue
            item = self.flow_items.get(pair)
            if item is None:
                self._add_flow_item(*pair)
            else:
                item.set_flow(flow)
        if lanes_changed:  # the lanes' counts and height: not after a rename or a new flow
            self._refresh_lanes()
        if self.session.report is not self._badged:  # a move keeps the report, and every badge
            self._refresh_badges(change.channels)
        self._apply_reveal(change)

    def _refresh_lanes(self) -> None:
        height = scene_height(self.session.map)
        counts = dict.fromkeys(LAYERS, 0)
        for channel in self.session.map.iter_channels():
            counts[channel.layer] += 1
        for layer, lane in self.lanes.items():
            lane.set_height(height)
            lane.set_count(counts[layer])
        self.setSceneRect(
            QRectF(
                -SCENE_MARGIN,
                -SCENE_MARGIN,
                LANE_WIDTH * len(LAYERS) + 2 * SCENE_MARGIN,
                height + 2 * SCENE_MARGIN,
            )
        )

    def _refresh_badges(self, touched: Iterable[str] | None = None) -> None:
        """Badge the cards the findings name: all of them on open, else the cards whose findings changed."""
        report = self.session.report
        old, self._badged = self._badged, report
        if touched is None or old is None:
            cards: Iterable[str] = self.channel_items.keys()
        else:  # the cards named by a finding that appeared or went, and any card just added
            changed = set(old.findings).symmetric_difference(report.findings)
            cards = {cid for finding in changed for cid in finding.channel_ids}
            cards.update(touched)
        for cid in cards:
            item = self.channel_items.get(cid)
            if item is not None:
                item.set_findings([f.message for f in report.findings_for(cid)])

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.setBackgroundBrush(QColor(theme.background))
        for lane in self.lanes.values():
            lane.set_theme(theme)
        for item in self.channel_items.values():
            item.set_theme(theme)
        for flow_item in self.flow_items.values():
            flow_item.set_theme(theme)

    def helpEvent(self, event: QGraphicsSceneHelpEvent) -> None:
        """Tooltips: a card's or an arrow's is written when hovered, not for every item a map opens with."""
        text = ""
        for item in self.items(event.scenePos()):
            text = item.tooltip_text() if isinstance(item, (ChannelItem, FlowItem)) else item.toolTip()
            if text:
                break
        QToolTip.showText(event.screenPos(), text, event.widget())
        event.setAccepted(bool(text))

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        """Flow rules above the cards: a rule box between two lanes would otherwise hide under them."""
        if QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform()) < TEXT_LOD:
            return  # zoomed far out, as the cards' text
        near = self.items(rect, Qt.ItemSelectionMode.IntersectsItemBoundingRect, Qt.SortOrder.AscendingOrder)
        painter.save()
        for item in near:
            if isinstance(item, FlowItem) and item.has_label() and item.isVisible():
                item.paint_label(painter)
        painter.restore()

    # --- present mode: reveal lanes one at a time --------------------------------------
    def set_revealed(self, count: int) -> None:
        self.revealed = max(0, min(len(LAYERS), count))
        self._apply_reveal()

    def _apply_reveal(self, change: Change | None = None) -> None:
        """Dim the lanes not revealed yet and hide their items: every item, or only those an edit touched."""
        shown = set(LAYERS[: self.revealed])
        for layer, lane in self.lanes.items():
            lane.setOpacity(1.0 if layer in shown else 0.25)
        cards: Iterable[ChannelItem] = self.channel_items.values()
        arrows: Iterable[FlowItem] = self.flow_items.values()
        if change is not None:
            cards = [self.channel_items[c] for c in change.channels if c in self.channel_items]
            arrows = {f for card in cards for f in card.flows}
            arrows.update(self.flow_items[p] for p in change.flows if p in self.flow_items)
        for item in cards:
            visible = item.channel.layer in shown
            if item.isVisible() != visible:
                item.setVisible(visible)
        for flow_item in arrows:
            visible = flow_item.source.isVisible() and flow_item.target.isVisible()
            if flow_item.isVisible() != visible:
                flow_item.setVisible(visible)

    # --- gestures → edits ---------------------------------------------------------------
    def snapped(self, pos: QPointF) -> QPointF:
        return QPointF(snap(pos.x()), snap(pos.y()))

    def commit_moves(self, cards: Iterable[ChannelItem]) -> None:
        """After a drag: one undo step moving every dragged card that changed place (and lane)."""
        arch = self.session.map
        positions: dict[str, tuple[float, float]] = {}
        for item in cards:
            cid = item.channel.id
            if self.channel_items.get(cid) is not item:
                continue  # the card left the map while it was dragged (e.g. an undo)
            channel = arch.channel(cid)
            pos = item.pos()
            if (pos.x(), pos.y()) != (channel.x, channel.y):
                positions[cid] = (pos.x(), pos.y())
        if not positions:
            return
        edits = ops.move_channels(arch, positions)
        moved_lanes = [e.channel for e in edits if e.channel.layer is not arch.channel(e.channel.id).layer]  # type: ignore[union-attr]
        if len(positions) == 1 and moved_lanes:
            text = f"Move {moved_lanes[0].name} to {moved_lanes[0].layer.title}"
        elif len(positions) == 1:
            text = f"Move {arch.channel(next(iter(positions))).name}"
        else:
            text = f"Move {len(positions)} channels"
        # Done, the cards show what the map holds (clamped into their lanes) through `changed`;
        # refused, they go back to where the map has them.
        if not edits or not self.session.perform(text, edits):
            back = {self.channel_items[cid]: QPointF(*_position(arch.channel(cid))) for cid in positions}
            self.move_cards(back)

    def add_channel_at(self, name: str, scene_pos: QPointF, function: str = "", tool: str = "") -> str | None:
        layer = lane_of_x(scene_pos.x())
        x = snap(scene_pos.x() - CHANNEL_WIDTH / 2)
        y = snap(max(0.0, scene_pos.y() - CHANNEL_HEIGHT / 2))
        arch = self.session.map
        edits = ops.add_channel(arch, name, layer, x, y, function=function, tool=tool)
        new_id = edits[0].channel.id  # type: ignore[union-attr]
        if self.session.perform(f"Add {edits[0].channel.name} to {layer.title}", edits):  # type: ignore[union-attr]
            return new_id
        return None

    def connect(self, source: str, target: str) -> bool:
        arch = self.session.map
        a, b = arch.channel(source).name, arch.channel(target).name
        return self.session.perform(f"Connect {a} → {b}", ops.connect(arch, source, target))

    # --- drops from the palette ---------------------------------------------------------
    def dragEnterEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        if event.mimeData().hasFormat(mime.CHANNEL_TYPES_MIME) and not self.read_only:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        entries = mime.decode(event.mimeData().data(mime.CHANNEL_TYPES_MIME).data())
        if not entries or self.read_only:
            event.ignore()
            return
        self.drop_entries(entries, event.scenePos())
        event.acceptProposedAction()

    def drop_entries(self, entries: list[dict[str, str]], pos: QPointF) -> list[str]:
        """Create channels for dropped catalog entries at `pos` (stacked downwards), as one undo step."""
        arch = self.session.map
        scratch = arch.copy()
        edits = []
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
            scratch.put_channel(one[0].channel)  # type: ignore[union-attr]
            edits += one
        names = ", ".join(e.channel.name for e in edits)  # type: ignore[union-attr]
        if self.session.perform(f"Add {names} to {layer.title}", edits):
            return [e.channel.id for e in edits]  # type: ignore[union-attr]
        return []

    # --- drawing a new flow from a card's handle ------------------------------------------
    def start_flow_drag(self, source: ChannelItem, pos: QPointF) -> None:
        line = QGraphicsPathItem()
        pen = QPen(QColor(self.theme.selection), max(2.0, self.theme.flow_width))
        pen.setDashPattern([4, 3])
        line.setPen(pen)
        line.setZValue(50)
        self.addItem(line)
        self._flow_drag = (source, line)
        self._update_flow_drag(pos)

    def _update_flow_drag(self, pos: QPointF) -> None:
        if self._flow_drag is None:
            return
        source, line = self._flow_drag
        start = source.scenePos() + source.handle_center()
        path = QPainterPath(start)
        dx = max(30.0, abs(pos.x() - start.x()) / 2)
        path.cubicTo(QPointF(start.x() + dx, start.y()), QPointF(pos.x() - dx, pos.y()), pos)
        line.setPath(path)

    def _cancel_flow_drag(self) -> None:
        if self._flow_drag is not None:
            self.removeItem(self._flow_drag[1])
            self._flow_drag = None

    def channel_item_at(self, pos: QPointF) -> ChannelItem | None:
        for item in self.items(pos):
            if isinstance(item, ChannelItem):
                return item
        return None

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._flow_drag is not None:
            self._update_flow_drag(event.scenePos())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._flow_drag is not None:
            source = self._flow_drag[0]
            self._cancel_flow_drag()
            grabber = self.mouseGrabberItem()
            if grabber is not None:
                grabber.ungrabMouse()
            target = self.channel_item_at(event.scenePos())
            if target is None:
                self.message.emit("Drop the arrow on another channel to connect them")
            else:
                self.connect(source.channel.id, target.channel.id)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    # --- selection -----------------------------------------------------------------------------
    def selected_channel_ids(self) -> list[str]:
        arch = self.session.map
        return [
            i.channel.id
            for i in self.selectedItems()
            if isinstance(i, ChannelItem) and arch.has_channel(i.channel.id)
        ]

    def selected_flow_pairs(self) -> list[tuple[str, str]]:
        arch = self.session.map
        return [
            i.flow.pair for i in self.selectedItems() if isinstance(i, FlowItem) and arch.flow(*i.flow.pair)
        ]

    def select_channels(self, ids: list[str]) -> None:
        """Select exactly these channels, telling listeners once (not once per item: that was quadratic)."""
        blocked = self.blockSignals(True)
        try:
            self.clearSelection()
            for cid in ids:
                item = self.channel_items.get(cid)
                if item is not None:
                    item.setSelected(True)
        finally:
            self.blockSignals(blocked)
        self.selectionChanged.emit()

    def items_rect(self, ids: list[str]) -> QRectF:
        rect = QRectF()
        for cid in ids:
            item = self.channel_items.get(cid)
            if item is not None:
                rect = rect.united(item.sceneBoundingRect())
        return rect


def _position(channel: Channel) -> tuple[float, float]:
    """Where a channel's card sits: its stored position, kept inside its lane."""
    x = clamp_x(channel.layer, channel.x if channel.x is not None else 0.0)
    return x, channel.y if channel.y is not None else 0.0


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a big map is built.

    Building a 10,000-channel scene allocates a few hundred thousand objects,
    and each burst of allocations starts a collection that walks every object
    alive (all the items built so far): up to a second wasted on cycles that
    do not exist. Reference counting still frees everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
