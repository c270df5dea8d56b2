"""`MapDocument`: one open `.distarch` file.

Why it looks like this:
- every edit list is written in one short `BEGIN IMMEDIATE` transaction, so the
  file always equals what the window shows and a crash loses at most the edit
  in flight (WAL, synchronous=NORMAL);
- a file is checked read-only first (`safety.inspect`) so that a refused file
  keeps every byte;
- one writer per file: an exclusive `flock` held while a window edits it; a
  second window or process gets a read-only document with a reason to show;
- a file's content is checked against the map's rules (through a read-only
  connection, before anything could write to it): a file another program
  altered is refused with a reason instead of failing later in the window.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, bindparam, create_engine, delete, event, insert, select, update
from sqlalchemy.pool import StaticPool

from desktop.domain.edits import (
    AddChannel,
    AddFlow,
    Edit,
    RemoveChannel,
    RemoveFlow,
    SetInfo,
    UpdateChannel,
    UpdateFlow,
)
from desktop.domain.errors import MapError
from desktop.domain.model import ArchitectureMap, Channel, Flow
from desktop.store import locking
from desktop.store.files import fsync_replace, remove_stale_temps, temp_beside
from desktop.store.messages import disk_is_full, human_os_error, human_sqlite_error
from desktop.store.migrations import backup_copy, migrate
from desktop.store.safety import FileRefused, build_checked, harden, inspect, read_only_uri
from desktop.store.tables import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    ChannelRow,
    FlowRow,
    MapRow,
    ScoreRow,
    SettingRow,
)

EXTENSION = ".distarch"
CHANNELS = ChannelRow.__table__
FLOWS = FlowRow.__table__
MAP = MapRow.__table__
SCORES = ScoreRow.__table__
SETTINGS = SettingRow.__table__


class StoreWriteError(MapError):
    """A write failed (disk full, I/O error, read-only); nothing of the edit was kept."""


@dataclass(frozen=True)
class ScorePoint:
    timestamp: str
    score: float
    components: dict[str, float]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _connect(path: Path, read_only: bool) -> sqlite3.Connection:
    if read_only:
        conn = sqlite3.connect(
            read_only_uri(path), uri=True, timeout=5, isolation_level=None, check_same_thread=False
        )
    else:
        conn = sqlite3.connect(str(path), timeout=5, isolation_level=None, check_same_thread=False)
    try:
        harden(conn)
        conn.execute("PRAGMA foreign_keys=ON")
        if not read_only:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
    except BaseException:
        conn.close()
        raise
    return conn


def _engine(conn: sqlite3.Connection):
    engine = create_engine("sqlite://", creator=lambda: conn, poolclass=StaticPool)

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:  # pysqlite's documented transaction recipe
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class MapDocument:
    """An open map file. Use `open`, `create` or `open_or_create`; call `close` when done."""

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        read_only: bool,
        reason: str,
        lock: locking.FileLock | None,
    ) -> None:
        self.path = path
        self.schema_version = conn.execute("PRAGMA user_version").fetchone()[0]
        self.read_only = read_only
        self.read_only_reason = reason
        self._conn = conn
        self._lock = lock
        self._key: locking.FileKey | None = locking.connection_opened(path)
        self._engine = _engine(conn)
        self._connection = self._engine.connect()
        self._checked: ArchitectureMap | None = None

    # --- opening -------------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike[str], *, read_only: bool = False) -> MapDocument:
        """Open a map after checking it; fall back to read-only when another window edits it.

        Raises FileRefused (a MapError) with a one-line reason; a refused file is never written.
        """
        path = Path(path).absolute()
        version = SCHEMA_VERSION if locking.held_here(path) else inspect(path)
        reason = ""
        lock = None
        if not read_only:
            reason = locking.why_read_only(path)
            if not reason:
                lock = locking.FileLock.try_acquire(path)
                if lock is None:
                    reason = f"{path.name} is open in another window: this view is read-only"
        read_only = read_only or bool(reason)
        try:
            checked = cls._checked_copy(path, read_only, reason)
            if read_only:
                return checked
            arch, checked._checked = checked._checked, None
            checked.close()
            conn = _connect(path, read_only=False)
            try:
                if version < SCHEMA_VERSION:
                    migrate(conn, path, version)
                doc = cls(path, conn, False, "", lock)
            except BaseException:
                conn.close()
                raise
        except BaseException as exc:
            if lock:
                lock.release()
            if isinstance(exc, sqlite3.Error):
                if disk_is_full(path.parent):
                    raise FileRefused(
                        f"{path.name} cannot be opened: the disk is full. Free some space and open it again"
                    ) from None
                raise FileRefused(f"{path.name} cannot be opened ({exc})") from None
            if isinstance(exc, OSError):
                raise FileRefused(f"{path.name} cannot be opened ({exc.strerror or exc})") from None
            raise
        doc._checked = arch
        return doc

    @classmethod
    def _checked_copy(cls, path: Path, read_only: bool, reason: str) -> MapDocument:
        """A read-only document whose content passed the map's rules (kept for the first `load`)."""
        doc = cls(path, _connect(path, read_only=True), True, reason, None)
        try:
            doc._checked = doc._read()
        except BaseException:
            doc.close()
            raise
        return doc

    @classmethod
    def create(
        cls, path: str | os.PathLike[str], arch: ArchitectureMap | None = None, *, overwrite: bool = False
    ) -> MapDocument:
        """Write a whole new map file atomically (temp file, then rename) and open it."""
        path = Path(path).absolute()
        write_new_file(path, arch or ArchitectureMap(), overwrite=overwrite)
        return cls.open(path)

    # --- reading -------------------------------------------------------------
    def load(self) -> ArchitectureMap:
        """The map the file holds. Raises FileRefused if another program broke the map's rules."""
        if self._checked is not None:
            arch, self._checked = self._checked, None
            return arch
        return self._read()

    def _read(self) -> ArchitectureMap:
        c = self._connection
        try:
            row = c.execute(select(MAP)).first()
            channel_rows = c.execute(select(CHANNELS).order_by(CHANNELS.c.ord)).all()
            flow_rows = c.execute(select(FLOWS).order_by(FLOWS.c.ord)).all()
        except Exception as exc:
            raise FileRefused(f"{self.path.name} cannot be read ({_cause(exc)})") from None
        finally:
            self._connection.rollback()
        try:
            return build_checked(row, channel_rows, flow_rows)
        except MapError as exc:
            raise FileRefused(
                f"{self.path.name} was changed outside Distribution Architect and breaks the map's rules "
                f"({exc})"
            ) from None

    # --- writing -------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction; any failure rolls back and raises StoreWriteError."""
        if self.read_only:
            raise StoreWriteError(self.read_only_reason or f"{self.path.name} is open read-only")
        self._checked = None
        try:
            with self._connection.begin():
                yield self._connection
        except MapError:
            raise
        except Exception as exc:
            raise StoreWriteError(human_sqlite_error(exc, self.path.name, self.path.parent)) from exc

    def write(
        self, edits: list[Edit], score: float | None = None, components: dict[str, float] | None = None
    ) -> None:
        """Write edits (already applied to the domain map), and the score after them, in one transaction."""
        with self.transaction() as c:
            _write_edits(c, edits)
            stamp = now()
            c.execute(update(MAP).values(modified=stamp))
            if score is not None:
                c.execute(
                    insert(SCORES).values(
                        timestamp=stamp, score=score, components=json.dumps(components or {})
                    )
                )

    def append_score(self, score: float, components: dict[str, float]) -> None:
        with self.transaction() as c:
            c.execute(insert(SCORES).values(timestamp=now(), score=score, components=json.dumps(components)))

    def score_history(self, limit: int | None = None) -> list[ScorePoint]:
        """The score after each edit, oldest first (only the newest `limit` when given)."""
        query = select(SCORES).order_by(SCORES.c.id.desc())
        if limit is not None:
            query = query.limit(limit)
        rows = list(reversed(self._connection.execute(query).all()))
        self._connection.rollback()
        return [ScorePoint(r.timestamp, r.score, _json_dict(r.components)) for r in rows]

    def setting(self, key: str, default: str = "") -> str:
        row = self._connection.execute(select(SETTINGS.c.value).where(SETTINGS.c.key == key)).first()
        self._connection.rollback()
        return row[0] if row and isinstance(row[0], str) else default

    def set_setting(self, key: str, value: str) -> None:
        if self.read_only:
            return
        with self.transaction() as c:
            c.execute(delete(SETTINGS).where(SETTINGS.c.key == key))
            c.execute(insert(SETTINGS).values(key=key, value=value))

    @property
    def connection(self) -> Connection:
        """For the store's own helpers (versions); views never use it."""
        return self._connection

    def save_copy(self, target: str | os.PathLike[str]) -> None:
        """Write a consistent copy of this map to `target` atomically (Save As)."""
        target = Path(target).absolute()
        _check_replaceable(target)
        try:
            backup_copy(self._conn, target)
        except sqlite3.Error as exc:
            raise StoreWriteError(human_sqlite_error(exc, target.name, target.parent)) from None
        except OSError as exc:
            raise StoreWriteError(human_os_error(exc, target)) from None

    def close(self) -> None:
        if self._key is None:
            return
        try:
            self._connection.close()
            if not self.read_only:
                try:
                    self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                except sqlite3.Error:
                    pass
            self._conn.close()
        finally:
            locking.connection_closed(self._key)
            self._key = None
            if self._lock:
                self._lock.release()
                self._lock = None

    def __enter__(self) -> MapDocument:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# Statements built once; an edit only binds values (building a statement per row was most of an import).
