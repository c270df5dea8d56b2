"""Opening a file we did not necessarily write, the way sqlite.org/security.html advises.

Everything here reads through a read-only connection, so a refused file keeps
every byte. The reasons are one line each, for a person, not a stack trace.
Only the stdlib `sqlite3` module and the frozen schema facts (schema.py) are
used: opening a map must not pay for importing SQLAlchemy.
"""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path
from urllib.parse import quote

from desktop.domain.errors import MapError
from desktop.domain.layers import Layer
from desktop.domain.model import AI, ArchitectureMap, Channel, Flow, MapInfo
from desktop.domain.validation import MAX_TEXT, check_channel, check_flow, clean_text, one_line
from desktop.store import locking
from desktop.store.messages import not_a_file
from desktop.store.schema import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    expected_columns,
    expected_objects,
)

SQLITE_HEADER = b"SQLite format 3\x00"
MAX_VALUE_BYTES = 64 * 1024 * 1024  # no text or row in a map comes near this; a hostile one is refused


class FileRefused(MapError):
    """The file is not one we will open (foreign, damaged, newer, tampered). Always one line."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(" ".join(str(message).split()), where)


def harden(conn: sqlite3.Connection) -> None:
    """Pragmas and an authorizer that keep a hostile file from running anything."""
    conn.execute("PRAGMA trusted_schema=OFF")
    conn.execute("PRAGMA cell_size_check=ON")
    conn.execute("PRAGMA mmap_size=0")
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.set_authorizer(_authorizer)


_DENIED = {
    sqlite3.SQLITE_ATTACH,
    sqlite3.SQLITE_DETACH,
    sqlite3.SQLITE_CREATE_TRIGGER,
    sqlite3.SQLITE_CREATE_TEMP_TRIGGER,
    sqlite3.SQLITE_CREATE_VIEW,
    sqlite3.SQLITE_CREATE_TEMP_VIEW,
    sqlite3.SQLITE_CREATE_VTABLE,
}


def _authorizer(action: int, arg1: str | None, arg2: str | None, db: str | None, trigger: str | None) -> int:
    if action in _DENIED:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_PRAGMA and (arg1 or "").lower() == "writable_schema":
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def read_only_uri(path: Path) -> str:
    """A read-only URI; `immutable` when no writer's WAL exists, so reading leaves no -shm/-wal behind."""
    resolved = path.resolve()
    live = Path(f"{resolved}-wal").exists() or Path(f"{resolved}-shm").exists()
    return f"file:{quote(str(resolved))}?mode=ro" + ("" if live else "&immutable=1")


def inspect(path: Path) -> int:
    """Check a file before we trust it; return its schema version or raise FileRefused."""
    name = path.name
    if not path.exists():
        raise FileRefused(f"{name} does not exist")
    if not path.is_file():
        raise FileRefused(not_a_file(path))
    size = path.stat().st_size
    if size == 0:
        raise FileRefused(f"{name} is empty: it is not a Distribution Architect map")
    try:
        header = locking.read_head(path, 100)
    except OSError as exc:
        raise FileRefused(f"{name} cannot be read ({exc.strerror})") from None
    if not header.startswith(SQLITE_HEADER):
        raise FileRefused(f"{name} is not a Distribution Architect map (not an SQLite database)")
    if len(header) < 100:
        raise FileRefused(f"{name} is damaged (truncated header)")
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=5, isolation_level=None)
    except sqlite3.Error as exc:
        raise FileRefused(f"{name} cannot be opened ({exc})") from None
    try:
        harden(conn)
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id != APPLICATION_ID:
            raise FileRefused(f"{name} was made by another application, not Distribution Architect")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise FileRefused(
                f"{name} was made by a newer Distribution Architect (file format {version}, "
                f"this program reads up to {SCHEMA_VERSION}): update the program to open it"
            )
        if version < 1:
            raise FileRefused(f"{name} has no Distribution Architect schema (format {version})")
        conn.execute("PRAGMA cache_size=-64")  # the check reads each page once: a big cache is only memory
        result = [str(row[0]) for row in conn.execute("PRAGMA quick_check(5)").fetchall()]
        if result != ["ok"]:
            raise FileRefused(f"{name} is damaged ({_first_problem(result)})")
        _check_schema(conn, name, version)
        return version
    except sqlite3.DatabaseError as exc:
        raise FileRefused(f"{name} is damaged ({exc})") from None
    finally:
        conn.close()


def _first_problem(rows: list[str]) -> str:
    lines = [line.strip() for row in rows for line in row.splitlines()]
    found = [line for line in lines if line and not line.startswith("***")]
    return found[0][:200] if found else "failed its integrity check"


