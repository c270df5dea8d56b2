"""Importing into a map file: create it, or add the imported channels to it in one transaction."""

from __future__ import annotations

from pathlib import Path

from desktop.domain.edits import AddChannel, AddFlow, Edit, apply_all
from desktop.domain.errors import MapError
from desktop.domain.layout import place_positions
from desktop.domain.model import ArchitectureMap
from desktop.store.document import MapDocument, write_new_file


def merge_edits(into: ArchitectureMap, incoming: ArchitectureMap, keep_positions: bool = False) -> list[Edit]:
    """The edits that add `incoming`'s channels and flows to `into` (fresh ids; a name clash is an error)."""
    scratch = into.copy()
    edits: list[Edit] = []
    ids: dict[str, str] = {}
    slots = [(c.layer, c.x, c.y) for c in into.iter_channels()]
    slots += [
        (c.layer, c.x, c.y) if keep_positions else (c.layer, None, None) for c in incoming.iter_channels()
    ]
    places = iter(place_positions(slots)[len(into) :])
    for channel in incoming.iter_channels():
        if scratch.channel_by_name(channel.name) is not None:
            raise MapError(f"the map already has a channel named {channel.name!r}; nothing was imported")
        new_id = scratch.next_channel_id()
        ids[channel.id] = new_id
        x, y = next(places)
        new = channel.with_changes(id=new_id, ord=scratch.next_channel_ord(), x=x, y=y)
        edits.append(AddChannel(new))
        apply_all(scratch, [edits[-1]])
    for flow in incoming.flows:
        new_flow = flow.with_changes(
            source=ids[flow.source], target=ids[flow.target], ord=scratch.next_flow_ord()
        )
        edits.append(AddFlow(new_flow))
        apply_all(scratch, [edits[-1]])
    return edits


def import_into(target: Path, incoming: ArchitectureMap) -> tuple[int, bool]:
    """Create `target` from the map, or merge into the existing file. Returns (channels added, created)."""
    if not target.exists():
        if not incoming.info.name or incoming.info.name == "Untitled map":
            incoming.info.name = target.stem
        write_new_file(target, incoming)
        return len(incoming), True
    with MapDocument.open(target) as doc:
        if doc.read_only:
            raise MapError(doc.read_only_reason)
        current = doc.load()
        edits = merge_edits(current, incoming, keep_positions=len(current) == 0)
        apply_all(current, edits)
        doc.write(edits)
    return len(incoming), False