_INSERT_CHANNEL = insert(CHANNELS)
_UPDATE_CHANNEL = update(CHANNELS).where(CHANNELS.c.id == bindparam("key_id"))
_DELETE_CHANNEL = delete(CHANNELS).where(CHANNELS.c.id == bindparam("key_id"))
_INSERT_FLOW = insert(FLOWS)
_FLOW_PAIR = (FLOWS.c.source == bindparam("key_source"), FLOWS.c.target == bindparam("key_target"))
_UPDATE_FLOW = update(FLOWS).where(*_FLOW_PAIR)
_DELETE_FLOW = delete(FLOWS).where(*_FLOW_PAIR)
_SET_INFO = update(MAP)


def _write_edits(c: Connection, edits: list[Edit]) -> None:
    """Write edits in order; a run of added channels or flows goes in one executemany."""
    index = 0
    while index < len(edits):
        kind = type(edits[index])
        if kind in (AddChannel, AddFlow):
            end = index
            while end < len(edits) and type(edits[end]) is kind:
                end += 1
            if kind is AddChannel:
                c.execute(_INSERT_CHANNEL, [_channel_values(e.channel) for e in edits[index:end]])  # type: ignore[union-attr]
            else:
                c.execute(_INSERT_FLOW, [_flow_values(e.flow) for e in edits[index:end]])  # type: ignore[union-attr]
            index = end
            continue
        _write_edit(c, edits[index])
        index += 1


