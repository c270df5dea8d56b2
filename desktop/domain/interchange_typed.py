"""The usual interchange map read in one C-speed pass, straight into the map's channels and flows.

Why: `score` of a 10,000-channel JSON map spent most of its reading building a dict per entry and
then a channel from each dict. msgspec decodes the text (or converts entries already parsed) into
Structs with the fields of `Channel` and `Flow`, checking each value's type, length and range as it
goes (about 7 ms for 10,000 channels and 20,000 flows); their values then build the channels and
flows at C speed (model.channels_from_rows). What the types cannot say (a NUL, padding around an
id, a name on two lines) is checked after, a column at a time.

Only the usual file takes this path: plain text, layers spelled as written, plain numbers in range,
automation "ai" or blank, as our exports write them. Anything else (a null text, "12,000", "AI", a
huge number, a NaN) returns None, and `interchange` reads entry by entry, which accepts more
spellings and names the first bad entry. Both readings give the same channels and flows
(tests/domain/test_interchange_typed.py). msgspec is imported on first use: small maps (the sample
the window opens) never need it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import MISSING, fields
from functools import cache
from itertools import chain, count
from operator import attrgetter, is_
from types import GenericAlias
from typing import Annotated, Any, Literal

from desktop.domain.layers import LAYERS
from desktop.domain.model import AI, TEXT_FIELDS, Channel, Flow, build_flows, channels_from_rows
from desktop.domain.validation import MAX_NAME, MAX_TEXT

MAX_AMOUNT = 2**53 - 1  # spend and leads: beyond this, a float no longer holds every whole number
MAX_COORDINATE = 1e7  # as parse_coordinate
HEADER = ("format", "version", "name", "description", "currency")  # read as they are, checked by the caller

LAYER_VALUES = tuple(layer.value for layer in LAYERS)
_LAYER_OF = {layer.value: layer for layer in LAYERS}
_ID, _NAME = attrgetter("id"), attrgetter("name")
_SOURCE, _TARGET = attrgetter("source"), attrgetter("target")
_RULE, _LABEL = attrgetter("rule"), attrgetter("label")


@cache
def _types() -> tuple[Any, Any, Any]:
    """The channel twin, the flow twin and the file's type, made on first use."""
    from msgspec import Meta, defstruct

    name = Annotated[str, Meta(max_length=MAX_NAME)]
    text = Annotated[str, Meta(max_length=MAX_TEXT)]
    amount = Annotated[float, Meta(ge=0, le=MAX_AMOUNT)] | None
    coordinate = Annotated[float, Meta(ge=-MAX_COORDINATE, le=MAX_COORDINATE)] | None
    kinds: dict[str, Any] = {
        "id": name,
        "name": name,
        "layer": Literal[LAYER_VALUES],  # as text (msgspec decodes an Enum slower), then the Layer itself
        **dict.fromkeys(TEXT_FIELDS, text),
        "monthly_spend": amount,
        "leads_per_month": amount,
        "x": coordinate,
        "y": coordinate,
        "ord": int,
        "automation": Literal["", AI],
        "source": str,
        "target": str,
        "rule": text,
        "label": text,
    }
    channel, flow = (_entry(kind, kinds) for kind in (Channel, Flow))
    file = defstruct(
        "_InterchangeFile",
        [
            *((key, Any, None) for key in HEADER),
            ("channels", GenericAlias(list, channel), []),
            ("flows", GenericAlias(list, flow), []),
        ],
    )
    return channel, flow, file


def _entry(kind: type, kinds: dict[str, Any]) -> type:
    """A msgspec Struct with `kind`'s fields in its order and with its defaults, typed as above.

    msgspec builds a Struct three times as fast as a dataclass; `astuple` then gives the values in
    `kind`'s order, for `kind`'s open twin (model.build_channels) to take at C speed."""
    from msgspec import defstruct

    spec = [
        (f.name, kinds[f.name]) if f.default is MISSING else (f.name, kinds[f.name], f.default)
        for f in fields(kind)
    ]
    return defstruct(f"_{kind.__name__}Entry", spec, gc=False)


