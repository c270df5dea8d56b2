"""`SCORED_CHANNEL_FIELDS` and `SCORED_FLOW_FIELDS` name everything the score reads (hypothesis).

`score` of a .distarch file reads only those fields, channels in `ord` order and
flows in storage order, and leaves the other fields at their defaults
(store/scored.py). So: changing or blanking every other field, and shuffling
the flows, must never change either contract's report, to the last character of
its JSON and of its text. If an engine starts reading another field, or the
order of flows, this fails until the constant names it.
"""

from __future__ import annotations

import json
from dataclasses import fields, replace

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain.coherence import (
    CONTRACTS,
    SCORED_CHANNEL_FIELDS,
    SCORED_FLOW_FIELDS,
    assess,
    summary_text,
)
from desktop.domain.layers import LAYERS
from desktop.domain.model import AI, ArchitectureMap, Channel, Flow, MapInfo

WORDS = ["", "sales", "sdr", "email", "intent-data", "Lead scoring", "attribution", "onboarding", "win-loss"]
SEGMENTS = ["", "Mid-market", "Mid Market", "Enterprise", "SMB"]
MESSAGES = ["", "Consolidate", "Consolidate: for CFOs", "Go live today", "AI tips"]
MOTIONS = ["", "sales-led", "ABM", "product-led"]
TOOLS = ["", "HubSpot", "Salesforce", "Clearbit", "GA4"]
RULES = ["", "tbd", "score >= 70", "SMB"]
NUMBERS = st.one_of(st.none(), st.sampled_from([0.0, 1.5, 300.0, 2500.0, 12000.0]))
COORDINATES = st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False))
NOTES = st.sampled_from(["", "Owner: Ana", "Café ☕", "two\nlines"])


@st.composite
def maps(draw: st.DrawFn, max_channels: int = 10) -> ArchitectureMap:
    """Valid maps whose unread fields (leads, notes, coordinates, ord) are anything valid."""
    count = draw(st.integers(0, max_channels))
    ords = draw(st.lists(st.integers(-50, 10_000), min_size=count, max_size=count, unique=True))
    channels = [
        Channel(
            id=f"c{i}",
            name=draw(st.sampled_from([f"Channel {i}", f"channel {i} ", f"Kanal {i}"])),
            layer=draw(st.sampled_from(LAYERS)),
            function=draw(st.sampled_from(WORDS)),
            tool=draw(st.sampled_from(TOOLS)),
            segment=draw(st.sampled_from(SEGMENTS)),
            motion=draw(st.sampled_from(MOTIONS)),
            message=draw(st.sampled_from(MESSAGES)),
            monthly_spend=draw(NUMBERS),
            leads_per_month=draw(NUMBERS),
            notes=draw(NOTES),
            x=draw(COORDINATES),
            y=draw(COORDINATES),
            ord=ords[i],
            automation=draw(st.sampled_from(["", "", AI])),
        )
        for i in range(count)
    ]
    pairs = [(a, b) for a in range(count) for b in range(count) if a != b]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=3 * count)) if pairs else []
    flows = [
        Flow(
            f"c{a}",
            f"c{b}",
            rule=draw(st.sampled_from(RULES)),
            label=draw(st.sampled_from(["", "MQL"])),
            ord=i,
        )
        for i, (a, b) in enumerate(chosen, 1)
    ]
    currency = draw(st.sampled_from(["USD", "EUR", "CHF"]))
    info = MapInfo(name=draw(st.sampled_from(["A map", "B"])), description="d", currency=currency)
    return ArchitectureMap.build(channels, flows, info)


def as_scored(arch: ArchitectureMap, flow_order: list[int]) -> ArchitectureMap:
    """What the score-only read builds: the scored fields only, flows in another order."""
    channels = arch.channels
    flows = [arch.flows[i] for i in flow_order]
    blank_channel = {f.name: f.default for f in fields(Channel) if f.name not in SCORED_CHANNEL_FIELDS}
    blank_flow = {f.name: f.default for f in fields(Flow) if f.name not in SCORED_FLOW_FIELDS}
    arch = ArchitectureMap.bulk(
        [replace(c, **blank_channel) for c in channels],
        [replace(f, **blank_flow) for f in flows],
        MapInfo(currency=arch.info.currency),
    )
    assert arch is not None
    return arch


def report_text(arch: ArchitectureMap, contract: int) -> tuple[str, str]:
    report = assess(arch, contract)
    return json.dumps(report.to_dict(), ensure_ascii=False), summary_text(report)


@settings(max_examples=200, deadline=None)
@given(maps(), st.randoms(use_true_random=False))
def test_fields_the_score_does_not_read_never_change_a_report(arch, rng):
    flow_order = list(range(len(arch.flows)))
    rng.shuffle(flow_order)
    scored = as_scored(arch, flow_order)
    for contract in CONTRACTS:
        assert report_text(scored, contract) == report_text(arch, contract)


def test_the_scored_fields_are_fields():
    assert set(SCORED_CHANNEL_FIELDS) <= {f.name for f in fields(Channel)}
    assert set(SCORED_FLOW_FIELDS) <= {f.name for f in fields(Flow)}
    assert {"id", "name", "layer", "ord"} <= set(SCORED_CHANNEL_FIELDS)
    assert {"source", "target"} <= set(SCORED_FLOW_FIELDS)


def test_contract_1_reads_channels_in_map_order():
    """Why `ord` is a scored field: contract 1 advises the first routing channel of the map."""
    from desktop.domain.layers import Layer

    capture = Channel("a", "Ads", Layer.CAPTURE, ord=1)
    first, second = (
        Channel("r1", "Router one", Layer.ROUTING, ord=2),
        Channel("r2", "Router two", Layer.ROUTING, ord=3),
    )
    arch = ArchitectureMap.build([capture, first, second])
    swapped = ArchitectureMap.build([capture, replace(first, ord=3), replace(second, ord=2)])
    assert report_text(arch, 1) != report_text(swapped, 1)
