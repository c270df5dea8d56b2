"""Export a map's channels, flows, findings and per-layer economics to CSV and XLSX.

Exports are opened by other people in spreadsheets: text a spreadsheet would
run as a formula is neutralised when written (`cells.neutralise`; the tables
themselves hold plain values, for previews), numbers stay numbers,
CSV carries a UTF-8 BOM so Excel reads accents right, and files are replaced
atomically (`desktop.io.atomic`), so a reader never sees half a file and a
failed export leaves the old one untouched. openpyxl is imported only when a
workbook is written.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path
from typing import Any

from desktop.domain.economics import layer_economics, total
from desktop.domain.model import ArchitectureMap
from desktop.io.atomic import write_bytes
from desktop.io.cells import encodable, neutralise, number_out, xml_safe
from desktop.io.sheets import CHANNEL_COLUMNS, FLOW_COLUMNS

Cell = str | int | float | None
Table = tuple[list[str], list[list[Cell]]]

FINDING_COLUMNS: tuple[str, ...] = ("rule", "component", "points", "channels", "message")
ECONOMICS_COLUMNS: tuple[str, ...] = (
    "layer",
    "channels",
    "monthly_spend",
    "leads_per_month",
    "cost_per_lead",
    "spend_unknown",
    "leads_unknown",
)
_WIDTHS = {"name": 28, "message": 36, "notes": 36, "channels": 36, "rule": 22, "source": 28, "target": 28}


def channel_table(arch: ArchitectureMap) -> Table:
    """The channels as export rows, in map order, columns as the import reads them."""
    rows: list[list[Cell]] = []
    for c in arch.iter_channels():
        rows.append(
            [_cell(getattr(c, key).value if key == "layer" else getattr(c, key)) for key in CHANNEL_COLUMNS]
        )
    return list(CHANNEL_COLUMNS), rows


def flow_table(arch: ArchitectureMap) -> Table:
    """The flows with their ends by channel name (ids mean nothing in a spreadsheet)."""
    rows: list[list[Cell]] = []
    for f in arch.flows:
        source, target = arch.channel(f.source).name, arch.channel(f.target).name
        rows.append([_cell(source), _cell(target), _cell(f.rule), _cell(f.label)])
    return list(FLOW_COLUMNS), rows


def findings_table(report: Any) -> Table:
    """A coherence report's findings; any object with `.findings` of that shape will do (or None)."""
    rows: list[list[Cell]] = []
    for finding in getattr(report, "findings", None) or ():
        names = getattr(finding, "channels", ()) or ()
        rows.append(
            [
                _cell(getattr(finding, "rule", "")),
                _cell(getattr(finding, "component", "")),
                _cell(getattr(finding, "points", None)),
                ", ".join(str(name) for name in names),
                _cell(getattr(finding, "message", "")),
            ]
        )
    return list(FINDING_COLUMNS), rows


def economics_table(arch: ArchitectureMap) -> Table:
    """Spend, leads and cost per lead per layer and in total (`economics.layer_economics`)."""
    rows = layer_economics(arch)
    rows.append(total(rows))
    table: list[list[Cell]] = [
        [
            row.layer.value if row.layer is not None else "total",
            row.channels,
            number_out(row.spend),
            number_out(row.leads),
            number_out(round(row.cost_per_lead, 2) if row.cost_per_lead is not None else None),
            row.spend_unknown,
            row.leads_unknown,
        ]
        for row in rows
    ]
    return list(ECONOMICS_COLUMNS), table


def _cell(value: object) -> Cell:
    """A value for a table: text as text, numbers as numbers (int when whole), blanks as None."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number_out(float(value))
    return str(value)


def _csv_cell(value: Cell) -> str | int | float:
    if value is None:
        return ""
    return neutralise(encodable(value)) if isinstance(value, str) else value


def _xlsx_cell(value: Cell) -> Cell:
    if not isinstance(value, str):
        return value
    # XML turns a carriage return into a line feed on reading; do it first, so that the
    # neutralising quote is decided on the text that will really be read back.
    return neutralise(xml_safe(value.replace("\r\n", "\n").replace("\r", "\n")))


# --- CSV ---------------------------------------------------------------------


def write_channels_csv(arch: ArchitectureMap, path: Path) -> None:
    """The channels as CSV (UTF-8 with BOM, comma, CRLF), which `read_inventory` reads back."""
    _write_csv(channel_table(arch), Path(path))


def write_flows_csv(arch: ArchitectureMap, path: Path) -> None:
    """The flows as CSV (source and target by name), the `flows` file `read_inventory` accepts."""
    _write_csv(flow_table(arch), Path(path))


def _write_csv(table: Table, path: Path) -> None:
    header, rows = table
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_csv_cell(value) for value in row] for row in rows)
    write_bytes(path, codecs.BOM_UTF8 + encodable(buffer.getvalue()).encode("utf-8"))


# --- XLSX --------------------------------------------------------------------


def write_workbook(arch: ArchitectureMap, report: Any, path: Path) -> None:
    """An XLSX workbook with sheets channels, flows, findings and economics.

    `report` is a coherence report (anything with `.findings`), or None for an
    empty findings sheet. The channels and flows sheets import back as they are.
    """
    from openpyxl import Workbook  # lazy: see the module docstring

    book = Workbook(write_only=True)
    sheets = {
        "channels": channel_table(arch),
        "flows": flow_table(arch),
        "findings": findings_table(report),
        "economics": economics_table(arch),
    }
    for title, table in sheets.items():
        _add_sheet(book, title, table)
    buffer = io.BytesIO()
    book.save(buffer)
    write_bytes(Path(path), buffer.getvalue())


def _add_sheet(book: Any, title: str, table: Table) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    header, rows = table
    sheet = book.create_sheet(title)
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(name, 16)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    heading = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    for row in rows:
        sheet.append([_as_text(sheet, _xlsx_cell(value)) for value in row])


def _as_text(sheet: Any, value: Cell) -> Any:
    """Text that spells an error code ("#N/A") is written as text, or a spreadsheet shows an error."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES

    if not isinstance(value, str) or value not in ERROR_CODES:
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell
