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
  altered is refused with a reason instead of failing later in the window;
- only the stdlib `sqlite3` module and the frozen schema facts (schema.py) are
  used: importing SQLAlchemy, SQLModel and pydantic cost ~400 ms of cold start,
  and reading rows through SQLAlchemy Core was slower than sqlite3's tuples.
  Only creating a file (`write_new_file`) and migrating an old one import the
  SQLModel tables, lazily, for their DDL (migrations.py).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from desktop.document.repository import ScorePoint, ScoreStamp, VersionInfo, WriteRefused
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
from desktop.domain.model import DEFAULT_CURRENCY, ArchitectureMap, Channel, Flow
from desktop.domain.vocabulary import parse_currency, stored_currency
from desktop.store import locking
from desktop.store.files import fsync_link, fsync_replace, remove_stale_temps, temp_beside
from desktop.store.messages import already_there, disk_is_full, human_os_error, human_sqlite_error
from desktop.store.migrations import backup_copy, migrate
from desktop.store.safety import (
    CHANNEL_COLUMNS,
    FLOW_COLUMNS,
    MAP_COLUMNS,
    FileRefused,
    build_checked,
    harden,
    inspect,
    read_only_uri,
)
from desktop.store.schema import APPLICATION_ID, CHANNEL, FLOW, MAP, SCHEMA_VERSION, SCORES, SETTING

EXTENSION = ".distarch"


class StoreWriteError(WriteRefused):
    """A write failed (disk full, I/O error, read-only); nothing of the edit was kept."""


class CreatedMeanwhile(MapError):
    """Another program created the map while this one was writing it; nothing was written."""


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


