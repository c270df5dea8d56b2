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
from desktop.domain.findings import CoherenceReport, make_finding

AI_PREFIX = "[AI amplifies] "
_FIRST = itemgetter(0)


class Raw:
    """A finding before the AI factor and the caps, its channels already in name order."""

    __slots__ = ("rule", "component", "points", "ids", "names", "message", "amplify", "folded")

    def __init__(
        self,
        rule: str,
        component: str,
        points: float,
        ids: tuple[str, ...],
        names: tuple[str, ...],
        message: str,
        amplify: bool,
        folded: tuple[str, ...],
    ) -> None:
        self.rule, self.component, self.points, self.ids, self.names = rule, component, points, ids, names
        self.message, self.amplify, self.folded = message, amplify, folded


def assemble(raws: list[Raw]) -> CoherenceReport:
    """The report of these findings: scaled per component, AI-amplified, capped and ordered."""
    scaled = [raw.points * AI_FACTOR if raw.amplify else raw.points for raw in raws]
    by_component: dict[str, list[int]] = {}
    for i, raw in enumerate(raws):
        found = by_component.get(raw.component)
        if found is None:
            by_component[raw.component] = [i]
        else:
            found.append(i)
    losses = {name: 0.0 for name in COMPONENTS}
    drag = 0.0
    orders: dict[float, float] = {}
    keyed: list[tuple[tuple[float, str, tuple[str, ...], str], Raw, float, str]] = []
    for component, indexes in by_component.items():
        total = sum([scaled[i] for i in indexes])
        if component == DRAG:
            capped = DRAG_SCALE * (1.0 - math.exp(-total / DRAG_SCALE))
            drag = capped
        else:
            capped = min(WEIGHTS[component], total)
            losses[component] = capped
        factor = capped / total if total > 0 else 0.0
        for i in indexes:
            raw = raws[i]
            final = scaled[i] * factor
            message = AI_PREFIX + raw.message if raw.amplify else raw.message
            order = orders.get(final)
            if order is None:  # rounding is slow and many findings share their points
                order = orders[final] = -round(final, 9)
            keyed.append(((order, raw.rule, raw.folded, message), raw, final, message))
    keyed.sort(key=_FIRST)  # the findings of equal keys keep their order (components, then rules)
    findings = tuple(
        [
            make_finding(raw.rule, raw.component, final, raw.ids, raw.names, message, raw.amplify)
            for _, raw, final, message in keyed
        ]
    )
    components = {name: 1.0 - losses[name] / WEIGHTS[name] for name in COMPONENTS}
    raw_score = 100.0 - sum(losses.values()) - drag
    return CoherenceReport(
        score=max(0.0, raw_score),
        raw_score=raw_score,
        components=components,
        drag=drag,
        findings=findings,
        version=VERSION,
        weights=WEIGHTS,
    )
