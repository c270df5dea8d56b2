"""`MapEditor`, the one door for every write: local edits, remote edits, history, versions."""

from __future__ import annotations

from pathlib import Path

from desktop.document.editor import Change, MapEditor
from desktop.document.importing import import_map
from desktop.document.repository import MapRepository
from desktop.domain import operations as ops
from desktop.domain.edits import AddChannel
from desktop.domain.layers import Layer
from desktop.domain.model import ArchitectureMap, MapInfo
from desktop.store.document import MapDocument, write_new_file
from tests.document.memory import MemoryRepository


def listened(editor: MapEditor) -> list[Change]:
    heard: list[Change] = []
    editor.subscribe(heard.append)
    return heard


def test_a_remote_edit_reaches_the_second_editor_as_the_same_change_and_not_its_history():
    shared = MemoryRepository(ArchitectureMap(info=MapInfo("Shared")))
    first, second = MapEditor(shared), MapEditor(shared)
    heard_first, heard_second = listened(first), listened(second)

    edits = ops.add_channel(first.map, "Webinars", Layer.CAPTURE)
    done = first.perform("Add Webinars", edits)
    added = edits[0]
    assert isinstance(added, AddChannel)
    assert done and done.new_ids == (added.channel.id,)
    change = second.apply_remote(edits, revision=shared.revision)

    assert heard_second == [change] == heard_first
    assert second.map == first.map == shared.load()
    assert second.report.score == first.report.score
    assert second.history == [] and not second.undo()  # a remote edit is never undone here
    assert first.history == ["Add Webinars"]


def test_two_editors_of_one_file_one_writing_one_reading(tmp_path: Path):
    path = tmp_path / "m.distarch"
    write_new_file(path, ArchitectureMap(info=MapInfo("File")))
    writer = MapEditor(MapDocument.open(path))
    reader = MapEditor(MapDocument.open(path))  # the lock: this one is read-only
    try:
        assert reader.read_only and not writer.read_only
        heard_writer, heard_reader = listened(writer), listened(reader)
        edits = ops.add_channel(writer.map, "Lead scoring", Layer.ROUTING)
        assert writer.perform("Add Lead scoring", edits)
        reader.apply_remote(edits)
        assert heard_reader == heard_writer == [Change(channels={c.id for c in writer.map.channels})]
        assert reader.map == writer.map == MapDocument.open(path, read_only=True).load()
        assert not reader.perform("Add", ops.add_channel(reader.map, "Refused", Layer.CAPTURE))
    finally:
        reader.close()
        writer.close()


def test_a_remote_edit_that_no_longer_fits_reloads_what_the_repository_holds():
    shared = MemoryRepository()
    editor = MapEditor(shared)
    heard = listened(editor)
    elsewhere = _with_channel(shared)
    only = next(iter(elsewhere.channels)).id
    change = editor.apply_remote(ops.update_channel(elsewhere, only, name="Renamed"))
    assert change.reset
    assert heard[-1].reset and editor.map == shared.load()


def _with_channel(shared: MemoryRepository) -> ArchitectureMap:
    arch = shared.load()
    from desktop.domain.edits import apply_all

    apply_all(arch, ops.add_channel(arch, "Only elsewhere", Layer.CAPTURE))
    return arch


def test_perform_writes_the_score_and_typing_merges_into_one_step():
    repo = MemoryRepository()
    editor = MapEditor(repo)
    assert len(repo.scores) == 1  # the opening score
    added = editor.perform("Add", ops.add_channel(editor.map, "Email", Layer.EXECUTION))
    email = added.new_ids[0]
    for text in ("N", "Ne", "New"):
        done = editor.perform("Edit name", ops.update_channel(editor.map, email, name=text), merge_key="name")
        assert done
    assert editor.history == ["Add", "Edit name"]
    assert len(repo.scores) == 5
    assert editor.undo() and editor.map.channel(email).name == "Email"
    assert editor.redo() and editor.map.channel(email).name == "New"
    assert repo.load() == editor.map


def test_a_refused_write_changes_nothing_and_says_why():
    repo = MemoryRepository()
    editor = MapEditor(repo)
    heard = listened(editor)
    repo.refuse_writes = True
    done = editor.perform("Add", ops.add_channel(editor.map, "Email", Layer.EXECUTION))
    assert not done and done.write_failed and done.reason == "the disk is full"
    assert len(editor.map) == 0 and heard == [] and editor.history == []


def test_a_refused_edit_is_a_falsy_result_with_its_reason():
    editor = MapEditor(MemoryRepository())
    done = editor.perform("Connect", [_bad_flow()])  # between channels the map does not have
    assert not done and done.reason and not done.write_failed


def _bad_flow():
    from desktop.domain.edits import AddFlow
    from desktop.domain.model import Flow

    return AddFlow(Flow("c1", "c2"))


def test_versions_are_undoable_steps_announced_as_changes():
    repo: MapRepository = MemoryRepository()
    editor = MapEditor(repo)
    heard = listened(editor)
    editor.perform("Add", ops.add_channel(editor.map, "Email", Layer.EXECUTION))
    assert editor.save_version("As-is", "before")
    assert editor.rename_version("as-is", "Baseline")
    assert [v.name for v in editor.versions()] == ["Baseline"]
    assert editor.delete_version("Baseline")
    assert editor.versions() == []
    assert editor.history == [
        "Add",
        "Save version As-is",
        "Rename version As-is to Baseline",
        "Delete version Baseline",
    ]
    assert [c.versions for c in heard] == [False, True, True, True]
    assert editor.undo() and [v.name for v in editor.versions()] == ["Baseline"]
    assert len(editor.load_version("Baseline")) == 1
    assert editor.undo() and [v.name for v in editor.versions()] == ["As-is"]
    assert editor.undo() and editor.versions() == []
    assert editor.redo() and editor.redo() and editor.redo()
    assert editor.versions() == [] and heard[-1] == Change(versions=True)
    assert editor.save_version("Plan")
    refused = editor.save_version("plan")  # the repository's refusal, as a reason
    assert not refused and "already exists" in refused.reason
    assert len(editor.history) == 5


def test_the_import_pipeline_is_one_undoable_step_with_a_score_row():
    repo = MemoryRepository()
    editor = MapEditor(repo)
    incoming = ArchitectureMap()
    from desktop.domain.edits import apply_all

    apply_all(incoming, ops.add_channel(incoming, "Webinars", Layer.CAPTURE))
    apply_all(incoming, ops.add_channel(incoming, "Lead scoring", Layer.ROUTING))
    webinars, scoring = (channel.id for channel in incoming.channels)
    apply_all(incoming, ops.connect(incoming, webinars, scoring))
    done = import_map(editor, incoming, "inventory.csv")
    assert done and len(done.new_ids) == 2
    assert editor.history == ["Import 2 channels from inventory.csv"]
    assert len(repo.scores) == 2 and len(repo.load().flows) == 1
    refused = import_map(editor, incoming, "inventory.csv")
    assert not refused and "already has a channel named" in refused.reason
