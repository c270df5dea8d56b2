"""SQLModel tables of a `.distarch` file (formats.md): the schema of record, the contract of the file.

Only creating a file and migrating an old one import this module (lazily):
SQLModel, SQLAlchemy and pydantic cost ~400 ms to import. Opening, reading and
writing a map use the frozen copy of these facts in schema.py, which
tests/store/test_schema.py keeps equal to what SQLAlchemy generates from here.
"""

from __future__ import annotations

from sqlalchemy import Float, Integer, String, Table, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from desktop.store.schema import APPLICATION_ID, SCHEMA_VERSION

__all__ = [
    "APPLICATION_ID",
    "SCHEMA_VERSION",
    "TABLES_BY_VERSION",
    "ChannelColumns",
    "ChannelRow",
    "FlowColumns",
    "FlowRow",
    "MapColumns",
    "MapRow",
    "ScoreColumns",
    "ScoreRow",
    "SettingColumns",
    "SettingRow",
    "VersionColumns",
    "VersionRow",
]


class MapColumns(SQLModel):
    """The map's metadata columns, shared by the file's `map` table and the team library's."""

    id: int = Field(default=1, primary_key=True)
    name: str = Field(default="", sa_type=Text, nullable=False)
    description: str = Field(default="", sa_type=Text, nullable=False)
    created: str = Field(default="", sa_type=String, nullable=False)
    modified: str = Field(default="", sa_type=String, nullable=False)


class MapRow(MapColumns, table=True):
    """The map's metadata: one row, id 1."""

    __tablename__ = "map"


class ChannelColumns(SQLModel):
    """One channel's columns, shared by the file and the team library (which keys them by map too).

    Mixins declare `sa_type`, never `sa_column`: a Column object belongs to one table only.
    """

    id: str = Field(primary_key=True)
    ord: int = Field(sa_type=Integer, nullable=False, index=True)
    name: str = Field(sa_type=Text, nullable=False)
    layer: str = Field(sa_type=String, nullable=False)
    function: str = Field(default="", sa_type=Text, nullable=False)
    tool: str = Field(default="", sa_type=Text, nullable=False)
    segment: str = Field(default="", sa_type=Text, nullable=False)
    motion: str = Field(default="", sa_type=Text, nullable=False)
    message: str = Field(default="", sa_type=Text, nullable=False)
    monthly_spend: float | None = Field(default=None, sa_type=Float, nullable=True)
    leads_per_month: float | None = Field(default=None, sa_type=Float, nullable=True)
    notes: str = Field(default="", sa_type=Text, nullable=False)
    x: float | None = Field(default=None, sa_type=Float, nullable=True)
    y: float | None = Field(default=None, sa_type=Float, nullable=True)


class ChannelRow(ChannelColumns, table=True):
    """One channel, with its position on the canvas."""

    __tablename__ = "channel"


class FlowColumns(SQLModel):
    """A flow's columns (the tables add their own keys and references)."""

    id: int | None = Field(default=None, primary_key=True)
    ord: int = Field(sa_type=Integer, nullable=False)
    source: str = Field(sa_type=String, nullable=False)
    target: str = Field(sa_type=String, nullable=False)
    rule: str = Field(default="", sa_type=Text, nullable=False)
    label: str = Field(default="", sa_type=Text, nullable=False)


class FlowRow(FlowColumns, table=True):
    """A flow between two channels; the pair is unique, deleting a channel needs its flows gone."""

    __tablename__ = "flow"
    __table_args__ = (UniqueConstraint("source", "target", name="uq_flow_pair"),)
    source: str = Field(foreign_key="channel.id", nullable=False)
    target: str = Field(foreign_key="channel.id", nullable=False)


class ScoreColumns(SQLModel):
    """The score after an edit."""

    id: int | None = Field(default=None, primary_key=True)
    timestamp: str = Field(sa_type=String, nullable=False)
    score: float = Field(sa_type=Float, nullable=False)
    components: str = Field(default="{}", sa_type=Text, nullable=False)


class ScoreRow(ScoreColumns, table=True):
    """The score after an edit, so the history line survives reopening."""

    __tablename__ = "score_history"


class SettingColumns(SQLModel):
    """Per-map settings (theme, view): small key/value text."""

    key: str = Field(primary_key=True)
    value: str = Field(default="", sa_type=Text, nullable=False)


class SettingRow(SettingColumns, table=True):
    """Per-map settings (theme, view): small key/value text."""

    __tablename__ = "setting"


class VersionColumns(SQLModel):
    """A named, immutable snapshot of the map: interchange JSON plus its score."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=Text, nullable=False)
    note: str = Field(default="", sa_type=Text, nullable=False)
    created: str = Field(sa_type=String, nullable=False)
    score: float = Field(sa_type=Float, nullable=False)
    snapshot: str = Field(sa_type=Text, nullable=False)
    history_index: int = Field(default=0, sa_type=Integer, nullable=False)


class VersionRow(VersionColumns, table=True):
    """A named, immutable snapshot of the map (schema 2): interchange JSON plus its score."""

    __tablename__ = "version"
    __table_args__ = (UniqueConstraint("name"),)


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
