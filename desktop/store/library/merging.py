"""Writing one person's edits onto a library map that others change at the same time.

Inside the write's transaction (the map row is locked, so writers take turns),
each edit is written as the server holds the map *now*, not as the writer last
saw it:

- a channel update sets only the fields it changes (`UpdateChannel.fields`), so
  two people editing different fields of one channel both keep theirs; on the
  same field the later commit wins;
- an update or removal of a channel, or flow, someone else deleted is refused
  with a sentence naming who deleted it; nothing of the write is kept;
- removing a channel also removes the flows others drew to it meanwhile;
- adding a channel whose name someone else just took gets "Name 2" and a notice.

What was really written (`logged`) goes to the edit log, so replaying the log in
order always gives what the server holds. `notes` are the notices for the writer.
"""

from __future__ import annotations

import uuid
from typing import Any

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from desktop.document.repository import WriteRefused
from desktop.domain.edits import (
    AddChannel,
    AddFlow,
    Edit,
    RemoveChannel,
    RemoveFlow,
    UpdateChannel,
    UpdateFlow,
)
from desktop.domain.model import fold
from desktop.store.library.catalog import channel_values, flow_values
from desktop.store.library.queries import q, table
from desktop.store.safety import CHANNEL_COLUMNS

_LAST_AUTHOR = sql.SQL(
    "SELECT author FROM {} WHERE map_id = %s AND body @> %s ORDER BY seq DESC LIMIT 1"
).format(table("edit_log"))
_NAMES = sql.SQL("SELECT id, name, ord FROM {} WHERE map_id = %s").format(table("channel"))
_LAST_FLOW = sql.SQL("SELECT coalesce(max(ord), -1) FROM {} WHERE map_id = %s").format(table("flow"))
_FLOWS_OF = sql.SQL(
    "DELETE FROM {} WHERE map_id = %s AND (source = %s OR target = %s) RETURNING source, target"
).format(table("flow"))


