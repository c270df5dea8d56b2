"""The indexes the coherence rules read (coherence.md): the flow graph, kept between runs, and the lanes.

Why a module of its own, and why a cache: the score runs on the UI thread
after every edit that is not a move, and most of those edits (a rename, a
segment, a message, a note) change no flow and no layer. Everything here
depends only on the channel ids in map order, their layers and the flows, so
`flow_graph` builds it once and hands the same object back for as long as
those three lists compare equal. Checking that is cheap (the elements are the
same objects, which compare by identity) next to a pass over every flow and
the path search. A graph is not changed once built (it only remembers a set
it computes on demand), so sharing it is safe.

The text helpers fold each field once per run with list comprehensions and
keep groups of channels as positions in their lane: per channel, that is the
least work CPython can do.
"""

from __future__ import annotations

from typing import Any

from desktop.domain.layers import LAYERS, Layer
from desktop.domain.model import Channel, Flow, fold
from desktop.domain.per_map import kept_per_map

_CAPTURE, _ROUTING, _EXECUTION, _FEEDBACK = LAYERS


class FlowGraph:
    """The valid flows of a map, indexed for the coherence rules, and the routed-signal search.

    Invalid input is never scored: self-flows and flows to or from unknown
    channels are left out of every index.
    """

    __slots__ = (
        "ids",
        "layers",
        "flows",
        "lanes",
        "layer_of",
        "routing_rows",
        "direct",
        "routed",
        "orphans",
        "unrouted",
        "unmeasured",
        "open_loops",
        "_reaches",
    )

    def __init__(self, ids: list[str], layers: list[Layer], flows: list[Flow]) -> None:
        self.ids, self.layers, self.flows = ids, layers, flows
        # The positions of each layer's channels in map order (the lanes of the rules).
        capture: list[int] = []
        routing: list[int] = []
        execution: list[int] = []
        feedback: list[int] = []
        for position, layer in enumerate(layers):
            if layer is _CAPTURE:
                capture.append(position)
            elif layer is _ROUTING:
                routing.append(position)
            elif layer is _EXECUTION:
                execution.append(position)
            elif layer is _FEEDBACK:
                feedback.append(position)
        self.lanes = (capture, routing, execution, feedback)
        layer_of = self.layer_of = dict(zip(ids, layers, strict=True))
        touched: set[str] = set()  # channels with a flow in or out
        measured: set[str] = set()  # execution channels with a flow to feedback
        closed: set[str] = set()  # feedback channels with a flow to capture or routing
        routing_out: dict[str, list[Flow]] = {}
        upstream_in: dict[str, list[str]] = {}  # channel → its capture/routing sources, in flow order
        touch = touched.add
        layer_at = layer_of.get
        for flow in flows:
            source = flow.source
            target = flow.target
            source_layer = layer_at(source)
            target_layer = layer_at(target)
            if source_layer is None or target_layer is None or source == target:
                continue
            touch(source)
            touch(target)
            if source_layer is _ROUTING or source_layer is _CAPTURE:
                if source_layer is _ROUTING:
                    out = routing_out.get(source)
                    if out is None:
                        routing_out[source] = [flow]
                    else:
                        out.append(flow)
                sources = upstream_in.get(target)
                if sources is None:
                    upstream_in[target] = [source]
                else:
                    sources.append(source)
            elif source_layer is _EXECUTION:
                if target_layer is _FEEDBACK:
                    measured.add(source)
            elif target_layer is _CAPTURE or target_layer is _ROUTING:
                closed.add(source)
        # Per routing channel, in map order: how many flows leave it, and the targets of those without a rule.
        self.routing_rows = [
            (len(out), [f.target for f in out if not (f.rule or "").strip()])
            for out in (routing_out.get(ids[i], ()) for i in self.lanes[1])
        ]
        self.direct, self.routed = self._paths_to_execution(upstream_in)
        # What the rules report, as positions in map order.
        self.unrouted = [i for i in self.lanes[0] if ids[i] not in self.routed]
        self.orphans = [i for i, cid in enumerate(ids) if cid not in touched]
        self.unmeasured = [i for i in self.lanes[2] if ids[i] not in measured]
        self.open_loops = [i for i in self.lanes[3] if ids[i] not in closed]
        self._reaches: set[str] | None = None

    def _paths_to_execution(self, upstream_in: dict[str, list[str]]) -> tuple[dict[str, str], set[str]]:
        """Which capture/routing channels reach execution through capture/routing channels only.

        Returns `direct`: channel id → an execution channel it reaches that way
        (any intermediates, possibly none), and `routed`: the channels that reach
        execution that way with at least one routing channel strictly between.
        Two reverse searches over the flows between capture/routing channels, each
        flow looked at once by each, so linear: `direct` is a breadth-first search
        from the execution channels in map order (the execution channel a message
        names is the nearest, first in map and flow order); `routed` is everything
        upstream of a routing channel in `direct`.
        """
        direct: dict[str, str] = {}
        queue: list[str] = []
        sources_of = upstream_in.get
        ids = self.ids
        for position in self.lanes[2]:
            target = ids[position]
            for source in sources_of(target, ()):
                if source not in direct:
                    direct[source] = target
                    queue.append(source)
        for node in queue:  # a list read while it grows is a FIFO queue
            sources = sources_of(node)
            if sources:
                target = direct[node]
                for source in sources:
                    if source not in direct:
                        direct[source] = target
                        queue.append(source)
        layer_of = self.layer_of
        routed: set[str] = set()
        stack = [node for node in queue if layer_of[node] is _ROUTING]
        for node in stack:
            sources = sources_of(node)
            if sources:
                for source in sources:
                    if source not in routed:
                        routed.add(source)
                        stack.append(source)
        return direct, routed

    def reaches_execution(self) -> set[str]:
        """Every channel with some directed path, through any layers, to an execution channel.

        Only a message needs it (an unrouted channel outside `direct`), so it is
        built on demand, with its own index of every valid flow.
        """
        if self._reaches is not None:
            return self._reaches
        layer_of = self.layer_of
        sources_of: dict[str, list[str]] = {}
        for flow in self.flows:
            if flow.source != flow.target and flow.source in layer_of and flow.target in layer_of:
                sources_of.setdefault(flow.target, []).append(flow.source)
        seen = {self.ids[position] for position in self.lanes[2]}
        queue = list(seen)
        for node in queue:
            for source in sources_of.get(node, ()):
                if source not in seen:
                    seen.add(source)
                    queue.append(source)
        self._reaches = seen
        return seen


