"""Channel facts derived for a map just read equal those derived channel by channel after edits.

Why: coherence_v2_facts.py derives a new map's facts in one fused pass (the
cold path of `score` on a large file) and an edited map's facts only for the
channels whose object changed (the edit path). Both must give every fact the
rules read, for every channel the map holds, with names, segments and motions
that need trimming and folding.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain.coherence_v2_facts import ChannelFacts, channel_facts
from desktop.domain.layers import LAYERS
from desktop.domain.model import ArchitectureMap, Channel

TEXT = st.sampled_from(
    ["", " ", "SMB", " Mid Market ", "mid-market", "Partner-led", "ABM", "Intent data", "x"]
)
FACTS = ["names", "folded", "name_keys", "functions", "segments", "segment_keys", "spends"]
TOLD = ["message_keys"]
ACTING = ["motion_keys", "partner_motions"]


@st.composite
def channels(draw: st.DrawFn) -> list[Channel]:
    count = draw(st.integers(0, 12))
    return [
        Channel(
            id=f"c{i}",
            name=draw(st.sampled_from(["Webinars", " Webinars ", "SDR team", "ÉVÉNEMENTS", "Straße"]))
            + str(i),
            layer=draw(st.sampled_from(LAYERS)),
            function=draw(TEXT),
            segment=draw(TEXT),
            motion=draw(TEXT),
            message=draw(st.sampled_from(["", "Consolidate: for CFOs", "Go live — today"])),
            monthly_spend=draw(st.sampled_from([None, -5.0, 0.0, 300.0, float("nan")])),
        )
        for i in range(count)
    ]


def facts_of(made: list[Channel], fresh: bool) -> ChannelFacts:
    facts = ChannelFacts()
    if not fresh:  # something known already: the channels are then derived as changed ones
        facts.refresh([Channel(id="old", name="Old", layer=LAYERS[0])])
    facts.refresh(made)
    return facts


@settings(max_examples=300, deadline=None)
@given(channels())
def test_a_new_map_gets_the_facts_an_edited_map_gets(made):
    new, edited = facts_of(made, fresh=True), facts_of(made, fresh=False)
    ids = [c.id for c in made]
    assert new.channels is made and new.ids == ids == edited.ids
    assert new.layers == edited.layers == [c.layer for c in made]
    assert new.by_id == edited.by_id == {c.id: c for c in made}
    assert new.all_lanes == edited.all_lanes
    assert all(new.known[cid] is edited.known[cid] is new.by_id[cid] for cid in ids)
    for name in FACTS:
        assert [getattr(new, name)[cid] for cid in ids] == [getattr(edited, name)[cid] for cid in ids], name
    told = [c.id for c in made if c.layer in (LAYERS[0], LAYERS[2])]
    acting = [c.id for c in made if c.layer is LAYERS[2]]
    for name, which in [*((n, told) for n in TOLD), *((n, acting) for n in ACTING)]:
        assert [getattr(new, name)[cid] for cid in which] == [getattr(edited, name)[cid] for cid in which], (
            name
        )
    for c in made:
        assert new.names[c.id] == c.name.strip()
        assert new.spends[c.id] == (c.monthly_spend if c.monthly_spend and c.monthly_spend > 0 else 0.0)


@settings(max_examples=150, deadline=None)
@given(channels())
def test_a_maps_own_indexes_give_the_facts_its_channels_give(made):
    arch = ArchitectureMap.build(made)
    from_map, from_list = channel_facts(arch), facts_of(arch.channels, fresh=True)
    assert arch.names_unique and arch.keys_by_id() == {c.id: c.key for c in made}
    assert from_map.by_id == from_list.by_id == arch.channel_index()
    for name in ["names", "folded", "name_keys", *FACTS]:
        assert [getattr(from_map, name)[c.id] for c in made] == [getattr(from_list, name)[c.id] for c in made]


def test_channels_sharing_a_name_are_ordered_by_the_name_as_written_too():
    twins = [Channel(id="b", name="crm", layer=LAYERS[0]), Channel(id="a", name=" CRM", layer=LAYERS[0])]
    arch = ArchitectureMap.build(twins)
    assert not arch.names_unique and arch.keys_by_id() is None
    facts = channel_facts(arch)
    assert facts.name_keys == {"b": ("crm", "crm"), "a": ("crm", " CRM")}
    assert sorted(facts.ids, key=facts.name_keys.__getitem__) == ["a", "b"]
