"""The Compare dialog (`compareDialog`): two versions of a map side by side, and what the changes earned.

Pick two versions, a version and the current map, or another map file. The
dialog shows both scores and their difference, the five components as
grouped bars (pyqtgraph, updated in place), and the difference in words:
channels added, removed, moved or edited, flows added and removed, findings
resolved and new with their points. When the "after" side is the live map,
the canvas marks the changes (`desktop.canvas.compare_overlay`) and the
dialog follows every edit, so a lead consolidating the map sees at once what
each change earns. "Export Slide…" writes the before/after slide.
"""

from __future__ import annotations

import math
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.canvas.theme import score_band
from desktop.domain import score_presentation
from desktop.domain.coherence import COMPONENTS, WEIGHTS, CoherenceReport, tenths
from desktop.domain.compare import Comparison, compare
from desktop.domain.errors import MapError
from desktop.io.comparison_image import COMPONENT_NAMES, MINUS, SlideSide, export_comparison, headline, signed
from desktop.ui.versions_dock import CURRENT, band_colours

if TYPE_CHECKING:
    from desktop.ui.versions_dock import Scenarios

Choice = tuple[str, str]
NAMES_ROLE = Qt.ItemDataRole.UserRole + 1
OPEN_FILE = "open:"
CURRENT_KEY = "current:"
ROWS = (*COMPONENTS, "drag")


