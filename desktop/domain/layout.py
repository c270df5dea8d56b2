"""Lane geometry and automatic placement, shared by the canvas, export and import.

Pure numbers (scene units) so that an imported map gets the same positions on
the command line as in the window.
"""

from __future__ import annotations

from desktop.domain.layers import LAYERS, Layer
from desktop.domain.model import ArchitectureMap

LANE_WIDTH = 380.0
LANE_TOP = 0.0
LANE_HEADER = 100.0
CHANNEL_WIDTH = 300.0
CHANNEL_HEIGHT = 72.0
ROW_GAP = 28.0
GRID = 20.0
MIN_LANE_HEIGHT = 720.0
LANE_MARGIN = (LANE_WIDTH - CHANNEL_WIDTH) / 2


def lane_left(layer: Layer) -> float:
    return layer.index * LANE_WIDTH


def lane_of_x(x_center: float) -> Layer:
    """The layer whose lane holds a horizontal scene position (clamped to the ends)."""
    index = int(x_center // LANE_WIDTH)
    return LAYERS[max(0, min(len(LAYERS) - 1, index))]


def default_x(layer: Layer) -> float:
    return lane_left(layer) + LANE_MARGIN


def slot_y(row: int) -> float:
    return LANE_HEADER + GRID + row * (CHANNEL_HEIGHT + ROW_GAP)


def snap(value: float) -> float:
    return round(value / GRID) * GRID


def clamp_x(layer: Layer, x: float) -> float:
    """Keep a channel box inside its lane horizontally."""
    left = lane_left(layer)
    return min(max(x, left), left + LANE_WIDTH - CHANNEL_WIDTH)


def free_slot(arch: ArchitectureMap, layer: Layer, skip: str | None = None) -> tuple[float, float]:
    """The first row of a lane that no channel box overlaps."""
    taken = [c.y for c in arch.in_layer(layer) if c.y is not None and c.id != skip]
    row = 0
    while True:
        y = slot_y(row)
        if all(abs(other - y) >= CHANNEL_HEIGHT + 4 for other in taken):
            return default_x(layer), y
        row += 1


def place_missing(arch: ArchitectureMap) -> None:
    """Give every channel without a position one in its lane, below the others, without overlaps."""
    rows: dict[Layer, list[float]] = {layer: [] for layer in LAYERS}
    for c in arch.iter_channels():
        if c.x is not None and c.y is not None:
            rows[c.layer].append(c.y)
    for c in arch.channels:
        if c.x is not None and c.y is not None:
            continue
        taken = rows[c.layer]
        row = 0
        while any(abs(other - slot_y(row)) < CHANNEL_HEIGHT + 4 for other in taken):
            row += 1
        y = slot_y(row)
        taken.append(y)
        arch.put_channel(c.with_changes(x=c.x if c.x is not None else default_x(c.layer), y=y))


def scene_height(arch: ArchitectureMap) -> float:
    bottom = max((c.y or 0.0 for c in arch.iter_channels()), default=0.0)
    return max(MIN_LANE_HEIGHT, bottom + CHANNEL_HEIGHT + ROW_GAP * 2)
