"""Present mode's findings strip (F) and spotlight (↑/↓): walking the room through what to fix.

F shows the map's top findings in large type in a strip above the quick-add
bar (the map is fitted again above it, so it stays whole). ↑ and ↓ spotlight
one finding: its channels and the arrows between them stay bright, the rest
of the map is dimmed, and the score line under the score says what that
finding costs. Esc from the spotlight (or F again) returns to the lanes.
The strip follows every edit: a fixed finding leaves it at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from desktop.canvas.theme import PROJECTOR
from desktop.domain import score_presentation
from desktop.domain.coherence import Finding, tenths

if TYPE_CHECKING:
    from desktop.canvas.scene import MapScene

TOP_FINDINGS = 3
DIMMED = 0.18
MINUS = "\u2212"

STRIP_QSS = f"""
QFrame#presentFindings {{ background: {PROJECTOR.background}; border-top: 2px solid {PROJECTOR.lane_border}; }}
QLabel {{ font-size: 24px; color: {PROJECTOR.channel_text}; background: transparent;
    padding: 4px 12px; border-radius: 8px; }}
QLabel[spotlit="true"] {{ background: #fef3c7; font-weight: 700; }}
QLabel#presentFindingsTitle {{ font-size: 18px; color: {PROJECTOR.lane_subtitle}; padding: 0 12px; }}
"""


def finding_line(finding: Finding) -> str:
    return f"{MINUS}{tenths(finding.points)}   {finding.message}"


def row_lines(row: score_presentation.FindingRow) -> tuple[str, str]:
    """A strip row: the headline, and for a grouped rule its channels beneath."""
    beneath = ("        " + ", ".join(row.lines())) if row.grouped else ""
    return finding_line(row.as_finding()), beneath


class FindingsStrip(QFrame):
    """The strip of the top findings; `spotlit` is the row in the spotlight (-1: none)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("presentFindings")
        self.setStyleSheet(STRIP_QSS)
        self.findings: tuple[Finding, ...] = ()
        self.grouped_rows: list[score_presentation.FindingRow] = []
        self.spotlit = -1
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 8, 24, 10)
        layout.setSpacing(2)
        self.title = QLabel(objectName="presentFindingsTitle")
        layout.addWidget(self.title)
        self.rows: list[QLabel] = []
        for _ in range(TOP_FINDINGS):
            row = QLabel()
            row.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(row)
            self.rows.append(row)
        self.hide()

    def height_for(self, width: int) -> int:
        self.setFixedWidth(max(200, width))
        layout = self.layout()
        if layout is not None:
            layout.activate()
        return self.sizeHint().height()

    def show_findings(self, findings: tuple[Finding, ...], spend_of=None, money=None) -> None:
        """The top rows: a rule repeating more than three times is one headline with its channels beneath."""
        every = score_presentation.finding_rows(findings, spend_of, money)
        rows = every[:TOP_FINDINGS]
        self.grouped_rows = rows
        self.findings = tuple(row.as_finding() for row in rows)
        if self.spotlit >= len(self.findings):
            self.spotlit = len(self.findings) - 1
        total = len(every)  # a grouped headline counts once, as it is listed
        if total:
            self.title.setText(
                f"Top findings ({len(self.findings)} of {total})   ↑ ↓ spotlight one   Esc back"
            )
        else:
            self.title.setText("No findings: every rule of the score is met")
        for i, row in enumerate(self.rows):
            if i < len(self.findings):
                width = max(200, self.width() - 80)
                row.ensurePolished()
                font = row.font()
                font.setBold(True)  # measured as the spotlit row draws it, so no row is cut off unmarked
                metrics = QFontMetrics(font)
                lines = [line for line in row_lines(self.grouped_rows[i]) if line]
                row.setText(
                    "\n".join(metrics.elidedText(line, Qt.TextElideMode.ElideRight, width) for line in lines)
                )
                row.setToolTip("\n".join(lines))
                row.setProperty("spotlit", i == self.spotlit)
                row.style().unpolish(row)
                row.style().polish(row)
                row.show()
            else:
                row.hide()

    def spotlight(self) -> Finding | None:
        return self.findings[self.spotlit] if 0 <= self.spotlit < len(self.findings) else None


def dim_all_but(scene: MapScene, finding: Finding | None) -> None:
    """Dim every card and arrow except the finding's channels and the arrows between them (None: undim)."""
    bright = set(finding.channel_ids) if finding is not None else None
    for cid, item in scene.channel_items.items():
        item.setOpacity(1.0 if bright is None or cid in bright else DIMMED)
    for (source, target), arrow in scene.flow_items.items():
        lit = bright is None or (source in bright and target in bright)
        arrow.setOpacity(1.0 if lit else DIMMED)


class FindingsSpotlight:
    """F, ↑, ↓ and Esc in present mode: the strip, the spotlight and the score line that goes with it."""

    def __init__(self, present) -> None:
        self.present = present
        self.strip = FindingsStrip(present.window.view)

    @property
    def shown(self) -> bool:
        return self.strip.isVisible()

    def key(self, key: int) -> bool:
        """Handle a present-mode key (no modifiers, not typing); False leaves it to present mode."""
        if key == Qt.Key.Key_F:
            self.close() if self.shown else self.open()
            return True
        if not self.shown:
            return False
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            count = len(self.strip.findings)
            if count:
                step = 1 if key == Qt.Key.Key_Down else -1
                start = -1 if self.strip.spotlit < 0 and step > 0 else self.strip.spotlit
                self.strip.spotlit = (start + step) % count
            self.refresh()
            return True
        if key == Qt.Key.Key_Escape:
            self.close()
            return True
        return False

    def open(self) -> None:
        scene = self.present.window.scene
        if scene is None:
            return
        scene.set_revealed(4)  # the findings are about the whole map
        self.strip.spotlit = -1
        self.strip.show()
        self.refresh()
        self.present.relayout()
        self.refresh()  # elided to the strip's width, now that it has one

    def close(self) -> None:
        if not self.shown:
            return
        self.strip.spotlit = -1
        self.strip.hide()
        scene = self.present.window.scene
        if scene is not None:
            dim_all_but(scene, None)
        self.present.bar.show_spotlight(None)
        self.present.relayout()

    def refresh(self) -> None:
        """Show the current findings (after every edit too) and the spotlight on the map."""
        window = self.present.window
        if not self.shown or window.session is None or window.scene is None:
            return
        coherence = window.coherence
        self.strip.show_findings(
            tuple(window.session.report.findings), coherence.spend_of(), coherence.money_format()
        )
        finding = self.strip.spotlight()
        dim_all_but(window.scene, finding)
        self.present.bar.show_spotlight(finding)
        window.scene.update()
