"""What a participant may type: length limits, and the characters a room refuses.

Everything typed on a phone is kept and shown as plain text (never HTML), so
`<script>` is only a name. Bidi override and embedding controls (which can
make a name read backwards on the projector) and NUL are refused outright,
with a message that says so; other control characters are refused too, except
line breaks and tabs in a note.
"""

from __future__ import annotations

import unicodedata

MAX_CHANNEL = 80
MAX_NOTE = 400
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


class Refused(Exception):
    """A request the room will not take: an HTTP status and a message for the person who sent it."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def clean(value: object, field: str, limit: int, *, required: bool = False, multiline: bool = False) -> str:
    """`value` as stored text, or Refused(400) saying what is wrong with it."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Refused(400, f"{field} must be text")
    if "\x00" in value:
        raise Refused(400, f"{field} contains a NUL character")
    if any(ch in BIDI_CONTROLS for ch in value):
        raise Refused(400, f"{field} contains a text-direction control character")
    for ch in value:
        if unicodedata.category(ch) == "Cc" and not (multiline and ch in "\n\t"):
            raise Refused(400, f"{field} contains a control character")
    value = value.strip()
    if required and not value:
        raise Refused(400, f"{field} is empty")
    if len(value) > limit:
        raise Refused(400, f"{field} is longer than {limit} characters")
    return value