def _write_edit(c: Connection, edit: Edit) -> None:
    match edit:
        case AddChannel(channel):
            c.execute(_INSERT_CHANNEL, _channel_values(channel))
        case UpdateChannel(channel):
            c.execute(_UPDATE_CHANNEL, {"key_id": channel.id, **_channel_values(channel)})
        case RemoveChannel(channel_id):
            c.execute(_DELETE_CHANNEL, {"key_id": channel_id})
        case AddFlow(flow):
            c.execute(_INSERT_FLOW, _flow_values(flow))
        case UpdateFlow(flow):
            c.execute(
                _UPDATE_FLOW,
                {
                    "key_source": flow.source,
                    "key_target": flow.target,
                    "rule": flow.rule,
                    "label": flow.label,
                    "ord": flow.ord,
                },
            )
        case RemoveFlow(source, target):
            c.execute(_DELETE_FLOW, {"key_source": source, "key_target": target})
        case SetInfo(name, description):
            c.execute(_SET_INFO, {"name": name, "description": description})


def _channel_values(ch: Channel) -> dict[str, object]:
    return {
        "id": ch.id,
        "ord": ch.ord,
        "name": ch.name,
        "layer": ch.layer.value,
        "function": ch.function,
        "tool": ch.tool,
        "segment": ch.segment,
        "motion": ch.motion,
        "message": ch.message,
        "monthly_spend": ch.monthly_spend,
        "leads_per_month": ch.leads_per_month,
        "notes": ch.notes,
        "x": ch.x,
        "y": ch.y,
    }


