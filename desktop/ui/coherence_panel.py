"""The coherence panel dock (`coherencePanel`): the score, large, and the findings, largest first.

It follows `session.changed` synchronously, so the score moves with every edit
before the next frame is painted.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDockWidget, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from desktop.commands.session import MapSession

FINDING_ROLE = Qt.ItemDataRole.UserRole + 2


def band_colour(score: float) -> str:
    if score >= 75:
        return "#15803d"
    if score >= 50:
        return "#b45309"
    return "#b91c1c"


class CoherencePanel(QDockWidget):
    """Score and findings. Signal `finding_activated(channel_ids)` when a finding is clicked."""

    finding_activated = Signal(list)

    def __init__(self, parent=None) -> None:
        super().__init__("Coherence", parent)
        self.setObjectName("coherencePanel")
        self.session: MapSession | None = None
        body = QWidget()
        layout = QVBoxLayout(body)
        self.score = QLabel("–")
        self.score.setObjectName("scoreValue")
        self.score.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.score)
        self.findings = QListWidget()
        self.findings.setObjectName("findings")
        self.findings.setWordWrap(True)
        self.findings.itemClicked.connect(self._clicked)
        self.findings.itemActivated.connect(self._clicked)
        layout.addWidget(self.findings, 1)
        self.setWidget(body)

    def bind(self, session: MapSession, scene=None, view=None) -> None:
        self.session = session
        session.changed.connect(lambda _change: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        if self.session is None:
            return
        report = self.session.report
        text = report.score_text
        self.score.setText(text)
        self.score.setAccessibleName(f"Coherence score {text} out of 100")
        self.score.setStyleSheet(f"font-size: 44px; font-weight: 700; color: {band_colour(report.score)};")
        self.findings.clear()
        for finding in report.findings:
            item = QListWidgetItem(f"−{finding.points:.1f}  {finding.message}")
            item.setData(FINDING_ROLE, list(finding.channel_ids))
            self.findings.addItem(item)

    def _clicked(self, item: QListWidgetItem) -> None:
        ids = item.data(FINDING_ROLE) or []
        self.finding_activated.emit(list(ids))
