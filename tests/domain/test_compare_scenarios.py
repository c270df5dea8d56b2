"""A consolidation scenario worked by hand: the comparison lists every change and the exact score delta.

Before (62.0): Capture Ads, Intent A and Intent B (both intent-data) and
Enrichment; Routing Scoring; Execution SDR and Nurture (SMB, one message, one
motion); Feedback Attribution. Intent B goes straight to SDR, Scoring sends to
Nurture without a rule, Nurture is not measured, and Attribution feeds
nothing back:
  coverage 10 + flow 25·3/4 + routing 20·1/2 + execution 20 + feedback 25·(1/2 + 0)/2 − drag 3
  = 10 + 18.75 + 10 + 20 + 6.25 − 3 = 62.0.
After (100.0): Intent B removed, Webinars added, Enrichment moved to Routing,
a rule on Scoring → Nurture, Nurture → Attribution and Attribution → Scoring
added, and SDR's tool changed (which the score ignores).
"""

from __future__ import annotations

import json

from desktop.domain import interchange
from desktop.domain import operations as ops
from desktop.domain.compare import compare as compare_by_contract
from desktop.domain.compare import comparison_text
from desktop.domain.edits import AddChannel, AddFlow, RemoveChannel, SetInfo, UpdateChannel, apply_all
from desktop.domain.layers import Layer
from desktop.domain.model import ArchitectureMap, Channel, Flow

CAPTURE, ROUTING, EXECUTION, FEEDBACK = Layer.CAPTURE, Layer.ROUTING, Layer.EXECUTION, Layer.FEEDBACK
SALES = {"segment": "SMB", "message": "Save time", "motion": "sales-led"}


def compare(before, after):
    """These tests are about comparing, written with contract 1's numbers."""
    return compare_by_contract(before, after, contract=1)


def make(
    channels: list[tuple[str, Layer, dict]], flows: list[tuple[str, str, str]], prefix: str
) -> ArchitectureMap:
    """A map from names; ids carry a prefix so that the two maps' ids never line up."""
    built = [
        Channel(id=f"{prefix}{i}", name=name, layer=layer, ord=i, **fields)
        for i, (name, layer, fields) in enumerate(channels, start=1)
    ]
    ids = {c.name.casefold(): c.id for c in built}
    return ArchitectureMap.build(
        built,
        [
            Flow(ids[s.casefold()], ids[t.casefold()], rule, ord=i)
            for i, (s, t, rule) in enumerate(flows, start=1)
        ],
    )


def before_map() -> ArchitectureMap:
    return make(
        [
            ("Ads", CAPTURE, {"function": "paid"}),
            ("Intent A", CAPTURE, {"function": "intent-data"}),
            ("Intent B", CAPTURE, {"function": "intent-data"}),
            ("Enrichment", CAPTURE, {"function": "enrichment"}),
            ("Scoring", ROUTING, {}),
            ("SDR", EXECUTION, {**SALES, "tool": "Outreach"}),
            ("Nurture", EXECUTION, SALES),
            ("Attribution", FEEDBACK, {}),
        ],
        [
            ("Ads", "Scoring", ""),
            ("Intent A", "Scoring", ""),
            ("Intent B", "SDR", ""),
            ("Enrichment", "Scoring", ""),
            ("Scoring", "SDR", "score >= 70"),
            ("Scoring", "Nurture", ""),
            ("SDR", "Attribution", ""),
        ],
        "b",
    )


def after_map() -> ArchitectureMap:
    return make(
        [
            ("ads", CAPTURE, {"function": "paid"}),  # another case: still the same channel
            ("Intent A", CAPTURE, {"function": "intent-data"}),
            ("Webinars", CAPTURE, {}),
            ("Enrichment", ROUTING, {"function": "enrichment"}),
            ("Scoring", ROUTING, {}),
            ("SDR", EXECUTION, {**SALES, "tool": "Salesloft"}),
            ("Nurture", EXECUTION, SALES),
            ("Attribution", FEEDBACK, {}),
        ],
        [
            ("Ads", "Scoring", ""),
            ("Intent A", "Scoring", ""),
            ("Webinars", "Scoring", ""),
            ("Enrichment", "Scoring", ""),
            ("Scoring", "SDR", "score >= 70"),
            ("Scoring", "Nurture", "score < 70"),
            ("SDR", "Attribution", ""),
            ("Nurture", "Attribution", ""),
            ("Attribution", "Scoring", ""),
        ],
        "a",
    )


