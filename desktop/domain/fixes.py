"""Fixes offered from a finding: the finding → the edits that resolve it, and the score they would give.

Why a module of its own: the panel offers "connect X → Y", "merge into …",
"set the segment" and "write the rule" on a finding, shows the projected
score before the lead applies it, and applies it as one undo step (one
`perform` with all the edits). The logic is pure (no Qt), so the tests check
it directly and the panel only asks for a value when a fix needs one.
The projection scores a copy of the map: it never touches the open map and
runs only for the finding the lead hovers or selects, never on the edit path.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from desktop.domain.coherence import CoherenceReport, assess
from desktop.domain.edits import (
    AddFlow,
    Edit,
    RemoveChannel,
    RemoveFlow,
    UpdateChannel,
    UpdateFlow,
    apply_all,
)
from desktop.domain.findings import Finding
from desktop.domain.layers import Layer
from desktop.domain.model import ArchitectureMap, Channel, Flow, MapInfo
from desktop.domain.vocabulary import function_key

DECIDING = ("lead-scoring", "lead-routing", "lead-qualification")
RULE_TEMPLATE = "segment is {segment}"  # {segment} and {target}: the target channel's segment and name


@dataclass(frozen=True)
class Fix:
    """A concrete fix of one finding.

    `kind`: "connect", "merge", "segment" or "rule". `needs`: "" (apply as is), "keeper" (pick one of
    `choices`, (id, name) pairs), "segment" or "rule" (a text; `proposal` is the sensible default).
    """

    kind: str
    title: str
    finding: Finding
    needs: str = ""
    proposal: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()  # "connect" and "rule": the flows to add or to rule


def _name(arch: ArchitectureMap, cid: str) -> str:
    return arch.channel(cid).name.strip()


def _routing_door(arch: ArchitectureMap, capture: Channel) -> Channel | None:
    """Where a signal should enter routing: the deciding routing channel for chat and events, else the
    routing channel most capture channels flow into (ties by name), else the first routing channel."""
    routing = sorted(arch.in_layer(Layer.ROUTING), key=lambda c: (c.name.strip().casefold(), c.id))
    if not routing:
        return None
    deciding = [r for r in routing if function_key(r.function) in DECIDING]
    if function_key(capture.function) in ("chat", "events") and deciding:
        return deciding[0]
    counts = Counter(
        f.target
        for c in arch.in_layer(Layer.CAPTURE)
        for f in arch.outgoing(c.id)
        if arch.channel(f.target).layer is Layer.ROUTING
    )
    if counts:
        most = max(counts.values())
        return next(r for r in routing if counts.get(r.id) == most)
    return deciding[0] if deciding else routing[0]


def _upstream_segment(arch: ArchitectureMap, ids: tuple[str, ...]) -> str:
    """The most common segment of the capture channels upstream of these channels (blank if none)."""
    seen = set(ids)
    queue = list(ids)
    found: Counter[str] = Counter()
    for node in queue:
        for flow in arch.incoming(node):
            if flow.source in seen:
                continue
            seen.add(flow.source)
            queue.append(flow.source)
            source = arch.channel(flow.source)
            if source.layer is Layer.CAPTURE and source.segment.strip():
                found[source.segment.strip()] += 1
    if found:
        return sorted(found.items(), key=lambda item: (-item[1], item[0].casefold()))[0][0]
    named = Counter(c.segment.strip() for c in arch.channels if c.segment.strip())
    return named.most_common(1)[0][0] if named else ""


def fix_for(arch: ArchitectureMap, finding: Finding) -> Fix | None:
    """The fix a finding offers, or None when it has no concrete one (or names channels since gone)."""
    ids = tuple(cid for cid in finding.channel_ids if arch.has_channel(cid))
    if not ids or len(ids) != len(finding.channel_ids):
        return None
    first = arch.channel(ids[0])
    rule = finding.rule
    if rule in ("unrouted-signal", "unrouted-source"):
        door = _routing_door(arch, first)
        if door is None or arch.flow(first.id, door.id) is not None:
            return None
        title = f"Connect {first.name.strip()} → {door.name.strip()}"
        return Fix("connect", title, finding, pairs=((first.id, door.id),))
    if rule == "unaccountable-spend":
        feedback = sorted(arch.in_layer(Layer.FEEDBACK), key=lambda c: (c.name.strip().casefold(), c.id))
        if not feedback:
            return None
        attribution = [c for c in feedback if function_key(c.function) == "attribution"]
        source = (attribution or feedback)[0]
        if arch.flow(source.id, first.id) is not None:
            return None
        return Fix(
            "connect",
            f"Connect {source.name.strip()} → {first.name.strip()}",
            finding,
            pairs=((source.id, first.id),),
        )
    if rule == "unmeasured-execution":
        feedback = sorted(arch.in_layer(Layer.FEEDBACK), key=lambda c: (c.name.strip().casefold(), c.id))
        attribution = [c for c in feedback if function_key(c.function) == "attribution"]
        if not feedback or arch.flow(first.id, (attribution or feedback)[0].id) is not None:
            return None
        target = (attribution or feedback)[0]
        if target.id == first.id:
            return None
        title = f"Connect {first.name.strip()} → {target.name.strip()}"
        return Fix("connect", title, finding, pairs=((first.id, target.id),))
    if rule == "duplicate-function" and len(ids) >= 2:
        spends = [arch.channel(cid).monthly_spend or 0.0 for cid in ids]
        keep = ids[spends.index(max(spends))]
        choices = tuple((cid, _name(arch, cid)) for cid in ids)
        return Fix("merge", "Merge duplicates into one", finding, "keeper", keep, choices)
    if rule == "unknown-segment":
        proposal = _upstream_segment(arch, ids)
        names = ", ".join(_name(arch, cid) for cid in ids[:3]) + (" …" if len(ids) > 3 else "")
        return Fix("segment", f"Set the segment of {names}", finding, "segment", proposal)
    if rule in ("pass-through-routing", "unruled-routing"):
        from desktop.domain.vocabulary import real_rule

        pairs = tuple(f.pair for f in arch.outgoing(first.id) if not real_rule(f.rule))
        if not pairs:
            return None
        count = f"{len(pairs)} flows" if len(pairs) > 1 else f"the flow to {_name(arch, pairs[0][1])}"
        return Fix(
            "rule",
            f"Write the rule of {count} from {first.name.strip()}",
            finding,
            "rule",
            RULE_TEMPLATE,
            pairs=pairs,
        )
    return None


def _rule_text(template: str, target: Channel) -> str:
    segment = target.segment.strip() or target.name.strip()
    return template.replace("{segment}", segment).replace("{target}", target.name.strip()).strip()


def fix_edits(arch: ArchitectureMap, fix: Fix, value: str = "") -> list[Edit]:
    """The edits of a fix (one `perform`, one undo step). `value`: the keeper's id, the segment or the
    rule template the lead confirmed (the proposal when blank). Raises ValueError on an unusable value."""
    value = (value or fix.proposal).strip()
    if fix.kind == "connect":
        ordinal = arch.next_flow_ord()
        return [AddFlow(Flow(s, t, ord=ordinal + i)) for i, (s, t) in enumerate(fix.pairs)]
    if fix.kind == "segment":
        if not value:
            raise ValueError("type the segment these channels serve")
        return [
            UpdateChannel(arch.channel(cid).with_changes(segment=value)) for cid in fix.finding.channel_ids
        ]
    if fix.kind == "rule":
        if not value:
            raise ValueError("type the rule (e.g. segment is Enterprise)")
        return [
            UpdateFlow(flow.with_changes(rule=_rule_text(value, arch.channel(t))))
            for s, t in fix.pairs
            if (flow := arch.flow(s, t)) is not None
        ]
    if fix.kind == "merge":
        return merge_edits(arch, value, [cid for cid in fix.finding.channel_ids if cid != value])
    raise ValueError(f"unknown fix {fix.kind!r}")


def _sum(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def merge_edits(arch: ArchitectureMap, keep_id: str, others: list[str]) -> list[Edit]:
    """Merge channels into `keep_id`: its fields kept; spend and leads summed; every flow of the others
    moved to the keeper once (a flow the keeper already has is kept as it is); flows among them dropped."""
    if not arch.has_channel(keep_id):
        raise ValueError("pick the channel to keep")
    group = {keep_id, *others}
    keep = arch.channel(keep_id)
    removes: list[Edit] = []
    adds: dict[tuple[str, str], Flow] = {}
    ordinal = arch.next_flow_ord()
    seen: set[tuple[str, str]] = set()
    for cid in others:
        for flow in arch.flows_of(cid):
            if flow.pair in seen:
                continue
            seen.add(flow.pair)
            removes.append(RemoveFlow(flow.source, flow.target))
            source = keep_id if flow.source in group else flow.source
            target = keep_id if flow.target in group else flow.target
            if source == target or arch.flow(source, target) is not None or (source, target) in adds:
                continue
            adds[(source, target)] = Flow(source, target, flow.rule, flow.label, ord=ordinal + len(adds))
    channels = [arch.channel(cid) for cid in group]
    merged = keep.with_changes(
        monthly_spend=_sum([c.monthly_spend for c in channels]),
        leads_per_month=_sum([c.leads_per_month for c in channels]),
    )
    edits: list[Edit] = [*removes, *(AddFlow(f) for f in adds.values())]
    if merged != keep:
        edits.append(UpdateChannel(merged))
    edits += [RemoveChannel(cid) for cid in others]
    return edits


def projected(arch: ArchitectureMap, edits: list[Edit]) -> CoherenceReport:
    """The report the map would have after these edits, scored on a copy (the open map is untouched)."""
    info = arch.info
    copy = ArchitectureMap.build(
        arch.channels,
        arch.flows,
        MapInfo(info.name, info.description, info.created, info.modified, info.currency),
    )
    apply_all(copy, list(edits))
    return assess(copy)
