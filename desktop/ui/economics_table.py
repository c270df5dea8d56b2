"""Spend and leads per layer, a tab of the coherence panel (`economics`).

It shows `desktop.domain.economics.layer_economics`: monthly spend, leads and
cost per lead of each layer and of the whole map. A missing number is never
shown as zero: a layer with no known spend says "2 unknown", a partial sum
says under it how many channels it leaves out, and a cost per lead built on
partial numbers is marked as an estimate. The grid's labels are made once and
their texts replaced in place.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from desktop.domain.economics import LayerEconomics, layer_economics, total
from desktop.domain.layers import LAYERS, Layer
from desktop.domain.model import ArchitectureMap

HEADERS = ("Layer", "Spend / mo", "Leads / mo", "Per lead")
SHORT_TITLES = {
    Layer.CAPTURE: "Capture",
    Layer.ROUTING: "Routing",
    Layer.EXECUTION: "Execution",
    Layer.FEEDBACK: "Feedback",
}
NOTE = "From each channel's monthly spend and leads per month. A channel without a number is unknown, never zero."


def amount(value: float) -> str:
    return f"{value:,.0f}"


def per_lead(value: float) -> str:
    return f"{value:,.2f}" if value < 100 else f"{value:,.0f}"


def cell_parts(value: float | None, unknown: int, channels: int) -> tuple[str, str]:
    """A sum and the note under it: ("2,000", "1 unknown"); ("2 unknown", "") when nothing is known."""
    if channels == 0:
        return "—", ""
    if value is None:
        return f"{unknown} unknown", ""
    return amount(value), (f"{unknown} unknown" if unknown else "")


def cost_parts(row: LayerEconomics) -> tuple[str, str, str]:
    """The cost per lead, the note under it and its tooltip; an estimate when numbers are missing."""
    if row.channels == 0:
        return "—", "", "No channels in this layer"
    if row.cost_per_lead is None:
        if row.leads == 0:
            return "no leads", "", "The known leads add up to 0"
        return "unknown", "", "Needs a known spend and known leads"
    if row.complete:
        return per_lead(row.cost_per_lead), "", "Spend / leads, every channel counted"
    return (
        f"≈ {per_lead(row.cost_per_lead)}",
        "estimate",
        f"An estimate: {row.spend_unknown} channel(s) without spend and "
        f"{row.leads_unknown} without leads are left out",
    )


class EconomicsTable(QScrollArea):
    """Four layer rows and a total row, each cell a value with an "n unknown" note under it.

    It sits behind the Findings tab, so its grid of labels is built, and the
    map's numbers summed, only when it is shown (or read): not while the
    window opens, and not after every edit of a map whose table nobody looks at.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("economics")
        self.setAccessibleName("Spend and leads per layer")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.muted = "#475569"
        self.rows: list[LayerEconomics] = []
        self.headers: list[QLabel] = []
        self.cells: list[list[QLabel]] = []
        self.note: QLabel | None = None
        self._pending: ArchitectureMap | None = None

    def _build(self) -> None:
        if self.note is not None:
            return
        body = QWidget()
        outer = QVBoxLayout(body)
        outer.setContentsMargins(4, 8, 4, 4)
        outer.setSpacing(10)
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(8)
        for column, text in enumerate(HEADERS):
            header = QLabel(text)
            header.setAlignment(self._align(column))
            grid.addWidget(header, 0, column)
            self.headers.append(header)
        for row in range(len(LAYERS) + 1):
            labels = []
            for column in range(len(HEADERS)):
                label = QLabel()
                label.setTextFormat(Qt.TextFormat.RichText)
                label.setAlignment(self._align(column))
                grid.addWidget(label, row + 1, column)
                labels.append(label)
            self.cells.append(labels)
        grid.setColumnStretch(0, 1)
        outer.addLayout(grid)
        self.note = QLabel(NOTE)
        self.note.setWordWrap(True)
        outer.addWidget(self.note)
        outer.addStretch(1)
        self.setWidget(body)
        self._style_labels()

    def showEvent(self, event) -> None:
        self._catch_up()
        super().showEvent(event)

    @staticmethod
    def _align(column: int) -> Qt.AlignmentFlag:
        horizontal = Qt.AlignmentFlag.AlignLeft if column == 0 else Qt.AlignmentFlag.AlignRight
        return horizontal | Qt.AlignmentFlag.AlignTop

    def set_colours(self, muted: str) -> None:
        self.muted = muted
        if self.note is None:
            return  # applied when the grid is built
        self._style_labels()
        if self.rows:
            self._fill(self.rows)

    def _style_labels(self) -> None:
        assert self.note is not None
        self.note.setStyleSheet(f"color: {self.muted}; font-size: 12px;")
        for header in self.headers:
            header.setStyleSheet(f"color: {self.muted}; font-size: 12px; font-weight: 600;")

    def show_map(self, arch: ArchitectureMap) -> None:
        """Show this map's numbers: now if the table is on screen, else when it is next shown."""
        self._pending = arch
        if self.isVisible():
            self._catch_up()

    def _catch_up(self) -> None:
        self._build()
        arch, self._pending = self._pending, None
        if arch is None:
            return
        rows = layer_economics(arch)
        rows = [*rows, total(rows)]
        if rows != self.rows:
            self._fill(rows)

    def texts(self) -> list[list[str]]:
        """The grid as plain text, one list per row (layers, then the total)."""
        self._catch_up()
        return [[label.text() for label in row] for row in self.cells]

    def _fill(self, rows: list[LayerEconomics]) -> None:
        self.rows = rows
        for labels, row in zip(self.cells, rows, strict=True):
            bold = row.layer is None
            title = SHORT_TITLES[row.layer] if row.layer is not None else "Total"
            cost, cost_note, cost_tip = cost_parts(row)
            cells = (
                (title, f"{row.channels} channel{'s' if row.channels != 1 else ''}"),
                cell_parts(row.spend, row.spend_unknown, row.channels),
                cell_parts(row.leads, row.leads_unknown, row.channels),
                (cost, cost_note),
            )
            known = (True, row.spend is not None, row.leads is not None, row.cost_per_lead is not None)
            for column, (value, note) in enumerate(cells):
                labels[column].setText(self._html(value, note, bold, known[column] and row.channels > 0))
            labels[0].setToolTip(row.title)
            labels[3].setToolTip(cost_tip)

    def _html(self, value: str, note: str, bold: bool, known: bool) -> str:
        weight = "700" if bold else "400"
        colour = "" if known else f"color:{self.muted};"
        html = f'<span style="font-size:14px;font-weight:{weight};{colour}">{escape(value)}</span>'
        if note:
            html += f'<br><span style="font-size:11px;color:{self.muted};">{escape(note)}</span>'
        return html
