"""Present mode's arrangement: every card of the map on one screen, a tall lane wrapped into columns.

On a projector the whole map has to be seen at once, as large as the screen
allows. The map's own places are made for editing (one column per lane, as
tall as it grows), so present mode shows the cards in a grid instead: each
lane keeps its order top to bottom, and a lane with more cards than rows
flows into further columns, left to right. The number of rows is chosen so
that the grid, fitted to the screen, gives the largest cards; the map's
stored places are never changed (edits made while presenting still go to the
map, and the grid follows).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from desktop.domain.layers import LAYERS, Layer
from desktop.domain.layout import CHANNEL_HEIGHT, CHANNEL_WIDTH, LANE_HEADER
from desktop.domain.model import Channel

COLUMN_GAP = 28.0  # between two columns of one lane (room for an arrow's head)
LANE_PAD = 30.0  # between a lane's edge and its cards
ROW_PITCH = CHANNEL_HEIGHT + 22.0
TOP = LANE_HEADER + 22.0  # room for a rule box above the first row
BOTTOM_PAD = 48.0  # room for the return flows' tracks under the last row


@dataclass(frozen=True)
class Grid:
    """Columns per lane and the rows every lane shares, in scene units."""

    columns: tuple[int, ...]  # in LAYERS order
    rows: int

    def lane_width(self, layer: Layer) -> float:
        count = self.columns[layer.index]
        return 2 * LANE_PAD + count * CHANNEL_WIDTH + (count - 1) * COLUMN_GAP

    def lane_left(self, layer: Layer) -> float:
        return sum(self.lane_width(other) for other in LAYERS[: layer.index])

    @property
    def width(self) -> float:
        return sum(self.lane_width(layer) for layer in LAYERS)

    @property
    def height(self) -> float:
        return TOP + self.rows * ROW_PITCH - (ROW_PITCH - CHANNEL_HEIGHT) + BOTTOM_PAD

    def card_pos(self, layer: Layer, index: int) -> tuple[float, float]:
        """Where the `index`-th card of a lane sits: down its first column, then the next."""
        column, row = divmod(index, self.rows)
        x = self.lane_left(layer) + LANE_PAD + column * (CHANNEL_WIDTH + COLUMN_GAP)
        return x, TOP + row * ROW_PITCH

    def zoom_for(self, width: float, height: float) -> float:
        """The scale at which the grid (with a small margin) fits a screen area of this size."""
        return min(width / (self.width + 32), height / (self.height + 32))


def best_grid(counts: Mapping[Layer, int], width: float, height: float) -> Grid:
    """The rows (and so the columns of each lane) that make the cards largest on a `width` × `height` area."""
    tallest = max([1, *counts.values()])
    best: Grid | None = None
    best_zoom = -1.0
    for rows in range(1, tallest + 1):
        columns = tuple(max(1, math.ceil(counts.get(layer, 0) / rows)) for layer in LAYERS)
        grid = Grid(columns, rows)
        zoom = grid.zoom_for(width, height)
        if zoom > best_zoom + 1e-9:
            best, best_zoom = grid, zoom
    assert best is not None
    return best


def lane_order(channels: Iterable[Channel]) -> dict[Layer, list[Channel]]:
    """Each lane's channels top to bottom as the map places them (then left to right, then as added)."""
    lanes: dict[Layer, list[Channel]] = {layer: [] for layer in LAYERS}
    for channel in channels:
        lanes[channel.layer].append(channel)
    for lane in lanes.values():
        lane.sort(key=lambda c: (c.y if c.y is not None else math.inf, c.x or 0.0, c.ord))
    return lanes


def arrange(
    channels: Iterable[Channel], width: float, height: float
) -> tuple[Grid, dict[str, tuple[float, float]]]:
    """The grid for a screen area and each channel's place in it."""
    lanes = lane_order(channels)
    grid = best_grid({layer: len(lane) for layer, lane in lanes.items()}, width, height)
    places = {c.id: grid.card_pos(layer, i) for layer, lane in lanes.items() for i, c in enumerate(lane)}
    return grid, places
