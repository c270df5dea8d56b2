"""What an import would bring in, for the Import dialog's preview: rows, problems by row, the map.

Any importable file (a CSV or XLSX inventory, interchange JSON, an exported
PNG or SVG, another .distarch map) is read into one `ImportSource` without
raising, so that the dialog can show every problem at once, each tied to the
row the spreadsheet shows. `RowsModel` presents those rows in a table view,
tinting rows with problems; it holds plain dicts, so a 20,000-row sheet stays
cheap to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QTableView

from desktop.domain import interchange
from desktop.domain.errors import MapError
from desktop.domain.model import NUMBER_FIELDS, ArchitectureMap
from desktop.io.cells import unneutralise
from desktop.io.tables import CHANNEL_COLUMNS, RowProblem, preview_inventory

TABLE_SUFFIXES = (".csv", ".xlsx", ".ods")
MAP_SUFFIXES = (".json", ".png", ".svg", ".distarch")
HEADINGS = {"row": "Row", "monthly_spend": "Monthly spend", "leads_per_month": "Leads per month"}

Row = dict[str, str | int]


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason the file cannot be imported; `row` ties it to a row of `table` (0: the whole file)."""

    table: str
    row: int
    text: str


@dataclass(slots=True)
class ImportSource:
    """What a file would import: the rows as read, every problem, and the map (None on any problem)."""

    path: Path
    rows: list[Row] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    flow_rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # imported anyway (an error cell read as blank)
    ignored: list[str] = field(default_factory=list)
    arch: ArchitectureMap | None = None

    @property
    def is_table(self) -> bool:
        return self.path.suffix.lower() in TABLE_SUFFIXES


def read_source(
    path: Path, flows: Path | None = None, read_map: Callable[[str], ArchitectureMap] | None = None
) -> ImportSource:
    """Read any importable file without raising; problems are collected for the preview.

    `read_map` reads a `.distarch` map (the window's `MapFiles.read`); without it such files are refused.
    """
    source = ImportSource(path)
    suffix = path.suffix.lower()
    try:
        if suffix in TABLE_SUFFIXES:
            _read_table(source, flows)
        elif suffix in MAP_SUFFIXES:
            _read_map(source, read_map)
        else:
            source.problems.append(
                Problem(
                    "",
                    0,
                    f"{path.name}: import reads .csv, .xlsx, .ods, .json, .png, .svg or .distarch files",
                )
            )
    except MapError as exc:
        where = f"{exc.where}: " if exc.where else ""
        source.problems.append(Problem("", 0, f"{path.name}: {where}{exc.message}"))
    except OSError as exc:
        source.problems.append(Problem("", 0, f"{path.name} could not be read ({exc.strerror or exc})"))
    if source.problems:
        source.arch = None
    return source


def _read_table(source: ImportSource, flows: Path | None) -> None:
    preview = preview_inventory(source.path, flows)
    source.rows, source.flow_rows = preview.rows, preview.flow_rows
    source.columns, source.ignored = list(preview.columns), list(preview.ignored_columns)
    sheet = preview.channel_sheet
    source.problems = [_table_problem(p, source.path, sheet) for p in preview.problems]
    source.warnings = [_table_problem(p, source.path, sheet) for p in preview.warnings]
    source.arch = preview.arch


def _table_problem(problem: RowProblem, path: Path, channel_sheet: str = "channels") -> Problem:
    """'Row 4: …' for the channel rows; other sheets and files say where they are."""
    main = (problem.file or problem.sheet) == path.name and problem.sheet in (path.name, channel_sheet)
    if not problem.row:
        return Problem("", 0, f"{problem.location}: {problem.message}")
    if main:
        return Problem("channels", problem.row, f"Row {problem.row}: {problem.message}")
    place = "Flows sheet" if problem.sheet == "flows" else problem.sheet
    return Problem("flows", problem.row, f"{place}, row {problem.row}: {problem.message}")


def _read_map(source: ImportSource, read_map: Callable[[str], ArchitectureMap] | None) -> None:
    path, suffix = source.path, source.path.suffix.lower()
    if suffix == ".json":
        arch = interchange.loads(path.read_bytes())
    elif suffix == ".distarch":
        if read_map is None:
            raise MapError("map files cannot be imported here")
        arch = read_map(str(path))
    else:
        from desktop.io.embedded import read_embedded_map

        arch = read_embedded_map(path)
    source.arch = arch
    source.columns = list(CHANNEL_COLUMNS)
    for number, channel in enumerate(arch.iter_channels(), start=1):
        row: Row = {"row": number}
        for key in CHANNEL_COLUMNS:
            value = getattr(channel, key)
            row[key] = value.value if key == "layer" else _text(value)
        source.rows.append(row)
    for flow in arch.flows:
        source.flow_rows.append(
            {
                "source": arch.channel(flow.source).name,
                "target": arch.channel(flow.target).name,
                "rule": flow.rule,
                "label": flow.label,
            }
        )


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def name_clashes(source: ImportSource, into: ArchitectureMap) -> list[Problem]:
    """Rows naming a channel the open map already has: every one, even when other rows have problems."""
    found = []
    for row in source.rows:
        name = unneutralise(str(row.get("name", "")).strip()).strip()
        existing = into.channel_by_name(name) if name else None
        if existing is not None:
            found.append(
                Problem(
                    "channels",
                    int(row["row"]),
                    f"Row {row['row']}: the map already has a channel named {existing.name!r} "
                    "(rename one, or import into a new map)",
                )
            )
    return found


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
