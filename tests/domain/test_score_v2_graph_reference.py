"""The contract 2 flow graph equals a plain reference built the obvious way, on any input.

Why: coherence_v2_graph.py is tuned for scoring a large map from scratch (its
searches upstream go one level at a time, then switch to a per-channel search
on deep maps; most flows are read in one pass). The reference below is the
straightforward one-flow-at-a-time build it replaced. Random maps here include
what a validated map never has (flows to themselves, to unknown channels, or
from them), long chains deeper than the level-at-a-time search goes, and every
layer pair, and every attribute the rules read is compared, order included.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain import coherence_v2_graph
from desktop.domain.coherence_v2_graph import GraphV2
from desktop.domain.layers import LAYERS, Layer
from desktop.domain.model import Flow
from desktop.domain.vocabulary import real_rule

_CAPTURE, _ROUTING, _EXECUTION, _FEEDBACK = LAYERS


def reference(ids: list[str], layers: list[Layer], flows: list[Flow]) -> dict[str, object]:
    """Every attribute of GraphV2, one flow at a time."""
    layer_of = dict(zip(ids, layers, strict=True))
    senders: set[str] = set()
    receivers: set[str] = set()
    onward: set[str] = set()
    routes_onward: set[str] = set()
    upstream_of: dict[str, list[str]] = {}
    direct: dict[str, set[str]] = {}
    rows: dict[str, tuple[list[str], list[str]]] = {}
    loops: dict[str, float] = {}
    loops_back: set[str] = set()
    measured: set[str] = set()
    measures: dict[str, list[str]] = {}
    fed_back: set[str] = set()
    handoffs: dict[str, list[Flow]] = {}
    unruled_upstream: dict[str, list[str]] = {}
    feeders: dict[str, list[str]] = {}
    captured: dict[str, int] = {}
    for flow in flows:
        source, target = flow.source, flow.target
        source_layer, target_layer = layer_of.get(source), layer_of.get(target)
        if source_layer is None or target_layer is None or source == target:
            continue
        senders.add(source)
        receivers.add(target)
        if source_layer is _EXECUTION:
            if target_layer is _FEEDBACK:
                measured.add(source)
                measures.setdefault(target, []).append(source)
            elif target_layer is _EXECUTION:
                onward.add(source)
            else:
                upstream_of.setdefault(source, []).append(target)
                if target_layer is _ROUTING:
                    onward.add(source)
                    routes_onward.add(source)
        elif source_layer is _FEEDBACK:
            if target_layer is not _FEEDBACK:
                fed_back.add(target)
                credit = 1.0 if (real_rule(flow.rule) or flow.label.strip()) else 0.5
                loops[source] = max(loops.get(source, 0.0), credit)
                if target_layer is not _EXECUTION:
                    loops_back.add(source)
        else:
            feeders.setdefault(target, []).append(source)
            if target_layer is _FEEDBACK:
                continue
            ruled = real_rule(flow.rule)
            if target_layer is _EXECUTION:
                handoffs.setdefault(source, []).append(flow)
                if source_layer is _CAPTURE:
                    direct.setdefault(source, set()).add(target)
            else:
                if not ruled:
                    unruled_upstream.setdefault(source, []).append(target)
                if source_layer is _CAPTURE and target_layer is _ROUTING:
                    captured[target] = captured.get(target, 0) + 1
            if source_layer is _ROUTING:
                row = rows.setdefault(source, ([], []))
                row[0 if ruled or target_layer is _ROUTING else 1].append(target)
    connected = senders | receivers
    lanes: tuple[list[str], ...] = tuple(
        [cid for cid, layer in zip(ids, layers, strict=True) if layer is lane and cid in connected]
        for lane in LAYERS
    )

    def upstream(start: list[str]) -> set[str]:
        found, queue = set(start), list(start)
        for node in queue:
            for source in feeders.get(node, ()):
                if source not in found:
                    found.add(source)
                    queue.append(source)
        return found

    near = upstream([s for cid in lanes[2] for s in feeders.get(cid, ())])
    routed = upstream([s for cid in near if layer_of[cid] is _ROUTING for s in feeders.get(cid, ())])
    entry = [cid for cid in lanes[2] if cid not in receivers and cid in onward]
    accountable = upstream([cid for cid in (*lanes[0], *lanes[1]) if cid in fed_back])
    for cid in entry:
        if cid in fed_back or any(t in accountable for t in upstream_of.get(cid, ())):
            accountable.add(cid)
    decision_rows = {}
    for cid in lanes[1]:
        decided, unruled = rows.get(cid, ([], []))
        decision_rows[cid] = (len(decided) + len(unruled), decided, unruled)
    return {
        "ids": ids,
        "layers": layers,
        "flows": flows,
        "connected": connected,
        "lanes": lanes,
        "routed": routed,
        "direct_targets": direct,
        "entry_execution": entry,
        "accountable": accountable,
        "decision_rows": decision_rows,
        "loop_credit": {cid: loops.get(cid, 0.0) for cid in lanes[3]},
        "measured": measured,
        "handoffs": [f for cid in (*lanes[0], *lanes[1]) for f in handoffs.get(cid, ())],
        "unruled_handoffs": [
            f for cid in (*lanes[0], *lanes[1]) for f in handoffs.get(cid, ()) if not real_rule(f.rule)
        ],
        "unruled_upstream": unruled_upstream,
        "captured": captured,
        "routes_onward": routes_onward,
        "measures": measures,
        "loops_back": loops_back,
        "memo": {},
    }


def same(graph: GraphV2, expected: dict[str, object]) -> None:
    assert sorted(GraphV2.__slots__) == sorted(expected)
    for name, value in expected.items():
        got = getattr(graph, name)
        assert type(got) is type(value), name
        assert got == value, name
        if isinstance(value, dict):  # the same keys in the same order
            assert list(got) == list(value), name


@st.composite
def inputs(draw: st.DrawFn) -> tuple[list[str], list[Layer], list[Flow]]:
    count = draw(st.integers(0, 14))
    ids = [f"c{i}" for i in range(count)]
    layers = [draw(st.sampled_from(LAYERS)) for _ in ids]
    ends = st.sampled_from([*ids, "gone"]) if ids else st.just("gone")
    flows = draw(
        st.lists(
            st.builds(
                Flow,
                ends,
                ends,
                rule=st.sampled_from(["", "tbd", "score >= 70", " SMB "]),
                label=st.sampled_from(["", " ", "offline conversions"]),
            ),
            max_size=4 * count + 2,
        )
    )
    if draw(st.booleans()):  # a validated map: no flow to itself or to an unknown channel
        flows = [f for f in flows if f.source != f.target and f.source in ids and f.target in ids]
    return ids, layers, flows


@settings(max_examples=400, deadline=None)
@given(inputs())
def test_the_graph_equals_the_reference(given_inputs):
    same(GraphV2(*given_inputs), reference(*given_inputs))


@settings(max_examples=300, deadline=None)
@given(inputs(), st.integers(0, 2))
def test_the_deep_search_gives_what_the_level_search_gives(given_inputs, levels):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(coherence_v2_graph._Upstream, "LEVELS", levels)
        same(GraphV2(*given_inputs), reference(*given_inputs))


@pytest.mark.parametrize("depth", [1, 5, 6, 7, 40])
def test_a_long_chain_of_capture_and_routing_channels_is_routed_and_accountable(depth):
    ids = [f"c{i}" for i in range(depth)] + ["r", "sdr", "loop"]
    layers = [_CAPTURE] * depth + [_ROUTING, _EXECUTION, _FEEDBACK]
    chain = [Flow(f"c{i}", f"c{i + 1}") for i in range(depth - 1)]
    flows = [*chain, Flow(f"c{depth - 1}", "r"), Flow("r", "sdr"), Flow("sdr", "loop"), Flow("loop", "c0")]
    graph = GraphV2(ids, layers, flows)
    assert graph.routed == set(ids[:depth])
    assert graph.accountable == {"c0"}
    reversed_loop = [*flows[:-1], Flow("loop", f"c{depth - 1}")]
    assert GraphV2(ids, layers, reversed_loop).accountable == set(ids[:depth])
    same(GraphV2(ids, layers, reversed_loop), reference(ids, layers, reversed_loop))


@settings(max_examples=200, deadline=None)
@given(inputs())
def test_the_graph_given_the_lanes_equals_the_reference(given_inputs):
    ids, layers, flows = given_inputs
    lanes = tuple([cid for cid, layer in zip(ids, layers, strict=True) if layer is lane] for lane in LAYERS)
    same(GraphV2(ids, layers, flows, lanes), reference(ids, layers, flows))
