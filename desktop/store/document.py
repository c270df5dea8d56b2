"""`MapDocument`: one open `.distarch` file.

Why it looks like this:
- every edit list is written in one short `BEGIN IMMEDIATE` transaction, so the
  file always equals what the window shows and a crash loses at most the edit
  in flight (WAL, synchronous=NORMAL);
- a file is checked read-only first (`safety.inspect`) so that a refused file
  keeps every byte;
- one writer per file: an exclusive `flock` held while a window edits it; a
  second window or process gets a read-only document with a reason to show.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, create_engine, delete, event, insert, select, update
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
from desktop.domain.layers import Layer
from desktop.domain.model import ArchitectureMap, Channel, Flow, MapInfo
from desktop.store import locking
from desktop.store.migrations import migrate
from desktop.store.safety import FileRefused, harden, inspect, read_only_uri
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
    harden(conn)
    conn.execute("PRAGMA foreign_keys=ON")
    if not read_only:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
    return conn


def _engine(conn: sqlite3.Connection):
    engine = create_engine("sqlite://", creator=lambda: conn, poolclass=StaticPool)

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:  # pysqlite's documented transaction recipe
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def human_sqlite_error(exc: BaseException, name: str) -> str:
    text = str(exc).lower()
    if "full" in text:
        return f"could not save to {name}: the disk is full. Free some space; the map is as it was before this edit"
    if "readonly" in text or "read-only" in text:
        return f"could not save to {name}: the file is read-only"
    if "locked" in text or "busy" in text:
        return f"could not save to {name}: another program is using the file"
    if "i/o" in text or "disk" in text:
        return f"could not save to {name}: the disk reported an error ({exc})"
    return f"could not save to {name} ({exc})"


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
        self._engine = _engine(conn)
        self._connection = self._engine.connect()

    # --- opening -------------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike[str], *, read_only: bool = False) -> MapDocument:
        """Open a map after checking it; fall back to read-only when another window edits it."""
        path = Path(path).absolute()
        version = inspect(path) if not locking.held_here(path) else SCHEMA_VERSION
        reason = ""
        lock = None
        if not read_only:
            reason = locking.why_read_only(path)
            if not reason:
                lock = locking.FileLock.try_acquire(path)
                if lock is None:
                    reason = f"{path.name} is open in another window: this view is read-only"
        if reason:
            read_only = True
        if read_only and version < SCHEMA_VERSION:
            pass  # read an older schema as it is; tables it lacks simply read as empty
        try:
            conn = _connect(path, read_only)
            if not read_only and version < SCHEMA_VERSION:
                migrate(conn, path, version)
        except FileRefused:
            if lock:
                lock.release()
            raise
        except sqlite3.Error as exc:
            if lock:
                lock.release()
            raise FileRefused(f"{path.name} cannot be opened ({exc})") from None
        return cls(path, conn, read_only, reason, lock)

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
        c = self._connection
        row = c.execute(select(MAP)).first()
        info = MapInfo(row.name, row.description, row.created, row.modified) if row else MapInfo()
        channels = [
            Channel(
                id=r.id,
                name=r.name,
                layer=Layer(r.layer),
                function=r.function,
                tool=r.tool,
                segment=r.segment,
                motion=r.motion,
                message=r.message,
                monthly_spend=r.monthly_spend,
                leads_per_month=r.leads_per_month,
                notes=r.notes,
                x=r.x,
                y=r.y,
                ord=r.ord,
            )
            for r in c.execute(select(CHANNELS).order_by(CHANNELS.c.ord))
        ]
        flows = [
            Flow(r.source, r.target, r.rule, r.label, r.ord)
            for r in c.execute(select(FLOWS).order_by(FLOWS.c.ord))
        ]
        self._connection.rollback()
        return ArchitectureMap.build(channels, flows, info)

    # --- writing -------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction; any failure rolls back and raises StoreWriteError."""
        if self.read_only:
            raise StoreWriteError(self.read_only_reason or f"{self.path.name} is open read-only")
        try:
            with self._connection.begin():
                yield self._connection
        except MapError:
            raise
        except Exception as exc:
            raise StoreWriteError(human_sqlite_error(exc, self.path.name)) from exc

    def write(
        self, edits: list[Edit], score: float | None = None, components: dict[str, float] | None = None
    ) -> None:
        """Write edits (already applied to the domain map), and the score after them, in one transaction."""
        with self.transaction() as c:
            for edit in edits:
                _write_edit(c, edit)
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

    def score_history(self) -> list[ScorePoint]:
        rows = self._connection.execute(select(SCORES).order_by(SCORES.c.id)).all()
        self._connection.rollback()
        return [ScorePoint(r.timestamp, r.score, _json_dict(r.components)) for r in rows]

    def setting(self, key: str, default: str = "") -> str:
        row = self._connection.execute(select(SETTINGS.c.value).where(SETTINGS.c.key == key)).first()
        self._connection.rollback()
        return row[0] if row else default

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
        tmp = _temp_beside(target)
        try:
            dest = sqlite3.connect(str(tmp))
            try:
                self._conn.backup(dest)
            finally:
                dest.close()
            _fsync_replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def close(self) -> None:
        try:
            self._connection.close()
            if not self.read_only:
                try:
                    self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                except sqlite3.Error:
                    pass
            self._conn.close()
        finally:
            if self._lock:
                self._lock.release()
                self._lock = None

    def __enter__(self) -> MapDocument:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _write_edit(c: Connection, edit: Edit) -> None:
    match edit:
        case AddChannel(channel):
            c.execute(insert(CHANNELS).values(**_channel_values(channel)))
        case UpdateChannel(channel):
            c.execute(update(CHANNELS).where(CHANNELS.c.id == channel.id).values(**_channel_values(channel)))
        case RemoveChannel(channel_id):
            c.execute(delete(CHANNELS).where(CHANNELS.c.id == channel_id))
        case AddFlow(flow):
            c.execute(insert(FLOWS).values(**_flow_values(flow)))
        case UpdateFlow(flow):
            c.execute(
                update(FLOWS)
                .where(FLOWS.c.source == flow.source, FLOWS.c.target == flow.target)
                .values(rule=flow.rule, label=flow.label, ord=flow.ord)
            )
        case RemoveFlow(source, target):
            c.execute(delete(FLOWS).where(FLOWS.c.source == source, FLOWS.c.target == target))
        case SetInfo(name, description):
            c.execute(update(MAP).values(name=name, description=description))


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


def _json_dict(text: str) -> dict[str, float]:
    try:
        value = json.loads(text)
    except (ValueError, TypeError):
        return {}
    return {str(k): float(v) for k, v in value.items()} if isinstance(value, dict) else {}


def _temp_beside(target: Path) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    os.unlink(name)
    return Path(name)


def _fsync_replace(tmp: Path, target: Path) -> None:
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, target)
    try:
        dir_fd = os.open(target.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def write_new_file(
    path: Path, arch: ArchitectureMap, *, overwrite: bool = False, schema_version: int = SCHEMA_VERSION
) -> None:
    """Build the whole file beside the target, then rename it into place in one step."""
    if path.exists() and not overwrite:
        raise MapError(f"{path.name} already exists")
    if not path.parent.is_dir():
        raise MapError(f"the folder {path.parent} does not exist")
    tmp = _temp_beside(path)
    try:
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
        _fsync_replace(tmp, path)
    except sqlite3.Error as exc:
        raise StoreWriteError(human_sqlite_error(exc, path.name)) from None
    except OSError as exc:
        raise StoreWriteError(f"could not write {path.name} ({exc.strerror})") from None
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)


def shutil_copy(src: Path, dst: Path) -> None:
    shutil.copy2(src, dst)
