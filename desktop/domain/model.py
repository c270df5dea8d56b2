"""Channels, flows and the map that holds them.

The map keeps adjacency indexes so that the coherence engine and the canvas
can ask "what flows leave this channel" in constant time, and so that every
edit stays linear in the size of what it touches.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields, make_dataclass, replace
from itertools import starmap
from operator import attrgetter, eq
from typing import Any

from desktop.domain.layers import Layer

TEXT_FIELDS: tuple[str, ...] = ("function", "tool", "segment", "motion", "message", "notes")
NUMBER_FIELDS: tuple[str, ...] = ("monthly_spend", "leads_per_month")
CHANNEL_FIELDS: tuple[str, ...] = ("name", "layer", *TEXT_FIELDS, *NUMBER_FIELDS, "x", "y", "automation")
AI = "ai"  # the one non-blank value of Channel.automation
DEFAULT_CURRENCY = "USD"
FLOW_FIELDS: tuple[str, ...] = ("rule", "label")


def fold(text: str | None) -> str:
    """Text as the contract compares it: trimmed and case-folded; None is blank."""
    return (text or "").strip().casefold()


@dataclass(frozen=True, slots=True)
class Channel:
    """One channel or tool placed in a layer. Immutable: edits replace it."""

    id: str
    name: str
    layer: Layer
    function: str = ""
    tool: str = ""
    segment: str = ""
    motion: str = ""
    message: str = ""
    monthly_spend: float | None = None
    leads_per_month: float | None = None
    notes: str = ""
    x: float | None = None
    y: float | None = None
    ord: int = 0
    automation: str = ""  # "ai": it acts or decides through AI without a person approving each action

    def with_changes(self, **changes: object) -> Channel:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def key(self) -> str:
        """The name as names are compared for uniqueness."""
        return fold(self.name)

    @property
    def is_ai(self) -> bool:
        return self.automation == AI


@dataclass(frozen=True, slots=True)
class Flow:
    """A directed flow of signals or leads from one channel to another."""

    source: str
    target: str
    rule: str = ""
    label: str = ""
    ord: int = 0

    @property
    def pair(self) -> tuple[str, str]:
        return (self.source, self.target)

    def with_changes(self, **changes: object) -> Flow:
        return replace(self, **changes)  # type: ignore[arg-type]


_SOURCE = attrgetter("source")
_TARGET = attrgetter("target")
_TWINS: dict[type, type] = {}


def _open_twin(kind: type) -> type:
    """A plain (not frozen) slots class with `kind`'s fields in the same order, so the same layout.

    A frozen dataclass sets each field through `object.__setattr__` in `__init__`, which makes
    building 10,000 channels three times slower than a plain class does. Readers of whole files
    build the twin and then give the object `kind` as its class: it is then a `kind` in every way.
    Made on first use (making a dataclass costs a millisecond that starting the app need not pay).
    """
    twin = _TWINS.get(kind)
    if twin is None:
        twin = _TWINS[kind] = make_dataclass(
            f"_Open{kind.__name__}", [f.name for f in fields(kind)], slots=True, eq=False
        )
    return twin


def build_channels(*columns: Iterable[object]) -> list[Channel]:
    """Channels from one column per field, in `Channel`'s field order, for readers of whole maps that
    checked every value already (no checks here)."""
    return _taking(Channel, map(_open_twin(Channel), *columns))


def build_flows(*columns: Iterable[object]) -> list[Flow]:
    """Flows from the columns source, target, rule, label and ord (no checks here)."""
    return _taking(Flow, map(_open_twin(Flow), *columns))


def channels_from_rows(rows: Iterable[Iterable[object]]) -> list[Channel]:
    """Channels from one row of values per channel, in `Channel`'s field order (no checks here)."""
    return _taking(Channel, starmap(_open_twin(Channel), rows))


def _taking(kind: type, twins: Iterable[Any]) -> list[Any]:
    """The twins, each now of class `kind` (same fields, same layout)."""
    made = list(twins)
    for twin in made:
        twin.__class__ = kind
    return made


@dataclass(slots=True)
class MapInfo:
    """The map's own metadata."""

    name: str = "Untitled map"
    description: str = ""
    created: str = ""
    modified: str = ""
    currency: str = DEFAULT_CURRENCY  # ISO 4217; the `currency` setting of a .distarch file


