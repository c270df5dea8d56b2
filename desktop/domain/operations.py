"""The user's edits as lists of primitive edits: add, move, connect, rename, delete, paste.

Pure functions of the current map, so the canvas, the inspector, the quick-add
box, the CLI and the stateful tests all build the very same edits.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from desktop.domain import interchange
from desktop.domain.edits import (
    AddChannel,
    AddFlow,
    Edit,
    RemoveChannel,
    RemoveFlow,
    SetInfo,
    UpdateChannel,
    UpdateFlow,
    apply_all,
    remove_channels,
)
from desktop.domain.errors import MapError
from desktop.domain.layers import Layer
from desktop.domain.layout import CHANNEL_WIDTH, clamp_x, free_slot, lane_of_x
from desktop.domain.model import ArchitectureMap, Channel, Flow
from desktop.domain.validation import MAX_NAME, one_line

CLIPBOARD_FORMAT = "distribution-architecture-selection"


def add_channel(
    arch: ArchitectureMap,
    name: str,
    layer: Layer,
    x: float | None = None,
    y: float | None = None,
    **fields: Any,
) -> list[Edit]:
    """A new channel with a unique name ("Webinars 2"), at (x, y) or the lane's first free slot."""
    if x is None or y is None:
        x, y = free_slot(arch, layer)
    channel = Channel(
        id=arch.next_channel_id(),
        name=arch.unique_name(one_line(name)[:MAX_NAME]),
        layer=layer,
        x=clamp_x(layer, x),
        y=max(0.0, y),
        ord=arch.next_channel_ord(),
        **fields,
    )
    return [AddChannel(channel)]


def move_channels(arch: ArchitectureMap, positions: Mapping[str, tuple[float, float]]) -> list[Edit]:
    """Move channels; a card whose centre lands in another lane changes layer."""
    edits: list[Edit] = []
    for cid, (x, y) in positions.items():
        channel = arch.channel(cid)
        layer = lane_of_x(x + CHANNEL_WIDTH / 2)
        new = channel.with_changes(x=clamp_x(layer, x), y=max(0.0, y), layer=layer)
        if new != channel:
            edits.append(UpdateChannel(new))
    return edits


def set_layer(arch: ArchitectureMap, cid: str, layer: Layer) -> list[Edit]:
    """Move a channel to another lane (from the inspector), to a free slot there."""
    channel = arch.channel(cid)
    if channel.layer is layer:
        return []
    x, y = free_slot(arch, layer, skip=cid)
    return [UpdateChannel(channel.with_changes(layer=layer, x=x, y=y))]


def update_channel(arch: ArchitectureMap, cid: str, **changes: Any) -> list[Edit]:
    channel = arch.channel(cid)
    if "layer" in changes:
        layer = changes.pop("layer")
        for edit in set_layer(arch, cid, layer):
            if isinstance(edit, UpdateChannel):
                channel = edit.channel
    if "name" in changes:
        name = one_line(str(changes["name"])).strip()
        if not name:
            raise MapError("a channel needs a name")
        changes["name"] = name
    new = channel.with_changes(**changes)
    return [UpdateChannel(new)] if new != arch.channel(cid) else []


def connect(arch: ArchitectureMap, source: str, target: str, rule: str = "", label: str = "") -> list[Edit]:
    return [AddFlow(Flow(source, target, rule, label, arch.next_flow_ord()))]


def update_flow(arch: ArchitectureMap, source: str, target: str, **changes: str) -> list[Edit]:
    flow = arch.flow(source, target)
    if flow is None:
        raise MapError("that flow no longer exists")
    new = flow.with_changes(**changes)
    return [UpdateFlow(new)] if new != flow else []


def delete(
    arch: ArchitectureMap, channel_ids: Iterable[str], flows: Iterable[tuple[str, str]] = ()
) -> list[Edit]:
    """Delete channels with all their flows, and the selected flows."""
    ids = [cid for cid in channel_ids if arch.has_channel(cid)]
    edits = remove_channels(arch, ids)
    removing = {(e.source, e.target) for e in edits if isinstance(e, RemoveFlow)}
    for pair in flows:
        if pair not in removing and arch.flow(*pair) is not None:
            edits.insert(0, RemoveFlow(*pair))
            removing.add(pair)
    return edits


