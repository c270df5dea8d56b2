"""Contract 2 (docs/score.md), one test per rule: each breaks one thing in a map that scores 100."""

from __future__ import annotations

import math

import pytest

from desktop.domain import coherence_v2_rules as k
from desktop.domain.coherence import CURRENT_CONTRACT, WEIGHTS, assess
from desktop.domain.model import Flow
from tests.domain.score_v2_helpers import MM, C, F, R, X, ch, changed, healthy, make, only, rules, score


def test_the_healthy_map_scores_100_with_no_finding():
    report = score(healthy())
    assert report.version == CURRENT_CONTRACT == 2
    assert report.score == 100.0 and report.findings == ()
    assert set(report.components) == set(WEIGHTS) == {
        "coverage", "flow", "routing", "execution", "alignment", "feedback"
    }  # fmt: skip
    assert sum(WEIGHTS.values()) == 100.0


def test_an_empty_map_scores_0_with_findings_worth_100():
    report = score(make([], []))
    assert report.score == 0.0 and round(sum(f.points for f in report.findings), 6) == 100.0
    assert set(rules(report)) == {
        "missing-layer", "no-capture", "no-routing", "no-execution", "no-handoff", "no-feedback"
    }  # fmt: skip


def test_missing_layer_counts_connected_channels_only():
    report = score(changed(drop=("at",)))
    finding = next(f for f in report.findings if f.rule == "missing-layer")
    assert finding.points == pytest.approx(WEIGHTS["coverage"] / 4) and "feedback" in finding.message


def test_no_capture():
    assert only(score(changed(drop=("ps", "wb"))), "no-capture").points == 25.0


def test_unrouted_signal_weighs_spend_and_names_the_front_door():
    report = score(changed(flows_drop=(("ps", "ls"),), flows_add=[Flow("ps", "sdr")]))
    finding = only(report, "unrouted-signal")
    # weights: 1 + spend / mean spend → Paid search 1 + 10000/6000, Webinars 1 + 2000/6000
    w_ps, w_wb = 1 + 10000 / 6000, 1 + 2000 / 6000
    assert finding.points == pytest.approx(25 * w_ps / (w_ps + w_wb))
    assert finding.message.startswith("Paid search ($10,000/month) goes straight to SDR outreach")
    assert finding.channels == ("Paid search", "SDR outreach")
    assert "send it through Lead scoring" in finding.message


def test_unrouted_source_a_partner_channel_that_originates_deals():
    partner = ch("pr", "Partner referrals", X, "partners", monthly_spend=4000, **MM)
    report = score(changed(add=[partner], flows_add=[Flow("pr", "ae"), Flow("pr", "at")]))
    finding = only(report, "unrouted-source")
    assert (
        finding.channels == ("Partner referrals",) and "dedupe against open opportunities" in finding.message
    )


def test_unaccountable_spend_earns_half_the_flow_credit():
    report = score(changed(flows_drop=(("at", "ls"),), flows_add=[Flow("at", "sdr", label="call notes")]))
    found = [f for f in report.findings if f.rule == "unaccountable-spend"]
    assert {f.channels for f in found} == {("Paid search",), ("Webinars",)}
    assert sum(f.points for f in found) == pytest.approx(25 * (1 - k.UNACCOUNTABLE_CREDIT))


def test_no_routing():
    report = score(changed(drop=("ls",), flows_add=[Flow("ps", "sdr"), Flow("wb", "sdr")]))
    assert only(report, "no-routing").points == 15.0


def test_routing_dead_end_of_an_enrichment_step_says_put_it_inline():
    enrich = ch("en", "Clearbit", R, "enrichment")
    report = score(changed(add=[enrich], flows_add=[Flow("wb", "en")]))
    finding = only(report, "routing-dead-end")
    assert finding.points == pytest.approx(15 / 2)
    assert "put it inline: capture → Clearbit → Lead scoring" in finding.message


