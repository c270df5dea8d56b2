"""SQLModel tables of a `.distarch` file (formats.md): the schema of record, the contract of the file.

Only creating a file and migrating an old one import this module (lazily):
SQLModel, SQLAlchemy and pydantic cost ~400 ms to import. Opening, reading and
writing a map use the frozen copy of these facts in schema.py, which
tests/store/test_schema.py keeps equal to what SQLAlchemy generates from here.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Integer, String, Table, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from desktop.store.schema import APPLICATION_ID, SCHEMA_VERSION

__all__ = [
    "APPLICATION_ID",
    "SCHEMA_VERSION",
    "TABLES_BY_VERSION",
    "ChannelRow",
    "FlowRow",
    "MapRow",
    "ScoreRow",
    "SettingRow",
    "VersionRow",
]


class MapRow(SQLModel, table=True):
    """The map's metadata: one row, id 1."""

    __tablename__ = "map"
    id: int = Field(default=1, primary_key=True)
    name: str = Field(sa_column=Column(Text, nullable=False, default=""))
    description: str = Field(sa_column=Column(Text, nullable=False, default=""))
    created: str = Field(sa_column=Column(String, nullable=False, default=""))
    modified: str = Field(sa_column=Column(String, nullable=False, default=""))


class ChannelRow(SQLModel, table=True):
    """One channel, with its position on the canvas."""

    __tablename__ = "channel"
    id: str = Field(primary_key=True)
    ord: int = Field(sa_column=Column(Integer, nullable=False, index=True))
    name: str = Field(sa_column=Column(Text, nullable=False))
    layer: str = Field(sa_column=Column(String, nullable=False))
    function: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    tool: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    segment: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    motion: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    message: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    monthly_spend: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    leads_per_month: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    x: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    y: float | None = Field(default=None, sa_column=Column(Float, nullable=True))


class FlowRow(SQLModel, table=True):
    """A flow between two channels; the pair is unique, deleting a channel needs its flows gone."""

    __tablename__ = "flow"
    __table_args__ = (UniqueConstraint("source", "target", name="uq_flow_pair"),)
    id: int | None = Field(default=None, primary_key=True)
    ord: int = Field(sa_column=Column(Integer, nullable=False))
    source: str = Field(foreign_key="channel.id", nullable=False)
    target: str = Field(foreign_key="channel.id", nullable=False)
    rule: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    label: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class ScoreRow(SQLModel, table=True):
    """The score after an edit, so the history line survives reopening."""

    __tablename__ = "score_history"
    id: int | None = Field(default=None, primary_key=True)
    timestamp: str = Field(sa_column=Column(String, nullable=False))
    score: float = Field(sa_column=Column(Float, nullable=False))
    components: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))


class SettingRow(SQLModel, table=True):
    """Per-map settings (theme, view): small key/value text."""

    __tablename__ = "setting"
    key: str = Field(primary_key=True)
    value: str = Field(sa_column=Column(Text, nullable=False, default=""))


class VersionRow(SQLModel, table=True):
    """A named, immutable snapshot of the map (schema 2): interchange JSON plus its score."""

    __tablename__ = "version"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(Text, nullable=False, unique=True))
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created: str = Field(sa_column=Column(String, nullable=False))
    score: float = Field(sa_column=Column(Float, nullable=False))
    snapshot: str = Field(sa_column=Column(Text, nullable=False))
    history_index: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))


TABLES_BY_VERSION: dict[int, list[Table]] = {  # SQLModel adds `__table__` to a table class at run time
    1: [getattr(row, "__table__") for row in (MapRow, ChannelRow, FlowRow, ScoreRow, SettingRow)],  # noqa: B009
    2: [getattr(VersionRow, "__table__")],  # noqa: B009
    3: [],
}
# Columns added to existing tables (SQLite's ALTER TABLE ADD COLUMN; a blank or a default for old rows):
# schema 3 adds a channel's `automation` ("ai" or blank) and the score contract of a history row.
COLUMNS_BY_VERSION: dict[int, list[tuple[str, str]]] = {
    3: [
        ("channel", "automation TEXT NOT NULL DEFAULT ''"),
        ("score_history", "contract INTEGER NOT NULL DEFAULT 1"),
    ],
}
