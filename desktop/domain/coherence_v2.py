"""The coherence score, contract version 2 (docs/score.md): the rules a go-to-market lead signs.

Every rule of docs/score.md lives here and nowhere else, with its named
constants; the document says why each exists. The shape of a run:
1. each component's rules add findings worth their *base* points;
2. a finding that names a channel acting through AI (or an open loop on a
   feedback channel that measures one) is multiplied by AI_FACTOR;
3. a component never loses more than its weight (its findings are scaled to
   fit), drag is soft-capped, and each component's value is what is left.
So the findings always sum to 100 − the unclamped score, and AI never raises it.

The score runs on the UI thread after every edit, so what the rules derive is
kept on the map between runs, each part for as long as its inputs are the very
same objects: what depends only on the flows in coherence_v2_graph.py, each
channel's own facts in coherence_v2_facts.py, and the findings of a rule whose
inputs did not change (`replay`). tests/domain/test_score_v2_golden.py pins
whole reports and checks them after edits against a map with nothing kept.
Findings name channels in name order and suggestions are picked by name, so
the order of channels and flows never changes a report; scaling and ordering
the findings is coherence_v2_assembly.py.
"""

from __future__ import annotations

from collections.abc import Iterable

from desktop.domain.coherence_v2_assembly import Raw, assemble
from desktop.domain.coherence_v2_facts import channel_facts
from desktop.domain.coherence_v2_graph import GraphV2, graph_v2
from desktop.domain.coherence_v2_rules import (
    AI_FACTOR,
    COMPONENTS,
    FEEDBACK_SHARES,
    PASS_THROUGH_CREDIT,
    UNACCOUNTABLE_CREDIT,
    VERSION,
    WEIGHTS,
    SegmentRules,
)
from desktop.domain.findings import CoherenceReport, names_text
from desktop.domain.layers import LAYERS
from desktop.domain.model import ArchitectureMap, Channel
from desktop.domain.vocabulary import (
    CUSTOMER_STAGE,
    DECIDING_ROUTING,
    INLINE_ROUTING,
    REVENUE_EXECUTION,
    REVENUE_FEEDBACK,
    TARGETING_FEEDBACK,
    money,
)

__all__ = ["AI_FACTOR", "COMPONENTS", "VERSION", "WEIGHTS", "assess"]

_CAPTURE, _ROUTING, _EXECUTION, _FEEDBACK = LAYERS


def assess(arch: ArchitectureMap) -> CoherenceReport:
    """Score a map by contract 2. Linear in channels + flows (the alignment search: per segment)."""
    return _Run(arch).report()


