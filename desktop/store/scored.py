"""The score-only read of a `.distarch` file: what `score` of a 10,000-channel map reads, and no more.

Why: `score` spent most of its time reading and re-checking columns the score
never reads (coordinates, leads) and having SQLite sort every row by `ord`. So
this read asks SQLite only for the fields the score reads (`SCORED_*_FIELDS`,
declared next to the score contract), in storage order, plus the text columns
whose checks need Python (a text is only known to be valid UTF-8 once decoded).
Every other column is still checked, by SQLite, in the same pass: a row whose
unread values a program of ours would not have written (an `ord` that is not a
whole number, an infinite or negative number, text in a number column) is left
out, and the count of rows then differs. Channels come back in `ord` order (a
sort only when rows moved in storage); flows in storage order (no contract
depends on it). Rows are read and built 1,024 at a time, repeated values kept
once, so that memory is reused instead of newly touched (page faults were a
fifth of the time).

Any doubt (a row left out, a column check that fails, a decoding error, a
repeated id or name, a flow to nowhere or to itself) returns None, and the
caller reads the whole file the checked way, which refuses it with the same
message as opening it in the window (two flows joining the same ends included,
which the schema's UNIQUE forbids but a byte-edited file can still hold).

The map returned is only ever scored, never written nor drawn:
its unread fields are at their defaults (tests/store/test_scored_read.py,
tests/store/test_trusted_read.py, tests/domain/test_scored_fields.py).
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable
from dataclasses import fields
from itertools import islice, repeat
from operator import attrgetter, gt, is_

from desktop.domain.coherence import SCORED_CHANNEL_FIELDS, SCORED_FLOW_FIELDS
from desktop.domain.errors import MapError
from desktop.domain.layers import LAYERS
from desktop.domain.model import AI, ArchitectureMap, Channel, Flow, build_channels, build_flows
from desktop.domain.validation import MAX_NAME, MAX_TEXT
from desktop.domain.vocabulary import stored_currency
from desktop.store.safety import MAP_COLUMNS, _map_info
from desktop.store.schema import CHANNEL, FLOW, MAP, SETTING

_FINITE = "1.7976931348623157e308"  # the largest double: BETWEEN -it AND it leaves out ±inf, text and blobs

# The SQL check of each column the score does not read (the same rule `build_checked` applies to it).
# Text columns have none: they are always read, since only decoding them proves them valid UTF-8.
_UNREAD_CHECKS = {
    "ord": "typeof(ord) = 'integer'",
    "leads_per_month": f"(leads_per_month IS NULL OR leads_per_month BETWEEN 0.0 AND {_FINITE})",
    "monthly_spend": f"(monthly_spend IS NULL OR monthly_spend BETWEEN 0.0 AND {_FINITE})",
    "x": f"(x IS NULL OR x BETWEEN -{_FINITE} AND {_FINITE})",
    "y": f"(y IS NULL OR y BETWEEN -{_FINITE} AND {_FINITE})",
}
_TEXT_TYPES = (str, "str")  # a field annotated `str` (a string under `from __future__ import annotations`)
_ORD = attrgetter("ord")
_LAYER_NUMBERS = set(range(len(LAYERS)))


def _read_columns(kind: type, scored: tuple[str, ...]) -> tuple[str, ...]:
    """The fields of `kind` to read: those the score reads and every text field, in `kind`'s order."""
    found = []
    for f in fields(kind):
        if f.name in scored or f.type in _TEXT_TYPES:
            found.append(f.name)
        elif f.name not in _UNREAD_CHECKS:
            raise AssertionError(
                f"{kind.__name__}.{f.name} is neither read nor checked by the score-only read"
            )
    return tuple(found)


CHANNEL_READ = _read_columns(Channel, SCORED_CHANNEL_FIELDS)
FLOW_READ = _read_columns(Flow, SCORED_FLOW_FIELDS)


# A channel's layer is read as its number (a small number costs Python no new object); any other value
# (even a number a foreign program stored) reads -1, which the layer check refuses.
_LAYER_NUMBER = (
    f"CASE layer {' '.join(f'WHEN {layer.value!r} THEN {n}' for n, layer in enumerate(LAYERS))} ELSE -1 END"
)
_SHOWN = {"layer": _LAYER_NUMBER}


