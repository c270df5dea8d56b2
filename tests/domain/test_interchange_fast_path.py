"""The one-step reading of a usual channel entry gives exactly the channel of the full checks, or steps aside."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain import interchange
from desktop.domain.errors import MapError
from desktop.domain.model import ArchitectureMap
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


@settings(max_examples=400, deadline=None)
@given(ENTRIES, st.integers(0, 50))
def test_usual_channel_equals_the_full_reading(raw: dict, index: int) -> None:
    quick = interchange._usual_channel(raw, index)
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
    quick = interchange._usual_channel(raw, 0)
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
    quick, full = interchange._usual_channel(raw, 0), _full(raw, 0)
    if isinstance(full, MapError):
        assert quick is None
    else:
        assert quick is None or quick == full
