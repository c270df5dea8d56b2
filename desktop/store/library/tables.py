"""SQLModel tables of the team library, in the PostgreSQL schema `distarch` (the schema of record).

The columns of a map, a channel, a flow, a score point, a setting and a
version come from the same mixins as the `.distarch` file's tables
(desktop/store/tables.py), so a column added to the file reaches the library
by the same line; the library keys every row by `(map_id, ...)` and adds what
a shared store needs: the catalog's columns, revisions and the edit log.

Only `library init` imports this module (SQLModel and SQLAlchemy are slow to
import); opening and editing a library map use the plain SQL of queries.py.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    DateTime,
    Float,
    ForeignKeyConstraint,
    Identity,
    Index,
    Integer,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from desktop.store.tables import (
    ChannelColumns,
    FlowColumns,
    MapColumns,
    ScoreColumns,
    SettingColumns,
    VersionColumns,
)

SCHEMA = "distarch"
_MAP = f"{SCHEMA}.map.id"


def _owned(*extra: object) -> tuple[object, ...]:
    """Table arguments of a table whose rows belong to one map (deleted with it)."""
    return (*extra, ForeignKeyConstraint(["map_id"], [_MAP], ondelete="CASCADE"), {"schema": SCHEMA})


class LibrarySchemaRow(SQLModel, table=True):
    """One row saying the schema is ours and which version it is (refused when newer or missing)."""

    __tablename__ = "schema_version"
    __table_args__ = {"schema": SCHEMA}
    application: str = Field(primary_key=True)
    version: int = Field(sa_type=Integer, nullable=False)


class LibraryMapRow(MapColumns, table=True):
    """A map in the library: its metadata (the file's columns) and its catalog entry."""

    __tablename__ = "map"
    __table_args__ = (
        Index("uq_map_live_name", "name_key", unique=True, postgresql_where=text("deleted_at IS NULL")),
        Index("ix_map_edited_at", "edited_at"),
        {"schema": SCHEMA},
    )
    id: uuid.UUID = Field(primary_key=True)  # type: ignore[assignment]  # a file's map row is 1; here a UUID
    name_key: str = Field(sa_type=Text, nullable=False)  # the name trimmed and case-folded
    revision: int = Field(default=0, sa_type=BigInteger, nullable=False)
    edited_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
    edited_by: str = Field(default="", sa_type=Text, nullable=False)  # the display name
    edited_role: str = Field(default="", sa_type=Text, nullable=False)  # the PostgreSQL role
    score: float | None = Field(default=None, sa_type=Float, nullable=True)
    score_contract: int | None = Field(default=None, sa_type=Integer, nullable=True)
    channels: int = Field(default=0, sa_type=Integer, nullable=False)
    flows: int = Field(default=0, sa_type=Integer, nullable=False)
    deleted_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True), nullable=True)
    deleted_by: str = Field(default="", sa_type=Text, nullable=False)


class LibraryChannelRow(ChannelColumns, table=True):
    __tablename__ = "channel"
    __table_args__ = _owned(PrimaryKeyConstraint("map_id", "id"))
    map_id: uuid.UUID = Field(primary_key=True)
    automation: str = Field(default="", sa_type=Text, nullable=False)  # the file adds it in schema 3


class LibraryFlowRow(FlowColumns, table=True):
    __tablename__ = "flow"
    __table_args__ = _owned(
        PrimaryKeyConstraint("map_id", "id"),
        UniqueConstraint("map_id", "source", "target", name="uq_flow_map_pair"),
        ForeignKeyConstraint(["map_id", "source"], [f"{SCHEMA}.channel.map_id", f"{SCHEMA}.channel.id"]),
        ForeignKeyConstraint(["map_id", "target"], [f"{SCHEMA}.channel.map_id", f"{SCHEMA}.channel.id"]),
    )
    id: int | None = Field(default=None, primary_key=True, sa_type=BigInteger, sa_column_args=[Identity()])
    map_id: uuid.UUID = Field(primary_key=True)


class LibraryScoreRow(ScoreColumns, table=True):
    __tablename__ = "score_history"
    __table_args__ = _owned(PrimaryKeyConstraint("map_id", "id"))
    id: int | None = Field(default=None, primary_key=True, sa_type=BigInteger, sa_column_args=[Identity()])
    map_id: uuid.UUID = Field(primary_key=True)
    contract: int = Field(default=1, sa_type=Integer, nullable=False)


class LibrarySettingRow(SettingColumns, table=True):
    __tablename__ = "setting"
    __table_args__ = _owned(PrimaryKeyConstraint("map_id", "key"))
    map_id: uuid.UUID = Field(primary_key=True)


class LibraryVersionRow(VersionColumns, table=True):
    __tablename__ = "version"
    __table_args__ = _owned(PrimaryKeyConstraint("map_id", "id"), UniqueConstraint("map_id", "name"))
    id: int | None = Field(default=None, primary_key=True, sa_type=BigInteger, sa_column_args=[Identity()])
    map_id: uuid.UUID = Field(primary_key=True)
    channels: int = Field(default=0, sa_type=Integer, nullable=False)
    flows: int = Field(default=0, sa_type=Integer, nullable=False)


class EditLogRow(SQLModel, table=True):
    """Every write to a map, in order: `seq` is the revision it made (part 2 replays and merges these)."""

    __tablename__ = "edit_log"
    __table_args__ = _owned(PrimaryKeyConstraint("map_id", "seq"), UniqueConstraint("edit_id"))
    map_id: uuid.UUID = Field(primary_key=True)
    seq: int = Field(sa_type=BigInteger, primary_key=True)
    edit_id: uuid.UUID = Field(nullable=False)
    base_revision: int = Field(sa_type=BigInteger, nullable=False)
    kind: str = Field(sa_type=Text, nullable=False)  # "edits", or "snapshot" (created, replaced)
    author: str = Field(default="", sa_type=Text, nullable=False)
    role: str = Field(default="", sa_type=Text, nullable=False)
    at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
    body: str = Field(sa_type=JSONB, nullable=False)


TABLES_BY_VERSION: dict[int, list[Table]] = {  # SQLModel adds `__table__` to a table class at run time
    1: [
        getattr(row, "__table__")  # noqa: B009
        for row in (
            LibrarySchemaRow,
            LibraryMapRow,
            LibraryChannelRow,
            LibraryFlowRow,
            LibraryScoreRow,
            LibrarySettingRow,
            LibraryVersionRow,
            EditLogRow,
        )
    ]
}


def statements(version: int) -> list[str]:
    """The DDL that creating the tables of `version` runs, for PostgreSQL, in order."""
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateIndex, CreateTable

    dialect = postgresql.dialect()
    found: list[str] = []
    for table in TABLES_BY_VERSION[version]:
        found.append(str(CreateTable(table).compile(dialect=dialect)).strip())
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            found.append(str(CreateIndex(index).compile(dialect=dialect)).strip())
    return found
