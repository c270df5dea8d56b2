"""Primitive edits of a map, each with an exact inverse.

A user's action (a drop, a move, a delete with its flows) is a list of these.
The undo commands apply the list to the domain map and hand the same list to
the store, which writes it in one transaction; undo applies the inverses in
reverse. Keeping edits as data is what lets the file always equal the window.
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
    """Replace a channel by a new value with the same id."""

    channel: Channel


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
            check_channel(arch, channel, replacing=channel.id)
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
        case UpdateChannel(channel):
            old = arch.channel(channel.id)
            arch.put_channel(channel)
            return UpdateChannel(old)
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