def _check_schema(conn: sqlite3.Connection, name: str, version: int) -> None:
    """Refuse objects we did not create, and tables or indexes whose definition was altered."""
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema").fetchall()
    found = {(kind, obj) for kind, obj, _, _ in rows if not str(obj).startswith("sqlite_autoindex_")}
    expected = expected_objects(version)
    extra = sorted(found - expected)
    if extra:
        kind, obj = extra[0]
        article = "an" if kind[0] in "aeiou" else "a"
        raise FileRefused(
            f"{name} contains {article} {kind} {obj!r} that Distribution Architect did not create"
        )
    missing = sorted(o for o in expected if o[0] == "table" and o not in found)
    if missing:
        raise FileRefused(f"{name} is damaged (table {missing[0][1]!r} is missing)")
    columns = expected_columns(version)
    for kind, obj, table, sql in rows:
        text = " ".join(str(sql or "").split()).upper()
        if kind == "table" and not text.startswith("CREATE TABLE"):
            raise FileRefused(f"{name} was altered: {obj!r} is not a plain table")
        if kind == "table":
            info = conn.execute(f"PRAGMA table_xinfo({_quoted(obj)})").fetchall()
            names = {row[1] for row in info}
            if names != columns[obj] or any(row[6] for row in info):
                raise FileRefused(f"{name} was altered: the columns of table {obj!r} are not ours")
        elif kind == "index" and not _our_index(str(obj), str(table), text, columns):
            raise FileRefused(f"{name} was altered: index {obj!r} is not ours")


def _our_index(obj: str, table: str, sql: str, columns: dict[str, set[str]]) -> bool:
    if obj.startswith("sqlite_autoindex_"):
        return table in columns
    return table in columns and sql.startswith(("CREATE INDEX", "CREATE UNIQUE INDEX"))


def _quoted(identifier: str) -> str:
    return '"' + str(identifier).replace('"', '""') + '"'


def _text(value: object, field: str, limit: int = MAX_TEXT) -> str:
    if value.__class__ is str and len(value) <= limit and value.isascii() and "\x00" not in value:
        return value  # what clean_text returns for it, without the call
    if not isinstance(value, str):
        raise MapError(f"{field} is not text")
    return clean_text(value, field, limit)


def _number(value: object, field: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise MapError(f"{field} is not a finite number")
    return float(value)


def _automation(value: object) -> str:
    if value == "" or value == AI:
        return value
    raise MapError(f"automation must be {AI!r} or blank, not {str(value)[:40]!r}")


# The columns `build_checked` reads, in this order (document.py selects them so).
MAP_COLUMNS = ("name", "description", "created", "modified")
CHANNEL_COLUMNS = (
    "id", "ord", "name", "layer", "function", "tool", "segment", "motion", "message",
    "monthly_spend", "leads_per_month", "notes", "x", "y", "automation",
)  # fmt: skip
FLOW_COLUMNS = ("source", "target", "rule", "label", "ord")


def _one_line_name(arch: ArchitectureMap, name: str) -> str:
    """A name an older version stored with line breaks, shown on one line (kept when that would clash)."""
    folded = one_line(name)
    if folded == name or arch.channel_by_name(folded) is not None:
        return name
    return folded


def _map_info(row) -> MapInfo:
    if row is None:
        return MapInfo()
    name, description, created, modified = row
    return MapInfo(
        one_line(_text(name, "the map's name")),
        _text(description, "the map's description"),
        _text(created, "created", 100),
        _text(modified, "modified", 100),
    )


def build_checked(row, channel_rows, flow_rows) -> ArchitectureMap:
    """Build the map from rows another program may have written, with every rule of the domain.

    Rows are plain tuples of MAP_COLUMNS, CHANNEL_COLUMNS and FLOW_COLUMNS (what sqlite3 returns).
    """
    arch = ArchitectureMap(info=_map_info(row))
    for r in channel_rows:
        channel_id, ord_, name, layer, function, tool, segment, motion, message, spend, leads, notes, x, y = (
            r[:14]
        )
        automation = r[14] if len(r) > 14 else ""
        try:
            if not isinstance(ord_, int) or isinstance(ord_, bool):
                raise MapError("ord is not a whole number")
            try:
                layer = Layer(layer)
            except ValueError:
                raise MapError(f"unknown layer {str(layer)[:40]!r}") from None
            channel = Channel(
                id=_text(channel_id, "id"),
                name=_one_line_name(arch, _text(name, "name")),
                layer=layer,
                function=_text(function, "function"),
                tool=_text(tool, "tool"),
                segment=_text(segment, "segment"),
                motion=_text(motion, "motion"),
                message=_text(message, "message"),
                monthly_spend=_number(spend, "monthly_spend"),
                leads_per_month=_number(leads, "leads_per_month"),
                notes=_text(notes, "notes"),
                x=_number(x, "x"),
                y=_number(y, "y"),
                ord=ord_,
                automation=_automation(automation),
            )
            check_channel(arch, channel, limit=False)  # a file above MAX_CHANNELS still opens
        except MapError as exc:
            raise MapError(exc.message, f"channel {str(channel_id)[:40]!r}") from None
        arch.put_channel(channel)
    for source, target, rule, label, ord_ in flow_rows:
        try:
            if not isinstance(ord_, int) or isinstance(ord_, bool):
                raise MapError("ord is not a whole number")
            flow = Flow(
                _text(source, "source"),
                _text(target, "target"),
                _text(rule, "rule"),
                _text(label, "label"),
                ord_,
            )
            check_flow(arch, flow)
        except MapError as exc:
            raise MapError(exc.message, f"flow {str(source)[:40]!r} -> {str(target)[:40]!r}") from None
        arch.put_flow(flow)
    return arch
