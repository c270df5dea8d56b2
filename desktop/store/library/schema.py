"""The library schema `distarch`: created and migrated by `library init`, checked by every connection.

- Ours: the schema holds `distarch.schema_version` with the row
  ('distribution-architect', N). A `distarch` schema without it (someone
  else's) is refused untouched, and so is a newer N than this program knows.
- `init` runs in one transaction under an advisory lock (two inits at once
  wait for each other), so a failed init leaves the database as it was;
  running it again on a current library changes nothing.
- Grants: when the roles `distarch_editor` and `distarch_viewer` exist (the
  README's snippet creates them), init grants them read-write and read-only
  use of the library.
- The DDL comes from the SQLModel tables (library/tables.py), imported only here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from desktop.store.library.connection import LibraryError

if TYPE_CHECKING:
    import psycopg

SCHEMA = "distarch"
APPLICATION = "distribution-architect"
LIBRARY_VERSION = 1
EDITOR_ROLE = "distarch_editor"
VIEWER_ROLE = "distarch_viewer"
_LOCK_KEY = 0x44417263  # the advisory lock `init` holds (the file format's application id)


class LibraryRefused(LibraryError):
    """The database's `distarch` schema is not a library we can use (not ours, or newer)."""


class NoLibrary(LibraryError):
    """The database has no team library yet."""


def _state(conn: psycopg.Connection[Any]) -> int | None:
    """The library's schema version; None when there is none (see `_read_state`)."""
    try:
        return _read_state(conn)
    except psycopg_errors().InsufficientPrivilege:
        raise LibraryError(
            f"your PostgreSQL role {conn.info.user} may not use the team library in this database: ask the "
            f"administrator to grant it {VIEWER_ROLE} (to look) or {EDITOR_ROLE} (to edit)"
        ) from None


def _read_state(conn: psycopg.Connection[Any]) -> int | None:
    """The library's schema version; None when there is no `distarch` schema (or an empty one).

    Raises LibraryRefused for a schema that is not ours or newer than this program.
    """
    from psycopg import sql

    exists, ours = conn.execute(  # type: ignore[misc]  # one row always comes back
        "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = %s), to_regclass(%s) IS NOT NULL",
        (SCHEMA, f"{SCHEMA}.schema_version"),
    ).fetchone()
    if not exists:
        return None
    tables = {"schema_version"} if ours else _tables(conn)
    if not tables:
        return None  # an empty schema a database administrator made for us
    if "schema_version" not in tables:
        raise LibraryRefused(
            f"the database has a schema named {SCHEMA!r} that Distribution Architect did not create: "
            "it is left untouched (ask the administrator to use another database)"
        )
    try:
        rows = conn.execute(
            sql.SQL("SELECT application, version FROM {}").format(sql.Identifier(SCHEMA, "schema_version"))
        ).fetchall()
    except psycopg_errors().InsufficientPrivilege:
        raise
    except Exception as exc:  # noqa: BLE001 - a table of another shape: not ours
        _rollback_quietly(conn)
        raise LibraryRefused(
            f"the schema {SCHEMA!r} in this database is not a Distribution Architect library ({exc}): "
            "it is left untouched"
        ) from None
    versions = [version for application, version in rows if application == APPLICATION]
    if len(rows) != 1 or not versions or not isinstance(versions[0], int):
        raise LibraryRefused(
            f"the schema {SCHEMA!r} in this database is not a Distribution Architect library: "
            "it is left untouched"
        )
    if versions[0] > LIBRARY_VERSION:
        raise LibraryRefused(
            f"this team library was made by a newer Distribution Architect (library version {versions[0]}, "
            f"this program knows up to {LIBRARY_VERSION}): update the app to use it"
        )
    return versions[0]


def psycopg_errors():
    from psycopg import errors

    return errors


def _tables(conn: psycopg.Connection[Any]) -> set[str]:
    rows = conn.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s",
        (SCHEMA,),
    ).fetchall()
    return {row[0] for row in rows}


def _rollback_quietly(conn: psycopg.Connection[Any]) -> None:
    try:
        conn.rollback()
    except Exception:  # noqa: BLE001
        pass


def check(conn: psycopg.Connection[Any]) -> int:
    """The library's version, or a LibraryError saying why this database holds no usable library."""
    version = _state(conn)
    if version is None:
        raise NoLibrary(
            "this database has no team library yet: run `distribution-architect library init ADDRESS` "
            "(as a role that may create schemas)"
        )
    if version < LIBRARY_VERSION:
        raise LibraryRefused(
            f"this team library is an older version ({version}): run `distribution-architect library init "
            "ADDRESS` to bring it up to date"
        )
    return version


def init(conn: psycopg.Connection[Any]) -> str:
    """Create or migrate the library; returns what was done, for the command line."""
    from psycopg import sql

    from desktop.store.library.tables import statements

    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
        current = _state(conn)
        if current == LIBRARY_VERSION:
            _grant(conn)
            return f"the team library is up to date (version {LIBRARY_VERSION})"
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(SCHEMA)))
        for version in range((current or 0) + 1, LIBRARY_VERSION + 1):
            for statement in statements(version):  # DDL generated from our own tables, no values
                conn.execute(statement)
        table = sql.Identifier(SCHEMA, "schema_version")
        conn.execute(sql.SQL("DELETE FROM {}").format(table))
        conn.execute(
            sql.SQL("INSERT INTO {} (application, version) VALUES (%s, %s)").format(table),
            (APPLICATION, LIBRARY_VERSION),
        )
        _grant(conn)
    verb = "created" if current is None else f"migrated from version {current} to"
    return f"{verb} the team library (version {LIBRARY_VERSION})"


def _grant(conn: psycopg.Connection[Any]) -> None:
    """Give the editor and viewer roles, where they exist, what they need (idempotent)."""
    from psycopg import sql

    existing = {
        row[0]
        for row in conn.execute(
            "SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)", ([EDITOR_ROLE, VIEWER_ROLE],)
        ).fetchall()
    }
    schema = sql.Identifier(SCHEMA)
    for role, tables, sequences in (
        (VIEWER_ROLE, "SELECT", None),
        (EDITOR_ROLE, "SELECT, INSERT, UPDATE, DELETE", "USAGE, SELECT"),
    ):
        if role not in existing:
            continue
        who = sql.Identifier(role)
        conn.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema, who))
        conn.execute(sql.SQL(f"GRANT {tables} ON ALL TABLES IN SCHEMA {{}} TO {{}}").format(schema, who))  # noqa: S608 - fixed words
        if sequences:
            conn.execute(
                sql.SQL(f"GRANT {sequences} ON ALL SEQUENCES IN SCHEMA {{}} TO {{}}").format(schema, who)
            )
