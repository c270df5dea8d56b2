"""The workshop room: a web server on the room's network where phones suggest channels and vote.

Pure Python apart from aiohttp (imported only when a room opens): tokens,
limits, text checks, suggestion grouping, the vote tally, the shared state
between the server thread and the window, and the server itself. The window
(desktop.ui.room_panel) reads from it through queued Qt signals; the room
never writes the map: only the facilitator's accept does, through the
session's one edit path.
"""
