"""Contract 2's constants, and its rules about segments, messages, markets and drag (docs/score.md).

Split from coherence_v2.py only to keep each module readable: `_Run` there
mixes in `SegmentRules` from here. Every constant the contract names is here,
so docs/score.md and the engine quote the same numbers.
"""

from __future__ import annotations

from typing import Any

from desktop.domain.findings import names_text
from desktop.domain.layers import LAYERS
from desktop.domain.model import Channel, fold
from desktop.domain.vocabulary import (
    CUSTOMER_STAGE,
    message_key,
    money,
    motion_key,
    real_rule,
    segment_key,
    segments_match,
)

VERSION = 2
WEIGHTS: dict[str, float] = {
    "coverage": 5.0,
    "flow": 25.0,
    "routing": 15.0,
    "execution": 20.0,
    "alignment": 10.0,
    "feedback": 25.0,
}
COMPONENTS: tuple[str, ...] = tuple(WEIGHTS)
DRAG = "drag"
AI_FACTOR = 1.5  # a gap next to an AI channel runs at machine volume
UNACCOUNTABLE_CREDIT = 0.5  # a routed channel no feedback loop reaches earns half its flow credit
PASS_THROUGH_CREDIT = 0.5  # a routing hop that sends everything to one place, with no rule
UNLABELLED_LOOP_CREDIT = 0.5  # a loop arrow with neither rule nor label
FEEDBACK_SHARES = {"measured": 0.35, "closed": 0.35, "revenue": 0.30}
ORPHAN_POINTS = 2.0
DUPLICATE_POINTS = 3.0
SPEND_UNIT = 5000.0  # per this much monthly spend, an orphan or a duplicate costs one more point
FUNCTION_POINTS = 0.5  # per channel with a blank function, in one finding…
FUNCTION_CAP = 2.0  # …worth at most this much
DRAG_SCALE = 30.0  # drag = DRAG_SCALE·(1 − e^(−raw/DRAG_SCALE)): no free zone, never more than 30


def _name_key(channel: Channel) -> tuple[str, str]:
    name = channel.name
    return (name.strip().casefold(), name)


