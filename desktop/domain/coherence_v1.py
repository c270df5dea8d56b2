"""The coherence score of contract version 1 (shared/coherence.md): `score --contract 1`.

Kept so that a lead can see why the number moved between contracts; the current contract is
version 2 (docs/score.md, coherence_v2.py).

Every rule of the contract lives here, so that the CLI, the score panel and the
tests agree exactly. The engine is linear in channels + flows, so it can run
after every edit even on very large maps, and every point a map loses is
carried by a finding whose message names the channels and says what to change.

It runs on the UI thread after every edit that is not a move, so it is written
for CPython rather than for reading: what depends only on the flows and the
layers (the flow graph, the routed-signal search, orphans) comes from
`coherence_index.flow_graph`, which is rebuilt only when those change, so a
rename or a new segment never walks the flows; text fields are folded once per
run; groups of channels are lists of positions. The plain implementation it
replaced is kept in tests/domain/_reference_coherence.py, and a test checks on
random maps and edit sequences that both give the same report to the byte.
"""

from __future__ import annotations

from operator import itemgetter

from desktop.domain.coherence_index import Lane, flow_graph, fold_all, text_groups
from desktop.domain.findings import CoherenceReport, Finding, make_finding, names_text
from desktop.domain.layers import LAYERS, Layer
from desktop.domain.model import ArchitectureMap, Channel, fold

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


def assess(arch: ArchitectureMap) -> CoherenceReport:
    """Score a map by contract version 1. Linear in channels + flows."""
    return _Assessment(arch).report()


_Keyed = tuple[tuple[float, str, tuple[str, ...]], Finding]
_finding = make_finding
_names_text = names_text