def test_consolidation_lists_every_change_and_the_delta():
    data = compare(before_map(), after_map()).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["from"] == {
        "score": 62.0,
        "components": {"coverage": 1.0, "flow": 0.75, "routing": 0.5, "execution": 1.0, "feedback": 0.25},
    }
    assert data["to"] == {
        "score": 100.0,
        "components": {"coverage": 1.0, "flow": 1.0, "routing": 1.0, "execution": 1.0, "feedback": 1.0},
    }
    assert data["delta"] == 38.0
    assert data["channels_added"] == ["Webinars"]
    assert data["channels_removed"] == ["Intent B"]
    assert data["channels_moved"] == [{"name": "Enrichment", "from": "capture", "to": "routing"}]
    assert data["channels_changed"] == [
        {"name": "ads", "fields": ["name"]},
        {"name": "SDR", "fields": ["tool"]},
    ]
    assert data["flows_added"] == [
        ["Webinars", "Scoring"],
        ["Nurture", "Attribution"],
        ["Attribution", "Scoring"],
    ]
    assert data["flows_removed"] == [["Intent B", "SDR"]]
    assert data["flows_changed"] == [{"source": "Scoring", "target": "Nurture", "fields": ["rule"]}]
    resolved = sorted((f["rule"], tuple(f["channels"]), f["points"]) for f in data["findings_resolved"])
    assert resolved == [
        ("duplicate-function", ("Intent A", "Intent B"), 3.0),
        ("open-loop", ("Attribution",), 12.5),
        ("unmeasured-execution", ("Nurture",), 6.25),
        ("unrouted-signal", ("Intent B",), 6.25),
        ("unruled-routing", ("Scoring",), 10.0),
    ]
    assert sum(f["points"] for f in data["findings_resolved"]) == 38.0  # every lost point came back
    assert data["findings_new"] == []


def test_undoing_the_consolidation_reports_the_same_changes_the_other_way():
    data = compare(after_map(), before_map()).to_dict()
    assert data["delta"] == -38.0
    assert data["channels_added"] == ["Intent B"]
    assert data["channels_removed"] == ["Webinars"]
    assert data["channels_moved"] == [{"name": "Enrichment", "from": "routing", "to": "capture"}]
    assert data["flows_removed"] == [
        ["Webinars", "Scoring"],
        ["Nurture", "Attribution"],
        ["Attribution", "Scoring"],
    ]
    assert data["findings_resolved"] == []
    assert sorted(f["rule"] for f in data["findings_new"]) == [
        "duplicate-function",
        "open-loop",
        "unmeasured-execution",
        "unrouted-signal",
        "unruled-routing",
    ]
    assert {f["rule"]: f["points"] for f in data["findings_new"]}["open-loop"] == 12.5


def test_a_partial_consolidation_keeps_the_findings_it_did_not_fix():
    before = before_map()
    after = before.copy()
    intent_b = after.channel_by_name("Intent B")
    assert intent_b is not None
    after.drop_flow(intent_b.id, after.channel_by_name("SDR").id)  # type: ignore[union-attr]
    after.drop_channel(intent_b.id)
    result = compare(before, after)
    assert {f.rule for f in result.findings_resolved} == {"duplicate-function", "unrouted-signal"}
    assert result.findings_new == ()
    # flow: 3 of 3 capture channels routed (25), no duplicate drag: 62.0 + 6.25 + 3 = 71.25 → 71.3
    assert result.to_dict()["to"]["score"] == 71.3
    assert result.delta == 9.3
    text = comparison_text(result)
    assert text.splitlines()[0] == "Score 62.0 → 71.3 (+9.3)"
    assert "Channels removed (1):\n  Intent B" in text


def test_restoring_a_version_touches_only_what_differs():
    arch = interchange.loads(interchange.dumps(before_map()))  # laid out, as maps in files are
    assert ops.restore(arch, arch.copy()) == []
    version = interchange.loads(interchange.dumps(arch))  # a snapshot numbers creation order afresh
    assert ops.restore(arch, version) == []
    edited = arch.copy()
    apply_all(edited, ops.delete(edited, ["b3"], []))
    apply_all(edited, ops.update_channel(edited, "b6", tool="Salesloft"))
    apply_all(edited, ops.rename_map(edited, "Consolidated"))
    edits = ops.restore(edited, arch)
    assert [type(e) for e in edits] == [AddChannel, UpdateChannel, AddFlow, SetInfo]
    apply_all(edited, edits)
    assert interchange.dumps(edited) == interchange.dumps(arch)


def test_restoring_swapped_names_replaces_everything():
    arch = before_map()
    target = arch.copy()
    target.put_channel(target.channel("b2").with_changes(name="Tmp"))
    target.put_channel(target.channel("b3").with_changes(name="Intent A"))
    target.put_channel(target.channel("b2").with_changes(name="Intent B"))
    edits = ops.restore(arch, target)
    assert any(isinstance(e, RemoveChannel) for e in edits)  # one by one, the renames would clash
    assert not any(isinstance(e, UpdateChannel) for e in edits)
    apply_all(arch, edits)
    assert arch.channel("b2").name == "Intent B" and arch.channel("b3").name == "Intent A"
    assert interchange.dumps(arch) == interchange.dumps(target)