class EditWriter:
    """Writes edits for one transaction; collects what was logged and the notices."""

    def __init__(self, cur: psycopg.Cursor[Any], map_id: uuid.UUID) -> None:
        self.cur = cur
        self.map_id = map_id
        self.logged: list[Edit] = []
        self.notes: list[str] = []
        self._names: dict[str, str] | None = None  # folded name -> channel id, as the server holds them
        self._shown: dict[str, str] = {}  # channel id -> name, for messages
        self._last_ord = -1  # channels and flows are numbered in the log's order (a load sorts by it)
        self._last_flow: int | None = None

    def write(self, edit: Edit) -> None:
        match edit:
            case AddChannel(channel):
                self._add_channel(edit)
            case UpdateChannel(channel, fields):
                self._update_channel(edit, channel.id, fields)
            case RemoveChannel(channel_id):
                self._remove_channel(channel_id)
            case AddFlow(flow):
                if self._last_flow is None:
                    self._last_flow = int(self.cur.execute(_LAST_FLOW, (self.map_id,)).fetchone()[0])  # type: ignore[index]
                if flow.ord <= self._last_flow:
                    flow = flow.with_changes(ord=self._last_flow + 1)
                    edit = AddFlow(flow)
                self._last_flow = flow.ord
                self.cur.execute(q()["insert_flow"], flow_values(self.map_id, flow))
                self.logged.append(edit)
            case UpdateFlow(flow):
                self.cur.execute(
                    q()["update_flow"],
                    (flow.rule, flow.label, flow.ord, self.map_id, flow.source, flow.target),
                )
                self._must_exist("flow", flow.pair)
                self.logged.append(edit)
            case RemoveFlow(source, target):
                self.cur.execute(q()["delete_flow"], (self.map_id, source, target))
                self._must_exist("flow", (source, target))
                self.logged.append(edit)
            case _:
                raise TypeError(f"not written here: {edit!r}")

    # --- channels --------------------------------------------------------------------------------
    def _names_now(self) -> dict[str, str]:
        if self._names is None:
            rows = self.cur.execute(_NAMES, (self.map_id,)).fetchall()
            self._names = {fold(name): cid for cid, name, _ in rows}
            self._shown = {cid: name for cid, name, _ in rows}
            self._last_ord = max((o for *_, o in rows), default=-1)
        return self._names

    def _add_channel(self, edit: AddChannel) -> None:
        channel = edit.channel
        names = self._names_now()
        wanted = channel.name.strip()
        if fold(wanted) in names:
            n = 2
            while fold(f"{wanted} {n}") in names:
                n += 1
            by = self._author({"op": "add_channel", "channel": {"name": channel.name}})
            channel = channel.with_changes(name=f"{wanted} {n}")
            self.notes.append(
                f"{by or 'Someone'} added {wanted!r} at the same time: yours is {channel.name!r}"
            )
            edit = AddChannel(channel)
        if channel.ord <= self._last_ord:  # someone added one meanwhile: this one comes after it
            channel = channel.with_changes(ord=self._last_ord + 1)
            edit = AddChannel(channel)
        self._last_ord = channel.ord
        self.cur.execute(q()["insert_channel"], channel_values(self.map_id, channel))
        names[fold(channel.name)] = channel.id
        self._shown[channel.id] = channel.name
        self.logged.append(edit)

    def _update_channel(self, edit: UpdateChannel, cid: str, fields: tuple[str, ...] | None) -> None:
        values = dict(zip(CHANNEL_COLUMNS, channel_values(self.map_id, edit.channel)[1:], strict=True))
        columns = [c for c in CHANNEL_COLUMNS[1:] if fields is None or c in fields] or ["id"]
        if "name" in columns:
            names = self._names_now()
            owner = names.get(fold(edit.channel.name))
            if owner is not None and owner != cid:
                raise WriteRefused(
                    f"another channel is already named {edit.channel.name.strip()!r}: nothing was saved"
                )
        statement = sql.SQL("UPDATE {} SET {} WHERE map_id = %s AND id = %s").format(
            table("channel"),
            sql.SQL(", ").join(sql.SQL("{} = %s").format(sql.Identifier(c)) for c in columns),
        )
        self.cur.execute(statement, (*(values[c] for c in columns), self.map_id, cid))  # "id": it must exist
        self._must_exist("channel", cid)
        if "name" in columns and self._names is not None:
            self._names = {k: v for k, v in self._names.items() if v != cid}
            self._names[fold(edit.channel.name)] = cid
        self.logged.append(edit)

    def _remove_channel(self, cid: str) -> None:
        gone = self.cur.execute(_FLOWS_OF, (self.map_id, cid, cid)).fetchall()
        self.logged += [RemoveFlow(source, target) for source, target in gone]
        self.cur.execute(q()["delete_channel"], (self.map_id, cid))
        self._must_exist("channel", cid)
        if self._names is not None:
            self._names = {k: v for k, v in self._names.items() if v != cid}
        self.logged.append(RemoveChannel(cid))

    # --- refusals ---------------------------------------------------------------------------------
    def _must_exist(self, what: str, key: str | tuple[str, str]) -> None:
        if self.cur.rowcount:
            return
        if what == "channel":
            by = self._author({"op": "remove_channel", "id": key})
            raise WriteRefused(
                f"{by or 'Someone'} deleted this channel a moment ago: your change to it was not saved"
            )
        by = self._author({"op": "remove_flow", "source": key[0], "target": key[1]})
        raise WriteRefused(
            f"{by or 'Someone'} removed this flow a moment ago: your change to it was not saved"
        )

    def _author(self, edit: dict[str, Any]) -> str:
        row = self.cur.execute(_LAST_AUTHOR, (self.map_id, Jsonb({"edits": [edit]}))).fetchone()
        return str(row[0]) if row else ""