class _Assessment:
    """One run of the engine over one map: the indexes it needs and the findings it collects.

    It runs on the UI thread after every edit that is not a move, so it is
    written for CPython. What depends only on the flows and layers comes from
    `flow_graph`, which is rebuilt only when they change; the rest is a few list
    comprehensions per lane, each text field folded once, and groups of channels
    kept as positions in their lane.
    """

    def __init__(self, arch: ArchitectureMap) -> None:
        channels = self.channels = arch.channels
        self.channel_of = arch.channel
        graph = self.graph = flow_graph(
            [c.id for c in channels], [c.layer for c in channels], arch.flows, arch
        )
        self.lanes = [Lane([channels[i] for i in positions]) for positions in graph.lanes]
        self.findings: list[_Keyed] = []
        self.drag_findings: list[_Keyed] = []
        self.orders: dict[float, float] = {}  # points → their place in the order of findings

    def at(self, positions: list[int]) -> list[Channel]:
        """The channels at these positions in map order."""
        channels = self.channels
        return [channels[i] for i in positions]

    def add(self, rule: str, component: str, points: float, channel: Channel | None, message: str) -> None:
        """Record a finding that names one channel, or none."""
        if channel is None:
            finding = _finding(rule, component, points, (), (), message)
            folded: tuple[str, ...] = ()
        else:
            name = channel.name
            finding = _finding(rule, component, points, (channel.id,), (name,), message)
            folded = ((name or "").strip().casefold(),)
        order = self.orders.get(points)
        if order is None:  # rounding is slow and most findings share their points with others
            order = self.orders[points] = -round(points, 9)
        (self.drag_findings if component == DRAG else self.findings).append(((order, rule, folded), finding))

    def add_group(
        self,
        rule: str,
        component: str,
        points: float,
        lane: Lane,
        positions: list[int],
        before: str,
        after: str,
    ) -> None:
        """Record a finding that names several channels of a lane: `before`, their names, `after`."""
        keys = lane.keys if lane.keys is not None else lane.read_names()
        if len(positions) > 1:
            positions = sorted(positions, key=keys.__getitem__)
        names = tuple(map(lane.names.__getitem__, positions))
        shown = _names_text([name.strip() for name in names[:4]], total=len(names))
        finding = _finding(
            rule,
            component,
            points,
            tuple(map(lane.ids.__getitem__, positions)),
            names,
            f"{before}{shown}{after}",
        )
        folded = tuple(map(lane.folded.__getitem__, positions))
        order = self.orders.get(points)
        if order is None:  # rounding is slow and most findings share their points with others
            order = self.orders[points] = -round(points, 9)
        (self.drag_findings if component == DRAG else self.findings).append(((order, rule, folded), finding))

    def report(self) -> CoherenceReport:
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
        keyed = self.findings + self.drag_findings
        keyed.sort(key=_KEY)
        return CoherenceReport(
            score=max(0.0, raw_score),
            raw_score=raw_score,
            components=components,
            drag=drag,
            findings=tuple([finding for _, finding in keyed]),
            version=VERSION,
            weights=WEIGHTS,
        )

    # --- 1. coverage --------------------------------------------------------
    def coverage(self) -> float:
        missing = [layer for layer, lane in zip(LAYERS, self.lanes, strict=True) if not lane.channels]
        for layer in missing:
            self.add(
                "missing-layer",
                "coverage",
                WEIGHTS["coverage"] / len(LAYERS),
                None,
                f"The {layer.title.lower()} layer has no channel: add one so the map covers all four layers",
            )
        return (len(LAYERS) - len(missing)) / len(LAYERS)

    # --- 2. flow ------------------------------------------------------------
    def flow(self) -> float:
        capture = self.lanes[0].channels
        weight = WEIGHTS["flow"]
        if not capture:
            self.add(
                "no-capture",
                "flow",
                weight,
                None,
                "No channel captures signals, so nothing enters the architecture: "
                "add capture channels such as paid search or webinars",
            )
            return 0.0
        graph = self.graph
        unrouted = self.at(graph.unrouted)
        if not unrouted:
            return 1.0
        direct = graph.direct
        reaches = graph.reaches_execution() if any(c.id not in direct for c in unrouted) else set()
        routing = self.lanes[1].channels
        best = next((r for r in routing if r.id in direct), routing[0] if routing else None)
        if best is None:
            send = connect = "add a routing layer, such as lead scoring, between it and execution"
        else:
            tail = "" if best.id in direct else f", and connect {best.name.strip()} to an execution channel"
            send, connect = (
                f"{verb} {best.name.strip()}{tail}" for verb in ("send it through", "connect it to")
            )
        for channel in unrouted:
            name = channel.name.strip()
            if channel.id in direct:
                target = self.channel_of(direct[channel.id]).name.strip()
                message = f"{name} reaches {target} only by bypassing routing: {send}"
            elif channel.id in reaches:
                message = f"{name} reaches execution only by a detour that bypasses routing: {send}"
            else:
                message = f"{name} reaches no execution channel: {connect}"
            self.add("unrouted-signal", "flow", weight / len(capture), channel, message)
        return (len(capture) - len(unrouted)) / len(capture)

    # --- 3. routing ---------------------------------------------------------
    def routing(self) -> float:
        routing = self.lanes[1].channels
        weight = WEIGHTS["routing"]
        if not routing:
            self.add(
                "no-routing",
                "routing",
                weight,
                None,
                "No routing logic decides where leads go: "
                "add a routing channel such as lead scoring between capture and execution",
            )
            return 0.0
        execution = self.lanes[2].channels
        channel_of = self.channel_of
        total = 0.0
        for channel, (count, unruled) in zip(routing, self.graph.routing_rows, strict=True):
            if not count:
                target = f" such as {execution[0].name.strip()}" if execution else ""
                self.add(
                    "routing-dead-end",
                    "routing",
                    weight / len(routing),
                    channel,
                    f"{channel.name.strip()} sends nothing on: connect it to an execution channel{target}",
                )
                continue
            if count == 1:
                total += 1.0
                continue
            value = (count - len(unruled)) / count
            total += value
            if unruled:
                ruled = count - len(unruled)
                have = (
                    "no flow has a rule"
                    if ruled == 0
                    else f"only {ruled} flow{'s have' if ruled > 1 else ' has'} a rule"
                )
                targets = [channel_of(target) for target in unruled]
                if len(targets) > 1:
                    targets.sort(key=_name_key)
                self.add(
                    "unruled-routing",
                    "routing",
                    weight * (1.0 - value) / len(routing),
                    channel,
                    f"{channel.name.strip()} sends to {count} channels but {have}: "
                    f"{'add rules to the flows' if len(unruled) > 1 else 'add a rule to the flow'} to "
                    f"{_names_text([t.name.strip() for t in targets])}",
                )
        return total / len(routing)

    # --- 4. execution -------------------------------------------------------
    def execution(self) -> float:
        lane = self.lanes[2]
        execution = lane.channels
        if not execution:
            self.add(
                "no-execution",
                "execution",
                WEIGHTS["execution"],
                None,
                "No channel acts on the leads: add execution channels such as SDR outreach or email nurture",
            )
            return 0.0
        share = WEIGHTS["execution"] / 3
        groups = text_groups([c.segment for c in execution])  # folded segment → positions in the lane
        blanks = groups.get("", [])
        if blanks:
            after = (
                " has no segment: set the segment it serves"
                if len(blanks) == 1
                else " have no segment: set the segment each one serves"
            )
            points = share * len(blanks) / len(execution)
            self.add_group("unknown-segment", "execution", points, lane, blanks, "", after)
        identity = 1.0 - len(blanks) / len(execution)
        message = self._agreement(lane, groups, "message", "mixed-messages")
        motion = self._agreement(lane, groups, "motion", "mixed-motions")
        return (identity + message + motion) / 3

    def _agreement(self, lane: Lane, groups: dict[str, list[int]], attribute: str, rule: str) -> float:
        """Share of execution channels that carry their segment's modal message (or motion)."""
        execution = lane.channels
        values = fold_all(execution, attribute)
        size = len(execution)
        agreeing = 0
        for segment, group in groups.items():
            counts: dict[str, int] = {}
            for position in group:
                value = values[position]
                if value:
                    counts[value] = counts.get(value, 0) + 1
            modal = min(counts.items(), key=_most_then_smallest)[0] if counts else None
            agree = counts[modal] if modal is not None else 0
            agreeing += agree
            if agree == len(group):
                continue
            named = group if modal is None else [p for p in group if values[p] != modal]
            others = len(named)
            first = execution[group[0]]
            where = f"In the {first.segment.strip()} segment" if segment else "Among channels with no segment"
            plural = others > 1
            if modal is None:
                after = f" {'have' if plural else 'has'} no {attribute}: set one shared {attribute}"
            else:
                carrier = next(p for p in group if values[p] == modal)
                shown = getattr(execution[carrier], attribute).strip()
                after = (
                    f" {'do' if plural else 'does'} not use the shared {attribute} "
                    f"“{shown}”: align {'them' if plural else 'it'}"
                )
            points = (WEIGHTS["execution"] / 3) * others / size
            self.add_group(rule, "execution", points, lane, named, f"{where}, ", after)
        return agreeing / size

    # --- 5. feedback --------------------------------------------------------
    def feedback(self) -> float:
        feedback = self.lanes[3].channels
        if not feedback:
            self.add(
                "no-feedback",
                "feedback",
                WEIGHTS["feedback"],
                None,
                "The feedback layer is empty: add attribution or win/loss analysis so results feed back",
            )
            return 0.0
        half = WEIGHTS["feedback"] / 2
        execution = self.lanes[2].channels
        sink = feedback[0].name.strip()
        if not execution:
            self.add(
                "nothing-to-measure",
                "feedback",
                half,
                None,
                f"Feedback has no execution channel to measure: add execution channels and connect them to {sink}",
            )
            measured = 0.0
        else:
            unmeasured = self.at(self.graph.unmeasured)
            for channel in unmeasured:
                self.add(
                    "unmeasured-execution",
                    "feedback",
                    half / len(execution),
                    channel,
                    f"{channel.name.strip()} is not measured: add a flow to a feedback channel such as {sink}",
                )
            measured = 1.0 - len(unmeasured) / len(execution)
        upstream = self.lanes[1].channels or self.lanes[0].channels
        such_as = f" such as {upstream[0].name.strip()}" if upstream else ""
        open_loops = self.at(self.graph.open_loops)
        for channel in open_loops:
            self.add(
                "open-loop",
                "feedback",
                half / len(feedback),
                channel,
                f"{channel.name.strip()} feeds nothing back: "
                f"add a flow from it to a capture or routing channel{such_as}",
            )
        closed = 1.0 - len(open_loops) / len(feedback)
        return (measured + closed) / 2

    # --- drag ---------------------------------------------------------------
    def drag(self) -> float:
        """Orphans and duplicate functions, scaled to the cap before any finding is made."""
        orphans = self.at(self.graph.orphans)
        duplicates: list[tuple[Layer, Lane, list[int]]] = []
        for layer, lane in zip(LAYERS, self.lanes, strict=True):
            groups = text_groups([c.function for c in lane.channels])
            duplicates += [(layer, lane, group) for key, group in groups.items() if key and len(group) > 1]
        points = [ORPHAN_POINTS] * len(orphans) + [DUPLICATE_POINTS * (len(g) - 1) for _, _, g in duplicates]
        raw = sum(points, 0.0)
        if raw > DRAG_CAP:
            scale = DRAG_CAP / raw
            points = [p * scale for p in points]
        for channel, share in zip(orphans, points, strict=False):
            self.add(
                "orphan-channel",
                DRAG,
                share,
                channel,
                f"{channel.name.strip()} has no flow in or out: connect it to the architecture or remove it",
            )
        for (layer, lane, group), share in zip(duplicates, points[len(orphans) :], strict=True):
            count = _COUNT_WORDS.get(len(group), str(len(group)))
            self.add_group(
                "duplicate-function",
                DRAG,
                share,
                lane,
                group,
                f"{count} {layer.value} channels {'both' if len(group) == 2 else 'all'} do "
                f"{lane.channels[group[0]].function.strip()} (",
                "): consolidate them",
            )
        return min(DRAG_CAP, raw)


def _name_key(channel: Channel) -> tuple[str, str]:
    return (fold(channel.name), channel.name)


def _most_then_smallest(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])


_KEY = itemgetter(0)
