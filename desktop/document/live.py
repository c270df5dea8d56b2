"""Following a shared map live: edits other people stored reach this editor in the log's order.

A shared repository (the team library) keeps one edit log per map, numbered by
`seq` (the revision each write made). When the server says a map moved on
(LISTEN/NOTIFY carries only the map and the number, never the edit), the
window asks the repository for the entries it has not applied (`EditFeed.missed`)
and hands them to `follow`, which applies them through `MapEditor.apply_remote`,
so canvas, badges, panel and score follow like after a local edit.

One order for everyone: when an entry of someone else comes *before* one of our
own that is already shown (we wrote on a map that had not seen it yet), the map
is read again from the repository (`MapEditor.refresh`): what is shown is always
the log replayed in order. No Qt, no store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from desktop.domain.edits import Edit

if TYPE_CHECKING:
    from desktop.document.editor import Change, MapEditor


@dataclass(frozen=True)
class LogEntry:
    """One write of the shared edit log: its number, who made it, its edits.

    `own`: written by this repository (already shown); `snapshot`: the whole map
    was replaced (created, published over), so it is read again.
    """

    seq: int
    author: str
    edits: list[Edit] = field(default_factory=list)
    own: bool = False
    snapshot: bool = False


@runtime_checkable
class EditFeed(Protocol):
    """A repository whose map others edit at the same time."""

    def follow(self) -> None:
        """Start listening for the server's notifications of other people's writes."""
        ...

    @property
    def pending(self) -> bool:
        """Whether the server announced entries this editor has not applied yet."""
        ...

    def missed(self) -> list[LogEntry]:
        """The log entries after the last one applied, in order (own ones marked); marks them seen."""
        ...


def needs_refresh(entries: Sequence[LogEntry]) -> bool:
    """Whether applying the entries one by one would not give the log's order (read the map again)."""
    last_own = max((e.seq for e in entries if e.own), default=0)
    return any(e.snapshot or (not e.own and e.seq < last_own) for e in entries)


def follow(editor: MapEditor, entries: Sequence[LogEntry]) -> list[Change]:
    """Apply what others wrote, in the log's order; returns the changes announced."""
    if not entries:
        return []
    if needs_refresh(entries):
        return [editor.refresh(entries[-1].seq)]
    changes = []
    for entry in entries:
        if not entry.own:
            changes.append(editor.apply_remote(entry.edits, revision=entry.seq))
    editor.seen(entries[-1].seq)
    return changes


def authors(entries: Sequence[LogEntry]) -> list[str]:
    """Who else wrote these entries, each once, in order."""
    names: list[str] = []
    for entry in entries:
        if not entry.own and entry.author not in names:
            names.append(entry.author)
    return names
