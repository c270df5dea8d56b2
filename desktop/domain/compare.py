"""What changed between two versions of a map, and what it did to the score.

The scenarios feature ("try a consolidated version") and `main.py compare`
both need the same answer: which channels and flows were added, removed, moved
or edited, how the score moved, and which findings were fixed or appeared.
Channels are matched by name (trimmed, case-folded) rather than id, because two
maps being compared may come from different files whose ids do not line up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from desktop.domain.coherence import CURRENT_CONTRACT, CoherenceReport, Finding, assess, tenths
from desktop.domain.model import CHANNEL_FIELDS, FLOW_FIELDS, ArchitectureMap, Flow, fold

# Fields whose change is worth reporting: layer has its own list (moves), positions are layout.
COMPARED_FIELDS: tuple[str, ...] = tuple(name for name in CHANNEL_FIELDS if name not in ("layer", "x", "y"))


@dataclass(frozen=True)
class ChannelMove:
    """A channel that sits in another layer in the second map."""

    name: str
    from_layer: str
    to_layer: str


@dataclass(frozen=True)
class ChannelChange:
    """A channel present in both maps whose fields differ (positions aside)."""

    name: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class FlowChange:
    """A flow present in both maps whose rule or label differs."""

    source: str
    target: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Comparison:
    """The difference between a `before` and an `after` map, with both scores."""

    before: CoherenceReport
    after: CoherenceReport
    channels_added: tuple[str, ...]
    channels_removed: tuple[str, ...]
    channels_moved: tuple[ChannelMove, ...]
    channels_changed: tuple[ChannelChange, ...]
    flows_added: tuple[tuple[str, str], ...]
    flows_removed: tuple[tuple[str, str], ...]
    flows_changed: tuple[FlowChange, ...]
    findings_resolved: tuple[Finding, ...]
    findings_new: tuple[Finding, ...]

    @property
    def delta(self) -> float:
        """After minus before, as the two scores are shown (one decimal each)."""
        return float(tenths(self.after.score) - tenths(self.before.score))

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": _score_dict(self.before),
            "to": _score_dict(self.after),
            "delta": self.delta,
            "channels_added": list(self.channels_added),
            "channels_removed": list(self.channels_removed),
            "channels_moved": [
                {"name": m.name, "from": m.from_layer, "to": m.to_layer} for m in self.channels_moved
            ],
            "channels_changed": [{"name": c.name, "fields": list(c.fields)} for c in self.channels_changed],
            "flows_added": [list(pair) for pair in self.flows_added],
            "flows_removed": [list(pair) for pair in self.flows_removed],
            "flows_changed": [
                {"source": f.source, "target": f.target, "fields": list(f.fields)} for f in self.flows_changed
            ],
            "findings_resolved": [_finding_dict(f) for f in self.findings_resolved],
            "findings_new": [_finding_dict(f) for f in self.findings_new],
        }


def compare(before: ArchitectureMap, after: ArchitectureMap, contract: int = CURRENT_CONTRACT) -> Comparison:
    """Compare two maps: channels by folded name, flows by their two channel names."""
    old = {c.key: c for c in before.iter_channels()}
    new = {c.key: c for c in after.iter_channels()}
    moved: list[ChannelMove] = []
    changed: list[ChannelChange] = []
    for key, channel in new.items():
        previous = old.get(key)
        if previous is None:
            continue
        if previous.layer is not channel.layer:
            moved.append(ChannelMove(channel.name, previous.layer.value, channel.layer.value))
        fields = tuple(name for name in COMPARED_FIELDS if getattr(previous, name) != getattr(channel, name))
        if fields:
            changed.append(ChannelChange(channel.name, fields))
    old_flows = _flows_by_names(before)
    new_flows = _flows_by_names(after)
    flows_changed = []
    for pair, (names, flow) in new_flows.items():
        if pair in old_flows:
            old_flow = old_flows[pair][1]
            differ = tuple(name for name in FLOW_FIELDS if getattr(old_flow, name) != getattr(flow, name))
            if differ:
                flows_changed.append(FlowChange(names[0], names[1], differ))
    before_report, after_report = assess(before, contract), assess(after, contract)
    return Comparison(
        before=before_report,
        after=after_report,
        channels_added=tuple(c.name for key, c in new.items() if key not in old),
        channels_removed=tuple(c.name for key, c in old.items() if key not in new),
        channels_moved=tuple(moved),
        channels_changed=tuple(changed),
        flows_added=tuple(names for key, (names, _) in new_flows.items() if key not in old_flows),
        flows_removed=tuple(names for key, (names, _) in old_flows.items() if key not in new_flows),
        flows_changed=tuple(flows_changed),
        findings_resolved=_unmatched(before_report.findings, after_report.findings),
        findings_new=_unmatched(after_report.findings, before_report.findings),
    )


def comparison_text(result: Comparison) -> str:
    """The plain-text report of `compare` without --json; empty sections are left out."""
    before, after = tenths(result.before.score), tenths(result.after.score)
    lines = [f"Score {before} → {after} ({'+' if result.delta >= 0 else ''}{tenths(result.delta)})"]
    sections: list[tuple[str, list[str]]] = [
        ("Channels added", list(result.channels_added)),
        ("Channels removed", list(result.channels_removed)),
        ("Channels moved", [f"{m.name} ({m.from_layer} → {m.to_layer})" for m in result.channels_moved]),
        ("Channels changed", [f"{c.name} ({', '.join(c.fields)})" for c in result.channels_changed]),
        ("Flows added", [f"{a} → {b}" for a, b in result.flows_added]),
        ("Flows removed", [f"{a} → {b}" for a, b in result.flows_removed]),
        ("Flows changed", [f"{f.source} → {f.target} ({', '.join(f.fields)})" for f in result.flows_changed]),
        ("Findings resolved", [f"{tenths(f.points)}  {f.message}" for f in result.findings_resolved]),
        ("New findings", [f"{tenths(f.points)}  {f.message}" for f in result.findings_new]),
    ]
    for title, items in sections:
        if items:
            lines.append(f"{title} ({len(items)}):")
            lines += [f"  {item}" for item in items]
    if len(lines) == 1:
        lines.append("The two maps have the same channels, flows and findings.")
    return "\n".join(lines)


def finding_identity(finding: Finding) -> tuple[str, tuple[str, ...]]:
    """What makes two findings "the same problem" across maps: the rule and the folded channel names."""
    return (finding.rule, tuple(sorted(fold(name) for name in finding.channels)))


def _unmatched(findings: Iterable[Finding], others: Iterable[Finding]) -> tuple[Finding, ...]:
    """The findings with no counterpart in `others`.

    Identities repeat only for findings that name no channel (one
    `missing-layer` per empty layer), so counterparts with the same message
    are paired first, and the rest in order.
    """
    pool: dict[tuple[str, tuple[str, ...]], list[Finding]] = {}
    for other in others:
        pool.setdefault(finding_identity(other), []).append(other)
    left: list[Finding] = []
    for finding in findings:
        same = pool.get(finding_identity(finding), [])
        match = next((o for o in same if fold(o.message) == fold(finding.message)), None)
        if match is not None:
            same.remove(match)
        else:
            left.append(finding)
    result = []
    for finding in left:
        same = pool.get(finding_identity(finding), [])
        if same:
            same.pop(0)
        else:
            result.append(finding)
    return tuple(result)


def _flows_by_names(arch: ArchitectureMap) -> dict[tuple[str, str], tuple[tuple[str, str], Flow]]:
    """Each flow keyed by its folded (source, target) names, with the names as shown."""
    result: dict[tuple[str, str], tuple[tuple[str, str], Flow]] = {}
    for flow in arch.flows:
        if not (arch.has_channel(flow.source) and arch.has_channel(flow.target)):
            continue
        source, target = arch.channel(flow.source), arch.channel(flow.target)
        result[(source.key, target.key)] = ((source.name, target.name), flow)
    return result


def _score_dict(report: CoherenceReport) -> dict[str, Any]:
    return {
        "score": float(tenths(report.score)),
        "components": {name: round(report.components[name], 4) for name in report.component_names},
    }


def _finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "channels": list(finding.channels),
        "points": round(finding.points, 4),
        "message": finding.message,
    }
