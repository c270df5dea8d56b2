"""Numbered schema migrations. A file is moved forward on open, in one transaction,
after a copy of the original is kept beside it (`NAME.distarch.bak-vN`)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from sqlalchemy.schema import CreateIndex, CreateTable

from desktop.store.tables import SCHEMA_VERSION, TABLES_BY_VERSION


def _statements(version: int) -> list[str]:
    statements: list[str] = []
    for table in TABLES_BY_VERSION[version]:
        statements.append(str(CreateTable(table).compile(dialect=_dialect())).strip())
        for index in table.indexes:
            statements.append(str(CreateIndex(index).compile(dialect=_dialect())).strip())
    return statements


def _dialect():
    from sqlalchemy.dialects import sqlite

    return sqlite.dialect()


def migrate(conn: sqlite3.Connection, path: Path | None, current: int, target: int = SCHEMA_VERSION) -> None:
    """Create or upgrade the schema from `current` to `target` in one transaction.

    With a path (an existing file), a backup copy is written first.
    """
    if current >= target:
        return
    if path is not None:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        backup = path.with_name(f"{path.name}.bak-v{current}")
        if not backup.exists():
            shutil.copy2(path, backup)
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
