"""The rules a map must keep (formats.md): unique names, known layers, sane numbers, valid flows.

Every way into a map (JSON, CSV/XLSX, an edit in the window) calls these, so
the rules live in one place and a bad value is refused before anything changes.
"""

from __future__ import annotations

import math
import re

from desktop.domain.errors import MapError
from desktop.domain.layers import Layer
from desktop.domain.model import NUMBER_FIELDS, TEXT_FIELDS, ArchitectureMap, Channel, Flow

MAX_TEXT = 10_000
MAX_NAME = 200
# The most channels one map holds (README, "Limits"). Imports and edits that would go beyond it are
# refused; a file already beyond it (made by an older version or another program) still opens.
MAX_CHANNELS = 20_000
_LINE_BREAKS = re.compile(r"[\r\n\v\f\x85\u2028\u2029]+")


def one_line(text: str) -> str:
    """A name as one line: every run of line breaks becomes one space (a name is never two lines)."""
    return _LINE_BREAKS.sub(" ", text) if not text.isprintable() else text


def check_room(arch: ArchitectureMap, adding: int = 1) -> None:
    """Refuse to grow a map beyond MAX_CHANNELS channels."""
    if adding > 0 and len(arch) + adding > MAX_CHANNELS:
        have = f"it has {len(arch):,}, " if len(arch) else ""
        raise MapError(
            f"a map holds at most {MAX_CHANNELS:,} channels ({have}adding {adding:,} would make "
            f"{len(arch) + adding:,}): split it into several maps"
        )


_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")


def _decimal_text(text: str) -> str:
    """A number written with commas as Python reads it: "12,000" and "1,234.5" group thousands;
    "12000,50", "12,5" and "1.234,5" (a European sheet) use the comma as the decimal point.

    Reading "12000,50" as 1,200,050 would be silently wrong by a factor of a hundred.
    """
    if "," not in text:
        return text
    if "." in text:  # both: the one that comes last is the decimal point
        if text.rfind(",") > text.rfind("."):
            return text.replace(".", "").replace(",", ".")
        return text.replace(",", "")
    if _GROUPED.fullmatch(text):
        return text.replace(",", "")
    if text.count(",") == 1:
        return text.replace(",", ".")
    return text  # e.g. "1,2,3": refused below with the value as typed


def parse_number(value: object, field_name: str) -> float | None:
    """A non-negative finite number, or None for blank. Accepts "12,000", " 1 200 " and "12000,50"."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise MapError(f"{field_name} must be a number, not {value!r}")
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:
            raise MapError(f"{field_name} is out of range") from None
    else:
        text = _decimal_text(str(value).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", ""))
        if text == "" or text.casefold() == "nan":
            return None
        try:
            number = float(text)
        except ValueError:
            raise MapError(f"{field_name} must be a number, not {str(value).strip()!r}") from None
    if math.isnan(number):
        return None
    if math.isinf(number):
        raise MapError(f"{field_name} must be a finite number")
    if number < 0:
        raise MapError(f"{field_name} must not be negative ({_show(number)})")
    return number


def parse_coordinate(value: object, field_name: str) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise MapError(f"{field_name} must be a number")
    try:
        number = float(value)
    except OverflowError:
        raise MapError(f"{field_name} is out of range") from None
    except ValueError:
        raise MapError(f"{field_name} must be a number, not {value!r}") from None
    if not math.isfinite(number) or abs(number) > 1e7:
        raise MapError(f"{field_name} is out of range")
    return number


def clean_text(value: object, field_name: str, limit: int = MAX_TEXT) -> str:
    if value.__class__ is str and len(value) <= limit and value.isascii() and "\x00" not in value:
        return value  # the common case, without the checks below
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, dict | list):
        raise MapError(f"{field_name} must be text")
    text = str(value)
    if "\x00" in text:
        raise MapError(f"{field_name} contains a NUL character")
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise MapError(f"{field_name} contains text that is not valid Unicode") from None
    if len(text) > limit:
        raise MapError(f"{field_name} is too long ({len(text):,} characters; at most {limit:,})")
    return text


def check_channel(
    arch: ArchitectureMap, channel: Channel, replacing: str | None = None, *, limit: bool = True
) -> None:
    """Refuse a channel that would break the map's rules (replacing: the id it updates).

    `limit=False` only when reading a file that exists already (it may be above MAX_CHANNELS).
    """
    if replacing is None and limit:
        check_room(arch)
    if not channel.id.strip():
        raise MapError("a channel needs an id")
    if not channel.name.strip():
        raise MapError("a channel needs a name")
    if len(channel.name) > MAX_NAME:
        raise MapError(f"the name is too long (at most {MAX_NAME} characters)")
    if not isinstance(channel.layer, Layer):
        raise MapError(f"unknown layer {channel.layer!r}")
    if replacing is None and arch.has_channel(channel.id):
        raise MapError(f"the id {channel.id!r} is already used")
    owner = arch.channel_by_name(channel.name)
    if owner is not None and owner.id != (replacing or channel.id):
        raise MapError(f"the name {channel.name.strip()!r} is already used by another channel")
    for name in NUMBER_FIELDS:
        value = getattr(channel, name)
        if value is not None and (not math.isfinite(value) or value < 0):
            raise MapError(f"{name} must be a non-negative number")
    for name in TEXT_FIELDS:
        clean_text(getattr(channel, name), name)


def check_flow(arch: ArchitectureMap, flow: Flow, replacing: bool = False) -> None:
    """Refuse self-flows, repeated pairs and flows to unknown channels."""
    for end in (flow.source, flow.target):
        if not arch.has_channel(end):
            raise MapError(f"the flow refers to an unknown channel {end!r}")
    if flow.source == flow.target:
        name = arch.channel(flow.source).name
        raise MapError(f"a flow cannot go from {name!r} to itself")
    if not replacing and arch.flow(flow.source, flow.target) is not None:
        a, b = arch.channel(flow.source).name, arch.channel(flow.target).name
        raise MapError(f"there is already a flow from {a!r} to {b!r}")
    clean_text(flow.rule, "rule")
    clean_text(flow.label, "label")


def _show(number: float) -> str:
    return str(int(number)) if number.is_integer() else str(number)
