"""What contract 2 reads of each channel's own text, derived once per channel object and kept on its map.

Why: the score runs on the UI thread after every edit, and the rules read the
same few things of every channel again and again (its name trimmed and folded,
its function, its segment and segment key, its spend). Channels are immutable:
an edit replaces the edited channel's object and keeps every other one, so a
channel's facts stay right for as long as the map holds the very same object.
`channel_facts` keeps them on the map and, after an edit, derives them again
only for the channels whose object changed (a rename: one channel of 500).
A map just read (the `score` command) derives all of them in one pass over
its channels, each key function applied once per distinct value; what the map
already holds it copies at C speed instead (its channels by id, and its name
index, which gives every folded name when no two channels share one). Names
sort by their folded form alone then, as strings sort faster than pairs.

Nothing here depends on flows; coherence_v2_graph.py keeps what depends on them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from desktop.domain.layers import LAYERS, Layer
from desktop.domain.model import ArchitectureMap, Channel, fold
from desktop.domain.vocabulary import function_key, message_key, motion_key, segment_key

_CAPTURE, _ROUTING, _EXECUTION = LAYERS[:3]
_SLOT = "_coherence_v2_facts"


class ChannelFacts:
    """The channels of one map in map order, by id and by layer, and per id what the rules read.

    The per-id dicts may hold entries of channels the map no longer has: they are only ever read
    for channels the map holds now, and each entry belongs to the object in `known`.
    """

    __slots__ = (
        "channels",
        "ids",
        "layers",
        "by_id",
        "all_lanes",
        "known",
        "names",
        "folded",
        "name_keys",
        "functions",
        "segments",
        "segment_keys",
        "spends",
        "message_keys",
        "motion_keys",
        "partner_motions",
        "tool_names",
        "memo",
    )

    def __init__(self) -> None:
        self.channels: list[Channel] = []
        self.ids: list[str] = []
        self.layers: list[Layer] = []
        self.by_id: dict[str, Channel] = {}
        self.all_lanes: tuple[list[Channel], ...] = ([], [], [], [])
        self.known: dict[str, Channel] = {}  # the channel object each id's facts were derived from
        self.names: dict[str, str] = {}  # the name, trimmed (as every message writes it)
        self.folded: dict[str, str] = {}  # the name trimmed and case-folded
        # Name order: (folded, as written); the folded name alone (`folded` itself) when no two channels
        # share it, as in every valid map: strings sort faster than pairs, in the same order.
        self.name_keys: dict[str, str] | dict[str, tuple[str, str]] = {}
        self.functions: dict[str, str] = {}  # function_key of the function ("" is blank)
        self.segments: dict[str, str] = {}  # the segment, trimmed ("" is blank)
        self.segment_keys: dict[str, str] = {}
        self.spends: dict[str, float] = {}  # the monthly spend when positive, else 0
        self.message_keys: dict[str, str] = {}  # capture and execution: the narrative of the message
        self.motion_keys: dict[str, str] = {}  # execution only, as the next one
        self.partner_motions: dict[str, bool] = {}  # its motion names partners ("partner-led")
        self.tool_names: dict[str, str] = {}  # "HubSpot forms on HubSpot", filled when first asked
        self.memo: dict[object, tuple[list[object], list[Any]]] = {}  # see SegmentRules.replay

    def refresh(
        self,
        channels: list[Channel],
        unique: bool | None = None,
        index: Callable[[], dict[str, Channel]] | None = None,
        keys: Callable[[], dict[str, str] | None] | None = None,
    ) -> None:
        """Take the map's channels as they are now; derive facts again only for changed objects.

        When the caller knows: `unique`, whether no two channels share a folded name; `index`, which
        gives a new dict of the same channels by id; `keys`, which gives their folded names by id
        when unique (a map has all three at hand).
        """
        self.channels = channels
        if not self.known:  # nothing derived yet (a map just read): every channel is new
            by_id = index() if index is not None else {c.id: c for c in channels}
            folded = keys() if keys is not None else None
            if folded is None:
                folded = {c.id: c.name.strip().casefold() for c in channels}
            self._learn_all(channels, by_id, folded)
        else:
            self._learn_changed(channels)
        folded = self.folded
        if unique is None:
            unique = len(set(map(folded.__getitem__, self.ids))) == len(channels)
        self.name_keys = folded if unique else {c.id: (folded[c.id], c.name) for c in channels}

    def _learn_changed(self, channels: list[Channel]) -> None:
        """The lanes again, and the facts of the channels whose object changed."""
        ids = self.ids = [c.id for c in channels]
        layers = self.layers = [c.layer for c in channels]
        self.by_id = dict(zip(ids, channels, strict=True))
        lanes: tuple[list[Channel], ...] = ([], [], [], [])
        capture, routing, execution, feedback = (lane.append for lane in lanes)
        for channel, layer in zip(channels, layers, strict=True):
            if layer is _CAPTURE:
                capture(channel)
            elif layer is _EXECUTION:
                execution(channel)
            elif layer is _ROUTING:
                routing(channel)
            else:
                feedback(channel)
        self.all_lanes = lanes
        known = self.known
        changed = [c for c in channels if known.get(c.id) is not c]
        if changed:
            self._learn(changed)

    def _learn_all(self, channels: list[Channel], by_id: dict[str, Channel], folded: dict[str, str]) -> None:
        """Derive every fact of every channel of a map in one pass over its channels (each channel's
        id is then looked at once, not once per fact), each key function applied once per distinct
        value (10,000 channels have few distinct functions, segments, messages and motions).
        `by_id` and `folded`: the same channels and their folded names by id, new dicts (kept)."""
        lanes: tuple[list[Channel], ...] = ([], [], [], [])
        names: dict[str, str] = {}
        functions: dict[str, str] = {}
        segments: dict[str, str] = {}
        segment_keys: dict[str, str] = {}
        spends: dict[str, float] = {}
        message_keys: dict[str, str] = {}
        motion_keys: dict[str, str] = {}
        partner_motions: dict[str, bool] = {}
        # Each key function once per distinct value (a plain dict: its lookups are the fastest).
        function_of: dict[str, str] = {}
        segment_of: dict[str, tuple[str, str]] = {}
        message_of: dict[str, str] = {}
        motion_of: dict[str, tuple[str, bool]] = {}
        capture, routing, execution, feedback = (lane.append for lane in lanes)
        for channel in channels:
            cid = channel.id
            layer = channel.layer
            names[cid] = channel.name.strip()
            function = channel.function
            try:
                functions[cid] = function_of[function]
            except KeyError:
                functions[cid] = function_of[function] = function_key(function)
            segment = channel.segment
            try:
                segments[cid], segment_keys[cid] = segment_of[segment]
            except KeyError:
                segments[cid], segment_keys[cid] = segment_of[segment] = _segment(segment)
            spend = channel.monthly_spend
            spends[cid] = spend if spend is not None and spend > 0 else 0.0
            # Messages are compared in capture and execution, motions in execution only.
            if layer is _CAPTURE or layer is _EXECUTION:
                message = channel.message
                try:
                    message_keys[cid] = message_of[message]
                except KeyError:
                    message_keys[cid] = message_of[message] = message_key(message)
                if layer is _CAPTURE:
                    capture(channel)
                    continue
                execution(channel)
                motion = channel.motion
                try:
                    motion_keys[cid], partner_motions[cid] = motion_of[motion]
                except KeyError:
                    motion_keys[cid], partner_motions[cid] = motion_of[motion] = _motion(motion)
            elif layer is _ROUTING:
                routing(channel)
            else:
                feedback(channel)
        # The ids as the map lists them (the dict's keys unless an id repeats, which no valid map does).
        self.ids = list(by_id) if len(by_id) == len(channels) else [c.id for c in channels]
        self.layers = [c.layer for c in channels]
        self.all_lanes, self.by_id = lanes, by_id
        self.known = by_id.copy()
        self.names, self.folded, self.functions = names, folded, functions
        self.segments, self.segment_keys, self.spends = segments, segment_keys, spends
        self.message_keys, self.motion_keys, self.partner_motions = message_keys, motion_keys, partner_motions

    def _learn(self, changed: list[Channel]) -> None:
        """Derive the facts of these channels (those whose object changed since the last refresh)."""
        ids = [c.id for c in changed]

        def column(facts: dict[str, Any], values: Iterable[Any]) -> None:
            facts.update(zip(ids, values, strict=True))

        column(self.known, changed)
        written = [c.name for c in changed]
        names = [name.strip() for name in written]
        column(self.names, names)
        column(self.folded, [name.casefold() for name in names])
        column(self.functions, map(function_key, [c.function for c in changed]))
        segments = [c.segment for c in changed]
        column(self.segments, [segment.strip() for segment in segments])
        column(self.segment_keys, map(segment_key, segments))
        spends = [c.monthly_spend for c in changed]
        column(self.spends, [s if s is not None and s > 0 else 0.0 for s in spends])
        # Messages are compared in capture and execution, motions in execution only.
        told = [c for c in changed if c.layer is _EXECUTION or c.layer is _CAPTURE]
        told_ids = [c.id for c in told]
        self.message_keys.update(zip(told_ids, map(message_key, [c.message for c in told]), strict=True))
        acting = [c for c in told if c.layer is _EXECUTION]
        acting_ids = [c.id for c in acting]
        motions = [c.motion for c in acting]
        self.motion_keys.update(zip(acting_ids, map(motion_key, motions), strict=True))
        self.partner_motions.update(zip(acting_ids, map(_partners, motions), strict=True))
        if self.tool_names:
            for cid in ids:
                self.tool_names.pop(cid, None)

    def tool_name(self, channel: Channel) -> str:
        """The name a duplicate finding lists a channel by: its name, and its tool when the name lacks it."""
        found = self.tool_names.get(channel.id)
        if found is None:
            tool = channel.tool.strip()
            name = self.names[channel.id]
            found = f"{name} on {tool}" if tool and fold(tool) not in fold(channel.name) else name
            self.tool_names[channel.id] = found
        return found


def _partners(motion: str) -> bool:
    """Whether a motion names partners ("partner-led")."""
    return "partner" in fold(motion)


def _segment(segment: str) -> tuple[str, str]:
    """A segment trimmed, and its key."""
    return segment.strip(), segment_key(segment)


def _motion(motion: str) -> tuple[str, bool]:
    """A motion's key, and whether it names partners."""
    return motion_key(motion), _partners(motion)


def channel_facts(arch: ArchitectureMap) -> ChannelFacts:
    """The facts of a map's channels, kept on the map and brought up to date with its channels."""
    channels = arch.channels
    facts = arch.__dict__.get(_SLOT)
    if not isinstance(facts, ChannelFacts):
        facts = arch.__dict__[_SLOT] = ChannelFacts()
    if facts.channels != channels:  # the same objects in the same order compare by identity: cheap
        facts.refresh(channels, arch.names_unique, arch.channel_index, arch.keys_by_id)
    return facts
