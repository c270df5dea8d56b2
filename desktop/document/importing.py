"""Importing into an open map: the one pipeline of the window's Import dialog and `cli import`.

`merge_edits` turns an imported map into the edits that add its channels and
flows (fresh ids, laid out in their lanes); `import_map` performs them as one
history step through the editor, so the file holds them in one write with a
score-history row, and Undo takes the whole import back.
"""

from __future__ import annotations

from desktop.document.editor import MapEditor, Result
from desktop.domain.edits import AddChannel, AddFlow, Edit, apply_all
from desktop.domain.errors import MapError
from desktop.domain.layout import place_positions
from desktop.domain.model import ArchitectureMap
from desktop.domain.validation import check_room


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


def import_text(edits: list[Edit], source_name: str) -> str:
    """The history text of an import: "Import 3 channels from inventory.csv"."""
    count = sum(isinstance(edit, AddChannel) for edit in edits)
    return f"Import {count} channel{'s' if count != 1 else ''} from {source_name}"


def import_map(editor: MapEditor, incoming: ArchitectureMap, source_name: str) -> Result:
    """Add every channel and flow of `incoming` to the editor's map as one step (all or nothing)."""
    try:
        edits = merge_edits(editor.map, incoming, keep_positions=len(editor.map) == 0)
    except MapError as exc:
        return Result(False, exc.message)
    return editor.perform(import_text(edits, source_name), edits)
