"""File → Import… and File → Export Data… in the real window, driven by clicks, checked in the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop.app import MainWindow
from desktop.domain import interchange
from desktop.domain.model import ArchitectureMap
from desktop.io.tables import read_inventory
from desktop.resources import sample_map_path
from desktop.store.document import MapDocument
from desktop.ui import data_export
from desktop.ui.import_dialog import ImportDialog, open_import_dialog
from tests.ui.helpers import file_map, new_map_file

SAMPLES = Path(sample_map_path()).parent
INVENTORY_XLSX = SAMPLES / "inventory.xlsx"
INVENTORY_CSV = SAMPLES / "inventory.csv"
INVENTORY_FLOWS = SAMPLES / "inventory_flows.csv"
CHANNEL_FIELDS = ("name", "layer", "function", "tool", "segment", "motion", "message", "notes")
BAD_CSV = (
    "name,layer,monthly_spend,Owner\n"
    "Paid search,capture,18500,Ana\n"
    "Lead scoring,routing,1800,Ben\n"
    "Territory routing,Routng,2200,Ana\n"
    "SDR outreach,execution,9000,\n"
    "Attribution,feedback,-400,\n"
)


def make_window(qtbot, path: Path) -> MainWindow:
    window = MainWindow(path)
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    return window


def make_dialog(qtbot, window: MainWindow, path: Path, flows: Path | None = None) -> ImportDialog:
    dialog = ImportDialog(window, path, flows)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def same_map(a: ArchitectureMap, b: ArchitectureMap) -> bool:
    return interchange.dumps(a) == interchange.dumps(b)


def channel_rows(arch: ArchitectureMap) -> list[tuple]:
    rows = []
    for c in arch.iter_channels():
        texts = tuple(c.layer.value if key == "layer" else getattr(c, key) for key in CHANNEL_FIELDS)
        rows.append((*texts, c.monthly_spend, c.leads_per_month))
    return sorted(rows)


def problem_texts(dialog: ImportDialog) -> list[str]:
    return [dialog.problem_list.item(i).text() for i in range(dialog.problem_list.count())]


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.fixture
def empty_map(tmp_path) -> Path:
    return new_map_file(tmp_path, "audit.distarch")


def test_xlsx_preview_then_import_is_one_undo_step(qtbot, empty_map):
    window = make_window(qtbot, empty_map)
    dialog = make_dialog(qtbot, window, INVENTORY_XLSX)

    assert dialog.channel_model.rowCount() == 40
    assert dialog.flow_model.rowCount() == 36
    assert dialog.channel_model.columns[0] == "row"
    assert dialog.channel_model.index(0, 0).data() == "2"  # the spreadsheet's row number (header = 1)
    assert dialog.problems == [] and dialog.problem_list.isHidden()
    assert dialog.summary.text().startswith("40 channels, 36 flows; no problems")
    assert len(window.session.map) == 0  # a preview changes nothing
    assert dialog.import_button.isEnabled()

    click(qtbot, dialog.import_button)

    arch = window.session.map
    assert len(arch) == 40 and len(arch.flows) == 36
    assert window.session.undo_stack.count() == 1
    assert window.session.undo_stack.undoText() == "Import 40 channels from inventory.xlsx"
    assert same_map(file_map(empty_map), arch)
    assert sorted(window.scene.selected_channel_ids()) == sorted(c.id for c in arch.iter_channels())
    assert dialog.result() == ImportDialog.DialogCode.Accepted

    window.session.undo_stack.undo()
    assert len(window.session.map) == 0 and not window.session.map.flows
    assert same_map(file_map(empty_map), window.session.map)

    window.session.undo_stack.redo()
    assert len(window.session.map) == 40 and len(window.session.map.flows) == 36
    assert same_map(file_map(empty_map), window.session.map)


def test_imported_channels_keep_their_data_and_lanes(qtbot, empty_map):
    window = make_window(qtbot, empty_map)
    dialog = make_dialog(qtbot, window, INVENTORY_XLSX)
    click(qtbot, dialog.import_button)
    assert channel_rows(window.session.map) == channel_rows(read_inventory(INVENTORY_XLSX))
    for channel in window.session.map.iter_channels():
        item = window.scene.channel_items[channel.id]
        assert window.scene.lanes[channel.layer].sceneBoundingRect().contains(item.sceneBoundingRect())


def test_bad_csv_lists_every_problem_by_row_and_imports_nothing(qtbot, empty_map, tmp_path):
    bad = tmp_path / "inventory.csv"
    bad.write_text(BAD_CSV, encoding="utf-8")
    window = make_window(qtbot, empty_map)
    before = file_map(empty_map)
    dialog = make_dialog(qtbot, window, bad)

    texts = problem_texts(dialog)
    assert texts == [
        "Row 4: unknown layer 'Routng' (use one of: capture, routing, execution, feedback)",
        "Row 6: monthly_spend must not be negative (-400)",
    ]
    assert dialog.summary.text() == "5 channels, 0 flows; 2 problems — fix them in the spreadsheet and reload"
    assert dialog.ignored_label.text().endswith("Owner")
    assert not dialog.import_button.isEnabled()
    row_4 = dialog.channel_model.position_of(4)
    assert dialog.channel_model.index(row_4, 1).data(Qt.ItemDataRole.ToolTipRole).startswith("Row 4:")

    click(qtbot, dialog.import_button)
    assert len(window.session.map) == 0 and window.session.undo_stack.count() == 0
    assert same_map(file_map(empty_map), before)

    # The lead fixes the sheet in the spreadsheet and reloads.
    bad.write_text(BAD_CSV.replace("Routng", "routing").replace("-400", "400"), encoding="utf-8")
    click(qtbot, dialog.reload_button)
    assert dialog.problems == [] and dialog.import_button.isEnabled()
    click(qtbot, dialog.import_button)
    assert len(window.session.map) == 5
    assert same_map(file_map(empty_map), window.session.map)


def test_problem_click_shows_its_row(qtbot, empty_map, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_CSV, encoding="utf-8")
    window = make_window(qtbot, empty_map)
    dialog = make_dialog(qtbot, window, bad)
    item = dialog.problem_list.item(1)
    rect = dialog.problem_list.visualItemRect(item)
    qtbot.mouseClick(dialog.problem_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    selected = dialog.channel_table.selectionModel().selectedRows()
    assert [index.row() for index in selected] == [dialog.channel_model.position_of(6)]


def test_a_name_the_map_already_has_is_a_problem_in_the_preview(qtbot, tmp_path):
    path = new_map_file(tmp_path, sample=True)
    window = make_window(qtbot, path)
    before = file_map(path)
    dialog = make_dialog(qtbot, window, INVENTORY_CSV, INVENTORY_FLOWS)

    texts = problem_texts(dialog)
    assert (
        "Row 2: the map already has a channel named 'Paid search' (rename one, or import into a new map)"
        in texts
    )
    assert all(text.startswith("Row ") for text in texts)
    assert not dialog.import_button.isEnabled()
    click(qtbot, dialog.import_button)
    assert same_map(file_map(path), before) and window.session.undo_stack.count() == 0

    # Into a new map, the same names are no problem.
    dialog.into_new.setChecked(True)
    assert dialog.problems == [] and dialog.import_button.isEnabled()


def test_into_a_new_map_creates_the_file_and_opens_it(qtbot, empty_map, tmp_path):
    window = make_window(qtbot, empty_map)
    dialog = make_dialog(qtbot, window, INVENTORY_CSV, INVENTORY_FLOWS)
    target = tmp_path / "Inventory audit.distarch"
    dialog.ask_new_map_path = lambda: target
    dialog.into_new.setChecked(True)
    click(qtbot, dialog.import_button)

    assert target.exists()
    assert window.session.repository.path == target.absolute()
    created = file_map(target)
    assert created.info.name == "Inventory audit"
    assert len(created) == 40 and len(created.flows) == 36
    assert same_map(created, window.session.map)
    assert len(file_map(empty_map)) == 0


def test_json_map_and_exported_picture_import(qtbot, empty_map, tmp_path):
    from desktop.io.images import export_map

    window = make_window(qtbot, empty_map)
    sample = interchange.loads(sample_map_path().read_bytes())
    dialog = make_dialog(qtbot, window, sample_map_path())
    assert dialog.channel_model.rowCount() == len(sample)
    assert dialog.import_button.isEnabled()
    click(qtbot, dialog.import_button)
    assert channel_rows(window.session.map) == channel_rows(sample)
    assert same_map(file_map(empty_map), window.session.map)

    picture = tmp_path / "sample.svg"
    export_map(sample, picture)
    other = make_window(qtbot, new_map_file(tmp_path, "other.distarch"))
    dialog = make_dialog(qtbot, other, picture)
    assert dialog.problems == []
    click(qtbot, dialog.import_button)
    assert channel_rows(other.session.map) == channel_rows(sample)


def test_a_file_that_is_no_map_is_one_readable_problem(qtbot, empty_map, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "distribution-architecture", "version": 1, "channels": [{"id": "a"}]}')
    window = make_window(qtbot, empty_map)
    dialog = make_dialog(qtbot, window, broken)
    assert len(dialog.problems) == 1 and dialog.problems[0].text.startswith("broken.json: ")
    assert dialog.summary.text().endswith("fix it in the file and reload")
    assert not dialog.import_button.isEnabled()


def test_file_menu_import_and_export_data(qtbot, empty_map, monkeypatch):
    window = make_window(qtbot, empty_map)
    actions = window.file_menu.actions()
    anchor = actions.index(window.import_menu_anchor)
    importing, exporting = window.actions_by_name["import"], window.actions_by_name["export-data"]
    assert actions[anchor - 2 : anchor] == [importing, exporting]
    assert importing.shortcut() == QKeySequence("Ctrl+I")
    assert exporting.shortcut() == QKeySequence("Ctrl+Shift+E")
    keys = [a.shortcut() for a in window.actions_by_name.values() if not a.shortcut().isEmpty()]
    assert keys.count(importing.shortcut()) == 1 and keys.count(exporting.shortcut()) == 1

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(INVENTORY_XLSX), ""))
    importing.trigger()
    dialog = window.findChild(ImportDialog, "importDialog")
    assert dialog is not None and dialog.isVisible()
    assert dialog.channel_model.rowCount() == 40
    dialog.reject()


def test_cancelling_the_file_choice_opens_nothing(qtbot, empty_map, monkeypatch):
    window = make_window(qtbot, empty_map)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    assert open_import_dialog(window) is None


def test_read_only_map_imports_only_into_a_new_map(qtbot, empty_map):
    window = make_window(qtbot, empty_map)
    window.open_document(MapDocument.open(empty_map, read_only=True))
    assert not window.actions_by_name["import"].isEnabled()
    dialog = make_dialog(qtbot, window, INVENTORY_XLSX)
    assert not dialog.add_here.isEnabled() and dialog.into_new.isChecked()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json"])
def test_export_data_reads_back_to_the_same_channels(qtbot, tmp_path, suffix):
    path = new_map_file(tmp_path, sample=True)
    window = make_window(qtbot, path)
    out = tmp_path / f"export{suffix}"
    assert data_export.write_data(window, out)
    arch = window.session.map
    back = interchange.loads(out.read_bytes()) if suffix == ".json" else read_inventory(out)
    assert channel_rows(back) == channel_rows(arch)
    if suffix == ".json":
        assert same_map(back, arch)
    if suffix == ".xlsx":
        names = {(arch.channel(f.source).name, arch.channel(f.target).name) for f in arch.flows}
        assert {(back.channel(f.source).name, back.channel(f.target).name) for f in back.flows} == names
        from openpyxl import load_workbook

        assert load_workbook(out, read_only=True).sheetnames == ["channels", "flows", "findings", "economics"]


def test_export_data_takes_the_suffix_of_the_chosen_filter(qtbot, tmp_path, monkeypatch):
    window = make_window(qtbot, new_map_file(tmp_path, sample=True))
    chosen = str(tmp_path / "acme")
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (chosen, data_export.FILTERS[".json"])
    )
    window.actions_by_name["export-data"].trigger()
    out = tmp_path / "acme.json"
    assert out.exists()
    assert same_map(interchange.loads(out.read_bytes()), window.session.map)


def test_export_data_failure_is_shown(qtbot, tmp_path):
    window = make_window(qtbot, new_map_file(tmp_path, sample=True))
    assert not data_export.write_data(window, tmp_path / "missing" / "out.csv")
    box = window.findChild(QMessageBox, "problemDialog")
    assert box is not None and "out.csv" in box.text()
    box.close()


def test_an_inventory_without_rows_has_nothing_to_import(qtbot, empty_map, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("name,layer\n", encoding="utf-8")
    window = make_window(qtbot, empty_map)
    dialog = make_dialog(qtbot, window, empty)
    assert dialog.summary.text() == "0 channels, 0 flows: the file has no channels to import"
    assert not dialog.import_button.isEnabled()


def test_a_large_import_tells_the_window_about_the_selection_once(qtbot, empty_map, tmp_path):
    rows = "".join(
        f"Channel {i},{('capture', 'routing', 'execution', 'feedback')[i % 4]}\n" for i in range(400)
    )
    big = tmp_path / "big.csv"
    big.write_text("name,layer\n" + rows, encoding="utf-8")
    window = make_window(qtbot, empty_map)
    dialog = make_dialog(qtbot, window, big)
    notified = []
    window.scene.selectionChanged.connect(lambda: notified.append(1))
    click(qtbot, dialog.import_button)
    assert len(window.session.map) == 400 and len(window.scene.selected_channel_ids()) == 400
    assert len(notified) == 1
    assert window.inspector.multi.text() == "400 channels and 0 flows selected"
