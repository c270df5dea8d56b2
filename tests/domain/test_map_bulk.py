"""`ArchitectureMap.bulk` (how files are read) builds the map `build` builds, its flow index on first use."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain.layers import LAYERS
from desktop.domain.model import ArchitectureMap, Channel, Flow, MapInfo, build_channels, build_flows

IDS = [f"c{i}" for i in range(6)]


@st.composite
def parts(draw: st.DrawFn) -> tuple[list[Channel], list[Flow]]:
    ids = draw(st.lists(st.sampled_from(IDS), unique=True, max_size=6))
    channels = [
        Channel(cid, f"Name {cid}", draw(st.sampled_from(LAYERS)), ord=i) for i, cid in enumerate(ids, 1)
    ]
    pairs = draw(st.lists(st.tuples(st.sampled_from(IDS), st.sampled_from(IDS)), unique=True, max_size=12))
    flows = [Flow(a, b, ord=i) for i, (a, b) in enumerate(pairs, 1)]
    return channels, flows


def _index(arch: ArchitectureMap) -> list:
    return [(cid, arch.outgoing(cid), arch.incoming(cid), arch.flows_of(cid)) for cid in IDS]


@settings(max_examples=200, deadline=None)
@given(parts(), st.sampled_from(IDS), st.sampled_from(IDS), st.booleans())
def test_bulk_equals_build_before_and_after_edits(made, a, b, drop_channel) -> None:
    channels, flows = made
    bulk = ArchitectureMap.bulk(channels, flows, MapInfo())
    valid = {c.id for c in channels}
    if any(f.source == f.target or not {f.source, f.target} <= valid for f in flows):
        assert bulk is None  # a flow to itself or to nowhere: the caller checks entry by entry
        return
    assert bulk is not None
    built = ArchitectureMap.build(channels, flows, MapInfo())
    assert bulk == built and bulk.flows == built.flows and bulk.channels == built.channels
    assert _index(bulk) == _index(built)
    edited = (ArchitectureMap.bulk(channels, flows, MapInfo()), ArchitectureMap.build(channels, flows))
    for arch in edited:  # the first edit of a bulk map builds its index
        if drop_channel and arch.has_channel(a):
            for flow in arch.flows_of(a):
                arch.drop_flow(flow.source, flow.target)
            arch.drop_channel(a)
        elif a != b and arch.has_channel(a) and arch.has_channel(b):
            if arch.flow(a, b):
                arch.drop_flow(a, b)
            else:
                arch.put_flow(Flow(a, b, "new", ord=arch.next_flow_ord()))
    assert _index(edited[0]) == _index(edited[1])


def test_the_fast_builders_make_ordinary_frozen_objects() -> None:
    import dataclasses

    import pytest

    channel = build_channels(
        ["c1"], ["Paid"], [LAYERS[0]], *[[""]] * 5, [1.0], [None], [""], [None], [None], [1], [""]
    )[0]
    assert type(channel) is Channel and channel == Channel("c1", "Paid", LAYERS[0], monthly_spend=1.0, ord=1)
    assert hash(channel) == hash(Channel("c1", "Paid", LAYERS[0], monthly_spend=1.0, ord=1))
    with pytest.raises(dataclasses.FrozenInstanceError):
        channel.name = "x"  # type: ignore[misc]
    flow = build_flows(["c1"], ["c2"], ["r"], [""], [3])[0]
    assert type(flow) is Flow and flow == Flow("c1", "c2", "r", "", 3)
