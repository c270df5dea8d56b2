"""A plain HTTP phone for tests and the bench: joins a room and talks to its API over loopback."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import parse_qs, urlsplit


class Answer:
    def __init__(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.status = status
        self.body = body
        self.headers = headers

    def json(self) -> Any:
        return json.loads(self.body)


def request(url: str, body: bytes | None = None, headers: dict[str, str] | None = None, timeout=10) -> Answer:
    req = urllib.request.Request(url, data=body, method="POST" if body is not None else "GET")
    for key, value in (headers or {}).items():
        req.add_header(key, value)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return Answer(resp.status, resp.read(), dict(resp.headers))
    except urllib.error.HTTPError as exc:
        return Answer(exc.code, exc.read(), dict(exc.headers))


class Phone:
    """One participant. `join_url` is the address in the QR code (with its invitation)."""

    def __init__(self, join_url: str) -> None:
        parts = urlsplit(join_url)
        self.base = f"{parts.scheme}://{parts.netloc}"
        self.invitation = parse_qs(parts.query).get("t", [""])[0]
        self.token = ""

    def post(
        self,
        path: str,
        data: Any,
        token: str | None = None,
        raw: bytes | None = None,
        kind: str = "application/json",
    ) -> Answer:
        body = raw if raw is not None else json.dumps(data).encode("utf-8")
        headers = {"Content-Type": kind}
        token = self.token if token is None else token
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return request(self.base + path, body, headers)

    def get(self, path: str, token: str | None = None) -> Answer:
        token = self.token if token is None else token
        return request(self.base + path, None, {"Authorization": f"Bearer {token}"} if token else {})

    def join(self) -> Phone:
        answer = self.post("/api/join", {"invitation": self.invitation}, token="")
        assert answer.status == 200, answer.body
        self.token = answer.json()["token"]
        return self

    def suggest(self, channel: str, layer: str = "capture", note: str = "") -> Answer:
        return self.post("/api/suggest", {"channel": channel, "layer": layer, "note": note})

    def state(self) -> dict[str, Any]:
        answer = self.get("/api/state")
        assert answer.status == 200, answer.body
        return answer.json()

    def vote(self, key: str, delta: int = 1) -> Answer:
        return self.post("/api/vote", {"finding": key, "delta": delta})