@contextmanager
def _immediate(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """`BEGIN IMMEDIATE` ... `COMMIT`; any failure (of the body or of the commit) rolls back and re-raises."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        _rollback(conn)
        raise


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # SQLite already rolled back (a full disk or an I/O error can do that)


class MapDocument:
    """An open map file, the file's `MapRepository`. Use `open` or `create`; call `close` when done."""

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
        self._checked: ArchitectureMap | None = None
        self._revision = 0  # one writer per file (the lock): a count of this document's writes

    @property
    def location(self) -> str:
        return str(self.path)

    @property
    def revision(self) -> int:
        return self._revision

    # --- opening -------------------------------------------------------------
    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        read_only: bool = False,
        trusted: bool = False,
        wait: float = 0.0,
    ) -> MapDocument:
        """Open a map after checking it; fall back to read-only when another window edits it.

        `trusted` (read-only, for `score` only): the file checks still run, but the map holds only
        what the score reads (store/scored.py) unless a row looks like no program of ours wrote it.
        `wait`: seconds to wait for another program's lock (a command finishing) before giving up.

        Raises FileRefused (a MapError) with a one-line reason; a refused file is never written.
        """
        path = Path(path).absolute()
        version = SCHEMA_VERSION if locking.held_here(path) else inspect(path)
        reason = ""
        lock = None
        if not read_only:
            reason = locking.why_read_only(path)
            if not reason:
                lock = locking.FileLock.acquire_waiting(path, wait)
                if lock is None:
                    reason = locking.holder_reason(path)
        read_only = read_only or bool(reason)
        try:
            checked = cls._checked_copy(path, read_only, reason, trusted and read_only)
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
    def _checked_copy(cls, path: Path, read_only: bool, reason: str, trusted: bool = False) -> MapDocument:
        """A read-only document whose content passed the map's rules (kept for the first `load`)."""
        doc = cls(path, _connect(path, read_only=True), True, reason, None)
        try:
            doc._checked = doc._read(trusted)
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

    def _read(self, trusted: bool = False) -> ArchitectureMap:
        if trusted:  # `score`: only what the score reads, when every column passes (store/scored.py)
            from desktop.store.scored import read_scored

            scored = read_scored(self._conn, self.schema_version)
            if scored is not None:
                return scored
        c = self._conn
        try:
            c.execute("BEGIN")  # one snapshot for the four reads
            row = c.execute(_SELECT_MAP).fetchone()
            channel_rows = c.execute(_select_channels(self.schema_version)).fetchall()
            flow_rows = c.execute(_SELECT_FLOWS).fetchall()
            currency = c.execute(_SELECT_SETTING, ("currency",)).fetchone()
        except Exception as exc:
            raise FileRefused(f"{self.path.name} cannot be read ({exc})") from None
        finally:
            _rollback(c)
        try:  # every row by the map's rules: the whole file, or a score-only read that had a doubt
            arch = build_checked(row, channel_rows, flow_rows)
            arch.info.currency = stored_currency(currency[0] if currency else "")
            return arch
        except MapError as exc:
            raise FileRefused(
                f"{self.path.name} was changed outside Distribution Architect and breaks the map's rules "
                f"({exc})"
            ) from None

    # --- writing -------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One `BEGIN IMMEDIATE` write transaction; any failure rolls back and raises StoreWriteError."""
        if self.read_only:
            raise StoreWriteError(self.read_only_reason or f"{self.path.name} is open read-only")
        self._checked = None
        try:
            with _immediate(self._conn) as c:
                yield c
        except MapError:
            raise
        except Exception as exc:
            raise StoreWriteError(human_sqlite_error(exc, self.path.name, self.path.parent)) from exc

    def write(self, edits: Sequence[Edit], score: ScoreStamp | None = None, base_revision: int = 0) -> int:
        """Write edits (already applied to the domain map), and the score after them, in one transaction.

        `base_revision` is ignored: the lock makes this document the file's only writer.
        """
        with self.transaction() as c:
            _write_edits(c, edits)
            stamp = now()
            c.execute(_TOUCH_MAP, (stamp,))
            if score is not None:
                c.execute(_INSERT_SCORE, (stamp, score.score, json.dumps(score.components), score.contract))
        self._revision += 1
        return self._revision

    def append_score(self, score: ScoreStamp) -> None:
        with self.transaction() as c:
            c.execute(_INSERT_SCORE, (now(), score.score, json.dumps(score.components), score.contract))

    def score_history(self, limit: int | None = None) -> list[ScorePoint]:
        """The score after each edit, oldest first (only the newest `limit` when given)."""
        select = _SELECT_SCORES if self.schema_version >= 3 else _SELECT_SCORES_V2
        rows = self._conn.execute(select, (-1 if limit is None else limit,)).fetchall()
        rows.reverse()
        return [
            ScorePoint(stamp, score, _json_dict(components), contract if isinstance(contract, int) else 1)
            for stamp, score, components, contract in rows
        ]

    def setting(self, key: str, default: str = "") -> str:
        row = self._conn.execute(_SELECT_SETTING, (key,)).fetchone()
        if key == "currency":  # a map's currency is always a valid code (USD unless set)
            return stored_currency(row[0]) if row else (default or DEFAULT_CURRENCY)
        return row[0] if row and isinstance(row[0], str) else default

    def set_setting(self, key: str, value: str) -> None:
        """Set a per-map setting. `currency` must be an ISO 4217 code (MapError otherwise)."""
        if key == "currency":
            try:
                value = parse_currency(value)
            except ValueError as exc:
                raise MapError(str(exc)) from None
        if self.read_only:
            return
        with self.transaction() as c:
            c.execute(_DELETE_SETTING, (key,))
            c.execute(_INSERT_SETTING, (key, value))

    # --- versions (versions.py) ------------------------------------------------------------
    def list_versions(self) -> list[VersionInfo]:
        from desktop.store import versions

        return versions.list_versions(self)

    def save_version(
        self, name: str, note: str, arch: ArchitectureMap, score: float, kept: VersionInfo | None = None
    ) -> VersionInfo:
        from desktop.store import versions

        return versions.save_version(self, name, note, arch, score, kept)

    def load_version(self, name: str) -> ArchitectureMap:
        from desktop.store import versions

        return versions.load_version(self, name)

    def rename_version(self, old: str, new: str) -> None:
        from desktop.store import versions

        versions.rename_version(self, old, new)

    def delete_version(self, name: str) -> None:
        from desktop.store import versions

        versions.delete_version(self, name)

    @property
    def connection(self) -> sqlite3.Connection:
        """The document's sqlite3 connection (autocommit mode: writes go through `transaction`).

        For the store's own helpers (versions) and tests; views never use it.
        """
        return self._conn

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


