"""Scenarios in the window: save a version, consolidate, compare, mark the canvas, restore and undo, export the slide."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDialogButtonBox

from desktop.app import MainWindow
from desktop.domain import interchange
from desktop.domain import operations as ops
from desktop.domain.coherence import COMPONENTS
from desktop.domain.layers import Layer
from desktop.domain.model import ArchitectureMap, MapInfo
from desktop.io.comparison_image import SlideSide, export_comparison
from desktop.resources import sample_map_path
from desktop.store import versions
from desktop.store.document import MapDocument
from desktop.ui.versions_dock import SaveVersionDialog
from tests.ui.helpers import file_map, new_map_file


def make_window(qtbot, path):
    window = MainWindow(path)
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    return window


def same_map(a, b) -> bool:
    return interchange.dumps(a) == interchange.dumps(b)


def cid(window, name: str) -> str:
    found = window.session.map.channel_by_name(name)
    assert found is not None, name
    return found.id


def consolidate(window) -> None:
    """Drop a duplicate intent tool, add the missing routing rule, close the feedback loop, measure partners."""
    s = window.session
    assert s.perform("Delete 6sense intent", ops.delete(s.map, [cid(window, "6sense intent")], []))
    lead, nurture = cid(window, "Lead scoring"), cid(window, "Email nurture")
    assert s.perform("Rule", ops.update_flow(s.map, lead, nurture, rule="score < 70"))
    assert s.perform(
        "Loop", ops.connect(s.map, cid(window, "Win/loss interviews"), lead, label="ICP refresh")
    )
    assert s.perform(
        "Measure", ops.connect(s.map, cid(window, "Partner referrals"), cid(window, "Attribution"))
    )


def stored_versions(path) -> list[str]:
    with MapDocument.open(path, read_only=True) as doc:
        return [v.name for v in versions.list_versions(doc)]


def test_save_version_through_the_dialog_lists_it_in_the_dock(qtbot, tmp_path):
    path = new_map_file(tmp_path, sample=True)
    window = make_window(qtbot, path)
    dock = window.versions_dock
    assert dock.names() == [] and not dock.empty.isHidden()
    shortcuts = [
        a.shortcut().toString() for a in window.actions_by_name.values() if not a.shortcut().isEmpty()
    ]
    for name, keys in (("save-version", "Ctrl+Alt+S"), ("compare", "Ctrl+Alt+C")):
        assert window.actions_by_name[name].shortcut().toString() == keys
        assert shortcuts.count(keys) == 1

    dialog = window.scenarios.ask_save()
    assert isinstance(dialog, SaveVersionDialog)
    assert dialog.name_edit.text() == "As-is"
    dialog.note_edit.setText("audit before consolidating")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert stored_versions(path) == ["As-is"]
    assert dock.names() == ["As-is"] and dock.empty.isHidden()
    window.coherence.ensure_charts()
    opened_rows = len(window.session.repository.score_history())
    assert window.coherence.version_mark_positions() == [opened_rows - 1.0]  # on the line's last point

    again = window.scenarios.ask_save()
    assert again.name_edit.text() == "Version 2"
    again.name_edit.setText(" as-is ")
    assert not again.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    assert "already exists" in again.problem.text()
    again.reject()
    assert stored_versions(path) == ["As-is"]


def test_restore_is_one_undoable_step_and_the_file_follows(qtbot, tmp_path):
    path = new_map_file(tmp_path, sample=True)
    window = make_window(qtbot, path)
    as_is = window.session.map.copy()
    assert window.scenarios.save("As-is", "") is not None
    consolidate(window)
    consolidated = window.session.map.copy()
    steps = window.session.undo_stack.count()

    window.versions_dock.refresh()
    window.versions_dock.select("As-is")
    qtbot.mouseClick(window.versions_dock.restore_button, Qt.MouseButton.LeftButton)
    assert same_map(window.session.map, as_is)
    assert same_map(file_map(path), as_is)
    assert window.session.undo_stack.count() == steps + 1
    assert window.session.undo_stack.undoText() == "Restore version As-is"
    assert window.session.report.score_text == "74.1"

    window.actions_by_name["undo"].trigger()
    assert same_map(window.session.map, consolidated) and same_map(file_map(path), consolidated)
    window.actions_by_name["redo"].trigger()
    assert same_map(window.session.map, as_is) and same_map(file_map(path), as_is)
    assert stored_versions(path) == ["As-is"]  # restoring changes the map, not the versions


def test_rename_and_delete_versions(qtbot, tmp_path, monkeypatch):
    path = new_map_file(tmp_path, sample=True)
    window = make_window(qtbot, path)
    scenarios, dock = window.scenarios, window.versions_dock
    scenarios.save("As-is", "")
    scenarios.save("Plan B", "")
    assert dock.names() == ["Plan B", "As-is"]  # newest first
    assert scenarios.rename("Plan B", "Consolidated")
    assert dock.names() == ["Consolidated", "As-is"]
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dock.select("Consolidated")
    qtbot.mouseClick(dock.delete_button, Qt.MouseButton.LeftButton)
    assert dock.names() == ["As-is"] and stored_versions(path) == ["As-is"]


def test_versions_survive_reopening_the_window(qtbot, tmp_path):
    path = new_map_file(tmp_path, sample=True)
    window = make_window(qtbot, path)
    window.scenarios.save("As-is", "kept")
    consolidate(window)
    window.close()
    again = make_window(qtbot, path)
    assert again.versions_dock.names() == ["As-is"]
    assert again.scenarios.versions()[0].note == "kept"
    dialog = again.scenarios.open_compare()
    assert dialog.result is not None and dialog.result.delta == 12.0


def test_read_only_window_cannot_save_or_restore(qtbot, tmp_path):
    path = new_map_file(tmp_path, sample=True)
    with MapDocument.open(path) as holder:  # another window holds the file
        versions.save_version(holder, "As-is", "", holder.load(), 68.7)
        window = make_window(qtbot, path)
        assert window.session.read_only
        dock = window.versions_dock
        assert dock.names() == ["As-is"]
        dock.select("As-is")
        assert not dock.save_button.isEnabled() and not dock.restore_button.isEnabled()
        assert not window.actions_by_name["save-version"].isEnabled()
        assert window.scenarios.save("Other", "") is None
        assert window.scenarios.open_compare().result is not None  # comparing only reads
        window.close()
    assert stored_versions(path) == ["As-is"]


def test_compare_dialog_overlay_follows_edits_and_exports_the_slide(qtbot, tmp_path):
    path = new_map_file(tmp_path, sample=True)
    window = make_window(qtbot, path)
    window.scenarios.save("As-is", "")
    consolidate(window)
    dialog = window.scenarios.open_compare(("version", "As-is"))
    qtbot.addWidget(dialog)
    assert dialog.chosen() == (("version", "As-is"), ("current", ""))
    assert dialog.result.delta == 12.0
    rows = dialog.section_rows()
    assert rows["Channels removed"] == ["6sense intent"]
    assert rows["Flows added"] == ["Win/loss interviews → Lead scoring", "Partner referrals → Attribution"]
    assert len(rows["Findings resolved"]) == 5
    before, after = dialog.bars.values()
    feedback = COMPONENTS.index("feedback")
    assert after[feedback] > before[feedback]  # feedback earned points

    overlay = window.scenarios.overlay
    assert overlay is not None
    assert overlay.marked() == {"removed:6sense intent": "removed"}

    s = window.session
    assert s.perform("Add", ops.add_channel(s.map, "Product analytics", Layer.FEEDBACK))
    new_id = cid(window, "Product analytics")
    assert overlay.marked()[new_id] == "new"
    assert dialog.section_rows()["Channels added"] == ["Product analytics"]
    window.actions_by_name["undo"].trigger()
    assert new_id not in overlay.marked()

    png = dialog.export_slide(tmp_path / "slide.png")
    assert png is not None and QImage(str(png)).size().toTuple() == (3840, 2160)
    pdf = dialog.export_slide(tmp_path / "slide.pdf")
    assert pdf is not None and pdf.read_bytes().startswith(b"%PDF")

    sample = tmp_path / "sample.json"
    sample.write_text(interchange.dumps(interchange.loads(sample_map_path().read_bytes())), encoding="utf-8")
    dialog.choose(("file", str(sample)))  # another map file, e.g. a colleague's export
    assert dialog.chosen() == (("file", str(sample)), ("current", ""))
    assert dialog.result.delta == 12.0 and window.scenarios.overlay.label == "sample"

    dialog.choose(("version", "As-is"))
    dialog.swap()
    assert dialog.chosen() == (("current", ""), ("version", "As-is"))
    assert dialog.result.delta == -12.0
    assert not dialog.overlay_box.isEnabled() and window.scenarios.overlay is None
    dialog.close()
    assert window.scenarios.overlay is None


def test_slide_of_a_large_difference_still_fits(qtbot, tmp_path):
    sample = interchange.loads(sample_map_path().read_bytes())
    blank = ArchitectureMap(info=MapInfo("A map name long enough to need eliding on a slide " * 3))
    out = export_comparison(
        SlideSide(sample, "As-is " * 20), SlideSide(blank, "Blank"), tmp_path / "s.png", scale=1
    )
    image = QImage(str(out))
    assert image.size().toTuple() == (1920, 1080)
    assert export_comparison(SlideSide(blank, "A"), SlideSide(blank, "B"), tmp_path / "same.pdf").exists()


def test_saving_renaming_and_deleting_versions_are_steps_in_history_and_undo(qtbot, tmp_path):
    path = new_map_file(tmp_path, sample=True)
    window = make_window(qtbot, path)
    stack = window.session.undo_stack
    assert window.scenarios.save("As-is", "before the workshop") is not None
    assert window.scenarios.rename("As-is", "Baseline")
    assert window.scenarios.delete("Baseline")
    assert [stack.text(i) for i in range(stack.count())] == [
        "Save version As-is",
        "Rename version As-is to Baseline",
        "Delete version Baseline",
    ]
    window.history.raise_()  # the History tab, as a user opens it
    qtbot.waitUntil(lambda: window.history_view.model().rowCount() == 4)  # "Opened map", the three steps
    assert stored_versions(path) == [] and window.versions_dock.names() == []

    window.actions_by_name["undo"].trigger()
    assert stored_versions(path) == ["Baseline"] and window.versions_dock.names() == ["Baseline"]
    window.actions_by_name["undo"].trigger()
    assert stored_versions(path) == ["As-is"] and window.versions_dock.names() == ["As-is"]
    window.actions_by_name["undo"].trigger()
    assert stored_versions(path) == [] and window.versions_dock.names() == []
    for _ in range(3):
        window.actions_by_name["redo"].trigger()
    assert stored_versions(path) == [] and stack.index() == 3


def test_the_undo_stack_mirrors_the_editor_also_when_typing_merges(qtbot, tmp_path):
    window = make_window(qtbot, new_map_file(tmp_path, sample=True))
    s = window.session
    lead = cid(window, "Lead scoring")
    for text in ("N", "No", "Not"):
        assert s.perform("Edit notes", ops.update_channel(s.map, lead, notes=text), merge_key="notes")
    assert s.undo_stack.count() == len(s.editor.history) == 1
    s.undo_stack.undo()
    assert s.map.channel(lead).notes == file_map(window.session.repository.path).channel(lead).notes == ""
    assert s.editor.undo_count == s.undo_stack.index() == 0
