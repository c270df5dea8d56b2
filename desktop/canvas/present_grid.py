"""Present mode's grid applied to a scene: lanes widened into columns, cards moved, arrows re-laid.

The grid itself (how many columns each lane gets, where each card sits) is
pure arithmetic in `arrangement.py`; this module moves the scene's items to
it and back. The map's stored places are never touched: only the items move,
and cards cannot be dragged while the grid shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF

from desktop.canvas import arrangement
from desktop.canvas.arrangement import Grid
from desktop.canvas.channel_item import ChannelItem
from desktop.domain.layers import LAYERS
from desktop.domain.layout import LANE_WIDTH, lane_left

if TYPE_CHECKING:
    from desktop.canvas.scene import MapScene

MOVABLE = ChannelItem.GraphicsItemFlag.ItemIsMovable


def show_grid(scene: MapScene, width: float, height: float) -> Grid:
    """Lay the scene out in the grid that is largest on a `width` × `height` screen area."""
    grid, places = arrangement.arrange(scene.session.map.iter_channels(), width, height)
    scene.grid = grid  # before the cards move: their arrows route by it
    counts = dict.fromkeys(LAYERS, 0)
    for item in scene.channel_items.values():
        counts[item.channel.layer] += 1
        item.setFlag(MOVABLE, False)  # the grid is not the map
    for layer, lane in scene.lanes.items():
        lane.set_span(grid.lane_left(layer), grid.lane_width(layer))
        lane.set_height(grid.height)
        lane.set_count(counts[layer])
    scene.move_cards({item: QPointF(*places[cid]) for cid, item in scene.channel_items.items()})
    scene.setSceneRect(QRectF(-16, -16, grid.width + 32, grid.height + 32))
    reroute_returns(scene)
    place_labels(scene)
    return grid


def show_map_places(scene: MapScene, places: dict[ChannelItem, QPointF]) -> None:
    """Back to the map's own places (`places`) and lanes."""
    for item in scene.channel_items.values():
        item.setFlag(MOVABLE, not scene.read_only)
    for lane in scene.lanes.values():
        lane.set_span(lane_left(lane.layer), LANE_WIDTH)
    scene.move_cards(places)
    scene._refresh_lanes()  # the lanes as the map has them: counts and height
    reroute_returns(scene)
    place_labels(scene)


def reroute_returns(scene: MapScene) -> None:
    """Return flows run along the lanes' bottom: when the lanes grow or shrink, so do they."""
    for flow_item in scene.flow_items.values():
        if flow_item.is_return:
            flow_item.adjust()


def place_labels(scene: MapScene) -> None:
    for flow_item in scene.flow_items.values():
        if flow_item.label_text():
            flow_item.place_label()
