"""The facts contract 2 reads from the flows alone (docs/score.md), built once per set of flows.

Why a module of its own, and why a cache: the score runs on the UI thread after
every edit, and most edits (a rename, a segment, a spend, an AI mark) change
no flow and no layer. Everything here depends only on the channel ids in map
order, their layers and the flows (rules and labels included), so `graph_v2`
hands back the object it built last for as long as those lists compare equal,
which is cheap because they hold the same objects. What also depends on text
(segments, functions, spend, AI) is computed per run in coherence_v2.py.

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
    """Valid flows indexed for contract 2. Invalid input (self-flows, unknown ends) is left out."""

    __slots__ = (
        "ids",
        "layers",
        "flows",
        "connected",
        "lanes",
        "outgoing",
        "incoming",
        "routed",
        "direct_targets",
        "entry_execution",
        "accountable",
        "decision_rows",
        "loop_credit",
        "measured",
        "handoffs",
        "unruled_upstream",
    )

    def __init__(self, ids: list[str], layers: list[Layer], flows: list[Flow]) -> None:
        self.ids, self.layers, self.flows = ids, layers, flows
        layer_of = dict(zip(ids, layers, strict=True))
        outgoing: dict[str, list[Flow]] = {}
        incoming: dict[str, list[Flow]] = {}
        for flow in flows:
            source, target = flow.source, flow.target
            if source == target or source not in layer_of or target not in layer_of:
                continue
            outgoing.setdefault(source, []).append(flow)
            incoming.setdefault(target, []).append(flow)
        self.outgoing, self.incoming = outgoing, incoming
        connected = self.connected = set(outgoing) | set(incoming)
        lanes: tuple[list[str], ...] = ([], [], [], [])
        for cid, layer in zip(ids, layers, strict=True):
            if cid in connected:
                lanes[_INDEX[layer]].append(cid)
        self.lanes = lanes
        # Routed signals, as contract 1 defines them: a path to execution through capture and routing
        # channels only, with a routing channel strictly between.
        self.routed = self._routed(layer_of)
        # Execution channels that originate deals: nothing flows in, something goes on to sales or routing.
        self.entry_execution = [
            cid
            for cid in lanes[2]
            if cid not in incoming
            and any(layer_of[f.target] in (_EXECUTION, _ROUTING) for f in outgoing[cid])
        ]
        # The execution channels each capture/routing channel sends to directly (a bypass names one).
        self.direct_targets = {
            cid: sorted({f.target for f in outgoing.get(cid, ()) if layer_of[f.target] is _EXECUTION})
            for cid in lanes[0]
        }
        # Per routing channel: the flows that decide (to capture, routing or execution), and which say how.
        rows: dict[str, tuple[int, list[str], list[str]]] = {}
        for cid in lanes[1]:
            deciding = [f for f in outgoing.get(cid, ()) if layer_of[f.target] is not _FEEDBACK]
            decided = [f.target for f in deciding if real_rule(f.rule) or layer_of[f.target] is _ROUTING]
            unruled = [
                f.target for f in deciding if not (real_rule(f.rule) or layer_of[f.target] is _ROUTING)
            ]
            rows[cid] = (len(deciding), decided, unruled)
        self.decision_rows = rows
        # Per feedback channel: its best loop (1 when the arrow says what it carries back, ½ when blank).
        loops: dict[str, float] = {}
        for cid in lanes[3]:
            best = 0.0
            for f in outgoing.get(cid, ()):
                if layer_of[f.target] is not _FEEDBACK:
                    best = max(best, 1.0 if (real_rule(f.rule) or f.label.strip()) else 0.5)
            loops[cid] = best
        self.loop_credit = loops
        self.measured = {
            cid for cid in lanes[2] if any(layer_of[f.target] is _FEEDBACK for f in outgoing.get(cid, ()))
        }
        # Accountable: a loop from feedback reaches the channel or something its signals pass through.
        entry = set(self.entry_execution)
        targets = [
            cid
            for cid in (*lanes[0], *lanes[1], *self.entry_execution)
            if any(layer_of[f.source] is _FEEDBACK for f in incoming.get(cid, ()))
        ]
        accountable = set(targets)
        queue = list(targets)
        for node in queue:
            if layer_of[node] not in _UPSTREAM:
                continue
            for f in incoming.get(node, ()):
                source = f.source
                if source not in accountable and (layer_of[source] in _UPSTREAM or source in entry):
                    accountable.add(source)
                    queue.append(source)
        self.accountable = accountable
        # Alignment: hand-offs to execution, and the unruled flows among capture and routing.
        self.handoffs = [
            f
            for cid in (*lanes[0], *lanes[1])
            for f in outgoing.get(cid, ())
            if layer_of[f.target] is _EXECUTION
        ]
        unruled_upstream: dict[str, list[str]] = {}
        for cid in (*lanes[0], *lanes[1]):
            for f in outgoing.get(cid, ()):
                if layer_of[f.target] in _UPSTREAM and not real_rule(f.rule):
                    unruled_upstream.setdefault(cid, []).append(f.target)
        self.unruled_upstream = unruled_upstream

    def _routed(self, layer_of: dict[str, Layer]) -> set[str]:
        """Capture/routing channels reaching execution through capture/routing channels, via routing.

        Two reverse searches, each flow looked at once by each: `near` is everything upstream of an
        execution channel through capture/routing channels; routed is what lies upstream of a routing
        channel in `near`.
        """
        incoming = self.incoming
        near: set[str] = set()
        queue: list[str] = []
        for cid in self.lanes[2]:
            for f in incoming.get(cid, ()):
                source = f.source
                if source not in near and layer_of[source] in _UPSTREAM:
                    near.add(source)
                    queue.append(source)
        for node in queue:
            for f in incoming.get(node, ()):
                source = f.source
                if source not in near and layer_of[source] in _UPSTREAM:
                    near.add(source)
                    queue.append(source)
        routed: set[str] = set()
        stack = [node for node in queue if layer_of[node] is _ROUTING]
        for node in stack:
            for f in incoming.get(node, ()):
                source = f.source
                if source not in routed and layer_of[source] in _UPSTREAM:
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
