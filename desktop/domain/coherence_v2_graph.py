"""The facts contract 2 reads from the flows alone (docs/score.md), built once per set of flows.

Why a module of its own, and why a cache: the score runs on the UI thread after
every edit, and most edits (a rename, a segment, a spend, an AI mark) change
no flow and no layer. Everything here depends only on the channel ids in map
order, their layers and the flows (rules and labels included), so `graph_v2`
hands back the object it built last for as long as those lists compare equal,
which is cheap because they hold the same objects. What depends on a channel's
text (segments, functions, spend, AI) is in coherence_v2_facts.py; `memo` keeps
what the rules derive from this graph and a few of those facts (coherence_v2_rules.py).

Nothing here depends on the order of channels or flows beyond the order of
lists; every set the rules read is order-free, so the score is too.
"""

from __future__ import annotations

from collections import Counter
from itertools import chain, compress, repeat

from desktop.domain.layers import LAYERS, Layer
from desktop.domain.model import Channel, Flow
from desktop.domain.per_map import kept_per_map
from desktop.domain.vocabulary import real_rule

_CAPTURE, _ROUTING, _EXECUTION, _FEEDBACK = LAYERS
_UPSTREAM = (_CAPTURE, _ROUTING)


class GraphV2:
    """Valid flows indexed for contract 2. Invalid input (self-flows, unknown ends) is left out.

    Only what the rules read is kept (not every channel's flows): one pass over the flows reads each
    flow by its two layers, since this runs again after every edit of a flow, and from scratch on a map
    just read (the `score` command). So the loop does only what needs a flow at a time; what can be
    done on whole sets (the connected channels, the searches upstream) is done after it, at C speed.
    tests/domain/test_score_v2_graph_reference.py checks every attribute against a plain build.
    """

    __slots__ = (
        "ids",
        "layers",
        "flows",
        "connected",
        "lanes",
        "routed",
        "direct_targets",
        "entry_execution",
        "accountable",
        "decision_rows",
        "loop_credit",
        "measured",
        "handoffs",
        "unruled_handoffs",
        "unruled_upstream",
        "captured",
        "routes_onward",
        "measures",
        "loops_back",
        "memo",
    )

    def __init__(
        self,
        ids: list[str],
        layers: list[Layer],
        flows: list[Flow],
        lanes: tuple[list[str], ...] | None = None,
    ) -> None:
        """`lanes`: the ids by layer in map order, when the caller has them (the channel facts do)."""
        self.ids, self.layers, self.flows = ids, layers, flows
        self.memo: dict[str, object] = {}  # what the rules derive from this graph and a few channel facts
        layer_of: dict[str, Layer]
        if lanes is None:
            layer_of = {}
            every = _split(ids, layers, layer_of)  # every channel by layer, in map order
        else:
            layer_of, every = dict(zip(ids, layers, strict=True)), lanes
        # The channels a flow goes into or out of: the ends the structures below do not record.
        connected: set[str] = set()
        connect = connected.add
        ruled_of: dict[str, bool] = {}  # real_rule per distinct rule text: most flows share a few rules
        skipped = False  # a flow with an unknown end or to itself (never in a validated map)
        onward: set[str] = set()  # execution channels that send on to execution or routing
        routes_onward: set[str] = set()  # execution channels that send to routing
        upstream_of: dict[str, list[str]] = {}  # per execution channel: the capture/routing it sends to
        direct: dict[str, set[str]] = {}  # per capture channel: the execution channels it sends to
        rows: dict[str, tuple[list[str], list[str]]] = {}  # per routing channel: decided, unruled
        loops: dict[str, float] = {}  # per feedback channel: its best loop
        loops_back: set[str] = set()  # feedback channels that send to capture or routing
        measures: dict[str, list[str]] = {}  # per feedback channel: the execution channels sending to it
        fed_back: set[str] = set()  # channels a feedback channel loops into
        handoffs: dict[str, list[Flow]] = {}  # per capture/routing channel: its flows to execution
        unruled_handing: dict[str, list[Flow]] = {}  # the same, those with no rule
        unruled_upstream: dict[str, list[str]] = {}  # per capture/routing channel: unruled flows among them
        # The flows among capture and routing channels, as two columns: what the searches upstream walk.
        inner_sources: list[str] = []
        inner_targets: list[str] = []
        inner_source, inner_target = inner_sources.append, inner_targets.append
        only_captured = True  # every flow among capture and routing goes from capture to routing
        for flow in flows:
            source = flow.source
            target = flow.target
            try:
                source_layer = layer_of[source]
                target_layer = layer_of[target]
            except KeyError:  # an unknown end
                skipped = True
                continue
            # A flow to itself stays in its layer: only there is it looked for (a string compare).
            if source_layer is target_layer and source == target:
                skipped = True
                continue
            if source_layer is _CAPTURE or source_layer is _ROUTING:
                if target_layer is _FEEDBACK:
                    connect(source)
                    connect(target)
                    continue
                rule = flow.rule
                try:
                    ruled = ruled_of[rule]
                except KeyError:
                    ruled = ruled_of[rule] = real_rule(rule)
                if target_layer is _EXECUTION:
                    sent = handoffs.get(source)
                    if sent is None:
                        handoffs[source] = [flow]
                    else:
                        sent.append(flow)
                    if not ruled:
                        sent = unruled_handing.get(source)
                        if sent is None:
                            unruled_handing[source] = [flow]
                        else:
                            sent.append(flow)
                    if source_layer is _CAPTURE:
                        direct.setdefault(source, set()).add(target)
                        continue
                else:
                    inner_source(source)
                    inner_target(target)
                    if not ruled:
                        unruled = unruled_upstream.get(source)
                        if unruled is None:
                            unruled_upstream[source] = [target]
                        else:
                            unruled.append(target)
                    if source_layer is _CAPTURE:
                        if target_layer is not _ROUTING:
                            only_captured = False
                        continue
                    only_captured = False
                # a flow from routing that decides, and whether it says how
                row = rows.get(source)
                if row is None:
                    row = rows[source] = ([], [])
                row[0 if ruled or target_layer is _ROUTING else 1].append(target)
            elif source_layer is _EXECUTION:
                if target_layer is _FEEDBACK:
                    measuring = measures.get(target)
                    if measuring is None:
                        measures[target] = [source]
                    else:
                        measuring.append(source)
                elif target_layer is _EXECUTION:
                    onward.add(source)
                    connect(target)
                else:
                    upstream_of.setdefault(source, []).append(target)
                    if target_layer is _ROUTING:
                        onward.add(source)
                        routes_onward.add(source)
            elif target_layer is not _FEEDBACK:  # from feedback: a loop
                fed_back.add(target)
                if loops.get(source) != 1.0:
                    rule = flow.rule
                    try:
                        ruled = ruled_of[rule]
                    except KeyError:
                        ruled = ruled_of[rule] = real_rule(rule)
                    loops[source] = 1.0 if (ruled or flow.label.strip()) else 0.5
                if target_layer is not _EXECUTION:
                    loops_back.add(source)
            else:
                connect(source)
                connect(target)
        upstream = _Upstream(inner_sources, inner_targets)
        measured = self.measured = set(chain.from_iterable(measures.values()))
        # Every other end is in one of these (at C speed: set operations, no Python per flow).
        connected.update(
            inner_sources, upstream.fed, handoffs, measures, measured, onward, upstream_of, loops
        )
        connected.update(fed_back, *direct.values(), *upstream_of.values())
        connected.update(chain.from_iterable(chain.from_iterable(rows.values())))  # decided, unruled
        self.connected = connected
        # Usually every channel is connected: then the lanes are every channel's.
        lanes = self.lanes = (
            every
            if len(connected) == len(ids)
            else tuple([cid for cid in lane if cid in connected] for lane in every)
        )
        # Routed signals, as contract 1 defines them: a path to execution through capture and routing
        # channels only, with a routing channel strictly between.
        near = upstream.closure(set(handoffs))  # everything upstream of an execution channel
        self.routed = upstream.closure(upstream.feeding(near.intersection(lanes[1])))
        # Execution channels that originate deals: nothing flows in, something goes on to sales or routing.
        entry = onward.difference(_received(flows, layer_of, skipped)) if onward else onward
        self.entry_execution = [cid for cid in lanes[2] if cid in entry] if entry else []
        self.routes_onward = routes_onward
        # The execution channels each capture channel sends to directly (a bypass names one).
        self.direct_targets = direct  # read (and sorted) only for a capture channel that bypasses routing
        # Per routing channel: how many flows decide (to capture, routing or execution), and which say how.
        decision_rows: dict[str, tuple[int, list[str], list[str]]] = {}
        for cid in lanes[1]:
            decided, unruled = rows.get(cid) or ([], [])
            decision_rows[cid] = (len(decided) + len(unruled), decided, unruled)
        self.decision_rows = decision_rows
        # Per feedback channel: its best loop (1 when the arrow says what it carries back, ½ when blank),
        # whether it loops back into capture or routing, and the execution channels it measures.
        self.loop_credit = dict(zip(lanes[3], map(loops.get, lanes[3], repeat(0.0)), strict=True))
        self.loops_back = loops_back
        self.measures = measures
        # Accountable: a loop from feedback reaches the channel or something its signals pass through
        # (capture and routing channels upstream of it, and the deal-originating channels sending to them).
        accountable = upstream.closure(fed_back.difference(lanes[2]))
        for cid in self.entry_execution:
            if cid in fed_back or any(target in accountable for target in upstream_of.get(cid, ())):
                accountable.add(cid)
        self.accountable = accountable
        # Alignment: hand-offs to execution (in lane order), and the unruled flows among capture and routing.
        handing = (*lanes[0], *lanes[1]) if direct else lanes[1]  # capture hands off only where direct
        self.handoffs = list(chain.from_iterable(map(handoffs.get, handing, repeat(())))) if handoffs else []
        self.unruled_handoffs = (
            list(chain.from_iterable(map(unruled_handing.get, handing, repeat(()))))
            if unruled_handing
            else []
        )
        self.unruled_upstream = unruled_upstream
        # The front door is the routing channel most capture channels flow into: per routing channel, how
        # many do (counted at C speed when the columns hold only such flows, as they usually do).
        captured: dict[str, int]
        if only_captured:
            captured = dict(Counter(inner_targets))
        else:
            captured = {}
            for source, target in zip(inner_sources, inner_targets, strict=True):
                if layer_of[source] is _CAPTURE and layer_of[target] is _ROUTING:
                    captured[target] = captured.get(target, 0) + 1
        self.captured = captured


