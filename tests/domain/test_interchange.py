"""Interchange JSON: validation exactly as formats.md says, and identical round trips."""

from __future__ import annotations

import copy
import json

import pytest

from desktop.domain import interchange
from desktop.domain.errors import MapError
from desktop.domain.layout import CHANNEL_HEIGHT
from desktop.resources import sample_map_path

BASE = {
    "format": "distribution-architecture",
    "version": 1,
    "name": "Acme GTM 2027",
    "description": "",
    "channels": [
        {
            "id": "c1",
            "name": "Paid search",
            "layer": "capture",
            "function": "paid-search",
            "tool": "Google Ads",
            "segment": "Mid-market",
            "motion": "sales-led",
            "message": "Consolidate",
            "monthly_spend": 12000,
            "leads_per_month": 340,
            "notes": "",
            "automation": "ai",
            "x": 40,
            "y": 120,
        },
        {"id": "c3", "name": "Lead scoring", "layer": "Routing"},
    ],
    "flows": [{"source": "c1", "target": "c3", "rule": "score >= 70", "label": ""}],
}


def doc(**changes):
    data = copy.deepcopy(BASE)
    data.update(changes)
    return data


def test_round_trip_keeps_every_field():
    arch = interchange.from_dict(doc())
    out = interchange.to_dict(arch)
    assert out["channels"][0] == BASE["channels"][0]
    assert out["channels"][1]["layer"] == "routing"
    assert out["flows"] == BASE["flows"]
    again = interchange.to_dict(interchange.loads(interchange.dumps(arch)))
    assert again == out


def test_sample_round_trip_is_identical():
    arch = interchange.loads(sample_map_path().read_bytes())
    text = interchange.dumps(arch)
    assert interchange.dumps(interchange.loads(text)) == text
    assert len(arch) == 20


def test_missing_positions_are_laid_out_without_overlap():
    data = doc(
        channels=[{"id": f"c{i}", "name": f"Channel {i}", "layer": "execution"} for i in range(12)], flows=[]
    )
    arch = interchange.from_dict(data)
    ys = sorted(c.y for c in arch.channels)
    assert all(b - a >= CHANNEL_HEIGHT for a, b in zip(ys, ys[1:], strict=False))
    assert len({c.x for c in arch.channels}) == 1


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["channels"][1].update(layer="routng"), "channels[1] (id c3): unknown layer 'routng'"),
        (lambda d: d["channels"][1].update(id="c1"), "duplicate id 'c1'"),
        (lambda d: d["channels"][1].update(name=" paid SEARCH "), "already used"),
        (lambda d: d["flows"].append({"source": "c1", "target": "c9"}), "unknown channel 'c9'"),
        (lambda d: d["flows"].append({"source": "c1", "target": "c1"}), "to itself"),
        (lambda d: d["flows"].append({"source": "c1", "target": "c3"}), "already a flow"),
        (lambda d: d["channels"][0].update(monthly_spend=-5), "must not be negative"),
        (lambda d: d["channels"][0].update(leads_per_month="lots"), "must be a number"),
        (lambda d: d.update(format="drawio"), "format must be"),
        (lambda d: d.update(version=3), "newer than this program"),
        (lambda d: d["channels"][0].pop("name"), "missing required field 'name'"),
        (lambda d: d["flows"][0].pop("target"), "missing required field 'target'"),
    ],
)
def test_rejections_name_the_entry(mutate, expected):
    data = doc()
    mutate(data)
    with pytest.raises(MapError) as info:
        interchange.from_dict(data)
    assert expected in str(info.value)


def test_not_json_is_refused_with_a_position():
    with pytest.raises(MapError, match="line 1"):
        interchange.loads("{nope")


def test_layer_is_case_insensitive_and_written_lower_case():
    arch = interchange.from_dict(doc())
    assert json.loads(interchange.dumps(arch))["channels"][1]["layer"] == "routing"


def test_version_1_files_read_automation_and_currency_and_write_version_2():
    arch = interchange.from_dict(doc(currency="eur"))
    assert arch.channels[0].automation == "ai" and arch.channels[1].automation == ""
    assert arch.info.currency == "EUR"
    out = interchange.to_dict(arch)
    assert out["version"] == 2 and out["currency"] == "EUR"
    assert interchange.from_dict(doc(version=2)).info.currency == "USD"


@pytest.mark.parametrize("value", ["AI", "yes", "True", "x", "1", True])
def test_automation_words_that_mean_ai(value):
    data = doc()
    data["channels"][0]["automation"] = value
    assert interchange.from_dict(data).channels[0].automation == "ai"


@pytest.mark.parametrize(("field", "value"), [("automation", "robot"), ("currency", "dollars")])
def test_bad_automation_or_currency_is_refused_with_a_reason(field, value):
    data = doc()
    if field == "currency":
        data["currency"] = value
    else:
        data["channels"][0]["automation"] = value
    with pytest.raises(MapError, match=field):
        interchange.from_dict(data)
