"""Properties of the coherence engine on random valid maps (hypothesis).

The points always explain the whole gap to 100, the score stays in range, a
rule never hurts, the engine is deterministic, and the linear "routed" search
agrees with a plain forward search written independently.
"""

from __future__ import annotations

from collections import deque

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain.coherence_v1 import COMPONENTS, assess
from desktop.domain.findings import tenths
from desktop.domain.layers import LAYERS, Layer
from desktop.domain.model import ArchitectureMap, Channel, Flow

TEXT = st.sampled_from(["", " ", "Mid-market", " mid-market ", "MID-MARKET", "Enterprise", "a", "B", "b"])
RULE = st.sampled_from(["", "  ", "score >= 70", "SMB"])


@st.composite
def maps(draw: st.DrawFn, max_channels: int = 12) -> ArchitectureMap:
    count = draw(st.integers(0, max_channels))
    channels = [
        Channel(
            id=f"c{i}",
            name=f"Channel {i}",
            layer=draw(st.sampled_from(LAYERS)),
            function=draw(st.sampled_from(["", "email", " Email", "ads", "crm"])),
            segment=draw(TEXT),
            motion=draw(TEXT),
            message=draw(TEXT),
            ord=i + 1,
        )
        for i in range(count)
    ]
    pairs = [(a, b) for a in range(count) for b in range(count) if a != b]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=3 * count)) if pairs else []
    flows = [Flow(f"c{a}", f"c{b}", rule=draw(RULE), ord=i + 1) for i, (a, b) in enumerate(chosen)]
    return ArchitectureMap.build(channels, flows)


def routed_by_forward_search(arch: ArchitectureMap, start: str) -> bool:
    """Is there a walk start → … → execution whose intermediates are capture/routing, one of them routing?"""
    upstream = {Layer.CAPTURE, Layer.ROUTING}
    seen: set[tuple[str, bool]] = set()
    queue = deque([(start, False)])
    while queue:
        node, passed = queue.popleft()
        for flow in arch.outgoing(node):
            layer = arch.channel(flow.target).layer
            if layer is Layer.EXECUTION and passed:
                return True
            if layer in upstream:
                state = (flow.target, passed or layer is Layer.ROUTING)
                if state not in seen:
                    seen.add(state)
                    queue.append(state)
    return False


FAST = settings(max_examples=150, deadline=None)


@FAST
@given(maps())
def test_points_explain_the_gap_to_100(arch):
    report = assess(arch)
    assert abs(sum(f.points for f in report.findings) + report.raw_score - 100) < 0.01
    assert all(f.points > 0 for f in report.findings)


@FAST
@given(maps())
def test_score_components_and_drag_stay_in_range(arch):
    report = assess(arch)
    assert 0 <= report.score <= 100
    assert report.score == max(0.0, report.raw_score)
    assert list(report.components) == list(COMPONENTS)
    assert all(0 <= value <= 1 for value in report.components.values())
    assert 0 <= report.drag <= 20
    assert float(report.score_text) == float(tenths(report.score))


@FAST
@given(maps(), st.data())
def test_a_rule_on_an_unruled_routing_flow_never_lowers_the_score(arch, data):
    unruled = [f for f in arch.flows if arch.channel(f.source).layer is Layer.ROUTING and not f.rule.strip()]
    if not unruled:
        return
    flow = data.draw(st.sampled_from(unruled))
    before = assess(arch).score
    arch.put_flow(flow.with_changes(rule="score >= 70"))
    assert assess(arch).score >= before - 1e-9


@FAST
@given(maps())
def test_engine_is_deterministic(arch):
    first, second = assess(arch), assess(arch.copy())
    assert first == second
    assert first.to_dict() == second.to_dict()


@FAST
@given(maps())
def test_findings_are_ordered_and_indexed_by_channel(arch):
    report = assess(arch)
    keys = [-round(f.points, 9) for f in report.findings]
    assert keys == sorted(keys)
    for channel in arch.iter_channels():
        expected = [f for f in report.findings if channel.id in f.channel_ids]
        assert list(report.findings_for(channel.id)) == expected


@FAST
@given(maps(max_channels=10))
def test_routed_agrees_with_a_forward_search(arch):
    report = assess(arch)
    capture = arch.in_layer(Layer.CAPTURE)
    unrouted = {f.channel_ids[0] for f in report.findings if f.rule == "unrouted-signal"}
    for channel in capture:
        assert (channel.id not in unrouted) == routed_by_forward_search(arch, channel.id)
    if capture:
        assert report.components["flow"] == (len(capture) - len(unrouted)) / len(capture)
