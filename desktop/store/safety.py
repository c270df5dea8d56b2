"""Opening a file we did not necessarily write, the way sqlite.org/security.html advises.

Everything here reads through a read-only connection, so a refused file keeps
every byte. The reasons are one line each, for a person, not a stack trace.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from desktop.domain.errors import MapError
from desktop.store.tables import APPLICATION_ID, SCHEMA_VERSION, TABLES_BY_VERSION

SQLITE_HEADER = b"SQLite format 3\x00"


class FileRefused(MapError):
    """The file is not one we will open (foreign, damaged, newer, tampered)."""


def expected_objects(version: int) -> set[tuple[str, str]]:
    """The (type, name) of every schema object our migrations create up to `version`."""
    objects: set[tuple[str, str]] = set()
    for v in range(1, version + 1):
        for table in TABLES_BY_VERSION.get(v, []):
            objects.add(("table", table.name))
            for index in table.indexes:
                objects.add(("index", str(index.name)))
    return objects


def harden(conn: sqlite3.Connection) -> None:
    """Pragmas and an authorizer that keep a hostile file from running anything."""
    conn.execute("PRAGMA trusted_schema=OFF")
    conn.execute("PRAGMA cell_size_check=ON")
    conn.execute("PRAGMA mmap_size=0")
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
        raise FileRefused(f"{name} is not a file")
    size = path.stat().st_size
    if size == 0:
        raise FileRefused(f"{name} is empty: it is not a Distribution Architect map")
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
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
        result = conn.execute("PRAGMA quick_check").fetchall()
        if [tuple(r) for r in result] != [("ok",)]:
            raise FileRefused(f"{name} is damaged ({result[0][0]})")
        found = {
            (kind, obj)
            for kind, obj in conn.execute("SELECT type, name FROM sqlite_schema")
            if not obj.startswith("sqlite_autoindex_")
        }
        extra = sorted(found - expected_objects(version))
        if extra:
            kind, obj = extra[0]
            raise FileRefused(f"{name} contains a {kind} {obj!r} that Distribution Architect did not create")
        missing = sorted(o for o in expected_objects(version) if o[0] == "table" and o not in found)
        if missing:
            raise FileRefused(f"{name} is damaged (table {missing[0][1]!r} is missing)")
        return version
    except sqlite3.DatabaseError as exc:
        raise FileRefused(f"{name} is damaged ({exc})") from None
    finally:
        conn.close()
