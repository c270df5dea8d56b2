"""Numbered schema migrations. A file is moved forward on open, in one transaction,
after a copy of the original is kept beside it (`NAME.distarch.bak-vN`).

The copy is made through SQLite's backup API from the open connection (so it
holds what is in the WAL too, and no stray descriptor of the map drops
SQLite's locks, see locking.py) into a temp file renamed into place: a crash
leaves a whole backup or none, never a half one that would then be kept.

The DDL comes from the SQLModel tables (the schema of record), imported only
when a file is created or migrated: opening a current file never pays for
SQLAlchemy (see schema.py).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop.store.files import fsync_replace, remove_stale_temps, temp_beside
from desktop.store.schema import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "backup_copy", "migrate"]


def _statements(version: int) -> list[str]:
    """The DDL SQLAlchemy generates for the tables `version` adds (imported here, never at module top)."""
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateIndex, CreateTable

    from desktop.store.tables import COLUMNS_BY_VERSION, TABLES_BY_VERSION

    dialect = sqlite.dialect()
    statements: list[str] = []
    for table in TABLES_BY_VERSION[version]:
        statements.append(str(CreateTable(table).compile(dialect=dialect)).strip())
        for index in table.indexes:
            statements.append(str(CreateIndex(index).compile(dialect=dialect)).strip())
    statements += [
        f"ALTER TABLE {table} ADD COLUMN {column}" for table, column in COLUMNS_BY_VERSION.get(version, [])
    ]
    return statements


def migrate(conn: sqlite3.Connection, path: Path | None, current: int, target: int = SCHEMA_VERSION) -> None:
    """Create or upgrade the schema from `current` to `target` in one transaction.

    With a path (an existing file), a backup copy is written first.
    """
    if current >= target:
        return
    if path is not None:
        backup = path.with_name(f"{path.name}.bak-v{current}")
        if not backup.exists():
            backup_copy(conn, backup)
    conn.execute("BEGIN IMMEDIATE")
    try:
        for version in range(current + 1, target + 1):
            for statement in _statements(version):
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version={target}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def backup_copy(conn: sqlite3.Connection, target: Path) -> None:
    """Write a consistent copy of the database behind `conn` to `target`, whole or not at all."""
    with temp_beside(target) as tmp:
        dest = sqlite3.connect(str(tmp))
        try:
            conn.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
        fsync_replace(tmp, target)
    remove_stale_temps(target)