def rename_map(arch: ArchitectureMap, name: str, description: str | None = None) -> list[Edit]:
    name = one_line(name).strip()
    if not name:
        raise MapError("a map needs a name")
    return [SetInfo(name[:MAX_NAME], arch.info.description if description is None else description)]


def copy_selection(arch: ArchitectureMap, channel_ids: Iterable[str]) -> str:
    """The clipboard text of the selected channels and the flows between them."""
    ids = [cid for cid in channel_ids if arch.has_channel(cid)]
    chosen = set(ids)
    part = ArchitectureMap.build(
        [arch.channel(cid) for cid in ids],
        [f for f in arch.flows if f.source in chosen and f.target in chosen],
    )
    data = interchange.to_dict(part)
    data["format"] = CLIPBOARD_FORMAT
    return json.dumps(data)


def paste(arch: ArchitectureMap, text: str, offset: tuple[float, float] = (40.0, 40.0)) -> list[Edit]:
    """Channels (renamed "X 2" on a clash) and their inner flows from clipboard text."""
    try:
        data = json.loads(text)
    except ValueError:
        raise MapError("the clipboard holds no channels") from None
    if not isinstance(data, dict) or data.get("format") not in (CLIPBOARD_FORMAT, interchange.FORMAT):
        raise MapError("the clipboard holds no channels")
    data = {**data, "format": interchange.FORMAT}
    part = interchange.from_dict(data)
    return place_copies(arch, part, offset)


def duplicate(arch: ArchitectureMap, channel_ids: Iterable[str]) -> list[Edit]:
    return paste(arch, copy_selection(arch, channel_ids))


def place_copies(arch: ArchitectureMap, part: ArchitectureMap, offset: tuple[float, float]) -> list[Edit]:
    scratch = arch.copy()
    edits: list[Edit] = []
    ids: dict[str, str] = {}
    for channel in part.iter_channels():
        new_id = scratch.next_channel_id()
        ids[channel.id] = new_id
        x = (channel.x or 0.0) + offset[0]
        layer = channel.layer
        new = channel.with_changes(
            id=new_id,
            name=scratch.unique_name(channel.name),
            ord=scratch.next_channel_ord(),
            x=clamp_x(layer, x),
            y=(channel.y or 0.0) + offset[1],
        )
        edit = AddChannel(new)
        scratch.put_channel(new)
        edits.append(edit)
    for flow in part.flows:
        new_flow = flow.with_changes(
            source=ids[flow.source], target=ids[flow.target], ord=scratch.next_flow_ord()
        )
        scratch.put_flow(new_flow)
        edits.append(AddFlow(new_flow))
    return edits


def restore(arch: ArchitectureMap, target: ArchitectureMap) -> list[Edit]:
    """The edits that turn `arch` into `target`, a saved version of the same map (so ids line up).

    Only what differs is touched (creation order aside: a snapshot numbers it
    afresh); if that smaller list cannot be applied in order (two channels
    swapped names), everything is replaced instead.
    """
    edits: list[Edit] = [RemoveFlow(*f.pair) for f in arch.flows if target.flow(*f.pair) is None]
    edits += [RemoveChannel(c.id) for c in arch.channels if not target.has_channel(c.id)]
    for channel in target.channels:
        old = arch.channel(channel.id) if arch.has_channel(channel.id) else None
        if old is None:
            edits.append(AddChannel(channel))
        elif old.with_changes(ord=channel.ord) != channel:
            edits.append(UpdateChannel(channel.with_changes(ord=old.ord)))
    for flow in target.flows:
        old_flow = arch.flow(*flow.pair)
        if old_flow is None:
            edits.append(AddFlow(flow))
        elif old_flow.with_changes(ord=flow.ord) != flow:
            edits.append(UpdateFlow(flow.with_changes(ord=old_flow.ord)))
    if (arch.info.name, arch.info.description) != (target.info.name, target.info.description):
        edits.append(SetInfo(target.info.name, target.info.description))
    try:
        apply_all(arch.copy(), edits)
    except (MapError, KeyError, ValueError):
        edits = [RemoveFlow(*f.pair) for f in arch.flows]
        edits += [RemoveChannel(c.id) for c in arch.channels]
        edits += [AddChannel(c) for c in target.channels] + [AddFlow(f) for f in target.flows]
        edits.append(SetInfo(target.info.name, target.info.description))
    return edits
