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

from desktop.domain.layers import LAYERS, Layer
from desktop.domain.model import Flow
from desktop.domain.per_map import kept_per_map
from desktop.domain.vocabulary import real_rule

_CAPTURE, _ROUTING, _EXECUTION, _FEEDBACK = LAYERS
_UPSTREAM = (_CAPTURE, _ROUTING)
_INDEX = {layer: i for i, layer in enumerate(LAYERS)}


class GraphV2:
    """Valid flows indexed for contract 2. Invalid input (self-flows, unknown ends) is left out.

    Only what the rules read is kept (not every channel's flows): one pass over the flows reads each
    flow by its two layers, since this runs again after every edit of a flow.
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
        "unruled_upstream",
        "captured",
        "routes_onward",
        "measures",
        "loops_back",
        "memo",
    )

    def __init__(self, ids: list[str], layers: list[Layer], flows: list[Flow]) -> None:
        self.ids, self.layers, self.flows = ids, layers, flows
        self.memo: dict[str, object] = {}  # what the rules derive from this graph and a few channel facts
        layer_of = dict(zip(ids, layers, strict=True))
        senders: set[str] = set()
        receivers: set[str] = set()
        onward: set[str] = set()  # execution channels that send on to execution or routing
        routes_onward: set[str] = set()  # execution channels that send to routing
        upstream_of: dict[str, list[str]] = {}  # per execution channel: the capture/routing it sends to
        direct: dict[str, set[str]] = {}  # per capture channel: the execution channels it sends to
        rows: dict[str, tuple[list[str], list[str]]] = {}  # per routing channel: decided, unruled
        loops: dict[str, float] = {}  # per feedback channel: its best loop
        loops_back: set[str] = set()  # feedback channels that send to capture or routing
        measured: set[str] = set()  # execution channels that send to feedback
        measures: dict[str, list[str]] = {}  # per feedback channel: the execution channels sending to it
        fed_back: set[str] = set()  # channels a feedback channel loops into
        handoffs: dict[str, list[Flow]] = {}  # per capture/routing channel: its flows to execution
        unruled_upstream: dict[str, list[str]] = {}  # per capture/routing channel: unruled flows among them
        feeders: dict[str, list[str]] = {}  # per channel: the capture/routing channels that flow into it
        captured: dict[str, int] = {}  # per routing channel: how many capture channels flow into it
        for flow in flows:
            source, target = flow.source, flow.target
            source_layer = layer_of.get(source)
            target_layer = layer_of.get(target)
            if source_layer is None or target_layer is None or source == target:
                continue
            senders.add(source)
            receivers.add(target)
            if source_layer is _EXECUTION:
                if target_layer is _FEEDBACK:
                    measured.add(source)
                    measures.setdefault(target, []).append(source)
                elif target_layer is _EXECUTION:
                    onward.add(source)
                else:
                    upstream_of.setdefault(source, []).append(target)
                    if target_layer is _ROUTING:
                        onward.add(source)
                        routes_onward.add(source)
            elif source_layer is _FEEDBACK:
                if target_layer is not _FEEDBACK:
                    fed_back.add(target)
                    credit = 1.0 if (real_rule(flow.rule) or flow.label.strip()) else 0.5
                    if credit > loops.get(source, 0.0):
                        loops[source] = credit
                    if target_layer is not _EXECUTION:
                        loops_back.add(source)
            else:  # from capture or routing
                fed = feeders.get(target)
                if fed is None:
                    feeders[target] = [source]
                else:
                    fed.append(source)
                if target_layer is _FEEDBACK:
                    continue
                ruled = real_rule(flow.rule)
                if target_layer is _EXECUTION:
                    handoffs.setdefault(source, []).append(flow)
                    if source_layer is _CAPTURE:
                        direct.setdefault(source, set()).add(target)
                else:
                    if not ruled:
                        unruled_upstream.setdefault(source, []).append(target)
                    if source_layer is _CAPTURE and target_layer is _ROUTING:
                        captured[target] = captured.get(target, 0) + 1
                if source_layer is _ROUTING:  # a flow that decides, and whether it says how
                    row = rows.get(source)
                    if row is None:
                        row = rows[source] = ([], [])
                    row[0 if ruled or target_layer is _ROUTING else 1].append(target)
        connected = self.connected = senders | receivers
        lanes: tuple[list[str], ...] = ([], [], [], [])
        index = _INDEX
        for cid, layer in zip(ids, layers, strict=True):
            if cid in connected:
                lanes[index[layer]].append(cid)
        self.lanes = lanes
        # Routed signals, as contract 1 defines them: a path to execution through capture and routing
        # channels only, with a routing channel strictly between.
        self.routed = _routed(lanes[2], feeders, layer_of)
        # Execution channels that originate deals: nothing flows in, something goes on to sales or routing.
        self.entry_execution = [cid for cid in lanes[2] if cid not in receivers and cid in onward]
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
        self.loop_credit = {cid: loops.get(cid, 0.0) for cid in lanes[3]}
        self.loops_back = loops_back
        self.measures = measures
        self.measured = measured
        # Accountable: a loop from feedback reaches the channel or something its signals pass through
        # (capture and routing channels upstream of it, and the deal-originating channels sending to them).
        queue = [cid for cid in (*lanes[0], *lanes[1]) if cid in fed_back]
        accountable = set(queue)
        for node in queue:
            for source in feeders.get(node, ()):
                if source not in accountable:
                    accountable.add(source)
                    queue.append(source)
        for cid in self.entry_execution:
            if cid in fed_back or any(target in accountable for target in upstream_of.get(cid, ())):
                accountable.add(cid)
        self.accountable = accountable
        # Alignment: hand-offs to execution (in lane order), and the unruled flows among capture and routing.
        self.handoffs = [f for cid in (*lanes[0], *lanes[1]) for f in handoffs.get(cid, ())]
        self.unruled_upstream = unruled_upstream
        self.captured = captured  # the front door is the routing channel most capture channels flow into


def _routed(execution: list[str], feeders: dict[str, list[str]], layer_of: dict[str, Layer]) -> set[str]:
    """Capture/routing channels reaching execution through capture/routing channels, via routing.

    Two reverse searches along `feeders` (the capture/routing channels flowing into each channel), each
    flow looked at once by each: `near` is everything upstream of an execution channel through
    capture/routing channels; routed is what lies upstream of a routing channel in `near`.
    """
    near: set[str] = set()
    queue: list[str] = []
    for cid in execution:
        for source in feeders.get(cid, ()):
            if source not in near:
                near.add(source)
                queue.append(source)
    for node in queue:
        for source in feeders.get(node, ()):
            if source not in near:
                near.add(source)
                queue.append(source)
    routed: set[str] = set()
    stack = [node for node in queue if layer_of[node] is _ROUTING]
    for node in stack:
        for source in feeders.get(node, ()):
            if source not in routed:
                routed.add(source)
                stack.append(source)
    return routed


def graph_v2(ids: list[str], layers: list[Layer], flows: list[Flow], owner: object = None) -> GraphV2:
    """The graph of these channels and flows: the one built last for `owner` (a map) while the inputs
    compare equal, so that every open map keeps its own (a window scoring two maps never rebuilds)."""
    return kept_per_map(
        owner,
        _SLOT,
        GraphV2,
        lambda last: last.ids == ids and last.layers == layers and last.flows == flows,
        lambda: GraphV2(ids, layers, flows),
    )


_SLOT = "_coherence_v2_graph"
