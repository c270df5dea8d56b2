"""How the score is said, in one place: bands and their captions, component labels, weights by contract.

Why a module of its own: the same 74.1 read "Needs work" in the panel and
"Partly coherent" in present mode and exports, because five modules each
wrote their own thresholds. The bands are the contract's (docs/score.md,
"Bands"); every view asks this module, so a score has one caption
everywhere. Colours stay with the views: a band has a `tone` (good, fair,
poor) that each theme or palette turns into its own readable colour.
Pure Python, so the CLI, the exports and the tests can use it without Qt.

The views also follow the findings from edit to edit here (`follow`, `patched_rows`,
`messages_for`): a 500-channel map has a few hundred findings, and an edit changes a few,
so the findings list and the canvas badges rewrite only those instead of all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, fields
from functools import cached_property
from itertools import chain
from operator import attrgetter, eq
from typing import Any

from desktop.domain.coherence import weights_of
from desktop.domain.findings import Finding


@dataclass(frozen=True)
class Band:
    """A range of scores, from `floor` up to the next band's floor."""

    floor: float
    key: str
    caption: str
    advice: str
    tone: str  # "good", "fair" or "poor": the colour family a view paints it in


BANDS: tuple[Band, ...] = (
    Band(90.0, "coherent", "Coherent", "One architecture: keep every loop measured", "good"),
    Band(70.0, "gaps", "Architecture with gaps", "Close the few gaps the findings name first", "fair"),
    Band(40.0, "partial", "Partial architecture", "Route, measure and consolidate before adding", "fair"),
    Band(
        0.0, "pile", "A pile of point solutions", "Fix the largest findings before adding a channel", "poor"
    ),
)
GUIDES: tuple[float, ...] = tuple(sorted(b.floor for b in BANDS if b.floor > 0))  # lines on history charts

COMPONENT_LABELS: dict[str, str] = {
    "coverage": "Coverage",
    "flow": "Flow",
    "routing": "Routing",
    "execution": "Execution",
    "alignment": "Alignment",
    "feedback": "Feedback",
    "drag": "Drag",
}


def band_of(score: float) -> Band:
    """The band a score (0–100) falls in."""
    for band in BANDS:
        if score >= band.floor:
            return band
    return BANDS[-1]


def caption(score: float) -> str:
    """The score in words, beside the number everywhere: panel, present mode, exports, compare."""
    return band_of(score).caption


def tone(score: float) -> str:
    """ "good", "fair" or "poor": the colour family of a score (a component's share × 100 too)."""
    return band_of(score).tone


def label(component: str) -> str:
    return COMPONENT_LABELS.get(component, component.replace("-", " ").title())


def weights(contract: int = 2) -> dict[str, float]:
    """The component weights of a contract, in the contract's order."""
    return dict(weights_of(contract))


# --- findings grouped for reading (the JSON stays flat) ------------------------------------------------
GROUP_OVER = 3  # a rule repeating more than this many times reads as one headline with its channels beneath

_HEADLINES: dict[str, str] = {
    "unrouted-signal": "capture channels bypass routing",
    "unrouted-source": "execution channels originate deals without routing",
    "unaccountable-spend": "routed channels no feedback loop reaches",
    "orphan-channel": "channels have no flow in or out",
    "duplicate-function": "groups of channels do the same job",
    "unknown-segment": "findings of channels without a segment",
    "routing-dead-end": "routing channels send nothing on",
    "pass-through-routing": "routing hops without a rule",
    "unruled-routing": "routing channels send without rules",
    "segment-mismatch": "signals reach a team serving another segment",
    "no-handoff": "capture channels reach no team of their segment",
    "unmeasured-execution": "execution channels nothing measures",
    "open-loop": "feedback loops that do not close",
    "unlabelled-loop": "loop arrows with neither rule nor label",
}


_CHANNEL_IDS = attrgetter("channel_ids")
_CHANNELS = attrgetter("channels")
_FOLLOWED: list[Any] = [None, None, (), [], None]  # the last (before, after) followed, what it gave, keys
_finding_key = attrgetter(*(f.name for f in fields(Finding) if f.compare))  # a finding's fields, as a tuple


