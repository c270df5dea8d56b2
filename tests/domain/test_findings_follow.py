"""The findings as the views follow them from edit to edit (score_presentation.follow, patched_rows,
messages_for) equal the findings built afresh: the same rows, texts, spend and badges messages."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from bench.maps import make_map
from desktop.domain import operations as ops
from desktop.domain import score_presentation as sp
from desktop.domain.coherence import assess
from desktop.domain.edits import apply_all

ARCH = make_map(80)
REPORT = assess(ARCH)
NAMED = sorted(Counter(cid for f in REPORT.findings for cid in f.channel_ids))


def shown(rows: list[sp.FindingRow], spends: dict) -> list[tuple]:
    money = "{:,.0f}".format
    return [(r.headline, r.points, r.findings, r.lines(), r.channel_ids, r.channel_names) for r in rows] + [
        (r.headline_for(spends.get, money),) for r in rows if r.grouped
    ]


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(NAMED), st.sampled_from(["Renamed", "A", "Zeta channel with a long name"]))
def test_rows_patched_after_a_rename_equal_the_rows_built_afresh(cid, name):
    spends = {c.id: c.monthly_spend for c in ARCH.iter_channels()}
    money = "{:,.0f}".format
    before = REPORT.findings
    rows = sp.finding_rows(before, spends.get, money)
    places = sp.places_of(before, rows)
    assert places is not None
    inverses = apply_all(ARCH, ops.update_channel(ARCH, cid, name=name))
    try:
        after = assess(ARCH).findings
        merged, positions = sp.follow(before, after)
        assert merged == after
        common = min(len(before), len(after))
        tail = list(range(common, max(len(before), len(after))))
        assert positions == [i for i in range(common) if before[i] != after[i]] + tail
        patched = sp.patched_rows(rows, places, before, merged, positions, spends.get, money)
        fresh = sp.finding_rows(after, spends.get, money)
        if patched is not None:  # a rename keeps every finding's rule and points
            assert shown(patched, spends) == shown(fresh, spends)
        changed = sp.channels_changed(before, merged, positions)
        assert (cid in changed) == any(cid in f.channel_ids for f in after)
        report = assess(ARCH)
        everyone = {c.id for c in ARCH.iter_channels()}
        assert sp.messages_for(merged, everyone) == {
            c: [f.message for f in report.findings_for(c)] for c in everyone
        }
    finally:
        apply_all(ARCH, inverses)


def test_follow_keeps_the_findings_shown_when_nothing_changed_and_says_where_they_differ():
    before = REPORT.findings
    again = assess(ARCH).findings
    assert again is not before
    merged, positions = sp.follow(before, again)
    assert merged is before and positions == []
    shorter = again[:-3]
    merged, positions = sp.follow(before, shorter)
    assert merged == shorter and positions == [len(before) - 3, len(before) - 2, len(before) - 1]
    assert all(merged[i] is before[i] for i in range(len(shorter)))
