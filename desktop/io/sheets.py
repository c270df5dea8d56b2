"""Raw tables from CSV files and XLSX workbooks: every cell as text, with spreadsheet row numbers.

The inventory rules then see one shape whatever the file was. CSV is read with
the standard library (exact row numbers, no start-up cost); workbooks through
pandas with openpyxl, both imported only when a workbook is opened because
they take a noticeable part of a second to import. openpyxl parses XML with
defusedxml when it is installed (it is a dependency), which defeats entity
bombs; sizes are checked before parsing to defeat zip bombs.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from desktop.io.problems import InventoryError, RowProblem

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
MAX_UNZIPPED = 512 * 1024 * 1024
DELIMITERS = (",", ";", "\t", "|")
WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls"})
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
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text, known))
    records: list[tuple[int, list[str]]] = []
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            if number > MAX_ROWS + 1:
                raise _file_problem(path, f"the file has more than {MAX_ROWS:,} rows")
            records.append((number, cells))
    except csv.Error as exc:
        raise InventoryError([table.problem(number + 1, f"cannot read this row as CSV ({exc})")]) from None
    return _table_from_rows(table, records)


def read_workbook_tables(path: Path, wanted: tuple[str, ...]) -> tuple[dict[str, RawTable], list[str]]:
    """The sheets named in `wanted` (matched case-insensitively) that the workbook has, and all its sheet names."""
    _check_size(path)
    _check_zip(path)
    import pandas as pd  # lazy: see the module docstring

    tables: dict[str, RawTable] = {}
    sheet_names: list[str] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pd.ExcelFile(path, engine="openpyxl") as book:
                sheet_names = [str(name) for name in book.sheet_names]
                names = {name.strip().casefold(): name for name in reversed(sheet_names)}
                for sheet in wanted:
                    actual = names.get(sheet.casefold())
                    if actual is None:
                        continue
                    frame = pd.read_excel(
                        book,
                        sheet_name=actual,
                        header=None,
                        dtype=str,
                        keep_default_na=False,
                        nrows=MAX_ROWS + 2,
                    )
                    if len(frame) > MAX_ROWS + 1:
                        raise InventoryError(
                            [RowProblem(actual, 0, f"the sheet has more than {MAX_ROWS:,} rows", path.name)]
                        )
                    records = [
                        (index, [_cell_text(value) for value in values])
                        for index, values in enumerate(frame.itertuples(index=False, name=None), start=1)
                    ]
                    tables[sheet] = _table_from_rows(RawTable(actual, path.name), records)
    except InventoryError:
        raise
    except Exception as exc:  # any failure of a foreign parser is "unreadable"
        detail = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__
        raise _file_problem(path, f"cannot read the workbook ({detail})") from None
    return tables, sheet_names


def _check_zip(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise _file_problem(path, f"cannot read the file ({exc.strerror or exc})") from None
    if head.startswith(_OLE_MAGIC):
        raise _file_problem(path, "old .xls workbooks cannot be read; save it as .xlsx or CSV")
    if not head.startswith(_ZIP_MAGIC):
        raise _file_problem(path, "not an XLSX workbook")
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _file_problem(path, "not an XLSX workbook (the file is damaged)") from None
    if unpacked > MAX_UNZIPPED:
        raise _file_problem(
            path, f"the workbook unpacks to more than {MAX_UNZIPPED // 2**20} MB; refusing to read it"
        )


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    return str(value)
