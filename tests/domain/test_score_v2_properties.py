"""Properties of contract 2 on random valid maps (hypothesis): docs/score.md's promises.

Findings explain every lost point; the order of channels and flows never
changes the report; marking a channel AI never raises the score; an orphan
added to a layer that already has channels never raises it; the score stays
in range and the engine gives the same report twice.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain.coherence import assess
from desktop.domain.layers import LAYERS
from desktop.domain.model import ArchitectureMap, Channel, Flow

SEGMENT = st.sampled_from(["", "Mid-market", "Mid Market", "Enterprise", "Enterprise Tier 1", "SMB"])
MESSAGE = st.sampled_from(["", "Consolidate", "Consolidate: for CFOs", "Go live today", "AI tips"])
MOTION = st.sampled_from(["", "sales-led", "ABM", "product-led", "partner-led"])
FUNCTION = st.sampled_from(
    ["", "sales", "sdr", "email", "intent-data", "Intent data", "lead-scoring", "enrichment", "attribution",
     "analytics", "partners", "onboarding", "checkout", "win-loss"]
)  # fmt: skip
RULE = st.sampled_from(["", "tbd", "score >= 70", "SMB"])
LABEL = st.sampled_from(["", "offline conversions"])
SPEND = st.one_of(st.none(), st.sampled_from([0.0, 300.0, 2500.0, 12000.0, 30000.0]))


@st.composite
def maps(draw: st.DrawFn, max_channels: int = 12) -> ArchitectureMap:
    count = draw(st.integers(0, max_channels))
    channels = [
        Channel(
            id=f"c{i}",
            name=f"Channel {i}",
            layer=draw(st.sampled_from(LAYERS)),
            function=draw(FUNCTION),
            segment=draw(SEGMENT),
            motion=draw(MOTION),
            message=draw(MESSAGE),
            monthly_spend=draw(SPEND),
            automation=draw(st.sampled_from(["", "", "ai"])),
            ord=i + 1,
        )
        for i in range(count)
    ]
    pairs = [(a, b) for a in range(count) for b in range(count) if a != b]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=3 * count)) if pairs else []
    flows = [
        Flow(f"c{a}", f"c{b}", rule=draw(RULE), label=draw(LABEL), ord=i + 1)
        for i, (a, b) in enumerate(chosen)
    ]
    return ArchitectureMap.build(channels, flows)


def identity(report) -> list[tuple]:
    return sorted((f.rule, f.component, round(f.points, 9), f.channels, f.message) for f in report.findings)


@settings(max_examples=200, deadline=None)
@given(maps())
def test_findings_sum_to_the_points_lost(arch):
    report = assess(arch)
    assert abs(sum(f.points for f in report.findings) - (100.0 - report.raw_score)) < 1e-6
    assert 0.0 <= report.score <= 100.0
    assert all(f.points > 0 for f in report.findings)
    assert all(0.0 <= value <= 1.0 + 1e-12 for value in report.components.values())


@settings(max_examples=150, deadline=None)
@given(maps(), st.randoms(use_true_random=False))
def test_the_order_of_channels_and_flows_never_matters(arch, rng):
    channels = arch.channels
    flows = arch.flows
    rng.shuffle(channels)
    rng.shuffle(flows)
    shuffled = ArchitectureMap.build(
        [replace(c, ord=i) for i, c in enumerate(channels, 1)],
        [replace(f, ord=i) for i, f in enumerate(flows, 1)],
    )
    before, after = assess(arch), assess(shuffled)
    assert abs(before.raw_score - after.raw_score) < 1e-9
    assert identity(before) == identity(after)
    assert [f.rule for f in before.findings] == [f.rule for f in after.findings]


@settings(max_examples=150, deadline=None)
@given(maps(), st.data())
def test_marking_a_channel_ai_never_raises_the_score(arch, data):
    human = [c for c in arch.channels if c.automation != "ai"]
    if not human:
        return
    target = data.draw(st.sampled_from(human))
    marked = ArchitectureMap.build(
        [replace(c, automation="ai") if c.id == target.id else c for c in arch.channels], arch.flows
    )
    assert assess(marked).raw_score <= assess(arch).raw_score + 1e-9


@settings(max_examples=150, deadline=None)
@given(maps(), st.data())
def test_an_orphan_in_a_layer_with_channels_never_raises_the_score(arch, data):
    layers = sorted({c.layer for c in arch.channels}, key=LAYERS.index)
    if not layers:
        return
    orphan = Channel(
        id="orphan",
        name="Orphan",
        layer=data.draw(st.sampled_from(layers)),
        function=data.draw(FUNCTION),
        segment=data.draw(SEGMENT),
        message=data.draw(MESSAGE),
        monthly_spend=data.draw(SPEND),
        automation=data.draw(st.sampled_from(["", "ai"])),
        ord=arch.next_channel_ord(),
    )
    grown = ArchitectureMap.build([*arch.channels, orphan], arch.flows)
    assert assess(grown).raw_score <= assess(arch).raw_score + 1e-9


@settings(max_examples=60, deadline=None)
@given(maps())
def test_the_same_map_gives_the_same_report(arch):
    assert assess(arch) == assess(arch.copy())
