"""`import_into`: the command line's import into a map file, created exclusively or merged into.

Creating is exclusive: when another program creates the same file meanwhile,
the import merges into it as it would into any existing map (a write never
replaces a map it did not read). A refused merge (a name clash, the size limit,
a lock held elsewhere) is found through a read-only look first, so the file
keeps every byte: opening it for writing would switch a rollback-journal file
to WAL. The merge itself goes through the document layer's one pipeline
(`desktop.document.importing.import_map`), so it is one history step with a
score-history row, as in the window.
"""

from __future__ import annotations

from pathlib import Path

from desktop.document.editor import MapEditor
from desktop.document.importing import import_map, merge_edits
from desktop.domain.errors import MapError
from desktop.domain.model import ArchitectureMap
from desktop.store import locking
from desktop.store.document import CreatedMeanwhile, MapDocument, write_new_file


def import_into(
    target: Path, incoming: ArchitectureMap, wait: float = 0.0, source_name: str = ""
) -> tuple[int, bool]:
    """Create `target` from the map, or merge into the existing file. Returns (channels added, created).

    `wait`: seconds to wait for another command's lock before refusing.
    """
    target = target.absolute()
    if not target.exists() and not target.is_symlink():
        if not incoming.info.name or incoming.info.name == "Untitled map":
            incoming.info.name = target.stem
        try:
            write_new_file(target, incoming)
        except CreatedMeanwhile:
            pass  # another program won the race: merge into what it wrote
        else:
            with MapDocument.open(target, wait=wait) as doc:  # records the new map's first score
                MapEditor(doc).close()
            return len(incoming), True
    with MapDocument.open(target, read_only=True) as doc:
        current = doc.load()
    _check_writable(target, wait)
    merge_edits(current, incoming, keep_positions=len(current) == 0)  # raises before anything is written
    with MapDocument.open(target, wait=wait) as doc:
        if doc.read_only:
            raise MapError(doc.read_only_reason)
        editor = MapEditor(doc)
        try:
            done = import_map(editor, incoming, source_name or "an import")
        finally:
            editor.close()
    if not done:
        raise MapError(done.reason)
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
