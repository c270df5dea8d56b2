"""The `.distarch` store: round trips, every kind of edit, migration with a backup, refusals, copies,
stale temp files, and SQLite's locks kept while other descriptors of the map open and close."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path

import pytest

from desktop.cli import run_command
from desktop.domain import interchange
from desktop.domain import operations as ops
from desktop.domain.edits import apply_all
from desktop.domain.errors import MapError
from desktop.domain.layers import Layer
from desktop.domain.model import ArchitectureMap, MapInfo
from desktop.resources import sample_map_path
from desktop.store import locking, versions
from desktop.store.document import MapDocument, StoreWriteError, write_new_file
from desktop.store.files import remove_stale_temps
from desktop.store.safety import FileRefused, inspect
from desktop.store.tables import SCHEMA_VERSION
from tests.document.crash_worker import big_map


def sample() -> ArchitectureMap:
    return interchange.loads(sample_map_path().read_bytes())


def stored(path: Path) -> ArchitectureMap:
    with MapDocument.open(path, read_only=True) as doc:
        return doc.load()


def write(doc: MapDocument, arch: ArchitectureMap, edits) -> None:
    apply_all(arch, edits)
    doc.write(edits)


def test_json_to_distarch_to_json_is_identical(tmp_path):
    original = sample()
    path = tmp_path / "acme.distarch"
    write_new_file(path, original)
    assert interchange.dumps(stored(path)) == interchange.dumps(original)

    via_cli = tmp_path / "cli.distarch"
    out = tmp_path / "out.json"
    assert run_command(["import", str(sample_map_path()), "--into", str(via_cli)]) == 0
    assert run_command(["export", str(via_cli), "--to", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == interchange.to_dict(original)


def test_every_kind_of_edit_is_stored_and_reloaded(tmp_path):
    path = tmp_path / "edits.distarch"
    write_new_file(path, sample())
    with MapDocument.open(path) as doc:
        arch = doc.load()
        a, b, c = (ch.id for ch in arch.channels[:3])
        write(doc, arch, ops.add_channel(arch, "Webinars 2027", Layer.EXECUTION, notes="n\u00e9w \U0001f680"))
        write(doc, arch, ops.update_channel(arch, a, name="Paid search (brand)", monthly_spend=1.5))
        write(doc, arch, ops.move_channels(arch, {b: (420.0, 900.0)}))
        write(doc, arch, ops.connect(arch, a, c, rule="score >= 70", label="hot"))
        write(doc, arch, ops.update_flow(arch, a, c, rule="score >= 80"))
        write(doc, arch, ops.delete(arch, [], flows=[(a, c)]))
        write(doc, arch, ops.delete(arch, [b]))
        write(doc, arch, ops.rename_map(arch, "Renamed", "A description"))
        write(doc, arch, ops.paste(arch, ops.copy_selection(arch, [a, c])))
    again = stored(path)
    assert again.same_content(arch)
    assert again.info.name == "Renamed" and again.info.description == "A description"


def test_an_old_file_is_migrated_with_a_backup_kept(tmp_path):
    path = tmp_path / "old.distarch"
    write_new_file(path, big_map(12), schema_version=1)
    assert inspect(path) == 1
    with MapDocument.open(path) as doc:
        assert doc.schema_version == SCHEMA_VERSION
        arch = doc.load()
        versions.save_version(doc, "After migration", "", arch, 50.0)
    backup = Path(f"{path}.bak-v1")
    assert inspect(backup) == 1
    assert stored(backup).same_content(arch)
    assert inspect(path) == SCHEMA_VERSION
    before = backup.read_bytes()
    with MapDocument.open(path) as doc:
        assert [v.name for v in versions.list_versions(doc)] == ["After migration"]
    assert backup.read_bytes() == before
    leftovers = sorted(p.name for p in tmp_path.iterdir())
    assert leftovers == ["old.distarch", "old.distarch.bak-v1"]


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: None, "does not exist"),
        (lambda p: p.mkdir(), "is a folder, not a file"),
        (lambda p: p.write_bytes(b""), "is empty"),
        (lambda p: p.write_text("name,layer\n"), "not an SQLite database"),
    ],
)
def test_refused_files_get_one_line(tmp_path, make, words):
    path = tmp_path / "bad.distarch"
    make(path)
    with pytest.raises(FileRefused, match=words) as refused:
        MapDocument.open(path)
    assert "\n" not in str(refused.value)


def test_creating_never_replaces_by_accident(tmp_path):
    path = tmp_path / "m.distarch"
    write_new_file(path, sample())
    with pytest.raises(MapError, match="already exists"):
        write_new_file(path, ArchitectureMap())
    with pytest.raises(MapError, match="does not exist"):
        write_new_file(tmp_path / "missing" / "m.distarch", ArchitectureMap())
    with MapDocument.open(path), pytest.raises(MapError, match="open in a window"):
        write_new_file(path, ArchitectureMap(), overwrite=True)
    write_new_file(path, ArchitectureMap(info=MapInfo("Replaced")), overwrite=True)
    assert stored(path).info.name == "Replaced"


def test_text_sqlite_cannot_store_is_refused_cleanly(tmp_path):
    arch = ArchitectureMap(info=MapInfo("Bad \ud800 text"))
    with pytest.raises(StoreWriteError, match="not valid Unicode"):
        write_new_file(tmp_path / "m.distarch", arch)
    assert list(tmp_path.iterdir()) == []


def test_save_a_copy(tmp_path):
    path = tmp_path / "m.distarch"
    write_new_file(path, sample())
    other = tmp_path / "other.distarch"
    write_new_file(other, ArchitectureMap())
    with MapDocument.open(path) as doc, MapDocument.open(other) as busy:
        copy = tmp_path / "copy.distarch"
        doc.save_copy(copy)
        assert stored(copy).same_content(doc.load())
        with pytest.raises(MapError, match="open in a window"):
            doc.save_copy(path)
        with pytest.raises(MapError, match="open in a window"):
            doc.save_copy(other)
        assert not busy.read_only
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.distarch", "m.distarch", "other.distarch"]


def test_stale_temp_files_are_removed_but_never_a_live_one(tmp_path):
    path = tmp_path / "m.distarch"
    stale = tmp_path / ".m.distarch.abc123.tmp"
    stale.write_bytes(b"half a map")
    Path(f"{stale}-wal").write_bytes(b"x")
    orphan = tmp_path / ".m.distarch.gone99.tmp-shm"
    orphan.write_bytes(b"x")
    live = tmp_path / ".m.distarch.live42.tmp"
    live.write_bytes(b"being written")
    unrelated = tmp_path / ".other.distarch.abc.tmp"
    unrelated.write_bytes(b"not ours")
    fd = os.open(live, os.O_RDONLY)
    try:
        assert locking.flock_exclusive(fd)
        write_new_file(path, sample())
        assert live.exists() and unrelated.exists()
        assert not stale.exists() and not Path(f"{stale}-wal").exists() and not orphan.exists()
    finally:
        os.close(fd)
    assert remove_stale_temps(path) == [live]


def test_hostile_values_in_history_and_settings_are_harmless(tmp_path):
    path = tmp_path / "m.distarch"
    write_new_file(path, sample())
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO score_history(timestamp, score, components) VALUES ('t', 1, '{\"a\": \"x\"}')")
    conn.execute("INSERT INTO score_history(timestamp, score, components) VALUES ('t', 2, '[[[[')")
    conn.execute("INSERT INTO setting(key, value) VALUES ('theme', 42)")
    conn.commit()
    conn.close()
    with MapDocument.open(path) as doc:
        assert [p.components for p in doc.score_history()][-2:] == [{}, {}]
        assert doc.setting("theme", "light") in ("42", "light")


# --- SQLite's POSIX locks -------------------------------------------------------------------------
def sqlite_read_locks(path: Path) -> list[str]:
    """This process's POSIX locks on the file, from /proc/locks (SQLite's SHARED lock in WAL mode)."""
    inode = os.stat(path).st_ino
    pid = str(os.getpid())
    found = []
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if "POSIX" in fields and pid in fields and any(f.endswith(f":{inode}") for f in fields):
            found.append(line)
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/locks")
def test_other_descriptors_never_drop_sqlites_locks(tmp_path):
    path = tmp_path / "m.distarch"
    write_new_file(path, big_map(6), schema_version=1)
    link = tmp_path / "link.distarch"
    with MapDocument.open(path) as writer:  # migrates: the backup copy must not drop the lock
        writer.load()
        assert sqlite_read_locks(path), "SQLite holds a SHARED lock in WAL mode"
        os.link(path, link)
        with MapDocument.open(link) as second:  # a second window, by another name: read-only
            assert second.read_only
            second.load()
        assert sqlite_read_locks(path)
        inspect(link)
        assert locking.FileLock.try_acquire(link) is None
        assert sqlite_read_locks(path)
        with MapDocument.open(path, read_only=True) as reader:
            reader.load()
            reader_locks = sqlite_read_locks(path)
        assert sqlite_read_locks(path) and reader_locks
    assert sqlite_read_locks(path) == []


def test_a_new_map_gets_the_usual_permissions_and_a_replaced_one_keeps_its_own(tmp_path):
    path = tmp_path / "m.distarch"
    write_new_file(path, sample())
    mask = os.umask(0o022)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask
    path.chmod(0o640)
    write_new_file(path, ArchitectureMap(), overwrite=True)
    assert path.stat().st_mode & 0o777 == 0o640
