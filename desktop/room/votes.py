"""Dot voting on findings: a vote frozen on the findings it opened with, three dots a participant.

A participant may stack dots (all three on one finding). Closing the vote
gives `VoteResults`, which travel with the map (the JSON key `room`, a map
setting in the file) and are shown as dots on the findings and their cards.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any

from desktop.room.text import Refused

DOTS = 3
MAX_ITEMS = 8
ROOM_KEY = "room"


@dataclass(frozen=True)
class VoteItem:
    """One finding put to the vote, frozen as it read when the vote opened."""

    key: str
    message: str
    channel_ids: tuple[str, ...]

    @classmethod
    def of(cls, rule: str, channel_ids: tuple[str, ...], message: str) -> VoteItem:
        return cls(f"{rule}:{','.join(channel_ids)}", message, tuple(channel_ids))


@dataclass(frozen=True)
class VoteResult:
    message: str
    channel_ids: tuple[str, ...]
    dots: int

    def to_dict(self) -> dict[str, Any]:
        return {"finding": self.message, "channels": list(self.channel_ids), "dots": self.dots}


@dataclass(frozen=True)
class VoteResults:
    """A closed vote: each finding with its dots, most dots first, and how many people voted."""

    results: tuple[VoteResult, ...] = ()
    voters: int = 0

    def dots_by_channel(self) -> dict[str, int]:
        dots: dict[str, int] = {}
        for result in self.results:
            for cid in result.channel_ids:
                dots[cid] = dots.get(cid, 0) + result.dots
        return dots

    def dots_for(self, message: str) -> int:
        return sum(r.dots for r in self.results if r.message == message)

    def to_dict(self) -> dict[str, Any]:
        return {"vote": {"voters": self.voters, "results": [r.to_dict() for r in self.results]}}

    def dumps(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: Any) -> VoteResults:
        """Results read back from a file or JSON; anything malformed reads as no results."""
        try:
            vote = data["vote"]
            results = tuple(
                VoteResult(str(r["finding"]), tuple(str(c) for c in r["channels"]), max(0, int(r["dots"])))
                for r in vote["results"]
            )
            return cls(results, max(0, int(vote.get("voters", 0))))
        except (KeyError, TypeError, ValueError, AttributeError):
            return cls()

    @classmethod
    def loads(cls, text: str) -> VoteResults:
        if not text:
            return cls()
        try:
            return cls.from_dict(json.loads(text))
        except (ValueError, RecursionError):
            return cls()


def interchange_with_room(map_data: dict[str, Any], results: VoteResults) -> str:
    """Interchange JSON text of a map, with the room's vote under the key `room` when there is one."""
    data = dict(map_data)
    if results.results:
        data[ROOM_KEY] = results.to_dict()
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def results_in_json(text: str | bytes) -> VoteResults:
    """The room's vote carried by interchange JSON (its key `room`); none when absent or malformed."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError, UnicodeDecodeError):
        return VoteResults()
    return VoteResults.from_dict(data.get(ROOM_KEY)) if isinstance(data, dict) else VoteResults()


@dataclass
class Ballot:
    """An open vote. Thread-safe: phones cast dots from the server thread."""

    items: tuple[VoteItem, ...]
    _dots: dict[int, dict[str, int]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def cast(self, participant: int, key: str, delta: int) -> dict[str, int]:
        """Add (+1) or take back (-1) one dot; returns the participant's dots. Refused(400/409) if not possible."""
        if delta not in (1, -1):
            raise Refused(400, "a vote adds or removes one dot")
        if key not in {item.key for item in self.items}:
            raise Refused(400, "this finding is not in the vote")
        with self._lock:
            mine = self._dots.setdefault(participant, {})
            if delta > 0 and sum(mine.values()) >= DOTS:
                raise Refused(409, f"you have spent your {DOTS} dots: take one back first")
            if delta < 0 and not mine.get(key):
                raise Refused(409, "you have no dot on this finding")
            mine[key] = mine.get(key, 0) + delta
            if not mine[key]:
                del mine[key]
            return dict(mine)

    def mine(self, participant: int) -> dict[str, int]:
        with self._lock:
            return dict(self._dots.get(participant, {}))

    def tally(self) -> dict[str, int]:
        with self._lock:
            totals = {item.key: 0 for item in self.items}
            for dots in self._dots.values():
                for key, count in dots.items():
                    totals[key] += count
            return totals

    def results(self) -> VoteResults:
        totals = self.tally()
        with self._lock:
            voters = sum(1 for dots in self._dots.values() if dots)
        ranked = sorted(self.items, key=lambda item: -totals[item.key])
        return VoteResults(
            tuple(VoteResult(i.message, i.channel_ids, totals[i.key]) for i in ranked if totals[i.key]),
            voters,
        )