class SegmentRules:
    """Execution coherence, market alignment and drag: the rules that read segments and spend.

    A mixin of coherence_v2._Run, which provides `add`, `spend`, `shown`, the lanes and the graph.
    """

    # Provided by _Run.
    lanes: tuple[list[Channel], ...]
    all_lanes: tuple[list[Channel], ...]
    functions: dict[str, str]
    by_id: dict[str, Channel]
    currency: str
    graph: Any

    def add(self, *args: Any, **kwargs: Any) -> None: ...  # noqa: D102
    def spend(self, channel: Channel) -> float:
        raise NotImplementedError

    def shown(self, channel: Channel) -> str:
        raise NotImplementedError

    def execution(self) -> None:
        weight = WEIGHTS["execution"]
        execution = self.lanes[2]
        if not execution:
            self.add(
                "no-execution",
                "execution",
                weight,
                (),
                "No connected channel acts on the leads: add execution channels such as SDR outreach "
                "or email nurture and route leads to them",
            )
            return
        third = weight / 3
        blanks = [c for c in execution if not c.segment.strip()]
        if blanks:
            verb = (
                "has no segment: set the segment it serves"
                if len(blanks) == 1
                else ("have no segment: set the segment each one serves")
            )
            self.add(
                "unknown-segment",
                "execution",
                third * len(blanks) / len(execution),
                blanks,
                f"{names_text([c.name.strip() for c in sorted(blanks, key=_name_key)])} {verb}",
            )
        segmented = [c for c in execution if c.segment.strip()]
        if not segmented:
            return
        groups: dict[tuple[str, str], list[Channel]] = {}
        for c in segmented:
            stage = "customer" if self.functions[c.id] in CUSTOMER_STAGE else "acquisition"
            groups.setdefault((segment_key(c.segment), stage), []).append(c)
        size = len(segmented)
        for (segkey, stage), group in sorted(groups.items()):
            self._agreement(group, segkey, stage, "message", "mixed-messages", third / size)
            partner_free = [
                c for c in group if self.functions[c.id] != "partners" and "partner" not in fold(c.motion)
            ]
            self._agreement(partner_free, segkey, stage, "motion", "mixed-motions", third / size)

    def _promises(self) -> dict[str, dict[str, int]]:
        """Per capture segment key: how many capture channels tell each message key (built once a run)."""
        found = self.__dict__.get("_promised")
        if found is None:
            found = {}
            for capture in self.all_lanes[0]:
                if capture.segment.strip():
                    told = found.setdefault(segment_key(capture.segment), {})
                    key = message_key(capture.message)
                    told[key] = told.get(key, 0) + 1
            self.__dict__["_promised"] = found
        return found

    def _agreement(
        self, group: list[Channel], segkey: str, stage: str, attribute: str, rule: str, unit: float
    ) -> None:
        if not group:
            return
        keyer = message_key if attribute == "message" else motion_key
        keys = {c.id: keyer(getattr(c, attribute)) for c in group}
        counts: dict[str, int] = {}
        for key in keys.values():
            if key:
                counts[key] = counts.get(key, 0) + 1
        spellings = [c.segment.strip() for c in group]
        shown = min(
            set(spellings), key=lambda t: (-spellings.count(t), t)
        )  # the usual spelling, whatever the order
        where = f"In the {shown} segment" + (" (customers)" if stage == "customer" else "")
        if not counts:
            self.add(
                rule,
                "execution",
                unit * len(group),
                group,
                f"{where}, {names_text([c.name.strip() for c in sorted(group, key=_name_key)])} "
                f"{'have' if len(group) > 1 else 'has'} no {attribute}: set one shared {attribute}",
            )
            return
        heard: dict[str, int] = {}
        if attribute == "message":
            for capture_segment, promised in self._promises().items():  # what capture tells, per segment
                if segments_match(capture_segment, segkey):
                    for key, times in promised.items():
                        if key in counts:
                            heard[key] = heard.get(key, 0) + times
        paid: dict[str, float] = {}
        for c in group:
            if keys[c.id]:
                paid[keys[c.id]] = paid.get(keys[c.id], 0.0) + self.spend(c)
        modal = min(counts, key=lambda k: (-counts[k], -heard.get(k, 0), -paid.get(k, 0.0), k))
        others = [c for c in group if not _agrees(keys[c.id], modal)]
        if not others:
            return
        carriers = [getattr(c, attribute).strip() for c in group if keys[c.id] == modal]
        wording = min(set(carriers), key=lambda t: (-carriers.count(t), len(t), t))  # its most told wording
        blank = [c for c in others if not keys[c.id]]
        differ = [c for c in others if keys[c.id]]
        told = "tell" if attribute == "message" else "follow"
        parts: list[str] = []
        if differ:
            plural = len(differ) > 1
            names = names_text([c.name.strip() for c in sorted(differ, key=_name_key)])
            tie = counts[modal] == 1 and not heard.get(modal)
            if tie:  # nothing says which is right: ask for one narrative instead of picking one
                told_now = sorted({getattr(c, attribute).strip() for c in group if keys[c.id]})
                quoted = ", ".join(f"“{t}”" for t in told_now[:4])
                parts.append(
                    f"{names} and the rest of the segment tell different {attribute}s ({quoted}): agree on one"
                    + (", ideally the one your capture channels promise" if attribute == "message" else "")
                )
            else:
                why = " (the one the market heard from capture)" if heard.get(modal) else ""
                parts.append(
                    f"{names} {'do' if plural else 'does'} not {told} the shared {attribute} “{wording}”{why}: "
                    f"align {'them' if plural else 'it'}, or give {'them their' if plural else 'it its'} own segment"
                )
        if blank:
            names = names_text([c.name.strip() for c in sorted(blank, key=_name_key)])
            parts.append(f"{names} {'have' if len(blank) > 1 else 'has'} no {attribute}: give it “{wording}”")
        self.add(rule, "execution", unit * len(others), others, f"{where}, " + "; ".join(parts))

    # --- 5. alignment ----------------------------------------------------------------------------
    def alignment(self) -> None:
        weight = WEIGHTS["alignment"]
        graph = self.graph
        handoffs = graph.handoffs
        if not handoffs:
            self.add(
                "no-handoff",
                "alignment",
                weight,
                (),
                "Nothing hands leads from capture or routing to an execution channel, so no segment "
                "reaches the team that serves it: connect routing to execution",
            )
            return
        by_id = self.by_id
        origins = self._origins()
        unit = weight / len(handoffs)
        for flow in handoffs:
            target = by_id[flow.target]
            if not target.segment.strip() or real_rule(flow.rule):
                continue
            want = segment_key(target.segment)
            wrong = [
                c for c in origins.get(flow.source, ()) if not segments_match(segment_key(c.segment), want)
            ]
            if not wrong:
                continue
            wrong.sort(key=_name_key)
            source = by_id[flow.source]
            shown = names_text(
                [f"{c.name.strip()} ({c.segment.strip()})" for c in wrong[:4]], total=len(wrong)
            )
            via = "" if source in wrong else f" through {source.name.strip()}"
            self.add(
                "segment-mismatch",
                "alignment",
                unit,
                [*wrong, target] if source in wrong else [*wrong, source, target],
                f"{shown} {'feed' if len(wrong) > 1 else 'feeds'} {target.name.strip()} "
                f"({target.segment.strip()}){via} with no rule: route by segment, or retarget the channel",
            )

    def _origins(self) -> dict[str, list[Channel]]:
        """Per capture/routing channel: the segmented capture channels that reach it by unruled flows only."""
        by_segment: dict[str, list[Channel]] = {}
        for c in self.lanes[0]:
            if c.segment.strip():
                by_segment.setdefault(segment_key(c.segment), []).append(c)
        unruled = self.graph.unruled_upstream
        reached: dict[str, list[Channel]] = {}
        for members in by_segment.values():
            for origin in members:  # a segment has few capture channels; each walks the unruled flows
                seen = {origin.id}
                queue = [origin.id]
                for node in queue:
                    for target in unruled.get(node, ()):
                        if target not in seen:
                            seen.add(target)
                            queue.append(target)
                for node in seen:
                    reached.setdefault(node, []).append(origin)
        return reached

    # --- 6. feedback -----------------------------------------------------------------------------
    def drag(self) -> None:
        connected = self.graph.connected
        for lane in self.all_lanes:
            for channel in lane:
                if channel.id not in connected:
                    self.add(
                        "orphan-channel",
                        DRAG,
                        ORPHAN_POINTS + self.spend(channel) / SPEND_UNIT,
                        [channel],
                        f"{self.shown(channel)} has no flow in or out: connect it to the architecture "
                        "or stop paying for it",
                    )
        for layer, lane in zip(LAYERS, self.all_lanes, strict=True):
            for unsorted in self._duplicates(lane):
                decorated = sorted([(c.name.strip().casefold(), c.name, i) for i, c in enumerate(unsorted)])
                group = [unsorted[d[2]] for d in decorated]
                spends = [self.spend(c) for c in group]
                most = max(spends)
                keep = group[spends.index(most)]  # the biggest spend; ties: the first by name
                saving = sum(spends) - most
                tools = names_text([self._tool_name(c) for c in group[:4]], total=len(group))
                free = (
                    f": keeping {keep.name.strip()} frees {money(saving, self.currency)}/month"
                    if saving
                    else ": keep one and consolidate"
                )
                function = self.functions[group[0].id]
                self.add(
                    "duplicate-function",
                    DRAG,
                    DUPLICATE_POINTS * (len(group) - 1) + saving / SPEND_UNIT,
                    group,
                    f"{len(group)} {layer.value} channels do {function} ({tools}){free}",
                    folded=tuple([d[0] for d in decorated]),
                )
        blank = [c for lane in self.all_lanes for c in lane if not self.functions[c.id]]
        if blank:
            self.add(
                "unknown-function",
                DRAG,
                min(FUNCTION_CAP, FUNCTION_POINTS * len(blank)),
                blank,
                f"{names_text([c.name.strip() for c in sorted(blank, key=_name_key)[:4]], total=len(blank))} "
                f"{'has' if len(blank) == 1 else 'have'} no function: pick one from the catalog so the "
                "score can tell duplicates, revenue channels and loops apart",
                amplify=False,
            )

    def _tool_name(self, channel: Channel) -> str:
        tool = channel.tool.strip()
        return (
            f"{channel.name.strip()} on {tool}"
            if tool and fold(tool) not in fold(channel.name)
            else (channel.name.strip())
        )

    def _duplicates(self, lane: list[Channel]) -> list[list[Channel]]:
        """Groups of channels of one function that serve overlapping segments (connected components)."""
        by_function: dict[str, list[Channel]] = {}
        for c in lane:
            key = self.functions[c.id]
            if key:
                by_function.setdefault(key, []).append(c)
        groups: list[list[Channel]] = []
        for members in by_function.values():
            if len(members) < 2:
                continue
            components = _overlapping([segment_key(c.segment) for c in members])
            found: dict[int, list[Channel]] = {}
            for c, component in zip(members, components, strict=True):
                found.setdefault(component, []).append(c)
            groups += [g for g in found.values() if len(g) > 1]
        return groups


def _agrees(key: str, modal: str) -> bool:
    """A message agrees with the shared one when it tells the same narrative: the same key, or the key
    followed by more words ("Unify SecOps for financial services" tells "Unify SecOps")."""
    return bool(key) and (key == modal or key.startswith(modal + " ") or modal.startswith(key + " "))


def _overlapping(keys: list[str]) -> list[int]:
    """For each segment key, its group: keys that match are one group, and a blank key joins every group.

    Works on the few distinct keys, so a large map's duplicates cost one pass.
    """
    distinct = sorted(set(keys))
    parent = {key: key for key in distinct}

    def find(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for i, a in enumerate(distinct):
        for b in distinct[i + 1 :]:
            if not a or not b or segments_match(a, b):
                parent[find(a)] = find(b)
    roots = {key: find(key) for key in distinct}
    numbers = {root: n for n, root in enumerate(sorted(set(roots.values())))}
    return [numbers[roots[key]] for key in keys]
