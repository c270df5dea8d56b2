"""Shared test data for the table tests: a map with every awkward value, stand-in reports, file helpers."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from desktop.domain import interchange
from desktop.domain.model import TEXT_FIELDS, ArchitectureMap
from desktop.io.tables import InventoryError, RowProblem, read_inventory

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"
HEADER = "name,layer,function,tool,segment,motion,message,monthly_spend,leads_per_month,notes"

TRICKY_MAP = {
    "format": "distribution-architecture",
    "version": 1,
    "name": "tricky",
    "channels": [
        {
            "id": "c1",
            "name": "Paid search",
            "layer": "capture",
            "function": "paid-search",
            "tool": "Google Ads",
            "segment": "Mid-market",
            "motion": "sales-led",
            "message": 'Consolidate, "simplify"; grow',
            "automation": "ai",
            "monthly_spend": 12000,
            "leads_per_month": 340.5,
            "notes": "line one\nline two\r\nthree",
            "x": 40,
            "y": 120.25,
        },
        {
            "id": "c2",
            "name": '=HYPERLINK("http://x")',
            "layer": "routing",
            "function": "+lead-scoring",
            "tool": "@SUM(A1)",
            "segment": "-Enterprise",
            "motion": "\tsales-led",
            "message": "\rmessage",
            "notes": "'=already quoted",
            "x": 420,
            "y": 102,
        },
        {
            "id": "c3",
            "name": "Café crème ☕",
            "layer": "execution",
            "function": "  padded  ",
            "monthly_spend": 0.1,
            "leads_per_month": 0,
            "notes": "'plain quote stays",
        },
        {"id": "c4", "name": "Attribution", "layer": "feedback", "monthly_spend": 1e20},
    ],
    "flows": [
        {"source": "c1", "target": "c2", "rule": "score >= 70", "label": "MQL"},
        {"source": "c2", "target": "c3", "rule": "=1+1", "label": ""},
        {"source": "c3", "target": "c4", "rule": "", "label": "-measured"},
        {"source": "c4", "target": "c1", "rule": "", "label": ""},
    ],
}


@dataclass(frozen=True)
class StandInFinding:
    rule: str
    component: str
    points: float
    channels: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class StandInReport:
    findings: tuple[StandInFinding, ...]


def tricky_map() -> ArchitectureMap:
    return interchange.from_dict(TRICKY_MAP)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def problems_of(source: Path, flows: Path | None = None) -> list[RowProblem]:
    with pytest.raises(InventoryError) as caught:
        read_inventory(source, flows)
    assert caught.value.problems
    return caught.value.problems


def with_line_feeds(arch: ArchitectureMap) -> ArchitectureMap:
    """The map as XLSX keeps it: XML reads every carriage return back as a line feed."""

    def lf(text: str) -> str:
        return text.replace("\r\n", "\n").replace("\r", "\n")

    channels = [c.with_changes(**{k: lf(getattr(c, k)) for k in TEXT_FIELDS}) for c in arch.channels]
    flows = [f.with_changes(rule=lf(f.rule), label=lf(f.label)) for f in arch.flows]
    return ArchitectureMap.build(channels, flows, arch.info)


def assert_same_map(got: ArchitectureMap, want: ArchitectureMap) -> None:
    assert got.channels == want.channels
    assert got.flows == want.flows


def make_book(path: Path, sheets_rows: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets_rows.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def ods_cells_bomb(path: Path) -> Path:
    """A tiny .ods whose one row and cell repeat into 100,000,000 cells (refused by the cell count)."""
    content = (
        b'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:'
        b'opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
        b'<table:table table:name="Sheet1"><table:table-row table:number-rows-repeated="100000">'
        b'<table:table-cell table:number-columns-repeated="1000" office:value-type="string"><text:p>x</text:p>'
        b"</table:table-cell></table:table-row></table:table></office:spreadsheet></office:body>"
        b"</office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
    return path