def _names(columns: tuple[str, ...]) -> str:
    """Bare names, as SQLAlchemy writes them (a quoted name that does not exist would read as a string)."""
    return ", ".join(columns)


def _marks(count: int) -> str:
    return ", ".join("?" * count)


def _assignments(columns: tuple[str, ...]) -> str:
    return ", ".join(f"{name} = ?" for name in columns)


# The SQL of the fast paths, built once from the frozen schema (schema.py); an edit only binds values.
_SELECT_MAP = f"SELECT {_names(MAP_COLUMNS)} FROM {MAP.name} ORDER BY id LIMIT 1"
_SELECT_CHANNELS = f"SELECT {_names(CHANNEL_COLUMNS)} FROM {CHANNEL.name} ORDER BY ord"
# A file of schema < 3 opened read-only is not migrated: its channels have no automation column yet.
_SELECT_CHANNELS_V2 = _SELECT_CHANNELS.replace(", automation FROM", ", '' AS automation FROM")
_SELECT_FLOWS = f"SELECT {_names(FLOW_COLUMNS)} FROM {FLOW.name} ORDER BY ord"
_INSERT_MAP = (
    f"INSERT INTO {MAP.name} ({_names(('id', *MAP_COLUMNS))}) VALUES ({_marks(1 + len(MAP_COLUMNS))})"
)
_TOUCH_MAP = f"UPDATE {MAP.name} SET modified = ?"
_SET_INFO = f"UPDATE {MAP.name} SET name = ?, description = ?"
_INSERT_CHANNEL = (
    f"INSERT INTO {CHANNEL.name} ({_names(CHANNEL_COLUMNS)}) VALUES ({_marks(len(CHANNEL_COLUMNS))})"
)
_UPDATE_CHANNEL = f"UPDATE {CHANNEL.name} SET {_assignments(CHANNEL_COLUMNS[1:])} WHERE id = ?"  # [0] is id
_DELETE_CHANNEL = f"DELETE FROM {CHANNEL.name} WHERE id = ?"
_FLOW_VALUES = ("ord", "source", "target", "rule", "label")
_INSERT_FLOW = f"INSERT INTO {FLOW.name} ({_names(_FLOW_VALUES)}) VALUES ({_marks(len(_FLOW_VALUES))})"
_UPDATE_FLOW = f"UPDATE {FLOW.name} SET rule = ?, label = ?, ord = ? WHERE source = ? AND target = ?"
_DELETE_FLOW = f"DELETE FROM {FLOW.name} WHERE source = ? AND target = ?"
_INSERT_SCORE = f"INSERT INTO {SCORES.name} (timestamp, score, components, contract) VALUES (?, ?, ?, ?)"
_SELECT_SCORES = f"SELECT timestamp, score, components, contract FROM {SCORES.name} ORDER BY id DESC LIMIT ?"
_SELECT_SCORES_V2 = _SELECT_SCORES.replace(", contract FROM", ", 1 FROM")
_SELECT_SETTING = f'SELECT value FROM {SETTING.name} WHERE "key" = ?'
_DELETE_SETTING = f'DELETE FROM {SETTING.name} WHERE "key" = ?'
_INSERT_SETTING = f'INSERT INTO {SETTING.name} ("key", value) VALUES (?, ?)'


def _select_channels(schema_version: int) -> str:
    return _SELECT_CHANNELS if schema_version >= 3 else _SELECT_CHANNELS_V2


def _write_edits(c: sqlite3.Connection, edits: Sequence[Edit]) -> None:
    """Write edits in order; a run of added channels or flows goes in one executemany."""
    index = 0
    while index < len(edits):
        kind = type(edits[index])
        if kind in (AddChannel, AddFlow):
            end = index
            while end < len(edits) and type(edits[end]) is kind:
                end += 1
            run = edits[index:end]
            if kind is AddChannel:
                c.executemany(
                    _INSERT_CHANNEL, [_channel_values(e.channel) for e in run if isinstance(e, AddChannel)]
                )
            else:
                c.executemany(_INSERT_FLOW, [_flow_values(e.flow) for e in run if isinstance(e, AddFlow)])
            index = end
            continue
        _write_edit(c, edits[index])
        index += 1


