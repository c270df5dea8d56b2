"""The before/after slide: two versions of a map, their scores and what the changes earned, as one PNG or PDF.

This is the slide a marketing lead puts in front of the executive team after
trying a consolidation: a headline with both scores and the gain, the two
maps side by side (drawn by the canvas's own items, through the image
export's `Sheet`, with what was removed marked in red on the left and what is
new or changed marked in green and amber on the right, as on the canvas), the
score by component, the findings the changes resolved with their points, and
the list of changes. It is a fixed 16:9 page so it drops straight into a deck.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPageSize, QPainter, QPdfWriter, QPen

from desktop import APP_NAME
from desktop.canvas.compare_overlay import (
    CHANGED,
    NEW,
    REMOVED,
    ChannelMarks,
    card_rect_of,
    flow_trace_path,
    mark_colour,
    paint_channel_mark,
)
from desktop.canvas.theme import THEMES, Theme, band_colour, score_band
from desktop.domain import score_presentation
from desktop.domain.coherence import COMPONENTS, WEIGHTS, CoherenceReport, Finding, tenths
from desktop.domain.compare import Comparison, compare
from desktop.domain.errors import MapError
from desktop.domain.model import ArchitectureMap
from desktop.domain.vocabulary import money
from desktop.io.atomic import write_bytes
from desktop.io.images import ExportOptions, Sheet, ensure_gui_app

WIDTH, HEIGHT = 1920.0, 1080.0
MARGIN = 56.0
GUTTER = 32.0
MINUS = "\u2212"
SLIDE_FORMATS = (".png", ".pdf")
KICKER = "BEFORE / AFTER · WHAT THE CHANGES EARNED"
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTRE = Qt.AlignmentFlag.AlignCenter
COMPONENT_NAMES = score_presentation.COMPONENT_LABELS  # one vocabulary for the score


@dataclass(frozen=True)
class SlideSide:
    """One side of the comparison: a map and how the slide names it ("As-is", "Current map")."""

    arch: ArchitectureMap
    label: str


def signed(value: float) -> str:
    """A score change as people write it: +16.7, −2.5, 0.0 (true minus sign)."""
    number = tenths(value)
    if number > 0:
        return f"+{number}"
    if number < 0:
        return f"{MINUS}{-number}"
    return "0.0"


def change_lines(result: Comparison) -> list[tuple[str, str]]:
    """The differences in words, each with its mark kind (new, removed, changed), most telling first."""
    lines: list[tuple[str, str]] = []
    lines += [(REMOVED, f"Removed {name}") for name in result.channels_removed]
    lines += [(NEW, f"Added {name}") for name in result.channels_added]
    lines += [("moved", f"Moved {m.name} to {m.to_layer.capitalize()}") for m in result.channels_moved]
    for f in result.flows_changed:
        what = "rule" if f.fields == ("rule",) else ", ".join(f.fields)
        lines.append(("changed", f"New {what} on {f.source} → {f.target}"))
    lines += [(NEW, f"Connected {a} → {b}") for a, b in result.flows_added]
    lines += [(REMOVED, f"Disconnected {a} → {b}") for a, b in result.flows_removed]
    for c in result.channels_changed:
        lines.append(("changed", f"Edited {c.name} ({', '.join(f.replace('_', ' ') for f in c.fields)})"))
    return lines


def headline(message: str) -> str:
    """A finding's problem without its advice ("X feeds nothing back"), as a resolved finding reads."""
    return message.split(": ", 1)[0]


def row_text(row: score_presentation.FindingRow) -> str:
    """One line of the slide: a finding's problem, or a grouped headline with its channels."""
    if row.grouped:
        return f"{row.headline}: {', '.join(row.lines())}"
    return headline(row.headline)


