"""The coherence panel dock (`coherencePanel`): the score, its components, its history and the findings.

It follows `session.changed` synchronously, so the score, the bars, the
history line and the findings move with every edit, undo and redo before the
next frame is painted; there is no "recalculate". Everything it shows comes
from `session.report` and from the file's score history (each edit's score is
written in the same transaction as the edit, so the line survives reopening).

The charts are pyqtgraph (`desktop.ui.score_charts`), built the first time the
panel is shown rather than when the window module is imported: pyqtgraph and
numpy cost most of a second to import, and the window should appear first.
Colours follow the application palette, and the band colours are adjusted
until they read at WCAG AA contrast on the panel's background.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QDockWidget,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.commands.session import Change, MapSession
from desktop.domain import score_presentation
from desktop.domain.coherence import COMPONENTS, CoherenceReport, tenths
from desktop.ui.binding import Links

if TYPE_CHECKING:
    from decimal import Decimal

    from desktop.ui.fix_bar import Spends
    from desktop.ui.score_charts import ComponentChart, HistoryChart

MINUS = "\u2212"
HISTORY_WINDOW = 200
HISTORY_HEIGHT = 70
COMPONENTS_HEIGHT = 20 * (len(COMPONENTS) + 1) + 6  # a row per component of the contract, and drag
AA = 4.5
LIGHT_BANDS = {"good": "#15803d", "warn": "#b45309", "bad": "#b91c1c", "accent": "#1d4ed8"}
DARK_BANDS = {"good": "#4ade80", "warn": "#fbbf24", "bad": "#f87171", "accent": "#60a5fa"}


def _luminance(colour: str) -> float:
    rgb = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""
    a, b = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def mix(colour: str, other: str, amount: float) -> str:
    """`colour` moved `amount` (0..1) of the way to `other`, as #rrggbb."""
    a, b = QColor(colour), QColor(other)
    channels = [round(x + (y - x) * amount) for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True)]  # type: ignore[index]
    return QColor(*channels).name()


def readable(colour: str, background: str, text: str) -> str:
    """`colour`, moved towards the text colour until it reads at AA on `background` and on its own tint."""
    for step in range(11):
        candidate = mix(colour, text, step / 10)
        if min(contrast(candidate, background), contrast(candidate, tint(candidate, background))) >= AA:
            return candidate
    return text


@lru_cache(maxsize=64)  # asked after every edit, for the few colours of the bands
def tint(colour: str, background: str) -> str:
    """The opaque background of a pill of `colour` on `background`."""
    return mix(background, colour, 0.13)


_TONE_KEYS = {"good": "good", "fair": "warn", "poor": "bad"}


def band_of(score: float) -> tuple[str, str]:
    """The band caption (docs/score.md, one vocabulary everywhere) and the panel's colour key of a score."""
    band = score_presentation.band_of(score)
    return band.caption, _TONE_KEYS[band.tone]


@dataclass(frozen=True)
class PanelColours:
    """The panel's colours for one palette: all text colours read at AA on `background`."""

    background: str
    text: str
    muted: str
    track: str
    accent: str
    good: str
    warn: str
    bad: str
    list_background: str
    list_bad: str
    list_muted: str

    @classmethod
    def from_palette(cls, palette: QPalette) -> PanelColours:
        background = palette.color(QPalette.ColorRole.Window).name()
        text = palette.color(QPalette.ColorRole.WindowText).name()
        base = palette.color(QPalette.ColorRole.Base).name()
        base_text = palette.color(QPalette.ColorRole.Text).name()
        dark = _luminance(background) < 0.2
        bands = DARK_BANDS if dark else LIGHT_BANDS
        muted = palette.color(QPalette.ColorRole.Mid).name()
        return cls(
            background=background,
            text=text,
            muted=readable(muted, background, text),
            track=mix(background, text, 0.1),
            accent=readable(bands["accent"], background, text),
            good=readable(bands["good"], background, text),
            warn=readable(bands["warn"], background, text),
            bad=readable(bands["bad"], background, text),
            list_background=base,
            list_bad=readable(bands["bad"], base, base_text),
            list_muted=readable(muted, base, base_text),
        )

    def band(self, score: float) -> str:
        return getattr(self, band_of(score)[1])

    def ratio_colour(self, value: float) -> str:
        """The colour of a component bar: its share of the weight, banded like the score."""
        return self.band(value * 100.0)


