"""Comparing two maps: channels matched by name, score delta, findings fixed and new."""

from __future__ import annotations

import json

from desktop.domain.coherence_v1 import assess
from desktop.domain.compare import compare as compare_by_contract
from desktop.domain.compare import comparison_text, finding_identity
from desktop.domain.model import ArchitectureMap, Channel
from tests.domain.test_coherence import (
    ALIGNED,
    CAPTURE,
    EXECUTION,
    FEEDBACK,
    ROUTING,
    build,
    ch,
    worked_example,
)


def compare(before, after):
    """These tests are about comparing, written with contract 1's numbers."""
    return compare_by_contract(before, after, contract=1)


def fixed_example() -> ArchitectureMap:
    """The worked example with its two findings fixed."""
    arch = worked_example()
    arch.put_flow(arch.flow("lead-scoring", "email-nurture").with_changes(rule="score < 70"))
    return build(
        arch.channels,
        [(f.source, f.target, f.rule) for f in arch.flows] + [("email-nurture", "attribution")],
    )


def test_identical_maps_have_no_differences():
    data = compare(worked_example(), worked_example()).to_dict()
    assert data["delta"] == 0.0
    assert (
        data["from"]
        == data["to"]
        == {
            "score": 83.8,
            "components": {"coverage": 1.0, "flow": 1.0, "routing": 0.5, "execution": 1.0, "feedback": 0.75},
        }
    )
    for key in (
        "channels_added",
        "channels_removed",
        "channels_moved",
        "channels_changed",
        "flows_added",
        "flows_removed",
        "flows_changed",
        "findings_resolved",
        "findings_new",
    ):
        assert data[key] == [], key


def test_fixing_the_worked_example_resolves_both_findings():
    result = compare(worked_example(), fixed_example())
    data = result.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["from"]["score"] == 83.8
    assert data["to"]["score"] == 100.0
    assert data["delta"] == 16.2
    assert data["flows_added"] == [["Email nurture", "Attribution"]]
    assert data["flows_removed"] == []
    assert data["flows_changed"] == [
        {"source": "Lead scoring", "target": "Email nurture", "fields": ["rule"]}
    ]
    assert [(f["rule"], f["channels"], f["points"]) for f in data["findings_resolved"]] == [
        ("unruled-routing", ["Lead scoring"], 10.0),
        ("unmeasured-execution", ["Email nurture"], 6.25),
    ]
    assert data["findings_new"] == []
    assert compare(fixed_example(), worked_example()).to_dict()["delta"] == -16.2


def test_delta_is_taken_between_the_scores_as_shown():
    before = worked_example()  # 83.75, shown 83.8
    after = worked_example()
    after.put_channel(ch("Podcast", FEEDBACK, ord=99))  # an orphan that also feeds nothing back
    result = compare(before, after)
    shown_from, shown_to = result.to_dict()["from"]["score"], result.to_dict()["to"]["score"]
    assert result.delta == round(shown_to - shown_from, 1)


def test_channels_are_matched_by_trimmed_case_folded_name_not_id():
    before = build([ch("Paid search", CAPTURE), ch("Webinars", CAPTURE, segment="SMB", x=10.0)])
    after = ArchitectureMap.build(
        [
            Channel(id="z1", name=" PAID search ", layer=CAPTURE, ord=1),
            Channel(id="z2", name="Webinars", layer=ROUTING, segment="SMB", x=500.0, y=20.0, ord=2),
            Channel(id="z3", name="Events", layer=EXECUTION, ord=3),
        ]
    )
    data = compare(before, after).to_dict()
    assert data["channels_added"] == ["Events"]
    assert data["channels_removed"] == []
    assert data["channels_moved"] == [{"name": "Webinars", "from": "capture", "to": "routing"}]
    assert data["channels_changed"] == [{"name": " PAID search ", "fields": ["name"]}]


def test_changed_fields_are_listed_without_positions():
    before = build([ch("Events", EXECUTION, **ALIGNED, monthly_spend=100.0, x=1.0)])
    after = build(
        [ch("Events", EXECUTION, **{**ALIGNED, "message": "Save time"}, monthly_spend=120.0, x=2.0)]
    )
    data = compare(before, after).to_dict()
    assert data["channels_changed"] == [{"name": "Events", "fields": ["message", "monthly_spend"]}]
    assert data["findings_new"] == [] and data["findings_resolved"] == []


def test_removed_channel_takes_its_flows_and_findings_with_it():
    before = worked_example()
    after = worked_example()
    after.drop_flow("webinars", "lead-scoring")
    after.drop_channel("webinars")
    after.put_channel(ch("Trade shows", CAPTURE, ord=50))
    after.put_flow(after.flows[0].with_changes(source="trade-shows", target="sdr-outreach", ord=50))
    data = compare(before, after).to_dict()
    assert data["channels_removed"] == ["Webinars"]
    assert data["channels_added"] == ["Trade shows"]
    assert data["flows_removed"] == [["Webinars", "Lead scoring"]]
    assert data["flows_added"] == [["Trade shows", "SDR outreach"]]
    new = data["findings_new"]
    assert [(f["rule"], f["channels"], f["points"]) for f in new] == [
        ("unrouted-signal", ["Trade shows"], 12.5)
    ]
    assert "bypassing routing" in new[0]["message"]
    assert data["findings_resolved"] == []


def test_findings_with_the_same_identity_are_paired_by_layer_message():
    before = build([ch("Paid search", CAPTURE)])  # routing, execution, feedback missing
    after = build([ch("Paid search", CAPTURE), ch("Attribution", FEEDBACK)], [("Attribution", "Paid search")])
    data = compare(before, after).to_dict()
    resolved = [(f["rule"], f["message"]) for f in data["findings_resolved"]]
    assert (
        "missing-layer",
        "The feedback layer has no channel: add one so the map covers all four layers",
    ) in resolved
    assert [f["rule"] for f in data["findings_resolved"]].count("missing-layer") == 1
    assert "orphan-channel" in [f["rule"] for f in data["findings_resolved"]]


def test_finding_identity_ignores_case_and_order_of_names():
    one = build([ch("HubSpot", EXECUTION, function="email"), ch("marketo", EXECUTION, function="email")])
    two = build([ch("MARKETO", EXECUTION, function="Email"), ch("hubspot ", EXECUTION, function="email")])
    first = next(f for f in assess(one).findings if f.rule == "duplicate-function")
    second = next(f for f in assess(two).findings if f.rule == "duplicate-function")
    assert (
        finding_identity(first) == finding_identity(second) == ("duplicate-function", ("hubspot", "marketo"))
    )
    assert compare(one, two).to_dict()["findings_new"] == []


def test_comparison_text_shows_score_change_and_non_empty_sections():
    text = comparison_text(compare(worked_example(), fixed_example()))
    assert text.splitlines() == [
        "Score 83.8 → 100.0 (+16.2)",
        "Flows added (1):",
        "  Email nurture → Attribution",
        "Flows changed (1):",
        "  Lead scoring → Email nurture (rule)",
        "Findings resolved (2):",
        "  10.0  Lead scoring sends to 2 channels but only 1 flow has a rule: add a rule to the flow to Email nurture",
        "  6.3  Email nurture is not measured: add a flow to a feedback channel such as Attribution",
    ]
    same = comparison_text(compare(worked_example(), worked_example()))
    assert same.splitlines() == [
        "Score 83.8 → 83.8 (+0.0)",
        "The two maps have the same channels, flows and findings.",
    ]