def _select(table: str, columns: tuple[str, ...], present: tuple[str, ...]) -> str:
    """The rows of `table` whose unread columns pass their checks; a column the file predates reads ''."""
    shown = ", ".join(_SHOWN.get(name, name) if name in present else f"'' AS {name}" for name in columns)
    checks = [check for name, check in _UNREAD_CHECKS.items() if name in present and name not in columns]
    where = f" WHERE {' AND '.join(checks)}" if checks else ""
    return f"SELECT {shown} FROM {table}{where}"


def _channel_select(version: int) -> str:
    """In storage order (free: the table's own order), which breaks ties of `ord` as the checked read does."""
    return _select(CHANNEL.name, CHANNEL_READ, CHANNEL.columns_at(version)) + " ORDER BY rowid"


_FLOW_SELECT = _select(FLOW.name, FLOW_READ, FLOW.columns)
_SELECT_MAP = f"SELECT {', '.join(MAP_COLUMNS)} FROM {MAP.name} ORDER BY id LIMIT 1"
_SELECT_CURRENCY = f"SELECT value FROM {SETTING.name} WHERE \"key\" = 'currency'"
_CACHE_KIB = -64  # cache_size in KiB when negative
_COUNTS = f"SELECT (SELECT count(*) FROM {CHANNEL.name}), (SELECT count(*) FROM {FLOW.name})"
_CHUNK = 1024
_SHARED = ("function", "tool", "segment", "motion", "message", "rule", "label")  # values that repeat
_DEFAULTS = {f.name: f.default for f in fields(Channel)} | {f.name: f.default for f in fields(Flow)}


def read_scored(conn: sqlite3.Connection, version: int) -> ArchitectureMap | None:
    """The map as the score reads it, in one read transaction; None: read the file the checked way.

    `conn` is a read-only document's, used for this one read (its page cache is made small: every
    page is read once, in order, so a large cache would only cost memory to allocate).
    """
    try:
        conn.execute(f"PRAGMA cache_size={_CACHE_KIB}")
        conn.execute("BEGIN")  # one snapshot for every read
        try:
            row = conn.execute(_SELECT_MAP).fetchone()
            currency = conn.execute(_SELECT_CURRENCY).fetchone()
            channel_count, flow_count = conn.execute(_COUNTS).fetchone()
            reader = _Reader()
            channels = _read_all(conn.execute(_channel_select(version)), reader.channels)
            if channels is None or len(channels) != channel_count:  # a row's unread columns break a rule
                return None
            if not reader.in_order:  # moved in storage: sorted, equal ords kept in storage order
                channels.sort(key=_ORD)
            flows = _read_all(conn.execute(_FLOW_SELECT), reader.flows)
            if flows is None or len(flows) != flow_count or not reader.checked():
                return None
        finally:
            conn.execute("ROLLBACK")
        arch = ArchitectureMap.bulk(channels, flows, _map_info(row), ends_checked=True)
        if arch is not None:
            arch.info.currency = stored_currency(currency[0] if currency else "")
        return arch
    except sqlite3.Error:  # e.g. text that is not UTF-8: the checked read says where
        return None
    except (MapError, KeyError, ValueError, TypeError, AttributeError):  # the checked read says why
        return None


def _columns(rows: list[tuple], names: tuple[str, ...]) -> dict[str, tuple]:
    return dict(zip(names, zip(*rows, strict=True), strict=True))


def _texts(column: tuple, longest: int = MAX_TEXT) -> bool:
    """Every value is text of at most `longest` characters with no NUL.

    A value that is not text (a blob) makes `join` raise TypeError, which `read_scored` takes as a no.
    """
    return max(map(len, column)) <= longest and "\x00" not in "".join(column)


def _names(column: tuple) -> bool:
    return (
        _texts(column, MAX_NAME)
        and all(map(str.strip, column))
        and all(map(str.isprintable, column))  # one line, as `build_checked` would show it
    )


_REAL = {float, type(None)}
_AUTOMATIONS = {"", AI}


