"""The drag-and-drop format shared by the palette (which makes it) and the canvas (which accepts it)."""

from __future__ import annotations

import json

CHANNEL_TYPES_MIME = "application/x-distarch-channel-types"


def encode(entries: list[dict[str, str]]) -> bytes:
    return json.dumps(entries).encode("utf-8")


def decode(data: bytes) -> list[dict[str, str]]:
    try:
        value = json.loads(bytes(data).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return []
    if not isinstance(value, list):
        return []
    return [
        {k: str(v) for k, v in e.items() if k in ("name", "layer", "function", "tool")}
        for e in value
        if isinstance(e, dict) and str(e.get("name", "")).strip()
    ]