def delta_text(delta: Decimal | None) -> str:
    if delta is None:
        return ""
    if delta > 0:
        return f"▲ +{delta} since last edit"
    if delta < 0:
        return f"▼ {MINUS}{-delta} since last edit"
    return "No change since last edit"


class CoherencePanel(QDockWidget):
    """Score, component bars, score history, findings and economics. Signal `finding_activated(ids)`."""

    finding_activated = Signal(list)

    def __init__(self, parent=None, build: bool = True) -> None:
        super().__init__("Coherence", parent)
        self.setObjectName("coherencePanel")
        self.setMinimumWidth(340)
        self.session: MapSession | None = None
        self.component_chart: ComponentChart | None = None
        self.history_chart: HistoryChart | None = None
        self.colours = PanelColours.from_palette(self.palette())
        self._history: deque[tuple[float, float]] = deque(maxlen=HISTORY_WINDOW)
        self._edits = 0
        self._step: tuple[int, int] = (0, 0)  # the undo stack's (count, index) at the last change
        self._shown: CoherenceReport | None = None
        self._delta: Decimal | None = None
        self._styles: dict[QLabel, str] = {}
        self._charts_scheduled = False
        self._charted: tuple | None = None  # the component values and drag the bars show
        self._version_marks: list[tuple[float, str]] = []
        self._mark_lines: list = []
        self.built = False
        self._pending_bind: tuple | None = None
        self._links = Links()
        self._v2_start: float | None = None  # the history's first contract-2 row after contract-1 rows
        self._spends: Spends | None = None  # see spend_of
        self._listed: CoherenceReport | None = None  # the report whose findings the list shows
        self._following = False  # the list follows the findings from edit to edit (not a new map)
        if build:
            self.build()

    def build(self) -> None:
        """Fill the panel (the window may do it just after its first frame, when it starts)."""
        if self.built:
            return
        self.built = True
        self._build()
        self._apply_colours()
        if self._pending_bind is not None:
            session, scene, view = self._pending_bind
            self._pending_bind = None
            self.bind(session, scene, view)

    # --- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        from desktop.ui.economics_table import EconomicsTable
        from desktop.ui.findings_list import FindingsList

        body = QWidget()
        body.setObjectName("coherenceBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.setSpacing(8)

        header = QGridLayout()
        header.setHorizontalSpacing(12)
        header.setVerticalSpacing(6)
        number = QHBoxLayout()
        number.setSpacing(4)
        self.score = QLabel("–")
        self.score.setObjectName("scoreValue")
        self.score.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        number.addWidget(self.score, 0, Qt.AlignmentFlag.AlignBottom)
        self.out_of = QLabel("/ 100")
        self.out_of.setObjectName("scoreOutOf")
        number.addWidget(self.out_of, 0, Qt.AlignmentFlag.AlignBottom)
        header.addLayout(number, 0, 0)
        self.history_slot = self._slot(HISTORY_HEIGHT)
        self.history_slot.setToolTip("The score after each edit of this map")
        header.addWidget(self.history_slot, 0, 1)
        header.setColumnStretch(1, 1)
        status = QHBoxLayout()
        status.setSpacing(10)
        self.band = QLabel()
        self.band.setObjectName("scoreBand")
        status.addWidget(self.band)
        self.delta = QLabel()
        self.delta.setObjectName("scoreDelta")
        status.addWidget(self.delta)
        status.addStretch(1)
        self.history_count = QLabel()
        self.history_count.setObjectName("historyCount")
        status.addWidget(self.history_count)
        header.addLayout(status, 1, 0, 1, 2)
        layout.addLayout(header)
        from desktop.ui.score_help import contract_notice

        self.notice = contract_notice(self._open_help)
        self.notice.hide()
        layout.addWidget(self.notice)
        layout.addSpacing(4)

        components_row = QHBoxLayout()
        components_row.addWidget(self._section("Components"))
        components_row.addStretch(1)
        self.components_hint = QLabel("points earned of each weight")
        self.components_hint.setObjectName("componentsHint")
        components_row.addWidget(self.components_hint)
        layout.addLayout(components_row)
        self.components_slot = self._slot(COMPONENTS_HEIGHT)
        layout.addWidget(self.components_slot)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("coherenceTabs")
        self.tabs.setDocumentMode(True)
        self.findings = FindingsList()
        self.findings.channels_activated.connect(self.finding_activated)
        self.tabs.addTab(self.findings, "Findings")
        self.economics = EconomicsTable()
        self.tabs.addTab(self.economics, "Spend && leads")
        layout.addWidget(self.tabs, 1)
        from desktop.ui.fix_bar import FixBar

        self.fix_bar = FixBar()
        self.findings.itemSelectionChanged.connect(self._offer_fix)
        self.findings.itemClicked.connect(self._reoffer_fix)
        self.findings.itemEntered.connect(self._hover_projection)
        layout.addWidget(self.fix_bar)
        self.setWidget(body)

    def _open_help(self, _link: str = "") -> None:
        from desktop.ui.score_help import show_score_help

        self.notice.hide()  # said once: the next opening of this map has a v2 row and no notice
        show_score_help(self.window())

    def _hover_projection(self, item: QListWidgetItem) -> None:
        from desktop.ui.fix_bar import project_in_tooltip

        project_in_tooltip(self.session, self.findings, item)

    def _reoffer_fix(self, _item: object = None) -> None:
        """A click on the selected finding after an edit withdrew its offer."""
        if not self.fix_bar.isVisible():
            self._offer_fix()

    def _offer_fix(self) -> None:
        """The selected finding's fix and its projected score (computed now, not on the edit path)."""
        self.fix_bar.show_finding(self.session, self.findings.current_finding())

    def spend_of(self) -> Callable[[str], float | None]:
        """Each channel's monthly spend (None if unknown or gone), for the findings' headlines:
        a dict's `get`, kept from change to change (`desktop.ui.fix_bar.Spends`)."""
        if self._spends is None:
            from desktop.ui.fix_bar import Spends

            self._spends = Spends()
        return self._spends.lookup(self.session.map if self.session is not None else None)

    def _section(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("sectionLabel")
        return label

    def _slot(self, height: int) -> QWidget:
        slot = QWidget()
        slot.setFixedHeight(height)
        slot_layout = QVBoxLayout(slot)
        slot_layout.setContentsMargins(0, 0, 0, 0)
        return slot

    def sizeHint(self) -> QSize:
        return QSize(400, 640)

    # --- binding ------------------------------------------------------------------------------
    def bind(self, session: MapSession, scene=None, view=None) -> None:
        """Follow this session (a newly opened map); the previous one is let go."""
        if not self.built:
            self._pending_bind = (session, scene, view)
            return
        self.session = session
        self._shown = None
        if self._spends is not None:
            self._spends.forget()
        self._following = False
        self._links.rebind((session.changed, self._on_changed))
        self._load_history()
        self.notice.setVisible(bool(getattr(session.editor, "contract_changed", False)))
        self._show(session.report)
        self.economics.show_map(session.map)

    def _load_history(self) -> None:
        """Read the file's score history (its first point is the score the map was created or first opened with)."""
        assert self.session is not None
        points = self.session.repository.score_history()
        self._edits = max(0, len(points) - 1)
        first = max(0, len(points) - HISTORY_WINDOW)
        self._step = (self.session.undo_stack.count(), self.session.undo_stack.index())
        self._history.clear()
        if not points:
            self._history.append((0.0, self.session.report.score))
        self._history.extend((float(i), points[i].score) for i in range(first, len(points)))
        starts = [i for i in range(1, len(points)) if points[i].contract >= 2 > points[i - 1].contract]
        self._v2_start = float(starts[-1]) if starts else None
        current = tenths(self.session.report.score)
        same_contract = (
            len(points) >= 2 and points[-1].contract == points[-2].contract
        )  # v1 → v2 is no "edit"
        if same_contract and tenths(points[-1].score) == current:
            self._delta = current - tenths(points[-2].score)
        else:
            self._delta = None

    def _on_changed(self, change: Change) -> None:
        if self.session is None:
            return
        if change.versions and not (change.channels or change.flows or change.info or change.reset):
            return  # a version saved, renamed or deleted: the map and its score did not change
        report = self.session.report
        if self._spends is not None:
            self._spends.follow(self.session.map, change)
        if change.reset:
            self._following = False  # the map read again: the list starts from its findings as they are
            self._load_history()
            self.economics.show_map(self.session.map)
        else:
            previous = self._shown.score if self._shown is not None else report.score
            self._delta = tenths(report.score) - tenths(previous)
            step = (self.session.undo_stack.count(), self.session.undo_stack.index())
            replaying = getattr(self.session, "_replaying", False)  # an undo or redo: the index moves after
            if step == self._step and not replaying and self._history and self._edits > 0:
                # Merged into the last undo step (typing a rule letter by letter): one edit, as History shows.
                self._history[-1] = (float(self._edits), report.score)
            else:
                self._edits += 1
                self._history.append((float(self._edits), report.score))
            self._step = step
            if change.channels and report is not self._shown:  # the same report: channels only moved
                self.economics.show_map(self.session.map)
        self._show(report)

    # --- showing ----------------------------------------------------------------------------
    def _show(self, report: CoherenceReport) -> None:
        self._shown = report
        text = report.score_text
        caption, _key = band_of(report.score)
        self.score.setText(text)
        self.score.setAccessibleName(f"Coherence score {text} out of 100")
        self.score.setAccessibleDescription(f"{caption}. {delta_text(self._delta)}".strip())
        self.score.setToolTip(f"Coherence score {text} out of 100: {caption.lower()}")
        self.band.setText(caption)
        self.delta.setText(delta_text(self._delta))
        self.delta.setVisible(self._delta is not None)
        self._colour_score()
        if self.fix_bar.isVisible():  # the map changed: the fix is offered again when a finding is picked
            self.fix_bar.hide()
        # The same report: the list shows it already (a move keeps the report; a spend or currency
        # change scores again). Another map, or the same one read again: its findings as they come.
        listed, self._listed = self._listed, report
        fresh = listed is None or (listed is not report and not self._following)
        self._following = True
        if listed is not report and self.findings.set_findings(
            report.findings, self.spend_of(), self.money_format(), follow=not fresh
        ):
            count = len(report.findings)
            title = f"Findings ({count})" if count else "Findings"
            if self.tabs.tabText(0) != title:  # a new title lays the tab bar out again
                self.tabs.setTabText(0, title)
        edits = self._edits
        shown = sum(1 for x, _ in self._history if x > 0)
        if edits == 0:
            self.history_count.setText("no edits yet")
        elif shown < edits:
            self.history_count.setText(f"last {shown} of {edits:,} edits")
        else:
            self.history_count.setText(f"{edits:,} edit{'s' if edits != 1 else ''}")
        bars = (tuple(report.components.items()), report.drag)
        if self.component_chart is not None and bars != self._charted:  # a move or a rename keeps the bars
            self.component_chart.update(report)
            self._charted = bars
        if self.history_chart is not None:
            if self.history_chart.v2_start != self._v2_start:
                self.history_chart.set_v2_start(self._v2_start)
            self.history_chart.set_points([x for x, _ in self._history], [y for _, y in self._history])

    def money_format(self) -> Callable[[float], str]:
        from desktop.ui.fix_bar import locale_money

        return locale_money(self.session.map.info.currency if self.session is not None else "USD")

    def _colour_score(self) -> None:
        if self._shown is None:
            return
        colours = self.colours
        band = colours.band(self._shown.score)
        self._style(self.score, f"color: {band}; font-size: 52px; font-weight: 700;")
        self._style(
            self.band,
            f"color: {band}; background: {tint(band, colours.background)}; border-radius: 11px;"
            " padding: 3px 11px; font-size: 13px; font-weight: 700;",
        )
        delta_colour = colours.muted
        if self._delta is not None and self._delta > 0:
            delta_colour = colours.good
        elif self._delta is not None and self._delta < 0:
            delta_colour = colours.bad
        self._style(self.delta, f"color: {delta_colour}; font-size: 13px; font-weight: 600;")

    def _style(self, label: QLabel, sheet: str) -> None:
        """Set a label's style sheet only when it changes (a new sheet costs a re-polish)."""
        if self._styles.get(label) != sheet:
            self._styles[label] = sheet
            label.setStyleSheet(sheet)

    def _apply_colours(self) -> None:
        colours = PanelColours.from_palette(self.palette())
        self.colours = colours
        self._style(self.out_of, f"color: {colours.muted}; font-size: 15px; padding-bottom: 9px;")
        self._style(self.history_count, f"color: {colours.muted}; font-size: 12px;")
        self._style(self.components_hint, f"color: {colours.muted}; font-size: 12px;")
        self._style(
            self.notice,
            f"color: {colours.muted}; font-size: 12px; border: 1px solid {tint(colours.muted, colours.background)};"
            " border-radius: 6px; padding: 6px 8px;",
        )
        self.findings.set_colours(colours.list_bad, colours.list_muted)
        self.economics.set_colours(colours.list_muted)
        self._colour_score()
        if self.component_chart is not None:
            self.component_chart.set_colours(colours)
        if self.history_chart is not None:
            self.history_chart.set_colours(colours)
            self._draw_version_marks()

    # --- charts -------------------------------------------------------------------------------
    def ensure_charts(self) -> None:
        """Build the pyqtgraph charts now, if they are not built yet (they are built on first show)."""
        if self.component_chart is not None:
            return
        from desktop.ui.feature_table import fill_for_packages

        fill_for_packages("numpy", "pyqtgraph")  # spares PySide6 reading their sources: see feature_table.py
        from desktop.ui.score_charts import ComponentChart, HistoryChart

        self.history_chart = HistoryChart(self.colours, HISTORY_HEIGHT)
        self.component_chart = ComponentChart(self.colours, COMPONENTS_HEIGHT)
        for slot, widget in (
            (self.history_slot, self.history_chart.widget),
            (self.components_slot, self.component_chart.widget),
        ):
            layout = slot.layout()
            assert layout is not None
            layout.addWidget(widget)
        if self._shown is not None:
            self._show(self._shown)
        self._draw_version_marks()

    def set_version_marks(self, marks: list[tuple[int, str]]) -> None:
        """Mark on the history line where named versions were saved: (history rows when saved, name)."""
        self._version_marks = [(float(max(0, rows - 1)), name) for rows, name in marks]
        self._draw_version_marks()

    def version_mark_positions(self) -> list[float]:
        """The x of each version's marker on the history line (for tests)."""
        return [float(line.value()) for line in self._mark_lines]

    def _draw_version_marks(self) -> None:
        if self.history_chart is None:
            return
        import pyqtgraph as pg

        plot = self.history_chart.widget.getPlotItem()
        for line in self._mark_lines:
            plot.removeItem(line)
        pen = pg.mkPen(self.colours.muted, width=1, style=Qt.PenStyle.DashLine)
        label = {"position": 0.9, "anchors": [(0, 0.5), (0, 0.5)], "color": self.colours.muted}
        self._mark_lines = []
        for x, name in self._version_marks:
            line = pg.InfiniteLine(pos=x, angle=90, movable=False, pen=pen, label=name, labelOpts=label)
            font = line.label.textItem.font()
            font.setPixelSize(10)
            line.label.setFont(font)
            line.setToolTip(f"Version “{name}” was saved here")
            plot.addItem(line)
            self._mark_lines.append(line)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        # Built just after the first paint, not before: pyqtgraph takes a second to import, and
        # the window with its map should be on screen first (`make bench`, cold start).
        if self.built and self.component_chart is None and not self._charts_scheduled:
            self._charts_scheduled = True
            QTimer.singleShot(0, self.ensure_charts)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if self.built and event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._apply_colours()
