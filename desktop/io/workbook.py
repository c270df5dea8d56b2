"""Workbook sheets (XLSX through openpyxl, ODS through pandas' `odf` engine) as rows of text cells.

Each cell arrives as the sheet shows it: a date in the sheet's own date
format ("15/01/2026", not "2026-01-15 00:00:00"), a whole number without
".0", TRUE/FALSE; a cell holding an error (#DIV/0!, #N/A...) becomes blank
with a warning naming the cell, so the user knows a value was lost. The
cost of a workbook is bounded before it is parsed (workbook_limits) and while
it is read (rows and cells are counted). openpyxl, pandas and odfpy are
imported only here, when a workbook is read.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from desktop.io.sheets import column_letter
from desktop.io.workbook_limits import MAX_CELLS

ERRORS = frozenset({"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA"})
_ODS_ERROR = re.compile(r"(Err:\d{3}|#[A-Z/0!?]+)")
_ODS_MIDNIGHT = re.compile(r"(\d{4}-\d{2}-\d{2}) 00:00:00")


class SheetLimit(Exception):
    """A sheet passed a limit while it was read (rows or cells)."""


@dataclass
class Sheet:
    """One sheet: its name, its rows (row number, cells as text) and the cells read as blank."""

    name: str
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, cell reference, error text)


def read_sheets(path: Path, max_rows: int, ods: bool) -> list[Sheet]:
    """Every sheet of the workbook, in order; raises SheetLimit past `max_rows` rows or MAX_CELLS cells."""
    return _read_ods(path, max_rows) if ods else _read_xlsx(path, max_rows)


def _read_xlsx(path: Path, max_rows: int) -> list[Sheet]:
    import openpyxl  # lazy: see the module docstring

    sheets: list[Sheet] = []
    cells = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for worksheet in book.worksheets:
            sheet = Sheet(str(worksheet.title))
            if hasattr(worksheet, "reset_dimensions"):
                worksheet.reset_dimensions()  # a wrong <dimension> must not cut columns off
            for number, row in enumerate(worksheet.iter_rows(), start=1):
                if number > max_rows + 1:
                    raise SheetLimit(f"the sheet {sheet.name!r} has more than {max_rows:,} rows")
                cells += len(row)
                if cells > MAX_CELLS:
                    raise SheetLimit(f"the workbook has more than {MAX_CELLS:,} cells")
                texts = []
                for index, cell in enumerate(row):
                    text, error = _xlsx_text(cell)
                    if error:
                        sheet.errors.append((number, f"{column_letter(index)}{number}", error))
                    texts.append(text)
                sheet.rows.append((number, texts))
            sheets.append(sheet)
    finally:
        book.close()
    return sheets


def _xlsx_text(cell: object) -> tuple[str, str]:
    """A cell's text as the sheet shows it, and the error it holds ("" for none)."""
    value = getattr(cell, "value", None)
    if value is None:
        return "", ""
    kind = getattr(cell, "data_type", "")
    if kind == "e" or (isinstance(value, str) and value in ERRORS and kind != "s"):
        return "", str(value)
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), ""
    if isinstance(value, datetime | date | time):
        return show_date(value, str(getattr(cell, "number_format", "") or "")), ""
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)), ""
    return str(value), ""


def _read_ods(path: Path, max_rows: int) -> list[Sheet]:
    import pandas as pd  # lazy: see the module docstring

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frames = pd.read_excel(
            path, engine="odf", sheet_name=None, header=None, dtype=str, keep_default_na=False
        )
    sheets: list[Sheet] = []
    cells = 0
    for name, frame in frames.items():
        if len(frame) > max_rows + 1:
            raise SheetLimit(f"the sheet {str(name)!r} has more than {max_rows:,} rows")
        cells += frame.size
        if cells > MAX_CELLS:
            raise SheetLimit(f"the workbook has more than {MAX_CELLS:,} cells")
        sheet = Sheet(str(name))
        for number, values in enumerate(frame.itertuples(index=False, name=None), start=1):
            texts = []
            for index, value in enumerate(values):
                text = "" if value is None or (isinstance(value, float) and value != value) else str(value)
                if _ODS_ERROR.fullmatch(text) and (text in ERRORS or text.startswith("Err:")):
                    sheet.errors.append((number, f"{column_letter(index)}{number}", text))
                    text = ""
                texts.append(_ODS_MIDNIGHT.sub(r"\1", text) if len(text) == 19 else text)
            sheet.rows.append((number, texts))
        sheets.append(sheet)
    return sheets


