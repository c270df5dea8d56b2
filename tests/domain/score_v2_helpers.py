"""A small healthy map that scores 100 under contract 2, and helpers to break it one rule at a time."""

from __future__ import annotations

from dataclasses import replace

from desktop.domain.coherence import assess
from desktop.domain.findings import CoherenceReport, Finding
from desktop.domain.layers import Layer
from desktop.domain.model import ArchitectureMap, Channel, Flow, MapInfo

C, R, X, F = Layer.CAPTURE, Layer.ROUTING, Layer.EXECUTION, Layer.FEEDBACK
MM = {"segment": "Mid-market", "message": "Consolidate", "motion": "sales-led"}


def ch(cid: str, name: str, layer: Layer, function: str, **fields) -> Channel:
    return Channel(id=cid, name=name, layer=layer, function=function, **fields)


def healthy_channels() -> list[Channel]:
    return [
        ch("ps", "Paid search", C, "paid-search", monthly_spend=10000, **MM),
        ch("wb", "Webinars", C, "webinars", monthly_spend=2000, **MM),
        ch("ls", "Lead scoring", R, "lead-scoring"),
        ch("sdr", "SDR outreach", X, "sdr", **MM),
        ch("ae", "Account executives", X, "sales", **MM),
        ch("at", "Attribution", F, "attribution"),
    ]


def healthy_flows() -> list[Flow]:
    return [
        Flow("ps", "ls"),
        Flow("wb", "ls"),
        Flow("ls", "sdr", rule="score >= 70"),
        Flow("ls", "ae", rule="open opportunity: to its owner"),
        Flow("sdr", "ae"),
        Flow("sdr", "at"),
        Flow("ae", "at"),
        Flow("at", "ls", label="closed-won by source"),
    ]


def make(channels: list[Channel], flows: list[Flow], currency: str = "USD") -> ArchitectureMap:
    channels = [replace(c, ord=i) for i, c in enumerate(channels, 1)]
    flows = [replace(f, ord=i) for i, f in enumerate(flows, 1)]
    return ArchitectureMap.build(channels, flows, MapInfo(name="test", currency=currency))


def healthy() -> ArchitectureMap:
    return make(healthy_channels(), healthy_flows())


def changed(
    channels: dict[str, dict] | None = None,
    add: list[Channel] = (),  # type: ignore[assignment]
    drop: tuple[str, ...] = (),
    flows_add: list[Flow] = (),  # type: ignore[assignment]
    flows_drop: tuple[tuple[str, str], ...] = (),
    flows_change: dict[tuple[str, str], dict] | None = None,
) -> ArchitectureMap:
    """The healthy map with channels changed, added or dropped, and flows added, dropped or changed."""
    found = [replace(c, **(channels or {}).get(c.id, {})) for c in healthy_channels() if c.id not in drop]
    links = [
        replace(f, **(flows_change or {}).get(f.pair, {}))
        for f in healthy_flows()
        if f.pair not in flows_drop and f.source not in drop and f.target not in drop
    ]
    return make([*found, *add], [*links, *flows_add])


def rules(report: CoherenceReport) -> list[str]:
    return [f.rule for f in report.findings]


def only(report: CoherenceReport, rule: str) -> Finding:
    found = [f for f in report.findings if f.rule == rule]
    assert len(found) == 1, (rule, [(f.rule, f.message) for f in report.findings])
    return found[0]


def lost(report: CoherenceReport) -> float:
    return sum(f.points for f in report.findings)


def score(arch: ArchitectureMap) -> CoherenceReport:
    report = assess(arch)
    assert abs(lost(report) - (100.0 - report.raw_score)) < 1e-6
    return report
