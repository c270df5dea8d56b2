"""Primitive edits of a map, each with an exact inverse.

A user's action (a drop, a move, a delete with its flows) is a list of these.
The undo commands apply the list to the domain map and hand the same list to
the store, which writes it in one transaction; undo applies the inverses in
reverse. Keeping edits as data is what lets the file always equal the window.

Field-level updates: `UpdateChannel(channel, fields)` with `fields` set changes
only those fields of the channel (the others keep what the map holds, so two
people editing different fields of one channel both keep theirs); its inverse
carries the previous values of the same fields. The document layer narrows
every whole-channel update to the fields it changes (`apply_narrowed`).
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.domain.model import ArchitectureMap, Channel, Flow, MapInfo
from desktop.domain.validation import check_channel, check_flow
from desktop.domain.vocabulary import parse_currency


@dataclass(frozen=True, slots=True)
class AddChannel:
    channel: Channel


@dataclass(frozen=True, slots=True)
class RemoveChannel:
    channel_id: str


@dataclass(frozen=True, slots=True)
class UpdateChannel:
    """Replace a channel by a new value with the same id; with `fields`, only those fields of it."""

    channel: Channel
    fields: tuple[str, ...] | None = None

    def merged(self, old: Channel) -> Channel:
        """The channel after this update of `old`."""
        if self.fields is None:
            return self.channel
        return old.with_changes(**{name: getattr(self.channel, name) for name in self.fields})


@dataclass(frozen=True, slots=True)
class AddFlow:
    flow: Flow


@dataclass(frozen=True, slots=True)
class RemoveFlow:
    source: str
    target: str


@dataclass(frozen=True, slots=True)
class UpdateFlow:
    flow: Flow


@dataclass(frozen=True, slots=True)
class SetInfo:
    """The map's name and description; `currency` (ISO 4217) too when not None (the map's properties)."""

    name: str
    description: str
    currency: str | None = None


Edit = AddChannel | RemoveChannel | UpdateChannel | AddFlow | RemoveFlow | UpdateFlow | SetInfo


def check(arch: ArchitectureMap, edit: Edit) -> None:
    """Raise MapError if the edit would break the map's rules; change nothing."""
    match edit:
        case AddChannel(channel):
            check_channel(arch, channel)
        case UpdateChannel(channel):
            if not arch.has_channel(channel.id):
                raise KeyError(channel.id)
            check_channel(arch, edit.merged(arch.channel(channel.id)), replacing=channel.id)
        case RemoveChannel(channel_id):
            arch.channel(channel_id)
            if arch.flows_of(channel_id):
                raise ValueError("remove a channel's flows before the channel")
        case AddFlow(flow):
            check_flow(arch, flow)
        case UpdateFlow(flow):
            if arch.flow(flow.source, flow.target) is None:
                raise KeyError(flow.pair)
            check_flow(arch, flow, replacing=True)
        case RemoveFlow(source, target):
            if arch.flow(source, target) is None:
                raise KeyError((source, target))
        case SetInfo(_name, _description, currency):
            if currency is not None:
                parse_currency(currency)  # a ValueError names the problem; nothing changes


def apply(arch: ArchitectureMap, edit: Edit) -> Edit:
    """Apply one (checked) edit and return its inverse."""
    match edit:
        case AddChannel(channel):
            arch.put_channel(channel)
            return RemoveChannel(channel.id)
        case UpdateChannel(channel, fields):
            old = arch.channel(channel.id)
            arch.put_channel(edit.merged(old))
            return UpdateChannel(old, fields)
        case RemoveChannel(channel_id):
            return AddChannel(arch.drop_channel(channel_id))
        case AddFlow(flow):
            arch.put_flow(flow)
            return RemoveFlow(flow.source, flow.target)
        case UpdateFlow(flow):
            old_flow = arch.flow(flow.source, flow.target)
            assert old_flow is not None
            arch.put_flow(flow)
            return UpdateFlow(old_flow)
        case RemoveFlow(source, target):
            return AddFlow(arch.drop_flow(source, target))
        case SetInfo(name, description, currency):
            info = arch.info
            old_info = SetInfo(info.name, info.description, None if currency is None else info.currency)
            new_currency = info.currency if currency is None else parse_currency(currency)
            arch.info = MapInfo(name, description, info.created, info.modified, new_currency)
            return old_info
    raise TypeError(f"not an edit: {edit!r}")


def apply_all(arch: ArchitectureMap, edits: list[Edit]) -> list[Edit]:
    """Check and apply edits in order; on failure undo what was applied and re-raise.

    Returns the inverse list, already reversed (ready to apply as undo).
    """
    inverses: list[Edit] = []
    try:
        for edit in edits:
            check(arch, edit)
            inverses.append(apply(arch, edit))
    except Exception:
        for inverse in reversed(inverses):
            apply(arch, inverse)
        raise
    inverses.reverse()
    return inverses


CHANNEL_FIELDS = tuple(name for name in Channel.__dataclass_fields__ if name != "id")


def narrowed(arch: ArchitectureMap, edit: Edit) -> Edit:
    """A whole-channel update as the fields it changes (compared with the map as it is now)."""
    if (
        not isinstance(edit, UpdateChannel)
        or edit.fields is not None
        or not arch.has_channel(edit.channel.id)
    ):
        return edit
    old = arch.channel(edit.channel.id)
    changed = tuple(name for name in CHANNEL_FIELDS if getattr(old, name) != getattr(edit.channel, name))
    return UpdateChannel(edit.channel, changed)


def apply_narrowed(arch: ArchitectureMap, edits: list[Edit]) -> tuple[list[Edit], list[Edit]]:
    """`apply_all` with every whole-channel update narrowed to its fields: (edits applied, inverses)."""
    applied: list[Edit] = []
    inverses: list[Edit] = []
    try:
        for edit in edits:
            edit = narrowed(arch, edit)
            check(arch, edit)
            inverses.append(apply(arch, edit))
            applied.append(edit)
    except Exception:
        for inverse in reversed(inverses):
            apply(arch, inverse)
        raise
    inverses.reverse()
    return applied, inverses


def remove_channels(arch: ArchitectureMap, channel_ids: list[str]) -> list[Edit]:
    """The edits that delete channels together with every flow that touches them."""
    edits: list[Edit] = []
    seen: set[tuple[str, str]] = set()
    for cid in channel_ids:
        for flow in arch.flows_of(cid):
            if flow.pair not in seen:
                seen.add(flow.pair)
                edits.append(RemoveFlow(flow.source, flow.target))
    edits += [RemoveChannel(cid) for cid in channel_ids]
    return edits