def _font(px: int, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(px)
    font.setBold(bold)
    return font


class Colours:
    """Band colours readable on the dialog's background (the canvas themes' light or dark set)."""

    def __init__(self, palette: QPalette) -> None:
        dark = palette.color(QPalette.ColorRole.Window).lightness() < 110
        self.good, self.fair, self.bad = band_colours(palette)
        self.text = palette.color(QPalette.ColorRole.WindowText).name()
        self.muted = palette.color(QPalette.ColorRole.Mid).name()
        self.background = palette.color(QPalette.ColorRole.Window).name()
        self.before = "#94a3b8" if not dark else "#64748b"
        self.track = QColor(self.text)
        self.track.setAlphaF(0.08)

    def band(self, score: float) -> str:
        return {"good": self.good, "fair": self.fair}.get(score_presentation.tone(score), self.bad)

    def signed(self, value: float) -> str:
        return self.good if tenths(value) > 0 else self.bad if tenths(value) < 0 else self.muted


class ComponentBars:
    """Grouped horizontal bars: each component's "before" points above its "after" points, against its weight.

    The last row is the drag (orphans and duplicates), drawn left of zero as in the coherence panel.
    """

    def __init__(self, colours: Colours) -> None:
        self.colours = colours
        self.widget = pg.PlotWidget(background=colours.background)
        self.widget.setObjectName("compareComponents")
        self.widget.setMinimumHeight(300)
        self.widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        plot = self.widget.getPlotItem()
        plot.hideButtons()
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.hideAxis("bottom")
        plot.invertY(True)
        axis = plot.getAxis("left")
        axis.setTicks([[(row, COMPONENT_NAMES.get(name, "Drag")) for row, name in enumerate(ROWS)], []])
        axis.setStyle(tickLength=0, tickAlpha=0, tickTextOffset=10, tickFont=_font(14))
        axis.setWidth(92)
        axis.setTextPen(pg.mkPen(colours.text))
        axis.setPen(pg.mkPen(None))
        rows = np.arange(len(ROWS), dtype=float)
        zeros = np.zeros(len(ROWS))
        none = pg.mkPen(None)
        weights = np.array([WEIGHTS[name] for name in COMPONENTS] + [0.0])
        self.track = pg.BarGraphItem(
            x0=zeros, y=rows, height=0.78, width=weights, brush=colours.track, pen=none
        )
        self.before = pg.BarGraphItem(
            x0=zeros, y=rows - 0.19, height=0.3, width=zeros, brush=colours.before, pen=none
        )
        self.after = pg.BarGraphItem(x0=zeros, y=rows + 0.17, height=0.36, width=zeros, pen=none)
        self.zero = pg.InfiniteLine(pos=0.0, angle=90, movable=False, pen=pg.mkPen(colours.muted, width=1))
        for item in (self.track, self.before, self.after, self.zero):
            plot.addItem(item)
        self.texts = [pg.TextItem(anchor=(0.0, 0.5)) for _ in ROWS]
        for text in self.texts:
            text.setFont(_font(14))
            plot.addItem(text)
        plot.setYRange(-0.6, len(ROWS) - 0.4, padding=0)

    def update(self, before: CoherenceReport, after: CoherenceReport) -> None:
        old = [WEIGHTS[n] * before.components[n] for n in COMPONENTS]
        new = [WEIGHTS[n] * after.components[n] for n in COMPONENTS]
        brushes = [pg.mkBrush(self.colours.band(100 * after.components[n])) for n in COMPONENTS]
        self.before.setOpts(
            x0=np.array([0.0] * len(COMPONENTS) + [-before.drag]), width=np.array([*old, before.drag])
        )
        self.after.setOpts(
            x0=np.array([0.0] * len(COMPONENTS) + [-after.drag]),
            width=np.array([*new, after.drag]),
            brushes=[*brushes, pg.mkBrush(self.colours.bad)],
        )
        for row, name in enumerate(COMPONENTS):
            gained = float(tenths(new[row]) - tenths(old[row]))
            self.texts[row].setText(
                f"{tenths(old[row])} → {tenths(new[row])}", color=self.colours.signed(gained)
            )
            self.texts[row].setPos(WEIGHTS[name] + 0.8, float(row))
        less = float(tenths(before.drag) - tenths(after.drag))
        drag = f"{MINUS}{tenths(before.drag)} → {MINUS}{tenths(after.drag)}" + (
            f"  ({signed(less)})" if less else ""
        )
        self.texts[-1].setText(drag, color=self.colours.signed(less))
        self.texts[-1].setPos(0.8, float(len(COMPONENTS)))
        left = -max(5.0, 5.0 * math.ceil(max(before.drag, after.drag) / 5.0))
        self.widget.getPlotItem().setXRange(left, max(WEIGHTS.values()) + 17, padding=0)

    def values(self) -> tuple[list[float], list[float]]:
        """The points the two bars of each component show (read from the bar items)."""
        count = len(COMPONENTS)
        return [float(v) for v in self.before.opts["width"][:count]], [
            float(v) for v in self.after.opts["width"][:count]
        ]


class CompareDialog(QDialog):
    """Compare "from" and "to": versions of this map, the current map, or map files."""

    def __init__(self, scenarios: Scenarios, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("compareDialog")
        self.setWindowTitle("Compare")
        self.setModal(False)
        self.resize(1240, 800)
        self.scenarios = scenarios
        self.colours = Colours(self.palette())
        self.result: Comparison | None = None  # type: ignore[assignment]  # in place of QDialog.result()
        self.sides: tuple[SlideSide, SlideSide] | None = None
        self._session = scenarios.session
        self._build()
        if self._session is not None:
            self._session.changed.connect(self._map_changed)
        self.finished.connect(self._closed)

    # --- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self, contentsMargins=QMargins(20, 16, 20, 16), spacing=14)
        pick = QHBoxLayout()
        self.from_box, self.to_box = self._picker("compareFrom"), self._picker("compareTo")
        swap = QToolButton(text="⇄", toolTip="Swap before and after")
        swap.clicked.connect(self.swap)
        for text, picker in (("Before:", self.from_box), (None, swap), ("After:", self.to_box)):
            if text:
                pick.addWidget(QLabel(text, styleSheet="font-weight: 600;"))
            pick.addWidget(picker, 1 if text else 0)
        layout.addLayout(pick)

        scores = QFrame(objectName="compareScores", frameShape=QFrame.Shape.StyledPanel)
        row = QHBoxLayout(scores, contentsMargins=QMargins(20, 12, 20, 12))
        self.from_score, self.to_score = QLabel(), QLabel()
        self.delta = QLabel(objectName="compareDelta", alignment=Qt.AlignmentFlag.AlignRight)
        arrow = QLabel("→", styleSheet=f"font-size: 34px; color: {self.colours.muted};")
        for widget, stretch in ((self.from_score, 0), (arrow, 0), (self.to_score, 0), (self.delta, 1)):
            row.addWidget(widget, stretch)
            row.addSpacing(18)
        layout.addWidget(scores)

        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left, contentsMargins=QMargins(0, 0, 8, 0))
        self.legend = QLabel()
        self.bars = ComponentBars(self.colours)
        for widget in (self._section("Score by component"), self.legend):
            left_layout.addWidget(widget)
        left_layout.addWidget(self.bars.widget, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right, contentsMargins=QMargins(8, 0, 0, 0))
        right_layout.addWidget(self._section("What changed"))
        self.changes = QTreeWidget(
            objectName="compareChanges",
            columnCount=2,
            headerHidden=True,
            rootIsDecorated=False,
            wordWrap=True,
        )
        self.changes.itemDoubleClicked.connect(self._frame)
        self.changes.setStyleSheet("QTreeWidget { font-size: 14px; } QTreeWidget::item { padding: 3px 0; }")
        right_layout.addWidget(self.changes, 1)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([520, 700])
        layout.addWidget(split, 1)

        bottom = QHBoxLayout()
        self.overlay_box = QCheckBox(
            "Mark the changes on the canvas", objectName="showOnCanvas", checked=True
        )
        self.overlay_box.toggled.connect(lambda _checked: self._apply_overlay())
        bottom.addWidget(self.overlay_box)
        bottom.addStretch(1)
        tip = "Save both maps, the scores and the resolved findings as one PNG or PDF"
        self.export_button = QPushButton("Export Slide…", objectName="exportSlide", toolTip=tip)
        self.export_button.clicked.connect(self.ask_export)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        bottom.addWidget(self.export_button)
        bottom.addWidget(close)
        layout.addLayout(bottom)
        self._fill_pickers()

    def _section(self, text: str) -> QLabel:
        return QLabel(text, styleSheet="font-size: 15px; font-weight: 700;")

    def _picker(self, name: str) -> QComboBox:
        box = QComboBox(objectName=name, minimumWidth=260)
        box.activated.connect(lambda _index, b=box: self._picked(b))
        return box

    def _fill_pickers(self) -> None:
        for box in (self.from_box, self.to_box):
            box.blockSignals(True)
            box.clear()
            for info in reversed(self.scenarios.versions()):
                box.addItem(f"{info.name}  ·  {tenths(info.score)}", _key(("version", info.name)))
            box.addItem(CURRENT, CURRENT_KEY)
            box.insertSeparator(box.count())
            box.addItem("Another map file…", OPEN_FILE)
            box.blockSignals(False)

    # --- choosing --------------------------------------------------------------------------
    def choose(self, before: Choice | None = None, after: Choice = ("current", "")) -> None:
        """Select the two sides; without `before`, the newest version (or the current map)."""
        if before is None or not before[1] and before[0] == "version":
            versions = self.scenarios.versions()
            before = ("version", versions[-1].name) if versions else ("current", "")
        self._select(self.from_box, before)
        self._select(self.to_box, after)
        self.recompute()

    def _select(self, box: QComboBox, choice: Choice) -> None:
        index = box.findData(_key(choice))
        if index < 0 and choice[0] == "file":
            index = box.findData(OPEN_FILE)
            box.insertItem(index, Path(choice[1]).name, _key(choice))
        box.setCurrentIndex(max(0, index))

    def _picked(self, box: QComboBox) -> None:
        if box.currentData() == OPEN_FILE:
            name, _ = QFileDialog.getOpenFileName(
                self, "Compare With a Map", "", "Maps (*.distarch *.json);;All files (*)"
            )
            if not name:
                box.setCurrentIndex(box.findData(CURRENT_KEY))
            else:
                self._select(box, ("file", name))
        self.recompute()

    def chosen(self) -> tuple[Choice, Choice]:
        """The two sides picked: ("version", name), ("current", "") or ("file", path)."""
        return _choice(self.from_box.currentData()), _choice(self.to_box.currentData())

    def swap(self) -> None:
        before, after = self.chosen()
        self._select(self.from_box, after)
        self._select(self.to_box, before)
        self.recompute()

    def _side(self, choice: Choice) -> SlideSide:
        kind, value = choice
        if kind == "version":
            return SlideSide(self.scenarios.load(value), value)
        if kind == "file":
            return SlideSide(self.scenarios.load_file(value), Path(value).stem)
        return SlideSide(self.scenarios.current(), CURRENT)

    # --- showing ----------------------------------------------------------------------------
    def recompute(self) -> None:
        """Compare the two chosen sides again and show the result (and the canvas marks)."""
        try:
            before_choice, after_choice = self.chosen()
            before = self._side(before_choice)
            after = self._side(after_choice)
        except (MapError, OSError) as exc:
            self.result = None
            self.changes.clear()
            self.delta.setText(f"<span style='color:{self.colours.bad}'>{exc}</span>")
            self._apply_overlay()
            return
        self.sides = (before, after)
        self.result = compare(before.arch, after.arch)
        self._show(self.result, before, after)
        self._apply_overlay()

    def _show(self, result: Comparison, before: SlideSide, after: SlideSide) -> None:
        c = self.colours
        self.from_score.setText(self._scoreescape("BEFORE", before.label, result.before))
        self.to_score.setText(self._scoreescape("AFTER", after.label, result.after))
        resolved, new = len(result.findings_resolved), len(result.findings_new)
        summary = f"{resolved} finding{'s' if resolved != 1 else ''} resolved · {new} new"
        self.delta.setText(
            f"<div style='font-size:46px; font-weight:700; color:{c.signed(result.delta)}'>"
            f"{signed(result.delta)}</div>"
            f"<div style='font-size:14px; color:{c.muted}'>points · {summary}</div>"
        )
        self.delta.setAccessibleName(f"Score change {signed(result.delta)} points")
        self.legend.setText(
            f"<span style='color:{c.before}; font-size:16px'>■</span> {escape(before.label)}"
            f" &nbsp;&nbsp; <span style='color:{c.good}; font-size:16px'>■</span> {escape(after.label)}"
        )
        self.bars.update(result.before, result.after)
        self._fill_changes(result)

    def _scoreescape(self, caption: str, label: str, report: CoherenceReport) -> str:
        c = self.colours
        return (
            f"<div style='font-size:13px; color:{c.muted}; font-weight:600'>{caption} · {escape(label)}</div>"
            f"<div style='font-size:46px; font-weight:700; color:{c.band(report.score)}'>{report.score_text}</div>"
            f"<div style='font-size:13px; color:{c.muted}'>{score_band(report.score)}</div>"
        )

    def _fill_changes(self, result: Comparison) -> None:
        c = self.colours
        self.changes.clear()
        rows: dict[str, list[tuple[str, str, str, tuple[str, ...]]]] = {
            "Findings resolved": [
                (headline(f.message), f"+{tenths(f.points)}", c.good, f.channels)
                for f in result.findings_resolved
            ],
            "New findings": [
                (headline(f.message), f"{MINUS}{tenths(f.points)}", c.bad, f.channels)
                for f in result.findings_new
            ],
            "Channels removed": [(n, MINUS, c.bad, ()) for n in result.channels_removed],
            "Channels added": [(n, "+", c.good, (n,)) for n in result.channels_added],
            "Channels moved to another layer": [
                (f"{m.name}: {m.from_layer} → {m.to_layer}", "↔", c.fair, (m.name,))
                for m in result.channels_moved
            ],
            "Channels edited": [
                (f"{e.name} ({', '.join(e.fields)})", "~", c.fair, (e.name,)) for e in result.channels_changed
            ],
            "Flows added": [(f"{a} → {b}", "+", c.good, (a, b)) for a, b in result.flows_added],
            "Flows removed": [(f"{a} → {b}", MINUS, c.bad, ()) for a, b in result.flows_removed],
            "Flows changed": [
                (f"{f.source} → {f.target} ({', '.join(f.fields)})", "~", c.fair, (f.source, f.target))
                for f in result.flows_changed
            ],
        }
        bold = _font(14, bold=True)
        for title, items in rows.items():
            if not items:
                continue
            head = QTreeWidgetItem([f"{title} ({len(items)})", ""])
            head.setFont(0, bold)
            head.setFont(1, bold)
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.changes.addTopLevelItem(head)
            for text, marker, colour, names in items:
                child = QTreeWidgetItem([text, marker])
                child.setForeground(1, QBrush(QColor(colour)))
                child.setFont(1, bold)
                child.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                child.setData(0, NAMES_ROLE, list(names))
                child.setToolTip(0, text)
                head.addChild(child)
            head.setExpanded(True)
        if self.changes.topLevelItemCount() == 0:
            self.changes.addTopLevelItem(
                QTreeWidgetItem(["The two maps have the same channels, flows and findings."])
            )
        header = self.changes.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, header.ResizeMode.Stretch)
        header.setSectionResizeMode(1, header.ResizeMode.ResizeToContents)

    def section_rows(self) -> dict[str, list[str]]:
        """The shown difference, section title (without count) → row texts (for tests and the slide)."""
        result: dict[str, list[str]] = {}
        for i in range(self.changes.topLevelItemCount()):
            head = self.changes.topLevelItem(i)
            assert head is not None
            title = head.text(0).rsplit(" (", 1)[0]
            result[title] = [child.text(0) for j in range(head.childCount()) if (child := head.child(j))]
        return result

    def _frame(self, item: QTreeWidgetItem) -> None:
        names = item.data(0, NAMES_ROLE) or []
        session = self.scenarios.session
        if not names or session is None:
            return
        ids = [c.id for c in (session.map.channel_by_name(n) for n in names) if c is not None]
        if ids:
            self.scenarios.window.frame_channels(ids)

    # --- the canvas, the live map and the slide ---------------------------------------------
    def _apply_overlay(self) -> None:
        before_choice, after_choice = self.chosen()
        possible = self.result is not None and after_choice == ("current", "") != before_choice
        self.overlay_box.setEnabled(possible)
        self.overlay_box.setToolTip(
            "" if possible else "The canvas can mark the changes when “After” is the current map"
        )
        if possible and self.overlay_box.isChecked() and self.sides is not None:
            before = self.sides[0]
            overlay = self.scenarios.overlay
            if overlay is None or overlay.label != before.label:
                self.scenarios.show_overlay(before.arch, before.label)
        else:
            self.scenarios.hide_overlay()

    def _map_changed(self, _change: object) -> None:
        if ("current", "") in self.chosen() and self.isVisible():
            self.recompute()

    def ask_export(self) -> None:
        if self.sides is None:
            return
        before, after = self.sides
        stem = f"{after.arch.info.name} - {before.label} vs {after.label}".replace("/", "-")
        start = str(Path.home() / f"{stem}.png")
        name, chosen = QFileDialog.getSaveFileName(
            self, "Export Comparison Slide", start, "PNG image (*.png);;PDF document (*.pdf)"
        )
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() not in (".png", ".pdf"):
            path = path.with_suffix(".pdf" if "PDF" in chosen else ".png")
        self.export_slide(path)

    def export_slide(self, path: str | Path) -> Path | None:
        """Write the before/after slide of the two chosen sides; a failure is shown, not raised."""
        if self.sides is None:
            return None
        theme = "projector" if self.scenarios.window.resolved_theme() == "projector" else "light"
        try:
            written = export_comparison(self.sides[0], self.sides[1], path, theme=theme)
        except (MapError, OSError) as exc:
            self.scenarios.window.show_problem("The slide could not be exported", str(exc))
            return None
        self.scenarios.window.flash(f"Exported the comparison slide to {written}")
        return written

    def _closed(self) -> None:
        self.scenarios.hide_overlay()
        session, self._session = self._session, None
        if session is not None:
            try:
                session.changed.disconnect(self._map_changed)
            except (RuntimeError, TypeError):
                pass


def _key(choice: Choice) -> str:
    return f"{choice[0]}:{choice[1]}"


def _choice(key: object) -> Choice:
    kind, _, value = str(key or CURRENT_KEY).partition(":")
    return (kind, value)
