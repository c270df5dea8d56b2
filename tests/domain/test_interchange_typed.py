"""The typed reading of usual maps (msgspec, desktop/domain/interchange_typed.py) gives exactly what the
entry-by-entry reading gives, or steps aside for it; `loads` reads what Python's json module reads."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain import interchange, interchange_typed
from desktop.domain.errors import MapError
from desktop.domain.model import TEXT_FIELDS, ArchitectureMap
from desktop.domain.validation import check_channel
from desktop.resources import sample_map_path

TEXTS = st.one_of(
    st.none(),
    st.sampled_from(["", " ", "Paid search", " padded ", "a\nb", "tab\there", "nul\x00", "é", "x" * 201]),
    st.text(max_size=12),
    st.integers(-3, 3),
    st.floats(allow_nan=True),
    st.booleans(),
    st.lists(st.integers(), max_size=1),
)
NUMBERS = st.one_of(
    st.none(),
    st.integers(-(2**60), 2**60),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["12,000", " 1 200 ", "", "nan", "-1", -0.0, True]),
)
LAYERS = st.one_of(
    st.sampled_from(
        ["capture", "routing", "execution", "feedback", "Routing", " capture", "2", 3, "x", None]
    ),
    TEXTS,
)
AUTOMATION = st.one_of(st.sampled_from([None, "", "ai", "AI", "yes", "no", "maybe", True, False, 1]), TEXTS)
ENTRY = st.fixed_dictionaries(
    {},
    optional={
        "id": TEXTS,
        "name": TEXTS,
        "layer": LAYERS,
        "function": TEXTS,
        "tool": TEXTS,
        "segment": TEXTS,
        "motion": TEXTS,
        "message": TEXTS,
        "notes": TEXTS,
        "monthly_spend": NUMBERS,
        "leads_per_month": NUMBERS,
        "automation": AUTOMATION,
        "x": NUMBERS,
        "y": NUMBERS,
    },
)

GOOD_TEXT = st.text(alphabet="ab Z-1\t", min_size=1, max_size=6)
GOOD_NUMBERS = st.one_of(st.none(), st.integers(0, 10**6), st.floats(-1e7, 1e7))
GOOD = st.fixed_dictionaries(
    {
        "id": GOOD_TEXT,
        "name": GOOD_TEXT,
        "layer": st.sampled_from(["capture", "routing", "execution", "feedback"]),
    },
    optional={
        "function": GOOD_TEXT,
        "tool": st.none(),
        "message": st.just(""),
        "notes": st.sampled_from(["n" * 10_000, "n" * 10_001, "é"]),
        "monthly_spend": GOOD_NUMBERS,
        "leads_per_month": GOOD_NUMBERS,
        "automation": st.sampled_from([None, "", "ai", "AI", "yes"]),
        "x": GOOD_NUMBERS,
        "y": GOOD_NUMBERS,
    },
)
ODD = st.one_of(TEXTS, NUMBERS, AUTOMATION, LAYERS)


@st.composite
def _usual(draw: st.DrawFn) -> dict:
    """A good entry, sometimes with one field made odd."""
    raw = draw(GOOD)
    if draw(st.booleans()):
        raw[draw(st.sampled_from(sorted(raw)))] = draw(ODD)
    return raw


USUAL = _usual()
NAMES = st.text(alphabet="ab Z-1é", min_size=1, max_size=6)
AMOUNTS = st.one_of(st.none(), st.integers(0, 10**6), st.floats(0, 1e12), st.just(-0.0))
EXPORTED = st.fixed_dictionaries(  # every key, as our exports write them: what the typed reading reads
    {
        "id": NAMES,
        "name": NAMES,
        "layer": st.sampled_from(["capture", "routing", "execution", "feedback"]),
        **{
            key: st.one_of(st.just(""), NAMES, GOOD_TEXT, st.sampled_from(["é ☕", "n" * 10_000]))
            for key in TEXT_FIELDS
        },
        "monthly_spend": AMOUNTS,
        "leads_per_month": AMOUNTS,
        "automation": st.sampled_from(["", "ai"]),
        "x": GOOD_NUMBERS,
        "y": GOOD_NUMBERS,
    }
)
ENTRIES = st.one_of(ENTRY, USUAL, USUAL, EXPORTED, EXPORTED, EXPORTED)


def _full(raw: object, index: int):
    """The entry-by-entry reading: the channel, or the MapError it raises."""
    try:
        channel = interchange._channel(raw, index)
        check_channel(ArchitectureMap(), channel)
    except MapError as exc:
        return exc
    return channel


def _file(channels: list, flows: list | None = None) -> dict:
    return {"format": "distribution-architecture", "version": 2, "channels": channels, "flows": flows or []}


def _typed_channels(entries: list):
    """Both typed readings of channel entries: converted from parsed entries, and decoded from the text
    of a file holding them (None where one steps aside)."""
    converted = interchange_typed.convert(entries, [])
    try:
        text = json.dumps(_file(entries)).encode()
    except (ValueError, TypeError):
        return converted and converted[0], None
    decoded = interchange_typed.decode(text)
    return converted and converted[0], decoded and decoded[1]


def _same_floats(a: object, b: object) -> bool:
    return type(a) is type(b) and (a is None or math.copysign(1, a) == math.copysign(1, b))  # type: ignore[arg-type]


def _equal_to_full(quick: list | None, entries: list) -> None:
    if quick is None:
        return
    full = [_full(raw, index) for index, raw in enumerate(entries)]
    assert not any(isinstance(channel, MapError) for channel in full)
    assert quick == full
    for a, b in zip(quick, full, strict=True):
        for name in ("monthly_spend", "leads_per_month", "x", "y"):
            assert _same_floats(getattr(a, name), getattr(b, name))


@settings(max_examples=400, deadline=None)
@given(st.lists(ENTRIES, max_size=6))
def test_the_typed_reading_equals_the_full_reading_of_each_entry(entries: list) -> None:
    """Converted or decoded, the typed reading builds exactly what the full reading of each entry
    builds (floats to their sign), or steps aside (None) for the entry-by-entry reading."""
    for quick in _typed_channels(entries):
        _equal_to_full(quick, entries)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(ENTRIES, GOOD, GOOD), max_size=6))
def test_the_typed_reading_of_complete_entries_equals_the_full_reading(entries: list) -> None:
    """The same with every key present, as our exports write them."""
    keys = ("id", "name", "layer", *TEXT_FIELDS, "monthly_spend", "leads_per_month", "x", "y", "automation")
    complete = [{key: raw.get(key) for key in keys} for raw in entries]
    for quick in _typed_channels(complete):
        _equal_to_full(quick, complete)


@pytest.mark.parametrize(
    "raw",
    [
        {"id": "c1", "name": "Paid search", "layer": "capture"},
        {"id": " c1 ", "name": " Paid ", "layer": "feedback", "automation": "ai", "monthly_spend": 12000,
         "leads_per_month": 3.5, "x": -40, "y": 1e7, "notes": "n", "message": ""},
        {"id": "c2", "name": "Café ☕", "layer": "routing", "ord": 7, "unknown": [1]},
    ],
)  # fmt: skip
def test_usual_entries_take_the_typed_reading(raw: dict) -> None:
    entries = [{"id": "c0", "name": "Webinars", "layer": "execution"}, raw]
    for quick in _typed_channels(entries):
        assert quick is not None and quick == [_full(raw, index) for index, raw in enumerate(entries)]
        assert [c.ord for c in quick] == [1, 2]


@pytest.mark.parametrize(
    "change",
    [
        {"x": 1e7 + 1},
        {"y": -2e7},
        {"x": float("nan")},
        {"monthly_spend": -1},
        {"monthly_spend": 2**1100},
        {"monthly_spend": "12,000"},
        {"leads_per_month": float("inf")},
        {"name": "a\tb"},
        {"name": "a\nb"},
        {"name": "x" * 201},
        {"name": "  "},
        {"id": "c\x00"},
        {"id": 7},
        {"layer": "Routing"},
        {"automation": "yes"},
        {"automation": None},
        {"notes": "n" * 10_001},
        {"notes": None},
        {"tool": 3},
        {"message": "P\ud800"},
    ],
)
def test_entries_off_the_usual_path_step_aside(change: dict) -> None:
    """Each of these is read entry by entry, which accepts some (a null text, "12,000", "yes") and
    names what is wrong with the others."""
    raw = {"id": "c1", "name": "Paid search", "layer": "capture", **change}
    assert _typed_channels([{"id": "c0", "name": "Webinars", "layer": "execution"}, raw]) == (None, None)


FLOW_ENTRY = st.fixed_dictionaries(
    {},
    optional={"source": TEXTS, "target": TEXTS, "rule": TEXTS, "label": TEXTS, "ord": NUMBERS},
)
ENDS = st.sampled_from(["a", "b", "c", " a", "b ", "", "z"])
GOOD_FLOW = st.fixed_dictionaries({"source": ENDS, "target": ENDS}, optional={"rule": TEXTS, "label": TEXTS})
PLAIN_FLOW = st.fixed_dictionaries(
    {"source": st.sampled_from("abc"), "target": st.sampled_from("abc")},
    optional={"rule": st.sampled_from(["", "enterprise", "score > 60"]), "label": st.sampled_from(["", "é"])},
)
CHANNELS = [{"id": key, "name": key.upper(), "layer": "capture"} for key in ("a", "b", "c")]


def _reading(data: object, typed: bool, monkeypatch: pytest.MonkeyPatch):
    """`from_dict` through the typed reading (every list) or entry by entry (none): the map, or the
    message of the MapError."""
    monkeypatch.setattr(interchange, "TYPED_ENTRIES", 0 if typed else 10**9)
    try:
        return interchange.from_dict(data, layout=False)
    except MapError as exc:
        return str(exc)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(FLOW_ENTRY, GOOD_FLOW, PLAIN_FLOW, PLAIN_FLOW, PLAIN_FLOW), max_size=5),
    st.lists(st.one_of(ENTRIES, EXPORTED), max_size=3),
)
def test_a_whole_map_reads_the_same_typed_or_entry_by_entry(flows: list, extra: list) -> None:
    """Channels and flows together (flow ends with spaces, unknown ends, repeated pairs…): the same map,
    or the same refusal."""
    data = _file(CHANNELS + extra, flows)
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert _reading(data, True, monkeypatch) == _reading(data, False, monkeypatch)


def _json_only(text: bytes):
    """The reading with Python's json module and the entry-by-entry checks alone."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return MapError
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(interchange, "TYPED_ENTRIES", 10**9)
        try:
            return interchange.from_dict(data)
        except MapError:
            return MapError