class _Run(SegmentRules):
    """One run of contract 2 over one map."""

    def __init__(self, arch: ArchitectureMap) -> None:
        facts = self.facts = channel_facts(arch)
        self.by_id = facts.by_id
        self.graph: GraphV2 = graph_v2(facts.ids, facts.layers, arch.flows, arch, facts.all_lanes)
        self.currency = arch.info.currency
        self.all_lanes = facts.all_lanes
        by_id = self.by_id
        lanes = self.graph.lanes  # the connected channels' ids: usually every channel's (as many)
        self.lanes = (
            facts.all_lanes
            if list(map(len, lanes)) == list(map(len, facts.all_lanes))
            else tuple([by_id[cid] for cid in lane] for lane in lanes)
        )
        self.functions = facts.functions
        self.names, self.folded, self.name_keys = facts.names, facts.folded, facts.name_keys
        self.segments, self.segment_keys, self.spends = facts.segments, facts.segment_keys, facts.spends
        self.message_keys, self.motion_keys = facts.message_keys, facts.motion_keys
        self.partner_motions = facts.partner_motions
        self.raw: list[Raw] = []
        self._started: dict[object, int] = {}
        self._door: Channel | None | bool = False
        self._deciding: Channel | None | bool = False
        self._amounts: dict[float, str] = {}  # money() of each spend seen
        self._sinks: dict[bool, Channel | None] = {}  # _sink_for, by whether the channel serves customers

    # --- helpers ---------------------------------------------------------------------------------
    def add(
        self,
        rule: str,
        component: str,
        points: float,
        named: Iterable[Channel],
        message: str,
        amplify: bool | None = None,
        in_order: bool = False,
    ) -> None:
        """Record a finding. `in_order`: the channels are already in name order (`by_name`)."""
        keys = self.name_keys
        if in_order:
            ordered = named if isinstance(named, list) else list(named)
        else:  # name order; the folded names order findings of equal points
            ordered = sorted(named, key=lambda c: keys[c.id])
        if len(ordered) == 1:  # most findings name one channel
            self.add_one(rule, component, points, ordered[0], message, amplify)
            return
        ids = tuple([c.id for c in ordered])  # (list comprehensions read slotted attributes fastest)
        if amplify is None:  # automation is "ai" or blank (validated on every way in)
            amplify = any([c.automation for c in ordered])
        folded = tuple(map(self.folded.__getitem__, ids))
        names = tuple([c.name for c in ordered])
        self.raw.append((rule, component, points, ids, names, message, amplify, folded))

    def add_one(
        self,
        rule: str,
        component: str,
        points: float,
        channel: Channel,
        message: str,
        amplify: bool | None = None,
    ) -> None:
        """Record a finding that names one channel (most do)."""
        cid = channel.id
        if amplify is None:
            amplify = bool(channel.automation)
        folded = (self.folded[cid],)
        self.raw.append((rule, component, points, (cid,), (channel.name,), message, amplify, folded))

    def by_name(self, channels: Iterable[Channel]) -> list[Channel]:
        """Channels in name order (folded, then as written): the order findings name them in."""
        keys = self.name_keys
        return sorted(channels, key=lambda c: keys[c.id])

    def shown(self, channel: Channel) -> str:
        """A name with its spend when known: "LinkedIn Ads ($32,000/month)"."""
        spend = self.spends[channel.id]
        name = self.names[channel.id]
        if not spend:
            return name
        amount = self._amounts.get(spend)
        if amount is None:  # many channels spend the same amount
            amount = self._amounts[spend] = money(spend, self.currency)
        return f"{name} ({amount}/month)"

    def first(self, channels: Iterable[Channel]) -> Channel | None:
        keys = self.name_keys
        return min(channels, key=lambda c: keys[c.id], default=None)

    def front_door(self) -> Channel | None:
        """The routing channel most capture channels flow into (ties by name): where signals should enter."""
        if self._door is not False:
            return self._door  # type: ignore[return-value]
        self._door = self._front_door()
        return self._door

    def _front_door(self) -> Channel | None:
        counts = self.graph.captured
        routing = self.lanes[1]
        if not routing:
            return None
        captured = [counts.get(r.id, 0) for r in routing]
        most = max(captured)  # then the first by name among those: min's order (-count, name)
        return self.first([r for r, count in zip(routing, captured, strict=True) if count == most])

    def deciding_routing(self) -> Channel | None:
        """The routing channel that decides (scoring, routing, qualification), else the front door."""
        if self._deciding is not False:
            return self._deciding  # type: ignore[return-value]
        functions = self.functions
        deciding = [r for r in self.lanes[1] if functions[r.id] in DECIDING_ROUTING]
        self._deciding = self.first(deciding) or self.front_door()
        return self._deciding

    # --- the report ------------------------------------------------------------------------------
    def report(self) -> CoherenceReport:
        self.coverage()
        self.flow()
        self.routing()
        self.execution()
        self.alignment()
        self.feedback()
        self.drag()
        return assemble(self.raw)

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
        entry_spends = [self.spends[c.id] for c in entries]
        spends = [spend for spend in entry_spends if spend]
        mean = sum(spends) / len(spends) if spends else 0.0
        weights = [1.0 + (spend / mean if mean else 0.0) for spend in entry_spends]  # in entry order
        total = sum(weights)
        door = self.front_door()
        deciding = self.deciding_routing()
        routed, accountable, folded = graph.routed, graph.accountable, self.folded
        record = self.raw.append  # add_one, inline: a large map has many unaccountable channels
        for channel, entry_weight in zip(entries, weights, strict=True):
            cid = channel.id
            if cid in accountable and cid in routed:  # most capture channels: nothing to say
                continue
            share = weight * entry_weight / total
            if channel.layer is _EXECUTION:
                if channel.id not in graph.routes_onward:
                    via = f"send them through {self.names[deciding.id]}" if deciding else "add lead routing"
                    shown = self.shown(channel)
                    self.add_one(
                        "unrouted-source",
                        "flow",
                        share,
                        channel,
                        f"{shown} originates deals that reach sales without any routing: {via} "
                        "(dedupe against open opportunities, assign an owner)",
                    )
                    continue
            elif channel.id not in graph.routed:
                targets = sorted(graph.direct_targets.get(channel.id, ()))
                send = (
                    f"send it through {self.names[door.id]}" if door else "add routing such as lead scoring"
                )
                if self.functions[channel.id] in ("chat", "events") and deciding:
                    send = f"route it through {self.names[deciding.id]} so each lead finds its owner (territory, open deals)"
                named = [channel]
                shown = self.shown(channel)
                if targets:
                    target = self.first(self.by_id[t] for t in targets)
                    named.append(target)  # type: ignore[arg-type]
                    message = f"{shown} goes straight to {self.names[target.id]}, bypassing routing: {send}"  # type: ignore[union-attr]
                else:
                    message = f"{shown} reaches no execution channel through routing: {send}"
                self.add("unrouted-signal", "flow", share, named, message)
                continue
            if cid not in accountable:
                record(
                    (
                        "unaccountable-spend",
                        "flow",
                        share * (1.0 - UNACCOUNTABLE_CREDIT),
                        (cid,),
                        (channel.name,),
                        f"{self.shown(channel)} is routed, but no feedback loop reaches it or the routing it "
                        "feeds: nothing can tell whether it works, so connect attribution before adding or "
                        "scaling it",
                        bool(channel.automation),
                        (folded[cid],),
                    )
                )

    # --- 3. routing ------------------------------------------------------------------------------
    def routing(self) -> None:
        """Kept per map while the graph, the routing channels and those they send to unruled stay the same
        objects (what the rule reads of the rest of the map): a rename elsewhere replays it."""
        rows = self.graph.decision_rows
        by_id = self.by_id
        inputs: list[object] = [
            self.graph,
            self.lanes[1],
            [by_id[t] for row in rows.values() for t in row[2]],
        ]
        if self.replay("routing", inputs):
            return
        self._routing()
        self.keep("routing", inputs)

    def _routing(self) -> None:
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
        names, folded, rows = self.names, self.folded, self.graph.decision_rows
        deciding = self.deciding_routing()
        record = self.raw.append  # add_one, inline: a large map has a finding for most routing channels
        having: dict[tuple[int, int], str] = {}
        for channel in routing:
            cid = channel.id
            count, _decided, unruled = rows[cid]
            name = names[cid]
            if count == 0:
                if self.functions[cid] in INLINE_ROUTING:
                    after = names[deciding.id] if deciding and deciding is not channel else "lead scoring"
                    advice = f"put it inline: capture → {name} → {after}, or remove it"
                else:
                    advice = "add a flow with a rule to each execution channel it decides for"
                self.add_one(
                    "routing-dead-end", "routing", share, channel, f"{name} sends nothing on: {advice}"
                )
                continue
            if not unruled:
                continue
            if count == 1:  # so its one flow is unruled
                self.add_one(
                    "pass-through-routing",
                    "routing",
                    share * (1.0 - PASS_THROUGH_CREDIT),
                    channel,
                    f"{name} sends every lead to {names[unruled[0]]} with no rule: a hop, "
                    "not a routing decision; write the rule it applies (segment, score, territory)",
                )
                continue
            if len(unruled) == 1:
                listed = names[unruled[0]]
            else:
                listed = names_text([names[t] for t in sorted(unruled, key=self.name_keys.__getitem__)])
            ruled = count - len(unruled)
            have = having.get((ruled, count))
            if have is None:
                have = having[ruled, count] = (
                    "no flow has a rule"
                    if ruled == 0
                    else f"only {ruled} of {count} flows {'has' if ruled == 1 else 'have'} a rule"
                )
            record(
                (
                    "unruled-routing",
                    "routing",
                    share * len(unruled) / count,
                    (cid,),
                    (channel.name,),
                    f"{name} sends to {count} channels but {have} (a placeholder such as “tbd” is no rule): "
                    f"write the rule for {listed}",
                    bool(channel.automation),
                    (folded[cid],),
                )
            )

    # --- 4. execution ----------------------------------------------------------------------------
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
        measured = graph.measured
        for channel in [c for c in execution if c.id not in measured]:
            sink = self._sink_for(channel)
            fix = (
                f"add a flow to {self.names[sink.id]}"
                if sink
                else "add closed-loop attribution (activity dashboards cannot judge it) and connect it"
            )
            self.add_one(
                "unmeasured-execution",
                "feedback",
                measured_part / len(execution),
                channel,
                f"{self.names[channel.id]} is not measured: {fix}",
            )
        for channel in feedback:
            credit = graph.loop_credit[channel.id]
            if credit >= 1.0:
                continue
            ai = any([by_id[source].automation == "ai" for source in graph.measures.get(channel.id, ())])
            name = self.names[channel.id]
            if credit == 0.0:
                target = self._loop_target(channel)
                if self.functions[channel.id] in ("analytics", "dashboards"):
                    fix = (
                        f"it reports activity, not pipeline; loop what it learns into {target}, "
                        "or let closed-loop attribution do it"
                    )
                else:
                    fix = f"add a flow from it to {target}"
                self.add_one(
                    "open-loop",
                    "feedback",
                    closed_part / len(feedback),
                    channel,
                    f"{name} feeds nothing back: {fix}",
                    amplify=ai or channel.automation == "ai",
                )
            else:
                self.add_one(
                    "unlabelled-loop",
                    "feedback",
                    closed_part * (1.0 - credit) / len(feedback),
                    channel,
                    f"{name} loops back, but the arrow does not say what it carries: label it "
                    "(e.g. “offline conversions”, “ICP refresh”)",
                    amplify=ai or channel.automation == "ai",
                )
        if not self._revenue_loop():
            revenue = [c for c in execution if functions[c.id] in REVENUE_EXECUTION]
            ai_senders = [c for c in execution if c.automation == "ai"]
            decider = self.deciding_routing()
            into = self.names[decider.id] if decider else "lead scoring"
            if revenue:
                source = names_text([self.names[c.id] for c in self.by_name(revenue)][:2])
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
        graph, functions = self.graph, self.functions
        for channel in self.lanes[3]:
            if functions[channel.id] not in REVENUE_FEEDBACK and functions[channel.id]:
                continue
            hears = any(
                functions[source] in REVENUE_EXECUTION or not functions[source]
                for source in graph.measures.get(channel.id, ())
            )
            if hears and channel.id in graph.loops_back:
                return True
        return False

    def _sink_for(self, channel: Channel) -> Channel | None:
        """The feedback channel that should measure an execution channel (attribution for sales, …)."""
        customer = self.functions[channel.id] in CUSTOMER_STAGE
        if customer not in self._sinks:  # one search per kind, not per channel: a map may have thousands
            self._sinks[customer] = self._sink(customer)
        return self._sinks[customer]

    def _sink(self, customer: bool) -> Channel | None:
        feedback = self.lanes[3]
        preferred = (
            ("analytics", "experimentation", "revenue-analytics")
            if customer
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
            return f"{self.names[target.id]} (scoring or routing)" if target else "lead scoring or routing"
        measured = self.first(self.by_id[source] for source in self.graph.measures.get(channel.id, ()))
        tested = f" such as {self.names[measured.id]}" if measured else ""
        return f"the ICP, the messaging or the channel it tests{tested}"

    # --- drag ------------------------------------------------------------------------------------
