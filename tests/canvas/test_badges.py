"""Badges follow the findings after every edit, though only the cards whose findings changed are redrawn."""

from __future__ import annotations

from desktop.domain import operations as ops
from tests.ui.helpers import new_map_file
from tests.ui.test_editing import make_window


def _badges_match(window) -> None:
    report = window.session.report
    for cid, item in window.scene.channel_items.items():
        assert item.findings == [f.message for f in report.findings_for(cid)], cid


def test_badges_equal_the_findings_after_each_edit_undo_and_redo(qtbot, tmp_path):
    window = make_window(qtbot, new_map_file(tmp_path, sample=True))
    session = window.session
    _badges_match(window)
    arch = session.map
    ids = [c.id for c in arch.iter_channels()]
    pairs = [(a, b) for a in ids for b in ids if a != b and arch.flow(a, b) is None][:6]
    steps = 0
    for source, target in pairs:
        assert session.perform("connect", ops.connect(session.map, source, target))
        _badges_match(window)
        steps += 1
    victim = max(ids, key=lambda c: len(session.map.flows_of(c)))
    assert session.perform("delete", ops.delete(session.map, [victim]))
    _badges_match(window)
    steps += 1
    assert session.perform(
        "add", ops.add_channel(session.map, "Lonely channel", session.map.channel(ids[0]).layer)
    )
    _badges_match(window)
    steps += 1
    for _ in range(steps):
        session.undo_stack.undo()
        _badges_match(window)
    for _ in range(steps):
        session.undo_stack.redo()
        _badges_match(window)
