"""Spreadsheets as people save them, and spreadsheets made to hurt (issue 17, points 2, 3, 4, 7, 8).

Excel's "Sheet1", LibreOffice's .ods, an error cell, a date in a text column,
a layer given by its number, a CSV cut inside a quoted cell, a shared-strings
bomb, and the size limit of a map.
"""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest

from desktop.domain.errors import MapError
from desktop.domain.layers import Layer
from desktop.domain.validation import MAX_CHANNELS
from desktop.io import workbook_limits
from desktop.io.tables import preview_inventory, read_inventory
from desktop.io.workbook import show_date
from tests.io.tables_data import make_book, ods_cells_bomb, problems_of, write


# --- 3. a CSV cut inside a quoted cell ------------------------------------------------------
def test_a_csv_cut_inside_a_quoted_cell_is_refused_at_the_row_where_the_quote_opened(tmp_path):
    path = write(
        tmp_path / "cut.csv", 'Name,Layer,Notes\nA,Capture,"unterminated…\nB,Routing,fine\nC,Execution,x\n'
    )
    (problem,) = problems_of(path)
    assert problem.row == 2
    assert "closing quote is missing" in problem.message
    assert str(problem).startswith("cut.csv row 2: a quoted cell starts on this row")


def test_quoted_cells_over_several_lines_and_loose_quotes_still_import(tmp_path):
    text = 'name,layer,notes\nA,capture,"two\nlines"\nB,routing,a 5" screen\n'
    arch = read_inventory(write(tmp_path / "ok.csv", text))
    assert [c.notes for c in arch.iter_channels()] == ["two\nlines", 'a 5" screen']


# --- 7. spreadsheet habits ----------------------------------------------------------------
def test_a_workbook_whose_only_sheet_is_sheet1_is_read(tmp_path):
    path = make_book(tmp_path / "book.xlsx", {"Sheet1": [["Name", "Layer"], ["Ads", "capture"], ["SDR", 3]]})
    arch = read_inventory(path)
    assert [(c.name, c.layer) for c in arch.iter_channels()] == [
        ("Ads", Layer.CAPTURE),
        ("SDR", Layer.EXECUTION),
    ]


def test_the_sheet_whose_columns_fit_is_read(tmp_path):
    path = make_book(
        tmp_path / "book.xlsx",
        {
            "Summary": [["total", 2]],
            "Inventory": [["name", "layer"], ["Ads", "capture"], ["Scoring", "routing"]],
            "Links": [["source", "target"], ["Ads", "Scoring"]],
        },
    )
    arch = read_inventory(path)
    assert [c.name for c in arch.iter_channels()] == ["Ads", "Scoring"]
    assert [(arch.channel(f.source).name, arch.channel(f.target).name) for f in arch.flows] == [
        ("Ads", "Scoring")
    ]


def test_an_ods_workbook_is_read(tmp_path):
    import pandas as pd

    path = tmp_path / "book.ods"
    with pd.ExcelWriter(path, engine="odf") as writer:
        pd.DataFrame(
            {"name": ["Ads", "SDR"], "layer": ["capture", "execution"], "monthly_spend": [1200, 0.5]}
        ).to_excel(writer, sheet_name="Sheet1", index=False)
        pd.DataFrame({"source": ["Ads"], "target": ["SDR"]}).to_excel(writer, sheet_name="flows", index=False)
    arch = read_inventory(path)
    assert [(c.name, c.layer, c.monthly_spend) for c in arch.iter_channels()] == [
        ("Ads", Layer.CAPTURE, 1200),
        ("SDR", Layer.EXECUTION, 0.5),
    ]
    assert len(arch.flows) == 1


def test_an_error_cell_is_read_as_blank_with_a_warning(tmp_path):
    path = make_book(
        tmp_path / "book.xlsx",
        {
            "channels": [
                ["name", "layer", "monthly_spend"],
                ["Ads", "capture", "#DIV/0!"],
                ["SDR", "execution", 5],
            ]
        },
    )
    preview = preview_inventory(path)
    assert preview.ok
    assert preview.arch is not None and preview.arch.channel_by_name("Ads").monthly_spend is None
    (warning,) = preview.warnings
    assert (
        str(warning)
        == "book.xlsx, sheet channels, row 2: cell C2 holds the error #DIV/0!: it was read as blank"
    )


def test_dates_in_text_columns_keep_what_the_sheet_shows(tmp_path):
    path = make_book(
        tmp_path / "book.xlsx",
        {
            "channels": [
                ["name", "layer", "notes", "message"],
                ["Ads", "capture", date(2026, 1, 15), datetime(2026, 3, 2, 9, 30)],
            ]
        },
    )
    import openpyxl

    book = openpyxl.load_workbook(path)
    book["channels"]["D2"].number_format = "dd/mm/yyyy hh:mm"
    book.save(path)
    channel = read_inventory(path).channel_by_name("Ads")
    assert (channel.notes, channel.message) == ("2026-01-15", "02/03/2026 09:30")


