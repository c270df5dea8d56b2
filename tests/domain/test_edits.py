"""Primitive edits and user operations: validation, exact inverses, unique names."""

from __future__ import annotations

import pytest

from desktop.domain import operations as ops
from desktop.domain.edits import apply_all
from desktop.domain.errors import MapError
from desktop.domain.layers import Layer
from desktop.domain.layout import LANE_WIDTH
from desktop.domain.model import ArchitectureMap


def test_unique_names_count_up():
    arch = ArchitectureMap()
    for _ in range(3):
        apply_all(arch, ops.add_channel(arch, "Webinars", Layer.CAPTURE))
    assert [c.name for c in arch.channels] == ["Webinars", "Webinars 2", "Webinars 3"]


def add(arch: ArchitectureMap, name: str, layer: Layer) -> str:
    """Add a channel; its (new, UUID-based) id."""
    edits = ops.add_channel(arch, name, layer)
    apply_all(arch, edits)
    return edits[0].channel.id  # type: ignore[union-attr]


def test_new_channel_ids_are_globally_unique_and_existing_ids_are_kept():
    import uuid

    from desktop.domain import interchange

    arch = ArchitectureMap()
    made = {add(arch, f"C{i}", Layer.CAPTURE) for i in range(50)}
    assert len(made) == 50 and all(uuid.UUID(cid) for cid in made)
    kept = interchange.loads(interchange.dumps(arch))
    assert {c.id for c in kept.channels} == made
    old = ArchitectureMap()
    apply_all(old, ops.add_channel(old, "A", Layer.CAPTURE))
    old_id = old.channels[0].id
    assert interchange.loads(interchange.dumps(old)).channels[0].id == old_id


def test_inverse_restores_the_map_exactly():
    arch = ArchitectureMap()
    c1 = add(arch, "Paid search", Layer.CAPTURE)
    c2 = add(arch, "Lead scoring", Layer.ROUTING)
    apply_all(arch, ops.connect(arch, c1, c2, rule="score >= 70"))
    before = arch.copy()
    inverses = apply_all(arch, ops.delete(arch, [c1]))
    assert len(arch) == 1 and not arch.flows
    apply_all(arch, inverses)
    assert arch.same_content(before)


def test_self_flow_and_repeated_pair_are_refused_and_change_nothing():
    arch = ArchitectureMap()
    c1 = add(arch, "A", Layer.CAPTURE)
    c2 = add(arch, "B", Layer.ROUTING)
    apply_all(arch, ops.connect(arch, c1, c2))
    before = arch.copy()
    with pytest.raises(MapError, match="itself"):
        apply_all(arch, ops.connect(arch, c1, c1))
    with pytest.raises(MapError, match="already a flow"):
        apply_all(arch, ops.connect(arch, c1, c2))
    assert arch.same_content(before)


def test_failed_list_is_rolled_back_whole():
    arch = ArchitectureMap()
    c1 = add(arch, "A", Layer.CAPTURE)
    before = arch.copy()
    edits = ops.add_channel(arch, "B", Layer.ROUTING) + ops.connect(arch, c1, c1)
    with pytest.raises(MapError):
        apply_all(arch, edits)
    assert arch.same_content(before)


def test_rename_to_a_taken_name_is_refused():
    arch = ArchitectureMap()
    add(arch, "A", Layer.CAPTURE)
    c2 = add(arch, "B", Layer.CAPTURE)
    with pytest.raises(MapError, match="already used"):
        apply_all(arch, ops.update_channel(arch, c2, name=" a "))


def test_moving_into_another_lane_changes_layer():
    arch = ArchitectureMap()
    c1 = add(arch, "A", Layer.CAPTURE)
    apply_all(arch, ops.move_channels(arch, {c1: (LANE_WIDTH * 2 + 30, 200)}))
    assert arch.channel(c1).layer is Layer.EXECUTION


def test_paste_renames_on_clash_and_keeps_inner_flows():
    arch = ArchitectureMap()
    c1 = add(arch, "A", Layer.CAPTURE)
    c2 = add(arch, "B", Layer.ROUTING)
    apply_all(arch, ops.connect(arch, c1, c2))
    apply_all(arch, ops.paste(arch, ops.copy_selection(arch, [c1, c2])))
    assert [c.name for c in arch.channels] == ["A", "B", "A 2", "B 2"]
    assert len(arch.flows) == 2


@pytest.mark.parametrize("value", [-1, "-3", "abc", float("inf")])
def test_bad_numbers_are_refused(value):
    arch = ArchitectureMap()
    c1 = add(arch, "A", Layer.CAPTURE)
    from desktop.domain.validation import parse_number

    with pytest.raises(MapError):
        apply_all(arch, ops.update_channel(arch, c1, monthly_spend=parse_number(value, "monthly spend")))


def test_thousands_separators_are_numbers():
    from desktop.domain.validation import parse_number

    assert parse_number("12,000", "x") == 12000
    assert parse_number("1,234,567.5", "x") == 1234567.5
    assert parse_number("1 200", "x") == 1200
    assert parse_number("", "x") is None


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12000,50", 12000.5),
        ("12,5", 12.5),
        ("1.234,5", 1234.5),
        ("1.234.567,89", 1234567.89),
        ("0,75", 0.75),
    ],
)
def test_a_decimal_comma_is_a_decimal_point(text, number):
    from desktop.domain.validation import parse_number

    assert parse_number(text, "x") == pytest.approx(number)


def test_commas_that_are_neither_are_refused():
    from desktop.domain.validation import parse_number

    with pytest.raises(MapError):
        parse_number("1,2,3", "x")
