"""Importing into a map file: create it, or add the imported channels to it in one transaction."""

from __future__ import annotations

from pathlib import Path

from desktop.domain.edits import AddChannel, AddFlow, Edit, apply_all
from desktop.domain.errors import MapError
from desktop.domain.layout import place_positions
from desktop.domain.model import ArchitectureMap
from desktop.domain.validation import check_room
from desktop.store import locking
from desktop.store.document import CreatedMeanwhile, MapDocument, write_new_file


def merge_edits(into: ArchitectureMap, incoming: ArchitectureMap, keep_positions: bool = False) -> list[Edit]:
    """The edits that add `incoming`'s channels and flows to `into` (fresh ids; a name clash is an error)."""
    check_room(into, len(incoming))
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


def import_into(target: Path, incoming: ArchitectureMap, wait: float = 0.0) -> tuple[int, bool]:
    """Create `target` from the map, or merge into the existing file. Returns (channels added, created).

    Creating is exclusive: when another program creates the same file meanwhile,
    the import merges into it as it would into any existing map. A refused merge
    (a name clash, the size limit) is found through a read-only look first, so
    the file keeps every byte (opening for writing would switch it to WAL).
    `wait`: seconds to wait for another command's lock before refusing.
    """
    if not target.exists() and not target.is_symlink():
        if not incoming.info.name or incoming.info.name == "Untitled map":
            incoming.info.name = target.stem
        try:
            write_new_file(target, incoming)
            return len(incoming), True
        except CreatedMeanwhile:
            pass  # another program won the race: merge into what it wrote
    with MapDocument.open(target, read_only=True) as doc:
        current = doc.load()
    _check_writable(target, wait)
    merge_edits(current, incoming, keep_positions=len(current) == 0)  # raises before anything is written
    with MapDocument.open(target, wait=wait) as doc:
        if doc.read_only:
            raise MapError(doc.read_only_reason)
        current = doc.load()
        edits = merge_edits(current, incoming, keep_positions=len(current) == 0)
        apply_all(current, edits)
        doc.write(edits)
    return len(incoming), False


def _check_writable(target: Path, wait: float) -> None:
    """Refuse (naming what holds it) a map that cannot be written now, before anything is merged."""
    reason = locking.why_read_only(target)
    if not reason:
        probe = locking.FileLock.acquire_waiting(target, wait)
        if probe is None:
            reason = locking.holder_reason(target)
        else:
            probe.release()
    if reason:
        raise MapError(reason)
