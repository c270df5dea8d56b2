"""The room's web server: aiohttp on its own thread with its own event loop.

Routes (all answers to errors are JSON `{"error": "..."}` with a clear status,
and change nothing):

- `GET /`, `/room.css`, `/room.js`: the phone page (no data in it).
- `POST /api/join`: `{"invitation": ...}` (from the QR code) or `{"code": ...}`
  (typed; rate-limited per address) gives a participant token.
- With a token (`Authorization: Bearer TOKEN`, or `?t=TOKEN` where a browser
  cannot set headers): `GET /api/state`, `POST /api/suggest` (JSON or the
  form's fields `channel`, `layer`, `note`), `POST /api/vote`, `GET /api/map.png`
  (the map as the projector shows it), `GET /api/events` (server-sent events,
  at most two a second, telling the page to refresh).

Bodies are capped at 4 kB. aiohttp is imported when a room opens, never at start-up.
"""

from __future__ import annotations

import asyncio
import json
import threading
from typing import TYPE_CHECKING, Any

from desktop.room import page
from desktop.room.state import RoomState
from desktop.room.text import Refused

if TYPE_CHECKING:
    from aiohttp import web

MAX_REQUEST = 4096
REFRESH_SECONDS = 0.5  # at most two refreshes a second per phone
KEEPALIVE_SECONDS = 15.0
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class RoomServer:
    """Serves one room on `host` (port chosen by the system unless given). `start()` returns once listening."""

    def __init__(self, state: RoomState, host: str, port: int = 0) -> None:
        self.state = state
        self.host = host
        self.port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._closing = False
        self._wakeup: asyncio.Event | None = None

    # --- the thread -------------------------------------------------------------------------------
    def start(self, timeout: float = 15.0) -> None:
        """Listen; raises OSError with the reason when the address cannot be used."""
        self._thread = threading.Thread(target=self._run, name="room-server", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise OSError("the room's server did not start in time")
        if self._error is not None:
            raise OSError(f"the room cannot listen on {self.host}: {self._error}")

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        try:
            loop.run_until_complete(self._listen())
        except BaseException as exc:  # reported to start()
            self._error = exc
            self._ready.set()
            loop.close()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.close()

    async def _listen(self) -> None:
        from aiohttp import web

        self._wakeup = asyncio.Event()
        app = web.Application(client_max_size=MAX_REQUEST, middlewares=[_errors])
        app.router.add_get("/", self._page)
        app.router.add_get("/room.css", self._css)
        app.router.add_get("/room.js", self._js)
        app.router.add_post("/api/join", self._join)
        app.router.add_get("/api/state", self._state)
        app.router.add_post("/api/suggest", self._suggest)
        app.router.add_post("/api/vote", self._vote)
        app.router.add_get("/api/map.png", self._picture)
        app.router.add_get("/api/events", self._events)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0, handler_cancellation=True)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        self.state.notify = self._notify

    def _notify(self) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(self._wake)
            except RuntimeError:  # the loop closed in between
                pass

    def _wake(self) -> None:
        if self._wakeup is not None:
            self._wakeup.set()
            self._wakeup = asyncio.Event()

    def stop(self, timeout: float = 10.0) -> None:
        """Invalidate every token, close every connection and stop the thread."""
        self.state.notify = lambda: None
        self.state.close()
        loop, thread = self._loop, self._thread
        if loop is None or thread is None or not thread.is_alive():
            return
        self._closing = True

        async def shutdown() -> None:
            self._wake()
            if self._runner is not None:
                await self._runner.cleanup()

        try:
            asyncio.run_coroutine_threadsafe(shutdown(), loop).result(timeout)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout)

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    @property
    def join_url(self) -> str:
        return f"{self.url}?t={self.state.tokens.invitation}"

    # --- handlers -----------------------------------------------------------------------------------
    async def _page(self, request: web.Request) -> web.StreamResponse:
        return _text(page.HTML, "text/html")

    async def _css(self, request: web.Request) -> web.StreamResponse:
        return _text(page.CSS, "text/css")

    async def _js(self, request: web.Request) -> web.StreamResponse:
        return _text(page.JS, "application/javascript")

    async def _join(self, request: web.Request) -> web.StreamResponse:
        data = await _body(request)
        invitation, code = data.get("invitation", ""), data.get("code", "")
        if not isinstance(invitation, str) or not isinstance(code, str) or not (invitation or code):
            raise Refused(400, "send the invitation from the QR code, or the join code")
        participant = self.state.tokens.join(invitation, code, request.remote or "")
        return _json({"token": participant.token, "you": participant.number})

    async def _state(self, request: web.Request) -> web.StreamResponse:
        return _json(self.state.view_for(self._who(request)))

    async def _suggest(self, request: web.Request) -> web.StreamResponse:
        participant = self._who(request)
        suggestion = self.state.suggest(participant, await _body(request))
        return _json(suggestion.for_phone(), status=201)

    async def _vote(self, request: web.Request) -> web.StreamResponse:
        participant = self._who(request)
        data = await _body(request)
        key, delta = data.get("finding"), data.get("delta", 1)
        if not isinstance(key, str) or isinstance(delta, bool) or not isinstance(delta, int):
            raise Refused(400, "send the finding's key and a delta of 1 or -1")
        return _json({"mine": self.state.vote(participant, key, delta)})

    async def _picture(self, request: web.Request) -> web.StreamResponse:
        from aiohttp import web

        self._who(request)
        picture = self.state.picture
        if not picture:
            raise Refused(404, "the map is not shown yet")
        return web.Response(body=picture, content_type="image/png", headers=HEADERS)

    async def _events(self, request: web.Request) -> web.StreamResponse:
        from aiohttp import web

        participant = self._who(request)
        response = web.StreamResponse(headers={**HEADERS, "Content-Type": "text/event-stream"})
        await response.prepare(request)
        sent = -1
        try:
            while not self._closing and self.state.tokens.open:
                if self.state.version != sent:
                    sent = self.state.version
                    await response.write(f"data: {sent}\n\n".encode())
                    await asyncio.sleep(REFRESH_SECONDS)
                    continue
                wakeup = self._wakeup
                try:
                    if wakeup is not None:
                        await asyncio.wait_for(wakeup.wait(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    await response.write(b": still here\n\n")
                self.state.tokens.participant(participant.token)  # closed or forgotten: stop
            await response.write(b"event: closed\ndata: 0\n\n")  # the page goes back to joining
        except (ConnectionError, Refused):
            pass
        return response

    def _who(self, request: web.Request):
        header = request.headers.get("Authorization", "")
        token = header[7:].strip() if header.startswith("Bearer ") else request.query.get("t", "")
        return self.state.tokens.participant(token)


async def _body(request: web.Request) -> dict[str, Any]:
    """The request's fields from JSON or a form; Refused(400/413/415) when it is not one."""
    if request.content_length is not None and request.content_length > MAX_REQUEST:
        raise Refused(413, f"the request is larger than {MAX_REQUEST // 1024} kB")
    kind = request.content_type
    if kind == "application/json":
        raw = await request.read()
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise Refused(400, "the body is not valid JSON") from None
        if not isinstance(data, dict):
            raise Refused(400, "the body must be a JSON object")
        return data
    if kind in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        return {key: value for key, value in form.items() if isinstance(value, str)}
    raise Refused(415, "send JSON or a form")


def _text(body: str, kind: str) -> web.StreamResponse:
    from aiohttp import web

    return web.Response(text=body, content_type=kind, charset="utf-8", headers=HEADERS)


def _json(data: Any, status: int = 200) -> web.StreamResponse:
    from aiohttp import web

    return web.json_response(data, status=status, headers=HEADERS, dumps=_dumps)


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def _error(status: int, message: str) -> web.StreamResponse:
    return _json({"error": message}, status=status)


async def _errors_impl(request: web.Request, handler) -> web.StreamResponse:
    from aiohttp import web

    try:
        return await handler(request)
    except Refused as exc:
        return _error(exc.status, exc.message)
    except web.HTTPRequestEntityTooLarge:
        return _error(413, f"the request is larger than {MAX_REQUEST // 1024} kB")
    except web.HTTPException as exc:
        if exc.status >= 400:
            return _error(exc.status, exc.reason)
        raise
    except ValueError:
        return _error(400, "the request could not be read")


_errors_impl.__middleware_version__ = 1  # type: ignore[attr-defined]  # aiohttp's new-style middleware
_errors = _errors_impl
