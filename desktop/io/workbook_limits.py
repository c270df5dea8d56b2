"""What a workbook may cost to read, counted before its XML is parsed (zip bombs, shared-strings bombs).

Why: a 1.2 MB XLSX whose `sharedStrings.xml` unpacks to 480 MB took minutes
and gigabytes in openpyxl before this check. A workbook is a zip of XML
parts, so before any parser sees it every part is checked by its declared
size, and the parts that make a parser allocate (shared strings, worksheets,
an ODS `content.xml`) are decompressed as a stream and counted: shared
strings, cells (an ODS cell repeated a million times counts a million) and
bytes. The stream stops at the first limit it passes, so a bomb costs the
bytes up to that limit and a few megabytes of memory, never its full size.
zipfile stops a part at its declared size (and fails its CRC beyond it), so
a lying size cannot smuggle more bytes past the count.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

MAX_UNZIPPED = 512 * 1024 * 1024  # all parts together
MAX_PART_BYTES = 128 * 1024 * 1024  # one XML part (a 20,000-row sheet is about 5 MB)
MAX_SHARED_STRINGS = 1_000_000
MAX_CELLS = 3_000_000
CHUNK = 1024 * 1024

_SHARED = re.compile(rb"<si[ >]")
_CELL = re.compile(rb"<c[ >]")
_ODS_TAG = re.compile(rb"<table:(table-row|table-cell|covered-table-cell)\b([^>]*)>")
_ROWS_REPEATED = re.compile(rb'number-rows-repeated="(\d{1,12})"')
_COLUMNS_REPEATED = re.compile(rb'number-columns-repeated="(\d{1,12})"')


class WorkbookTooCostly(Exception):
    """A limit was passed; the message says which, for a person."""


@dataclass
class Counts:
    shared_strings: int = 0
    cells: int = 0


def check_workbook(path: Path) -> Counts:
    """Count a workbook's parts; raise WorkbookTooCostly past a limit, zipfile.BadZipFile if damaged."""
    counts = Counts()
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        total = sum(info.file_size for info in infos)
        if total > MAX_UNZIPPED:
            raise WorkbookTooCostly(
                f"the workbook unpacks to {total / 2**20:,.0f} MB (at most {MAX_UNZIPPED // 2**20} MB); "
                "refusing to read it"
            )
        for info in infos:
            if info.file_size > MAX_PART_BYTES:
                raise WorkbookTooCostly(
                    f"the part {info.filename} of the workbook unpacks to {info.file_size / 2**20:,.0f} MB "
                    f"(at most {MAX_PART_BYTES // 2**20} MB); refusing to read it"
                )
        for info in infos:
            name = info.filename
            if name == "xl/sharedStrings.xml":
                _count_pattern(archive, info, _SHARED, counts, "shared_strings", MAX_SHARED_STRINGS)
            elif name.startswith("xl/worksheets/") and name.endswith(".xml"):
                _count_pattern(archive, info, _CELL, counts, "cells", MAX_CELLS)
            elif name == "content.xml":
                _count_ods_cells(archive, info, counts)
    return counts


def _too_many(what: str, limit: int, part: str) -> WorkbookTooCostly:
    return WorkbookTooCostly(
        f"the workbook holds more than {limit:,} {what} (in {part}); refusing to read it "
        "(an inventory needs far fewer: save the sheets you need in a new workbook)"
    )


def _count_pattern(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, pattern: re.Pattern[bytes], counts: Counts, field: str,
    limit: int,
) -> None:  # fmt: skip
    """Count a tag in a part while it is decompressed, chunk by chunk; stop past the limit."""
    label = "shared strings" if field == "shared_strings" else "cells"
    carry = b""
    with archive.open(info) as stream:
        while chunk := stream.read(CHUNK):
            data = carry + chunk
            found = len(pattern.findall(data))
            setattr(counts, field, getattr(counts, field) + found)
            if getattr(counts, field) > limit:
                raise _too_many(label, limit, info.filename)
            carry = data[-3:]  # shorter than a whole tag: a tag split by the chunk is counted once


def _count_ods_cells(archive: zipfile.ZipFile, info: zipfile.ZipInfo, counts: Counts) -> None:
    """Cells with content in an ODS `content.xml`, each repeat counted (pandas expands them)."""
    rows_repeated = 1
    carry = b""
    with archive.open(info) as stream:
        while chunk := stream.read(CHUNK):
            data = carry + chunk
            cut = data.rfind(b"<")
            if cut >= 0 and data.find(b">", cut) < 0:
                data, carry = data[:cut], data[cut:]
            else:
                carry = b""
            if len(carry) > CHUNK:  # a tag a megabyte long is not a spreadsheet's
                raise WorkbookTooCostly(f"{info.filename} of the workbook is malformed; refusing to read it")
            for match in _ODS_TAG.finditer(data):
                kind, attributes = match.groups()
                if kind == b"table-row":
                    repeat = _ROWS_REPEATED.search(attributes)
                    rows_repeated = int(repeat.group(1)) if repeat else 1
                    continue
                if attributes.endswith(b"/"):
                    continue  # an empty cell: pandas does not expand trailing empty cells
                repeat = _COLUMNS_REPEATED.search(attributes)
                counts.cells += (int(repeat.group(1)) if repeat else 1) * rows_repeated
                if counts.cells > MAX_CELLS:
                    raise _too_many("cells", MAX_CELLS, info.filename)