@dataclass
class ArchitectureMap:
    """A whole distribution architecture: metadata, channels and flows.

    Channels and flows are kept in creation order (`ord`), which is also the
    order of every export, so that JSON round trips are identical.
    """

    info: MapInfo = field(default_factory=MapInfo)
    _channels: dict[str, Channel] = field(default_factory=dict)
    _flows: dict[tuple[str, str], Flow] = field(default_factory=dict)
    # Per channel id, its flows out and in (derived from _flows, so never compared): `bulk` leaves them
    # empty with `_unindexed` set, and the first reader of flows by channel builds them.
    _out: dict[str, dict[str, Flow]] = field(default_factory=dict, compare=False, repr=False)
    _in: dict[str, dict[str, Flow]] = field(default_factory=dict, compare=False, repr=False)
    _names: dict[str, str] = field(default_factory=dict)
    _unindexed: bool = field(default=False, compare=False, repr=False)

    @classmethod
    def build(
        cls,
        channels: Iterable[Channel] = (),
        flows: Iterable[Flow] = (),
        info: MapInfo | None = None,
    ) -> ArchitectureMap:
        """Build a map from trusted parts (already validated)."""
        arch = cls(info=info or MapInfo())
        for channel in sorted(channels, key=lambda c: c.ord):
            arch.put_channel(channel)
        for flow in sorted(flows, key=lambda f: f.ord):
            arch.put_flow(flow)
        return arch

    @classmethod
    def bulk(
        cls, channels: list[Channel], flows: list[Flow], info: MapInfo, *, ends_checked: bool = False
    ) -> ArchitectureMap | None:
        """A map from parts in `ord` order that a store already validated, built in one pass.

        Returns None when the parts break an invariant the indexes rely on (a repeated id, name
        or pair, a flow to an unknown channel or to itself): the caller then validates them fully.
        `ends_checked`: the caller made sure that every flow joins two different channels of these.
        """
        arch = cls(info=info)
        arch._channels = {c.id: c for c in channels}
        arch._names = {c.name.strip().casefold(): c.id for c in channels}
        arch._flows = {(f.source, f.target): f for f in flows}
        if len(arch._channels) != len(channels) or len(arch._names) != len(channels):
            return None
        if len(arch._flows) != len(flows):
            return None
        if not ends_checked:
            known = set(arch._channels)
            sources, targets = list(map(_SOURCE, flows)), list(map(_TARGET, flows))
            if not (known.issuperset(sources) and known.issuperset(targets)) or any(
                map(eq, sources, targets)
            ):
                return None
        arch._unindexed = bool(flows)  # a reader that never asks for flows by channel never pays for them
        return arch

    def _index(self) -> None:
        """The flows by channel, built on first use after `bulk`."""
        out: dict[str, dict[str, Flow]] = {}
        into: dict[str, dict[str, Flow]] = {}
        for f in self._flows.values():
            source, target = f.source, f.target
            found = out.get(source)
            if found is None:
                out[source] = {target: f}
            else:
                found[target] = f
            found = into.get(target)
            if found is None:
                into[target] = {source: f}
            else:
                found[source] = f
        self._out, self._in, self._unindexed = out, into, False

    # --- reading -----------------------------------------------------------
    @property
    def channels(self) -> list[Channel]:
        return list(self._channels.values())

    @property
    def flows(self) -> list[Flow]:
        return list(self._flows.values())

    def __len__(self) -> int:
        return len(self._channels)

    def iter_channels(self) -> Iterator[Channel]:
        return iter(self._channels.values())

    def channel(self, channel_id: str) -> Channel:
        return self._channels[channel_id]

    def has_channel(self, channel_id: str) -> bool:
        return channel_id in self._channels

    def channel_index(self) -> dict[str, Channel]:
        """The channels by id, in map order (a copy: a dict copies at C speed, and stays as it is)."""
        return self._channels.copy()

    @property
    def names_unique(self) -> bool:
        """No two channels share a name as names are compared (`key`), as in every valid map.

        The name index holds one entry per distinct name, each naming a channel that has it.
        """
        return len(self._names) == len(self._channels)

    def keys_by_id(self) -> dict[str, str] | None:
        """Each channel's `key` by its id (a new dict) when `names_unique`, else None: the name index
        inverted, at C speed (the score sorts names by their keys)."""
        names = self._names
        return dict(zip(names.values(), names, strict=True)) if len(names) == len(self._channels) else None

    def channel_by_name(self, name: str) -> Channel | None:
        found = self._names.get(fold(name))
        return self._channels[found] if found else None

    def flow(self, source: str, target: str) -> Flow | None:
        return self._flows.get((source, target))

    def outgoing(self, channel_id: str) -> list[Flow]:
        if self._unindexed:
            self._index()
        return list(self._out.get(channel_id, {}).values())

    def incoming(self, channel_id: str) -> list[Flow]:
        if self._unindexed:
            self._index()
        return list(self._in.get(channel_id, {}).values())

    def flows_of(self, channel_id: str) -> list[Flow]:
        """Every flow that touches the channel, each once."""
        if self._unindexed:
            self._index()
        seen = dict(self._out.get(channel_id, {}))
        result = list(seen.values())
        result += [f for f in self._in.get(channel_id, {}).values() if f.source != channel_id]
        return result

    def in_layer(self, layer: Layer) -> list[Channel]:
        return [c for c in self._channels.values() if c.layer is layer]

    def next_channel_ord(self) -> int:
        """One past the last `ord` (channels are kept in `ord` order, so this is O(1))."""
        last = next(reversed(self._channels.values()), None)
        return (last.ord if last else 0) + 1

    def next_flow_ord(self) -> int:
        last = next(reversed(self._flows.values()), None)
        return (last.ord if last else 0) + 1

    def next_channel_id(self) -> str:
        """A new, globally unique id (a UUID), so channels made in two copies of a map never collide
        when the maps meet again (a team library, a merge); ids already in a map are kept as they are."""
        import uuid  # here: uuid imports platform, a few ms of every start that opens a map and adds nothing

        while True:
            candidate = str(uuid.uuid4())
            if candidate not in self._channels:
                return candidate

    def unique_name(self, wanted: str, exclude: str | None = None) -> str:
        """`wanted`, or "wanted 2", "wanted 3"… when the name is taken."""
        base = wanted.strip() or "Channel"
        owner = self._names.get(fold(base))
        if owner is None or owner == exclude:
            return base
        n = 2
        while True:
            candidate = f"{base} {n}"
            owner = self._names.get(fold(candidate))
            if owner is None or owner == exclude:
                return candidate
            n += 1

    def copy(self) -> ArchitectureMap:
        return ArchitectureMap.build(self.channels, self.flows, replace(self.info))

    def same_content(self, other: ArchitectureMap) -> bool:
        """Equal channels and flows (metadata times aside)."""
        return (
            self.channels == other.channels
            and self.flows == other.flows
            and (self.info.name, self.info.description) == (other.info.name, other.info.description)
        )

    # --- low-level mutation (used by edits; no validation here) -------------
    def put_channel(self, channel: Channel) -> None:
        """Insert or replace a channel, keeping `ord` order."""
        old = self._channels.get(channel.id)
        if old is not None and self._names.get(old.key) == old.id:
            del self._names[old.key]
        last = next(reversed(self._channels.values()), None) if self._channels else None
        in_order = old is not None and old.ord == channel.ord
        if old is None and (last is None or last.ord < channel.ord):
            in_order = True
        self._channels[channel.id] = channel
        if not in_order:
            ordered = sorted(self._channels.values(), key=lambda c: c.ord)
            self._channels = {c.id: c for c in ordered}
        self._names[channel.key] = channel.id

    def drop_channel(self, channel_id: str) -> Channel:
        if self._unindexed:
            self._index()
        channel = self._channels.pop(channel_id)
        if self._names.get(channel.key) == channel_id:
            del self._names[channel.key]
        self._out.pop(channel_id, None)
        self._in.pop(channel_id, None)
        return channel

    def put_flow(self, flow: Flow) -> None:
        if self._unindexed:
            self._index()
        old = self._flows.get(flow.pair)
        last = next(reversed(self._flows.values()), None) if self._flows else None
        in_order = (old is not None and old.ord == flow.ord) or (
            old is None and (last is None or last.ord < flow.ord)
        )
        self._flows[flow.pair] = flow
        if not in_order:
            ordered = sorted(self._flows.values(), key=lambda f: f.ord)
            self._flows = {f.pair: f for f in ordered}
        self._out.setdefault(flow.source, {})[flow.target] = flow
        self._in.setdefault(flow.target, {})[flow.source] = flow

    def drop_flow(self, source: str, target: str) -> Flow:
        if self._unindexed:
            self._index()
        flow = self._flows.pop((source, target))
        self._out.get(source, {}).pop(target, None)
        self._in.get(target, {}).pop(source, None)
        return flow
