"""Image exports of a map (PNG, SVG, PDF) with its title, date, score and a legend, without a window.

What a lead pastes into a deck: the lanes, channels and flows drawn by the
canvas's own items (so an export looks exactly like the window, in any
theme), a header with the map's name, the date and the coherence score, and a
legend of the four layers. It needs only a `QGuiApplication`, which
`ensure_gui_app` creates (offscreen when there is no display) so the command
line exports with no window and no X server.

PNG is painted here in horizontal strips, on the calling thread as Qt's items
expect, while desktop.io.png compresses the strips already painted on worker
threads: a 2,000-channel map at 4× never needs one huge image in memory, the
second core deflates as the first paints, and progress and cancellation work
between strips. SVG and PDF are vector with
real text. PNG and SVG carry the map's interchange JSON (desktop.io.embedded
reads it back). Files are written atomically: a cancelled or failed export
leaves nothing behind.
"""

from __future__ import annotations

import math
import os
import re
import struct
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QPointF, QRect, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
    QRegion,
    QTransform,
)
from PySide6.QtWidgets import QApplication, QStyleOptionGraphicsItem

from desktop import APP_NAME
from desktop.canvas.scene import MapScene
from desktop.canvas.theme import THEMES, Theme, band_colour, score_band
from desktop.domain import interchange
from desktop.domain.coherence import CoherenceReport, assess
from desktop.domain.errors import MapError
from desktop.domain.layers import LAYERS
from desktop.domain.layout import CHANNEL_HEIGHT, LANE_WIDTH, slot_y
from desktop.domain.model import ArchitectureMap, MapInfo
from desktop.domain.validation import MAX_CHANNELS
from desktop.io.atomic import write_bytes, write_stream
from desktop.io.embedded import EMBED_KEY, PNG_SIGNATURE, SVG_NAMESPACE
from desktop.io.fonts import no_ligatures
from desktop.io.png import FAST_LEVEL, StripEncoder, chunk
from desktop.room.votes import VoteResults

FORMATS: dict[str, str] = {".png": "PNG image", ".svg": "SVG drawing", ".pdf": "PDF document"}
MIN_WIDTH = 1200.0
MIN_SCALE, MAX_SCALE = 0.25, 4.0
MAX_PIXELS = 1_000_000_000
STRIP_PIXELS = 8_000_000  # 2,500 rows at 3,200 px: half the strips (and hand-overs to the worker) of 4 Mpx
FAST_PIXELS = 40_000_000  # above this, a faster zlib level: 3× quicker, a fifth larger
PDF_MAX_POINTS = 14_400.0  # the largest page side PDF readers accept (200 inches)
MARGIN = 40.0
VOTE_HEAD, VOTE_LINE, VOTE_LINES = 40.0, 28.0, 8

Progress = Callable[[int, int], object]


@dataclass(frozen=True)
class ExportOptions:
    """How to export: pixel scale (PNG), theme, transparent background, a selection of channel ids, a header."""

    scale: float = 1
    theme: str = "light"
    transparent: bool = False
    selection: list[str] | None = None
    title: bool = True
    aspect: float | None = None  # e.g. 16/9: the page is padded to fill a slide; None: as tall as the map
    votes: VoteResults | None = None  # a workshop room's vote: dots on the cards and a list under the legend


class ExportCancelled(Exception):
    """The progress callback asked to stop; nothing was written."""


_APP: QGuiApplication | None = None


def ensure_gui_app() -> QGuiApplication:
    """The running Qt application, or a new headless one (offscreen when no display is available).

    A `QApplication`, not just a `QGuiApplication`: the canvas items live in a
    `QGraphicsScene`, which needs the widgets module's application object.
    """
    global _APP
    app = QGuiApplication.instance()
    if isinstance(app, QApplication):
        no_ligatures()
        return app
    if app is not None:
        raise RuntimeError("image export needs a QApplication, and a QGuiApplication is already running")
    no_display = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and no_display and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _APP = QApplication([sys.argv[0] if sys.argv and sys.argv[0] else APP_NAME])
    no_ligatures()  # "flows" stays searchable in a PDF (fonts.py)
    return _APP


