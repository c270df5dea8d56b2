"""The findings list of the coherence panel (`findings`): what to fix first, largest first.

Each row shows the points the finding costs in a pill, its message wrapped in
full (a finding is only useful when it can be read to the end) and, in small
type, the component and rule it comes from. The list is updated in place, row
by row, and only when the findings changed, so an edit that leaves them alone
does not reset the scroll position or the keyboard focus.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from desktop.domain import score_presentation
from desktop.domain.coherence import Finding, tenths

POINTS_ROLE = Qt.ItemDataRole.UserRole + 3
MESSAGE_ROLE = Qt.ItemDataRole.UserRole + 4
CAPTION_ROLE = Qt.ItemDataRole.UserRole + 5
MINUS = "\u2212"
PAD_X = 10
PAD_Y = 9
PILL_WIDTH = 50
GAP = 10
COMPONENT_TITLES = score_presentation.COMPONENT_LABELS  # one vocabulary for the score


def points_text(points: float) -> str:
    """Points a finding costs, as the panel shows them: "−12.5" (a true minus sign)."""
    return f"{MINUS}{tenths(points)}"


def caption_text(finding: Finding) -> str:
    """The small line under a message: which component lost the points, and by which rule."""
    component = COMPONENT_TITLES.get(finding.component, finding.component.title())
    return f"{component} · {finding.rule.replace('-', ' ')}"


class FindingDelegate(QStyledItemDelegate):
    """Paints a finding: a points pill, the wrapped message and a muted caption."""

    def __init__(self, view: FindingsList) -> None:
        super().__init__(view)
        self.view = view
        self.pill_text = QColor("#b91c1c")
        self.muted = QColor("#475569")
        self._heights: dict[tuple[str, int, str], int] = {}

    def fonts(self, base: QFont) -> tuple[QFont, QFont, QFont]:
        message = QFont(base)
        message.setPixelSize(14)
        pill = QFont(base)
        pill.setPixelSize(13)
        pill.setBold(True)
        caption = QFont(base)
        caption.setPixelSize(12)
        return message, pill, caption

    def _text_width(self) -> int:
        return max(80, self.view.viewport().width() - 2 * PAD_X - PILL_WIDTH - GAP)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        width = self._text_width()
        text = str(index.data(MESSAGE_ROLE) or "")
        # Remembered: every edit lays the whole list out again, and wrapping text is slow to measure.
        key = (text, width, option.font.key())
        height = self._heights.get(key)
        if height is None:
            message_font, _pill, caption_font = self.fonts(option.font)
            flags = int(Qt.TextFlag.TextWordWrap)
            message = QFontMetrics(message_font).boundingRect(QRect(0, 0, width, 100_000), flags, text)
            height = message.height() + 4 + QFontMetrics(caption_font).height() + 2 * PAD_Y
            if len(self._heights) > 4096:
                self._heights.clear()
            self._heights[key] = height
        return QSize(width, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        # The row's background is painted here, not by the style: with the panel's style sheet the style
        # paints a selected row white while the palette asks for white text (an empty white box).
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        hovered = bool(opt.state & QStyle.StateFlag.State_MouseOver)
        palette = opt.palette
        text_colour = palette.color(QPalette.ColorRole.Text)
        if selected or hovered:
            fill = QColor(palette.color(QPalette.ColorRole.Highlight))
            fill.setAlphaF(0.18 if selected else 0.07)
            painter.fillRect(opt.rect, fill)
        if selected:
            painter.fillRect(
                QRect(opt.rect.left(), opt.rect.top(), 4, opt.rect.height()),
                palette.color(QPalette.ColorRole.Highlight),
            )
        message_font, pill_font, caption_font = self.fonts(opt.font)
        rect = opt.rect.adjusted(PAD_X, PAD_Y, -PAD_X, -PAD_Y)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pill_height = QFontMetrics(pill_font).height() + 6
        pill = QRect(rect.left(), rect.top(), PILL_WIDTH, pill_height)
        fill = QColor(self.pill_text)
        fill.setAlphaF(0.12)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(pill, pill_height / 2, pill_height / 2)
        painter.setFont(pill_font)
        painter.setPen(self.pill_text)
        painter.drawText(pill, int(Qt.AlignmentFlag.AlignCenter), str(index.data(POINTS_ROLE) or ""))
        text_left = rect.left() + PILL_WIDTH + GAP
        text_rect = QRect(text_left, rect.top(), rect.right() - text_left, rect.height())
        painter.setFont(message_font)
        painter.setPen(text_colour)
        flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        used = painter.boundingRect(text_rect, flags, str(index.data(MESSAGE_ROLE) or ""))
        painter.drawText(text_rect, flags, str(index.data(MESSAGE_ROLE) or ""))
        painter.setFont(caption_font)
        painter.setPen(self.muted)
        caption_rect = QRect(
            text_left, used.bottom() + 4, text_rect.width(), QFontMetrics(caption_font).height()
        )
        caption = QFontMetrics(caption_font).elidedText(
            str(index.data(CAPTION_ROLE) or ""), Qt.TextElideMode.ElideRight, caption_rect.width()
        )
        painter.drawText(caption_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), caption)
        painter.restore()


class FindingsList(QListWidget):
    """The findings, in the report's order. Signal `channels_activated(ids)` on click or Enter."""

    channels_activated = Signal(list)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("findings")
        self.setAccessibleName("Findings, largest first")
        self.setWordWrap(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setMouseTracking(True)
        self.delegate = FindingDelegate(self)
        self.setItemDelegate(self.delegate)
        self._findings: tuple[Finding, ...] | None = None
        self._spend: tuple[object, object] = (None, None)  # the spend_of and money of the rows shown
        self._places: list[tuple[int, int]] | None = None  # each shown finding's (row, place in the row)
        self.rows: list[score_presentation.FindingRow] = []
        self.itemClicked.connect(self._activated)
        self.itemActivated.connect(self._activated)

    def set_colours(self, points: str, muted: str) -> None:
        self.delegate.pill_text = QColor(points)
        self.delegate.muted = QColor(muted)
        self.viewport().update()

    def set_findings(
        self,
        findings: Sequence[Finding],
        spend_of: Callable[[str], float | None] | None = None,
        money: Callable[[float], str] | None = None,
        follow: bool = True,
    ) -> bool:
        """Show these findings (a rule repeating more than three times as one headline with its channels
        beneath); rows are reused in place. Returns False when nothing changed.

        After an edit only the rows whose text changed are written again (a rename changes the few
        rows naming the card): findings equal to the shown ones at the same place are carried over
        (`score_presentation.follow`), so unchanged rows compare by identity, not field by field.
        `follow=False`: another map, or the same one read again; the findings are kept as they come
        (the canvas starts from them too, and both views then follow each edit from the same ones).
        """
        findings = tuple(findings)
        before = self.rows
        # The same spend_of (a dict's `get` is equal to the last one when it is the same dict, which
        # the panel replaces when a spend changes) and money: the headlines' spend is what it was.
        same_spend = (spend_of, money) == self._spend
        self._spend = (spend_of, money)
        shown, positions = self._findings, None
        if shown is not None and follow:
            findings, positions = score_presentation.follow(shown, findings)
        if findings is shown:  # the same findings: only a grouped headline's spend can change
            if same_spend:
                return False
            rows = [row.headed(spend_of, money) if row.grouped else row for row in before]
            if all(row.headline == old.headline for row, old in zip(rows, before, strict=True)):
                return False
        else:
            patched = None
            if shown is not None and positions is not None and self._places is not None:
                patched = score_presentation.patched_rows(
                    before, self._places, shown, findings, positions, spend_of, money, same_spend
                )
            if patched is not None:  # the same rows, a few with new texts: the places stay
                rows = patched
            else:
                rows = score_presentation.finding_rows(findings, spend_of, money, before, same_spend)
                self._places = score_presentation.places_of(findings, rows)
        self._findings = findings
        chosen = self.currentRow()
        kept = before[chosen] if 0 <= chosen < len(before) and self.item(chosen).isSelected() else None
        for row, entry in enumerate(rows):
            item = self.item(row)
            if item is None:
                item = QListWidgetItem()
                self.addItem(item)
            elif row < len(before) and before[row] == entry:
                rows[row] = before[row]  # the same row: keep the one shown (and what it worked out)
                continue
            self._fill(item, entry)
        self.rows = rows
        while self.count() > len(rows):
            self.takeItem(self.count() - 1)
        # The highlight follows the finding that was clicked, or goes: it never marks another one.
        if kept is not None and kept in rows:
            self.setCurrentRow(rows.index(kept))
        elif kept is not None:
            self.clearSelection()
        # No doItemsLayout() here: the view lays its rows out once, before it next paints,
        # instead of inside every edit (2 ms of word-wrap measuring on a 500-channel map).
        return True

    def current_finding(self) -> Finding | None:
        """The selected row's finding (a grouped row's largest one), or None."""
        row = self.currentRow()
        if not (0 <= row < len(self.rows)) or not self.item(row).isSelected():
            return None
        return self.rows[row].findings[0]

    def _fill(self, item: QListWidgetItem, row: score_presentation.FindingRow) -> None:
        finding = row.findings[0]
        points = points_text(row.points)
        message = row.headline
        if row.grouped:
            message += "".join(f"\n  \u2022 {line}" for line in row.lines())
        item.setText(f"{points}  {message}")
        item.setData(POINTS_ROLE, points)
        item.setData(MESSAGE_ROLE, message)
        item.setData(CAPTION_ROLE, caption_text(finding))
        if row.channel_ids:
            names = ", ".join(row.channel_names)
            item.setToolTip(f"{message}\n\nClick or press Enter to show {names} on the canvas.")
        else:
            item.setToolTip(message)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{points} points: {message}")

    def channel_ids(self, row: int) -> list[str]:
        """The channels the row's findings name (what a click selects on the canvas)."""
        return list(self.rows[row].channel_ids) if 0 <= row < len(self.rows) else []

    def _activated(self, item: QListWidgetItem) -> None:
        self.channels_activated.emit(self.channel_ids(self.row(item)))
