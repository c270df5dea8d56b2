"""The frozen schema facts (desktop/store/schema.py) equal what SQLAlchemy generates from the SQLModel tables.

Opening and writing a map use only the frozen copy (no SQLAlchemy import); new
files and migrations use the SQLModel tables. These tests keep the two from
drifting apart: change tables.py and schema.py together.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.schema import CreateIndex, CreateTable

from desktop.store import schema, tables
from desktop.store.document import MapDocument, write_new_file
from desktop.store.migrations import _statements
from desktop.store.safety import CHANNEL_COLUMNS, FLOW_COLUMNS, MAP_COLUMNS
from tests.document.crash_worker import big_map

VERSIONS = range(1, schema.SCHEMA_VERSION + 1)


def test_every_schema_version_has_sqlmodel_tables():
    assert sorted(tables.TABLES_BY_VERSION) == list(VERSIONS)
    assert tables.APPLICATION_ID == schema.APPLICATION_ID == 0x44417263
    assert tables.SCHEMA_VERSION == schema.SCHEMA_VERSION


@pytest.mark.parametrize("version", VERSIONS)
def test_the_frozen_ddl_is_what_sqlalchemy_generates(version):
    assert schema.statements(version) == _statements(version)


@pytest.mark.parametrize("version", VERSIONS)
def test_the_frozen_tables_columns_and_indexes_match_the_sqlmodel_tables(version):
    dialect = sqlite_dialect.dialect()
    frozen = [t for t in schema.TABLES if t.version == version]
    generated = tables.TABLES_BY_VERSION[version]
    assert [t.name for t in frozen] == [t.name for t in generated]
    for mine, theirs in zip(frozen, generated, strict=True):
        assert mine.columns == tuple(column.name for column in theirs.columns), mine.name
        assert mine.ddl == str(CreateTable(theirs).compile(dialect=dialect)).strip()
        indexes = sorted(theirs.indexes, key=lambda index: str(index.name))
        assert [name for name, _ in mine.indexes] == [str(index.name) for index in indexes]
        assert [ddl for _, ddl in mine.indexes] == [
            str(CreateIndex(index).compile(dialect=dialect)).strip() for index in indexes
        ]


def test_the_expected_objects_and_columns_follow_the_versions():
    assert schema.expected_objects(1) == {
        ("table", "map"),
        ("table", "channel"),
        ("index", "ix_channel_ord"),
        ("table", "flow"),
        ("table", "score_history"),
        ("table", "setting"),
    }
    assert schema.expected_objects(2) == schema.expected_objects(1) | {("table", "version")}
    assert set(schema.expected_columns(2)) == {t.name for t in schema.TABLES}
    assert "version" not in schema.expected_columns(1)


def test_the_columns_the_reader_selects_exist():
    assert set(CHANNEL_COLUMNS) == set(schema.CHANNEL.columns_at(schema.SCHEMA_VERSION))
    assert set(MAP_COLUMNS) <= set(schema.MAP.columns)
    assert set(FLOW_COLUMNS) <= set(schema.FLOW.columns)


def _stored_ddl(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [
            row[0]
            for row in conn.execute("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY rowid")
        ]
    finally:
        conn.close()


def _columns(path: Path) -> dict[str, list[str]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [row[0] for row in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")]
        return {name: [row[1] for row in conn.execute(f"PRAGMA table_info({name})")] for name in names}
    finally:
        conn.close()


def _created_ddl() -> list[str]:
    """The CREATE statements of every version (ALTER TABLE statements change the stored CREATE instead)."""
    return [s for v in VERSIONS for s in schema.statements(v) if not s.startswith("ALTER TABLE")]


def test_a_new_file_holds_exactly_the_frozen_tables_and_columns(tmp_path):
    path = tmp_path / "new.distarch"
    write_new_file(path, big_map(3))
    stored = _stored_ddl(path)
    assert len(stored) == len(_created_ddl())
    columns = _columns(path)
    assert {name: set(found) for name, found in columns.items()} == schema.expected_columns(
        schema.SCHEMA_VERSION
    )
    assert columns["channel"][-1] == "automation" and columns["score_history"][-1] == "contract"


@pytest.mark.parametrize("old", [1, 2])
def test_a_migrated_file_holds_exactly_what_a_new_file_holds(tmp_path, old):
    new = tmp_path / "new.distarch"
    write_new_file(new, big_map(3))
    path = tmp_path / "old.distarch"
    write_new_file(path, big_map(3), schema_version=old)
    assert _stored_ddl(path) == [s for v in range(1, old + 1) for s in schema.statements(v)]
    with MapDocument.open(path) as doc:
        assert doc.schema_version == schema.SCHEMA_VERSION
        arch = doc.load()
        assert all(c.automation == "" for c in arch.channels) and arch.info.currency == "USD"
    assert _stored_ddl(path) == _stored_ddl(new)
    assert _columns(path) == _columns(new)


def test_every_statement_of_the_fast_paths_prepares_against_the_schema(tmp_path):
    """The hand-written SQL of document.py and versions.py names only tables and columns that exist."""
    from desktop.store import document, versions

    path = tmp_path / "prepare.distarch"
    write_new_file(path, big_map(2))
    statements = [
        value
        for module in (document, versions)
        for name, value in vars(module).items()
        if name.startswith("_") and name.isupper() and isinstance(value, str) and " " in value
    ]
    assert len(statements) >= 20
    conn = sqlite3.connect(str(path))
    try:
        for statement in statements:
            conn.execute(f"EXPLAIN {statement}", (None,) * statement.count("?"))
    finally:
        conn.close()