def test_pass_through_routing_earns_half():
    report = score(changed(flows_drop=(("ls", "ae"),), flows_change={("ls", "sdr"): {"rule": ""}}))
    finding = only(report, "pass-through-routing")
    assert finding.points == pytest.approx(15 * k.PASS_THROUGH_CREDIT)
    assert "a hop, not a routing decision" in finding.message


@pytest.mark.parametrize("placeholder", ["tbd", "TODO", "?", "n/a", "all", "default"])
def test_unruled_routing_placeholder_rules_are_no_rules(placeholder):
    report = score(changed(flows_change={("ls", "sdr"): {"rule": placeholder}}))
    assert only(report, "unruled-routing").points == pytest.approx(15 / 2)


def test_a_flow_to_another_routing_step_needs_no_rule():
    enrich = ch("en", "Clearbit", R, "enrichment")
    report = score(
        changed(add=[enrich], flows_drop=(("ps", "ls"),), flows_add=[Flow("ps", "en"), Flow("en", "ls")])
    )
    assert report.score == 100.0


def test_no_execution():
    report = score(changed(drop=("sdr", "ae")))
    assert only(report, "no-execution").points == 20.0 and "no-handoff" in rules(report)


def test_unknown_segment_one_finding_for_every_blank():
    report = score(changed(channels={"sdr": {"segment": ""}}))
    finding = only(report, "unknown-segment")
    assert finding.channels == ("SDR outreach",) and finding.points == pytest.approx(20 / 3 / 2)


def test_mixed_messages_compares_narratives_not_strings():
    same = score(changed(channels={"sdr": {"message": "Consolidate: a CFO's case"}}))
    assert same.score == 100.0
    report = score(changed(channels={"sdr": {"message": "Join our next webinar"}}))
    finding = only(report, "mixed-messages")
    # a one-to-one tie: capture promises "Consolidate", so that is the narrative to keep
    assert finding.channels == ("SDR outreach",) and "“Consolidate”" in finding.message
    assert "heard from capture" in finding.message


def test_customer_stage_messages_form_their_own_group():
    onboarding = ch("ob", "In-app onboarding", X, "onboarding", segment="Mid-market", message="Go live today",
                    motion="sales-led")  # fmt: skip
    report = score(
        changed(add=[onboarding], flows_add=[Flow("ls", "ob", rule="new workspace"), Flow("ob", "at")])
    )
    assert "mixed-messages" not in rules(report)


def test_segments_are_compared_by_key():
    report = score(changed(channels={"sdr": {"segment": "Mid Market"}, "ae": {"segment": "midmarket"}}))
    assert report.score == 100.0


def test_mixed_motions_with_synonyms_and_partner_exclusion():
    assert score(changed(channels={"sdr": {"motion": "outbound"}})).score == 100.0
    partner = ch(
        "pr", "Partners", X, "partners", segment="Mid-market", message="Consolidate", motion="partner-led"
    )
    report = score(
        changed(add=[partner], flows_add=[Flow("ls", "pr", rule="partner-sourced"), Flow("pr", "at")])
    )
    assert "mixed-motions" not in rules(report)
    report = score(changed(channels={"sdr": {"motion": "product-led"}}))
    assert only(report, "mixed-motions").component == "execution"


def test_segment_mismatch_an_enterprise_channel_feeding_a_mid_market_team():
    linkedin = ch("li", "LinkedIn Ads", C, "paid-social", segment="Enterprise", monthly_spend=6000)
    report = score(changed(add=[linkedin], flows_add=[Flow("li", "sdr")]))
    finding = only(report, "segment-mismatch")
    assert finding.component == "alignment"
    assert finding.message.startswith(
        "LinkedIn Ads (Enterprise) feeds SDR outreach (Mid-market) with no rule"
    )
    handoffs = 3  # ls→sdr, ls→ae, li→sdr
    assert finding.points == pytest.approx(10 / handoffs)


def test_a_rule_or_a_matching_segment_aligns_the_flow():
    tier = ch("li", "LinkedIn Ads", C, "paid-social", segment="Mid-market EMEA")
    assert "segment-mismatch" not in rules(score(changed(add=[tier], flows_add=[Flow("li", "sdr")])))