@cache
def _decoder() -> Any:
    from msgspec.json import Decoder

    return Decoder(_types()[2])


def decode(text: str | bytes) -> tuple[dict[str, Any], list[Channel], list[Flow]] | None:
    """The map's header (the keys of HEADER, None when absent), channels and flows, when the whole
    text is a usual interchange file; else None (not JSON, or some entry is unusual)."""
    if _may_hold_nul(text):
        return None  # a NUL, which no type refuses (or a text that only looks like one: read in full)
    try:
        found = _decoder().decode(text)
    except ValueError:  # not JSON, or a value off the usual path (msgspec's errors are ValueErrors)
        return None
    parts = _finish(found.channels, found.flows)
    if parts is None:
        return None
    return {key: getattr(found, key) for key in HEADER}, *parts


def _may_hold_nul(text: str | bytes) -> bool:
    """Whether the text holds the escape of a NUL (JSON can hold one in no other way).

    Most files hold no backslash at all, which one memchr-speed pass tells; searching for the whole
    escape is ten times slower (its last character, 0, is in every number)."""
    if isinstance(text, str):
        return text.find("\\") >= 0 and text.rfind("\\u0000") >= 0
    return text.find(b"\\") >= 0 and text.rfind(b"\\u0000") >= 0


def convert(raw_channels: Sequence[Any], raw_flows: Sequence[Any]) -> tuple[list[Channel], list[Flow]] | None:
    """`decode` for entries already parsed (a pasted map): the channels and flows, or None."""
    from msgspec import convert as typed

    channel, flow, _ = _types()
    try:
        channels = typed(raw_channels, GenericAlias(list, channel))
        flows = typed(raw_flows, GenericAlias(list, flow))
    except ValueError:
        return None
    texts = chain(
        map(_ID, channels),
        map(_NAME, channels),
        *(map(attrgetter(key), channels) for key in TEXT_FIELDS),
        map(_SOURCE, flows),
        map(_TARGET, flows),
        map(_RULE, flows),
        map(_LABEL, flows),
    )
    joined = "".join(texts)  # parsed text may hold what JSON text cannot: a NUL, a lone surrogate
    if "\x00" in joined or not joined.isascii() and not _encodes(joined):
        return None
    return _finish(channels, flows)


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _finish(channels: list[Any], flows: list[Any]) -> tuple[list[Channel], list[Flow]] | None:
    """The entries as a map's channels and flows (ids and names trimmed, `ord` in list order), or None
    when a name is not one printable line, an id or name is blank, or a flow does not join two
    different channels (an end with spaces around it included: the entry-by-entry reading trims it).

    Each flow's ends are the very id strings of its channels: the score then finds them by identity,
    with their hashes known (3 ms less for 20,000 flows), and `ArchitectureMap.bulk` need not look
    the ends up again (`ends_checked`)."""
    from msgspec.structs import astuple

    ids, names = list(map(_ID, channels)), list(map(_NAME, channels))
    trimmed_ids, trimmed_names = list(map(str.strip, ids)), list(map(str.strip, names))
    if not (all(trimmed_ids) and all(trimmed_names) and all(map(str.isprintable, names))):
        return None
    if trimmed_ids != ids or trimmed_names != names:
        for entry, cid, name in zip(channels, trimmed_ids, trimmed_names, strict=True):
            entry.id, entry.name = cid, name
    layer_of = _LAYER_OF
    for number, entry in enumerate(channels, 1):
        entry.ord = number
        entry.layer = layer_of[entry.layer]
    own = dict(zip(trimmed_ids, trimmed_ids, strict=True)).__getitem__
    try:
        sources = list(map(own, map(_SOURCE, flows)))
        targets = list(map(own, map(_TARGET, flows)))
    except KeyError:
        return None
    if any(map(is_, sources, targets)):
        return None
    rules, labels = map(_RULE, flows), map(_LABEL, flows)
    return channels_from_rows(map(astuple, channels)), build_flows(sources, targets, rules, labels, count(1))
