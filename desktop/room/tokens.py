"""Who may talk to a room: the invitation in the QR code, the short join code, participant tokens, limits.

The QR code and the join address carry an invitation token (128 random bits);
a phone exchanges it, or the six-character join code typed on the landing
page, for its own participant token (128 bits), which every other request
must carry. Join-code attempts are rate-limited per network address, so the
code cannot be guessed. Closing the room forgets every token.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from desktop.room.text import Refused

TOKEN_BYTES = 16  # 128 bits, above the 96 the room needs
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read off a projector
CODE_LENGTH = 6
CODE_TRIES_PER_MINUTE = 10
MAX_PARTICIPANTS = 300
SUGGESTIONS_PER_MINUTE = 30
SUGGESTIONS_IN_ALL = 200
REQUESTS_PER_MINUTE = 600


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normal_code(text: str) -> str:
    """A typed join code as compared: upper case, without spaces or dashes."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


@dataclass
class Participant:
    number: int
    token: str
    suggestions: deque[float] = field(default_factory=deque)
    suggested: int = 0
    requests: deque[float] = field(default_factory=deque)


class Window:
    """Counts events in the last `seconds`; `allow()` is False once `limit` were counted."""

    @staticmethod
    def allow(events: deque[float], limit: int, now: float, seconds: float = 60.0) -> bool:
        while events and events[0] <= now - seconds:
            events.popleft()
        if len(events) >= limit:
            return False
        events.append(now)
        return True


class TokenBook:
    """The room's invitation, join code and participants. Thread-safe."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self.invitation = new_token()
        self.code = new_code()
        self._participants: dict[str, Participant] = {}
        self._code_tries: dict[str, deque[float]] = {}
        self.open = True

    def join(self, invitation: str = "", code: str = "", address: str = "") -> Participant:
        """A new participant for a valid invitation or join code; Refused(401/429) otherwise."""
        with self._lock:
            if not self.open:
                raise Refused(410, "the room is closed")
            if invitation:
                if not secrets.compare_digest(invitation.encode(), self.invitation.encode()):
                    raise Refused(401, "this invitation is not valid (scan the room's QR code again)")
            else:
                tries = self._code_tries.setdefault(address, deque())
                if not Window.allow(tries, CODE_TRIES_PER_MINUTE, self._clock()):
                    raise Refused(429, "too many join-code attempts: wait a minute")
                if not secrets.compare_digest(normal_code(code).encode(), self.code.encode()):
                    raise Refused(401, "wrong join code")
            if len(self._participants) >= MAX_PARTICIPANTS:
                raise Refused(403, "the room is full")
            participant = Participant(len(self._participants) + 1, new_token())
            self._participants[participant.token] = participant
            return participant

    def participant(self, token: str) -> Participant:
        """The participant holding `token`; Refused(401) for a missing, unknown or expired one."""
        with self._lock:
            found = self._participants.get(token) if token and self.open else None
            if found is None:
                raise Refused(401, "missing or unknown token: join the room again")
            if not Window.allow(found.requests, REQUESTS_PER_MINUTE, self._clock()):
                raise Refused(429, "too many requests: slow down")
            return found

    def charge_suggestion(self, participant: Participant) -> None:
        """Count one suggestion against the participant's limits; Refused(429) past them."""
        with self._lock:
            if participant.suggested >= SUGGESTIONS_IN_ALL:
                raise Refused(429, f"you have sent {SUGGESTIONS_IN_ALL} suggestions, the most a room takes")
            if not Window.allow(participant.suggestions, SUGGESTIONS_PER_MINUTE, self._clock()):
                raise Refused(429, f"more than {SUGGESTIONS_PER_MINUTE} suggestions a minute: wait a little")
            participant.suggested += 1

    @property
    def count(self) -> int:
        with self._lock:
            return len(self._participants)

    def close(self) -> None:
        """Invalidate every token, the invitation and the code."""
        with self._lock:
            self.open = False
            self._participants.clear()
            self.invitation = new_token()
            self.code = new_code()
