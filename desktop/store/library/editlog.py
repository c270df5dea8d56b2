"""Edits as JSON for the library's edit log (`distarch.edit_log.body`), and back.

Each write appends one row: the edit list as it was applied, the revision it
was based on and the one it made (`seq`), an edit id (UUID) and who made it.
Live co-editing replays these rows in `seq` order; a field-level channel update
is `set_fields` (only the fields it changes); a "snapshot" row
(a map created, published or replaced) holds the whole map as interchange JSON.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from desktop.domain.edits import (
    CHANNEL_FIELDS,
    AddChannel,
    AddFlow,
    Edit,
    RemoveChannel,
    RemoveFlow,
    SetInfo,
    UpdateChannel,
    UpdateFlow,
)
from desktop.domain.layers import Layer
from desktop.domain.model import Channel, Flow


def _channel(channel: Channel) -> dict[str, Any]:
    data = asdict(channel)
    data["layer"] = channel.layer.value
    return data


def edit_to_json(edit: Edit) -> dict[str, Any]:
    match edit:
        case AddChannel(channel):
            return {"op": "add_channel", "channel": _channel(channel)}
        case UpdateChannel(channel, None):
            return {"op": "update_channel", "channel": _channel(channel)}
        case UpdateChannel(channel, fields) if fields is not None:
            values = {name: getattr(channel, name) for name in fields}
            if "layer" in values:
                values["layer"] = channel.layer.value
            return {"op": "set_fields", "id": channel.id, "fields": values}
        case RemoveChannel(channel_id):
            return {"op": "remove_channel", "id": channel_id}
        case AddFlow(flow):
            return {"op": "add_flow", "flow": asdict(flow)}
        case UpdateFlow(flow):
            return {"op": "update_flow", "flow": asdict(flow)}
        case RemoveFlow(source, target):
            return {"op": "remove_flow", "source": source, "target": target}
        case SetInfo(name, description, currency):
            entry = {"op": "set_info", "name": name, "description": description}
            return entry if currency is None else {**entry, "currency": currency}
    raise TypeError(f"not an edit: {edit!r}")


def edit_from_json(data: dict[str, Any]) -> Edit:
    op = data["op"]
    if op in ("add_channel", "update_channel"):
        fields = dict(data["channel"])
        fields["layer"] = Layer(fields["layer"])
        channel = Channel(**fields)
        return AddChannel(channel) if op == "add_channel" else UpdateChannel(channel)
    if op == "set_fields":
        values = dict(data["fields"])
        if "layer" in values:
            values["layer"] = Layer(values["layer"])
        unknown = set(values) - set(CHANNEL_FIELDS)
        if unknown:
            raise ValueError(f"unknown channel fields {sorted(unknown)}")
        blank = Channel(id=data["id"], name="", layer=Layer.CAPTURE)
        return UpdateChannel(blank.with_changes(**values), tuple(values))
    if op == "remove_channel":
        return RemoveChannel(data["id"])
    if op in ("add_flow", "update_flow"):
        flow = Flow(**data["flow"])
        return AddFlow(flow) if op == "add_flow" else UpdateFlow(flow)
    if op == "remove_flow":
        return RemoveFlow(data["source"], data["target"])
    if op == "set_info":
        return SetInfo(data["name"], data["description"], data.get("currency"))
    raise ValueError(f"unknown edit {op!r}")


def edits_to_json(edits: list[Edit] | tuple[Edit, ...]) -> dict[str, Any]:
    return {"edits": [edit_to_json(edit) for edit in edits]}


def edits_from_json(body: dict[str, Any]) -> list[Edit]:
    return [edit_from_json(item) for item in body.get("edits", [])]
