"""The interchange JSON of formats.md: parse with full validation, and write.

Parsing is all-or-nothing: the first bad entry raises MapError naming it
("channels[2] (id c3): unknown layer ..."), and nothing is built.
"""

from __future__ import annotations

import json
from typing import Any

from desktop.domain.errors import MapError
from desktop.domain.layers import Layer
from desktop.domain.layout import place_missing
from desktop.domain.model import (
    NUMBER_FIELDS,
    TEXT_FIELDS,
    ArchitectureMap,
    Channel,
    Flow,
    MapInfo,
)
from desktop.domain.validation import (
    MAX_CHANNELS,
    MAX_NAME,
    MAX_TEXT,
    check_channel,
    check_flow,
    clean_text,
    one_line,
    parse_coordinate,
    parse_number,
)
from desktop.domain.vocabulary import parse_automation, parse_currency

FORMAT = "distribution-architecture"
VERSION = 2  # 2: channel "automation" and map "currency" (both also read in version 1 files)
MAX_BYTES = 64 * 1024 * 1024


TYPED_BYTES = 16 * 1024  # from this size a text is first read by `interchange_typed` (smaller: by json)
TYPED_ENTRIES = 64  # from this many channels and flows, parsed entries are first read the same way


def loads(text: str | bytes, layout: bool = True) -> ArchitectureMap:
    """Parse interchange JSON text into a validated map (`layout` False: leave missing positions empty,
    for a reader that never draws, such as `score`)."""
    if len(text) > MAX_BYTES:
        raise MapError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    arch = _typed(text) if len(text) >= TYPED_BYTES else None
    if arch is None:
        arch = from_dict(_json(text), layout=False)
    if layout:
        place_missing(arch)
    return arch


def _typed(text: str | bytes) -> ArchitectureMap | None:
    """The usual file in one pass (`interchange_typed`), or None: then json and the checks below read
    it, and say what is wrong with it."""
    from desktop.domain import interchange_typed

    found = interchange_typed.decode(text)
    if found is None:
        return None
    header, channels, flows = found
    info = _info({**header, "channels": channels, "flows": flows})[0]
    return ArchitectureMap.bulk(channels, flows, info, ends_checked=True)


def _json(text: str | bytes) -> Any:
    try:
        return json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = f"line {exc.lineno}, column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise MapError(f"not valid JSON ({exc.msg if hasattr(exc, 'msg') else exc})", where) from None
    except RecursionError:
        raise MapError("the JSON is nested too deeply") from None
    except ValueError:  # Python's limit on the digits of a whole number
        raise MapError("not valid JSON (a number has too many digits)") from None


def from_dict(data: Any, layout: bool = True) -> ArchitectureMap:
    """Validate an interchange object and build the map."""
    info, raw_channels, raw_flows = _info(data)
    arch = _bulk(raw_channels, raw_flows, info) or _checked(raw_channels, raw_flows, info)
    if layout:
        place_missing(arch)
    return arch


def _info(data: Any) -> tuple[MapInfo, list[Any], list[Any]]:
    """The map's own fields, and its channel and flow entries, or MapError naming what is wrong."""
    if not isinstance(data, dict):
        raise MapError("the JSON must be an object with format, version, channels and flows")
    if data.get("format") != FORMAT:
        raise MapError(f"format must be {FORMAT!r}, not {data.get('format')!r}", "format")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise MapError("version must be a whole number", "version")
    if version > VERSION:
        raise MapError(
            f"version {version} is newer than this program reads ({VERSION}); update it", "version"
        )
    if version < 1:
        raise MapError(f"version {version} is not a known version", "version")
    raw_channels = data.get("channels", [])
    raw_flows = data.get("flows", [])
    if not isinstance(raw_channels, list):
        raise MapError("channels must be a list", "channels")
    if not isinstance(raw_flows, list):
        raise MapError("flows must be a list", "flows")
    if len(raw_channels) > MAX_CHANNELS:
        raise MapError(f"{len(raw_channels):,} channels; a map holds at most {MAX_CHANNELS:,}", "channels")
    try:
        currency = parse_currency(clean_text(data.get("currency"), "currency", 20))
    except ValueError as exc:
        raise MapError(str(exc), "currency") from None
    info = MapInfo(
        name=one_line(clean_text(data.get("name"), "name", MAX_NAME)).strip() or "Untitled map",
        description=clean_text(data.get("description"), "description"),
        currency=currency,
    )
    return info, raw_channels, raw_flows


def _bulk(raw_channels: list[Any], raw_flows: list[Any], info: MapInfo) -> ArchitectureMap | None:
    """The map in one pass when every entry is valid (the usual file), else None.

    Each channel passes the rules that need no other channel; ids, names and flow ends are then
    checked all at once by `ArchitectureMap.bulk`. Any problem returns None, and `_checked`
    finds and names the first bad entry in file order.
    """
    if len(raw_channels) + len(raw_flows) >= TYPED_ENTRIES:
        from desktop.domain import interchange_typed

        found = interchange_typed.convert(raw_channels, raw_flows)
        if found is not None:
            return ArchitectureMap.bulk(*found, info, ends_checked=True)
    try:
        channels = []
        for index, raw in enumerate(raw_channels):  # some entry is unusual: read each in full
            channel = _channel(raw, index)
            check_channel(_NO_MAP, channel)
            channels.append(channel)
        flows = [_flow(raw, index) for index, raw in enumerate(raw_flows)]
    except MapError:
        return None
    return ArchitectureMap.bulk(channels, flows, info)