# --- dates as the sheet shows them -------------------------------------------------------------
_TOKEN = re.compile(
    r'"[^"]*"|\\.|\[[^\]]*\]|yyyy|yy|mmmmm|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|am/pm|a/p|\.0+|.',
    re.IGNORECASE,
)
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def show_date(value: datetime | date | time, number_format: str) -> str:
    """A date, time or both formatted by an Excel number format ("dd/mm/yyyy", "d mmm yy", "h:mm")."""
    fmt = number_format.split(";", 1)[0].strip()
    if not fmt or fmt.casefold() in ("general", "mm-dd-yy", "@"):  # mm-dd-yy: Excel's locale short date
        return _iso(value)
    tokens = _TOKEN.findall(fmt)
    if not any(t[0].casefold() in "ymdhs" for t in tokens if t):
        return _iso(value)
    twelve = any(t.casefold() in ("am/pm", "a/p") for t in tokens)
    out: list[str] = []
    for index, token in enumerate(tokens):
        out.append(_render(value, token, tokens, index, twelve))
    return "".join(out)


def _iso(value: datetime | date | time) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    return value.isoformat()


def _render(value: datetime | date | time, token: str, tokens: list[str], index: int, twelve: bool) -> str:
    low = token.casefold()
    d = value if isinstance(value, date) else None
    t = value.time() if isinstance(value, datetime) else (value if isinstance(value, time) else time(0))
    if token.startswith('"'):
        return token[1:-1]
    if token.startswith("\\"):
        return token[1:]
    if token.startswith("["):
        return ""  # a colour or a locale ([Red], [$-409])
    if low.startswith("m") and low in ("m", "mm") and _is_minute(tokens, index):
        return f"{t.minute:02d}" if low == "mm" else str(t.minute)
    if d is not None:
        match low:
            case "yyyy":
                return f"{d.year:04d}"
            case "yy":
                return f"{d.year % 100:02d}"
            case "mmmmm":
                return _MONTHS[d.month - 1][0]
            case "mmmm":
                return _MONTHS[d.month - 1]
            case "mmm":
                return _MONTHS[d.month - 1][:3]
            case "mm":
                return f"{d.month:02d}"
            case "m":
                return str(d.month)
            case "dddd":
                return _DAYS[d.weekday()]
            case "ddd":
                return _DAYS[d.weekday()][:3]
            case "dd":
                return f"{d.day:02d}"
            case "d":
                return str(d.day)
    hour = (t.hour % 12 or 12) if twelve else t.hour
    match low:
        case "hh":
            return f"{hour:02d}"
        case "h":
            return str(hour)
        case "ss":
            return f"{t.second:02d}"
        case "s":
            return str(t.second)
        case "am/pm":
            return "AM" if t.hour < 12 else "PM"
        case "a/p":
            return "A" if t.hour < 12 else "P"
    if low.startswith(".0"):
        return "." + f"{t.microsecond:06d}"[: len(low) - 1]
    return token


def _is_minute(tokens: list[str], index: int) -> bool:
    """Excel reads m/mm as minutes right after an hour or right before seconds."""
    before = _neighbour(tokens, index, -1)
    after = _neighbour(tokens, index, 1)
    return before in ("h", "hh") or after in ("s", "ss")


def _neighbour(tokens: list[str], index: int, step: int) -> str:
    index += step
    while 0 <= index < len(tokens):
        low = tokens[index].casefold()
        if low[:1] in "ymdhs" and low.isalpha():
            return low
        index += step
    return ""