def _write_edit(c: sqlite3.Connection, edit: Edit) -> None:
    match edit:
        case AddChannel(channel):
            c.execute(_INSERT_CHANNEL, _channel_values(channel))
        case UpdateChannel(channel):
            values = _channel_values(channel)
            c.execute(_UPDATE_CHANNEL, (*values[1:], values[0]))
        case RemoveChannel(channel_id):
            c.execute(_DELETE_CHANNEL, (channel_id,))
        case AddFlow(flow):
            c.execute(_INSERT_FLOW, _flow_values(flow))
        case UpdateFlow(flow):
            c.execute(_UPDATE_FLOW, (flow.rule, flow.label, flow.ord, flow.source, flow.target))
        case RemoveFlow(source, target):
            c.execute(_DELETE_FLOW, (source, target))
        case SetInfo(name, description, currency):
            c.execute(_SET_INFO, (name, description))
            if currency is not None:
                c.execute(_DELETE_SETTING, ("currency",))
                c.execute(_INSERT_SETTING, ("currency", parse_currency(currency)))


def _channel_values(ch: Channel) -> tuple[object, ...]:
    """A channel's row, in the order of CHANNEL_COLUMNS (safety.py; all of CHANNEL.columns)."""
    return (
        ch.id,
        ch.ord,
        ch.name,
        ch.layer.value,
        ch.function,
        ch.tool,
        ch.segment,
        ch.motion,
        ch.message,
        ch.monthly_spend,
        ch.leads_per_month,
        ch.notes,
        ch.x,
        ch.y,
        ch.automation,
    )


def _flow_values(flow: Flow) -> tuple[object, ...]:
    """A flow's row, in the order of _FLOW_VALUES."""
    return (flow.ord, flow.source, flow.target, flow.rule, flow.label)


def _json_dict(text: object) -> dict[str, float]:
    try:
        value = json.loads(text) if isinstance(text, str | bytes) else None
        return {str(k): float(v) for k, v in value.items()} if isinstance(value, dict) else {}
    except (ValueError, TypeError, RecursionError):
        return {}


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
    if (path.exists() or path.is_symlink()) and not overwrite:
        raise MapError(already_there(path))
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
                migrate(conn, None, 0, target=schema_version)  # the DDL of the SQLModel tables
                with _immediate(conn) as c:
                    stamp = now()
                    info = arch.info
                    c.execute(_INSERT_MAP, (1, info.name, info.description, info.created or stamp, stamp))
                    insert, width = _INSERT_CHANNEL, len(CHANNEL_COLUMNS)
                    if schema_version < 3:  # an old file for tests of migration: no automation column
                        width = len(CHANNEL.columns)
                        insert = (
                            f"INSERT INTO {CHANNEL.name} ({_names(CHANNEL.columns)}) VALUES ({_marks(width)})"
                        )
                    c.executemany(insert, [_channel_values(ch)[:width] for ch in arch.iter_channels()])
                    if info.currency and info.currency != DEFAULT_CURRENCY:
                        c.execute(_INSERT_SETTING, ("currency", info.currency))
                    c.executemany(_INSERT_FLOW, [_flow_values(f) for f in arch.flows])
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                conn.close()
            if overwrite:
                fsync_replace(tmp, path)  # the caller asked to replace it (Save As, after asking)
            else:
                fsync_link(tmp, path)  # exclusive: never replaces a map another program just created
    except FileExistsError:
        raise CreatedMeanwhile(
            f"{path.name} was created meanwhile by another program; nothing was written"
        ) from None
    except sqlite3.Error as exc:
        raise StoreWriteError(human_sqlite_error(exc, path.name, path.parent)) from None
    except OSError as exc:
        raise StoreWriteError(human_os_error(exc, path)) from None
    except UnicodeEncodeError:
        raise StoreWriteError(
            f"could not write {path.name}: the map holds text that is not valid Unicode"
        ) from None
    remove_stale_temps(path)
