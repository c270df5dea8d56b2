"""The room's pure parts: grouping, text checks, tokens and limits, the vote tally, results round trip."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.room.grouping import group_key
from desktop.room.state import RoomState
from desktop.room.text import BIDI_CONTROLS, Refused, clean
from desktop.room.tokens import (
    CODE_TRIES_PER_MINUTE,
    SUGGESTIONS_IN_ALL,
    SUGGESTIONS_PER_MINUTE,
    TokenBook,
)
from desktop.room.votes import DOTS, Ballot, VoteItem, VoteResults, results_in_json


def test_similar_names_share_a_group() -> None:
    assert group_key("Webinar") == group_key("webinars") == group_key("Webinars (ON24)")
    assert group_key("Webinars") != group_key("Podcasts")
    assert group_key("Case studies") == group_key("case study")


@given(st.text(max_size=60))
def test_group_key_never_fails(name: str) -> None:
    assert isinstance(group_key(name), str)


def test_text_is_kept_as_typed_and_controls_are_refused() -> None:
    assert clean("  <script>alert(1)</script> ", "channel", 80) == "<script>alert(1)</script>"
    assert clean("ندوات عبر الإنترنت", "channel", 80) == "ندوات عبر الإنترنت"
    for bad in ("a\x00b", "a\u202eb", "x\u2066y", "bell\x07"):
        with pytest.raises(Refused) as caught:
            clean(bad, "channel", 80)
        assert caught.value.status == 400
    assert clean("two\nlines", "note", 400, multiline=True) == "two\nlines"
    with pytest.raises(Refused):
        clean("x" * 81, "channel", 80)
    with pytest.raises(Refused):
        clean("   ", "channel", 80, required=True)
    with pytest.raises(Refused):
        clean(12, "channel", 80)


@given(st.text(max_size=40))
def test_clean_either_refuses_or_returns_text_without_controls(text: str) -> None:
    try:
        value = clean(text, "note", 400, multiline=True)
    except Refused:
        return
    assert "\x00" not in value and not set(value) & BIDI_CONTROLS


def test_tokens_are_long_and_a_closed_room_forgets_them() -> None:
    book = TokenBook()
    assert len(book.invitation) >= 16  # 128 bits in URL-safe base64: 22 characters
    one = book.join(invitation=book.invitation)
    two = book.join(code=book.code.lower())
    assert one.token != two.token and len(one.token) >= 16
    assert book.participant(one.token) is one
    with pytest.raises(Refused) as caught:
        book.join(invitation="guess")
    assert caught.value.status == 401
    book.close()
    with pytest.raises(Refused):
        book.participant(one.token)
    with pytest.raises(Refused):
        book.join(code=book.code)


def test_join_code_attempts_are_rate_limited_per_address() -> None:
    now = [0.0]
    book = TokenBook(clock=lambda: now[0])
    for _ in range(CODE_TRIES_PER_MINUTE):
        with pytest.raises(Refused):
            book.join(code="WRONG1", address="10.0.0.9")
    with pytest.raises(Refused) as caught:
        book.join(code=book.code, address="10.0.0.9")  # even the right code, for now
    assert caught.value.status == 429
    assert book.join(code=book.code, address="10.0.0.10")  # another phone is not blocked
    now[0] += 61
    assert book.join(code=book.code, address="10.0.0.9")


def test_suggestion_limits_per_minute_and_in_all() -> None:
    now = [0.0]
    state = RoomState()
    state.tokens = TokenBook(clock=lambda: now[0])
    phone = state.tokens.join(invitation=state.tokens.invitation)
    sent = 0
    with pytest.raises(Refused) as caught:
        while True:
            state.suggest(phone, {"channel": f"C{sent}", "layer": "capture"})
            sent += 1
    assert caught.value.status == 429 and sent == SUGGESTIONS_PER_MINUTE
    while sent < SUGGESTIONS_IN_ALL:
        now[0] += 61
        for _ in range(SUGGESTIONS_PER_MINUTE):
            if sent == SUGGESTIONS_IN_ALL:
                break
            state.suggest(phone, {"channel": f"C{sent}", "layer": "routing"})
            sent += 1
    now[0] += 61
    with pytest.raises(Refused):
        state.suggest(phone, {"channel": "one more", "layer": "capture"})
    assert len(state.suggestions()) == SUGGESTIONS_IN_ALL


def test_a_refused_suggestion_changes_nothing() -> None:
    state = RoomState()
    phone = state.tokens.join(invitation=state.tokens.invitation)
    for data in ({"channel": "x", "layer": "sideways"}, {"channel": "", "layer": "capture"}, {"layer": "x"}):
        with pytest.raises(Refused):
            state.suggest(phone, data)
    assert state.suggestions() == [] and phone.suggested == 0


def test_three_dots_stack_and_the_tally_counts_them() -> None:
    items = [VoteItem.of("open-loop", ("c1",), "A"), VoteItem.of("orphan", ("c2", "c3"), "B")]
    ballot = Ballot(tuple(items))
    a, b = items[0].key, items[1].key
    for _ in range(DOTS):
        ballot.cast(1, a, 1)
    with pytest.raises(Refused):
        ballot.cast(1, b, 1)
    ballot.cast(1, a, -1)
    ballot.cast(1, b, 1)
    ballot.cast(2, b, 1)
    with pytest.raises(Refused):
        ballot.cast(2, a, -1)
    with pytest.raises(Refused):
        ballot.cast(2, "not-a-finding", 1)
    assert ballot.tally() == {a: 2, b: 2}
    results = ballot.results()
    assert results.voters == 2
    assert results.dots_by_channel() == {"c1": 2, "c2": 2, "c3": 2}
    again = VoteResults.loads(results.dumps())
    assert again == results
    assert results_in_json('{"room": ' + results.dumps() + "}") == results
    assert VoteResults.loads("{not json") == VoteResults()
    assert VoteResults.from_dict({"vote": {"results": [{"finding": 1}]}}) == VoteResults()
