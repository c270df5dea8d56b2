"""Named, immutable versions (snapshots) of a map inside its `.distarch` file (schema 2)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update

from desktop.domain import interchange
from desktop.domain.errors import MapError
from desktop.domain.model import ArchitectureMap, fold
from desktop.store.document import MapDocument, now
from desktop.store.tables import SCORES_TABLE_NAME, VersionRow

VERSIONS = VersionRow.__table__


@dataclass(frozen=True)
class VersionInfo:
    name: str
    note: str
    created: str
    score: float
    history_index: int


def _rows(doc: MapDocument) -> list[VersionInfo]:
    rows = doc.connection.execute(select(VERSIONS).order_by(VERSIONS.c.id)).all()
    doc.connection.rollback()
    return [VersionInfo(r.name, r.note, r.created, r.score, r.history_index) for r in rows]


def list_versions(doc: MapDocument) -> list[VersionInfo]:
    if doc.schema_version < 2:
        return []
    return _rows(doc)


def find(doc: MapDocument, name: str) -> VersionInfo | None:
    return next((v for v in list_versions(doc) if fold(v.name) == fold(name)), None)


def save_version(doc: MapDocument, name: str, note: str, arch: ArchitectureMap, score: float) -> VersionInfo:
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
        count = c.exec_driver_sql(f"SELECT count(*) FROM {SCORES_TABLE_NAME}").scalar() or 0
        c.execute(
            insert(VERSIONS).values(
                name=clean, note=note, created=now(), score=score, snapshot=snapshot, history_index=count
            )
        )
    found = find(doc, clean)
    assert found is not None
    return found


def load_version(doc: MapDocument, name: str) -> ArchitectureMap:
    info = find(doc, name)
    if info is None:
        known = ", ".join(repr(v.name) for v in list_versions(doc)) or "none saved yet"
        raise MapError(f"no version named {name.strip()!r} (versions: {known})")
    text = doc.connection.execute(select(VERSIONS.c.snapshot).where(VERSIONS.c.name == info.name)).scalar()
    doc.connection.rollback()
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
        c.execute(update(VERSIONS).where(VERSIONS.c.name == info.name).values(name=clean))


def delete_version(doc: MapDocument, name: str) -> None:
    info = find(doc, name)
    if info is None:
        raise MapError(f"no version named {name!r}")
    with doc.transaction() as c:
        c.execute(delete(VERSIONS).where(VERSIONS.c.name == info.name))
