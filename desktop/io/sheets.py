"""Raw tables from CSV files and XLSX workbooks: every cell as text, with spreadsheet row numbers.

The inventory rules then see one shape whatever the file was. CSV is read with
the standard library (exact row numbers, no start-up cost); workbooks through
openpyxl (XLSX) or pandas' odf engine (ODS), imported only when a workbook is
opened because they take a noticeable part of a second to import. openpyxl
parses XML with defusedxml when it is installed (it is a dependency), which
defeats entity bombs; a workbook's parts are counted before parsing to defeat
zip and shared-strings bombs (workbook_limits). A workbook whose sheets are not
named `channels`/`flows` (Excel's "Sheet1") is read from its only sheet, or
from the sheet whose header has the columns the role needs.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from desktop.io.problems import InventoryError, RowProblem

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
DELIMITERS = (",", ";", "\t", "|")
WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
# The columns that make a sheet fit a role, when no sheet has the role's name.
FITS: dict[str, tuple[str, ...]] = {"channels": ("name", "layer"), "flows": ("source", "target")}
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_SEPARATORS = re.compile(r"[\s_\-]+")

CHANNEL_COLUMNS: tuple[str, ...] = (
    "name",
    "layer",
    "function",
    "tool",
    "segment",
    "motion",
    "message",
    "monthly_spend",
    "leads_per_month",
    "notes",
    "automation",
    "x",
    "y",
)
FLOW_COLUMNS: tuple[str, ...] = ("source", "target", "rule", "label")


def column_key(header: str) -> str:
    """A header as columns are matched: ' Monthly Spend ', 'monthly_spend' -> 'monthly_spend'."""
    return _SEPARATORS.sub("_", header.replace("\ufeff", "").strip().casefold()).strip("_")


def column_letter(index: int) -> str:
    """0 -> 'A', 26 -> 'AA', as a spreadsheet names columns."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(slots=True)
class RawTable:
    """A sheet or CSV file: its header and its non-blank data rows, cells as text."""

    sheet: str
    file: str
    header: list[str] = field(default_factory=list)
    header_row: int = 0
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)

    def problem(self, row: int, message: str) -> RowProblem:
        return RowProblem(self.sheet, row, message, self.file)


def is_workbook(path: Path) -> bool:
    """True for a workbook (XLSX, or an old .xls to refuse by name), judged by its first bytes, then its suffix."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
    except OSError:
        return path.suffix.casefold() in WORKBOOK_SUFFIXES
    if head in (_ZIP_MAGIC, _OLE_MAGIC):
        return True
    return path.suffix.casefold() in WORKBOOK_SUFFIXES


def _file_problem(path: Path, message: str) -> InventoryError:
    return InventoryError([RowProblem(path.name, 0, message, path.name)])


def _check_size(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _file_problem(path, f"cannot read the file ({exc.strerror or exc})") from None
    if size > MAX_BYTES:
        raise _file_problem(
            path, f"the file is too large ({size / 2**20:.1f} MB; at most {MAX_BYTES / 2**20:g} MB)"
        )


def decode_text(data: bytes) -> str:
    """CSV bytes as text: UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        # A few bytes are undefined in cp1252; Latin-1 maps them rather than failing.
        return data.decode("latin-1")


def sniff_delimiter(text: str, known: frozenset[str]) -> str:
    """The delimiter that makes the header hold the most known columns (then the most cells)."""
    sample = text[:65536]
    best, best_score = ",", (-1, -1)
    for delimiter in DELIMITERS:
        try:
            first = next(
                (r for r in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter) if r), []
            )
        except csv.Error:
            continue
        score = (sum(column_key(cell) in known for cell in first), len(first))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _is_blank(cells: list[str]) -> bool:
    return all(not cell.strip() for cell in cells)


def _table_from_rows(table: RawTable, records: list[tuple[int, list[str]]]) -> RawTable:
    for number, cells in records:
        if _is_blank(cells):
            continue
        if not table.header_row:
            table.header, table.header_row = cells, number
        else:
            table.rows.append((number, cells))
    return table


