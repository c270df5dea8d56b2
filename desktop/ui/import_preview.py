"""The Import dialog's preview tables: rows as the spreadsheet shows them, rows with problems tinted.

What a file would import is read by `desktop.io.import_source` (the same reader
the command line uses); `RowsModel` presents those rows in a table view,
tinting rows with problems; it holds plain dicts, so a 20,000-row sheet stays
cheap to show.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QTableView

from desktop.domain.model import NUMBER_FIELDS
from desktop.io.import_source import Row

HEADINGS = {"row": "Row", "monthly_spend": "Monthly spend", "leads_per_month": "Leads per month"}


class RowsModel(QAbstractTableModel):
    """Rows of a preview table; rows with problems are tinted and carry the reasons as a tooltip."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.columns: list[str] = []
        self.rows: list[Row] = []
        self.reasons: dict[int, list[str]] = {}
        self.tint = QColor("#fee2e2")

    def set_rows(
        self, columns: list[str], rows: list[Row], reasons: dict[int, list[str]], tint: QColor
    ) -> None:
        self.beginResetModel()
        self.columns, self.rows, self.reasons, self.tint = columns, rows, reasons, tint
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        row = self.rows[index.row()]
        key = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return str(row.get(key, ""))
        if role == Qt.ItemDataRole.TextAlignmentRole and (key == "row" or key in NUMBER_FIELDS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        reasons = self.reasons.get(int(row.get("row", 0)))
        if reasons and role == Qt.ItemDataRole.BackgroundRole:
            return self.tint
        if reasons and role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(reasons)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            key = self.columns[section]
            return HEADINGS.get(key, key.replace("_", " ").capitalize())
        return None

    def position_of(self, number: int) -> int:
        """The model row showing spreadsheet row `number`, or -1."""
        for position, row in enumerate(self.rows):
            if row.get("row") == number:
                return position
        return -1


def preview_table(name: str, model: RowsModel) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(28)
    view.horizontalHeader().setResizeContentsPrecision(200)  # a 20,000-row sheet measures its first rows only
    return view