def export_map(
    arch: ArchitectureMap,
    path: str | Path,
    options: ExportOptions | None = None,
    progress: Progress | None = None,
    report: CoherenceReport | None = None,
) -> Path:
    """Write `arch` as a .png, .svg or .pdf at `path`. Raises MapError (bad input) or ExportCancelled."""
    path = Path(path)
    options = options or ExportOptions()
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise MapError(f"{path.name}: images are exported as .png, .svg or .pdf")
    if options.theme not in THEMES:
        raise MapError(f"unknown theme {options.theme!r} (light, dark or projector)")
    if not MIN_SCALE <= options.scale <= MAX_SCALE:
        raise MapError(f"the scale must be between 1 and {MAX_SCALE:g}, not {options.scale:g}")
    check_drawable(arch, options, suffix)
    ensure_gui_app()
    sheet = Sheet(arch, options, report)
    if suffix == ".png":  # written as it is encoded (desktop.io.png)
        write_stream(path, lambda handle: sheet.write_png(handle, progress))
    else:
        write_bytes(path, sheet.svg_bytes(progress) if suffix == ".svg" else sheet.pdf_bytes(progress))
    return path


def check_drawable(arch: ArchitectureMap, options: ExportOptions, suffix: str) -> None:
    """Refuse, before anything is drawn, an image too large to make (MAX_CHANNELS, MAX_PIXELS)."""
    count = len(set(options.selection)) if options.selection else len(arch)
    if count > MAX_CHANNELS:
        raise MapError(
            f"{count:,} channels are too many to draw (at most {MAX_CHANNELS:,}): export a selection, "
            "or the data as CSV, XLSX or JSON"
        )
    if suffix != ".png" or options.selection:
        return  # (a selection is moved up: write_png checks its exact size)
    lowest = max((c.y for c in arch.iter_channels() if c.y is not None), default=0.0)
    height = Sheet.HEADER + lowest + CHANNEL_HEIGHT + 48 + Sheet.LEGEND
    width = max(len(LAYERS) * LANE_WIDTH + 48, MIN_WIDTH)
    pixels = (width * options.scale) * (height * options.scale)
    if pixels > MAX_PIXELS:
        raise MapError(
            f"a {width * options.scale:.0f}×{height * options.scale:.0f} px image is too large; "
            "export at a smaller scale, or as SVG or PDF"
        )


def selected_map(arch: ArchitectureMap, ids: list[str]) -> ArchitectureMap:
    """The selected channels and the flows between them, moved up under the lane headers."""
    chosen = [arch.channel(cid) for cid in dict.fromkeys(ids) if arch.has_channel(cid)]
    if not chosen:
        raise MapError("none of the selected channels is on the map")
    top = min((c.y for c in chosen if c.y is not None), default=slot_y(0))
    shift = max(0.0, top - slot_y(0))
    keep = {c.id for c in chosen}
    channels = [c.with_changes(y=c.y - shift) if c.y is not None else c for c in chosen]
    flows = [f for f in arch.flows if f.source in keep and f.target in keep]
    info = MapInfo(arch.info.name, arch.info.description, arch.info.created, arch.info.modified)
    return ArchitectureMap.build(channels, flows, info)


