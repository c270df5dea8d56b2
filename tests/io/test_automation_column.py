"""The `automation` column of inventory tables (docs/formats.md): the words that mean AI, in import and export."""

from __future__ import annotations

import csv

import pytest

from desktop.domain.coherence import assess
from desktop.io.tables import read_inventory, write_channels_csv, write_workbook
from tests.io.tables_data import problems_of, write


@pytest.mark.parametrize("cell", ["ai", "AI", "yes", "Yes", "TRUE", "true", "x", "X", "1"])
def test_words_that_mean_ai(tmp_path, cell):
    path = write(tmp_path / "in.csv", f"name,layer,automation\nAva,execution,{cell}\n")
    assert read_inventory(path).channels[0].automation == "ai"


@pytest.mark.parametrize("cell", ["", "no", "FALSE", "0", " "])
def test_words_that_mean_a_person_approves(tmp_path, cell):
    path = write(tmp_path / "in.csv", f"name,layer,automation\nSDRs,execution,{cell}\n")
    assert read_inventory(path).channels[0].automation == ""


def test_anything_else_is_a_row_error_and_nothing_is_imported(tmp_path):
    path = write(tmp_path / "in.csv", "name,layer,automation\nSDRs,execution,\nBot,capture,robot\n")
    (problem,) = problems_of(path)
    assert problem.row == 3 and "automation must be ai or blank" in problem.message


def test_export_writes_ai_or_blank_and_reads_back(tmp_path):
    path = write(tmp_path / "in.csv", "name,layer,automation\nAva,execution,yes\nSDRs,execution,\n")
    arch = read_inventory(path)
    write_channels_csv(arch, tmp_path / "out.csv")
    with (tmp_path / "out.csv").open(newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert [row["automation"] for row in rows] == ["ai", ""]
    write_workbook(arch, assess(arch), tmp_path / "out.xlsx")
    assert [c.automation for c in read_inventory(tmp_path / "out.xlsx").channels] == ["ai", ""]
