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

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from desktop.domain.edits import Edit

if TYPE_CHECKING:
    from desktop.document.editor import Change, MapEditor


@dataclass(frozen=True)
class LogEntry:
    """One write of the shared edit log: its number, who made it, its edits.

    `own`: written by this repository (already shown); `snapshot`: the whole map
    was replaced (created, published over), or the server wrote our edit otherwise,
    so it is read again; `base`: the revision its writer had seen; `notes`: what
    to tell this person about it.
    """

    seq: int
    author: str
    edits: list[Edit] = field(default_factory=list)
    own: bool = False
    snapshot: bool = False
    base: int = 0
    notes: list[str] = field(default_factory=list)


@runtime_checkable
class EditFeed(Protocol):
    """A repository whose map others edit at the same time."""

    on_pending: Callable[[], None] | None

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


_FIELD_WORDS = {
    "monthly_spend": "monthly spend",
    "leads_per_month": "leads per month",
    "x": "place",
    "y": "place",
}


def touched(edits: Sequence[Edit]) -> set[tuple[str, str]]:
    """(channel id, field) pairs the edits set: a whole-channel update touches every field."""
    from desktop.domain.edits import CHANNEL_FIELDS, UpdateChannel

    pairs: set[tuple[str, str]] = set()
    for edit in edits:
        if isinstance(edit, UpdateChannel):
            fields = CHANNEL_FIELDS if edit.fields is None else edit.fields
            pairs.update((edit.channel.id, name) for name in fields)
    return pairs


class Follower:
    """Follows one editor's shared map: applies entries and says when someone's later edit won.

    Two edits to the same field: the later commit wins. The person whose edit was
    overwritten (their own entry came first and the other writer had not seen it)
    gets a quiet notice naming who changed it.
    """

    KEEP = 200

    def __init__(self, editor: MapEditor) -> None:
        self.editor = editor
        self._own: dict[int, set[tuple[str, str]]] = {}

    def follow(self, entries: Sequence[LogEntry]) -> list[str]:
        """Apply the entries; returns the notices for this person."""
        notices: list[str] = []
        lost_to: list[tuple[str, set[tuple[str, str]]]] = []
        for entry in entries:
            notices += entry.notes
            if entry.own:
                self._own[entry.seq] = touched(entry.edits)
                continue
            lost: set[tuple[str, str]] = set()
            theirs = touched(entry.edits)
            for seq, mine in self._own.items():
                if entry.base < seq < entry.seq:
                    lost |= mine & theirs
            lost_to.append((entry.author, lost))
        follow(self.editor, entries)
        for author, lost in lost_to:
            notices += self._lost(author, lost)
        if entries and len(self._own) > self.KEEP:
            for seq in sorted(self._own)[: -self.KEEP]:
                del self._own[seq]
        return notices

    def _lost(self, author: str, lost: set[tuple[str, str]]) -> list[str]:
        notices = []
        for cid in sorted({cid for cid, _ in lost}):
            words = sorted({_FIELD_WORDS.get(name, name) for c, name in lost if c == cid})
            arch = self.editor.map
            shown = arch.channel(cid).name if arch.has_channel(cid) else "a channel"
            notices.append(
                f"{author or 'Someone'} changed the {' and '.join(words)} of {shown} after you did"
            )
        return notices


def authors(entries: Sequence[LogEntry]) -> list[str]:
    """Who else wrote these entries, each once, in order."""
    names: list[str] = []
    for entry in entries:
        if not entry.own and entry.author not in names:
            names.append(entry.author)
    return names