_NO_MAP = ArchitectureMap()  # never changed: checks against it are the rules of a channel alone


def _checked(raw_channels: list[Any], raw_flows: list[Any], info: MapInfo) -> ArchitectureMap:
    """The map entry by entry, raising MapError that names the first entry breaking a rule."""
    arch = ArchitectureMap(info=info)
    for index, raw in enumerate(raw_channels):
        channel = _channel(raw, index)
        where = f"channels[{index}] (id {channel.id})"
        if arch.has_channel(channel.id):
            raise MapError(f"duplicate id {channel.id!r}", where)
        try:
            check_channel(arch, channel)
        except MapError as exc:
            raise MapError(exc.message, where) from None
        arch.put_channel(channel)
    for index, raw in enumerate(raw_flows):
        flow = _flow(raw, index)
        try:
            check_flow(arch, flow)
        except MapError as exc:
            raise MapError(exc.message, f"flows[{index}] ({flow.source} -> {flow.target})") from None
        arch.put_flow(flow)
    return arch


def _channel(raw: Any, index: int) -> Channel:
    where = f"channels[{index}]"
    if not isinstance(raw, dict):
        raise MapError("each channel must be an object", where)
    for key in ("id", "name", "layer"):
        if raw.get(key) is None or str(raw.get(key)).strip() == "":
            raise MapError(f"missing required field {key!r}", where)
    if isinstance(raw["id"], dict | list | bool):
        raise MapError("id must be text", where)
    cid = clean_text(raw["id"], "id", MAX_NAME).strip()
    where = f"channels[{index}] (id {cid})"
    try:
        layer_value = raw["layer"]
        valid = isinstance(layer_value, str | int | float) and not isinstance(layer_value, bool)
        layer = Layer.parse(layer_value if valid else None)
    except ValueError as exc:
        raise MapError(str(exc), where) from None
    try:
        values: dict[str, Any] = {name: clean_text(raw.get(name), name) for name in TEXT_FIELDS}
        for name in NUMBER_FIELDS:
            values[name] = parse_number(raw.get(name), name)
        try:
            values["automation"] = parse_automation(raw.get("automation"))
        except ValueError as exc:
            raise MapError(str(exc)) from None
        x = parse_coordinate(raw.get("x"), "x")
        y = parse_coordinate(raw.get("y"), "y")
        name = one_line(clean_text(raw["name"], "name", MAX_NAME)).strip()
    except MapError as exc:
        raise MapError(exc.message, where) from None
    return Channel(id=cid, name=name, layer=layer, x=x, y=y, ord=index + 1, **values)


def _plain(text: object) -> bool:
    """Text `clean_text` would keep as it is (so it need not be called)."""
    return text.__class__ is str and len(text) <= MAX_TEXT and text.isascii() and "\x00" not in text


def _flow(raw: Any, index: int) -> Flow:
    if raw.__class__ is dict:  # the common case, in one step: text ends, a short plain rule and label
        source, target = raw.get("source"), raw.get("target")
        rule, label = raw.get("rule"), raw.get("label")
        if (
            source.__class__ is str
            and target.__class__ is str
            and (rule is None or rule == "" or _plain(rule))
            and (label is None or label == "" or _plain(label))
        ):
            return Flow(source.strip(), target.strip(), rule or "", label or "", index + 1)
    where = f"flows[{index}]"
    if not isinstance(raw, dict):
        raise MapError("each flow must be an object", where)
    for key in ("source", "target"):
        if raw.get(key) is None or isinstance(raw.get(key), dict | list | bool):
            raise MapError(f"missing required field {key!r}", where)
    try:
        return Flow(
            source=str(raw["source"]).strip(),
            target=str(raw["target"]).strip(),
            rule=clean_text(raw.get("rule"), "rule"),
            label=clean_text(raw.get("label"), "label"),
            ord=index + 1,
        )
    except MapError as exc:
        raise MapError(exc.message, where) from None


def _number_out(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def to_dict(arch: ArchitectureMap) -> dict[str, Any]:
    """The interchange object of a map, in creation order."""
    channels = []
    for c in arch.iter_channels():
        entry: dict[str, Any] = {"id": c.id, "name": c.name, "layer": c.layer.value}
        for name in TEXT_FIELDS:
            entry[name] = getattr(c, name)
        for name in NUMBER_FIELDS:
            entry[name] = _number_out(getattr(c, name))
        entry["automation"] = c.automation
        entry["x"] = _number_out(c.x)
        entry["y"] = _number_out(c.y)
        channels.append(entry)
    flows = [{"source": f.source, "target": f.target, "rule": f.rule, "label": f.label} for f in arch.flows]
    return {
        "format": FORMAT,
        "version": VERSION,
        "name": arch.info.name,
        "description": arch.info.description,
        "currency": arch.info.currency,
        "channels": channels,
        "flows": flows,
    }


def dumps(arch: ArchitectureMap, compact: bool = False) -> str:
    """The map as interchange JSON: indented for people, or compact (no indent lets the json
    module's C encoder run: ten times faster on a 2,000-channel map embedded in an image)."""
    if compact:
        return json.dumps(to_dict(arch), ensure_ascii=False, separators=(",", ":")) + "\n"
    return json.dumps(to_dict(arch), indent=2, ensure_ascii=False) + "\n"