@pytest.mark.parametrize(
    ("value", "fmt", "shown"),
    [
        (date(2026, 1, 15), "yyyy-mm-dd", "2026-01-15"),
        (date(2026, 1, 15), "d mmm yyyy", "15 Jan 2026"),
        (date(2026, 1, 5), "m/d/yy", "1/5/26"),
        (date(2026, 1, 15), "mmmm d, yyyy", "January 15, 2026"),
        (datetime(2026, 1, 15, 14, 7), "h:mm AM/PM", "2:07 PM"),
        (datetime(2026, 1, 15), "mm-dd-yy", "2026-01-15"),
        (datetime(2026, 1, 15, 8, 0), "General", "2026-01-15 08:00:00"),
        (date(2026, 1, 15), "[$-409]dddd, mmmm dd, yyyy", "Thursday, January 15, 2026"),
    ],
)
def test_date_formats(value, fmt, shown):
    assert show_date(value, fmt) == shown


# --- 2. a shared-strings bomb -------------------------------------------------------------
def shared_strings_bomb(path: Path, strings: int) -> Path:
    """A valid workbook whose sharedStrings.xml holds `strings` tiny strings (compressed ~1000:1)."""
    make_book(path, {"channels": [["name", "layer"], ["Ads", "capture"]]})
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist() if name != "xl/sharedStrings.xml"}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                       b'spreadsheetml/2006/main" count="3" uniqueCount="3">'
                       b"<si><t>name</t></si><si><t>layer</t></si><si><t>Ads</t></si>")  # fmt: skip
            block = b"<si><t>x</t></si>" * 65536
            for _ in range(strings // 65536):
                part.write(block)
            part.write(b"</sst>")
    return path


def test_a_shared_strings_bomb_is_refused_by_its_counts_before_it_is_parsed(tmp_path, monkeypatch):
    path = shared_strings_bomb(tmp_path / "bomb.xlsx", 3 * 2**20)
    assert path.stat().st_size < 2 * 2**20  # a small file ...
    with zipfile.ZipFile(path) as archive:
        assert (
            archive.getinfo("xl/sharedStrings.xml").file_size < workbook_limits.MAX_PART_BYTES
        )  # ... under the byte caps

    import openpyxl

    def never(*args, **kwargs):
        raise AssertionError("the workbook was handed to the parser")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    (problem,) = problems_of(path)
    assert problem.message.startswith("the workbook holds more than 1,000,000 shared strings")


def test_a_part_that_unpacks_beyond_its_cap_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook_limits, "MAX_PART_BYTES", 1_000_000)
    path = shared_strings_bomb(tmp_path / "bomb.xlsx", 2**17)
    (problem,) = problems_of(path)
    assert "the part xl/sharedStrings.xml of the workbook unpacks to" in problem.message


def test_an_ods_cell_repeated_a_million_times_is_refused(tmp_path):
    path = ods_cells_bomb(tmp_path / "bomb.ods")
    (problem,) = problems_of(path)
    assert "more than 3,000,000 cells" in problem.message


# --- 4. the size limit --------------------------------------------------------------------
def test_an_inventory_above_the_size_limit_is_refused(tmp_path):
    rows = "\n".join(f"Channel {n},capture" for n in range(MAX_CHANNELS + 1))
    path = write(tmp_path / "huge.csv", "name,layer\n" + rows + "\n")
    (problem,) = problems_of(path)
    assert problem.message.startswith(
        f"{MAX_CHANNELS + 1:,} channel rows; a map holds at most 20,000 channels"
    )
    assert MAX_CHANNELS >= 20_000


def test_an_inventory_at_the_size_limit_imports(tmp_path):
    rows = "\n".join(f"Channel {n},capture" for n in range(MAX_CHANNELS))
    assert len(read_inventory(write(tmp_path / "full.csv", "name,layer\n" + rows + "\n"))) == MAX_CHANNELS


# --- 8. names are one line ----------------------------------------------------------------
def test_names_are_folded_to_one_line_on_import(tmp_path):
    text = 'name,layer\n"Paid\nsearch",capture\n"Lead\r\nscoring",routing\n'
    arch = read_inventory(write(tmp_path / "lines.csv", text))
    assert [c.name for c in arch.iter_channels()] == ["Paid search", "Lead scoring"]


def test_json_names_are_folded_and_layer_numbers_accepted():
    from desktop.domain import interchange

    data = {
        "format": "distribution-architecture",
        "version": 1,
        "name": "Two\nlines",
        "channels": [{"id": "a", "name": "Paid\nsearch", "layer": 3}],
        "flows": [],
    }
    arch = interchange.from_dict(data)
    assert arch.info.name == "Two lines"
    assert [(c.name, c.layer) for c in arch.iter_channels()] == [("Paid search", Layer.EXECUTION)]
    data["channels"][0]["layer"] = True
    with pytest.raises(MapError, match="unknown layer"):
        interchange.from_dict(data)
