"""`ScoredMap` (what `score` of a .distarch file scores) answers every question as `build`'s map does.

It keeps its flows as the store's list and builds the flows by their ends and the
channels by their names only when asked; whatever is asked first, and after an
edit, the answers equal those of the same map made by `ArchitectureMap.build`.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain.layers import LAYERS
from desktop.domain.model import ArchitectureMap, Channel, Flow, MapInfo, ScoredMap

IDS = [f"c{i}" for i in range(6)]


@st.composite
def parts(draw: st.DrawFn) -> tuple[list[Channel], list[Flow]]:
    ids = draw(st.lists(st.sampled_from(IDS), unique=True, max_size=6))
    channels = [
        Channel(cid, f"Name {cid}", draw(st.sampled_from(LAYERS)), ord=i) for i, cid in enumerate(ids, 1)
    ]
    pairs = [(a, b) for a in ids for b in ids if a != b]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=10)) if pairs else []
    return channels, [Flow(a, b, ord=i) for i, (a, b) in enumerate(chosen, 1)]


def in_order(flows: list[Flow]) -> list[Flow]:
    return sorted(flows, key=lambda f: f.ord)  # a scored map's flows come in the store's order


def answers(arch: ArchitectureMap, first: str) -> dict:
    asked = {
        "flow": lambda: [arch.flow(a, b) for a in IDS for b in IDS],
        "index": lambda: [
            (c, in_order(arch.outgoing(c)), in_order(arch.incoming(c)), in_order(arch.flows_of(c)))
            for c in IDS
        ],
        "names": lambda: [arch.channel_by_name(f"name {c} ") for c in IDS] + [arch.unique_name("Name c1")],
        "flows": lambda: in_order(arch.flows),
    }
    order = [first] + [name for name in asked if name != first]
    return {name: asked[name]() for name in order} | {"channels": arch.channels}


@settings(max_examples=200, deadline=None)
@given(parts(), st.sampled_from(["flow", "index", "names", "flows"]), st.randoms(use_true_random=False))
def test_a_scored_map_answers_as_the_built_map(made, first, rng):
    channels, flows = made
    stored = list(flows)
    rng.shuffle(stored)  # a store hands over its flows in storage order
    scored = ScoredMap.of(channels, stored, MapInfo(name="m"))
    built = ArchitectureMap.build(channels, flows, MapInfo(name="m"))
    assert scored is not None
    assert answers(scored, first) == answers(built, first)


def test_an_edit_after_a_lazy_index_keeps_every_answer():
    channels = [Channel(c, f"Name {c}", LAYERS[i % 4], ord=i) for i, c in enumerate(IDS, 1)]
    flows = [Flow("c0", "c1", ord=1), Flow("c1", "c2", ord=2)]
    scored, built = ScoredMap.of(channels, flows, MapInfo()), ArchitectureMap.build(channels, flows)
    assert scored is not None
    for arch in (scored, built):
        arch.put_flow(Flow("c2", "c3", "new", ord=arch.next_flow_ord()))
        arch.drop_flow("c0", "c1")
        arch.drop_channel("c5")
    assert answers(scored, "flows") == answers(built, "flows")
    assert scored.next_flow_ord() == built.next_flow_ord()


def test_a_repeated_id_or_name_is_left_to_the_checked_read():
    ads = Channel("c1", "Ads", LAYERS[0], ord=1)
    assert ScoredMap.of([ads, Channel("c1", "Other", LAYERS[1], ord=2)], [], MapInfo()) is None
    assert ScoredMap.of([ads, Channel("c2", " ADS ", LAYERS[1], ord=2)], [], MapInfo()) is None
    assert ScoredMap.of([ads], [], MapInfo()) is not None
