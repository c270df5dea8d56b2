"""`Library`: one connection to a team library and its list of maps.

List and search (name, score with its contract, last edited by and when),
create, publish a file's map, save a local copy, rename, delete to the
Deleted tab, restore within `KEEP_DELETED_DAYS`, after which a writer's next
listing purges it. Names are unique per library, compared trimmed and
case-folded (`fold`), enforced by a unique index on the folded name of the
maps not deleted, so two people creating "Q3 plan" at once cannot both win.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from desktop.document.repository import RepositoryError, WriteRefused
from desktop.domain import interchange
from desktop.domain.errors import MapError
from desktop.domain.model import ArchitectureMap, MapInfo, fold
from desktop.store.library import schema
from desktop.store.library.address import Address, parse_address
from desktop.store.library.connection import LibraryError, ServerUnreachable, connect
from desktop.store.library.queries import q

KEEP_DELETED_DAYS = 30
MAX_NAME = 200


@dataclass(frozen=True)
class MapEntry:
    """A map as the library lists it."""

    id: uuid.UUID
    name: str
    score: float | None
    contract: int | None
    channels: int
    flows: int
    edited_by: str
    edited_role: str
    edited_at: datetime
    deleted_at: datetime | None
    deleted_by: str
    revision: int


class MapExists(LibraryError):
    """A map of that name (ignoring case) is already in the library."""


class NoSuchMap(LibraryError):
    pass


def clean_name(name: str) -> str:
    text = " ".join(str(name).split())
    if not text:
        raise LibraryError("a library map needs a name")
    if len(text) > MAX_NAME:
        raise LibraryError(f"a library map's name is at most {MAX_NAME} characters")
    return text


def now_iso() -> str:
    from desktop.store.document import now

    return now()


class Library:
    """An open connection to a team library. `author` is the display name recorded with each write."""

    def __init__(self, address: Address, conn: psycopg.Connection[Any], author: str, password: str | None):
        self.address = address
        self.conn = conn
        self.author = author
        self._password = password  # only in memory, to reconnect
        can_update, role, read_only_txn = conn.execute(q()["can_write"]).fetchone()  # type: ignore[misc]
        self.role: str = role
        self.writable: bool = bool(can_update) and not read_only_txn
        self.read_only_reason = (
            ""
            if self.writable
            else f"your PostgreSQL role {role} may only read this team library: maps open read-only"
        )

    @classmethod
    def connect(cls, address: str | Address, *, password: str | None = None, author: str = "") -> Library:
        """Connect and check the library schema (refused: not ours, newer, missing)."""
        found = parse_address(address) if isinstance(address, str) else address
        conn = connect(found.conninfo, password)
        try:
            schema.check(conn)
            return cls(found, conn, author, password)
        except psycopg.Error as exc:
            conn.close()
            raise LibraryError(f"the team library could not be read: {_primary(exc)}") from None
        except BaseException:
            conn.close()
            raise

    @property
    def location(self) -> str:
        return self.address.library

    @property
    def where(self) -> str:
        return self.address.where

    # --- listing -----------------------------------------------------------------------
    def list_maps(self, search: str = "", *, deleted: bool = False, limit: int = 1000) -> list[MapEntry]:
        """Maps, newest edit first, whose name contains `search` (ignoring case); or the deleted ones."""
        with self._guard("list the maps"):
            if self.writable:
                self.conn.execute(q()["purge"], (KEEP_DELETED_DAYS,))
            rows = self.conn.execute(
                q()["catalog"], (not deleted, fold(search), fold(search), limit)
            ).fetchall()
        return [MapEntry(*row) for row in rows]

    def find(self, name: str) -> MapEntry | None:
        with self._guard("find the map"):
            entry = self.conn.execute(q()["entry_by_key"], (fold(name),)).fetchone()
        return MapEntry(*entry) if entry else None

    def entry_by_id(self, map_id: uuid.UUID) -> MapEntry:
        with self._guard("find the map"):
            row = self.conn.execute(q()["entry"], (map_id,)).fetchone()
        if row is None:
            raise NoSuchMap("the map is no longer in the team library")
        return MapEntry(*row)

    def entry(self, name: str) -> MapEntry:
        found = self.find(name)
        if found is None:
            raise NoSuchMap(f"the team library ({self.where}) has no map named {name!r}")
        return found

    # --- maps ----------------------------------------------------------------------------
    def open(self, name: str, *, read_only: bool = False):
        """The map as a `LibraryMap` (a `MapRepository`) on this connection."""
        from desktop.store.library.repository import LibraryMap

        entry = self.entry(name)
        return LibraryMap(self, entry.id, read_only=read_only, name=entry.name)

    def create(self, name: str, arch: ArchitectureMap | None = None, *, replace: bool = False) -> MapEntry:
        """A new library map holding `arch` (publish), or with `replace` the named map's content replaced."""
        from desktop.domain.coherence import assess

        self._need_write()
        clean = clean_name(name)
        arch = arch.copy() if arch is not None else ArchitectureMap(info=MapInfo(name=clean))
        info = arch.info
        arch.info = MapInfo(clean, info.description, info.created or now_iso(), now_iso(), info.currency)
        report = assess(arch)
        stamp = now_iso()
        body = Jsonb(json.loads(interchange.dumps(arch)))
        with self._guard("save the map"), self.conn.transaction():
            existing = self.conn.execute(q()["map_by_key"], (fold(clean),)).fetchone()
            if existing is not None and not replace:
                raise MapExists(
                    f"the team library already has a map named {clean!r}: choose another name, "
                    "or replace it (--replace)"
                )
            if existing is not None:
                map_id = existing[0]
                self.conn.execute(q()["clear_flows"], (map_id,))
                self.conn.execute(q()["clear_channels"], (map_id,))
                revision = self.conn.execute(
                    q()["bump"], (stamp, self.author, len(arch), len(arch.flows), map_id)
                ).fetchone()[0]  # type: ignore[index]
                self.conn.execute(
                    q()["set_counts"], (len(arch), len(arch.flows), arch.info.description, map_id)
                )
            else:
                map_id = uuid.uuid4()
                revision = 1
                info = arch.info
                self.conn.execute(
                    q()["insert_map"],
                    (map_id, clean, fold(clean), info.description, info.created, stamp, self.author,
                     report.score, report.version, len(arch), len(arch.flows)),
                )  # fmt: skip
            write_content(self.conn, map_id, arch)
            self.conn.execute(q()["put_setting"], (map_id, CURRENCY_KEY, arch.info.currency))
            self.conn.execute(q()["set_score"], (report.score, report.version, map_id))
            self.conn.execute(
                q()["insert_score"],
                (map_id, stamp, report.score, json.dumps(report.components), report.version),
            )
            self.conn.execute(
                q()["log"], (map_id, revision, uuid.uuid4(), revision - 1, "snapshot", self.author, body)
            )
        return self.entry(clean)

    def load(self, name: str) -> ArchitectureMap:
        with self.open(name, read_only=True) as repo:
            return repo.load()

    def save_local_copy(self, name: str, path) -> None:
        """Write the library map to a new `.distarch` file (overwriting one that is not open)."""
        from pathlib import Path

        from desktop.store.document import write_new_file

        arch = self.load(name)
        write_new_file(Path(path), arch, overwrite=Path(path).exists())

    def rename(self, old: str, new: str) -> MapEntry:
        self._need_write()
        entry = self.entry(old)
        clean = clean_name(new)
        other = self.find(clean)
        if other is not None and other.id != entry.id:
            raise MapExists(f"the team library already has a map named {clean!r}")
        with self._guard("rename the map"), self.conn.transaction():
            self.conn.execute(q()["rename_map"], (clean, fold(clean), self.author, entry.id))
            self.conn.execute(q()["touch"], (now_iso(), entry.id))
        return self.entry(clean)

    def delete(self, name: str) -> None:
        """Move a map to the Deleted tab (restorable for KEEP_DELETED_DAYS days)."""
        self._need_write()
        entry = self.entry(name)
        with self._guard("delete the map"):
            self.conn.execute(q()["soft_delete"], (self.author, entry.id))

    def restore(self, name: str) -> MapEntry:
        self._need_write()
        with self._guard("restore the map"):
            row = self.conn.execute(q()["deleted_by_key"], (fold(name),)).fetchone()
        if row is None:
            raise NoSuchMap(f"no deleted map named {name!r} (maps are kept {KEEP_DELETED_DAYS} days)")
        if self.find(name) is not None:
            raise MapExists(f"a map named {name!r} is in the library again: rename it first, then restore")
        with self._guard("restore the map"):
            self.conn.execute(q()["restore"], (row[0],))
        return self.entry(name)

    # --- connection ----------------------------------------------------------------------
    def reconnect(self) -> None:
        """A fresh connection after the server came back; raises a LibraryError while it is away."""
        conn = connect(self.address.conninfo, self._password)
        old, self.conn = self.conn, conn
        try:
            old.close()
        except Exception:  # noqa: BLE001
            pass

    @property
    def connected(self) -> bool:
        return not self.conn.closed and not self.conn.broken

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _need_write(self) -> None:
        if not self.writable:
            raise WriteRefused(self.read_only_reason)

    def _guard(self, doing: str):
        return _Guard(self, doing)


