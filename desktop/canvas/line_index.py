"""`LineIndex`: where the arrows run and where their rule boxes sit, for placing a rule box clear of them.

A rule box must not hide another arrow's line, any arrowhead or another box.
Asking Qt's scene index for the items under every candidate spot, then
testing each curve, cost seconds on a map of a few hundred cards; this grid
holds points sampled along every arrow (closer together than a box is tall,
so a line through a box leaves a point in it) and the boxes, and answers in
microseconds. An arrow that moves replaces its own points.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

CELL = 60.0
SPACING = 8.0  # between two samples of a line: less than half a rule box's height

Rect = tuple[float, float, float, float]  # left, top, right, bottom


def _cells(x0: float, y0: float, x1: float, y1: float) -> Iterable[tuple[int, int]]:
    for cx in range(int(x0 // CELL), int(x1 // CELL) + 1):
        for cy in range(int(y0 // CELL), int(y1 // CELL) + 1):
            yield cx, cy


class LineIndex:
    """Sampled arrow lines (with their heads) and rule boxes, by grid cell; keys are the arrows."""

    def __init__(self) -> None:
        self._points: dict[tuple[int, int], dict[Hashable, list[tuple[float, float]]]] = {}
        self._point_cells: dict[Hashable, set[tuple[int, int]]] = {}
        self._boxes: dict[tuple[int, int], dict[Hashable, Rect]] = {}
        self._box_cells: dict[Hashable, set[tuple[int, int]]] = {}

    def put_line(self, key: Hashable, points: Iterable[tuple[float, float]]) -> None:
        self.remove_line(key)
        cells: set[tuple[int, int]] = set()
        for x, y in points:
            cell = (int(x // CELL), int(y // CELL))
            self._points.setdefault(cell, {}).setdefault(key, []).append((x, y))
            cells.add(cell)
        self._point_cells[key] = cells

    def remove_line(self, key: Hashable) -> None:
        for cell in self._point_cells.pop(key, ()):
            bucket = self._points.get(cell)
            if bucket is not None:
                bucket.pop(key, None)
                if not bucket:
                    del self._points[cell]

    def put_box(self, key: Hashable, rect: Rect | None) -> None:
        self.remove_box(key)
        if rect is None:
            return
        cells = set(_cells(*rect))
        for cell in cells:
            self._boxes.setdefault(cell, {})[key] = rect
        self._box_cells[key] = cells

    def remove_box(self, key: Hashable) -> None:
        for cell in self._box_cells.pop(key, ()):
            bucket = self._boxes.get(cell)
            if bucket is not None:
                bucket.pop(key, None)
                if not bucket:
                    del self._boxes[cell]

    def remove(self, key: Hashable) -> None:
        self.remove_line(key)
        self.remove_box(key)

    def blocked(self, rect: Rect, own: Hashable, own_points: Iterable[tuple[float, float]] = ()) -> bool:
        """Whether `rect` holds a point of another arrow's line, one of `own_points` (its own head), or
        overlaps another box."""
        x0, y0, x1, y1 = rect
        if any(x0 <= x <= x1 and y0 <= y <= y1 for x, y in own_points):
            return True
        for cell in _cells(x0, y0, x1, y1):
            for key, points in self._points.get(cell, {}).items():
                if key is not own and any(x0 <= x <= x1 and y0 <= y <= y1 for x, y in points):
                    return True
            for key, (bx0, by0, bx1, by1) in self._boxes.get(cell, {}).items():
                if key is not own and x0 < bx1 and bx0 < x1 and y0 < by1 and by0 < y1:
                    return True
        return False
