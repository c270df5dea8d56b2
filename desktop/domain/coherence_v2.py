"""The coherence score, contract version 2 (docs/score.md): the rules a go-to-market lead signs.

Every rule of docs/score.md lives here and nowhere else, with its named
constants; the document says why each exists. The shape of a run:
1. each component's rules add findings worth their *base* points;
2. a finding that names a channel acting through AI (or an open loop on a
   feedback channel that measures one) is multiplied by AI_FACTOR;
3. a component never loses more than its weight (its findings are scaled to
   fit), drag is soft-capped, and each component's value is what is left.
So the findings always sum to 100 − the unclamped score, and AI never raises it.

What depends only on the flows is cached in coherence_v2_graph.py; the rest is
one pass per lane. Findings name channels in name order and suggestions are
picked by name, so the order of channels and flows never changes a report.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from desktop.domain.coherence_v2_graph import GraphV2, graph_v2
from desktop.domain.findings import CoherenceReport, Finding, make_finding, names_text
from desktop.domain.layers import LAYERS
from desktop.domain.model import ArchitectureMap, Channel, fold
from desktop.domain.vocabulary import (
    CUSTOMER_STAGE,
    DECIDING_ROUTING,
    INLINE_ROUTING,
    REVENUE_EXECUTION,
    REVENUE_FEEDBACK,
    TARGETING_FEEDBACK,
    function_key,
    message_key,
    money,
    motion_key,
    real_rule,
    segment_key,
    segments_match,
)

VERSION = 2
WEIGHTS: dict[str, float] = {
    "coverage": 5.0,
    "flow": 25.0,
    "routing": 15.0,
    "execution": 20.0,
    "alignment": 10.0,
    "feedback": 25.0,
}
COMPONENTS: tuple[str, ...] = tuple(WEIGHTS)
DRAG = "drag"
AI_FACTOR = 1.5  # a gap next to an AI channel runs at machine volume
UNACCOUNTABLE_CREDIT = 0.5  # a routed channel no feedback loop reaches earns half its flow credit
PASS_THROUGH_CREDIT = 0.5  # a routing hop that sends everything to one place, with no rule
UNLABELLED_LOOP_CREDIT = 0.5  # a loop arrow with neither rule nor label
FEEDBACK_SHARES = {"measured": 0.35, "closed": 0.35, "revenue": 0.30}
ORPHAN_POINTS = 2.0
DUPLICATE_POINTS = 3.0
SPEND_UNIT = 5000.0  # per this much monthly spend, an orphan or a duplicate costs one more point
FUNCTION_POINTS = 0.5  # per channel with a blank function, in one finding…
FUNCTION_CAP = 2.0  # …worth at most this much
DRAG_SCALE = 30.0  # drag = DRAG_SCALE·(1 − e^(−raw/DRAG_SCALE)): no free zone, never more than 30

_CAPTURE, _ROUTING, _EXECUTION, _FEEDBACK = LAYERS
_AI_PREFIX = "[AI amplifies] "


def assess(arch: ArchitectureMap) -> CoherenceReport:
    """Score a map by contract 2. Linear in channels + flows (the alignment search: per segment)."""
    return _Run(arch).report()


def _name_key(channel: Channel) -> tuple[str, str]:
    name = channel.name
    return (name.strip().casefold(), name)


class _Raw:
    """A finding before the AI factor and the caps."""

    __slots__ = ("rule", "component", "points", "channels", "message", "amplify")

    def __init__(
        self, rule: str, component: str, points: float, channels: list[Channel], message: str, amplify: bool
    ) -> None:
        self.rule, self.component, self.points = rule, component, points
        self.channels, self.message, self.amplify = channels, message, amplify


class _Run:
    """One run of contract 2 over one map."""

    def __init__(self, arch: ArchitectureMap) -> None:
        channels = arch.channels
        self.by_id = {c.id: c for c in channels}
        self.graph: GraphV2 = graph_v2([c.id for c in channels], [c.layer for c in channels], arch.flows)
        self.currency = arch.info.currency
        self.all_lanes: tuple[list[Channel], ...] = ([], [], [], [])
        for channel in channels:
            self.all_lanes[LAYERS.index(channel.layer)].append(channel)
        by_id = self.by_id
        self.lanes = tuple([by_id[cid] for cid in lane] for lane in self.graph.lanes)
        self.functions = {c.id: function_key(c.function) for c in channels}
        self.raw: list[_Raw] = []
        self._door: Channel | None | bool = False

    # --- helpers ---------------------------------------------------------------------------------
    def add(
        self, rule: str, component: str, points: float, named: Iterable[Channel], message: str, amplify=None
    ) -> None:
        named = list(named)
        if len(named) > 1:
            named.sort(key=_name_key)
        if amplify is None:
            amplify = any(c.automation == "ai" for c in named)
        self.raw.append(_Raw(rule, component, points, named, message, amplify))

    def spend(self, channel: Channel) -> float:
        value = channel.monthly_spend
        return value if value is not None and value > 0 else 0.0

    def shown(self, channel: Channel) -> str:
        """A name with its spend when known: "LinkedIn Ads ($32,000/month)"."""
        spend = self.spend(channel)
        return (
            f"{channel.name.strip()} ({money(spend, self.currency)}/month)" if spend else channel.name.strip()
        )

    def first(self, channels: Iterable[Channel]) -> Channel | None:
        return min(channels, key=_name_key, default=None)

    def front_door(self) -> Channel | None:
        """The routing channel most capture channels flow into (ties by name): where signals should enter."""
        if self._door is not False:
            return self._door  # type: ignore[return-value]
        self._door = self._front_door()
        return self._door

    def _front_door(self) -> Channel | None:
        counts: dict[str, int] = {}
        by_id = self.by_id
        for capture in self.lanes[0]:
            for f in self.graph.outgoing.get(capture.id, ()):
                if by_id[f.target].layer is _ROUTING:
                    counts[f.target] = counts.get(f.target, 0) + 1
        routing = self.lanes[1]
        if not routing:
            return None
        return min(routing, key=lambda r: (-counts.get(r.id, 0), *_name_key(r)))

    def deciding_routing(self) -> Channel | None:
        """The routing channel that decides (scoring, routing, qualification), else the front door."""
        deciding = [r for r in self.lanes[1] if self.functions[r.id] in DECIDING_ROUTING]
        return self.first(deciding) or self.front_door()

    # --- the report ------------------------------------------------------------------------------
    def report(self) -> CoherenceReport:
        self.coverage()
        self.flow()
        self.routing()
        self.execution()
        self.alignment()
        self.feedback()
        self.drag()
        losses = {name: 0.0 for name in COMPONENTS}
        findings: list[tuple[tuple[float, str, tuple[str, ...]], Finding]] = []
        scaled: list[tuple[_Raw, float]] = []
        for raw in self.raw:
            scaled.append((raw, raw.points * AI_FACTOR if raw.amplify else raw.points))
        by_component: dict[str, list[tuple[_Raw, float]]] = {}
        for raw, points in scaled:
            by_component.setdefault(raw.component, []).append((raw, points))
        drag = 0.0
        for component, items in by_component.items():
            total = sum(points for _, points in items)
            if component == DRAG:
                capped = DRAG_SCALE * (1.0 - math.exp(-total / DRAG_SCALE))
                drag = capped
            else:
                capped = min(WEIGHTS[component], total)
                losses[component] = capped
            factor = capped / total if total > 0 else 0.0
            for raw, points in items:
                final = points * factor
                message = _AI_PREFIX + raw.message if raw.amplify else raw.message
                finding = make_finding(
                    raw.rule,
                    component,
                    final,
                    tuple(c.id for c in raw.channels),
                    tuple(c.name for c in raw.channels),
                    message,
                    raw.amplify,
                )
                key = (
                    -round(final, 9),
                    raw.rule,
                    tuple(c.name.strip().casefold() for c in raw.channels),
                    message,
                )
                findings.append((key, finding))  # type: ignore[arg-type]
        findings.sort(key=lambda item: item[0])
        components = {name: 1.0 - losses[name] / WEIGHTS[name] for name in COMPONENTS}
        raw_score = 100.0 - sum(losses.values()) - drag
        return CoherenceReport(
            score=max(0.0, raw_score),
            raw_score=raw_score,
            components=components,
            drag=drag,
            findings=tuple(finding for _, finding in findings),
            version=VERSION,
            weights=WEIGHTS,
        )

    # --- 1. coverage -----------------------------------------------------------------------------
    def coverage(self) -> None:
        weight = WEIGHTS["coverage"] / len(LAYERS)
        for layer, lane, everything in zip(LAYERS, self.lanes, self.all_lanes, strict=True):
            if lane:
                continue
            title = layer.title.lower()
            if everything:
                message = (
                    f"The {title} layer has channels but none is connected: "
                    "draw the flows that link it to the rest of the map"
                )
            else:
                message = f"The {title} layer has no channel: add one so the map covers all four layers"
            self.add("missing-layer", "coverage", weight, (), message)

    # --- 2. flow ---------------------------------------------------------------------------------
    def flow(self) -> None:
        weight = WEIGHTS["flow"]
        capture = self.lanes[0]
        if not capture:
            self.add(
                "no-capture",
                "flow",
                weight,
                (),
                "No connected channel captures signals, so nothing enters the architecture: "
                "add capture channels such as paid search or webinars and connect them to routing",
            )
            return
        graph = self.graph
        entries = capture + [self.by_id[cid] for cid in graph.entry_execution]
        spends = [self.spend(c) for c in entries if self.spend(c)]
        mean = sum(spends) / len(spends) if spends else 0.0
        weights = {c.id: 1.0 + (self.spend(c) / mean if mean else 0.0) for c in entries}
        total = sum(weights.values())
        door = self.front_door()
        deciding = self.deciding_routing()
        for channel in entries:
            share = weight * weights[channel.id] / total
            shown = self.shown(channel)
            if channel.layer is _EXECUTION:
                routed = any(self.by_id[f.target].layer is _ROUTING for f in graph.outgoing[channel.id])
                if not routed:
                    via = f"send them through {deciding.name.strip()}" if deciding else "add lead routing"
                    self.add(
                        "unrouted-source",
                        "flow",
                        share,
                        [channel],
                        f"{shown} originates deals that reach sales without any routing: {via} "
                        "(dedupe against open opportunities, assign an owner)",
                    )
                    continue
            elif channel.id not in graph.routed:
                targets = graph.direct_targets.get(channel.id, [])
                send = f"send it through {door.name.strip()}" if door else "add routing such as lead scoring"
                if self.functions[channel.id] in ("chat", "events") and deciding:
                    send = f"route it through {deciding.name.strip()} so each lead finds its owner (territory, open deals)"
                if targets:
                    target = self.first(self.by_id[t] for t in targets)
                    message = f"{shown} goes straight to {target.name.strip()}, bypassing routing: {send}"  # type: ignore[union-attr]
                else:
                    message = f"{shown} reaches no execution channel through routing: {send}"
                self.add("unrouted-signal", "flow", share, [channel], message)
                continue
            if channel.id not in graph.accountable:
                self.add(
                    "unaccountable-spend",
                    "flow",
                    share * (1.0 - UNACCOUNTABLE_CREDIT),
                    [channel],
                    f"{shown} is routed, but no feedback loop reaches it or the routing it feeds: "
                    "nothing can tell whether it works, so connect attribution before adding or scaling it",
                )

    # --- 3. routing ------------------------------------------------------------------------------
    def routing(self) -> None:
        weight = WEIGHTS["routing"]
        routing = self.lanes[1]
        if not routing:
            self.add(
                "no-routing",
                "routing",
                weight,
                (),
                "No routing logic decides where leads go: "
                "add lead scoring or lead routing between capture and execution",
            )
            return
        share = weight / len(routing)
        by_id = self.by_id
        deciding = self.deciding_routing()
        for channel in routing:
            count, _decided, unruled = self.graph.decision_rows[channel.id]
            name = channel.name.strip()
            if count == 0:
                if self.functions[channel.id] in INLINE_ROUTING:
                    after = deciding.name.strip() if deciding and deciding is not channel else "lead scoring"
                    advice = f"put it inline: capture → {name} → {after}, or remove it"
                else:
                    advice = "add a flow with a rule to each execution channel it decides for"
                self.add(
                    "routing-dead-end", "routing", share, [channel], f"{name} sends nothing on: {advice}"
                )
                continue
            if not unruled:
                continue
            targets = sorted((by_id[t] for t in unruled), key=_name_key)
            if count == 1:
                self.add(
                    "pass-through-routing",
                    "routing",
                    share * (1.0 - PASS_THROUGH_CREDIT),
                    [channel],
                    f"{name} sends every lead to {targets[0].name.strip()} with no rule: a hop, "
                    "not a routing decision; write the rule it applies (segment, score, territory)",
                )
                continue
            ruled = count - len(unruled)
            have = (
                "no flow has a rule"
                if ruled == 0
                else f"only {ruled} of {count} flows {'has' if ruled == 1 else 'have'} a rule"
            )
            self.add(
                "unruled-routing",
                "routing",
                share * len(unruled) / count,
                [channel],
                f"{name} sends to {count} channels but {have} (a placeholder such as “tbd” is no rule): "
                f"write the rule for {names_text([t.name.strip() for t in targets])}",
            )

    # --- 4. execution ----------------------------------------------------------------------------
    def execution(self) -> None:
        weight = WEIGHTS["execution"]
        execution = self.lanes[2]
        if not execution:
            self.add(
                "no-execution",
                "execution",
                weight,
                (),
                "No connected channel acts on the leads: add execution channels such as SDR outreach "
                "or email nurture and route leads to them",
            )
            return
        third = weight / 3
        blanks = [c for c in execution if not c.segment.strip()]
        if blanks:
            verb = (
                "has no segment: set the segment it serves"
                if len(blanks) == 1
                else ("have no segment: set the segment each one serves")
            )
            self.add(
                "unknown-segment",
                "execution",
                third * len(blanks) / len(execution),
                blanks,
                f"{names_text([c.name.strip() for c in sorted(blanks, key=_name_key)])} {verb}",
            )
        segmented = [c for c in execution if c.segment.strip()]
        if not segmented:
            return
        groups: dict[tuple[str, str], list[Channel]] = {}
        for c in segmented:
            stage = "customer" if self.functions[c.id] in CUSTOMER_STAGE else "acquisition"
            groups.setdefault((segment_key(c.segment), stage), []).append(c)
        size = len(segmented)
        for (segkey, stage), group in sorted(groups.items()):
            self._agreement(group, segkey, stage, "message", "mixed-messages", third / size)
            partner_free = [
                c for c in group if self.functions[c.id] != "partners" and "partner" not in fold(c.motion)
            ]
            self._agreement(partner_free, segkey, stage, "motion", "mixed-motions", third / size)

    def _agreement(
        self, group: list[Channel], segkey: str, stage: str, attribute: str, rule: str, unit: float
    ) -> None:
        if not group:
            return
        keyer = message_key if attribute == "message" else motion_key
        keys = {c.id: keyer(getattr(c, attribute)) for c in group}
        counts: dict[str, int] = {}
        for key in keys.values():
            if key:
                counts[key] = counts.get(key, 0) + 1
        where = f"In the {group[0].segment.strip()} segment" + (" (customers)" if stage == "customer" else "")
        if not counts:
            self.add(
                rule,
                "execution",
                unit * len(group),
                group,
                f"{where}, {names_text([c.name.strip() for c in sorted(group, key=_name_key)])} "
                f"{'have' if len(group) > 1 else 'has'} no {attribute}: set one shared {attribute}",
            )
            return
        heard: dict[str, int] = {}
        if attribute == "message":
            for capture in self.all_lanes[0]:
                if capture.segment.strip() and segments_match(segment_key(capture.segment), segkey):
                    key = message_key(capture.message)
                    if key in counts:
                        heard[key] = heard.get(key, 0) + 1
        paid: dict[str, float] = {}
        for c in group:
            if keys[c.id]:
                paid[keys[c.id]] = paid.get(keys[c.id], 0.0) + self.spend(c)
        modal = min(counts, key=lambda k: (-counts[k], -heard.get(k, 0), -paid.get(k, 0.0), k))
        others = [c for c in group if not _agrees(keys[c.id], modal)]
        if not others:
            return
        carriers = [getattr(c, attribute).strip() for c in group if keys[c.id] == modal]
        text = min(set(carriers), key=lambda t: (-carriers.count(t), len(t), t))  # its most told wording
        blank = [c for c in others if not keys[c.id]]
        differ = [c for c in others if keys[c.id]]
        told = "tell" if attribute == "message" else "follow"
        parts: list[str] = []
        if differ:
            plural = len(differ) > 1
            names = names_text([c.name.strip() for c in sorted(differ, key=_name_key)])
            tie = counts[modal] == 1 and not heard.get(modal)
            if tie:  # nothing says which is right: ask for one narrative instead of picking one
                told_now = sorted({getattr(c, attribute).strip() for c in group if keys[c.id]})
                quoted = ", ".join(f"“{t}”" for t in told_now[:4])
                parts.append(
                    f"{names} and the rest of the segment tell different {attribute}s ({quoted}): agree on one"
                    + (", ideally the one your capture channels promise" if attribute == "message" else "")
                )
            else:
                why = " (the one the market heard from capture)" if heard.get(modal) else ""
                parts.append(
                    f"{names} {'do' if plural else 'does'} not {told} the shared {attribute} “{text}”{why}: "
                    f"align {'them' if plural else 'it'}, or give {'them their' if plural else 'it its'} own segment"
                )
        if blank:
            names = names_text([c.name.strip() for c in sorted(blank, key=_name_key)])
            parts.append(f"{names} {'have' if len(blank) > 1 else 'has'} no {attribute}: give it “{text}”")
        self.add(rule, "execution", unit * len(others), others, f"{where}, " + "; ".join(parts))

    # --- 5. alignment ----------------------------------------------------------------------------
    def alignment(self) -> None:
        weight = WEIGHTS["alignment"]
        graph = self.graph
        handoffs = graph.handoffs
        if not handoffs:
            self.add(
                "no-handoff",
                "alignment",
                weight,
                (),
                "Nothing hands leads from capture or routing to an execution channel, so no segment "
                "reaches the team that serves it: connect routing to execution",
            )
            return
        by_id = self.by_id
        origins = self._origins()
        unit = weight / len(handoffs)
        for flow in handoffs:
            target = by_id[flow.target]
            if not target.segment.strip() or real_rule(flow.rule):
                continue
            want = segment_key(target.segment)
            wrong = [
                c for c in origins.get(flow.source, ()) if not segments_match(segment_key(c.segment), want)
            ]
            if not wrong:
                continue
            wrong.sort(key=_name_key)
            source = by_id[flow.source]
            shown = names_text(
                [f"{c.name.strip()} ({c.segment.strip()})" for c in wrong[:4]], total=len(wrong)
            )
            via = "" if source in wrong else f" through {source.name.strip()}"
            self.add(
                "segment-mismatch",
                "alignment",
                unit,
                [*wrong, target] if source in wrong else [*wrong, source, target],
                f"{shown} {'feed' if len(wrong) > 1 else 'feeds'} {target.name.strip()} "
                f"({target.segment.strip()}){via} with no rule: route by segment, or retarget the channel",
            )

    def _origins(self) -> dict[str, list[Channel]]:
        """Per capture/routing channel: the segmented capture channels that reach it by unruled flows only."""
        by_segment: dict[str, list[Channel]] = {}
        for c in self.lanes[0]:
            if c.segment.strip():
                by_segment.setdefault(segment_key(c.segment), []).append(c)
        unruled = self.graph.unruled_upstream
        reached: dict[str, list[Channel]] = {}
        for members in by_segment.values():
            for origin in members:  # a segment has few capture channels; each walks the unruled flows
                seen = {origin.id}
                queue = [origin.id]
                for node in queue:
                    for target in unruled.get(node, ()):
                        if target not in seen:
                            seen.add(target)
                            queue.append(target)
                for node in seen:
                    reached.setdefault(node, []).append(origin)
        return reached

    # --- 6. feedback -----------------------------------------------------------------------------
    def feedback(self) -> None:
        weight = WEIGHTS["feedback"]
        feedback = self.lanes[3]
        if not feedback:
            self.add(
                "no-feedback",
                "feedback",
                weight,
                (),
                "The feedback layer is empty: add closed-loop attribution or win/loss analysis "
                "so that results feed back into targeting",
            )
            return
        graph, by_id, functions = self.graph, self.by_id, self.functions
        measured_part = weight * FEEDBACK_SHARES["measured"]
        closed_part = weight * FEEDBACK_SHARES["closed"]
        execution = self.lanes[2]
        if not execution:
            self.add(
                "nothing-to-measure",
                "feedback",
                measured_part,
                (),
                "Feedback has no execution channel to measure: connect execution channels to it",
            )
        for channel in execution:
            if channel.id in graph.measured:
                continue
            sink = self._sink_for(channel)
            fix = (
                f"add a flow to {sink.name.strip()}"
                if sink
                else "add closed-loop attribution (activity dashboards cannot judge it) and connect it"
            )
            self.add(
                "unmeasured-execution",
                "feedback",
                measured_part / len(execution),
                [channel],
                f"{channel.name.strip()} is not measured: {fix}",
            )
        for channel in feedback:
            credit = graph.loop_credit[channel.id]
            if credit >= 1.0:
                continue
            ai = any(
                by_id[f.source].layer is _EXECUTION and by_id[f.source].automation == "ai"
                for f in graph.incoming.get(channel.id, ())
            )
            name = channel.name.strip()
            if credit == 0.0:
                target = self._loop_target(channel)
                if self.functions[channel.id] in ("analytics", "dashboards"):
                    fix = (
                        f"it reports activity, not pipeline; loop what it learns into {target}, "
                        "or let closed-loop attribution do it"
                    )
                else:
                    fix = f"add a flow from it to {target}"
                self.add(
                    "open-loop",
                    "feedback",
                    closed_part / len(feedback),
                    [channel],
                    f"{name} feeds nothing back: {fix}",
                    amplify=ai or channel.automation == "ai",
                )
            else:
                self.add(
                    "unlabelled-loop",
                    "feedback",
                    closed_part * (1.0 - credit) / len(feedback),
                    [channel],
                    f"{name} loops back, but the arrow does not say what it carries: label it "
                    "(e.g. “offline conversions”, “ICP refresh”)",
                    amplify=ai or channel.automation == "ai",
                )
        if not self._revenue_loop():
            revenue = [c for c in execution if functions[c.id] in REVENUE_EXECUTION]
            ai_senders = [c for c in execution if c.automation == "ai"]
            target = self.deciding_routing()
            into = target.name.strip() if target else "lead scoring"
            if revenue:
                source = names_text([c.name.strip() for c in sorted(revenue, key=_name_key)][:2])
                fix = f"add closed-loop attribution from {source} to {into}"
            else:
                fix = f"connect what closes deals (account executives, checkout) to attribution, and it to {into}"
            self.add(
                "no-revenue-loop",
                "feedback",
                weight * FEEDBACK_SHARES["revenue"],
                ai_senders,
                f"Nothing carries pipeline or revenue back to targeting: {fix}"
                + (", before the AI channels add more volume" if ai_senders else ""),
            )

    def _revenue_loop(self) -> bool:
        graph, by_id, functions = self.graph, self.by_id, self.functions
        for channel in self.lanes[3]:
            if functions[channel.id] not in REVENUE_FEEDBACK and functions[channel.id]:
                continue
            hears = any(
                by_id[f.source].layer is _EXECUTION
                and (functions[f.source] in REVENUE_EXECUTION or not functions[f.source])
                for f in graph.incoming.get(channel.id, ())
            )
            feeds = any(
                by_id[f.target].layer in (_CAPTURE, _ROUTING) for f in graph.outgoing.get(channel.id, ())
            )
            if hears and feeds:
                return True
        return False

    def _sink_for(self, channel: Channel) -> Channel | None:
        """The feedback channel that should measure an execution channel (attribution for sales, …)."""
        feedback = self.lanes[3]
        function = self.functions[channel.id]
        preferred = (
            ("analytics", "experimentation", "revenue-analytics")
            if function in CUSTOMER_STAGE
            else ("attribution", "pipeline-review", "revenue-analytics", "win-loss")
        )
        for wanted in preferred:
            found = self.first(c for c in feedback if self.functions[c.id] == wanted)
            if found:
                return found
        return self.first(c for c in feedback if self.functions[c.id] not in ("analytics", "dashboards"))

    def _loop_target(self, channel: Channel) -> str:
        """Where a feedback channel's loop should go, by what it measures."""
        if self.functions[channel.id] in TARGETING_FEEDBACK or not self.functions[channel.id]:
            target = self.deciding_routing()
            return f"{target.name.strip()} (scoring or routing)" if target else "lead scoring or routing"
        measured = self.first(
            self.by_id[f.source]
            for f in self.graph.incoming.get(channel.id, ())
            if self.by_id[f.source].layer is _EXECUTION
        )
        tested = f" such as {measured.name.strip()}" if measured else ""
        return f"the ICP, the messaging or the channel it tests{tested}"

    # --- drag ------------------------------------------------------------------------------------
    def drag(self) -> None:
        connected = self.graph.connected
        for lane in self.all_lanes:
            for channel in lane:
                if channel.id not in connected:
                    self.add(
                        "orphan-channel",
                        DRAG,
                        ORPHAN_POINTS + self.spend(channel) / SPEND_UNIT,
                        [channel],
                        f"{self.shown(channel)} has no flow in or out: connect it to the architecture "
                        "or stop paying for it",
                    )
        for layer, lane in zip(LAYERS, self.all_lanes, strict=True):
            for group in self._duplicates(lane):
                group.sort(key=_name_key)
                spends = [self.spend(c) for c in group]
                most = max(spends)
                keep = group[spends.index(most)]  # the biggest spend; ties: the first by name
                saving = sum(spends) - most
                tools = names_text([self._tool_name(c) for c in group[:4]], total=len(group))
                free = (
                    f": keeping {keep.name.strip()} frees {money(saving, self.currency)}/month"
                    if saving
                    else ": keep one and consolidate"
                )
                function = self.functions[group[0].id]
                self.add(
                    "duplicate-function",
                    DRAG,
                    DUPLICATE_POINTS * (len(group) - 1) + saving / SPEND_UNIT,
                    group,
                    f"{len(group)} {layer.value} channels do {function} ({tools}){free}",
                )
        blank = [c for lane in self.all_lanes for c in lane if not self.functions[c.id]]
        if blank:
            self.add(
                "unknown-function",
                DRAG,
                min(FUNCTION_CAP, FUNCTION_POINTS * len(blank)),
                blank,
                f"{names_text([c.name.strip() for c in sorted(blank, key=_name_key)[:4]], total=len(blank))} "
                f"{'has' if len(blank) == 1 else 'have'} no function: pick one from the catalog so the "
                "score can tell duplicates, revenue channels and loops apart",
                amplify=False,
            )

    def _tool_name(self, channel: Channel) -> str:
        tool = channel.tool.strip()
        return (
            f"{channel.name.strip()} on {tool}"
            if tool and fold(tool) not in fold(channel.name)
            else (channel.name.strip())
        )

    def _duplicates(self, lane: list[Channel]) -> list[list[Channel]]:
        """Groups of channels of one function that serve overlapping segments (connected components)."""
        by_function: dict[str, list[Channel]] = {}
        for c in lane:
            key = self.functions[c.id]
            if key:
                by_function.setdefault(key, []).append(c)
        groups: list[list[Channel]] = []
        for members in by_function.values():
            if len(members) < 2:
                continue
            components = _overlapping([segment_key(c.segment) for c in members])
            found: dict[int, list[Channel]] = {}
            for c, component in zip(members, components, strict=True):
                found.setdefault(component, []).append(c)
            groups += [g for g in found.values() if len(g) > 1]
        return groups


def _agrees(key: str, modal: str) -> bool:
    """A message agrees with the shared one when it tells the same narrative: the same key, or the key
    followed by more words ("Unify SecOps for financial services" tells "Unify SecOps")."""
    return bool(key) and (key == modal or key.startswith(modal + " ") or modal.startswith(key + " "))


def _overlapping(keys: list[str]) -> list[int]:
    """For each segment key, its group: keys that match are one group, and a blank key joins every group.

    Works on the few distinct keys, so a large map's duplicates cost one pass.
    """
    distinct = sorted(set(keys))
    parent = {key: key for key in distinct}

    def find(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for i, a in enumerate(distinct):
        for b in distinct[i + 1 :]:
            if not a or not b or segments_match(a, b):
                parent[find(a)] = find(b)
    roots = {key: find(key) for key in distinct}
    numbers = {root: n for n, root in enumerate(sorted(set(roots.values())))}
    return [numbers[roots[key]] for key in keys]
