"""XLSX inventories and all exports: sheet and row in every refusal, neutralised cells, economics, atomic files."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest

from desktop.domain.coherence import assess
from desktop.domain.layers import Layer
from desktop.domain.model import ArchitectureMap, Channel
from desktop.io import workbook_limits
from desktop.io.tables import (
    InventoryError,
    read_inventory,
    write_channels_csv,
    write_workbook,
)
from tests.io.tables_data import (
    SAMPLES,
    StandInFinding,
    StandInReport,
    make_book,
    problems_of,
    tricky_map,
)

# --- workbooks ------------------------------------------------------------------------


def test_workbook_errors_name_sheet_and_row(tmp_path):
    path = make_book(
        tmp_path / "inventory.xlsx",
        {
            "Channels": [
                ["Name", "Layer", "Monthly spend"],
                ["Ads", "capture", 100],
                [],
                ["Chat", "nope", -1],
            ],
            "flows": [["source", "target"], ["Ads", "Ads"]],
        },
    )
    with pytest.raises(InventoryError) as caught:
        read_inventory(path)
    problems = caught.value.problems
    assert [(p.sheet, p.row) for p in problems] == [("Channels", 4), ("Channels", 4), ("flows", 2)]
    assert str(caught.value).startswith("inventory.xlsx, sheet Channels, row 4: unknown layer 'nope'")


def test_workbook_row_numbers_count_leading_blank_rows(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "channels"
    sheet["B3"], sheet["C3"] = "name", "layer"
    sheet["B4"], sheet["C4"] = "Ads", "capture"
    sheet["B6"], sheet["C6"] = "Chat", "later"
    book.save(tmp_path / "book.xlsx")
    (problem,) = problems_of(tmp_path / "book.xlsx")
    assert problem.row == 6


def test_workbook_numbers_and_text_cells_read_as_typed(tmp_path):
    path = make_book(
        tmp_path / "book.xlsx",
        {
            "channels": [
                ["name", "layer", "monthly_spend", "leads_per_month", "notes"],
                ["Ads", "capture", 12000, 0.5, 2024],
            ]
        },
    )
    (channel,) = read_inventory(path).channels
    assert (channel.monthly_spend, channel.leads_per_month, channel.notes) == (12000.0, 0.5, "2024")


def test_workbook_without_channels_sheet(tmp_path):
    path = make_book(tmp_path / "book.xlsx", {"Sheet1": [["total", "3"]], "flows": [["source", "target"]]})
    (problem,) = problems_of(path)
    assert problem.message == (
        "the workbook has no sheet named 'channels' and no sheet with the columns name and layer "
        "(sheets: Sheet1, flows)"
    )
    assert str(problems_of(path)[0]) == "book.xlsx: " + problem.message


def test_empty_channels_sheet(tmp_path):
    path = make_book(tmp_path / "book.xlsx", {"channels": []})
    (problem,) = problems_of(path)
    assert problem.message == "the sheet is empty"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"name,layer\nAds,capture\n", "not an XLSX workbook"),
        (b"PK\x03\x04garbage that is not a zip", "not an XLSX workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old .xls"),
    ],
)
def test_unreadable_workbooks(tmp_path, data, words):
    path = tmp_path / "book.xlsx"
    path.write_bytes(data)
    (problem,) = problems_of(path)
    assert words in problem.message


def test_old_xls_workbook_is_refused_by_name(tmp_path):
    path = tmp_path / "legacy.csv"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    (problem,) = problems_of(path)
    assert problem.message == "old .xls workbooks cannot be read; save it as .xlsx, .ods or CSV"


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    (problem,) = problems_of(path)
    assert problem.message.startswith("cannot read the workbook")


def test_zip_bomb_is_refused_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook_limits, "MAX_UNZIPPED", 1000)
    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", " " * 10_000)
    (problem,) = problems_of(path)
    assert "unpacks to" in problem.message and "refusing to read it" in problem.message


# --- exports: neutralised text, numbers as numbers, atomic ----------------------------


def test_csv_export_neutralises_formulas_but_not_numbers(tmp_path):
    path = tmp_path / "out.csv"
    write_channels_csv(tricky_map(), path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    danger = rows[1]
    assert danger["name"] == '\'=HYPERLINK("http://x")'
    assert danger["function"] == "'+lead-scoring"
    assert danger["tool"] == "'@SUM(A1)"
    assert danger["segment"] == "'-Enterprise"
    assert danger["motion"] == "'\tsales-led"
    assert danger["message"] == "'\rmessage"
    assert danger["notes"] == "''=already quoted"
    assert rows[2]["notes"] == "'plain quote stays"
    assert (rows[0]["monthly_spend"], rows[0]["leads_per_month"]) == ("12000", "340.5")
    assert rows[3]["monthly_spend"] == "1e+20"
    for row in rows:
        for key, value in row.items():
            assert value[:1] not in "=+-@\t\r" or not value, (key, value)


def test_workbook_export_neutralises_formulas_and_keeps_numbers(tmp_path):
    arch = tricky_map()
    report = StandInReport(
        (StandInFinding("orphan-channel", "flow", 2.0, ("=evil", "Ads"), "=cmd|' /C calc'!A0"),)
    )
    write_workbook(arch, report, tmp_path / "out.xlsx")
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    assert book.sheetnames == ["channels", "flows", "findings", "economics"]
    channels = book["channels"]
    header = [cell.value for cell in channels[1]]
    danger = dict(zip(header, (cell for cell in channels[3]), strict=True))
    assert danger["name"].value.startswith("'=") and danger["name"].data_type == "s"
    assert danger["tool"].value == "'@SUM(A1)"
    first = dict(zip(header, (cell.value for cell in channels[2]), strict=True))
    assert first["monthly_spend"] == 12000 and isinstance(first["monthly_spend"], int)
    assert first["leads_per_month"] == 340.5
    assert [cell.value for cell in book["flows"][3]] == [
        '\'=HYPERLINK("http://x")',
        "Café crème ☕",
        "'=1+1",
        None,
    ]
    findings = [[cell.value for cell in row] for row in book["findings"].iter_rows()]
    assert findings == [
        ["rule", "component", "points", "channels", "message"],
        ["orphan-channel", "flow", 2, "'=evil, Ads", "'=cmd|' /C calc'!A0"],
    ]
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"


def test_workbook_economics_sheet(tmp_path):
    arch = read_inventory(SAMPLES / "inventory.xlsx")
    write_workbook(arch, assess(arch), tmp_path / "out.xlsx")
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    rows = [[cell.value for cell in row] for row in book["economics"].iter_rows()]
    assert rows[0] == [
        "layer",
        "channels",
        "monthly_spend",
        "leads_per_month",
        "cost_per_lead",
        "spend_unknown",
        "leads_unknown",
    ]
    by_layer = {row[0]: row for row in rows[1:]}
    assert list(by_layer) == ["capture", "routing", "execution", "feedback", "total"]
    capture = [c for c in arch.channels if c.layer is Layer.CAPTURE]
    spend = sum(c.monthly_spend or 0 for c in capture)
    leads = sum(c.leads_per_month or 0 for c in capture)
    assert by_layer["capture"][1:4] == [len(capture), spend, leads]
    assert by_layer["capture"][4] == round(spend / leads, 2)
    assert by_layer["capture"][5] == sum(c.monthly_spend is None for c in capture)
    assert by_layer["total"][1] == 40
    findings = list(book["findings"].iter_rows(min_row=2, values_only=True))
    assert len(findings) == len(assess(arch).findings) > 0


def test_awkward_characters_never_break_an_export(tmp_path):
    # built directly: the importers refuse such text, but a map made in memory must still export
    arch = ArchitectureMap.build(
        [Channel(id="c1", name="Ads", layer=Layer.CAPTURE, notes="bell\x07 lone\ud800 ff\ufffe", ord=1)]
    )
    write_channels_csv(arch, tmp_path / "out.csv")
    write_workbook(arch, None, tmp_path / "out.xlsx")
    assert read_inventory(tmp_path / "out.csv").channels[0].notes == "bell\x07 lone\ufffd ff\ufffe"
    assert read_inventory(tmp_path / "out.xlsx").channels[0].notes == "bell\ufffd lone\ufffd ff\ufffd"


def test_exports_replace_files_whole_and_leave_no_temporaries(tmp_path):
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")

    class Broken:
        @property
        def findings(self):
            raise RuntimeError("engine failed")

    with pytest.raises(RuntimeError):
        write_workbook(tricky_map(), Broken(), target)
    assert target.read_bytes() == b"old"
    write_workbook(tricky_map(), None, target)
    write_channels_csv(tricky_map(), tmp_path / "out.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "out.xlsx"]
