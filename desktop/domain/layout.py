"""Lane geometry and automatic placement, shared by the canvas, export and import.

Pure numbers (scene units) so that an imported map gets the same positions on
the command line as in the window.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Sequence

from desktop.domain.layers import LAYERS, Layer
from desktop.domain.model import ArchitectureMap, Channel

LANE_WIDTH = 380.0
LANE_HEADER = 100.0
CHANNEL_WIDTH = 300.0
CHANNEL_HEIGHT = 72.0
ROW_GAP = 28.0
GRID = 20.0
MIN_LANE_HEIGHT = 420.0  # a new map's lanes: room for three cards, not a screen of empty tint
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


def place_positions(slots: Sequence[tuple[Layer, float | None, float | None]]) -> list[tuple[float, float]]:
    """Positions for channels given as (layer, x, y) in map order: a placed one keeps its place, the
    others take the first free row of their lane, top to bottom, never overlapping.

    Each lane's taken rows stay sorted and filling resumes from the last row
    used, so this is O(n log n) (a naive rescan is cubic in a lane's size).
    """
    limit = CHANNEL_HEIGHT + 4
    taken: dict[Layer, list[float]] = {layer: [] for layer in LAYERS}
    for layer, x, y in slots:
        if x is not None and y is not None:
            taken[layer].append(y)
    for lane in taken.values():
        lane.sort()
    next_row = dict.fromkeys(LAYERS, 0)
    positions: list[tuple[float, float]] = []
    for layer, x, y in slots:
        if x is not None and y is not None:
            positions.append((x, y))
            continue
        lane, row = taken[layer], next_row[layer]
        while True:
            y = slot_y(row)
            at = bisect_left(lane, y)
            if not any(abs(lane[j] - y) < limit for j in (at - 1, at) if 0 <= j < len(lane)):
                break
            row += 1
        insort(lane, y)
        next_row[layer] = row + 1
        positions.append((x if x is not None else default_x(layer), y))
    return positions


def place_missing(arch: ArchitectureMap) -> None:
    """Give every channel without a position one in its lane, below the others, without overlaps.

    New channels are stacked in the order that crosses fewest flows (see
    `flow_order`), not in file order: an imported inventory reads at once.
    """
    channels = flow_order(arch)
    for channel, (x, y) in zip(
        channels, place_positions([(c.layer, c.x, c.y) for c in channels]), strict=True
    ):
        if (x, y) != (channel.x, channel.y):
            arch.put_channel(channel.with_changes(x=x, y=y))


def flow_order(arch: ArchitectureMap, sweeps: int = 2) -> list[Channel]:
    """Channels in map order, except that those without a position are sorted within their lane by the
    average height of the channels they connect to (a layered barycentre sweep, linear in the flows)."""
    channels = arch.channels
    loose = [c for c in channels if c.x is None or c.y is None]
    if len(loose) < 2 or not arch.flows:
        return channels
    lanes: dict[Layer, list[Channel]] = {layer: [] for layer in LAYERS}
    for c in channels:
        lanes[c.layer].append(c)
    rank: dict[str, float] = {}

    def rerank(layer: Layer) -> None:
        lane = lanes[layer]
        for i, c in enumerate(lane):
            rank[c.id] = (i + 0.5) / len(lane)

    for layer in LAYERS:
        rerank(layer)
    fixed = {c.id for c in channels if c.x is not None and c.y is not None}

    def neighbours_key(c: Channel, towards: range) -> float:
        total, count = 0.0, 0
        for flow in arch.outgoing(c.id):
            other = arch.channel(flow.target)
            if other.layer.index in towards:
                total, count = total + rank[other.id], count + 1
        for flow in arch.incoming(c.id):
            other = arch.channel(flow.source)
            if other.layer.index in towards:
                total, count = total + rank[other.id], count + 1
        return total / count if count else rank[c.id]

    order = list(LAYERS)
    before: Callable[[int], range] = lambda i: range(0, i)  # noqa: E731
    after: Callable[[int], range] = lambda i: range(i + 1, 4)  # noqa: E731
    for _ in range(sweeps):
        for layers, towards in ((order[1:], before), (order[-2::-1], after)):
            for layer in layers:
                lane = lanes[layer]
                if not any(c.id not in fixed for c in lane):
                    continue
                keys = {c.id: neighbours_key(c, towards(layer.index)) for c in lane}
                placed = [c for c in lane if c.id in fixed]
                moving = sorted((c for c in lane if c.id not in fixed), key=lambda c: keys[c.id])
                lanes[layer] = placed + moving
                rerank(layer)
    return [c for layer in LAYERS for c in lanes[layer]]


def scene_height(arch: ArchitectureMap) -> float:
    bottom = max((c.y or 0.0 for c in arch.iter_channels()), default=0.0)
    return max(MIN_LANE_HEIGHT, bottom + CHANNEL_HEIGHT + ROW_GAP * 2)
