"""The fix bar under the findings (`fixBar`): the selected finding's fix, its projected score, Apply.

Why a widget of its own: a finding with a concrete fix (desktop/domain/fixes.py)
offers it where the lead reads it. A fix that needs a value shows an inline
editor with the proposal filled in (the upstream capture's segment, a rule
template, the channel to keep). The projected score is computed only when
the selection or the value changes, on a copy of the map, never on the edit
path; Apply is one `session.perform`, so one undo step.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from desktop.commands.session import Change, MapSession
from desktop.domain import fixes
from desktop.domain.coherence import tenths
from desktop.domain.findings import Finding
from desktop.domain.model import ArchitectureMap
from desktop.domain.vocabulary import currency_symbol
from desktop.ui.findings_list import FindingsList


@lru_cache(maxsize=8)
def locale_money(currency: str) -> Callable[[float], str]:
    """A formatter of whole amounts in this currency, the way the user's locale writes money."""
    from PySide6.QtCore import QLocale

    locale = QLocale()
    if locale.language() == QLocale.Language.C:  # no locale set (a bare session): read as en-US does
        locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    symbol = currency_symbol(currency)

    def money(amount: float) -> str:
        return locale.toCurrencyString(float(round(amount)), symbol, 0)

    return money


def spend_lookup(arch: ArchitectureMap | None) -> Callable[[str], float | None]:
    """Each channel's monthly spend (None if unknown or gone): one call per channel a headline sums."""
    channel = arch.channel if arch is not None else None

    def spend(channel_id: str) -> float | None:
        try:
            return channel(channel_id).monthly_spend if channel is not None else None
        except KeyError:
            return None

    return spend


class Spends:
    """Each channel's monthly spend as a dict's `get`, kept from change to change.

    A grouped headline sums the spend of hundreds of channels after every edit: a dict answers
    without a Python call per channel, and only the channels an edit touched are read again.
    A spend that changes makes a new dict, so a `get` equal to the last one means the same answers
    (the findings list then keeps its headlines as they are).
    """

    def __init__(self) -> None:
        self._kept: tuple[ArchitectureMap, dict[str, float | None]] | None = None

    def forget(self) -> None:
        self._kept = None

    def lookup(self, arch: ArchitectureMap | None) -> Callable[[str], float | None]:
        if arch is None:
            return spend_lookup(None)
        if self._kept is None or self._kept[0] is not arch:
            self._kept = (arch, {c.id: c.monthly_spend for c in arch.iter_channels()})
        return self._kept[1].get

    def follow(self, arch: ArchitectureMap, change: Change) -> None:
        """The spends of the channels an edit touched (any other channel's spend is as it was)."""
        if self._kept is None:
            return
        kept, spends = self._kept
        if change.reset or kept is not arch:
            self._kept = None
            return
        changed: dict[str, float | None] = {}
        for cid in change.channels:
            spend = arch.channel(cid).monthly_spend if arch.has_channel(cid) else None
            if spends.get(cid, 0.0) != spend:  # (0.0: a channel new to the dict counts as a change)
                changed[cid] = spend
        if changed:
            self._kept = (arch, {**spends, **changed})


