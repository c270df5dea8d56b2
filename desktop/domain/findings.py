"""What every contract's engine returns: findings, the report, and how they are written out.

Why a module of its own: two contracts (v1 in coherence_v1.py, v2 in
coherence_v2.py) produce the same kind of report, and the CLI, the panel,
the comparison and the exports read it without knowing which contract made
it. A report carries its contract `version` and its component `weights`, so a
view draws whatever components the contract has (v2 adds `alignment`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from decimal import Decimal


def tenths(value: float) -> Decimal:
    """A score to one decimal, half up: 83.75 gives 83.8 despite binary floats."""
    decimal, tenth, half_up = _decimal()
    return decimal(repr(round(value, 9))).quantize(tenth, rounding=half_up)


@lru_cache(maxsize=1)
def _decimal() -> tuple[type[Decimal], Decimal, str]:
    """The decimal module's parts, loaded when a score is first shown (a start's first frame shows none)."""
    from decimal import ROUND_HALF_UP, Decimal

    return Decimal, Decimal("0.1"), ROUND_HALF_UP


@dataclass(frozen=True)
class Finding:
    """One reason the map lost points: the rule, the channels to fix and what to do.

    `amplified_by_ai` (contract 2): the points were multiplied by the AI factor
    because the finding names a channel that acts through AI.
    """

    rule: str
    component: str
    points: float
    channel_ids: tuple[str, ...]
    channels: tuple[str, ...]
    message: str
    amplified_by_ai: bool = False

    def to_dict(self, version: int = 1) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "rule": self.rule,
            "component": self.component,
            "points": round(self.points, 4),
            "channels": list(self.channels),
            "message": self.message,
        }
        if version >= 2:
            entry["amplified_by_ai"] = self.amplified_by_ai
        return entry


@dataclass(frozen=True)
class CoherenceReport:
    """The score of one map, its component values, its drag and its findings, largest first."""

    score: float
    raw_score: float
    components: dict[str, float]
    drag: float
    findings: tuple[Finding, ...]
    version: int = 1
    weights: dict[str, float] = field(default_factory=dict)
    _by_channel: dict[str, tuple[Finding, ...]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def component_names(self) -> tuple[str, ...]:
        """The contract's components, in the order the contract lists them."""
        return tuple(self.weights) if self.weights else tuple(self.components)

    def findings_for(self, channel_id: str) -> tuple[Finding, ...]:
        """The findings that name a channel (for its badge), largest first.

        The index is built on the first call: the CLI, the store and the
        comparison only read the score, so they never pay for it.
        """
        index = self._by_channel
        if index is None:
            lists: dict[str, list[Finding]] = {}
            for finding in self.findings:
                for named in finding.channel_ids:
                    found = lists.get(named)
                    if found is None:
                        lists[named] = [finding]
                    else:
                        found.append(finding)
            index = {key: tuple(value) for key, value in lists.items()}
            object.__setattr__(self, "_by_channel", index)
        return index.get(channel_id, ())

    @property
    def score_text(self) -> str:
        """The score as shown everywhere: one decimal, e.g. "83.8"."""
        return str(tenths(self.score))

    def to_dict(self) -> dict[str, Any]:
        """The `score --json` object of the report's contract."""
        return {
            "version": self.version,
            "score": float(tenths(self.score)),
            "components": {name: round(self.components[name], 4) for name in self.component_names},
            "drag": round(self.drag, 4),
            "findings": [finding.to_dict(self.version) for finding in self.findings],
        }


def summary_text(report: CoherenceReport) -> str:
    """The plain-text report of `score` without --json: score, components, drag, findings."""
    lines = [f"Coherence score: {report.score_text} / 100"]
    for name in report.component_names:
        value = report.components[name]
        weight = report.weights.get(name, 0.0)
        lines.append(f"  {name:<10} {value:6.1%}  {tenths(weight * value)} of {weight:g}")
    lines.append(f"  {'drag':<10} {'':>6}  {-tenths(report.drag) if report.drag else tenths(0)}")
    lines.append(f"Findings ({len(report.findings)}):" if report.findings else "No findings.")
    shown: dict[float, str] = {}  # many findings share their points, and rounding a Decimal is slow
    for f in report.findings:
        points = shown.get(f.points) if f.points else None  # 0.0 and -0.0: one key, two signs
        if points is None:
            points = shown[f.points] = f"{-tenths(f.points):>6}"
        lines.append(f"  {points}  {f.rule:<21} {f.message}")
    if report.version >= 2:
        lines.append(f"Contract {report.version} (docs/score.md); `score --contract 1` gives the old rules.")
    return "\n".join(lines)


def names_text(names: Sequence[str], limit: int = 4, total: int | None = None) -> str:
    """Names as a sentence lists them: A; A and B; A, B and C; or A, B, C and 4 more.

    `names` may hold only the first `limit` of `total` names: the rest are only counted.
    """
    count = len(names) if total is None else total
    if count > limit:
        return ", ".join(names[: limit - 1]) + f" and {count - limit + 1} more"
    if count < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


_new_object = object.__new__
_set_attribute = object.__setattr__


def make_finding(
    rule: str,
    component: str,
    points: float,
    ids: tuple[str, ...],
    names: tuple[str, ...],
    message: str,
    amplified_by_ai: bool = False,
) -> Finding:
    """The same object as `Finding(...)`, made in one step.

    A frozen dataclass's __init__ sets each field through object.__setattr__,
    which doubles the cost of the hundreds of findings a large map makes on
    every edit; setting the instance dict at once gives an equal, equally
    frozen object.
    """
    finding = _new_object(Finding)
    _set_attribute(
        finding,
        "__dict__",
        {
            "rule": rule,
            "component": component,
            "points": points,
            "channel_ids": ids,
            "channels": names,
            "message": message,
            "amplified_by_ai": amplified_by_ai,
        },
    )
    return finding