def test_no_feedback_and_nothing_to_measure():
    assert only(score(changed(drop=("at",))), "no-feedback").points == 25.0
    report = score(changed(drop=("sdr", "ae"), flows_add=[Flow("ps", "at")]))
    assert only(report, "nothing-to-measure").points == pytest.approx(25 * 0.35)


def test_unmeasured_execution_suggests_attribution_for_sales():
    report = score(changed(flows_drop=(("sdr", "at"),)))
    finding = only(report, "unmeasured-execution")
    assert finding.points == pytest.approx(25 * 0.35 / 2) and "add a flow to Attribution" in finding.message


def test_open_loop_and_loops_into_execution_count():
    report = score(changed(flows_drop=(("at", "ls"),)))
    assert only(report, "open-loop").points == pytest.approx(25 * 0.35)
    gong = ch("gg", "Gong", F, "conversation-intelligence")
    looped = score(changed(add=[gong], flows_add=[Flow("ae", "gg"), Flow("gg", "sdr", label="objections")]))
    assert looped.score == 100.0


def test_an_unlabelled_loop_earns_half():
    report = score(changed(flows_change={("at", "ls"): {"label": ""}}))
    assert only(report, "unlabelled-loop").points == pytest.approx(25 * 0.35 * 0.5)


def test_no_revenue_loop_when_only_activity_comes_back():
    report = score(changed(channels={"at": {"function": "analytics", "name": "GA4"}}))
    finding = only(report, "no-revenue-loop")
    assert finding.points == pytest.approx(25 * k.FEEDBACK_SHARES["revenue"])
    assert "from Account executives to Lead scoring" in finding.message


def test_orphan_channel_costs_more_when_it_costs_money():
    orphan = ch("bo", "Bombora", C, "intent-data", monthly_spend=4500)
    finding = only(score(changed(add=[orphan])), "orphan-channel")
    raw = k.ORPHAN_POINTS + 4500 / k.SPEND_UNIT
    assert finding.points == pytest.approx(k.DRAG_SCALE * (1 - math.exp(-raw / k.DRAG_SCALE)))
    assert "($4,500/month)" in finding.message


def test_duplicate_function_names_the_saving_unless_segments_differ():
    g2 = ch("g2", "G2 intent", C, "Intent data", monthly_spend=2500, segment="Mid-market")
    six = ch("6s", "6sense", C, "intent-data", monthly_spend=9000)
    report = score(changed(add=[g2, six], flows_add=[Flow("g2", "ls"), Flow("6s", "ls")]))
    finding = only(report, "duplicate-function")
    assert finding.channels == ("6sense", "G2 intent")
    assert "keeping 6sense frees $2,500/month" in finding.message
    tiers = [
        ch("t1", "Tier 1 ads", X, "abm", segment="Enterprise Tier 1", message="One console", motion="ABM"),
        ch("t2", "Tier 2 ads", X, "abm", segment="Enterprise Tier 2", message="One console", motion="ABM"),
    ]
    report = score(
        changed(add=tiers, flows_add=[Flow("ls", "t1", rule="tier 1"), Flow("ls", "t2", rule="tier 2")])
    )
    assert "duplicate-function" not in rules(report)


def test_a_blank_function_costs_one_finding_only():
    report = score(changed(channels={"ps": {"function": ""}, "at": {"function": ""}}))
    finding = only(report, "unknown-function")
    assert finding.channels == ("Attribution", "Paid search")
    assert [f.rule for f in report.findings] == ["unknown-function"]


def test_drag_has_no_free_zone_and_never_passes_its_scale():
    orphans = [ch(f"o{i}", f"Tool {i}", C, f"tool-{i}", monthly_spend=20000) for i in range(30)]
    report = score(changed(add=orphans))
    assert 29.0 < report.drag < k.DRAG_SCALE
    more = score(changed(add=[*orphans, ch("o99", "Tool 99", C, "tool-99", monthly_spend=20000)]))
    assert more.drag > report.drag