class FixBar(QFrame):
    """Shows the fix of one finding; hidden when the finding has none."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("fixBar")
        self.session: MapSession | None = None
        self.fix: fixes.Fix | None = None
        self.error = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        self.title = QLabel()
        self.title.setObjectName("fixTitle")
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: 700;")
        layout.addWidget(self.title)
        row = QHBoxLayout()
        self.value = QLineEdit()
        self.value.setObjectName("fixValue")
        self.value.textEdited.connect(self._project)
        self.keeper = QComboBox()
        self.keeper.setObjectName("fixKeeper")
        self.keeper.currentIndexChanged.connect(self._project)
        row.addWidget(self.value, 1)
        row.addWidget(self.keeper, 1)
        self.apply_button = QPushButton("Apply fix")
        self.apply_button.setObjectName("applyFix")
        self.apply_button.clicked.connect(self.apply)
        row.addWidget(self.apply_button)
        layout.addLayout(row)
        self.projection = QLabel()
        self.projection.setObjectName("fixProjection")
        self.projection.setWordWrap(True)
        layout.addWidget(self.projection)
        self.projected_score: float | None = None
        self.hide()

    def show_finding(self, session: MapSession | None, finding: Finding | None) -> None:
        """Offer the fix of this finding (None: hide)."""
        self.session = session
        fix = fixes.fix_for(session.map, finding) if session is not None and finding is not None else None
        self.fix = fix
        if fix is None or (session is not None and session.read_only):
            self.hide()
            return
        self.title.setText(fix.title)
        self.value.setVisible(fix.needs in ("segment", "rule"))
        self.keeper.setVisible(fix.needs == "keeper")
        if fix.needs == "segment":
            self.value.setPlaceholderText("the segment these channels serve")
            self.value.setToolTip("Proposed: the segment of the capture channels upstream")
        elif fix.needs == "rule":
            self.value.setPlaceholderText("the rule, e.g. segment is Enterprise")
            self.value.setToolTip("{segment} and {target} stand for each target's segment and name")
        self.value.setText(fix.proposal if fix.needs in ("segment", "rule") else "")
        self.keeper.blockSignals(True)
        self.keeper.clear()
        for cid, name in fix.choices:
            self.keeper.addItem(f"Keep {name}", cid)
        if fix.choices:
            self.keeper.setCurrentIndex(max(0, self.keeper.findData(fix.proposal)))
        self.keeper.blockSignals(False)
        self.show()
        self._project()

    def _value(self) -> str:
        if self.fix is not None and self.fix.needs == "keeper":
            return str(self.keeper.currentData() or "")
        return self.value.text()

    def edits(self) -> list:
        assert self.session is not None and self.fix is not None
        return fixes.fix_edits(self.session.map, self.fix, self._value())

    def _project(self, *_args: object) -> None:
        if self.session is None or self.fix is None:
            return
        try:
            after = fixes.projected(self.session.map, self.edits())
        except (ValueError, KeyError) as exc:
            self.projected_score = None
            self.projection.setText(str(exc))
            self.apply_button.setEnabled(False)
            return
        self.apply_button.setEnabled(True)
        self.projected_score = after.score
        now = tenths(self.session.report.score)
        change = tenths(after.score) - now
        sign = "+" if change > 0 else ("\u2212" if change < 0 else "±")
        self.projection.setText(f"Score {now} → {after.score_text} ({sign}{abs(change)})")

    def apply(self) -> bool:
        """Apply the fix as one undo step."""
        if self.session is None or self.fix is None:
            return False
        try:
            edits = self.edits()
        except (ValueError, KeyError) as exc:
            self.projection.setText(str(exc))
            return False
        result = self.session.perform(self.fix.title, edits)
        return bool(result)


PROJECTED_ROLE = Qt.ItemDataRole.UserRole + 9  # the (report, row) a row's tooltip projects a fix for


def project_in_tooltip(session: MapSession | None, findings: FindingsList, item: QListWidgetItem) -> None:
    """Hovering a finding with a fix adds the fix and its projected score to the row's tooltip,
    computed then (once per finding and score), never on the edit path."""
    row = findings.row(item)
    if session is None or session.read_only or not (0 <= row < len(findings.rows)):
        return
    key = (id(session.report), row)
    if item.data(PROJECTED_ROLE) == key:
        return
    item.setData(PROJECTED_ROLE, key)
    fix = fixes.fix_for(session.map, findings.rows[row].findings[0])
    if fix is None:
        return
    try:
        after = fixes.projected(session.map, fixes.fix_edits(session.map, fix))
    except (ValueError, KeyError):
        return
    tip = item.toolTip().split("\n\nFix: ")[0]
    item.setToolTip(f"{tip}\n\nFix: {fix.title} (score {session.report.score_text} → {after.score_text})")
