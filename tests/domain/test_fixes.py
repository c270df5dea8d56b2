"""Fixes from findings (desktop/domain/fixes.py): the edits of each kind, the merge's rules, and a
projected score that equals the score after applying; and each map keeps its own engine cache."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain import fixes
from desktop.domain.coherence import assess
from desktop.domain.coherence_index import flow_graph
from desktop.domain.coherence_v2_graph import graph_v2
from desktop.domain.edits import apply_all
from desktop.domain.model import ArchitectureMap
from tests.ui.fix_maps import fixable_edits


def fixable() -> ArchitectureMap:
    arch = ArchitectureMap()
    apply_all(arch, fixable_edits())
    return arch


def test_merge_keeps_the_pick_sums_money_and_leads_and_moves_flows_once():
    arch = fixable()
    edits = fixes.merge_edits(arch, "b", ["g"])
    apply_all(arch, edits)
    keep = arch.channel("b")
    assert not arch.has_channel("g")
    assert (keep.name, keep.tool, keep.monthly_spend, keep.leads_per_month) == ("Bing Ads", "Bing", 25000, 50)
    assert arch.flow("b", "s") is not None  # shared flow kept once
    assert arch.flow("g", "b") is None and arch.flow("b", "b") is None  # the flow between them dropped
    assert {f.pair for f in arch.flows_of("b")} == {("b", "s"), ("b", "ae")}


def test_a_merge_undoes_exactly():
    arch = fixable()
    before = (sorted(arch.channels, key=lambda c: c.id), sorted(arch.flows, key=lambda f: f.pair))
    inverses = apply_all(arch, fixes.merge_edits(arch, "g", ["b"]))
    apply_all(arch, inverses)
    assert (sorted(arch.channels, key=lambda c: c.id), sorted(arch.flows, key=lambda f: f.pair)) == before


def test_every_offered_fix_projects_the_score_it_gives_and_leaves_the_map_alone():
    arch = fixable()
    report = assess(arch)
    offered = [fix for f in report.findings if (fix := fixes.fix_for(arch, f)) is not None]
    assert {fix.kind for fix in offered} == {"connect", "merge", "segment", "rule"}
    for fix in offered:
        edits = fixes.fix_edits(arch, fix)
        projected = fixes.projected(arch, edits)
        assert assess(arch).score == report.score  # the open map is untouched
        inverses = apply_all(arch, edits)
        assert assess(arch).score == projected.score
        assert projected.score > report.score  # a fix helps
        apply_all(arch, inverses)


def test_a_value_is_required_where_a_fix_needs_one():
    arch = fixable()
    finding = next(f for f in assess(arch).findings if f.rule == "unknown-segment")
    fix = fixes.fix_for(arch, finding)
    assert fix is not None and fix.proposal == "Enterprise"  # the upstream capture's segment
    blank = fixes.Fix(fix.kind, fix.title, fix.finding, fix.needs, "")
    try:
        fixes.fix_edits(arch, blank, "  ")
    except ValueError as exc:
        assert "segment" in str(exc)
    else:
        raise AssertionError("a blank segment was accepted")


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(["g", "b", "l", "sdr", "ae"]), st.permutations(["g", "b", "l"]))
def test_merging_any_channels_keeps_every_outside_neighbour(keep, others):
    arch = fixable()
    others = [cid for cid in others if cid != keep]
    group = {keep, *others}
    outside = {
        (s if s not in group else keep, t if t not in group else keep)
        for s, t in (f.pair for f in arch.flows)
    }
    outside = {pair for pair in outside if pair[0] != pair[1]}
    apply_all(arch, fixes.merge_edits(arch, keep, others))
    assert {f.pair for f in arch.flows} == outside


def test_each_map_keeps_its_own_engine_cache():
    one, two = fixable(), ArchitectureMap()
    apply_all(two, fixable_edits()[:4])
    for build in (graph_v2, flow_graph):
        first = build([c.id for c in one.channels], [c.layer for c in one.channels], one.flows, one)
        build([c.id for c in two.channels], [c.layer for c in two.channels], two.flows, two)
        again = build([c.id for c in one.channels], [c.layer for c in one.channels], one.flows, one)
        assert again is first
