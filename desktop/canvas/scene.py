"""`MapScene`: the map drawn as lanes, channel cards and flow arrows.

Sync runs one way: the session emits `changed(Change)`, the scene updates just
the items named in it (a model → item lookup, as in orange-canvas-core).
User gestures are interaction objects (interactions.py) that the scene offers
each mouse event to first; each ends in one edit through `session.perform`.
The items never change the model and never call the scene back. Present
mode's reveal lives in reveal.py.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QGraphicsScene,
    QGraphicsSceneDragDropEvent,
    QGraphicsSceneHelpEvent,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QToolTip,
)

from desktop.canvas import present_grid
from desktop.canvas.arrangement import Grid
from desktop.canvas.card_index import CardIndex
from desktop.canvas.channel_item import MOVABLE, TEXT_LOD, ChannelItem
from desktop.canvas.flow_item import FlowItem
from desktop.canvas.interactions import DragCards, DrawFlow, Interaction, PaletteDrop, RubberBand
from desktop.canvas.lane_item import LaneItem
from desktop.canvas.line_index import LineIndex
from desktop.canvas.reveal import Reveal
from desktop.canvas.source import EditableSource
from desktop.canvas.theme import LIGHT, Theme
from desktop.document.editor import Change
from desktop.domain import score_presentation
from desktop.domain.coherence import CoherenceReport, assess
from desktop.domain.edits import Edit
from desktop.domain.layers import LAYERS, Layer
from desktop.domain.layout import (
    LANE_WIDTH,
    clamp_x,
    scene_height,
    snap,
)
from desktop.domain.model import ArchitectureMap, Channel

SCENE_MARGIN = 40.0
CAREFUL_LABELS = (
    50  # cards: up to this (a workshop map), rule boxes also keep clear of other arrows and boxes
)


class MapSnapshot(QObject):
    """A map that is drawn but never edited (image exports): the part of a `MapSession` a scene reads."""

    changed = Signal(object)
    read_only = True

    def __init__(self, arch: ArchitectureMap, report: CoherenceReport | None = None) -> None:
        super().__init__()
        self.map = arch
        self.report = report if report is not None else assess(arch)

    def perform(self, text: str, edits: Sequence[Edit], merge_key: str = "") -> bool:
        """Refused: a snapshot is drawn, never edited (its scene is read-only, so gestures stop first)."""
        return False


class MapScene(QGraphicsScene):
    """The canvas scene of one session. Signals: `rename_requested(id)`, `message(str)`."""

    rename_requested = Signal(str)
    message = Signal(str)

    def __init__(self, session: EditableSource, theme: Theme = LIGHT, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.theme = theme
        self.snap_to_grid = True
        self.building = False
        self._badged: CoherenceReport | None = None
        self._badge_findings: tuple | None = None  # the findings the badges show (score_presentation.follow)
        self.lanes: dict[Layer, LaneItem] = {}
        self.channel_items: dict[str, ChannelItem] = {}
        self.flow_items: dict[tuple[str, str], FlowItem] = {}
        self.card_index = CardIndex()  # where the cards are, for placing rule boxes clear of them
        self.line_index: LineIndex | None = (
            None  # where the arrows run (a workshop-sized map: see CAREFUL_LABELS)
        )
        self.interaction: Interaction | None = None  # the gesture in progress (interactions.py)
        self.palette_drop = PaletteDrop(self)
        self.reveal = Reveal(self)  # present mode's lanes, one at a time
        self.grid: Grid | None = None  # present mode: the cards in a screen-sized grid (arrangement.py)
        self._grid_area: tuple[float, float] | None = None
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
        if self.interaction is not None:
            self.interaction.cancel()
            self.interaction = None
        self.clear()
        self.channel_items.clear()
        self.flow_items.clear()
        self.card_index.clear()
        self.line_index = LineIndex() if len(self.session.map) <= CAREFUL_LABELS else None
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
        if self._grid_area is not None:
            self._arrange()
        self.reveal.apply()

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
        item.adjust()  # in the scene now: a return runs below the cards, a rule box keeps clear of them

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
        if self._grid_area is None:
            self.move_cards(moves)
        for pair in change.flows:
            flow = arch.flow(*pair)
            if flow is None:
                continue
            arrow = self.flow_items.get(pair)
            if arrow is None:
                self._add_flow_item(*pair)
            else:
                arrow.set_flow(flow)
        if self._grid_area is not None:
            self._arrange()
        elif lanes_changed:  # the lanes' counts and height: not after a rename or a new flow
            self._refresh_lanes()
        if self.session.report is not self._badged:  # a move keeps the report, and every badge
            self._refresh_badges(change.channels)
        self.reveal.apply(change)

    def _refresh_lanes(self) -> None:
        height = scene_height(self.session.map)
        grew = any(lane.boundingRect().height() != height for lane in self.lanes.values())
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
        if grew and not self.building:
            present_grid.reroute_returns(self)

    def _refresh_badges(self, touched: Iterable[str] | None = None) -> None:
        """Badge the cards the findings name: all of them on open, else the cards whose findings changed."""
        report = self.session.report
        self._badged = report
        shown, self._badge_findings = self._badge_findings, report.findings
        if touched is None or shown is None:
            for cid, card in self.channel_items.items():
                card.set_findings([f.message for f in report.findings_for(cid)])
            return
        # The cards named by a finding that appeared, went or changed, and the cards the edit touched.
        findings, positions = score_presentation.follow(shown, report.findings)
        self._badge_findings = findings
        cards = score_presentation.channels_changed(shown, findings, positions)
        cards.update(touched)
        if not cards:  # a new flow that changed no finding (the score may have moved)
            return
        for cid, messages in score_presentation.messages_for(findings, cards).items():
            item = self.channel_items.get(cid)
            if item is not None:
                item.set_findings(messages)

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
                painter.setOpacity(item.opacity())  # dimmed with its arrow (present mode's spotlight)
                item.paint_label(painter)
        painter.restore()

    # --- present mode: the whole map in a screen-sized grid (present_grid.py) -----------------
    def arrange(self, width: float, height: float) -> None:
        """Show the cards in the grid that is largest on a `width` × `height` screen area (present mode)."""
        self._grid_area = (width, height)
        self._arrange()

    def unarrange(self) -> None:
        """Back to the map's own places and lanes."""
        if self._grid_area is not None:
            self._grid_area, self.grid = None, None
            present_grid.show_map_places(
                self, {i: QPointF(*_position(i.channel)) for i in self.channel_items.values()}
            )

    def _arrange(self) -> None:
        assert self._grid_area is not None
        self.grid = present_grid.show_grid(self, *self._grid_area)

    # --- present mode: reveal lanes one at a time (reveal.py) --------------------------
    @property
    def revealed(self) -> int:
        return self.reveal.count

    def set_revealed(self, count: int) -> None:
        self.reveal.set(count)

    # --- gestures: the active interaction sees each mouse event first (interactions.py) ---
    def snapped(self, pos: QPointF) -> QPointF:
        return QPointF(snap(pos.x()), snap(pos.y()))

    def begin(self, interaction: Interaction) -> None:
        """Make `interaction` the gesture in progress (one that was left over is cancelled)."""
        if self.interaction is not None:
            self.interaction.cancel()
        self.interaction = interaction

    def end(self, interaction: Interaction) -> None:
        if self.interaction is interaction:
            self.interaction = None

    def put_back(self, positions: dict[str, tuple[float, float]]) -> None:
        """Cards a refused move left where the mouse put them go back to where the map has them."""
        arch = self.session.map
        self.move_cards(
            {self.channel_items[cid]: QPointF(*_position(arch.channel(cid))) for cid in positions}
        )

    def channel_item_at(self, pos: QPointF) -> ChannelItem | None:
        for item in self.items(pos):
            if isinstance(item, ChannelItem):
                return item
        return None

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.interaction is not None:  # a gesture whose release never came (the mouse left the window)
            self.interaction.cancel()
            self.interaction = None
        left = event.button() == Qt.MouseButton.LeftButton
        top = next(iter(self.items(event.scenePos())), None)
        on_handle = isinstance(top, ChannelItem) and top.on_handle(top.mapFromScene(event.scenePos()))
        if left and on_handle and isinstance(top, ChannelItem) and not self.read_only:
            self.begin(DrawFlow(self, top, event.scenePos()))
            event.accept()
            return
        super().mousePressEvent(event)
        if not left:
            return
        grabber = self.mouseGrabberItem()
        if isinstance(grabber, ChannelItem) and grabber.flags() & MOVABLE:
            self.begin(DragCards(self, grabber))
        elif not event.isAccepted():  # empty canvas (lanes take no clicks)
            self.begin(RubberBand(self, event))
            event.accept()

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.interaction is not None and self.interaction.mouse_move(event):
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.interaction is not None and self.interaction.mouse_release(event):
            return
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        item = self.channel_item_at(event.scenePos())
        if item is None:
            super().mouseDoubleClickEvent(event)
            return
        self.rename_requested.emit(item.channel.id)
        event.accept()

    # --- drops from the palette (interactions.PaletteDrop) ------------------------------
    def dragEnterEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        self.palette_drop.enter(event)

    def dragMoveEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        self.palette_drop.enter(event)

    def dropEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        self.palette_drop.drop(event)

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