def follow(before: Sequence[Any], after: Sequence[Any]) -> tuple[tuple[Any, ...], list[int]]:
    """`after`'s findings as a view that shows `before`'s should hold them, and where the two differ.

    The first is `after` with each finding that equals `before`'s at the same place taken from
    `before` (equal values; rows built of them compare with the rows shown by identity, in C,
    instead of field by field); it is `before` itself when nothing changed. The second lists the
    positions that differ ([] when none). The findings panel and the canvas badges both follow the
    report after each edit from the one before: the last answer is kept, so the second view gets
    it for free (and both keep the same tuple for the next edit).
    """
    if _FOLLOWED[1] is after:
        if _FOLLOWED[0] is before:
            return _FOLLOWED[2], _FOLLOWED[3]
        if _FOLLOWED[2] is before:  # asked again by a view that already follows `after`
            return before, []
    positions: list[int] = []
    if before is after:
        merged = tuple(after)
    else:
        # Compared as plain tuples of their fields (in C; a Finding's own __eq__ runs Python), the
        # tuples of the findings shown kept from the last comparison.
        old_keys = _FOLLOWED[4] if _FOLLOWED[2] is before else list(map(_finding_key, before))
        new_keys = list(map(_finding_key, after))
        same: list[bool] = []
        if old_keys != new_keys:  # equal is the usual answer (a move, a new flow): one comparison in C
            same = list(map(eq, old_keys, new_keys))
            positions = [i for i, equal in enumerate(same) if not equal]
            positions.extend(range(min(len(before), len(after)), max(len(before), len(after))))
        if not positions:
            merged = tuple(before)
        else:
            kept = list(after)
            for i, equal in enumerate(same):
                if equal:
                    kept[i] = before[i]
            merged = tuple(kept)
    _FOLLOWED[:] = [before, after, merged, positions, new_keys if before is not after else None]
    if before is after:
        _FOLLOWED[4] = list(map(_finding_key, after))
    return merged, positions


def channels_changed(before: Sequence[Any], after: Sequence[Any], positions: Sequence[int]) -> set[str]:
    """The channels named by a finding at one of these positions in either (whose badges change)."""
    changed: set[str] = set()
    for i in positions:
        for findings in (before, after):
            if i < len(findings):
                changed.update(findings[i].channel_ids)
    return changed


def messages_for(findings: Sequence[Any], channel_ids: AbstractSet[str]) -> dict[str, list[str]]:
    """The messages of the findings naming each of these channels, largest first (as
    `report.findings_for` lists them), without indexing every finding of the report."""
    found: dict[str, list[str]] = {cid: [] for cid in channel_ids}
    for finding in findings:
        named = finding.channel_ids
        if channel_ids.isdisjoint(named):
            continue
        for cid in named:
            if cid in found:
                found[cid].append(finding.message)
    return found


@dataclass(frozen=True)
class FindingRow:
    """What a view shows as one entry: a finding, or a headline with the repeated findings beneath."""

    headline: str
    points: float
    findings: tuple[Any, ...]  # desktop.domain.findings.Finding
    shared: frozenset[str] = field(default=frozenset(), compare=False)  # ids every finding of it names

    @property
    def grouped(self) -> bool:
        return len(self.findings) > 1

    @cached_property
    def channel_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(chain.from_iterable(map(_CHANNEL_IDS, self.findings))))

    @cached_property
    def channel_names(self) -> tuple[str, ...]:
        """The names of the channels its findings name, each once, in order."""
        return tuple(dict.fromkeys(chain.from_iterable(map(_CHANNELS, self.findings))))

    @cached_property
    def spend_ids(self) -> frozenset[str]:
        """The channels whose spend a grouped headline sums: those not every finding of it names."""
        return frozenset(chain.from_iterable(map(_CHANNEL_IDS, self.findings))).difference(self.shared)

    def headline_for(
        self, spend_of: Callable[[str], float | None] | None, money: Callable[[float], str] | None
    ) -> str:
        """A grouped row's headline with the spend it sums now: "5 capture channels bypass routing
        ($95,700/month)". `spend_of` may be a dict's `get` (no Python call per channel)."""
        rule = self.findings[0].rule
        what = _HEADLINES.get(rule, f"findings: {rule.replace('-', ' ')}")
        headline = f"{len(self.findings)} {what}"
        if spend_of is not None and money is not None:
            spends = list(filter(None, map(spend_of, self.spend_ids)))
            if spends:
                headline += f" ({money(sum(spends))}/month)"
        return headline

    def headed(
        self, spend_of: Callable[[str], float | None] | None, money: Callable[[float], str] | None
    ) -> FindingRow:
        """This grouped row with its headline as `headline_for` says it."""
        return self.showing(self.headline_for(spend_of, money))

    def showing(self, headline: str, findings: tuple[Any, ...] | None = None) -> FindingRow:
        """This row with another headline, or with findings equal to its own (what it worked out kept)."""
        row = FindingRow(headline, self.points, self.findings if findings is None else findings, self.shared)
        for worked_out in ("spend_ids", "channel_ids", "channel_names"):  # the same findings: the same
            if worked_out in self.__dict__:
                row.__dict__[worked_out] = self.__dict__[worked_out]
        return row

    def as_finding(self) -> Any:
        """The row as one Finding (a grouped row: its headline, summed points, every channel it names)."""
        if not self.grouped:
            return self.findings[0]
        first = self.findings[0]
        names = self.channel_names
        amplified = any(f.amplified_by_ai for f in self.findings)
        return Finding(
            first.rule, first.component, self.points, self.channel_ids, names, self.headline, amplified
        )

    def lines(self) -> list[str]:
        """The channels beneath a grouped headline, one line per finding: the channels it names that the
        group does not all share ("LinkedIn Ads", not the SDR team every one of them reaches)."""
        if not self.grouped:
            return []
        if not self.shared:  # the usual group: each finding's own channels are all it names
            return [", ".join(f.channels[: len(f.channel_ids)]) or f.message for f in self.findings]
        return [", ".join(name for _, name in _own(f, self.shared)) or f.message for f in self.findings]