def test_ai_amplifies_a_finding_that_names_an_ai_channel():
    base = score(changed(channels={"sdr": {"segment": ""}}))
    ai = score(changed(channels={"sdr": {"segment": "", "automation": "ai"}}))
    finding = only(ai, "unknown-segment")
    assert finding.amplified_by_ai and finding.message.startswith("[AI amplifies] ")
    assert finding.points == pytest.approx(only(base, "unknown-segment").points * k.AI_FACTOR)
    assert (
        score(changed(channels={"sdr": {"automation": "ai"}})).score == 100.0
    )  # coherent + AI loses nothing


def test_an_open_loop_on_feedback_that_measures_an_ai_channel_is_amplified():
    report = score(changed(channels={"sdr": {"automation": "ai"}}, flows_drop=(("at", "ls"),)))
    assert only(report, "open-loop").amplified_by_ai


def test_a_component_never_loses_more_than_its_weight():
    mixed = {cid: {"segment": "", "automation": "ai"} for cid in ("sdr", "ae")}
    report = score(changed(channels=mixed))
    assert report.components["execution"] >= 0.0
    assert sum(f.points for f in report.findings if f.component == "execution") <= WEIGHTS["execution"] + 1e-9


def test_currency_labels_amounts():
    arch = changed(add=[ch("bo", "Bombora", C, "intent-data", monthly_spend=4500)])
    arch.info.currency = "EUR"
    assert "(€4,500/month)" in only(assess(arch), "orphan-channel").message
    arch.info.currency = "CHF"
    assert "(4,500 CHF/month)" in only(assess(arch), "orphan-channel").message


def test_contract_1_is_still_available():
    report = assess(healthy(), contract=1)
    assert report.version == 1 and "alignment" not in report.components
    assert "amplified_by_ai" not in report.to_dict()["findings"][0] if report.findings else True
    with pytest.raises(ValueError, match="unknown contract"):
        assess(healthy(), contract=3)


def test_worked_example_of_docs_score_md():
    """docs/score.md, "Worked example": the healthy map with LinkedIn Ads added straight to SDR outreach,
    the nurture flow left without a rule, and the AI SDR marked."""
    linkedin = ch("li", "LinkedIn Ads", C, "paid-social", segment="Enterprise", monthly_spend=6000)
    arch = changed(
        channels={"sdr": {"automation": "ai"}},
        add=[linkedin],
        flows_add=[Flow("li", "sdr")],
        flows_change={("ls", "ae"): {"rule": "tbd"}},
    )
    report = score(arch)
    summary = [(f.rule, round(f.points, 2), f.amplified_by_ai) for f in report.findings]
    assert summary == [
        ("unrouted-signal", 12.5, True),
        ("unruled-routing", 7.5, False),
        ("segment-mismatch", 5.0, True),
    ]
    assert report.score_text == "75.0"
    assert report.components == pytest.approx(
        {"coverage": 1.0, "flow": 0.5, "routing": 0.5, "execution": 1.0, "alignment": 0.5, "feedback": 1.0}
    )


def test_docs_score_md_names_every_rule_and_constant():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    doc = (root / "docs" / "score.md").read_text(encoding="utf-8")
    listed = set(
        re.findall(r"`([a-z]+(?:-[a-z]+)+)`", doc.split("Rule ids:")[1].split("## Worked example")[0])
    )
    source = "".join(
        (root / "desktop" / "domain" / name).read_text()
        for name in ("coherence_v2.py", "coherence_v2_rules.py")
    )
    assert all(f'"{rule}"' in source for rule in listed)
    from tests.domain import gtm_maps

    seen = {f.rule for build in gtm_maps.MAPS.values() for f in assess(build()).findings}
    seen |= {f.rule for f in assess(make([], [])).findings}
    assert seen <= listed and len(listed) == 24
    for name, value in (("AI_FACTOR", "1.5"), ("DRAG_SCALE", "30"), ("UNACCOUNTABLE_CREDIT", "0.5")):
        assert f"`{name}` | {value} |" in doc
        assert float(value) == getattr(k, name)
    assert f"| `SPEND_UNIT` | {k.SPEND_UNIT:,.0f} per month |" in doc