class _Guard:
    """Turns psycopg's errors into one-line `LibraryError`s (a lost connection: ServerUnreachable)."""

    def __init__(self, library: Library, doing: str) -> None:
        self.library, self.doing = library, doing

    def __enter__(self) -> None:
        if not self.library.connected:
            raise ServerUnreachable(gone_message(self.library.where))

    def __exit__(self, kind, exc, tb) -> None:
        if exc is None or isinstance(exc, RepositoryError | MapError) or not isinstance(exc, psycopg.Error):
            return
        if not self.library.connected:
            raise ServerUnreachable(gone_message(self.library.where)) from None
        if isinstance(exc, psycopg.errors.UniqueViolation):
            raise MapExists("another map of that name was just added to the team library") from None
        if isinstance(exc, psycopg.errors.InsufficientPrivilege | psycopg.errors.ReadOnlySqlTransaction):
            raise WriteRefused(
                f"your PostgreSQL role {self.library.role} may not change this team library"
            ) from None
        raise LibraryError(f"could not {self.doing}: {_primary(exc)}") from None


def gone_message(where: str) -> str:
    return f"the team library server ({where}) is not answering: edits are refused until it is back"


def _primary(exc: BaseException) -> str:
    diag = getattr(exc, "diag", None)
    text = getattr(diag, "message_primary", None) or str(exc) or type(exc).__name__
    return " ".join(str(text).split())


def channel_values(map_id: uuid.UUID, channel) -> tuple[object, ...]:
    from desktop.store.document import _channel_values

    return (map_id, *_channel_values(channel))


def flow_values(map_id: uuid.UUID, flow) -> tuple[object, ...]:
    return (map_id, flow.source, flow.target, flow.rule, flow.label, flow.ord)


CURRENCY_KEY = "currency"  # the map's currency: a setting row, as in a .distarch file


def write_content(conn: psycopg.Connection[Any], map_id: uuid.UUID, arch: ArchitectureMap) -> None:
    with conn.cursor() as cur:
        cur.executemany(q()["insert_channel"], [channel_values(map_id, c) for c in arch.iter_channels()])
        cur.executemany(q()["insert_flow"], [flow_values(map_id, f) for f in arch.flows])
