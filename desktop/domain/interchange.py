"""The interchange JSON of formats.md: parse with full validation, and write.

Parsing is all-or-nothing: the first bad entry raises MapError naming it
("channels[2] (id c3): unknown layer ..."), and nothing is built.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from itertools import chain, repeat
from operator import itemgetter
from typing import Any

from desktop.domain.errors import MapError
from desktop.domain.layers import LAYERS, Layer
from desktop.domain.layout import place_missing
from desktop.domain.model import (
    AI,
    NUMBER_FIELDS,
    TEXT_FIELDS,
    ArchitectureMap,
    Channel,
    Flow,
    MapInfo,
    build_channels,
    build_flows,
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


def loads(text: str | bytes, layout: bool = True) -> ArchitectureMap:
    """Parse interchange JSON text into a validated map (`layout` False: leave missing positions empty,
    for a reader that never draws, such as `score`)."""
    if len(text) > MAX_BYTES:
        raise MapError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        data = _fast_loads(text)
    except ValueError:  # orjson's JSONDecodeError: json says what is wrong, or reads what orjson refuses
        data = _NOTHING
    try:
        if data is _NOTHING:
            data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = f"line {exc.lineno}, column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise MapError(f"not valid JSON ({exc.msg if hasattr(exc, 'msg') else exc})", where) from None
    except RecursionError:
        raise MapError("the JSON is nested too deeply") from None
    except ValueError:  # Python's limit on the digits of a whole number
        raise MapError("not valid JSON (a number has too many digits)") from None
    return from_dict(data, layout)


_NOTHING = object()


def _fast_loads(text: str | bytes) -> Any:
    """orjson's reading of the text, which json's equals whenever orjson reads it (twice as fast).

    orjson refuses some text json reads (NaN, whole numbers beyond 64 bits, a lone surrogate, a byte
    order mark, UTF-16): `loads` then reads it with json, so both accept and refuse the same files.
    """
    import orjson  # here: the window starts without it

    return orjson.loads(text)


def from_dict(data: Any, layout: bool = True) -> ArchitectureMap:
    """Validate an interchange object and build the map."""
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
    arch = _bulk(raw_channels, raw_flows, info) or _checked(raw_channels, raw_flows, info)
    if layout:
        place_missing(arch)
    return arch


def _bulk(raw_channels: list[Any], raw_flows: list[Any], info: MapInfo) -> ArchitectureMap | None:
    """The map in one pass when every entry is valid (the usual file), else None.

    Each channel passes the rules that need no other channel; ids, names and flow ends are then
    checked all at once by `ArchitectureMap.bulk`. Any problem returns None, and `_checked`
    finds and names the first bad entry in file order.
    """
    try:
        channels = _usual_channels(raw_channels)
        flows = _usual_flows(raw_flows)
    except (TypeError, ValueError, AttributeError):  # a value no usual file holds (a list, a dict…)
        channels = flows = None
    if channels is not None and flows is not None:
        return ArchitectureMap.bulk(channels, flows, info)
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


_LAYER_OF: dict[str, Layer] = {layer.value: layer for layer in LAYERS}
_NONE = type(None)
_TEXT = {str, _NONE}
_NUMBER = {int, float, _NONE}
_AUTOMATIONS = {None, "", AI}
_CHANNEL_KEYS = (
    "id",
    "name",
    "layer",
    *TEXT_FIELDS,
    "monthly_spend",
    "leads_per_month",
    "x",
    "y",
    "automation",
)
_FLOW_KEYS = ("source", "target", "rule", "label")


def _columns(entries: list[Any], keys: tuple[str, ...]) -> list[tuple[Any, ...]] | list[list[Any]]:
    """One column per key: in one pass when every entry has every key (as our exports do), else with
    None for a missing key."""
    try:
        return list(zip(*map(itemgetter(*keys), entries), strict=True))
    except KeyError:
        return [list(map(dict.get, entries, repeat(key))) for key in keys]


def _blank(column: Sequence[Any]) -> Sequence[Any]:
    """The column with "" for None (a text left out)."""
    return ["" if value is None else value for value in column] if None in column else column


def _all_texts(column: Sequence[Any], longest: int) -> bool:
    """Every value is None or text that `clean_text` keeps as it is (at most `longest` characters, no
    NUL, valid Unicode)."""
    types = set(map(type, column))
    if not types <= _TEXT:
        return False
    texts = list(filter(None, column)) if _NONE in types else column
    return not texts or (max(map(len, texts)) <= longest and _unicode(texts))


def _unicode(texts: Iterable[str]) -> bool:
    """No NUL and nothing UTF-8 cannot encode (a lone surrogate of a JSON escape)."""
    joined = "".join(texts)
    if "\x00" in joined:
        return False
    if not joined.isascii():
        try:
            joined.encode("utf-8")
        except UnicodeEncodeError:
            return False
    return True


def _all_numbers(column: Sequence[Any], low: float, high: float) -> Sequence[float | None] | None:
    """The column as floats when every value is None or a number in [low, high], else None. The sum
    also catches a NaN, which no comparison does."""
    types = set(map(type, column))
    if not types <= _NUMBER:
        return None
    if types == {_NONE}:
        return column
    numbers = [value for value in column if value is not None] if _NONE in types else column
    if not (low <= min(numbers) and max(numbers) <= high and math.isfinite(sum(numbers))):
        return None
    if int not in types:
        return column
    if _NONE in types:
        return [None if value is None else float(value) for value in column]
    return list(map(float, column))


def _usual_channels(entries: list[Any]) -> list[Channel] | None:
    """Every channel as `_channel` builds it, checked a column at a time (ten times faster than entry by
    entry for a large file), when every entry is usual (plain text, a layer spelled as written, plain
    numbers) and passes `check_channel` alone; else None."""
    if not entries:
        return []
    if set(map(type, entries)) != {dict}:
        return None
    ids, names, layers, *texts, spend, leads, x, y, automation = _columns(entries, _CHANNEL_KEYS)
    if not (
        set(map(type, ids)) == set(map(type, names)) == set(map(type, layers)) == {str}
        and max(map(len, ids)) <= MAX_NAME
        and max(map(len, names)) <= MAX_NAME
        and _unicode(chain(ids, names))
        and all(map(str.isprintable, names))  # one line: `one_line` keeps it as it is
    ):
        return None
    ids, names = list(map(str.strip, ids)), list(map(str.strip, names))
    layer_of = list(map(_LAYER_OF.get, layers))
    if not (
        all(ids)
        and all(names)
        and None not in layer_of
        and set(map(type, automation)) <= _TEXT
        and set(automation) <= _AUTOMATIONS
    ):
        return None
    if not all(_all_texts(column, MAX_TEXT) for column in texts):
        return None
    spends, counts = _all_numbers(spend, 0, 2**53 - 1), _all_numbers(leads, 0, 2**53 - 1)
    xs, ys = _all_numbers(x, -1e7, 1e7), _all_numbers(y, -1e7, 1e7)
    if spends is None or counts is None or xs is None or ys is None:
        return None
    function, tool, segment, motion, message, notes = map(_blank, texts)
    return build_channels(
        ids, names, layer_of, function, tool, segment, motion, message, spends, counts, notes, xs, ys,
        range(1, len(entries) + 1), _blank(automation),
    )  # fmt: skip


def _usual_flows(entries: list[Any]) -> list[Flow] | None:
    """Every flow as `_flow` builds it in one step, checked a column at a time, when every entry is
    usual (text ends, short plain rule and label); else None."""
    if not entries:
        return []
    if set(map(type, entries)) != {dict}:
        return None
    sources, targets, rules, labels = _columns(entries, _FLOW_KEYS)
    if not (
        set(map(type, sources)) == set(map(type, targets)) == {str}
        and _all_texts(rules, MAX_TEXT)
        and _all_texts(labels, MAX_TEXT)
    ):
        return None
    return build_flows(
        map(str.strip, sources),
        map(str.strip, targets),
        _blank(rules),
        _blank(labels),
        range(1, len(entries) + 1),
    )


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
