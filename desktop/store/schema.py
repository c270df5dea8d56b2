"""The facts of the `.distarch` schema that opening, reading and writing a map need, frozen as plain data.

Why a module of its own: the SQLModel tables (tables.py) are the schema of
record, but importing SQLModel, SQLAlchemy and pydantic costs about 400 ms,
which cold start and map opening must not pay. So the fast paths (safety,
document, versions) use only the stdlib `sqlite3` module and these constants,
and tests/store/test_schema.py proves they equal what SQLAlchemy generates
from the SQLModel tables, so the two cannot drift apart. Change tables.py and
this file together.
"""

from __future__ import annotations

from dataclasses import dataclass

APPLICATION_ID = 0x44417263  # "DArc": marks the file as ours; never change it.
SCHEMA_VERSION = 3  # 3: channel.automation, score_history.contract (contract 2 of the score)


@dataclass(frozen=True)
class Table:
    """One table as our migrations create it: its columns in order, its DDL and its indexes' DDL."""

    name: str
    version: int  # the schema version that created it
    columns: tuple[str, ...]
    ddl: str
    indexes: tuple[tuple[str, str], ...] = ()  # (name, DDL)
    added: tuple[tuple[int, str, str], ...] = ()  # (schema version, column, its definition): ALTER TABLE

    def columns_at(self, version: int) -> tuple[str, ...]:
        """The columns a file of schema `version` has (those added later are absent)."""
        return self.columns + tuple(column for since, column, _ in self.added if since <= version)


MAP = Table(
    "map",
    1,
    ("id", "name", "description", "created", "modified"),
    "CREATE TABLE map (\n\tid INTEGER NOT NULL, \n\tname TEXT NOT NULL, \n\tdescription TEXT NOT NULL, "
    "\n\tcreated VARCHAR NOT NULL, \n\tmodified VARCHAR NOT NULL, \n\tPRIMARY KEY (id)\n)",
)
CHANNEL = Table(
    "channel",
    1,
    ("id", "ord", "name", "layer", "function", "tool", "segment", "motion", "message")
    + ("monthly_spend", "leads_per_month", "notes", "x", "y"),
    "CREATE TABLE channel (\n\tid VARCHAR NOT NULL, \n\tord INTEGER NOT NULL, \n\tname TEXT NOT NULL, "
    "\n\tlayer VARCHAR NOT NULL, \n\tfunction TEXT NOT NULL, \n\ttool TEXT NOT NULL, "
    "\n\tsegment TEXT NOT NULL, \n\tmotion TEXT NOT NULL, \n\tmessage TEXT NOT NULL, "
    "\n\tmonthly_spend FLOAT, \n\tleads_per_month FLOAT, \n\tnotes TEXT NOT NULL, \n\tx FLOAT, "
    "\n\ty FLOAT, \n\tPRIMARY KEY (id)\n)",
    (("ix_channel_ord", "CREATE INDEX ix_channel_ord ON channel (ord)"),),
    ((3, "automation", "automation TEXT NOT NULL DEFAULT ''"),),
)
FLOW = Table(
    "flow",
    1,
    ("id", "ord", "source", "target", "rule", "label"),
    "CREATE TABLE flow (\n\tid INTEGER NOT NULL, \n\tord INTEGER NOT NULL, \n\tsource VARCHAR NOT NULL, "
    "\n\ttarget VARCHAR NOT NULL, \n\trule TEXT NOT NULL, \n\tlabel TEXT NOT NULL, \n\tPRIMARY KEY (id), "
    "\n\tCONSTRAINT uq_flow_pair UNIQUE (source, target), \n\tFOREIGN KEY(source) REFERENCES channel (id), "
    "\n\tFOREIGN KEY(target) REFERENCES channel (id)\n)",
)
SCORES = Table(
    "score_history",
    1,
    ("id", "timestamp", "score", "components"),
    "CREATE TABLE score_history (\n\tid INTEGER NOT NULL, \n\ttimestamp VARCHAR NOT NULL, "
    "\n\tscore FLOAT NOT NULL, \n\tcomponents TEXT NOT NULL, \n\tPRIMARY KEY (id)\n)",
    added=((3, "contract", "contract INTEGER NOT NULL DEFAULT 1"),),
)
SETTING = Table(
    "setting",
    1,
    ("key", "value"),
    'CREATE TABLE setting (\n\t"key" VARCHAR NOT NULL, \n\tvalue TEXT NOT NULL, \n\tPRIMARY KEY ("key")\n)',
)
VERSION = Table(
    "version",
    2,
    ("id", "name", "note", "created", "score", "snapshot", "history_index"),
    "CREATE TABLE version (\n\tid INTEGER NOT NULL, \n\tname TEXT NOT NULL, \n\tnote TEXT NOT NULL, "
    "\n\tcreated VARCHAR NOT NULL, \n\tscore FLOAT NOT NULL, \n\tsnapshot TEXT NOT NULL, "
    "\n\thistory_index INTEGER NOT NULL, \n\tPRIMARY KEY (id), \n\tUNIQUE (name)\n)",
)

TABLES: tuple[Table, ...] = (MAP, CHANNEL, FLOW, SCORES, SETTING, VERSION)  # in creation order


def tables_up_to(version: int) -> list[Table]:
    """The tables a file of schema `version` holds."""
    return [table for table in TABLES if table.version <= version]


def statements(version: int) -> list[str]:
    """The DDL that migrating to `version` from the one before it runs, in order (as SQLAlchemy emits it)."""
    found: list[str] = []
    for table in TABLES:
        if table.version == version:
            found.append(table.ddl)
            found.extend(ddl for _, ddl in table.indexes)
    for table in TABLES:
        found.extend(
            f"ALTER TABLE {table.name} ADD COLUMN {definition}"
            for since, _, definition in table.added
            if since == version
        )
    return found


def expected_objects(version: int) -> set[tuple[str, str]]:
    """The (type, name) of every schema object our migrations create up to `version`."""
    objects: set[tuple[str, str]] = set()
    for table in tables_up_to(version):
        objects.add(("table", table.name))
        objects.update(("index", name) for name, _ in table.indexes)
    return objects


def expected_columns(version: int) -> dict[str, set[str]]:
    """The column names of every table our migrations create up to `version`."""
    return {table.name: set(table.columns_at(version)) for table in tables_up_to(version)}