def _loads(text: bytes):
    """`loads`, with the typed reading tried on any text, however short."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(interchange, "TYPED_BYTES", 0)
        monkeypatch.setattr(interchange, "TYPED_ENTRIES", 0)
        try:
            return interchange.loads(text)
        except MapError:
            return MapError


MAP = '{"format": "distribution-architecture", "version": 2, "channels": [%s], "flows": []}'


@pytest.mark.parametrize(
    "text",
    [
        MAP % '{"id": "c1", "name": "Paid", "layer": "capture"}',
        MAP % '{"id": "c1", "name": "Paid", "layer": "capture", "monthly_spend": NaN}',
        MAP % '{"id": "c1", "name": "Paid", "layer": "capture", "x": Infinity}',
        MAP % '{"id": "c1", "name": "Paid", "layer": "capture", "monthly_spend": 123456789012345678901234}',
        MAP % '{"id": "c1", "name": "P\\ud800", "layer": "capture"}',
        MAP % '{"id": "c1", "name": "N\\u0000", "layer": "capture"}',
        MAP % '{"id": "c1", "name": "Back\\\\u0000slash", "layer": "capture"}',
        MAP % '{"id": "c1", "name": "Caf\\u00e9", "layer": "capture", "name": "Twice"}',
        "\ufeff" + MAP % '{"id": "c1", "name": "BOM", "layer": "capture"}',
        MAP % '{"id": "c1", "name": "Paid", "layer": "capture", "x": 1e400}',
        MAP
        % '{"id": "c1", "name": "Paid", "layer": "capture"}, {"id": "c1", "name": "Again", "layer": "routing"}',
        '{"format": "distribution-architecture", "version": 2, "channels": [], "flows": [], "format": 3}',
        '{"format": "distribution-architecture", "version": 9, "channels": [], "flows": []}',
        '{"format": "distribution-architecture", "version": 2, "channels": {}, "flows": []}',
        '{"format": "distribution-architecture", "version": 2, "currency": "EURO"}',
        "[" * 5000 + "]" * 5000,
        '{"a": 1,}',
        "[]",
    ],
)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_loads_reads_as_the_json_module_does(text: str, encoding: str) -> None:
    """msgspec reads first; whatever it refuses (NaN, huge numbers, a lone surrogate, a byte order mark,
    UTF-16, a NUL) is read by json, so the result is json's in every case."""
    data = text.encode(encoding, "surrogatepass")
    assert _loads(data) == _json_only(data) or (
        isinstance(_loads(data), ArchitectureMap) and _loads(data).same_content(_json_only(data))
    )


def test_a_large_usual_file_takes_the_typed_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    from bench.maps import make_map

    arch = make_map(300)
    text = interchange.dumps(arch).encode()
    assert len(text) >= interchange.TYPED_BYTES
    assert interchange_typed.decode(text) is not None
    read = interchange.loads(text)
    monkeypatch.setattr(interchange, "TYPED_BYTES", 10**12)
    monkeypatch.setattr(interchange, "TYPED_ENTRIES", 10**9)
    assert read == interchange.loads(text)
    assert [c.ord for c in read.channels] == list(range(1, 301))


def test_a_small_map_is_read_without_msgspec() -> None:
    """The window opens the sample map at start: that reading must not import msgspec."""
    code = (
        "import sys; from desktop.domain import interchange; from desktop.resources import sample_map_path; "
        "interchange.loads(sample_map_path().read_bytes()); print('msgspec' in sys.modules)"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "False"
    assert len(sample_map_path().read_bytes()) < interchange.TYPED_BYTES
