"""`CardIndex`: where the channel cards are, kept in plain Python for the rule boxes.

A rule box is placed on its arrow where it covers no card, which means asking
"which cards are around here?" a few times per labelled arrow. Asking Qt's
scene index returns every item there (long return arcs included) as Python
wrappers, and that cost grows with the map's density; this grid of cells
answers with the cards only, in microseconds, and a moved card updates two
or three cells.
"""

from __future__ import annotations

from desktop.domain.layout import CHANNEL_HEIGHT, CHANNEL_WIDTH

Box = tuple[float, float, float, float]  # left, top, right, bottom in scene units

CELL = 200.0


class CardIndex:
    """Card boxes by grid cell; keys are channel ids."""

    def __init__(self) -> None:
        self._boxes: dict[str, Box] = {}
        self._cells: dict[tuple[int, int], set[str]] = {}

    def __len__(self) -> int:
        return len(self._boxes)

    def put(self, key: str, x: float, y: float) -> None:
        """Record (or move) a card whose top-left corner is at (x, y)."""
        box = (x, y, x + CHANNEL_WIDTH, y + CHANNEL_HEIGHT)
        old = self._boxes.get(key)
        if old == box:
            return
        if old is not None:
            self._unlink(key, old)
        self._boxes[key] = box
        cells = self._cells
        for cell in _cells_of(box):
            members = cells.get(cell)
            if members is None:
                cells[cell] = {key}
            else:
                members.add(key)

    def remove(self, key: str) -> None:
        old = self._boxes.pop(key, None)
        if old is not None:
            self._unlink(key, old)

    def clear(self) -> None:
        self._boxes.clear()
        self._cells.clear()

    def boxes_near(self, left: float, top: float, right: float, bottom: float) -> list[Box]:
        """The boxes of the cards that overlap the rectangle (their edges touching does not count)."""
        found: list[Box] = []
        boxes, cells = self._boxes, self._cells
        for c in range(int(left // CELL), int(right // CELL) + 1):
            for r in range(int(top // CELL), int(bottom // CELL) + 1):
                for key in cells.get((c, r), ()):
                    x0, y0, x1, y1 = box = boxes[key]
                    if left < x1 and x0 < right and top < y1 and y0 < bottom and box not in found:
                        found.append(box)
        return found

    def any_in(self, box: Box) -> bool:
        """Whether a card overlaps `box` (left, top, right, bottom)."""
        return bool(self.boxes_near(*box))

    def _unlink(self, key: str, box: Box) -> None:
        cells = self._cells
        for cell in _cells_of(box):
            members = cells.get(cell)
            if members is not None:
                members.discard(key)
                if not members:
                    del cells[cell]


def _cells_of(box: Box) -> list[tuple[int, int]]:
    c0, r0 = int(box[0] // CELL), int(box[1] // CELL)
    c1, r1 = int(box[2] // CELL), int(box[3] // CELL)
    return [(c, r) for c in range(c0, c1 + 1) for r in range(r0, r1 + 1)]
