"""Contract 2's constants, and its rules about segments, messages, markets and drag (docs/score.md).

Split from coherence_v2.py only to keep each module readable: `_Run` there
mixes in `SegmentRules` from here. Every constant the contract names is here,
so docs/score.md and the engine quote the same numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import chain, compress
from operator import attrgetter, not_
from typing import Any

from desktop.domain.coherence_v2_duplicates import duplicate_groups, matching
from desktop.domain.coherence_v2_facts import ChannelFacts
from desktop.domain.findings import names_text
from desktop.domain.layers import LAYERS
from desktop.domain.model import Channel
from desktop.domain.vocabulary import (
    CUSTOMER_STAGE,
    money,
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
_NAME, _AUTOMATION = attrgetter("name"), attrgetter("automation")


class SegmentRules:
    """Execution coherence, market alignment and drag: the rules that read segments and spend.

    A mixin of coherence_v2._Run, which provides `add`, `by_name`, `shown`, the lanes, the graph
    and the channel facts (coherence_v2_facts.py) as dicts by channel id.
    """

    # Provided by _Run.
    lanes: tuple[list[Channel], ...]
    all_lanes: tuple[list[Channel], ...]
    functions: dict[str, str]
    names: dict[str, str]
    segments: dict[str, str]
    segment_keys: dict[str, str]
    spends: dict[str, float]
    message_keys: dict[str, str]
    motion_keys: dict[str, str]
    partner_motions: dict[str, bool]
    by_id: dict[str, Channel]
    folded: dict[str, str]
    name_keys: dict[str, str] | dict[str, tuple[str, str]]
    currency: str
    graph: Any
    facts: ChannelFacts
    raw: list[Any]
    _started: dict[object, int]

    def add(self, *args: Any, **kwargs: Any) -> None: ...  # noqa: D102
    def add_one(self, *args: Any, **kwargs: Any) -> None: ...  # noqa: D102
    def by_name(self, channels: Iterable[Channel]) -> list[Channel]:
        raise NotImplementedError

    def shown(self, channel: Channel) -> str:
        raise NotImplementedError

    def listed(self, ordered: list[Channel]) -> str:
        """Channels (in name order) as a message lists them: "A, B, C and 4 more"."""
        names = self.names
        return names_text([names[c.id] for c in ordered[:4]], total=len(ordered))

    def execution(self) -> None:
        """Kept per map while the connected execution channels stay the same objects and capture
        promises the same messages per segment (all the rule reads): a capture rename replays it."""
        inputs: list[object] = [self.lanes[2], self._promises()]
        if self.replay("execution", inputs):
            return
        self._execution()
        self.keep("execution", inputs)

    def _execution(self) -> None:
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
        segments, functions, segment_keys = self.segments, self.functions, self.segment_keys
        unsegmented: list[Channel] = []
        groups: dict[tuple[str, str], list[Channel]] = {}  # by segment key and stage, in lane order
        for c in execution:
            cid = c.id
            if not segments[cid]:
                unsegmented.append(c)
                continue
            key = (segment_keys[cid], "customer" if functions[cid] in CUSTOMER_STAGE else "acquisition")
            found = groups.get(key)
            if found is None:
                groups[key] = [c]
            else:
                found.append(c)
        blanks = self.by_name(unsegmented)
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
                f"{self.listed(blanks)} {verb}",
                in_order=True,
            )
        if not groups:
            return
        size = len(execution) - len(unsegmented)
        partner_motions = self.partner_motions
        for (segkey, stage), group in sorted(groups.items()):
            ordered = self.by_name(group)  # sorted once: a filtered sorted list is the sorted filtered list
            self._agreement(group, ordered, segkey, stage, "message", "mixed-messages", third / size)
            partner_free = [c for c in group if functions[c.id] != "partners" and not partner_motions[c.id]]
            if len(partner_free) < len(group):
                ordered = [c for c in ordered if functions[c.id] != "partners" and not partner_motions[c.id]]
            self._agreement(partner_free, ordered, segkey, stage, "motion", "mixed-motions", third / size)

    def _promises(self) -> dict[str, dict[str, int]]:
        """Per capture segment key: how many capture channels tell each message key (built once a run)."""
        found = self.__dict__.get("_promised")
        if found is None:
            found = {}
            segments, segment_keys, message_keys = self.segments, self.segment_keys, self.message_keys
            ids = [c.id for c in self.all_lanes[0]]
            told = Counter([(segment_keys[cid], message_keys[cid]) for cid in ids if segments[cid]])
            for (segkey, key), times in told.items():  # in the order they first appear, as counted
                found.setdefault(segkey, {})[key] = times
            self.__dict__["_promised"] = found
        return found

    def _promised_keys(self) -> list[str]:
        """The capture segment keys of `_promises`, sorted (once a run)."""
        found = self.__dict__.get("_promised_keys_sorted")
        if found is None:
            found = self.__dict__["_promised_keys_sorted"] = sorted(self._promises())
        return found

    def _agreement(
        self,
        group: list[Channel],
        ordered: list[Channel],
        segkey: str,
        stage: str,
        attribute: str,
        rule: str,
        unit: float,
    ) -> None:
        """Findings for the channels of `group` (in lane order; `ordered`: the same in name order) that
        do not tell its shared message (or follow its shared motion)."""
        if not group:
            return
        keys = self.message_keys if attribute == "message" else self.motion_keys
        ids = [c.id for c in group]
        told_keys = list(map(keys.__getitem__, ids))  # per channel, in group order
        counts = Counter(told_keys)
        del counts[""]  # a blank key is no message (or motion)
        spellings = Counter(map(self.segments.__getitem__, ids))
        shown = min(spellings, key=lambda t: (-spellings[t], t))  # the usual spelling, whatever the order
        where = f"In the {shown} segment" + (" (customers)" if stage == "customer" else "")
        if not counts:
            self.add(
                rule,
                "execution",
                unit * len(group),
                ordered,
                f"{where}, {self.listed(ordered)} "
                f"{'have' if len(group) > 1 else 'has'} no {attribute}: set one shared {attribute}",
                in_order=True,
            )
            return
        heard: dict[str, int] = {}
        if attribute == "message":
            promises = self._promises()  # what capture tells, per segment
            for capture_segment in matching(self._promised_keys(), promises, segkey):
                for key, times in promises[capture_segment].items():
                    if key in counts:
                        heard[key] = heard.get(key, 0) + times
        best = min([(-n, -heard.get(k, 0)) for k, n in counts.items()])
        tied = [k for k, n in counts.items() if (-n, -heard.get(k, 0)) == best]
        if len(tied) == 1:
            modal = tied[0]
        else:  # the spend on each tied key breaks the tie (summed in group order), then the key
            paid = dict.fromkeys(tied, 0.0)
            spends = self.spends
            for key, cid in zip(told_keys, ids, strict=True):
                if key in paid:
                    paid[key] += spends[cid]
            modal = min(tied, key=lambda k: (-paid[k], k))
        disagree = {key: not _agrees(key, modal) for key in counts}
        disagree[""] = True  # a blank key never agrees
        others = [c for c in ordered if disagree[keys[c.id]]]  # in name order
        if not others:
            return
        told_as: Counter[str] = Counter()
        modal_ones = compress(group, map(modal.__eq__, told_keys))
        for text, times in Counter(map(attrgetter(attribute), modal_ones)).items():
            told_as[text.strip()] += times
        wording = min(told_as, key=lambda t: (-told_as[t], len(t), t))  # its most told wording
        other_keys = [keys[c.id] for c in others]
        blank = list(compress(others, map(not_, other_keys)))
        differ = list(compress(others, other_keys))
        told = "tell" if attribute == "message" else "follow"
        parts: list[str] = []
        if differ:
            plural = len(differ) > 1
            names = self.listed(differ)
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
            names = self.listed(blank)
            parts.append(f"{names} {'have' if len(blank) > 1 else 'has'} no {attribute}: give it “{wording}”")
        self.add(
            rule, "execution", unit * len(others), others, f"{where}, " + "; ".join(parts), in_order=True
        )

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
        by_id, names, segments, segment_keys = self.by_id, self.names, self.segments, self.segment_keys
        by_segment, origins = self._origins()
        unit = weight / len(handoffs)
        name_keys, folded, record = self.name_keys, self.folded, self.raw.append
        capture_keys = sorted(by_segment)
        matched: dict[str, set[str]] = {}  # per segment key: the capture segment keys that match it
        for flow in graph.unruled_handoffs:  # a hand-off with a rule routes by it
            reached = origins.get(flow.source)
            if not reached:
                continue
            target_id = flow.target
            if not segments[target_id]:
                continue
            want = segment_keys[target_id]
            good = matched.get(want)
            if good is None:
                good = matched[want] = set(matching(capture_keys, by_segment, want))
            wrong_ids = [cid for cid in reached if segment_keys[cid] not in good]
            if not wrong_ids:
                continue
            if len(wrong_ids) > 1:
                wrong_ids.sort(key=name_keys.__getitem__)  # name order (stable: equal names keep theirs)
            shown = names_text([f"{names[c]} ({segments[c]})" for c in wrong_ids[:4]], total=len(wrong_ids))
            source_id = flow.source
            if source_id in wrong_ids:
                via = ""
                named = [*wrong_ids, target_id]
            else:
                via = f" through {names[source_id]}"
                named = [*wrong_ids, source_id, target_id]
            named.sort(key=name_keys.__getitem__)
            channels = list(map(by_id.__getitem__, named))  # (a few: `map` needs no comprehension's frame)
            record(  # add(), inline: a large map has hundreds of these
                (
                    "segment-mismatch",
                    "alignment",
                    unit,
                    tuple(named),
                    tuple(map(_NAME, channels)),
                    f"{shown} {'feed' if len(wrong_ids) > 1 else 'feeds'} {names[target_id]} "
                    f"({segments[target_id]}){via} with no rule: route by segment, or retarget the channel",
                    any(map(_AUTOMATION, channels)),
                    tuple(map(folded.__getitem__, named)),
                )
            )

    def _origins(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """The segmented capture channels by segment key (in the order their segments first appear in the
        capture lane), and per channel where an unruled hand-off starts those that reach it by unruled
        flows only, in that same order (by segment, then lane order).

        Kept with the flow graph for as long as the capture channels' segment keys stay the same, so an
        edit that changes no flow and no segment key (a rename, a message) does not walk the flows again.
        """
        segments, segment_keys = self.segments, self.segment_keys
        by_segment: dict[str, list[str]] = {}
        for cid in [c.id for c in self.lanes[0]]:
            if segments[cid]:
                found = by_segment.get(segment_keys[cid])
                if found is None:
                    by_segment[segment_keys[cid]] = [cid]
                else:
                    found.append(cid)
        memo = self.graph.memo
        kept = memo.get("origins")
        if kept is not None and kept[0] == by_segment and list(kept[0]) == list(by_segment):
            return kept  # type: ignore[no-any-return]
        unruled = self.graph.unruled_upstream
        sending = unruled.keys()
        starts = {flow.source for flow in self.graph.unruled_handoffs}  # only where one starts is read
        reached: dict[str, list[str]] = {}
        shallow = sending.isdisjoint(chain.from_iterable(unruled.values()))  # no unruled flow leads on
        for members in by_segment.values():
            for origin in members:  # a segment has few capture channels; each walks the unruled flows
                targets = unruled.get(origin)
                nodes: Iterable[str]
                if targets is None:  # most capture channels send no unruled flow on…
                    if origin not in starts:
                        continue
                    nodes = (origin,)
                elif shallow or sending.isdisjoint(targets):  # …or only to channels that send none on
                    nodes = starts.intersection(targets)  # (each once)
                    if origin in starts:
                        nodes.add(origin)
                else:
                    seen = {origin}
                    queue = [origin]
                    for node in queue:
                        for target in unruled.get(node, ()):
                            if target not in seen:
                                seen.add(target)
                                queue.append(target)
                    nodes = queue
                for node in nodes:  # each node hears of this origin once: their order does not matter
                    if node in starts:
                        found = reached.get(node)
                        if found is None:
                            reached[node] = [origin]
                        else:
                            found.append(origin)
        memo["origins"] = kept = (by_segment, reached)
        return kept

    # --- findings kept between runs, and drag ----------------------------------------------------
    def replay(self, key: object, inputs: list[object]) -> bool:
        """Add again the findings kept under `key` if they came from equal `inputs`; True when it did.

        `inputs` must be everything the rule reads: lists of channel objects (equal while the map holds
        the very same objects; an edited channel is a new object), the graph (equal only to itself)
        and plain values such as the currency. The findings are kept on the map (its channel facts).
        """
        kept = self.facts.memo.get(key)
        if kept is not None and kept[0] == inputs:
            self.raw += kept[1]
            return True
        self._started[key] = len(self.raw)
        return False

    def keep(self, key: object, inputs: list[object]) -> None:
        """Keep the findings added since `replay(key, …)` said False, for the next run on this map."""
        self.facts.memo[key] = (inputs, self.raw[self._started.pop(key) :])

    def drag(self) -> None:
        connected = self.graph.connected
        orphans = (  # connected holds only the map's channels: as many means none is an orphan
            []
            if len(connected) == len(self.by_id)
            else [c for lane in self.all_lanes for c in lane if c.id not in connected]
        )
        for channel in orphans:
            self.add_one(
                "orphan-channel",
                DRAG,
                ORPHAN_POINTS + self.spends[channel.id] / SPEND_UNIT,
                channel,
                f"{self.shown(channel)} has no flow in or out: connect it to the architecture "
                "or stop paying for it",
            )
        spends, names, by_id, name_keys = self.spends, self.names, self.by_id, self.name_keys
        folded, record = self.folded, self.raw.append
        blanks: list[Channel] | None = []  # the channels with a blank function, lane by lane
        for layer, lane in zip(LAYERS, self.all_lanes, strict=True):
            inputs: list[object] = [lane, self.currency]  # duplicates read no flow: kept per lane
            if self.replay(("duplicate-function", layer), inputs):
                blanks = None
                continue
            duplicates, blank = duplicate_groups(lane, self.functions, self.segment_keys)
            if blanks is not None:
                blanks += blank
            for unsorted in duplicates:  # (the groups of a large map name every channel: ids sort fastest)
                ids = [c.id for c in unsorted]
                ids.sort(key=name_keys.__getitem__)  # name order, as `by_name`
                group = list(map(by_id.__getitem__, ids))
                amounts = list(map(spends.__getitem__, ids))
                most = max(amounts)
                keep = ids[amounts.index(most)]  # the biggest spend; ties: the first by name
                saving = sum(amounts) - most
                tools = names_text([self.facts.tool_name(c) for c in group[:4]], total=len(group))
                free = (
                    f": keeping {names[keep]} frees {money(saving, self.currency)}/month"
                    if saving
                    else ": keep one and consolidate"
                )
                record(  # add(), inline (a group names two channels or more)
                    (
                        "duplicate-function",
                        DRAG,
                        DUPLICATE_POINTS * (len(group) - 1) + saving / SPEND_UNIT,
                        tuple(ids),
                        tuple([c.name for c in group]),
                        f"{len(group)} {layer.value} channels do {self.functions[ids[0]]} ({tools}){free}",
                        any([c.automation for c in group]),
                        tuple(map(folded.__getitem__, ids)),
                    )
                )
            self.keep(("duplicate-function", layer), inputs)
        functions = self.functions
        everything: list[object] = [self.facts.channels]
        if self.replay("unknown-function", everything):
            return
        if blanks is None:
            blanks = [c for lane in self.all_lanes for c in lane if not functions[c.id]]
        blank = self.by_name(blanks)
        if blank:
            self.add(
                "unknown-function",
                DRAG,
                min(FUNCTION_CAP, FUNCTION_POINTS * len(blank)),
                blank,
                f"{self.listed(blank)} "
                f"{'has' if len(blank) == 1 else 'have'} no function: pick one from the catalog so the "
                "score can tell duplicates, revenue channels and loops apart",
                amplify=False,
                in_order=True,
            )
        self.keep("unknown-function", everything)


def _agrees(key: str, modal: str) -> bool:
    """A message agrees with the shared one when it tells the same narrative: the same key, or the key
    followed by more words ("Unify SecOps for financial services" tells "Unify SecOps")."""
    return bool(key) and (key == modal or key.startswith(modal + " ") or modal.startswith(key + " "))