def flow_graph(ids: list[str], layers: list[Layer], flows: list[Flow], owner: object = None) -> FlowGraph:
    """The graph of these channels and flows: the one built last for `owner` (a map) while the inputs
    compare equal. Equal inputs give an equal graph (flows are immutable values), so reusing it never
    changes a result; each open map keeps its own, so a window scoring two maps never rebuilds."""
    return kept_per_map(
        owner,
        _SLOT,
        FlowGraph,
        lambda last: last.ids == ids and last.layers == layers and last.flows == flows,
        lambda: FlowGraph(ids, layers, flows),
    )


_SLOT = "_coherence_v1_graph"


def fold_all(channels: list[Channel], attribute: str) -> list[str]:
    """One text field of many channels, folded, at list-comprehension speed (None is blank, as in `fold`)."""
    try:
        match attribute:
            case "name":
                return [c.name.strip().casefold() for c in channels]
            case "function":
                return [c.function.strip().casefold() for c in channels]
            case "segment":
                return [c.segment.strip().casefold() for c in channels]
            case "message":
                return [c.message.strip().casefold() for c in channels]
            case _:
                return [c.motion.strip().casefold() for c in channels]
    except AttributeError:  # a None field (never in a checked map): fold it as `fold` does
        return [fold(getattr(c, attribute)) for c in channels]


def text_groups(texts: list[str]) -> dict[str, list[int]]:
    """Positions grouped by folded text, groups in order of first appearance, positions in order.

    Texts repeat (a catalog's functions, a handful of segments), so grouping by
    the text as typed and then folding each distinct text once is cheaper than
    folding every channel's.
    """
    typed: dict[str, list[int]] = {}
    for position, text in enumerate(texts):
        group = typed.get(text)
        if group is None:
            typed[text] = [position]
        else:
            group.append(position)
    groups: dict[str, list[int]] = {}
    merged = False
    for text, positions in typed.items():
        key = fold(text)
        group = groups.get(key)
        if group is None:
            groups[key] = positions
        else:
            group += positions
            merged = True
    if merged:
        for group in groups.values():
            group.sort()
    return groups


class Lane:
    """The channels of one layer in map order; their ids and names are read once, when first named.

    Findings list channels in name order (folded, then as typed). A group of
    channels is a list of positions in its lane, sorted by a key read from a
    list and turned into ids and names by `map`, so that no Python function runs
    per channel.
    """

    __slots__ = ("channels", "ids", "names", "folded", "keys")

    def __init__(self, channels: list[Channel]) -> None:
        self.channels = channels
        self.keys: list[Any] | None = None

    def read_names(self) -> list[Any]:
        """Read the ids and names, fold the names, and return the sort keys (folded, then as typed)."""
        channels = self.channels
        self.ids = [c.id for c in channels]
        names = self.names = [c.name for c in channels]
        folded = self.folded = fold_all(channels, "name")
        unique = len(set(folded)) == len(folded)
        self.keys = folded if unique else list(zip(folded, names, strict=True))
        return self.keys
