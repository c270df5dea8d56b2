"""The coherence engine against coherence.md v1: the worked example and every rule on a map of its own.

The map builders at the top are shared with the compare and property tests.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

import pytest

from desktop.domain.coherence_v1 import WEIGHTS, assess
from desktop.domain.findings import CoherenceReport, Finding, summary_text, tenths
from desktop.domain.interchange import loads
from desktop.domain.layers import Layer
from desktop.domain.model import ArchitectureMap, Channel, Flow

# --- map builders, shared with the compare and property tests ----------------------------------

CAPTURE, ROUTING, EXECUTION, FEEDBACK = Layer.CAPTURE, Layer.ROUTING, Layer.EXECUTION, Layer.FEEDBACK


def ident(name: str) -> str:
    return name.strip().casefold().replace(" ", "-")


def ch(name: str, layer: Layer, **fields: object) -> Channel:
    """A channel whose id is derived from its name."""
    return Channel(id=ident(name), name=name, layer=layer, **fields)  # type: ignore[arg-type]


def build(channels: Sequence[Channel], flows: Iterable[tuple[str, ...]] = ()) -> ArchitectureMap:
    """A map from channels and (source name, target name[, rule]) flows."""
    numbered = [c.with_changes(ord=i + 1) for i, c in enumerate(channels)]
    flow_list = [
        Flow(source=ident(f[0]), target=ident(f[1]), rule=f[2] if len(f) > 2 else "", ord=i + 1)
        for i, f in enumerate(flows)
    ]
    return ArchitectureMap.build(numbered, flow_list)


def worked_example() -> ArchitectureMap:
    """The worked example of coherence.md: 83.75, shown as 83.8."""
    execution = {"segment": "Mid-market", "message": "Consolidate", "motion": "sales-led"}
    return build(
        [
            ch("Paid search", CAPTURE),
            ch("Webinars", CAPTURE),
            ch("Lead scoring", ROUTING),
            ch("SDR outreach", EXECUTION, **execution),
            ch("Email nurture", EXECUTION, **execution),
            ch("Attribution", FEEDBACK),
        ],
        [
            ("Paid search", "Lead scoring"),
            ("Webinars", "Lead scoring"),
            ("Lead scoring", "SDR outreach", "score ≥ 70"),
            ("Lead scoring", "Email nurture"),
            ("SDR outreach", "Attribution"),
            ("Attribution", "Lead scoring"),
        ],
    )


ALIGNED: dict[str, str] = {"segment": "Mid-market", "message": "Consolidate", "motion": "sales-led"}
PERFECT_CHANNELS: tuple[Channel, ...] = (
    ch("Paid search", CAPTURE),
    ch("Lead scoring", ROUTING),
    ch("SDR outreach", EXECUTION, segment="Mid-market", message="Consolidate", motion="sales-led"),
    ch("Attribution", FEEDBACK),
)
PERFECT_FLOWS: tuple[tuple[str, ...], ...] = (
    ("Paid search", "Lead scoring"),
    ("Lead scoring", "SDR outreach"),
    ("SDR outreach", "Attribution"),
    ("Attribution", "Lead scoring"),
)


def perfect(extra: Sequence[Channel] = (), flows: Iterable[tuple[str, ...]] = ()) -> ArchitectureMap:
    """A map that scores 100, plus extra channels and flows."""
    return build([*PERFECT_CHANNELS, *extra], [*PERFECT_FLOWS, *flows])


def rules(report: CoherenceReport) -> list[tuple[str, tuple[str, ...], float]]:
    return [(f.rule, f.channels, round(f.points, 4)) for f in report.findings]


def only(report: CoherenceReport, rule: str) -> Finding:
    found = [f for f in report.findings if f.rule == rule]
    assert len(found) == 1, rules(report)
    return found[0]


def assert_balanced(report: CoherenceReport) -> None:
    assert sum(f.points for f in report.findings) == pytest.approx(100 - report.raw_score, abs=1e-9)


# --- the worked example and the result object ------------------------------------------------


def test_worked_example_scores_83_8_with_its_two_findings():
    report = assess(worked_example())
    assert report.score == pytest.approx(83.75)
    assert report.score_text == "83.8"
    assert report.components == pytest.approx(
        {"coverage": 1.0, "flow": 1.0, "routing": 0.5, "execution": 1.0, "feedback": 0.75}
    )
    assert list(report.components) == ["coverage", "flow", "routing", "execution", "feedback"]
    assert report.drag == 0
    assert rules(report) == [
        ("unruled-routing", ("Lead scoring",), 10.0),
        ("unmeasured-execution", ("Email nurture",), 6.25),
    ]
    assert report.findings[0].component == "routing"
    assert report.findings[1].component == "feedback"
    assert_balanced(report)


def test_worked_example_json_is_the_score_json_object():
    data = assess(worked_example()).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert list(data) == ["version", "score", "components", "drag", "findings"]
    assert data["version"] == 1
    assert data["score"] == 83.8
    assert data["components"] == {
        "coverage": 1.0,
        "flow": 1.0,
        "routing": 0.5,
        "execution": 1.0,
        "feedback": 0.75,
    }
    assert data["drag"] == 0.0
    first = data["findings"][0]
    assert list(first) == ["rule", "component", "points", "channels", "message"]
    assert first["rule"] == "unruled-routing"
    assert first["points"] == 10.0
    assert first["channels"] == ["Lead scoring"]
    assert "Lead scoring" in first["message"] and "rule" in first["message"]
    assert data["findings"][1]["message"] == (
        "Email nurture is not measured: add a flow to a feedback channel such as Attribution"
    )


def test_worked_example_read_from_interchange_json():
    text = json.dumps(
        {
            "format": "distribution-architecture",
            "version": 1,
            "channels": [
                {"id": "a", "name": "Paid search", "layer": "capture"},
                {"id": "b", "name": "Webinars", "layer": "Capture"},
                {"id": "c", "name": "Lead scoring", "layer": "routing"},
                {"id": "d", "name": "SDR outreach", "layer": "execution", "segment": "Mid-market",
                 "message": "Consolidate", "motion": "sales-led"},
                {"id": "e", "name": "Email nurture", "layer": "execution", "segment": " mid-MARKET ",
                 "message": "consolidate", "motion": "Sales-led "},
                {"id": "f", "name": "Attribution", "layer": "feedback"},
            ],
            "flows": [
                {"source": "a", "target": "c"},
                {"source": "b", "target": "c"},
                {"source": "c", "target": "d", "rule": "score >= 70"},
                {"source": "c", "target": "e", "rule": "  "},
                {"source": "d", "target": "f"},
                {"source": "f", "target": "c"},
            ],
        }
    )  # fmt: skip
    report = assess(loads(text))
    assert report.score_text == "83.8"
    assert [f.rule for f in report.findings] == ["unruled-routing", "unmeasured-execution"]


def test_summary_text_lists_score_components_and_findings():
    lines = summary_text(assess(worked_example())).splitlines()
    assert lines[0] == "Coherence score: 83.8 / 100"
    assert lines[3].split() == ["routing", "50.0%", "10.0", "of", "20"]
    assert lines[6].split() == ["drag", "0.0"]
    assert lines[7] == "Findings (2):"
    assert lines[8].split()[:2] == ["-10.0", "unruled-routing"]
    assert lines[9].split()[:3] == ["-6.3", "unmeasured-execution", "Email"]


def test_perfect_map_scores_100_without_findings():
    report = assess(perfect())
    assert report.score == 100
    assert report.score_text == "100.0"
    assert report.findings == ()


def test_empty_map_scores_0_with_findings_worth_100():
    report = assess(ArchitectureMap())
    assert report.score == 0
    assert report.score_text == "0.0"
    assert sum(f.points for f in report.findings) == pytest.approx(100)
    assert rules(report) == [
        ("no-capture", (), 25.0),
        ("no-feedback", (), 25.0),
        ("no-execution", (), 20.0),
        ("no-routing", (), 20.0),
        ("missing-layer", (), 2.5),
        ("missing-layer", (), 2.5),
        ("missing-layer", (), 2.5),
        ("missing-layer", (), 2.5),
    ]
    assert "feedback" in report.findings[1].message


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (83.75, "83.8"),
        (83.74999999999999, "83.8"),
        (0.05, "0.1"),
        (99.95, "100.0"),
        (72.25, "72.3"),
        (0, "0.0"),
    ],
)
def test_score_text_rounds_half_up(value, text):
    assert str(tenths(value)) == text
    assert CoherenceReport(value, value, {}, 0.0, ()).score_text == text


def test_findings_for_returns_the_findings_that_name_a_channel():
    arch = worked_example()
    report = assess(arch)
    assert [f.rule for f in report.findings_for("email-nurture")] == ["unmeasured-execution"]
    assert [f.rule for f in report.findings_for("lead-scoring")] == ["unruled-routing"]
    assert report.findings_for("paid-search") == ()
    assert report.findings_for("no-such-id") == ()


def test_findings_are_ordered_by_points_then_rule_then_names():
    arch = perfect(
        [ch("Zeta", CAPTURE), ch("alpha", CAPTURE), ch("Beta", FEEDBACK)],
        [("Zeta", "SDR outreach"), ("alpha", "SDR outreach"), ("SDR outreach", "Beta")],
    )
    report = assess(arch)
    assert rules(report) == [
        ("unrouted-signal", ("alpha",), 8.3333),
        ("unrouted-signal", ("Zeta",), 8.3333),
        ("open-loop", ("Beta",), 6.25),
    ]
    assert_balanced(report)


# --- every rule on a small map of its own -------------------------------------------------------


def execution_map(*channels: Channel, unmeasured: Sequence[str] = ()) -> ArchitectureMap:
    """The perfect map with its execution layer replaced: every execution channel routed with a rule."""
    base = [c for c in PERFECT_CHANNELS if c.layer is not EXECUTION]
    flows = [("Paid search", "Lead scoring"), ("Attribution", "Lead scoring")]
    for channel in channels:
        flows.append(("Lead scoring", channel.name, "rule"))
        if channel.name not in unmeasured:
            flows.append((channel.name, "Attribution"))
    return build([*base, *channels], flows)


def x(name: str, segment: str = "S", message: str = "M", motion: str = "m", **fields: object) -> Channel:
    """An execution channel."""
    return ch(name, EXECUTION, segment=segment, message=message, motion=motion, **fields)


ONE_RULE = [
    pytest.param(
        build([ch("Paid search", CAPTURE), ch("Lead scoring", ROUTING), x("SDR outreach")],
              [("Paid search", "Lead scoring"), ("Lead scoring", "SDR outreach")]),
        "missing-layer", (), 2.5, ("coverage", 0.75),
        "The feedback layer has no channel: add one so the map covers all four layers",
        id="missing-layer",
    ),
    pytest.param(
        build([ch("Lead scoring", ROUTING), x("SDR outreach"), ch("Attribution", FEEDBACK)],
              [("Lead scoring", "SDR outreach"), ("SDR outreach", "Attribution"), ("Attribution", "Lead scoring")]),
        "no-capture", (), 25.0, ("flow", 0.0),
        "No channel captures signals, so nothing enters the architecture: "
        "add capture channels such as paid search or webinars",
        id="no-capture",
    ),
    pytest.param(
        perfect([ch("Trade shows", CAPTURE)], [("Trade shows", "SDR outreach")]),
        "unrouted-signal", ("Trade shows",), 12.5, ("flow", 0.5),
        "Trade shows reaches SDR outreach only by bypassing routing: send it through Lead scoring",
        id="unrouted-capture-straight-to-execution",
    ),
    pytest.param(
        perfect([ch("Webinars", CAPTURE)], [("Paid search", "Webinars")]),
        "unrouted-signal", ("Webinars",), 12.5, ("flow", 0.5),
        "Webinars reaches no execution channel: connect it to Lead scoring",
        id="unrouted-reaches-no-execution",
    ),
    pytest.param(
        build([ch("Trade shows", CAPTURE), x("SDR outreach")], [("Trade shows", "SDR outreach")]),
        "unrouted-signal", ("Trade shows",), 25.0, ("flow", 0.0),
        "Trade shows reaches SDR outreach only by bypassing routing: "
        "add a routing layer, such as lead scoring, between it and execution",
        id="unrouted-without-routing-layer",
    ),
    pytest.param(
        build([ch("A dead router", ROUTING), *PERFECT_CHANNELS, ch("Webinars", CAPTURE)],
              [*PERFECT_FLOWS, ("Webinars", "A dead router")]),
        "unrouted-signal", ("Webinars",), 12.5, ("flow", 0.5),
        "Webinars reaches no execution channel: connect it to Lead scoring",
        id="unrouted-advice-names-a-router-that-reaches-execution",
    ),
    pytest.param(
        build([ch("Webinars", CAPTURE), ch("Lead scoring", ROUTING), x("SDR outreach")],
              [("Webinars", "Lead scoring")]),
        "unrouted-signal", ("Webinars",), 25.0, ("flow", 0.0),
        "Webinars reaches no execution channel: connect it to Lead scoring, "
        "and connect Lead scoring to an execution channel",
        id="unrouted-when-no-router-reaches-execution",
    ),
    pytest.param(
        # Trade shows → Events (execution) → Lead scoring → SDR outreach: routing only after execution.
        perfect([ch("Trade shows", CAPTURE), x("Events", **ALIGNED)],
                [("Trade shows", "Events"), ("Events", "Lead scoring"), ("Events", "Attribution")]),
        "unrouted-signal", ("Trade shows",), 12.5, ("flow", 0.5),
        "Trade shows reaches Events only by bypassing routing: send it through Lead scoring",
        id="unrouted-detour-through-execution",
    ),
    pytest.param(
        # Webinars → Qualify (routing) → Survey (feedback) → SDR outreach: feedback in between.
        perfect([ch("Webinars", CAPTURE), ch("Qualify", ROUTING), ch("Survey", FEEDBACK)],
                [("Webinars", "Qualify"), ("Qualify", "Survey"), ("Survey", "SDR outreach"),
                 ("Survey", "Lead scoring")]),
        "unrouted-signal", ("Webinars",), 12.5, ("flow", 0.5),
        "Webinars reaches execution only by a detour that bypasses routing: send it through Lead scoring",
        id="unrouted-detour-through-feedback",
    ),
    pytest.param(
        perfect([x("Email nurture", **ALIGNED), x("Events", **ALIGNED)],
                [("Lead scoring", "Email nurture", "  "), ("Lead scoring", "Events", "score < 40"),
                 ("Email nurture", "Attribution"), ("Events", "Attribution")]),
        "unruled-routing", ("Lead scoring",), 13.3333, ("routing", 1 / 3),
        "Lead scoring sends to 3 channels but only 1 flow has a rule: "
        "add rules to the flows to Email nurture and SDR outreach",
        id="unruled-routing",
    ),
    pytest.param(
        perfect([ch("Enrichment", ROUTING), ch("Webinars", CAPTURE)],
                [("Webinars", "Enrichment"), ("Enrichment", "SDR outreach"), ("Enrichment", "Lead scoring")]),
        "unruled-routing", ("Enrichment",), 10.0, ("routing", 0.5),
        "Enrichment sends to 2 channels but no flow has a rule: "
        "add rules to the flows to Lead scoring and SDR outreach",
        id="unruled-routing-no-rule-at-all",
    ),
    pytest.param(
        perfect([ch("Enrichment", ROUTING)], [("Paid search", "Enrichment")]),
        "routing-dead-end", ("Enrichment",), 10.0, ("routing", 0.5),
        "Enrichment sends nothing on: connect it to an execution channel such as SDR outreach",
        id="routing-dead-end",
    ),
    pytest.param(
        execution_map(x("SDR outreach", "Mid-market"), x("Email nurture", " "), x("Events", "")),
        "unknown-segment", ("Email nurture", "Events"), 4.4444, ("execution", (1 / 3 + 1 + 1) / 3),
        "Email nurture and Events have no segment: set the segment each one serves",
        id="unknown-segment",
    ),
    pytest.param(
        execution_map(
            x("SDR outreach", "Mid-market", "Consolidate"),
            x("Email nurture", " mid-MARKET ", " consolidate"),
            x("Events", "Mid-Market", "Save time"),
            x("Webinar follow-up", "mid-market", ""),
            x("Partners", "Enterprise", "Scale"),
        ),
        "mixed-messages", ("Events", "Webinar follow-up"), 2.6667, ("execution", (1 + 3 / 5 + 1) / 3),
        "In the Mid-market segment, Events and Webinar follow-up do not use the shared message "
        "“Consolidate”: align them",
        id="mixed-messages-case-and-blanks",
    ),
    pytest.param(
        execution_map(x("SDR outreach", message="beta"), x("Email nurture", message="Alpha")),
        "mixed-messages", ("SDR outreach",), 3.3333, ("execution", (1 + 1 / 2 + 1) / 3),
        "In the S segment, SDR outreach does not use the shared message “Alpha”: align it",
        id="mixed-messages-tie-smallest-case-folded-wins",
    ),
    pytest.param(
        execution_map(x("SDR outreach", message=""), x("Email nurture", message="  ")),
        "mixed-messages", ("Email nurture", "SDR outreach"), 6.6667, ("execution", 2 / 3),
        "In the S segment, Email nurture and SDR outreach have no message: set one shared message",
        id="mixed-messages-group-without-message",
    ),
    pytest.param(
        execution_map(x("SDR outreach", "", "A"), x("Email nurture", "  ", "B"), x("Events", "S", "B")),
        "mixed-messages", ("Email nurture",), 2.2222, ("execution", (1 / 3 + 2 / 3 + 1) / 3),
        "Among channels with no segment, Email nurture does not use the shared message “A”: align it",
        id="mixed-messages-blank-segments-form-one-group",
    ),
    pytest.param(
        execution_map(x("SDR outreach", motion="sales-led"), x("Email nurture", motion="Sales-Led"),
                      x("Self-serve", motion="product-led")),
        "mixed-motions", ("Self-serve",), 2.2222, ("execution", (1 + 1 + 2 / 3) / 3),
        "In the S segment, Self-serve does not use the shared motion “sales-led”: align it",
        id="mixed-motions",
    ),
    pytest.param(
        build([ch("Paid search", CAPTURE), ch("Lead scoring", ROUTING), x("SDR outreach")],
              [("Paid search", "Lead scoring"), ("Lead scoring", "SDR outreach")]),
        "no-feedback", (), 25.0, ("feedback", 0.0),
        "The feedback layer is empty: add attribution or win/loss analysis so results feed back",
        id="no-feedback",
    ),
    pytest.param(
        execution_map(x("SDR outreach"), x("Email nurture"), unmeasured=["Email nurture"]),
        "unmeasured-execution", ("Email nurture",), 6.25, ("feedback", 0.75),
        "Email nurture is not measured: add a flow to a feedback channel such as Attribution",
        id="unmeasured-execution",
    ),
    pytest.param(
        perfect([ch("Win/loss", FEEDBACK)], [("SDR outreach", "Win/loss"), ("Win/loss", "SDR outreach")]),
        "open-loop", ("Win/loss",), 6.25, ("feedback", 0.75),
        "Win/loss feeds nothing back: add a flow from it to a capture or routing channel such as Lead scoring",
        id="open-loop",
    ),
    pytest.param(
        perfect([x("Podcast", **ALIGNED)]),
        "orphan-channel", ("Podcast",), 2.0, ("drag", 2.0),
        "Podcast has no flow in or out: connect it to the architecture or remove it",
        id="orphan-channel",
    ),
    pytest.param(
        perfect([x("HubSpot email", function="Email", **ALIGNED), x("Marketo", function=" email ", **ALIGNED),
                 x("Mailchimp", function="EMAIL", **ALIGNED)],
                [("Lead scoring", "HubSpot email", "a"), ("HubSpot email", "Marketo"),
                 ("Marketo", "Mailchimp"), ("Mailchimp", "Attribution")]),
        "duplicate-function", ("HubSpot email", "Mailchimp", "Marketo"), 6.0, ("drag", 6.0),
        "Three execution channels all do Email (HubSpot email, Mailchimp and Marketo): consolidate them",
        id="duplicate-function-three",
    ),
    pytest.param(
        perfect([x("HubSpot email", function="email", **ALIGNED), x("Marketo", function="Email", **ALIGNED)],
                [("SDR outreach", "HubSpot email"), ("HubSpot email", "Marketo"), ("Marketo", "Attribution")]),
        "duplicate-function", ("HubSpot email", "Marketo"), 3.0, ("drag", 3.0),
        "Two execution channels both do email (HubSpot email and Marketo): consolidate them",
        id="duplicate-function-two",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("arch", "rule", "channels", "points", "component", "message"), ONE_RULE)
def test_each_rule_on_a_map_of_its_own(arch, rule, channels, points, component, message):
    report = assess(arch)
    finding = only(report, rule)
    assert (finding.channels, round(finding.points, 4), finding.message) == (channels, points, message)
    name, value = component
    assert (report.drag if name == "drag" else report.components[name]) == pytest.approx(value)
    assert finding.component == name
    assert_balanced(report)


def test_no_routing_costs_20():
    arch = build(
        [ch("Paid search", CAPTURE), x("SDR outreach"), ch("Attribution", FEEDBACK)],
        [("Paid search", "SDR outreach"), ("SDR outreach", "Attribution"), ("Attribution", "Paid search")],
    )
    report = assess(arch)
    assert rules(report) == [
        ("unrouted-signal", ("Paid search",), 25.0),
        ("no-routing", (), 20.0),
        ("missing-layer", (), 2.5),
    ]
    assert report.findings[1].message == (
        "No routing logic decides where leads go: add a routing channel such as lead scoring "
        "between capture and execution"
    )
    assert report.score == pytest.approx(52.5)


def test_no_execution_costs_20_and_leaves_nothing_to_measure():
    arch = build(
        [ch("Paid search", CAPTURE), ch("Lead scoring", ROUTING), ch("Attribution", FEEDBACK)],
        [("Paid search", "Lead scoring"), ("Attribution", "Lead scoring")],
    )
    report = assess(arch)
    assert rules(report) == [
        ("unrouted-signal", ("Paid search",), 25.0),
        ("no-execution", (), 20.0),
        ("routing-dead-end", ("Lead scoring",), 20.0),
        ("nothing-to-measure", (), 12.5),
        ("missing-layer", (), 2.5),
    ]
    assert report.components["feedback"] == 0.5
    assert_balanced(report)


# --- what counts as routed ------------------------------------------------------------------------

ROUTED = [
    pytest.param(
        [ch("Intent data", CAPTURE), ch("Web visits", CAPTURE)],
        [("Intent data", "Web visits"), ("Web visits", "Paid search")],
        id="capture-capture-routing-execution",
    ),
    pytest.param(
        [ch("Webinars", CAPTURE), ch("Enrichment", ROUTING)],
        [("Webinars", "Enrichment"), ("Enrichment", "Lead scoring")],
        id="capture-routing-routing-execution",
    ),
    pytest.param(
        # Paths are walks: Web visits → Enrichment → Web visits → SDR outreach passes routing.
        [ch("Webinars", CAPTURE), ch("Web visits", CAPTURE), ch("Enrichment", ROUTING)],
        [("Webinars", "Web visits"), ("Web visits", "Enrichment"), ("Enrichment", "Web visits"),
         ("Web visits", "SDR outreach")],
        id="loop-back-through-routing",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("channels", "flows"), ROUTED)
def test_routed_chains(channels, flows):
    report = assess(perfect(channels, flows))
    assert report.components["flow"] == 1
    assert not [f for f in report.findings if f.rule == "unrouted-signal"]


def test_capture_flowing_straight_into_execution_is_not_routed():
    # The start channel is not an intermediate, even when it also sits on another channel's routed path.
    arch = perfect(
        [ch("Trade shows", CAPTURE)], [("Trade shows", "SDR outreach"), ("Paid search", "Trade shows")]
    )
    report = assess(arch)
    assert report.components["flow"] == 0.5
    assert only(report, "unrouted-signal").channels == ("Trade shows",)


def test_cycles_terminate_and_are_scored():
    arch = perfect(
        [ch("Webinars", CAPTURE), ch("Events", CAPTURE), ch("Loop a", CAPTURE), ch("Loop b", CAPTURE),
         ch("Enrichment", ROUTING)],
        [("Webinars", "Events"), ("Events", "Webinars"), ("Events", "Enrichment"),
         ("Enrichment", "Lead scoring"), ("Lead scoring", "Enrichment"),
         ("Loop a", "Loop b"), ("Loop b", "Loop a")],
    )  # fmt: skip
    report = assess(arch)
    unrouted = [f for f in report.findings if f.rule == "unrouted-signal"]
    assert [f.channels for f in unrouted] == [("Loop a",), ("Loop b",)]
    assert all("reaches no execution channel" in f.message for f in unrouted)
    assert report.components["flow"] == pytest.approx(3 / 5)
    assert_balanced(report)


# --- drag ------------------------------------------------------------------------------------------


def test_a_self_flow_is_never_scored():
    arch = perfect([ch("Podcast", FEEDBACK)])
    arch.put_flow(Flow("podcast", "podcast", ord=99))
    assert ("orphan-channel", ("Podcast",), 2.0) in rules(assess(arch))


def test_same_function_in_different_layers_or_blank_is_no_duplicate():
    arch = perfect(
        [ch("Intent data", CAPTURE, function="intent"), ch("Intent scoring", ROUTING, function="Intent"),
         ch("Blank one", CAPTURE, function=" "), ch("Blank two", CAPTURE)],
        [("Intent data", "Lead scoring"), ("Intent scoring", "SDR outreach"), ("Paid search", "Intent scoring"),
         ("Blank one", "Lead scoring"), ("Blank two", "Lead scoring")],
    )  # fmt: skip
    assert not [f for f in assess(arch).findings if f.rule == "duplicate-function"]


def test_drag_is_capped_at_20_and_each_finding_scaled():
    report = assess(perfect([ch(f"Orphan {i:02d}", FEEDBACK) for i in range(15)]))
    drag = [f for f in report.findings if f.component == "drag"]
    assert len(drag) == 15
    assert all(f.points == pytest.approx(2 * 20 / 30) for f in drag)
    assert sum(f.points for f in drag) == pytest.approx(20)
    assert report.drag == 20
    weighted = sum(WEIGHTS[name] * value for name, value in report.components.items())
    assert report.raw_score == pytest.approx(weighted - 20)
    assert_balanced(report)


def test_score_is_clamped_at_zero_but_raw_score_is_not():
    report = assess(build([ch(f"Orphan {i}", CAPTURE) for i in range(15)]))
    assert report.raw_score == pytest.approx(2.5 - 20)
    assert report.score == 0
    assert report.score_text == "0.0"
    assert sum(f.points for f in report.findings) == pytest.approx(100 + 17.5)