def _flow_values(flow: Flow) -> dict[str, object]:
    return {
        "ord": flow.ord,
        "source": flow.source,
        "target": flow.target,
        "rule": flow.rule,
        "label": flow.label,
    }


def _json_dict(text: object) -> dict[str, float]:
    try:
        value = json.loads(text) if isinstance(text, str | bytes) else None
        return {str(k): float(v) for k, v in value.items()} if isinstance(value, dict) else {}
    except (ValueError, TypeError, RecursionError):
        return {}


def _cause(exc: BaseException) -> str:
    inner = getattr(exc, "orig", None)
    return str(inner or exc)


def _check_replaceable(target: Path) -> None:
    """Refuse to replace a map a window is editing: its edits would go to a file no longer there."""
    if not target.exists():
        return
    if locking.held_here(target) or locking.open_here(target):
        raise MapError(f"{target.name} is open in a window: close it first, or choose another name")
    lock = locking.FileLock.try_acquire(target)
    if lock is None:
        raise MapError(f"{target.name} is open in another window: close it first, or choose another name")
    lock.release()


def write_new_file(
    path: Path, arch: ArchitectureMap, *, overwrite: bool = False, schema_version: int = SCHEMA_VERSION
) -> None:
    """Build the whole file beside the target, then rename it into place in one step.

    A crash midway leaves no file or the old one at `path` (and a temp file
    beside it, which the next successful write of that name removes).
    """
    path = Path(path).absolute()
    if path.exists() and not overwrite:
        raise MapError(f"{path.name} already exists")
    if not path.parent.is_dir():
        raise MapError(f"the folder {path.parent} does not exist")
    _check_replaceable(path)
    try:
        with temp_beside(path) as tmp:
            conn = sqlite3.connect(str(tmp), isolation_level=None)
            try:
                harden(conn)
                conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
                conn.execute("PRAGMA journal_mode=WAL")
                engine = _engine(conn)
                with engine.connect() as c:
                    migrate(conn, None, 0, target=schema_version)
                    with c.begin():
                        stamp = now()
                        c.execute(
                            insert(MAP).values(
                                id=1,
                                name=arch.info.name,
                                description=arch.info.description,
                                created=arch.info.created or stamp,
                                modified=stamp,
                            )
                        )
                        if arch.channels:
                            c.execute(insert(CHANNELS), [_channel_values(ch) for ch in arch.iter_channels()])
                        if arch.flows:
                            c.execute(insert(FLOWS), [_flow_values(f) for f in arch.flows])
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                conn.close()
            fsync_replace(tmp, path)
    except sqlite3.Error as exc:
        raise StoreWriteError(human_sqlite_error(exc, path.name, path.parent)) from None
    except OSError as exc:
        raise StoreWriteError(human_os_error(exc, path)) from None
    except UnicodeEncodeError:
        raise StoreWriteError(
            f"could not write {path.name}: the map holds text that is not valid Unicode"
        ) from None
    remove_stale_temps(path)