def _own(finding: Any, shared: AbstractSet[str]) -> list[tuple[str, str]]:
    """The (id, name) of the channels a finding names that not every finding of its group names."""
    pairs = list(zip(finding.channel_ids, finding.channels, strict=False))
    return [pair for pair in pairs if pair[0] not in shared] or pairs


def finding_rows(
    findings: Sequence[Any],
    spend_of: Callable[[str], float | None] | None = None,
    money: Callable[[float], str] | None = None,
    previous: Sequence[FindingRow] = (),
    same_spend: bool = False,
) -> list[FindingRow]:
    """The findings as views list them: a rule that repeats more than GROUP_OVER times becomes one row
    at its largest finding's place, "5 capture channels bypass routing ($95,700/month)", its channels
    beneath, rows largest first. `spend_of(channel id)` and `money(amount)` add the known spend.
    `previous`: the rows shown before; a group of the same findings reuses what its row worked out,
    and its very row when `same_spend` says the spend it summed has not changed since."""
    counts: dict[str, int] = {}
    for finding in findings:
        if finding.channel_ids:  # a finding naming no channel (a missing layer) has nothing to list beneath
            counts[finding.rule] = counts.get(finding.rule, 0) + 1
    groups: dict[str, list[Any]] = {rule: [] for rule, count in counts.items() if count > GROUP_OVER}
    if not groups:
        return [FindingRow(f.message, f.points, (f,)) for f in findings]
    for finding in findings:
        found = groups.get(finding.rule)
        if found is not None:
            found.append(finding)
    rows: list[FindingRow] = []
    placed: set[str] = set()
    shown = {row.findings[0].rule: row for row in previous if row.grouped}
    for finding in findings:
        rule = finding.rule
        if counts.get(rule, 0) <= GROUP_OVER:
            rows.append(FindingRow(finding.message, finding.points, (finding,)))
            continue
        if rule in placed:
            continue
        placed.add(rule)
        group = tuple(groups[rule])
        before = shown.get(rule)
        if before is not None and before.findings == group:  # compared by identity when carried over
            headline = before.headline if same_spend else before.headline_for(spend_of, money)
            rows.append(before.showing(headline, group))
            continue
        rows.append(_group_row(group, spend_of, money))
    if placed:  # a headline sums its findings' points: it takes the place those points earn
        rows.sort(key=lambda row: -row.points)
    return rows


def _group_row(
    group: tuple[Any, ...],
    spend_of: Callable[[str], float | None] | None,
    money: Callable[[float], str] | None,
) -> FindingRow:
    shared = set(group[0].channel_ids)
    for other in group[1:]:
        if not shared:
            break
        shared.intersection_update(other.channel_ids)
    return FindingRow("", sum(f.points for f in group), group, frozenset(shared)).headed(spend_of, money)


def places_of(findings: Sequence[Any], rows: Sequence[FindingRow]) -> list[tuple[int, int]] | None:
    """Where each finding is shown: (row, place in the row's findings), by position; None if unsure."""
    position = {id(f): i for i, f in enumerate(findings)}
    if len(position) != len(findings):
        return None
    places: list[tuple[int, int] | None] = [None] * len(findings)
    for r, row in enumerate(rows):
        for j, finding in enumerate(row.findings):
            i = position.get(id(finding))
            if i is None:
                return None
            places[i] = (r, j)
    return None if None in places else places  # type: ignore[return-value]


def patched_rows(
    rows: Sequence[FindingRow],
    places: Sequence[tuple[int, int]],
    before: Sequence[Any],
    after: Sequence[Any],
    positions: Sequence[int],
    spend_of: Callable[[str], float | None] | None = None,
    money: Callable[[float], str] | None = None,
    same_spend: bool = False,
) -> list[FindingRow] | None:
    """`finding_rows(after)` from the rows of `before` (placed as `places` says), when the findings
    that changed (at `positions`) kept their rule, points and place: a rename changes the text of a
    few findings, and only the rows showing them are built again. None when that does not hold."""
    if len(before) != len(after):
        return None
    touched: dict[int, dict[int, Any]] = {}
    for i in positions:
        old, new = before[i], after[i]
        if old.rule != new.rule or old.points != new.points or bool(old.channel_ids) != bool(new.channel_ids):
            return None  # the rows may group or sort differently: build them all
        r, j = places[i]
        touched.setdefault(r, {})[j] = new
    result = list(rows)
    for r, row in enumerate(rows):
        changes = touched.get(r)
        if changes is not None:
            findings = tuple(changes.get(j, f) for j, f in enumerate(row.findings))
            result[r] = (
                _group_row(findings, spend_of, money)
                if row.grouped
                else FindingRow(findings[0].message, findings[0].points, findings)
            )
        elif row.grouped and not same_spend:
            result[r] = row.headed(spend_of, money)
    return result
