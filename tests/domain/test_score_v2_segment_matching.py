"""Segment keys matched at scale give what comparing every pair gives.

Why: coherence_v2_duplicates.py finds the keys that match a segment key among
sorted keys (its prefixes, and the run of keys that start with it) instead of
testing every key, so that a map with a segment per account does not score in
quadratic time. These tests compare both ways on short keys over a small
alphabet, where prefixes, blanks and repeats are common.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain.coherence_v2_duplicates import _overlapping, matching
from desktop.domain.vocabulary import segments_match

KEYS = st.lists(st.text(alphabet="ab", max_size=4), max_size=12)


def pairwise_groups(keys: list[str]) -> list[int] | None:
    """Every pair compared (the build `_overlapping` replaced)."""
    distinct = sorted(set(keys))
    if len(distinct) == 1 or not distinct[0]:
        return None
    parent = {key: key for key in distinct}

    def find(key: str) -> str:
        while parent[key] != key:
            key = parent[key]
        return key

    for i, a in enumerate(distinct):
        for b in distinct[i + 1 :]:
            if not a or not b or segments_match(a, b):
                parent[find(a)] = find(b)
    roots = {key: find(key) for key in distinct}
    numbers = {root: n for n, root in enumerate(sorted(set(roots.values())))}
    return [numbers[roots[key]] for key in keys]


@settings(max_examples=400, deadline=None)
@given(KEYS, st.text(alphabet="ab", max_size=4))
def test_the_matching_keys_are_those_segments_match_accepts(keys, want):
    known = set(keys)
    found = matching(sorted(known), known, want)
    assert len(found) == len(set(found))
    assert sorted(found) == sorted(key for key in known if segments_match(key, want))


@settings(max_examples=400, deadline=None)
@given(KEYS.filter(bool))
def test_overlapping_segments_group_as_comparing_every_pair_groups_them(keys):
    assert _overlapping(keys) == pairwise_groups(keys)


def test_a_segment_per_account_still_groups_its_prefixes():
    keys = [f"enterprise{n}" for n in range(300)] + ["enterprise", "smb"]
    groups = _overlapping(keys)
    assert groups is not None and groups == pairwise_groups(keys)
    assert len(set(groups)) == 2
