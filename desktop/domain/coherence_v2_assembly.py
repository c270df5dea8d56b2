"""Contract 2's findings scaled and ordered into a report (docs/score.md, "How points add up").

Why a module of its own: the rules (coherence_v2.py, coherence_v2_rules.py)
only say what is wrong and its base points; here a finding that names an AI
channel is multiplied by AI_FACTOR, each component's findings are scaled to fit
its weight, drag is soft-capped, and the findings are sorted largest first
(ties: rule, channel names, message), so that they sum to 100 − the unclamped
score whatever order the rules ran in.
"""

from __future__ import annotations

import math
from operator import itemgetter

from desktop.domain.coherence_v2_rules import AI_FACTOR, COMPONENTS, DRAG, DRAG_SCALE, VERSION, WEIGHTS
from desktop.domain.findings import CoherenceReport, Finding

_new_object = object.__new__

AI_PREFIX = "[AI amplifies] "
_NAMES_MESSAGE = itemgetter(0, 1)


Raw = tuple[str, str, float, tuple[str, ...], tuple[str, ...], str, bool, tuple[str, ...]]
"""A finding before the AI factor and the caps, its channels already in name order: rule, component,
base points, channel ids, names, message, whether AI amplifies it, folded names (a plain tuple: the
rules make thousands on a large map)."""
_Entry = tuple[tuple[str, ...], str, Raw, float]  # a finding's folded names, message, raw form, points


def _by_names(bucket: list[_Entry]) -> list[_Entry]:
    """Findings of equal points and rule by channel names, then message (a stable sort).

    A large bucket is sorted by first names alone (strings sort much faster than tuples of tuples),
    then each run of equal first names by the whole key: the same order.
    """
    folded = [entry[0] for entry in bucket]
    if len(bucket) < 16 or not min(map(len, folded)):
        bucket.sort(key=_NAMES_MESSAGE)
        return bucket
    firsts = [names[0] for names in folded]
    order = sorted(range(len(firsts)), key=firsts.__getitem__)
    ordered = [bucket[i] for i in order]
    if len(set(firsts)) < len(firsts):
        keys = [firsts[i] for i in order]
        start = 0
        for end in range(1, len(keys) + 1):
            if end == len(keys) or keys[end] != keys[start]:
                if end - start > 1:
                    ordered[start:end] = sorted(ordered[start:end], key=_NAMES_MESSAGE)
                start = end
    return ordered


def assemble(raws: list[Raw]) -> CoherenceReport:
    """The report of these findings: scaled per component, AI-amplified, capped and ordered."""
    by_component: dict[str, list[Raw]] = {}
    for raw in raws:
        found = by_component.get(raw[1])
        if found is None:
            by_component[raw[1]] = [raw]
        else:
            found.append(raw)
    losses = {name: 0.0 for name in COMPONENTS}
    drag = 0.0
    orders: dict[float, float] = {}
    # Findings by −points, then rule, each with its sort key's rest: most findings share their points and
    # rule, so sorting the few buckets and then each bucket by names and message compares far less
    # than sorting every finding by the whole key, and gives the same order (both sorts are stable).
    buckets: dict[float, dict[str, list[_Entry]]] = {}
    for component, members in by_component.items():
        scaled = [raw[2] * AI_FACTOR if raw[6] else raw[2] for raw in members]
        total = sum(scaled)
        if component == DRAG:
            capped = DRAG_SCALE * (1.0 - math.exp(-total / DRAG_SCALE))
            drag = capped
        else:
            capped = min(WEIGHTS[component], total)
            losses[component] = capped
        factor = capped / total if total > 0 else 0.0
        last: tuple[object, object] = (None, None)  # a rule adds its findings in a row, most of equal points
        same: list[_Entry] = []
        for raw, points in zip(members, scaled, strict=True):
            final = points * factor
            message = AI_PREFIX + raw[5] if raw[6] else raw[5]
            if (final, raw[0]) != last:  # else `same` is the bucket of the finding before
                last = (final, raw[0])
                order = orders.get(final)
                if order is None:  # rounding is slow and many findings share their points
                    order = orders[final] = -round(final, 9)
                rules = buckets.get(order)
                if rules is None:
                    rules = buckets[order] = {}
                listed = rules.get(raw[0])
                if listed is None:
                    listed = rules[raw[0]] = []
                same = listed
            same.append((raw[7], message, raw, final))
    new = _new_object
    findings: list[Finding] = []
    add = findings.append
    for order in sorted(buckets):  # largest first; ties: rule, channel names, message
        rules = buckets[order]
        for rule_id in sorted(rules) if len(rules) > 1 else rules:
            bucket = rules[rule_id]
            if len(bucket) > 1:
                bucket = _by_names(bucket)
            for _, message, (rule, component, _p, ids, names, _m, amplify, _f), final in bucket:
                finding = new(Finding)  # make_finding (findings.py), inline: thousands on a large map
                fields = finding.__dict__  # its own, sharing its keys with every Finding's: filled in order
                fields["rule"] = rule
                fields["component"] = component
                fields["points"] = final
                fields["channel_ids"] = ids
                fields["channels"] = names
                fields["message"] = message
                fields["amplified_by_ai"] = amplify
                add(finding)
    components = {name: 1.0 - losses[name] / WEIGHTS[name] for name in COMPONENTS}
    raw_score = 100.0 - sum(losses.values()) - drag
    return CoherenceReport(
        score=max(0.0, raw_score),
        raw_score=raw_score,
        components=components,
        drag=drag,
        findings=tuple(findings),
        version=VERSION,
        weights=WEIGHTS,
    )