def read_csv_table(path: Path, known: frozenset[str]) -> RawTable:
    """A CSV file as a raw table; raises InventoryError for an empty, binary or broken file."""
    _check_size(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _file_problem(path, f"cannot read the file ({exc.strerror or exc})") from None
    text = decode_text(data)
    if not text.strip():
        raise _file_problem(path, "the file is empty")
    if "\x00" in text:
        raise _file_problem(path, "the file holds binary data, not CSV text (save it as CSV or XLSX)")
    table = RawTable(path.name, path.name)
    delimiter = sniff_delimiter(text, known)
    try:
        records = _csv_records(path, text, delimiter, strict=True)
    except _Unterminated as cut:
        raise InventoryError(
            [
                table.problem(
                    cut.row,
                    "a quoted cell starts on this row and its closing quote is missing: the file may have "
                    "been cut off, or a quote inside a cell is not doubled",
                )
            ]
        ) from None
    except csv.Error:  # strict parsing refuses what spreadsheets write loosely (a"b): read it as before
        try:
            records = _csv_records(path, text, delimiter, strict=False)
        except csv.Error as exc:
            raise InventoryError([table.problem(0, f"cannot read the file as CSV ({exc})")]) from None
    return _table_from_rows(table, records)


class _Unterminated(Exception):
    def __init__(self, row: int) -> None:
        self.row = row


def _csv_records(path: Path, text: str, delimiter: str, strict: bool) -> list[tuple[int, list[str]]]:
    """The rows of a CSV text; strict parsing raises _Unterminated for a quote never closed."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=strict)
    records: list[tuple[int, list[str]]] = []
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            if number > MAX_ROWS + 1:
                raise _file_problem(path, f"the file has more than {MAX_ROWS:,} rows")
            records.append((number, cells))
    except csv.Error as exc:
        if strict and "unexpected end of data" in str(exc):
            raise _Unterminated(number + 1) from None
        raise
    return records


def read_workbook_tables(path: Path, wanted: tuple[str, ...]) -> tuple[dict[str, RawTable], list[str]]:
    """The sheets for the roles in `wanted` ("channels", "flows") and all the workbook's sheet names.

    A role's sheet is the one of its name (matched case-insensitively); else the
    only sheet, for the first role; else the first sheet whose header has the
    role's columns (FITS).
    """
    _check_size(path)
    ods = _check_zip(path)
    from desktop.io.workbook import SheetLimit, read_sheets

    try:
        sheets = read_sheets(path, MAX_ROWS, ods)
    except SheetLimit as exc:
        raise _file_problem(path, f"{exc}; refusing to read it") from None
    except Exception as exc:  # any failure of a foreign parser is "unreadable"
        detail = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__
        raise _file_problem(path, f"cannot read the workbook ({detail})") from None
    sheet_names = [sheet.name for sheet in sheets]
    tables = {sheet.name: _table_from_rows(RawTable(sheet.name, path.name), sheet.rows) for sheet in sheets}
    for sheet in sheets:
        tables[sheet.name].warnings = [
            RowProblem(
                sheet.name, row, f"cell {ref} holds the error {error}: it was read as blank", path.name
            )
            for row, ref, error in sheet.errors
        ]
    chosen: dict[str, RawTable] = {}
    names = {name.strip().casefold(): name for name in reversed(sheet_names)}
    for role in wanted:
        actual = names.get(role.casefold())
        if actual is not None:
            chosen[role] = tables[actual]
    used = {table.sheet for table in chosen.values()}
    for index, role in enumerate(wanted):
        if role in chosen:
            continue
        if index == 0 and len(sheets) == 1:
            chosen[role] = tables[sheet_names[0]]
            continue
        for name in sheet_names:
            if name not in used and _fits(tables[name], FITS.get(role, ())):
                chosen[role] = tables[name]
                used.add(name)
                break
    return chosen, sheet_names


def _fits(table: RawTable, columns: tuple[str, ...]) -> bool:
    keys = {column_key(cell) for cell in table.header}
    return bool(columns) and all(column in keys for column in columns)


def _check_zip(path: Path) -> bool:
    """Check a workbook's container and its cost; True for an ODS workbook, False for XLSX."""
    from desktop.io.workbook_limits import WorkbookTooCostly, check_workbook

    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise _file_problem(path, f"cannot read the file ({exc.strerror or exc})") from None
    if head.startswith(_OLE_MAGIC):
        raise _file_problem(path, "old .xls workbooks cannot be read; save it as .xlsx, .ods or CSV")
    if not head.startswith(_ZIP_MAGIC):
        raise _file_problem(path, f"not an {_kind(path)} workbook")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            ods = "content.xml" in names and "xl/workbook.xml" not in names
        check_workbook(path)
    except WorkbookTooCostly as exc:
        raise _file_problem(path, str(exc)) from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise _file_problem(path, f"not an {_kind(path)} workbook (the file is damaged)") from None
    return ods


def _kind(path: Path) -> str:
    return "ODS" if path.suffix.casefold() == ".ods" else "XLSX"