def _reals(column: tuple, low: float) -> bool:
    """Every value is None or a finite real number of at least `low` (SQLite never stores a NaN)."""
    if not set(map(type, column)) <= _REAL:
        return False
    values = [v for v in column if v is not None]
    return not values or (-math.inf < min(values) and low <= min(values) and max(values) < math.inf)


def _whole(column: tuple) -> bool:
    return set(map(type, column)) == {int}


def _later(column: tuple) -> bool:
    """A field whose values repeat: `_Reader.checked` checks each distinct value, once, at the end."""
    return True


def _known(column: tuple) -> bool:
    """A flow's ends: `_Reader.flows` refuses any that is not the id of a channel (checked text)."""
    return True


# Each column's check, the rule `build_checked` applies to it (any other field is text: `_texts`).
_CHECKS: dict[str, Callable[[tuple], bool]] = {
    "id": lambda column: _texts(column) and all(map(str.strip, column)),
    "name": _names,
    "layer": lambda column: set(column) <= _LAYER_NUMBERS,
    "automation": lambda column: set(column) <= _AUTOMATIONS,
    "monthly_spend": lambda column: _reals(column, 0.0),
    "leads_per_month": lambda column: _reals(column, 0.0),
    "x": lambda column: _reals(column, -math.inf),
    "y": lambda column: _reals(column, -math.inf),
    "ord": _whole,
    "source": _known,
    "target": _known,
    **{name: _later for name in _SHARED},
}


def _read_all(cursor: sqlite3.Cursor, build: Callable[[list[tuple]], list | None]) -> list | None:
    """Rows built a chunk at a time (the next chunk's rows reuse the memory of the last); None: a no."""
    made: list = []
    while rows := cursor.fetchmany(_CHUNK):
        part = build(rows)
        if part is None:
            return None
        made += part
    return made


class _Reader:
    """Builds channels, then flows, a chunk of rows at a time.

    It keeps one string per distinct value of the fields that repeat from row to row (a map has a
    few functions, segments and rules, and thousands of channels): the next chunk's rows reuse
    the memory of the copies, and the score compares and hashes each value once. A flow's ends
    become the very id strings of their channels (KeyError: a flow to nowhere).
    """

    def __init__(self) -> None:
        self.last: int | None = None
        self.in_order = True  # whether the channels' `ord`s came in order
        self.ids: dict[str, str] = {}
        self.shared: dict[str, dict[str, str]] = {name: {} for name in _SHARED}

    def _share(self, read: dict[str, tuple]) -> None:
        """Each repeated value as its first copy; `checked` checks each distinct value once."""
        for name, seen in self.shared.items():
            if name in read:
                read[name] = tuple(map(seen.setdefault, read[name], read[name]))

    def checked(self) -> bool:
        return all(_texts(tuple(seen)) for seen in self.shared.values() if seen)

    def channels(self, rows: list[tuple]) -> list[Channel] | None:
        read = _columns(rows, CHANNEL_READ)
        self._share(read)
        if not all(_CHECKS.get(name, _texts)(column) for name, column in read.items()):
            return None
        read["layer"] = tuple(map(LAYERS.__getitem__, read["layer"]))
        ords = read["ord"]
        if (self.last is not None and ords[0] < self.last) or any(map(gt, ords, islice(ords, 1, None))):
            self.in_order = False
        self.last = ords[-1]
        self.ids.update(zip(read["id"], read["id"], strict=True))
        return build_channels(*(read.get(f.name) or repeat(_DEFAULTS[f.name]) for f in fields(Channel)))

    def flows(self, rows: list[tuple]) -> list[Flow] | None:
        read = _columns(rows, FLOW_READ)
        self._share(read)
        if not all(_CHECKS.get(name, _texts)(column) for name, column in read.items()):
            return None
        ids = self.ids.__getitem__
        sources = read["source"] = tuple(map(ids, read["source"]))
        targets = read["target"] = tuple(map(ids, read["target"]))
        if any(map(is_, sources, targets)):  # a flow from a channel to itself
            return None
        return build_flows(*(read.get(f.name) or repeat(_DEFAULTS[f.name]) for f in fields(Flow)))
