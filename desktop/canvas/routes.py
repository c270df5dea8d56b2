"""Arrow routes that keep out from behind the cards: plain arithmetic on scene coordinates.

A route is a chain of cubics as one flat tuple: the start point, then three
points per cubic (two control points and its end), as `FlowItem` draws and
samples it. A straight run with rounded corners reads as a line on a
projector and in an exported image; the gaps it runs in (beside a card's
column, under a row, below the lanes) hold no card.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from desktop.domain.layout import CHANNEL_HEIGHT, CHANNEL_WIDTH, GRID, ROW_GAP

CORRIDOR = 20.0  # how far beside a card a routed arrow runs down or up
CORNER = 14.0
FAR = 800.0  # a return whose run along the lanes' bottom is further below its cards runs in a row gap
GAP_TRIES = 40  # grid steps below the lower card searched for a free row gap
Box = tuple[float, float, float, float]


def rounded(points: list[tuple[float, float]], radius: float = CORNER) -> tuple[float, ...]:
    """A polyline with rounded corners as a chain of cubics."""

    def toward(p: tuple[float, float], q: tuple[float, float], distance: float) -> tuple[float, float]:
        length = math.hypot(q[0] - p[0], q[1] - p[1]) or 1.0
        d = min(distance, length / 2)
        return p[0] + (q[0] - p[0]) * d / length, p[1] + (q[1] - p[1]) * d / length

    out: list[float] = [*points[0]]
    current = points[0]

    def line(to: tuple[float, float]) -> None:
        (x0, y0), (x1, y1) = current, to
        out.extend(
            (x0 + (x1 - x0) / 3, y0 + (y1 - y0) / 3, x0 + 2 * (x1 - x0) / 3, y0 + 2 * (y1 - y0) / 3, x1, y1)
        )

    for corner, after in zip(points[1:-1], points[2:], strict=True):
        line(toward(corner, current, radius))
        end = toward(corner, after, radius)
        out.extend((*corner, *corner, *end))
        current = end
    line(points[-1])
    return tuple(out)


def runs_behind(curve: tuple[float, ...], boxes: list[Box], samples: int = 40) -> bool:
    """Whether a single cubic passes through any of the boxes."""
    x0, y0, x1, y1, x2, y2, x3, y3 = curve
    for i in range(1, samples):
        t = i / samples
        s = 1.0 - t
        a, b, c, d = s * s * s, 3 * s * s * t, 3 * s * t * t, t * t * t
        px, py = a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3
        if any(bx0 < px < bx1 and by0 < py < by1 for bx0, by0, bx1, by1 in boxes):
            return True
    return False


def row_gap_route(sx: float, sy: float, ex: float, ey: float, ay: float, track: float) -> tuple[float, ...]:
    """Forward, out of the source's side (sx, sy), down into the gap under its row (the card's top is
    ay), along it past the cards beside, then beside the target up or down into its side (ex, ey)."""
    gap = ay + CHANNEL_HEIGHT + 11 + track
    out, into = sx + 14, ex - CORRIDOR
    if into <= out + 2 * CORNER:
        return (sx, sy, sx + 40, sy, ex - 40, ey, ex, ey)
    return rounded([(sx, sy), (out, sy), (out, gap), (into, gap), (into, ey), (ex, ey)])


def free_row_gap(
    below: float, left: float, right: float, track: float, has_card: Callable[[Box], bool]
) -> float | None:
    """The height of a run from `left` to `right` in the first row gap under `below` (a card's bottom)
    that holds no card, on its `track` (0, 8 or 16), or None when none is found close by."""
    for step in range(GAP_TRIES):
        top = below + step * GRID
        if not has_card((left, top + 2, right, top + ROW_GAP - 2)):
            return top + ROW_GAP / 2 + (track / 8 - 1) * 4
    return None


def return_route(
    ax: float,
    ay: float,
    bx: float,
    by: float,
    track: float,
    lanes_bottom: float | None,
    has_card: Callable[[Box], bool] | None = None,
) -> tuple[float, ...]:
    """Back to an earlier lane, from the card at (ax, ay) to the one at (bx, by): out of the source's
    left side, down the gap beside its column, along the lanes' bottom under every card (on its own
    `track`, so two returns can be told apart), up the gap right of the target, into its right side.

    On tall lanes (the lanes' bottom more than `FAR` below both cards) the run goes instead through the
    first row gap under the lower card that `has_card` finds empty: an arrow a screen long, not one as
    tall as the map, which would cross every screenful of it (and be painted on every drag step)."""
    lowest = max(ay, by) + CHANNEL_HEIGHT + 24
    run = max(lowest, lanes_bottom - 36) if lanes_bottom is not None else lowest
    out, back = ax - CORRIDOR - track / 2, bx + CHANNEL_WIDTH + CORRIDOR + track / 2
    near = None
    if has_card is not None and run - lowest > FAR and back < out:
        near = free_row_gap(max(ay, by) + CHANNEL_HEIGHT, back - 4, out + 4, track, has_card)
    run = near if near is not None else run + track
    sy, ey = ay + CHANNEL_HEIGHT * 0.7, by + CHANNEL_HEIGHT * 0.7
    if back >= out:  # overlapping columns: an arc under both cards
        sx, ex = ax + CHANNEL_WIDTH / 2, bx + CHANNEL_WIDTH / 2
        sy, ey = ay + CHANNEL_HEIGHT, by + CHANNEL_HEIGHT + 2
        bottom = max(sy, ey) + 40.0
        return (sx, sy, sx, bottom, ex, bottom, ex, ey)
    return rounded([(ax, sy), (out, sy), (out, run), (back, run), (back, ey), (bx + CHANNEL_WIDTH + 2, ey)])
