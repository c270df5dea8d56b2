"""The room's web server over loopback: joining, the phone's API, and hostile requests changing nothing."""

from __future__ import annotations

import json
import struct
import threading
import urllib.request

import pytest

from desktop.room.server import MAX_REQUEST, RoomServer
from desktop.room.state import RoomState
from desktop.room.text import Refused
from desktop.room.votes import VoteItem
from tests.room.phones import Phone, request


@pytest.fixture()
def room():
    state = RoomState()
    server = RoomServer(state, "127.0.0.1")
    server.start()
    yield state, server
    server.stop()


def test_the_page_is_served_with_no_external_assets(room) -> None:
    _state, server = room
    page = request(server.url)
    assert page.status == 200 and "text/html" in page.headers["Content-Type"]
    html = page.body.decode()
    for field in ('name="channel"', 'name="layer"', 'name="note"'):
        assert field in html
    for layer in ("capture", "routing", "execution", "feedback"):
        assert f'value="{layer}"' in html
    assert "http" not in html.replace("http-equiv", "")  # no external asset
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    for path in ("/room.css", "/room.js"):
        assert request(server.url.rstrip("/") + path).status == 200


def test_join_suggest_and_see_own_suggestions(room) -> None:
    state, server = room
    phone = Phone(server.join_url).join()
    other = Phone(server.join_url).join()
    assert phone.suggest("Webinars (ON24)", "capture", "we run two a month").status == 201
    assert other.suggest("Podcast", "execution").status == 201
    mine = phone.state()["suggestions"]
    assert [s["channel"] for s in mine] == ["Webinars (ON24)"]  # never another phone's
    assert [s.name for s in state.suggestions()] == ["Webinars (ON24)", "Podcast"]
    form = phone.post(
        "/api/suggest",
        None,
        raw=b"channel=Trade+shows&layer=capture&note=",
        kind="application/x-www-form-urlencoded",
    )
    assert form.status == 201 and form.json()["channel"] == "Trade shows"


def test_join_code_exchange(room) -> None:
    state, server = room
    phone = Phone(server.url)
    answer = phone.post("/api/join", {"code": state.tokens.code.lower()}, token="")
    assert answer.status == 200 and len(answer.json()["token"]) >= 16
    assert phone.post("/api/join", {"code": "NOPE00"}, token="").status == 401


@pytest.mark.parametrize(
    "body, kind, status",
    [
        (b"{not json", "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b'{"channel": 5, "layer": "capture"}', "application/json", 400),
        (b'{"channel": "x", "layer": "nowhere"}', "application/json", 400),
        (json.dumps({"channel": "a\u202eb", "layer": "capture"}).encode(), "application/json", 400),
        (b'{"channel": "a\\u0000b", "layer": "capture"}', "application/json", 400),
        (b"\xff\xfe", "application/json", 400),
        (b"channel=x", "text/plain", 415),
        (
            json.dumps({"channel": "x" * (MAX_REQUEST + 10), "layer": "capture"}).encode(),
            "application/json",
            413,
        ),
    ],
)
def test_malformed_or_oversized_requests_get_a_clear_error_and_change_nothing(
    room, body, kind, status
) -> None:
    state, server = room
    phone = Phone(server.join_url).join()
    answer = phone.post("/api/suggest", None, raw=body, kind=kind)
    assert answer.status == status
    assert answer.json()["error"]
    assert state.suggestions() == []


def test_bad_or_missing_tokens_are_refused(room) -> None:
    state, server = room
    phone = Phone(server.join_url).join()
    for token in ("", "not-a-token", phone.token[:-1]):
        for path in ("/api/state", "/api/map.png", "/api/events"):
            answer = phone.get(path, token=token)
            assert answer.status == 401, path
        assert phone.post("/api/suggest", {"channel": "x", "layer": "capture"}, token=token).status == 401
    assert phone.post("/api/join", {"invitation": "guessed"}, token="").status == 401
    assert state.suggestions() == []


def test_script_and_right_to_left_names_come_back_as_text(room) -> None:
    state, server = room
    phone = Phone(server.join_url).join()
    names = ["<script>alert('x')</script>", "ندوات عبر الإنترنت", "<img src=x onerror=alert(1)>"]
    for name in names:
        assert phone.suggest(name).status == 201
    answer = phone.get("/api/state")
    assert answer.headers["Content-Type"].startswith("application/json")
    assert [s["channel"] for s in answer.json()["suggestions"]] == names
    assert [s.name for s in state.suggestions()] == names


def test_votes_through_the_api(room) -> None:
    state, server = room
    phone = Phone(server.join_url).join()
    assert phone.vote("x").status == 409  # no vote open
    state.open_vote(
        [VoteItem.of("open-loop", ("c1",), "Close the loop"), VoteItem.of("orphan", ("c2",), "B")]
    )
    key = phone.state()["vote"]["findings"][0]["key"]
    for _ in range(3):
        assert phone.vote(key).status == 200
    assert phone.vote(key).status == 409
    assert phone.post("/api/vote", {"finding": key, "delta": 5}).status == 400
    assert phone.state()["vote"]["mine"] == {key: 3}
    assert state.close_vote().results[0].dots == 3


def test_the_map_picture_is_a_plain_png(room) -> None:
    state, server = room
    phone = Phone(server.join_url).join()
    assert phone.get("/api/map.png").status == 404
    png = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 0) + b"IEND" + b"\0" * 4
    state.publish(png, ["capture"])
    answer = phone.get("/api/map.png")
    assert answer.status == 200 and answer.body == png and answer.headers["Content-Type"] == "image/png"
    assert phone.state()["lanes"] == ["capture"]


def test_events_announce_changes(room) -> None:
    state, server = room
    phone = Phone(server.join_url).join()
    received: list[bytes] = []
    first = threading.Event()
    url = f"{phone.base}/api/events?t={phone.token}"

    def listen() -> None:
        with urllib.request.urlopen(url, timeout=10) as stream:
            while len(received) < 2:
                line = stream.readline()
                if line.startswith(b"data:"):
                    received.append(line)
                    first.set()

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    assert first.wait(10)  # the stream is open and has said where the room is
    phone.suggest("Webinars")
    thread.join(10)
    assert len(received) == 2 and received[0] != received[1]


def test_closing_the_room_invalidates_every_token() -> None:
    state = RoomState()
    server = RoomServer(state, "127.0.0.1")
    server.start()
    phone = Phone(server.join_url).join()
    assert phone.suggest("Webinars").status == 201
    url = server.url
    server.stop()
    with pytest.raises(OSError):
        request(url + "api/state", timeout=3)
    with pytest.raises(Refused):
        state.tokens.participant(phone.token)
    again = RoomServer(state, "127.0.0.1")  # even a server on the same state knows no one
    again.start()
    try:
        assert Phone(again.url).get("/api/state", token=phone.token).status == 401
    finally:
        again.stop()


def test_a_taken_address_is_a_clear_error() -> None:
    first = RoomServer(RoomState(), "127.0.0.1")
    first.start()
    try:
        second = RoomServer(RoomState(), "127.0.0.1", first.port)
        with pytest.raises(OSError, match="cannot listen"):
            second.start()
    finally:
        first.stop()
