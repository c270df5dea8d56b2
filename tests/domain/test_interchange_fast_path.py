"""The column reading of usual channel entries gives exactly the channels of the full checks, or steps aside."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain import interchange
from desktop.domain.errors import MapError
from desktop.domain.model import TEXT_FIELDS, ArchitectureMap
from desktop.domain.validation import check_channel

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
ENTRIES = st.one_of(ENTRY, USUAL, USUAL)


def _full(raw: object, index: int):
    """The full reading: the channel, or the MapError it raises."""
    try:
        channel = interchange._channel(raw, index)
        check_channel(ArchitectureMap(), channel)
    except MapError as exc:
        return exc
    return channel


def _usual_channel(raw: object, index: int):
    """The column reading of one entry, as the entry at `index` of a file."""
    found = interchange._usual_channels([raw])
    return None if found is None else found[0].with_changes(ord=index + 1)


@settings(max_examples=400, deadline=None)
@given(ENTRIES, st.integers(0, 50))
def test_usual_channel_equals_the_full_reading(raw: dict, index: int) -> None:
    quick = _usual_channel(raw, index)
    if quick is None:
        return
    full = _full(raw, index)
    assert not isinstance(full, MapError)
    assert quick == full
    for a, b in ((quick.monthly_spend, full.monthly_spend), (quick.x, full.x)):
        assert type(a) is type(b)
        if a is not None:
            assert math.copysign(1, a) == math.copysign(1, b)


@pytest.mark.parametrize(
    "raw",
    [
        {"id": "c1", "name": "Paid search", "layer": "capture"},
        {"id": " c1 ", "name": " Paid ", "layer": "feedback", "automation": "ai", "monthly_spend": 12000,
         "leads_per_month": 3.5, "x": -40, "y": 1e7, "notes": "n", "message": ""},
    ],
)  # fmt: skip
def test_usual_entries_take_the_one_step_reading(raw: dict) -> None:
    quick = _usual_channel(raw, 0)
    assert quick is not None and quick == _full(raw, 0)


@pytest.mark.parametrize(
    "change",
    [
        {"x": 1e7 + 1},
        {"y": -2e7},
        {"x": float("nan")},
        {"monthly_spend": -1},
        {"monthly_spend": 2**1100},
        {"leads_per_month": float("inf")},
        {"name": "a\tb"},
        {"name": "a\nb"},
        {"name": "x" * 201},
        {"id": "c\x00"},
        {"layer": "Routing"},
        {"automation": "yes"},
        {"notes": "n" * 10_001},
        {"tool": 3},
    ],
)
def test_entries_off_the_usual_path_read_as_the_full_checks_say(change: dict) -> None:
    raw = {"id": "c1", "name": "Paid search", "layer": "capture", **change}
    quick, full = _usual_channel(raw, 0), _full(raw, 0)
    column = interchange._usual_channels([{"id": "c0", "name": "Webinars", "layer": "execution"}, raw])
    if isinstance(full, MapError):
        assert quick is None and column is None
    else:
        assert quick is None or quick == full
        assert column is None or column[1] == _full(raw, 1)


def _same_floats(a: object, b: object) -> bool:
    return type(a) is type(b) and (a is None or math.copysign(1, a) == math.copysign(1, b))  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(st.lists(ENTRIES, max_size=6))
def test_the_column_reading_equals_the_full_reading_of_each_entry(entries: list) -> None:
    """`_usual_channels` checks a whole list a column at a time: it builds exactly what the full
    reading of each entry builds, or steps aside (None) for the entry-by-entry reading."""
    quick = interchange._usual_channels(entries)
    if quick is None:
        return
    full = [_full(raw, index) for index, raw in enumerate(entries)]
    assert not any(isinstance(channel, MapError) for channel in full)
    assert quick == full
    for a, b in zip(quick, full, strict=True):
        for name in ("monthly_spend", "leads_per_month", "x", "y"):
            assert _same_floats(getattr(a, name), getattr(b, name))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(ENTRIES, GOOD, GOOD), max_size=6))
def test_the_column_reading_of_complete_entries_equals_the_full_reading(entries: list) -> None:
    """The same with every key present (as our exports write them), read in one pass."""
    keys = ("id", "name", "layer", *TEXT_FIELDS, "monthly_spend", "leads_per_month", "x", "y", "automation")
    complete = [{key: raw.get(key) for key in keys} for raw in entries]
    test_the_column_reading_equals_the_full_reading_of_each_entry.hypothesis.inner_test(complete)  # type: ignore[attr-defined]


def test_a_list_of_usual_entries_takes_the_column_reading() -> None:
    entries = [
        {"id": "c1", "name": "Paid search", "layer": "capture", "monthly_spend": 12000, "x": -4},
        {"id": " c2", "name": "Café ☕", "layer": "feedback", "automation": "ai", "notes": "n", "y": 1e7},
    ]
    quick = interchange._usual_channels(entries)
    assert quick is not None and quick == [_full(raw, i) for i, raw in enumerate(entries)]
    assert [c.monthly_spend for c in quick] == [12000.0, None] and type(quick[0].x) is float
    entries[1]["monthly_spend"] = 2.5  # whole and decimal numbers in one column: all floats
    assert [type(c.monthly_spend) for c in interchange._usual_channels(entries) or []] == [float, float]


FLOW_ENTRY = st.fixed_dictionaries(
    {},
    optional={"source": TEXTS, "target": TEXTS, "rule": TEXTS, "label": TEXTS, "ord": NUMBERS},
)


def _full_flow(raw: object, index: int):
    try:
        return interchange._flow(raw, index)
    except MapError as exc:
        return exc


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(FLOW_ENTRY, st.builds(dict, source=GOOD_TEXT, target=GOOD_TEXT)), max_size=6))
def test_the_column_reading_of_flows_equals_the_reading_of_each(entries: list) -> None:
    quick = interchange._usual_flows(entries)
    if quick is None:
        return
    assert quick == [_full_flow(raw, index) for index, raw in enumerate(entries)]


def _json_only(text: bytes):
    """The reading with Python's json module alone (what `loads` did before it used orjson)."""
    import json

    try:
        return interchange.from_dict(json.loads(text))
    except (MapError, ValueError, RecursionError):
        return MapError


def _loads(text: bytes):
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
        MAP % '{"id": "c1", "name": "Caf\\u00e9", "layer": "capture", "name": "Twice"}',
        "\ufeff" + MAP % '{"id": "c1", "name": "BOM", "layer": "capture"}',
        MAP % '{"id": "c1", "name": "Paid", "layer": "capture", "x": 1e400}',
        '{"format": "distribution-architecture", "version": 2, "channels": [], "flows": [], "format": 3}',
        "[" * 5000 + "]" * 5000,
        '{"a": 1,}',
    ],
)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_loads_reads_as_the_json_module_does(text: str, encoding: str) -> None:
    """orjson reads first; whatever it refuses that json reads (NaN, huge numbers, a lone surrogate,
    a byte order mark, UTF-16) is read by json, so the result is json's in every case."""
    data = text.encode(encoding, "surrogatepass")
    assert _loads(data) == _json_only(data) or (
        isinstance(_loads(data), ArchitectureMap) and _loads(data).same_content(_json_only(data))
    )