def export_comparison(
    before: SlideSide, after: SlideSide, path: str | Path, theme: str = "light", scale: float = 2.0
) -> Path:
    """Write the before/after slide as a .png (at `scale`× 1920×1080) or a vector .pdf."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SLIDE_FORMATS:
        raise MapError(f"{path.name}: the comparison is exported as .png or .pdf")
    if theme not in THEMES:
        raise MapError(f"unknown theme {theme!r} (light, dark or projector)")
    ensure_gui_app()
    slide = ComparisonSlide(before, after, THEMES[theme])
    write_bytes(path, slide.png_bytes(scale) if suffix == ".png" else slide.pdf_bytes())
    return path


class ComparisonSlide:
    """The slide, painted in 1920×1080 logical units onto any painter."""

    def __init__(self, before: SlideSide, after: SlideSide, theme: Theme) -> None:
        self.before, self.after, self.theme = before, after, theme
        self.painter = QPainter()
        self.result = compare(before.arch, after.arch)
        self.marks = ChannelMarks.of(self.result, before.arch)

    # --- output --------------------------------------------------------------------------
    def image(self, scale: float = 1.0) -> QImage:
        image = QImage(round(WIDTH * scale), round(HEIGHT * scale), QImage.Format.Format_ARGB32_Premultiplied)
        image.setDotsPerMeterX(round(96 * scale / 0.0254))
        image.setDotsPerMeterY(round(96 * scale / 0.0254))
        image.fill(QColor(self.theme.background))
        painter = QPainter(image)
        try:
            painter.scale(scale, scale)
            self.paint(painter)
        finally:
            painter.end()
        return image

    def png_bytes(self, scale: float = 2.0) -> bytes:
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self.image(scale).save(buffer, "PNG")
        return bytes(buffer.data())

    def pdf_bytes(self) -> bytes:
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        writer = QPdfWriter(buffer)
        writer.setResolution(96)
        writer.setTitle(f"{self.after.arch.info.name}: {self.before.label} → {self.after.label}")
        writer.setCreator(APP_NAME)
        page = QPageSize(QSizeF(WIDTH * 0.75, HEIGHT * 0.75), QPageSize.Unit.Point, "Slide")
        writer.setPageSize(page)
        writer.setPageMargins(QMarginsF(0, 0, 0, 0))
        painter = QPainter(writer)
        try:
            self.paint(painter)
        finally:
            painter.end()
        return bytes(buffer.data())

    # --- the whole slide -------------------------------------------------------------------
    def paint(self, painter: QPainter) -> None:
        self.painter = painter
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(QRectF(0, 0, WIDTH, HEIGHT), QColor(self.theme.background))
        self._paint_header()
        half = (WIDTH - 2 * MARGIN - GUTTER) / 2
        top, bottom = 158.0, 780.0
        self._paint_map_panel(QRectF(MARGIN, top, half, bottom - top), self.before, self.result.before, True)
        right = QRectF(MARGIN + half + GUTTER, top, half, bottom - top)
        self._paint_map_panel(right, self.after, self.result.after, False)
        low, height = bottom + 24, HEIGHT - bottom - 24 - 62
        components_w, changes_w = 540.0, 520.0
        self._paint_components(QRectF(MARGIN, low, components_w, height))
        findings_left = MARGIN + components_w + GUTTER
        findings_w = WIDTH - MARGIN - changes_w - GUTTER - findings_left
        self._paint_findings(QRectF(findings_left, low, findings_w, height))
        self._paint_changes(QRectF(WIDTH - MARGIN - changes_w, low, changes_w, height))
        self._paint_footer()

    def _write(
        self,
        rect: QRectF,
        text: str,
        px: int,
        colour: str,
        bold: bool = False,
        align: Qt.AlignmentFlag = LEFT,
        spacing: float = 0.0,
    ) -> float:
        """Draw one line of text in `rect`, elided to fit; return the width it takes."""
        font = _font(px, bold)
        if spacing:
            font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, spacing)
        metrics = QFontMetricsF(font)
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        self.painter.setFont(font)
        self.painter.setPen(QColor(colour))
        self.painter.drawText(rect, align, shown)
        return metrics.horizontalAdvance(shown)

    # --- pieces ------------------------------------------------------------------------------
    def _paint_header(self) -> None:
        t, painter = self.theme, self.painter
        self._write(QRectF(MARGIN, 40, 900, 22), KICKER, 15, t.lane_subtitle, bold=True, spacing=1.6)
        room = WIDTH - 2 * MARGIN - 760
        self._write(QRectF(MARGIN, 64, room, 50), self.after.arch.info.name, 38, t.title_text, bold=True)
        today = date.today()
        subtitle = f"{self.before.label}  →  {self.after.label}   ·   {today.day} {today:%B %Y}"
        self._write(QRectF(MARGIN, 118, room, 28), subtitle, 19, t.lane_subtitle)

        delta = self.result.delta
        pill_text = f"{signed(delta)} points"
        pill_w = QFontMetricsF(_font(30, True)).horizontalAdvance(pill_text) + 44
        colour = QColor(t.band_good if delta > 0 else t.band_poor if delta < 0 else t.lane_subtitle)
        pill = QRectF(WIDTH - MARGIN - pill_w, 58, pill_w, 62)
        tint = QColor(colour)
        tint.setAlphaF(0.13)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(tint)
        painter.drawRoundedRect(pill, 31, 31)
        self._write(pill, pill_text, 30, colour.name(), bold=True, align=CENTRE)
        self._write(
            QRectF(pill.left() - 20, 124, pill_w + 40, 24),
            "change in coherence",
            15,
            t.lane_subtitle,
            align=CENTRE,
        )
        x = pill.left() - 36
        sides = ((self.result.after.score, self.after.label), (self.result.before.score, self.before.label))
        for index, (score, caption) in enumerate(sides):
            text = str(tenths(score))
            width = QFontMetricsF(_font(64, True)).horizontalAdvance(text)
            self._write(
                QRectF(x - width - 4, 44, width + 4, 80), text, 64, band_colour(t, score), True, RIGHT
            )
            label_w = max(width, 150)
            self._write(QRectF(x - label_w, 124, label_w, 24), caption, 15, t.lane_subtitle, align=RIGHT)
            x -= width
            if index == 0:
                self._write(QRectF(x - 64, 44, 64, 80), "→", 40, t.lane_subtitle, align=CENTRE)
                x -= 64

    def _paint_map_panel(
        self, rect: QRectF, side: SlideSide, report: CoherenceReport, is_before: bool
    ) -> None:
        t, painter = self.theme, self.painter
        top = rect.top()
        which = "BEFORE" if is_before else "AFTER"
        label_w = self._write(
            QRectF(rect.left(), top, 200, 34), which, 17, t.lane_subtitle, True, spacing=1.0
        )
        score_text = f"{report.score_text} · {score_band(report.score)}"
        score_w = self._write(
            QRectF(rect.left(), top, rect.width(), 34),
            score_text,
            20,
            band_colour(t, report.score),
            True,
            RIGHT,
        )
        name_rect = QRectF(rect.left() + label_w + 14, top, rect.width() - label_w - score_w - 40, 34)
        self._write(name_rect, side.label, 20, t.title_text, bold=True)

        frame = QRectF(rect.left(), top + 42, rect.width(), rect.height() - 42)
        painter.setPen(QPen(QColor(t.lane_border), 1.2))
        painter.setBrush(QColor(t.background))
        painter.drawRoundedRect(frame, 12, 12)
        sheet = Sheet(side.arch, ExportOptions(theme=t.name, title=False), report)
        map_w, map_h = sheet.width, sheet.height - sheet.LEGEND
        inner = frame.adjusted(10, 10, -10, -10)
        scale = min(inner.width() / map_w, inner.height() / map_h)
        painter.save()
        painter.translate(
            inner.left() + (inner.width() - map_w * scale) / 2,
            inner.top() + (inner.height() - map_h * scale) / 2,
        )
        painter.scale(scale, scale)
        painter.setClipRect(QRectF(0, 0, map_w, map_h))
        sheet.paint(painter, QRectF(0, 0, map_w, map_h))
        painter.translate(sheet.map_origin - sheet.map_rect.topLeft())
        self._paint_marks(sheet, is_before, size=min(2.6, 0.62 / scale))
        painter.restore()

    def _paint_marks(self, sheet: Sheet, is_before: bool, size: float) -> None:
        """Removed channels and flows in red on the "before" map; new, changed and moved ones on the "after" map."""
        arch, painter = sheet.subject, self.painter
        if is_before:
            traces = [(pair, REMOVED) for pair in self.result.flows_removed]
        else:
            traces = [(pair, NEW) for pair in self.result.flows_added]
            traces += [((f.source, f.target), CHANGED) for f in self.result.flows_changed]
        for (source_name, target_name), kind in traces:
            source, target = arch.channel_by_name(source_name), arch.channel_by_name(target_name)
            item = sheet.scene.flow_items.get((source.id, target.id)) if source and target else None
            if item is not None:
                colour = mark_colour(self.theme, kind)
                colour.setAlphaF(0.4)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
                painter.drawPath(flow_trace_path(item.mapToScene(item.path()), 7.0 * size))
        if is_before:
            for channel in self.marks.removed:
                paint_channel_mark(painter, card_rect_of(channel), REMOVED, self.theme, size=size)
            return
        for channel in arch.iter_channels():
            found = self.marks.kind_of(channel)
            if found is not None:
                paint_channel_mark(painter, card_rect_of(channel), found[0], self.theme, size=size)

    def _paint_components(self, rect: QRectF) -> None:
        """Each component's points before (grey) and after (banded), against its weight; the drag last, in red."""
        t, painter = self.theme, self.painter
        heading = QRectF(rect.topLeft(), QSizeF(rect.width(), 28))
        x = rect.left() + self._write(heading, "Score by component", 20, t.title_text, True) + 28
        for label, colour, height in (
            (self.before.label, t.channel_border, 9.0),
            (self.after.label, t.band_good, 11.5),
        ):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(colour))
            painter.drawRoundedRect(QRectF(x, rect.top() + 14 - height / 2, 22, height), 3, 3)
            x += 28 + self._write(QRectF(x + 28, rect.top(), 110, 28), label, 14, t.lane_subtitle) + 20
        label_w, value_w = 104.0, 150.0
        bar_left = rect.left() + label_w
        bar_w = rect.width() - label_w - value_w - 12
        unit = bar_w / max(WEIGHTS.values())
        before, after = self.result.before, self.result.after
        rows = [
            (n, WEIGHTS[n], WEIGHTS[n] * before.components[n], WEIGHTS[n] * after.components[n])
            for n in COMPONENTS
        ]
        rows.append(("drag", 0.0, before.drag, after.drag))
        row_h = (rect.height() - 40) / len(rows)
        track = QColor(t.lane_border)
        track.setAlphaF(0.45)
        for i, (name, weight, old, new) in enumerate(rows):
            y = rect.top() + 38 + i * row_h
            middle = y + row_h / 2
            self._write(
                QRectF(rect.left(), y, label_w, row_h), COMPONENT_NAMES.get(name, "Drag"), 16, t.title_text
            )
            fill = band_colour(t, 100 * new / weight) if weight else t.band_poor
            painter.setPen(Qt.PenStyle.NoPen)
            for brush, bar in (
                (track, QRectF(bar_left, middle - 10, weight * unit, 20)),
                (QColor(t.channel_border), QRectF(bar_left, middle - 10, old * unit, 8)),
                (QColor(fill), QRectF(bar_left, middle - 0.5, new * unit, 10.5)),
            ):
                painter.setBrush(brush)
                painter.drawRoundedRect(bar, 3, 3)
            gained = (tenths(new) - tenths(old)) * (1 if weight else -1)
            text_colour = t.band_good if gained > 0 else t.band_poor if gained < 0 else t.lane_subtitle
            if weight:
                value = f"{tenths(old)} → {tenths(new)} / {weight:g}"
            else:
                value = f"{MINUS}{tenths(old)} → {MINUS}{tenths(new)}"
            self._write(
                QRectF(bar_left + bar_w + 12, y, value_w, row_h), value, 15, text_colour, bold=gained != 0
            )

    def _paint_findings(self, rect: QRectF) -> None:
        t = self.theme
        resolved = sorted(self.result.findings_resolved, key=lambda f: -f.points)
        new = sorted(self.result.findings_new, key=lambda f: -f.points)
        fixed = [
            (f"+{tenths(r.points)}", row_text(r), t.band_good) for r in self._grouped(resolved, self.before)
        ]
        added = [
            (f"{MINUS}{tenths(r.points)}", "New: " + row_text(r), t.band_poor)
            for r in self._grouped(new, self.after)
        ]
        if self.result.delta < 0 and new:  # a step back: what broke matters most
            title, rows = f"New findings ({len(new)}) · {len(resolved)} resolved", added + fixed
        else:
            title = f"Findings resolved ({len(resolved)})" + (f" · {len(new)} new" if new else "")
            rows = fixed + added
        self._write(QRectF(rect.topLeft(), QSizeF(rect.width(), 28)), title, 20, t.title_text, True)
        self._rows(
            rect.adjusted(0, 40, 0, 0), rows or [("", "No finding was resolved or added.", t.lane_subtitle)]
        )

    @staticmethod
    def _grouped(findings: list[Finding], side: SlideSide) -> list[score_presentation.FindingRow]:
        """A rule repeating more than three times as one headline (spend in the side's currency)."""
        arch = side.arch

        def spend(cid: str) -> float | None:
            return arch.channel(cid).monthly_spend if arch.has_channel(cid) else None

        return score_presentation.finding_rows(findings, spend, lambda x: money(x, arch.info.currency))

    def _paint_changes(self, rect: QRectF) -> None:
        t = self.theme
        lines = change_lines(self.result)
        self._write(
            QRectF(rect.topLeft(), QSizeF(rect.width(), 28)),
            f"What changed ({len(lines)})",
            20,
            t.title_text,
            True,
        )
        symbols = {NEW: "+", REMOVED: MINUS}
        rows = [(symbols.get(kind, "~"), text, mark_colour(t, kind).name()) for kind, text in lines]
        self._rows(
            rect.adjusted(0, 40, 0, 0),
            rows or [("", "No differences: the two maps are the same.", t.lane_subtitle)],
        )

    def _rows(self, rect: QRectF, rows: list[tuple[str, str, str]]) -> None:
        """A list of (marker, text, marker colour) rows; what does not fit becomes "+ N more"."""
        t = self.theme
        row_h = 29.0
        marker_w = 58.0 if all(len(marker) <= 4 for marker, _, _ in rows) else 76.0  # "+25.0": a grouped row
        fits = max(1, int(rect.height() // row_h))
        shown = rows if len(rows) <= fits else rows[: fits - 1]
        for i, (marker, text, colour) in enumerate(shown):
            y = rect.top() + i * row_h
            if marker:
                self._write(QRectF(rect.left(), y, marker_w - 8, row_h), marker, 16, colour, True, RIGHT)
            left = rect.left() + (marker_w if marker else 0)
            self._write(QRectF(left, y, rect.right() - left, row_h), text, 16, t.title_text)
        if len(shown) < len(rows):
            more = f"+ {len(rows) - len(shown)} more"
            y = rect.top() + len(shown) * row_h
            self._write(QRectF(rect.left() + marker_w, y, rect.width(), row_h), more, 15, t.lane_subtitle)

    def _paint_footer(self) -> None:
        t, painter = self.theme, self.painter
        y = HEIGHT - 44
        painter.setPen(QPen(QColor(t.lane_border), 1))
        painter.drawLine(QPointF(MARGIN, y - 10), QPointF(WIDTH - MARGIN, y - 10))
        x = MARGIN
        for kind, text in ((NEW, "New"), (CHANGED, "Changed or moved"), (REMOVED, "Removed")):
            painter.setPen(QPen(mark_colour(t, kind), 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(x, y + 6, 30, 18), 5, 5)
            x += 40 + self._write(QRectF(x + 40, y, 300, 30), text, 15, t.lane_subtitle) + 30
        note = (
            f"{APP_NAME} · coherence score out of 100 (both sides by contract v{self.result.after.version})"
        )
        self._write(QRectF(WIDTH / 2, y, WIDTH / 2 - MARGIN, 30), note, 15, t.lane_subtitle, align=RIGHT)


_FONTS: dict[tuple[int, bool], QFont] = {}


def _font(px: int, bold: bool = False) -> QFont:
    """A copy of a cached font (callers may change its letter spacing)."""
    key = (px, bold)
    if key not in _FONTS:
        font = QFont()
        font.setPixelSize(px)
        font.setBold(bold)
        _FONTS[key] = font
    return QFont(_FONTS[key])
