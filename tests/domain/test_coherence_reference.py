"""The fast coherence engine gives exactly what the plain one it replaced gives.

`tests/domain/_reference_coherence.py` is the engine as first written; the one
in `desktop.domain.coherence` was rewritten for speed and caches the flow
graph between runs. On random maps, on maps with invalid input and a messy
edit history, on a large map, and along random edit sequences (which is where
a stale cache would show), both must agree on the score, every component and
every finding: rule, component, points, channel ids, names, message and order.
"""

from __future__ import annotations

import random
from dataclasses import FrozenInstanceError, fields

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.domain.coherence_v1 import assess
from desktop.domain.findings import Finding
from desktop.domain.layers import LAYERS
from desktop.domain.model import ArchitectureMap, Channel, Flow
from tests.domain import _reference_coherence as reference
from tests.domain.test_coherence_properties import maps

TEXT = st.sampled_from(
    ["", " ", "Mid-market", " mid-market ", "Enterprise", "b", "B ", "ß", "SS", "ss", "\u00a0"]
)
NAMES = st.sampled_from(["A", "a", " a", "B", "b ", "Zeta", "ß", "ss", "SS", "é", "E\u0301"])
RULES = st.sampled_from(["", " ", "r", "R", "score ≥ 70"])
CHECK = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


def assert_same(arch: ArchitectureMap) -> None:
    expected, report = reference.assess(arch), assess(arch)
    assert report.raw_score == expected.raw_score
    assert report.score == max(0.0, expected.raw_score)
    assert report.drag == expected.drag
    assert list(report.components.items()) == list(expected.components.items())
    fields = ("rule", "component", "points", "channel_ids", "channels", "message")
    got = [tuple(getattr(f, name) for name in fields) for f in report.findings]
    assert got == [tuple(getattr(f, name) for name in fields) for f in expected.findings]


@st.composite
def messy_maps(draw: st.DrawFn, max_channels: int = 24) -> ArchitectureMap:
    """Maps a checked edit never makes: names equal once folded, flows to unknown channels,
    self-flows, flows inserted out of order, a channel dropped with its flows left behind."""
    count = draw(st.integers(0, max_channels))
    channels = [
        Channel(
            id=f"c{i}",
            name=draw(st.one_of(st.just(f"Channel {i}"), NAMES)),
            layer=draw(st.sampled_from(LAYERS)),
            function=draw(st.sampled_from(["", "email", " Email", "ads", "ß", "SS"])),
            segment=draw(TEXT),
            motion=draw(TEXT),
            message=draw(TEXT),
            ord=i + 1,
        )
        for i in range(count)
    ]
    ids = [c.id for c in channels] + ["ghost"]
    pairs = [(a, b) for a in ids for b in ids] if count else []
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=4 * count)) if pairs else []
    ords = draw(st.permutations(range(1, len(chosen) + 1)))
    flows = [Flow(a, b, rule=draw(RULES), ord=o) for (a, b), o in zip(chosen, ords, strict=True)]
    arch = ArchitectureMap.build(channels, flows)
    for flow in draw(st.lists(st.sampled_from(arch.flows), max_size=3)) if flows else []:
        arch.drop_flow(flow.source, flow.target)
        arch.put_flow(flow)
    if count and draw(st.booleans()):
        dropped = arch.drop_channel(draw(st.sampled_from(ids[:-1])))
        if draw(st.booleans()):
            arch.put_channel(dropped)
    return arch


@CHECK
@given(maps(max_channels=16))
def test_same_results_on_random_maps(arch):
    assert_same(arch)


@CHECK
@given(messy_maps())
def test_same_results_on_messy_maps(arch):
    assert_same(arch)


@CHECK
@given(maps(max_channels=12), st.data())
def test_same_results_along_an_edit_sequence(arch, data):
    """Renames keep the cached flow graph; layer, flow and rule edits must replace it."""
    assert_same(arch)
    for _ in range(data.draw(st.integers(1, 6))):
        channels, flows = arch.channels, arch.flows
        kind = data.draw(st.sampled_from(["rename", "layer", "rule", "drop-flow", "add-flow", "text"]))
        if kind in ("rename", "layer", "text") and channels:
            channel = data.draw(st.sampled_from(channels))
            changes = {
                "rename": {"name": channel.name + " x"},
                "layer": {"layer": data.draw(st.sampled_from(LAYERS))},
                "text": {"segment": data.draw(TEXT), "message": data.draw(TEXT), "function": data.draw(TEXT)},
            }[kind]
            arch.put_channel(channel.with_changes(**changes))
        elif kind == "rule" and flows:
            flow = data.draw(st.sampled_from(flows))
            arch.put_flow(flow.with_changes(rule=data.draw(RULES)))
        elif kind == "drop-flow" and flows:
            flow = data.draw(st.sampled_from(flows))
            arch.drop_flow(flow.source, flow.target)
        elif kind == "add-flow" and len(channels) > 1:
            source, target = data.draw(
                st.lists(st.sampled_from(channels), min_size=2, max_size=2, unique=True)
            )
            if arch.flow(source.id, target.id) is None:
                arch.put_flow(Flow(source.id, target.id, ord=arch.next_flow_ord()))
        assert_same(arch)


def test_same_results_on_a_large_map():
    """Hundreds of channels with repeated functions, segments and rules: every rule fires at scale."""
    rng = random.Random(3)
    functions = ["Ads", "ads ", "Email", "Events", "Scoring", "Nurture", "Attribution", ""]
    channels = [
        Channel(
            id=f"c{i}",
            name=f"{rng.choice(['Paid', 'Email', 'SDR', 'Webinar', 'Score'])} {i}",
            layer=rng.choice(LAYERS),
            function=rng.choice(functions),
            segment=rng.choice(["SMB", "smb", "Enterprise", ""]),
            motion=rng.choice(["sales-led", "Sales-led ", "product-led", ""]),
            message=rng.choice(["Consolidate", "consolidate", "Grow", "", ""]),
            ord=i + 1,
        )
        for i in range(400)
    ]
    pairs = {(rng.randrange(400), rng.randrange(400)) for _ in range(800)}
    flows = [
        Flow(f"c{a}", f"c{b}", rule=rng.choice(["", "", "score ≥ 60"]), ord=i + 1)
        for i, (a, b) in enumerate(sorted(pairs))
        if a != b
    ]
    arch = ArchitectureMap.build(channels, flows)
    assert_same(arch)
    arch.put_channel(channels[7].with_changes(name="Renamed"))
    assert_same(arch)
    arch.drop_flow(flows[0].source, flows[0].target)
    assert_same(arch)


def test_findings_are_ordinary_frozen_findings():
    """The engine builds findings without their __init__ (for speed): they must not differ in any way."""
    arch = ArchitectureMap.build(
        [Channel(id="a", name="Ads", layer=LAYERS[0]), Channel(id="b", name="Email", layer=LAYERS[2])]
    )
    finding = assess(arch).findings[0]
    twin = Finding(**{f.name: getattr(finding, f.name) for f in fields(Finding)})
    assert finding == twin and hash(finding) == hash(twin) and repr(finding) == repr(twin)
    assert vars(finding) == vars(twin)
    with pytest.raises(FrozenInstanceError):
        finding.points = 0.0  # type: ignore[misc]