def _received(flows: list[Flow], layer_of: dict[str, Layer], skipped: bool) -> list[str]:
    """The channels that valid flows go into (every flow's target when none was left out)."""
    if not skipped:
        return [flow.target for flow in flows]
    return [
        flow.target
        for flow in flows
        if flow.source != flow.target and flow.source in layer_of and flow.target in layer_of
    ]


def _split(ids: list[str], layers: list[Layer], layer_of: dict[str, Layer]) -> tuple[list[str], ...]:
    """The ids by layer, in map order; `layer_of` gets each id's layer."""
    lanes: tuple[list[str], ...] = ([], [], [], [])
    capture, routing, execution, feedback = (lane.append for lane in lanes)
    for cid, layer in zip(ids, layers, strict=True):
        layer_of[cid] = layer
        if layer is _CAPTURE:
            capture(cid)
        elif layer is _EXECUTION:
            execution(cid)
        elif layer is _ROUTING:
            routing(cid)
        else:
            feedback(cid)
    return lanes


class _Upstream:
    """Searches upstream along the flows among capture and routing channels, given as two columns.

    Most maps are shallow (capture, then routing, then execution), so a search goes one level at a time,
    each level one pass over the columns at C speed; a deep map (a long chain) switches to a search
    along each channel's feeders after a few levels, so that no map costs more than linear time.
    """

    LEVELS = 6

    def __init__(self, sources: list[str], targets: list[str]) -> None:
        self.sources, self.targets = sources, targets
        self.fed = set(targets)  # the channels with a flow into them: only those have anything upstream
        self.feeders: dict[str, list[str]] | None = None
        self.last: tuple[set[str], set[str]] = (set(), set())  # the last pass: asked, found

    def feeding(self, nodes: set[str]) -> set[str]:
        """The channels with a flow into one of `nodes` (a new set)."""
        nodes = self.fed.intersection(nodes)
        if not nodes:
            return nodes
        asked, found = self.last
        if nodes != asked:  # the routed search often asks what the search for `near` asked first
            found = set(compress(self.sources, map(nodes.__contains__, self.targets)))
            self.last = (nodes, found)
        return set(found)

    def closure(self, start: set[str]) -> set[str]:
        """`start` and every channel from which a path of these flows reaches one of them."""
        found = set(start)
        level = found
        for _ in range(self.LEVELS):
            if not level:
                return found
            level = self.feeding(level)
            level -= found
            found |= level
        feeders = self.feeders
        if feeders is None:
            feeders = self.feeders = {}
            for source, target in zip(self.sources, self.targets, strict=True):
                feeders.setdefault(target, []).append(source)
        queue = list(level)
        for node in queue:
            for source in feeders.get(node, ()):
                if source not in found:
                    found.add(source)
                    queue.append(source)
        return found


def graph_v2(
    ids: list[str],
    layers: list[Layer],
    flows: list[Flow],
    owner: object = None,
    lanes: tuple[list[Channel], ...] | None = None,
) -> GraphV2:
    """The graph of these channels and flows: the one built last for `owner` (a map) while the inputs
    compare equal, so that every open map keeps its own (a window scoring two maps never rebuilds).
    `lanes`: the same channels by layer in map order, when the caller has them."""

    def build() -> GraphV2:
        by_layer = None if lanes is None else tuple([c.id for c in lane] for lane in lanes)
        return GraphV2(ids, layers, flows, by_layer)

    return kept_per_map(
        owner,
        _SLOT,
        GraphV2,
        lambda last: last.ids == ids and last.layers == layers and last.flows == flows,
        build,
    )


_SLOT = "_coherence_v2_graph"
