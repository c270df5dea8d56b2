"""Random edit sequences through the editor (the one door of the window, the CLI and remote edits).

Undo-all restores the initial map, redo-all the final one, and reopening the
file always equals the map in memory; versions saved along the way come and
go with undo and redo.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from desktop.document.editor import MapEditor
from desktop.domain import operations as ops
from desktop.domain.layers import LAYERS
from desktop.domain.model import ArchitectureMap, MapInfo
from desktop.store.document import MapDocument, write_new_file

NAMES = st.sampled_from(["Paid search", "Webinars", "Lead scoring", "SDR outreach", "Attribution", "Email"])
TEXT = st.sampled_from(["", "Mid-market", "sales-led", "score >= 70", "Consolidate"])


class SessionMachine(RuleBasedStateMachine):
    """Edits the editor can refuse are fine: a refusal must change nothing."""

    @initialize()
    def open_map(self) -> None:
        self.folder = Path(tempfile.mkdtemp())
        self.path = self.folder / "m.distarch"
        write_new_file(self.path, ArchitectureMap(info=MapInfo("Stateful")))
        self.session = MapEditor(MapDocument.open(self.path))
        self.initial = self.session.map.copy()

    def teardown(self) -> None:
        if hasattr(self, "session"):
            self.session.close()

    def _ids(self) -> list[str]:
        return [c.id for c in self.session.map.channels]

    @rule(name=NAMES, layer=st.sampled_from(LAYERS))
    def add(self, name, layer) -> None:
        self.session.perform("Add", ops.add_channel(self.session.map, name, layer))

    @precondition(lambda self: len(self.session.map) >= 2)
    @rule(data=st.data())
    def connect(self, data) -> None:
        ids = self._ids()
        a = data.draw(st.sampled_from(ids))
        b = data.draw(st.sampled_from(ids))
        self.session.perform("Connect", ops.connect(self.session.map, a, b))

    @precondition(lambda self: len(self.session.map) >= 1)
    @rule(data=st.data(), x=st.floats(-100, 1600), y=st.floats(0, 1200))
    def move(self, data, x, y) -> None:
        cid = data.draw(st.sampled_from(self._ids()))
        self.session.perform("Move", ops.move_channels(self.session.map, {cid: (x, y)}))

    @precondition(lambda self: len(self.session.map) >= 1)
    @rule(data=st.data(), field=st.sampled_from(["segment", "message", "motion", "function"]), value=TEXT)
    def edit_text(self, data, field, value) -> None:
        cid = data.draw(st.sampled_from(self._ids()))
        self.session.perform(
            "Edit", ops.update_channel(self.session.map, cid, **{field: value}), merge_key=f"{cid}:{field}"
        )

    @precondition(lambda self: len(self.session.map) >= 1)
    @rule(data=st.data(), name=NAMES)
    def rename(self, data, name) -> None:
        cid = data.draw(st.sampled_from(self._ids()))
        self.session.perform("Rename", ops.update_channel(self.session.map, cid, name=name))

    @precondition(lambda self: bool(self.session.map.flows))
    @rule(data=st.data(), rule_text=TEXT)
    def set_rule(self, data, rule_text) -> None:
        flow = data.draw(st.sampled_from(self.session.map.flows))
        self.session.perform(
            "Rule", ops.update_flow(self.session.map, flow.source, flow.target, rule=rule_text)
        )

    @precondition(lambda self: len(self.session.map) >= 1)
    @rule(data=st.data())
    def delete(self, data) -> None:
        cid = data.draw(st.sampled_from(self._ids()))
        self.session.perform("Delete", ops.delete(self.session.map, [cid]))

    @precondition(lambda self: len(self.session.map) >= 1)
    @rule(data=st.data())
    def duplicate(self, data) -> None:
        ids = data.draw(st.lists(st.sampled_from(self._ids()), min_size=1, max_size=3, unique=True))
        self.session.perform("Duplicate", ops.duplicate(self.session.map, ids))

    @rule(name=NAMES)
    def save_version(self, name) -> None:
        self.session.save_version(name)

    @rule()
    def undo(self) -> None:
        self.session.undo()

    @rule()
    def redo(self) -> None:
        self.session.redo()

    @invariant()
    def file_equals_memory(self) -> None:
        if not hasattr(self, "session"):
            return
        with MapDocument.open(self.path, read_only=True) as doc:
            assert doc.load().same_content(self.session.map)
            assert doc.list_versions() == self.session.versions()

    @invariant()
    def undo_all_then_redo_all(self) -> None:
        if not hasattr(self, "session"):
            return
        editor = self.session
        final = editor.map.copy()
        done = editor.undo_count
        while editor.undo_count:
            assert editor.undo()
        assert editor.map.same_content(self.initial) and editor.versions() == []
        while editor.redo():
            pass
        assert editor.undo_count == len(editor.history)
        while editor.undo_count > done:
            assert editor.undo()
        assert editor.map.same_content(final)


TestEditorHistory = SessionMachine.TestCase
TestEditorHistory.settings = settings(
    max_examples=40, stateful_step_count=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
