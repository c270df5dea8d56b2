"""What a room holds between the server thread and the window: suggestions, the vote, the room's picture.

The server thread adds suggestions and dots; the window accepts, dismisses,
opens and closes votes and publishes the picture of the map as the projector
shows it. Every change bumps `version` and calls the server's `notify` hook
(which wakes the phones' event streams) and the window's hooks (which emit
queued Qt signals). A lock guards it all; nothing here touches the map.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from desktop.room.grouping import group_key
from desktop.room.text import MAX_CHANNEL, MAX_NOTE, Refused, clean
from desktop.room.tokens import Participant, TokenBook
from desktop.room.votes import Ballot, VoteItem, VoteResults

LAYER_HELP: dict[str, str] = {
    "capture": "Where signals come in: ads, events, content, reviews, intent data.",
    "routing": "What decides where a lead goes: scoring, assignment rules, qualification.",
    "execution": "What acts on a lead: sales outreach, nurture emails, trials, partners.",
    "feedback": "What measures results and feeds them back: attribution, win/loss, CRM reports.",
}
NEW, ACCEPTED, DISMISSED = "new", "accepted", "dismissed"


@dataclass(frozen=True)
class Suggestion:
    id: int
    participant: int
    name: str
    layer: str
    note: str
    group: str
    status: str = NEW
    received: float = 0.0

    def for_phone(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "channel": self.name,
            "layer": self.layer,
            "note": self.note,
            "status": self.status,
        }


Hook = Callable[[], None]


class RoomState:
    """The shared state of one open room."""

    def __init__(self) -> None:
        self.tokens = TokenBook()
        self._lock = threading.Lock()
        self._suggestions: dict[int, Suggestion] = {}
        self.ballot: Ballot | None = None
        self.results = VoteResults()
        self.picture = b""
        self.lanes: list[str] = []
        self.version = 0
        self.picture_version = 0
        self.notify: Hook = lambda: None
        self.on_suggestion: Callable[[Suggestion], None] = lambda s: None
        self.on_vote: Callable[[dict[str, int]], None] = lambda tally: None

    # --- from phones (server thread) ---------------------------------------------------------
    def suggest(self, participant: Participant, data: dict[str, Any]) -> Suggestion:
        """Check and keep one suggestion; Refused(400/429) changes nothing."""
        name = clean(data.get("channel"), "channel", MAX_CHANNEL, required=True)
        layer = clean(data.get("layer"), "layer", 20, required=True).lower()
        if layer not in LAYER_HELP:
            raise Refused(400, "layer must be capture, routing, execution or feedback")
        note = clean(data.get("note"), "note", MAX_NOTE, multiline=True)
        self.tokens.charge_suggestion(participant)
        with self._lock:
            suggestion = Suggestion(
                len(self._suggestions) + 1,
                participant.number,
                name,
                layer,
                note,
                group_key(name),
                received=time.perf_counter(),
            )
            self._suggestions[suggestion.id] = suggestion
        self._changed()
        self.on_suggestion(suggestion)
        return suggestion

    def vote(self, participant: Participant, key: str, delta: int) -> dict[str, int]:
        ballot = self.ballot
        if ballot is None:
            raise Refused(409, "no vote is open")
        mine = ballot.cast(participant.number, key, delta)
        self._changed()
        self.on_vote(ballot.tally())
        return mine

    def view_for(self, participant: Participant) -> dict[str, Any]:
        """What one phone may see: its own suggestions, the vote and its dots, the revealed lanes."""
        with self._lock:
            own = [s.for_phone() for s in self._suggestions.values() if s.participant == participant.number]
            lanes = list(self.lanes)
            version = self.version
            picture = self.picture_version if self.picture else 0
        ballot = self.ballot
        vote = None
        if ballot is not None:
            vote = {
                "findings": [{"key": i.key, "text": i.message} for i in ballot.items],
                "mine": ballot.mine(participant.number),
                "dots": 3,
            }
        return {
            "you": participant.number,
            "suggestions": own,
            "vote": vote,
            "lanes": lanes,
            "version": version,
            "picture": picture,
        }

    # --- from the window (Qt thread) ---------------------------------------------------------
    def suggestions(self) -> list[Suggestion]:
        with self._lock:
            return list(self._suggestions.values())

    def suggestion(self, sid: int) -> Suggestion:
        with self._lock:
            return self._suggestions[sid]

    def set_status(self, sid: int, status: str) -> None:
        with self._lock:
            self._suggestions[sid] = replace(self._suggestions[sid], status=status)
        self._changed()

    def open_vote(self, items: list[VoteItem]) -> Ballot:
        self.ballot = Ballot(tuple(items))
        self._changed()
        return self.ballot

    def close_vote(self) -> VoteResults:
        ballot, self.ballot = self.ballot, None
        if ballot is not None:
            self.results = ballot.results()
        self._changed()
        return self.results

    def publish(self, picture: bytes, lanes: list[str]) -> None:
        with self._lock:
            self.picture = picture
            self.lanes = list(lanes)
            self.picture_version += 1
        self._changed()

    def close(self) -> None:
        self.tokens.close()
        self._changed()

    def _changed(self) -> None:
        with self._lock:
            self.version += 1
        self.notify()
