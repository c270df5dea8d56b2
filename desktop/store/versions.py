"""Named, immutable versions (snapshots) of a map inside its `.distarch` file (schema 2).

Plain `sqlite3` on the document's connection, like document.py: the Versions
dock lists them whenever a map opens, which must not pay for importing
SQLAlchemy (see schema.py).
"""

from __future__ import annotations

from desktop.document.repository import VersionInfo
from desktop.domain import interchange
from desktop.domain.errors import MapError
from desktop.domain.model import ArchitectureMap, fold
from desktop.store.document import MapDocument, now
from desktop.store.schema import SCORES, VERSION


def _count(key: str) -> str:
    """How many channels or flows a snapshot holds (None for a snapshot that is not JSON)."""
    return f"CASE WHEN json_valid(snapshot) THEN json_array_length(snapshot, '$.{key}') END"


_LIST = (
    f"SELECT name, note, created, score, {_count('channels')}, {_count('flows')}, "
    f"history_index FROM {VERSION.name} ORDER BY created, id"
)
_SNAPSHOT = f"SELECT snapshot FROM {VERSION.name} WHERE name = ?"
_COUNT_SCORES = f"SELECT count(*) FROM {SCORES.name}"
_INSERT = f"INSERT INTO {VERSION.name} (name, note, created, score, snapshot, history_index) VALUES (?, ?, ?, ?, ?, ?)"
_RENAME = f"UPDATE {VERSION.name} SET name = ? WHERE name = ?"
_DELETE = f"DELETE FROM {VERSION.name} WHERE name = ?"


def _rows(doc: MapDocument) -> list[VersionInfo]:
    return [
        VersionInfo(name, note, created, score, channels or 0, flows or 0, index)
        for name, note, created, score, channels, flows, index in doc.connection.execute(_LIST).fetchall()
    ]


def list_versions(doc: MapDocument) -> list[VersionInfo]:
    if doc.schema_version < 2:
        return []
    return _rows(doc)


def find(doc: MapDocument, name: str) -> VersionInfo | None:
    return next((v for v in list_versions(doc) if fold(v.name) == fold(name)), None)


def save_version(
    doc: MapDocument,
    name: str,
    note: str,
    arch: ArchitectureMap,
    score: float,
    kept: VersionInfo | None = None,
) -> VersionInfo:
    clean = name.strip()
    if not clean:
        raise MapError("a version needs a name")
    if len(clean) > 120:
        raise MapError("a version name is at most 120 characters")
    existing = find(doc, clean)
    if existing is not None:
        raise MapError(f"a version named {existing.name!r} already exists")
    snapshot = interchange.dumps(arch)
    with doc.transaction() as c:
        count = c.execute(_COUNT_SCORES).fetchone()[0] or 0
        if kept is not None:  # undoing its deletion: it comes back as it was
            c.execute(_INSERT, (clean, note, kept.created, score, snapshot, kept.history_index))
        else:
            c.execute(_INSERT, (clean, note, now(), score, snapshot, count))
    found = find(doc, clean)
    assert found is not None
    return found


def load_version(doc: MapDocument, name: str) -> ArchitectureMap:
    info = find(doc, name)
    if info is None:
        known = ", ".join(repr(v.name) for v in list_versions(doc)) or "none saved yet"
        raise MapError(f"no version named {name.strip()!r} (versions: {known})")
    row = doc.connection.execute(_SNAPSHOT, (info.name,)).fetchone()
    text = row[0] if row else None
    return interchange.loads(text or "")


def rename_version(doc: MapDocument, old: str, new: str) -> None:
    info = find(doc, old)
    if info is None:
        raise MapError(f"no version named {old!r}")
    clean = new.strip()
    if not clean:
        raise MapError("a version needs a name")
    other = find(doc, clean)
    if other is not None and other.name != info.name:
        raise MapError(f"a version named {clean!r} already exists")
    with doc.transaction() as c:
        c.execute(_RENAME, (clean, info.name))


def delete_version(doc: MapDocument, name: str) -> None:
    info = find(doc, name)
    if info is None:
        raise MapError(f"no version named {name!r}")
    with doc.transaction() as c:
        c.execute(_DELETE, (info.name,))
