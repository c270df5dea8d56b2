"""One import reader: the Import dialog and `import` accept and refuse the same files, for the same reasons.

Each case is a file a user might pick; it goes through the real Import dialog of
a window and through the command line's `import` (in-process `run_command`,
the same code `main.py import` runs). Both must accept it (the dialog's Import
button is enabled, the CLI exits 0 and writes as many channels as the dialog
previews) or both refuse it, each naming the reason with the same words.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from desktop.cli import run_command
from desktop.domain import interchange
from desktop.io.images import ExportOptions, export_map
from desktop.resources import sample_map_path
from desktop.store.document import MapDocument
from tests.io.tables_data import make_book, ods_cells_bomb
from tests.ui.helpers import new_map_file
from tests.ui.test_import_dialog import (
    BAD_CSV,
    INVENTORY_CSV,
    INVENTORY_FLOWS,
    INVENTORY_XLSX,
    make_dialog,
    make_window,
)

SAMPLE = Path(sample_map_path())


def _ods(folder: Path) -> Path:
    import pandas as pd

    path = folder / "Sheet1 book.ods"
    with pd.ExcelWriter(path, engine="odf") as writer:
        frame = pd.DataFrame({"Name": ["Ads", "SDR"], "Layer": ["capture", "execution"], "Spend": [1200, 5]})
        frame.to_excel(writer, sheet_name="Sheet1", index=False)
    return path


def _picture(suffix: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / f"deck{suffix}"
        export_map(interchange.loads(SAMPLE.read_bytes()), path, ExportOptions())
        return path

    return make


def _write(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return make


def _photo(folder: Path) -> Path:
    path = folder / "photo.png"
    QImage(40, 20, QImage.Format.Format_RGB32).save(str(path))
    return path


def _folder(folder: Path) -> Path:
    path = folder / "inventory.json"
    path.mkdir()
    return path


def _fifo(folder: Path) -> Path:
    path = folder / "pipe.csv"
    os.mkfifo(path)
    return path


def _sheet1_error_cell(folder: Path) -> Path:
    rows = [["Name", "Layer", "Monthly spend"], ["Ads", 1, "#DIV/0!"], ["SDR", "execution", 900]]
    return make_book(folder / "Sheet1 book.xlsx", {"Sheet1": rows})


def _distarch(folder: Path) -> Path:
    path = folder / "other.distarch"
    assert run_command(["import", str(SAMPLE), "--into", str(path)]) == 0
    return path


def _given(path: Path) -> Callable[[Path], Path]:
    return lambda folder: path


def _no_flows(folder: Path) -> None:
    return None


# (id, the file, a flows file, the words every refusal line names, or "" when both accept; a warning)
CASES: list[tuple[str, Callable[[Path], Path], Callable[[Path], Path | None], str, str]] = [
    ("json", _given(SAMPLE), _no_flows, "", ""),
    ("csv", _given(INVENTORY_CSV), _no_flows, "", ""),
    ("csv+flows", _given(INVENTORY_CSV), _given(INVENTORY_FLOWS), "", ""),
    ("xlsx", _given(INVENTORY_XLSX), _no_flows, "", ""),
    ("ods-sheet1", _ods, _no_flows, "", ""),
    ("xlsx-div0", _sheet1_error_cell, _no_flows, "", "#DIV/0!"),
    ("png", _picture(".png"), _no_flows, "", ""),
    ("svg", _picture(".svg"), _no_flows, "", ""),
    ("distarch", _distarch, _no_flows, "", ""),
    ("txt", _write("notes.txt", b"name,layer\nAds,capture\n"), _no_flows, "import reads .csv", ""),
    ("missing", lambda folder: folder / "missing.csv", _no_flows, "missing.csv does not exist", ""),
    ("folder", _folder, _no_flows, "is a folder, not a file", ""),
    ("fifo", _fifo, _no_flows, "is a FIFO (named pipe), not a file", ""),
    ("bad-rows", _write("bad.csv", BAD_CSV.encode()), _no_flows, "row ", ""),
    ("bad-json", _write("broken.json", b"{not json"), _no_flows, "broken.json", ""),
    ("photo", _photo, _no_flows, "holds no Distribution Architect map", ""),
    (
        "svg-bomb",
        _write("bomb.svg", b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]><svg/>'),
        _no_flows,
        "not a readable SVG",
        "",
    ),  # fmt: skip
    (
        "ods-bomb",
        lambda folder: ods_cells_bomb(folder / "bomb.ods"),
        _no_flows,
        "more than 3,000,000 cells",
        "",
    ),
    ("flows-with-xlsx", _given(INVENTORY_XLSX), _given(INVENTORY_FLOWS), "goes with a CSV inventory", ""),
]


@pytest.mark.parametrize(
    ("make", "flows", "refusal", "warning"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_the_dialog_and_the_command_line_agree(qtbot, tmp_path, capsys, make, flows, refusal, warning):
    source, flows_file = make(tmp_path), flows(tmp_path)
    window = make_window(qtbot, new_map_file(tmp_path, "open.distarch"))
    dialog = make_dialog(qtbot, window, source, flows_file)
    shown = [dialog.problem_list.item(i).text() for i in range(dialog.problem_list.count())]

    target = tmp_path / "by-cli.distarch"
    argv = ["import", str(source), "--into", str(target)] + (
        ["--flows", str(flows_file)] if flows_file else []
    )
    capsys.readouterr()
    code = run_command(argv)
    said = capsys.readouterr().err.splitlines()

    if refusal:
        assert not dialog.import_button.isEnabled()
        assert code == 2 and not target.exists()
        errors = [line for line in said if line.startswith("error: ")]
        assert len(errors) == len(dialog.problems) >= 1, (errors, shown)
        assert all(refusal.lower() in line.lower() for line in errors), errors
        assert all(refusal.lower() in problem.text.lower() for problem in dialog.problems), shown
        return
    assert dialog.problems == [] and dialog.import_button.isEnabled(), shown
    assert code == 0, said
    assert dialog.source is not None and dialog.source.arch is not None
    with MapDocument.open(target, read_only=True) as doc:
        written = doc.load()
    assert sorted(c.name for c in written.iter_channels()) == sorted(
        c.name for c in dialog.source.arch.iter_channels()
    )
    assert len(written.flows) == len(dialog.source.arch.flows)
    warned = [line for line in said if line.startswith("warning: ")]
    assert len(warned) == len(dialog.source.warnings)
    if warning:
        assert warned and all(warning in line for line in warned), said
        assert any(text.startswith("Warning: ") and warning in text for text in shown), shown
