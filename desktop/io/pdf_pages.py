"""A tall map as a PDF a person can print: A4 pages, cut between channel cards, header first, legend last.

Why: a map of a few thousand channels is a sheet forty times taller than it is
wide; as one PDF page it is unreadable on paper (and beyond 200 inches PDF
readers refuse the page). So a sheet taller than two A4 pages is split into
A4 portrait pages at the sheet's width, each cut in a gap between cards where
there is one near the bottom of the page, never through a card's text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QRectF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

from desktop.canvas.channel_item import ChannelItem
from desktop.domain.layout import CHANNEL_HEIGHT

if TYPE_CHECKING:
    from desktop.io.images import Sheet

A4_RATIO = 297 / 210
PAGED_ABOVE = 2 * A4_RATIO  # a sheet taller than two A4 pages at its width is paged
MARGIN_POINTS = 24.0  # most printers cannot print the outermost few millimetres
Progress = Callable[[int, int], object]


def wants_pages(sheet: Sheet) -> bool:
    return not sheet.options.aspect and sheet.height > sheet.width * PAGED_ABOVE


def page_cuts(sheet: Sheet, page_height: float) -> list[tuple[float, float]]:
    """(top, bottom) of each page in sheet units; a cut falls between cards when a gap is near."""
    offset = sheet.map_origin.y() - sheet.map_rect.top()
    boxes = sorted(
        (c.y + offset, c.y + offset + CHANNEL_HEIGHT) for c in sheet.subject.channels if c.y is not None
    )
    pages: list[tuple[float, float]] = []
    top = 0.0
    while top < sheet.height - 1:
        bottom = min(top + page_height, sheet.height)
        if bottom < sheet.height:
            bottom = _gap_at_or_above(boxes, bottom, top + page_height * 0.7)
        pages.append((top, bottom))
        top = bottom
    return pages


def _gap_at_or_above(boxes: list[tuple[float, float]], wanted: float, lowest: float) -> float:
    """The y in [lowest, wanted] that cuts the fewest cards (the lowest such y wins no ties: the highest)."""
    near = [(start, end) for start, end in boxes if end >= lowest and start <= wanted]
    candidates = {wanted}
    for start, end in near:
        candidates.update(y for y in (start - 4, end + 4) if lowest <= y <= wanted)
    return min(candidates, key=lambda y: (sum(start < y < end for start, end in near), -y))


def paged_pdf_bytes(sheet: Sheet, progress: Progress | None = None) -> bytes:
    """The sheet on A4 portrait pages, scaled to the page's width."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(72)  # one device unit is one point
    writer.setTitle(sheet.subject.info.name)
    writer.setCreator("Distribution Architect")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(MARGIN_POINTS, MARGIN_POINTS, MARGIN_POINTS, MARGIN_POINTS),
            QPageLayout.Unit.Point,
        )
    )
    printable = writer.pageLayout().paintRect(QPageLayout.Unit.Point)
    scale = printable.width() / sheet.width
    pages = page_cuts(sheet, printable.height() / scale)
    painter = QPainter(writer)
    try:
        for index, (top, bottom) in enumerate(pages):
            if index:
                writer.newPage()
            painter.save()
            painter.scale(scale, scale)
            painter.translate(0, -top)
            region = QRectF(0, top, sheet.width, bottom - top)
            painter.setClipRect(region)
            step = _page_progress(progress, index, len(pages))
            sheet.paint(painter, region, progress=step, keep=_on_page(sheet, top, bottom))
            painter.restore()
    finally:
        painter.end()
    return bytes(buffer.data())


def _on_page(sheet: Sheet, top: float, bottom: float) -> Callable[[object], bool]:
    """Cards belong to the page that holds their middle (a card peeking over a cut is drawn once)."""
    offset = sheet.map_origin.y() - sheet.map_rect.top()

    def keep(item: object) -> bool:
        if not isinstance(item, ChannelItem):
            return True
        middle = item.sceneBoundingRect().center().y() + offset
        return top <= middle < bottom

    return keep


def _page_progress(progress: Progress | None, index: int, count: int) -> Progress | None:
    if progress is None:
        return None
    return lambda done, total: progress(index * total + done, count * total)
