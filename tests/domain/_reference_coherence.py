"""The coherence engine as first written (commit c57dbfb), frozen as the reference for the fast one.

Why keep it: `desktop.domain.coherence` is written for speed (one cached
flow graph, folded fields, positions instead of channels) and is harder to
read than the contract. This is the plain implementation it replaced, kept
only so that `test_coherence_reference.py` can check on random maps that
both give the same score, components and findings, to the byte. Never import
it outside tests, and never change it except together with coherence.md.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass

from desktop.domain.layers import LAYERS, Layer
from desktop.domain.model import ArchitectureMap, Channel, Flow, fold

VERSION = 1
WEIGHTS: dict[str, float] = {
    "coverage": 10.0,
    "flow": 25.0,
    "routing": 20.0,
    "execution": 20.0,
    "feedback": 25.0,
}
COMPONENTS: tuple[str, ...] = tuple(WEIGHTS)
DRAG = "drag"
DRAG_CAP = 20.0
ORPHAN_POINTS = 2.0
DUPLICATE_POINTS = 3.0
UPSTREAM: frozenset[Layer] = frozenset({Layer.CAPTURE, Layer.ROUTING})

_COUNT_WORDS = {2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six", 7: "Seven", 8: "Eight", 9: "Nine"}


@dataclass(frozen=True)
class Finding:
    rule: str
    component: str
    points: float
    channel_ids: tuple[str, ...]
    channels: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class Report:
    raw_score: float
    components: dict[str, float]
    drag: float
    findings: tuple[Finding, ...]


def assess(arch: ArchitectureMap) -> Report:
    return _Assessment(arch).report()


def _names_text(names: Sequence[str], limit: int = 4) -> str:
    """Names as a sentence lists them: A; A and B; A, B and C; or A, B, C and 4 more."""
    shown = (
        list(names[: limit - 1]) + [f"{len(names) - limit + 1} more"] if len(names) > limit else list(names)
    )
    if len(shown) < 2:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def _display(channel: Channel) -> str:
    return channel.name.strip()


def _name_key(channel: Channel) -> tuple[str, str]:
    return (fold(channel.name), channel.name)


class _Assessment:
    """One run of the engine over one map: the indexes it needs and the findings it collects."""

    def __init__(self, arch: ArchitectureMap) -> None:
        self.channels = arch.channels
        self.index: dict[str, Channel] = {c.id: c for c in self.channels}
        self.layer_of: dict[str, Layer] = {c.id: c.layer for c in self.channels}
        self.by_layer: dict[Layer, list[Channel]] = {layer: [] for layer in LAYERS}
        for channel in self.channels:
            self.by_layer[channel.layer].append(channel)
        self.out: dict[str, list[Flow]] = {}
        self.sources: dict[str, list[str]] = {}
        for flow in arch.flows:
            # Invalid input is never scored: self-flows and flows to unknown channels.
            if (
                flow.source == flow.target
                or flow.source not in self.layer_of
                or flow.target not in self.layer_of
            ):
                continue
            self.out.setdefault(flow.source, []).append(flow)
            self.sources.setdefault(flow.target, []).append(flow.source)
        self.findings: list[Finding] = []
        self.drag_findings: list[Finding] = []

    def add(
        self, rule: str, component: str, points: float, channels: Sequence[Channel], message: str
    ) -> None:
        ordered = sorted(channels, key=_name_key)
        finding = Finding(
            rule=rule,
            component=component,
            points=points,
            channel_ids=tuple(c.id for c in ordered),
            channels=tuple(c.name for c in ordered),
            message=message,
        )
        (self.drag_findings if component == DRAG else self.findings).append(finding)

    def report(self) -> Report:
        components = {
            "coverage": self.coverage(),
            "flow": self.flow(),
            "routing": self.routing(),
            "execution": self.execution(),
            "feedback": self.feedback(),
        }
        drag = self.drag()
        weighted = sum(WEIGHTS[name] * components[name] for name in COMPONENTS)
        raw_score = weighted - drag
        findings = sorted(
            self.findings + self.drag_findings,
            key=lambda f: (-round(f.points, 9), f.rule, tuple(fold(name) for name in f.channels)),
        )
        return Report(raw_score, components, drag, tuple(findings))

    # --- 1. coverage --------------------------------------------------------
    def coverage(self) -> float:
        missing = [layer for layer in LAYERS if not self.by_layer[layer]]
        for layer in missing:
            self.add(
                "missing-layer",
                "coverage",
                WEIGHTS["coverage"] / len(LAYERS),
                (),
                f"The {layer.title.lower()} layer has no channel: add one so the map covers all four layers",
            )
        return (len(LAYERS) - len(missing)) / len(LAYERS)

    # --- 2. flow ------------------------------------------------------------
    def flow(self) -> float:
        capture = self.by_layer[Layer.CAPTURE]
        weight = WEIGHTS["flow"]
        if not capture:
            self.add(
                "no-capture",
                "flow",
                weight,
                (),
                "No channel captures signals, so nothing enters the architecture: "
                "add capture channels such as paid search or webinars",
            )
            return 0.0
        direct, routed = self._paths_to_execution()
        reaches = self._reaches_execution()
        routing = self.by_layer[Layer.ROUTING]
        best = next((r for r in routing if r.id in direct), routing[0] if routing else None)
        if best is None:
            send = connect = "add a routing layer, such as lead scoring, between it and execution"
        else:
            tail = "" if best.id in direct else f", and connect {_display(best)} to an execution channel"
            send, connect = (
                f"{verb} {_display(best)}{tail}" for verb in ("send it through", "connect it to")
            )
        unrouted = [c for c in capture if c.id not in routed]
        for channel in unrouted:
            name = _display(channel)
            if channel.id in direct:
                target = _display(self.index[direct[channel.id]])
                message = f"{name} reaches {target} only by bypassing routing: {send}"
            elif channel.id in reaches:
                message = f"{name} reaches execution only by a detour that bypasses routing: {send}"
            else:
                message = f"{name} reaches no execution channel: {connect}"
            self.add("unrouted-signal", "flow", weight / len(capture), (channel,), message)
        return (len(capture) - len(unrouted)) / len(capture)

    def _paths_to_execution(self) -> tuple[dict[str, str], set[str]]:
        """Which capture/routing channels reach execution through capture/routing channels only.

        Returns `direct`: channel id → an execution channel it reaches that way
        (any intermediates, possibly none), and `routed`: the channels that reach
        execution that way with at least one routing channel strictly between.
        A reverse breadth-first search over states (channel, passed routing):
        two states per channel, each flow looked at twice at most, so linear.
        """
        direct: dict[str, str] = {}
        routed: set[str] = set()
        queue: deque[tuple[str, bool]] = deque()
        for target in self.by_layer[Layer.EXECUTION]:
            for source in self.sources.get(target.id, ()):
                if self.layer_of[source] in UPSTREAM and source not in direct:
                    direct[source] = target.id
                    queue.append((source, False))
        while queue:
            node, passed = queue.popleft()
            node_routes = self.layer_of[node] is Layer.ROUTING
            for source in self.sources.get(node, ()):
                if self.layer_of[source] not in UPSTREAM:
                    continue
                if not passed and source not in direct:
                    direct[source] = direct[node]
                    queue.append((source, False))
                if (passed or node_routes) and source not in routed:
                    routed.add(source)
                    queue.append((source, True))
        return direct, routed

    def _reaches_execution(self) -> set[str]:
        """Every channel with some directed path, through any layers, to an execution channel."""
        seen = {c.id for c in self.by_layer[Layer.EXECUTION]}
        queue = deque(seen)
        while queue:
            node = queue.popleft()
            for source in self.sources.get(node, ()):
                if source not in seen:
                    seen.add(source)
                    queue.append(source)
        return seen

    # --- 3. routing ---------------------------------------------------------
    def routing(self) -> float:
        routing = self.by_layer[Layer.ROUTING]
        weight = WEIGHTS["routing"]
        if not routing:
            self.add(
                "no-routing",
                "routing",
                weight,
                (),
                "No routing logic decides where leads go: "
                "add a routing channel such as lead scoring between capture and execution",
            )
            return 0.0
        execution = self.by_layer[Layer.EXECUTION]
        total = 0.0
        for channel in routing:
            flows = self.out.get(channel.id, [])
            name = _display(channel)
            if not flows:
                target = f" such as {_display(execution[0])}" if execution else ""
                self.add(
                    "routing-dead-end",
                    "routing",
                    weight / len(routing),
                    (channel,),
                    f"{name} sends nothing on: connect it to an execution channel{target}",
                )
                continue
            if len(flows) == 1:
                total += 1.0
                continue
            unruled = [f for f in flows if not fold(f.rule)]
            value = (len(flows) - len(unruled)) / len(flows)
            total += value
            if unruled:
                ruled = len(flows) - len(unruled)
                have = (
                    "no flow has a rule"
                    if ruled == 0
                    else f"only {ruled} flow{'s have' if ruled > 1 else ' has'} a rule"
                )
                targets = sorted((self.index[f.target] for f in unruled), key=_name_key)
                self.add(
                    "unruled-routing",
                    "routing",
                    weight * (1.0 - value) / len(routing),
                    (channel,),
                    f"{name} sends to {len(flows)} channels but {have}: "
                    f"{'add rules to the flows' if len(unruled) > 1 else 'add a rule to the flow'} to "
                    f"{_names_text([_display(t) for t in targets])}",
                )
        return total / len(routing)

    # --- 4. execution -------------------------------------------------------
    def execution(self) -> float:
        execution = self.by_layer[Layer.EXECUTION]
        if not execution:
            self.add(
                "no-execution",
                "execution",
                WEIGHTS["execution"],
                (),
                "No channel acts on the leads: add execution channels such as SDR outreach or email nurture",
            )
            return 0.0
        share = WEIGHTS["execution"] / 3
        blanks = [c for c in execution if not fold(c.segment)]
        if blanks:
            names = [_display(c) for c in sorted(blanks, key=_name_key)]
            if len(blanks) == 1:
                message = f"{names[0]} has no segment: set the segment it serves"
            else:
                message = f"{_names_text(names)} have no segment: set the segment each one serves"
            self.add("unknown-segment", "execution", share * len(blanks) / len(execution), blanks, message)
        identity = 1.0 - len(blanks) / len(execution)
        groups: dict[str, list[Channel]] = {}
        for channel in execution:
            groups.setdefault(fold(channel.segment), []).append(channel)
        message = self._agreement(groups, "message", "mixed-messages", len(execution))
        motion = self._agreement(groups, "motion", "mixed-motions", len(execution))
        return (identity + message + motion) / 3

    def _agreement(self, groups: dict[str, list[Channel]], attribute: str, rule: str, size: int) -> float:
        """Share of execution channels that carry their segment's modal message (or motion)."""
        agreeing = 0
        for segment, group in groups.items():
            counts = Counter(value for value in (fold(getattr(c, attribute)) for c in group) if value)
            modal = min(counts.items(), key=lambda item: (-item[1], item[0]))[0] if counts else None
            agree = counts[modal] if modal is not None else 0
            agreeing += agree
            if agree == len(group):
                continue
            others = sorted((c for c in group if fold(getattr(c, attribute)) != modal), key=_name_key)
            names = _names_text([_display(c) for c in others])
            where = (
                f"In the {group[0].segment.strip()} segment" if segment else "Among channels with no segment"
            )
            plural = len(others) > 1
            if modal is None:
                message = (
                    f"{where}, {names} {'have' if plural else 'has'} no {attribute}: "
                    f"set one shared {attribute}"
                )
            else:
                shown = next(
                    getattr(c, attribute).strip() for c in group if fold(getattr(c, attribute)) == modal
                )
                message = (
                    f"{where}, {names} {'do' if plural else 'does'} not use the shared {attribute} "
                    f"“{shown}”: align {'them' if plural else 'it'}"
                )
            self.add(rule, "execution", (WEIGHTS["execution"] / 3) * len(others) / size, others, message)
        return agreeing / size

    # --- 5. feedback --------------------------------------------------------
    def feedback(self) -> float:
        feedback = self.by_layer[Layer.FEEDBACK]
        if not feedback:
            self.add(
                "no-feedback",
                "feedback",
                WEIGHTS["feedback"],
                (),
                "The feedback layer is empty: add attribution or win/loss analysis so results feed back",
            )
            return 0.0
        half = WEIGHTS["feedback"] / 2
        execution = self.by_layer[Layer.EXECUTION]
        sink = _display(feedback[0])
        if not execution:
            self.add(
                "nothing-to-measure",
                "feedback",
                half,
                (),
                f"Feedback has no execution channel to measure: add execution channels and connect them to {sink}",
            )
            measured = 0.0
        else:
            unmeasured = [x for x in execution if not self._flows_into(x, frozenset({Layer.FEEDBACK}))]
            for channel in unmeasured:
                self.add(
                    "unmeasured-execution",
                    "feedback",
                    half / len(execution),
                    (channel,),
                    f"{_display(channel)} is not measured: add a flow to a feedback channel such as {sink}",
                )
            measured = 1.0 - len(unmeasured) / len(execution)
        upstream = self.by_layer[Layer.ROUTING] or self.by_layer[Layer.CAPTURE]
        such_as = f" such as {_display(upstream[0])}" if upstream else ""
        open_loops = [f for f in feedback if not self._flows_into(f, UPSTREAM)]
        for channel in open_loops:
            self.add(
                "open-loop",
                "feedback",
                half / len(feedback),
                (channel,),
                f"{_display(channel)} feeds nothing back: add a flow from it to a capture or routing channel{such_as}",
            )
        closed = 1.0 - len(open_loops) / len(feedback)
        return (measured + closed) / 2

    def _flows_into(self, channel: Channel, layers: frozenset[Layer]) -> bool:
        return any(self.layer_of[f.target] in layers for f in self.out.get(channel.id, ()))

    # --- drag ---------------------------------------------------------------
    def drag(self) -> float:
        for channel in self.channels:
            if channel.id not in self.out and channel.id not in self.sources:
                self.add(
                    "orphan-channel",
                    DRAG,
                    ORPHAN_POINTS,
                    (channel,),
                    f"{_display(channel)} has no flow in or out: connect it to the architecture or remove it",
                )
        for layer in LAYERS:
            groups: dict[str, list[Channel]] = {}
            for channel in self.by_layer[layer]:
                key = fold(channel.function)
                if key:
                    groups.setdefault(key, []).append(channel)
            for group in groups.values():
                if len(group) < 2:
                    continue
                count = _COUNT_WORDS.get(len(group), str(len(group)))
                names = _names_text([_display(c) for c in sorted(group, key=_name_key)])
                self.add(
                    "duplicate-function",
                    DRAG,
                    DUPLICATE_POINTS * (len(group) - 1),
                    group,
                    f"{count} {layer.value} channels {'both' if len(group) == 2 else 'all'} do "
                    f"{group[0].function.strip()} ({names}): consolidate them",
                )
        raw = sum((f.points for f in self.drag_findings), 0.0)
        if raw > DRAG_CAP:
            scale = DRAG_CAP / raw
            self.drag_findings = [
                Finding(f.rule, f.component, f.points * scale, f.channel_ids, f.channels, f.message)
                for f in self.drag_findings
            ]
        return min(DRAG_CAP, raw)
