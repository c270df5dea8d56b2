"""Contract 2's duplicate-function groups (docs/score.md, drag), and segment keys matched at scale.

Split from coherence_v2_rules.py only to keep each module readable; the drag
rule there turns each group into a finding. Segment keys match when one starts
with the other (`segments_match`): among sorted keys, those a key starts with
are its prefixes and those that start with it follow it, so a map with
thousands of segments (one per account) never compares every pair.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Container
from itertools import islice

from desktop.domain.model import Channel


def duplicate_groups(
    lane: list[Channel], functions: dict[str, str], segment_keys: dict[str, str]
) -> tuple[list[list[Channel]], list[Channel]]:
    """Groups of a lane's channels of one function that serve overlapping segments (connected
    components), and its channels with a blank function (in lane order). `functions` and
    `segment_keys`: each channel's function key and segment key by id (the channel facts)."""
    as_written: dict[str, list[Channel]] = {}  # by the function as written: an attribute, no lookup
    for c in lane:
        found = as_written.get(c.function)
        if found is None:
            as_written[c.function] = [c]
        else:
            found.append(c)
    by_function: dict[str, list[Channel]] = {}
    merged = False  # two spellings of one function ("Paid search", "paid-search")
    for members in as_written.values():
        key = functions[members[0].id]
        found = by_function.get(key)
        if found is None:
            by_function[key] = members
        else:
            found += members
            merged = True
    if merged:  # each group in lane order again
        position = {c.id: n for n, c in enumerate(lane)}
        for members in by_function.values():
            members.sort(key=lambda c: position[c.id])
    blank = by_function.pop("", [])
    groups: list[list[Channel]] = []
    for members in by_function.values():
        if len(members) < 2:
            continue
        components = _overlapping([segment_keys[c.id] for c in members])
        if components is None:  # one group
            groups.append(members)
            continue
        found_groups: dict[int, list[Channel]] = {}
        for c, component in zip(members, components, strict=True):
            found_groups.setdefault(component, []).append(c)
        groups += [g for g in found_groups.values() if len(g) > 1]
    return groups, blank


def _overlapping(keys: list[str]) -> list[int] | None:
    """For each segment key, its group: keys that match are one group, and a blank key joins every group.

    Works on the few distinct keys, so a large map's duplicates cost one pass; None when all the keys
    are one group (one key, or a blank one among them), the usual case.
    """
    distinct = sorted(set(keys))
    if len(distinct) == 1 or not distinct[0]:
        return None
    parent = {key: key for key in distinct}

    def find(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for i, a in enumerate(distinct):  # (none is blank here) the keys that start with `a` follow it
        for b in islice(distinct, i + 1, None):
            if not b.startswith(a):
                break
            parent[find(a)] = find(b)
    roots = {key: find(key) for key in distinct}
    numbers = {root: n for n, root in enumerate(sorted(set(roots.values())))}
    return [numbers[roots[key]] for key in keys]


def matching(ordered: list[str], keys: Container[str], want: str) -> list[str]:
    """The segment keys that match `want` (`segments_match`), of `ordered` (sorted) and `keys` (the same
    keys, as a set or dict): those `want` starts with, then those that start with it."""
    found = [want[:n] for n in range(len(want)) if want[:n] in keys]
    for key in islice(ordered, bisect_left(ordered, want), None):
        if not key.startswith(want):
            break
        found.append(key)
    return found