class Sheet:
    """One export page: header, the map's scene and the legend, laid out in scene units (1 unit = 1 px at 1×)."""

    HEADER = 112.0
    LEGEND = 72.0

    def __init__(
        self, arch: ArchitectureMap, options: ExportOptions, report: CoherenceReport | None = None
    ) -> None:
        self.options = options
        self.theme: Theme = THEMES[options.theme]
        self.whole = arch
        self.report = report if report is not None else assess(arch)
        self.subject = selected_map(arch, options.selection) if options.selection else arch
        self.scene = MapScene.for_map(self.subject, self.report, self.theme)
        self.votes = options.votes if options.votes is not None and options.votes.results else None
        self.votes_height = 0.0
        if self.votes is not None:
            from desktop.canvas.vote_dots import show_vote_dots

            show_vote_dots(self.scene, self.scene.channel_items, self.votes.dots_by_channel())
            self.votes_height = VOTE_HEAD + VOTE_LINE * min(len(self.votes.results), VOTE_LINES)
        self.map_rect = self.scene.sceneRect().united(
            self.scene.itemsBoundingRect().adjusted(-24, -24, 24, 24)
        )
        self.header_height = self.HEADER if options.title else 0.0
        width = max(self.map_rect.width(), MIN_WIDTH)
        height = self.header_height + self.map_rect.height() + self.LEGEND + self.votes_height
        if options.aspect:
            width, height = max(width, height * options.aspect), max(height, width / options.aspect)
        self.width, self.height = float(math.ceil(width)), float(math.ceil(height))
        self.top = (
            self.height - (self.header_height + self.map_rect.height() + self.LEGEND + self.votes_height)
        ) / 2
        self.map_origin = QPointF((self.width - self.map_rect.width()) / 2, self.top + self.header_height)
        self.content_left = self.map_origin.x() + (0.0 - self.map_rect.left())
        self.content_right = self.content_left + len(LAYERS) * LANE_WIDTH

    # --- the formats ------------------------------------------------------------------------
    def pixel_size(self, scale: float) -> tuple[int, int]:
        return round(self.width * scale), round(self.height * scale)

    def embedded_json(self) -> str:
        return interchange.dumps(self.subject, compact=True)  # read by programs, and compressed

    def write_png(self, sink: BinaryIO, progress: Progress | None = None) -> None:
        """The PNG into `sink`: the header chunks first, then each strip's pixels as soon as they are encoded."""
        scale = self.options.scale
        width, height = self.pixel_size(scale)
        if width * height > MAX_PIXELS:
            raise MapError(
                f"a {width}×{height} px image is too large; export at a smaller scale, or as SVG or PDF"
            )
        alpha = self.options.transparent
        strip = max(16, min(height, STRIP_PIXELS // width))
        level = 6 if width * height <= FAST_PIXELS else FAST_LEVEL
        background = Qt.GlobalColor.transparent if alpha else QColor(self.theme.background)
        total = 2 * height  # painting, then compressing (which overlaps the painting)
        ppm = round(96 * scale / 0.0254)
        head = [
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6 if alpha else 2, 0, 0, 0)),
            chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1)),
            chunk(b"iTXt", _itxt(EMBED_KEY, self.embedded_json())),
            chunk(b"tEXt", b"Software\0" + APP_NAME.encode("latin-1")),
        ]
        sink.writelines((PNG_SIGNATURE, *head))
        covered = self._under_lanes(scale)
        with StripEncoder(width, height, strip, alpha, level, sink=sink) as encoder:
            for top in range(0, height, strip):
                rows = min(strip, height - top)
                image = encoder.canvas()
                painter = QPainter(image)
                try:
                    # Cleared but where the lanes paint every pixel (PySide iterates a QRegion's rects).
                    clear = (QRegion(0, top, width, rows) - covered).translated(0, -top)
                    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
                    for part in clear:  # type: ignore[attr-defined]
                        painter.fillRect(part, background)
                    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
                    _smooth(painter)
                    painter.translate(0, -top)
                    painter.scale(scale, scale)
                    region = QRectF(0, top / scale, width / scale, rows / scale)
                    self.paint(painter, region, background=False)
                finally:
                    painter.end()
                encoder.submit(image, rows)
                _report(progress, top + rows + encoder.encoded_rows(), total)
            idat = encoder.finish(lambda rows: _report(progress, height + rows, total))
        sink.writelines((*idat, chunk(b"IEND")))

    def _under_lanes(self, scale: float) -> QRegion:
        """The pixels at `scale` that a lane's opaque fill covers whole (a pixel's margin kept): no need to clear them.

        Clearing a 3,200×140,824 px image before painting it took a tenth of the
        export, and the lanes then painted over nearly all of it.
        """
        covered = QRegion()
        offset = QTransform.fromTranslate(*(self.map_origin - self.map_rect.topLeft()).toTuple())
        for layer, lane in self.scene.lanes.items():
            if not lane.isVisible() or lane.effectiveOpacity() < 1:
                continue
            if QColor(self.theme.lane_tints[layer]).alpha() < 255:
                continue
            box = (lane.sceneTransform() * offset).mapRect(lane.boundingRect())
            left, top = math.ceil(box.left() * scale) + 1, math.ceil(box.top() * scale) + 1
            right, bottom = math.floor(box.right() * scale) - 1, math.floor(box.bottom() * scale) - 1
            if right > left and bottom > top:
                covered += QRegion(left, top, right - left, bottom - top)
        return covered

    def svg_bytes(self, progress: Progress | None = None) -> bytes:
        from PySide6.QtSvg import QSvgGenerator

        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        generator = QSvgGenerator()
        generator.setOutputDevice(buffer)
        generator.setResolution(96)
        width, height = int(self.width), int(self.height)
        generator.setSize(QSize(*self.pixel_size(self.options.scale)))
        generator.setViewBox(QRect(0, 0, width, height))
        generator.setTitle(self.subject.info.name)
        generator.setDescription(f"{self.subject.info.name}: a distribution architecture ({APP_NAME})")
        painter = QPainter(generator)
        try:
            self.paint(painter, QRectF(0, 0, width, height), progress=progress)
        finally:
            painter.end()
        return _svg_with_metadata(bytes(buffer.data()).decode("utf-8"), self.embedded_json()).encode("utf-8")

    def pdf_bytes(self, progress: Progress | None = None) -> bytes:
        from desktop.io.pdf_pages import paged_pdf_bytes, wants_pages

        if wants_pages(self):  # a tall map: A4 pages a person can print
            return paged_pdf_bytes(self, progress)
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        writer = QPdfWriter(buffer)
        writer.setResolution(96)
        writer.setTitle(self.subject.info.name)
        writer.setCreator(APP_NAME)
        fit = min(1.0, PDF_MAX_POINTS / (self.width * 0.75), PDF_MAX_POINTS / (self.height * 0.75))
        page = QSizeF(self.width * 0.75 * fit, self.height * 0.75 * fit)
        writer.setPageSize(QPageSize(page, QPageSize.Unit.Point, "Map", QPageSize.SizeMatchPolicy.ExactMatch))
        writer.setPageMargins(QMarginsF(0, 0, 0, 0))
        painter = QPainter(writer)
        try:
            painter.scale(fit, fit)
            self.paint(painter, QRectF(0, 0, self.width, self.height), progress=progress)
        finally:
            painter.end()
        return bytes(buffer.data())

    # --- painting ------------------------------------------------------------------------------
    def paint(
        self,
        painter: QPainter,
        region: QRectF,
        background: bool = True,
        progress: Progress | None = None,
        keep: Callable[[object], bool] | None = None,
    ) -> None:
        """Paint the part of the sheet inside `region` (sheet units); `progress` is told after each item.

        `keep`: which of the items in the region to paint (a page skips the cards another page shows).
        """
        if background and not self.options.transparent:
            painter.fillRect(region, QColor(self.theme.background))
        if self.header_height and region.top() < self.top + self.header_height:
            self._paint_header(painter)
        offset = self.map_origin - self.map_rect.topLeft()
        scene_region = region.translated(-offset).intersected(self.map_rect)
        items = self.scene.items(
            scene_region, Qt.ItemSelectionMode.IntersectsItemBoundingRect, Qt.SortOrder.AscendingOrder
        )
        base = painter.worldTransform()
        option = QStyleOptionGraphicsItem()
        total = len(items) + 1
        every = max(1, total // 100)
        for done, item in enumerate(items, start=1):
            if item.isVisible() and (keep is None or keep(item)):
                painter.save()
                painter.setWorldTransform(
                    item.sceneTransform() * QTransform.fromTranslate(offset.x(), offset.y()) * base
                )
                painter.setOpacity(item.effectiveOpacity())
                option.exposedRect = item.boundingRect()
                item.paint(painter, option, None)
                painter.restore()
            if progress is not None and done % every == 0:
                _report(progress, done, total)
        painter.setWorldTransform(QTransform.fromTranslate(offset.x(), offset.y()) * base)
        self.scene.drawForeground(painter, scene_region)
        painter.setWorldTransform(base)
        legend_top = self.map_origin.y() + self.map_rect.height()
        if region.bottom() > legend_top:
            self._paint_legend(painter, legend_top)
        if self.votes is not None and region.bottom() > legend_top + self.LEGEND:
            self._paint_votes(painter, legend_top + self.LEGEND)
        if progress is not None:
            _report(progress, total, total)

    def _paint_header(self, painter: QPainter) -> None:
        t = self.theme
        left, right = self.content_left, self.content_right
        score_text = self.report.score_text
        big = _font(round(t.title_px * 2.0), bold=True)
        small = _font(t.sub_px + 2)
        band = score_band(self.report.score)
        whole = " of the whole map" if self.subject is not self.whole else ""
        caption = f"{band} · coherence score{whole}"
        score_width = QFontMetricsF(big).horizontalAdvance(score_text)
        out_of = " / 100"
        out_width = QFontMetricsF(small).horizontalAdvance(out_of)
        caption_width = QFontMetricsF(small).horizontalAdvance(caption)
        block = max(score_width + out_width, caption_width)
        top = self.top + MARGIN * 0.6
        painter.setPen(QColor(band_colour(t, self.report.score)))
        painter.setFont(big)
        big_height = QFontMetricsF(big).height()
        painter.drawText(
            QRectF(right - out_width - score_width, top, score_width, big_height),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
            score_text,
        )
        painter.setPen(QColor(t.lane_subtitle))
        painter.setFont(small)
        painter.drawText(
            QRectF(right - out_width, top, out_width, big_height - QFontMetricsF(big).descent()),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
            out_of,
        )
        painter.drawText(
            QRectF(right - caption_width, top + big_height, caption_width, QFontMetricsF(small).height()),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            caption,
        )
        title_font = _font(round(t.title_px * 1.45), bold=True)
        title_metrics = QFontMetricsF(title_font)
        room = right - left - block - 40
        title = title_metrics.elidedText(self.subject.info.name, Qt.TextElideMode.ElideRight, room)
        painter.setPen(QColor(t.title_text))
        painter.setFont(title_font)
        painter.drawText(
            QRectF(left, top + 6, room, title_metrics.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            title,
        )
        painter.setPen(QColor(t.lane_subtitle))
        painter.setFont(small)
        painter.drawText(
            QRectF(left, top + 10 + title_metrics.height(), room, QFontMetricsF(small).height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self._subtitle(),
        )

    def _subtitle(self) -> str:
        today = date.today()
        when = f"{today.day} {today:%B %Y}"
        n, m = len(self.subject), len(self.subject.flows)
        flows = f"{m} flow" if m == 1 else f"{m} flows"
        if self.subject is not self.whole:
            return f"{when} · selection: {n} of {len(self.whole)} channels · {flows}"
        channels = f"{n} channel" if n == 1 else f"{n} channels"
        return f"{when} · {channels} · {flows}"

    def _paint_legend(self, painter: QPainter, top: float) -> None:
        t = self.theme
        font = _font(t.sub_px + 1)
        metrics = QFontMetricsF(font)
        painter.setFont(font)
        middle = top + self.LEGEND / 2
        x = self.content_left
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for layer in LAYERS:
            swatch = QRectF(x, middle - 11, 34, 22)
            painter.setPen(QPen(QColor(t.lane_border), max(1.0, t.border_width / 1.5)))
            painter.setBrush(QColor(t.lane_tints[layer]))
            painter.drawRoundedRect(swatch, 5, 5)
            x = self._legend_text(
                painter, metrics, swatch.right() + 8, middle, f"{layer.index + 1} {layer.title}"
            )
            x += 26
        x += 14
        flow_pen = QPen(QColor(t.flow), t.flow_width)
        x = self._legend_line(painter, flow_pen, x, middle, arrow=True)
        x = self._legend_text(painter, metrics, x + 8, middle, "Flow") + 26
        loop_pen = QPen(QColor(t.return_flow), t.return_width)  # as the canvas draws return arcs
        loop_pen.setStyle(Qt.PenStyle.DashLine)
        x = self._legend_line(painter, loop_pen, x, middle, arrow=True)
        x = self._legend_text(painter, metrics, x + 8, middle, "Feedback loop") + 26
        painter.setPen(QPen(QColor(t.channel_fill), 2))
        painter.setBrush(QColor(t.badge))
        painter.drawEllipse(QPointF(x + 10, middle), 10, 10)
        x = self._legend_text(painter, metrics, x + 28, middle, "Finding to fix") + 26
        if any(c.automation == "ai" for c in self.subject.iter_channels()):  # only when the map has one
            from desktop.canvas.ai_mark import WIDTH, paint_ai_mark

            paint_ai_mark(painter, QPointF(x + WIDTH / 2, middle), t.channel_fill)
            self._legend_text(painter, metrics, x + WIDTH + 8, middle, "Acts through AI")

    def _paint_votes(self, painter: QPainter, top: float) -> None:
        """The room's vote under the legend: each finding with its dots, most first."""
        assert self.votes is not None
        t = self.theme
        left = self.content_left
        painter.setFont(_font(t.sub_px + 3, bold=True))
        painter.setPen(QColor(t.title_text))
        heading = f"Room vote: what to fix first ({self.votes.voters} voted)"
        painter.drawText(
            QRectF(left, top, self.content_right - left, VOTE_HEAD), Qt.AlignmentFlag.AlignVCenter, heading
        )
        painter.setFont(_font(t.sub_px + 1))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for i, result in enumerate(self.votes.results[:VOTE_LINES]):
            y = top + VOTE_HEAD + i * VOTE_LINE
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#f59e0b"))
            for d in range(min(result.dots, 10)):
                painter.drawEllipse(QRectF(left + d * 14, y + VOTE_LINE / 2 - 5, 10, 10))
            painter.setPen(QColor(t.lane_subtitle))
            text = f"{result.dots}  {result.message}"
            painter.drawText(
                QRectF(left + 150, y, self.content_right - left - 150, VOTE_LINE),
                Qt.AlignmentFlag.AlignVCenter,
                QFontMetricsF(painter.font()).elidedText(
                    text, Qt.TextElideMode.ElideRight, self.content_right - left - 150
                ),
            )

    def _legend_text(
        self, painter: QPainter, metrics: QFontMetricsF, x: float, middle: float, text: str
    ) -> float:
        width = metrics.horizontalAdvance(text)
        painter.setPen(QColor(self.theme.lane_subtitle))
        painter.drawText(
            QRectF(x, middle - metrics.height() / 2, width + 2, metrics.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            text,
        )
        return x + width

    def _legend_line(self, painter: QPainter, pen: QPen, x: float, middle: float, arrow: bool) -> float:
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawLine(QPointF(x, middle), QPointF(x + 40, middle))
        if arrow:
            head = QPainterPath(QPointF(x + 44, middle))
            head.lineTo(x + 34, middle - 6)
            head.lineTo(x + 34, middle + 6)
            head.closeSubpath()
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(pen.color())
            painter.drawPath(head)
        return x + 44


# --- helpers -----------------------------------------------------------------------------------------
def _report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and progress(done, total) is False:
        raise ExportCancelled("export cancelled")


def _smooth(painter: QPainter) -> None:
    painter.setRenderHints(
        QPainter.RenderHint.Antialiasing
        | QPainter.RenderHint.TextAntialiasing
        | QPainter.RenderHint.SmoothPixmapTransform
    )


_FONTS: dict[tuple[int, bool], QFont] = {}


def _font(px: int, bold: bool = False) -> QFont:
    font = _FONTS.get((px, bold))
    if font is None:
        font = QFont()
        font.setPixelSize(px)
        font.setBold(bold)
        _FONTS[(px, bold)] = font
    return font


def _itxt(key: str, text: str) -> bytes:
    """A compressed international text chunk: keyword, flag 1, method 0, no language, no translation."""
    return key.encode("latin-1") + b"\0\x01\x00\0\0" + zlib.compress(text.encode("utf-8"), 9)


_FONT_FAMILY = re.compile(r'font-family="([^"]*)"')


def _svg_with_metadata(svg: str, map_json: str) -> str:
    """Add the map to the SVG's `<metadata>` and a generic fallback to every font (browsers lack Qt's names)."""
    svg = _FONT_FAMILY.sub(
        lambda m: m.group(0) if "sans-serif" in m.group(1) else f'font-family="{m.group(1)}, sans-serif"', svg
    )
    metadata = (
        f'<metadata><map xmlns="{SVG_NAMESPACE}" format="{EMBED_KEY}">{escape(map_json)}</map></metadata>\n'
    )
    anchor = svg.find("</desc>")
    if anchor >= 0:
        anchor += len("</desc>\n") if svg.startswith("</desc>\n", anchor) else len("</desc>")
    else:
        anchor = svg.index(">", svg.index("<svg")) + 1
    return svg[:anchor] + metadata + svg[anchor:]
