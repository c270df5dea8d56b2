"""Disk full and I/O errors: the user is told, the window shows what the file holds, nothing is corrupted.

Two ways to make writes fail: `PRAGMA max_page_count` on the document's own
connection (SQLite then answers "database or disk is full", everywhere), and a
real, tiny tmpfs filled to the last byte (root only; skipped cleanly where
mounting is not permitted), which can also be remounted read-only.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.app import MainWindow
from desktop.domain import interchange
from desktop.domain import operations as ops
from desktop.domain.layers import Layer
from desktop.domain.model import ArchitectureMap, MapInfo
from desktop.store.document import MapDocument, StoreWriteError, human_sqlite_error, write_new_file
from tests.document.crash_worker import REPO, big_map
from tests.ui.helpers import file_map, new_map_file

NOTES = "a long note about this channel " * 300


def problem_texts(w: MainWindow) -> list[str]:
    return [b.text() for b in w.findChildren(QMessageBox, "problemDialog") if b.isVisible()]


def integrity(path: Path) -> str:
    with MapDocument.open(path, read_only=True) as doc:
        result = doc.connection.execute("PRAGMA integrity_check").fetchone()[0]
    return str(result)


def add_until_refused(w: MainWindow, limit: int = 400) -> int:
    """Add channels with long notes until a write fails; returns how many were saved."""
    for n in range(limit):
        edits = ops.add_channel(w.session.map, f"Filler {n}", Layer.CAPTURE, notes=NOTES)
        if not w.session.perform(f"Add filler {n}", edits):
            return n
    raise AssertionError("the disk never filled")


def assert_window_equals_file(w: MainWindow, path: Path) -> None:
    assert w.session.map.same_content(file_map(path))
    assert integrity(path) == "ok"


def test_a_full_database_is_reported_and_rolled_back(qtbot, tmp_path):
    path = new_map_file(tmp_path, sample=True)
    w = MainWindow(path)
    qtbot.addWidget(w)
    raw = w.session.repository._conn  # the document's own connection, as the brief of this test says
    pages = raw.execute("PRAGMA page_count").fetchone()[0]
    raw.execute(f"PRAGMA max_page_count={pages + 2}")
    saved = add_until_refused(w)
    texts = problem_texts(w)
    assert len(texts) == 1 and "the disk is full" in texts[0]
    assert w.saved_label.text() == "Saved"  # the window shows exactly what the file holds
    assert_window_equals_file(w, path)
    assert len(w.session.map) == 20 + saved
    assert w.session.undo_stack.count() == 0  # the history no longer matches the file: it is cleared

    raw.execute("PRAGMA max_page_count=1073741823")  # space returns
    assert w.session.perform(
        "Add", ops.add_channel(w.session.map, "After the space came back", Layer.ROUTING)
    )
    assert_window_equals_file(w, path)
    assert file_map(path).channel_by_name("After the space came back") is not None


def test_a_failed_undo_is_rolled_back_too(qtbot, tmp_path, monkeypatch):
    import desktop.store.document as document

    path = new_map_file(tmp_path, sample=True)
    w = MainWindow(path)
    qtbot.addWidget(w)
    session = w.session
    victim = session.map.channels[0]
    assert session.perform("Delete", ops.delete(session.map, [victim.id]))
    real = document._write_edits

    def full(c, edits):
        real(c, edits[:1])
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(document, "_write_edits", full)
    session.undo_stack.undo()  # putting the channel back needs space the disk does not have
    qtbot.waitUntil(lambda: session.undo_stack.count() == 0)  # the history no longer matches the file
    texts = problem_texts(w)
    assert texts and "the disk is full" in texts[0], texts
    assert not session.map.has_channel(victim.id)
    assert_window_equals_file(w, path)
    monkeypatch.setattr(document, "_write_edits", real)
    assert session.perform("Add", ops.add_channel(session.map, "Carry on", Layer.CAPTURE))
    assert_window_equals_file(w, path)


def test_messages_name_the_problem():
    assert "the disk is full" in human_sqlite_error(Exception("database or disk is full"), "m.distarch")
    assert "read-only" in human_sqlite_error(Exception("attempt to write a readonly database"), "m.distarch")
    assert "another program" in human_sqlite_error(Exception("database is locked"), "m.distarch")
    assert "disk reported an error" in human_sqlite_error(Exception("disk I/O error"), "m.distarch")


# --- a real, tiny filesystem ---------------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "small"
    mount.mkdir()
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root on Linux")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"mount is not permitted here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        QApplication.processEvents()
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path) -> Path:
    """Fill the filesystem to the last byte; returns the filler file to delete later."""
    filler = folder / "filler.bin"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for size in (1 << 20, 1 << 16, 1 << 12, 512, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                continue
    finally:
        os.close(fd)
    return filler


def test_a_full_disk_is_reported_and_nothing_is_corrupted(qtbot, small_disk):
    path = small_disk / "map.distarch"
    write_new_file(path, interchange.loads((REPO / "resources/samples/sample.json").read_bytes()))
    w = MainWindow(path)
    qtbot.addWidget(w)
    filler = fill(small_disk)
    saved = add_until_refused(w)
    texts = problem_texts(w)
    assert texts and "the disk is full" in texts[0], texts
    assert len(w.session.map) == 20 + saved
    assert_window_equals_file(w, path)

    # Creating, importing and copying on the full disk fail cleanly, leaving nothing behind.
    with pytest.raises(StoreWriteError, match="disk is full|No space"):
        write_new_file(small_disk / "new.distarch", big_map(200))
    with pytest.raises(StoreWriteError):
        w.session.repository.save_copy(small_disk / "copy.distarch")
    leftovers = sorted(p.name for p in small_disk.iterdir())
    assert leftovers == ["filler.bin", "map.distarch", "map.distarch-shm", "map.distarch-wal"]

    filler.unlink()  # space returns
    assert w.session.perform("Add", ops.add_channel(w.session.map, "After the cleanup", Layer.FEEDBACK))
    assert_window_equals_file(w, path)
    w.close()
    assert integrity(path) == "ok"


def test_the_cli_on_a_full_disk_exits_2_and_changes_nothing(small_disk, tmp_path, fork_server):
    target = small_disk / "target.distarch"
    write_new_file(target, ArchitectureMap(info=MapInfo("Target")))
    source = tmp_path / "inventory.json"
    source.write_text(interchange.dumps(big_map(400, prefix="Imported")), encoding="utf-8")
    before = file_map(target)
    filler = fill(small_disk)
    for args in (["import", str(source), "--into", str(target)], ["new", str(small_disk / "new.distarch")]):
        result = fork_server.cli(args, tmp_path / args[0])
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 2 and len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
        assert "full" in lines[0] or "space" in lines[0], lines[0]
    filler.unlink()
    assert file_map(target).same_content(before)
    assert integrity(target) == "ok"
    left = sorted(p.name for p in small_disk.iterdir())
    assert left[0] == "target.distarch" and set(left[1:]) <= {"target.distarch-wal", "target.distarch-shm"}
    assert not Path(f"{target}-wal").exists() or Path(f"{target}-wal").stat().st_size == 0
    imported = fork_server.cli(["import", str(source), "--into", str(target)], tmp_path / "again")
    assert imported.returncode == 0, imported.stderr  # with space again, the same import works
    assert len(file_map(target)) == 400


def test_an_io_error_midway_through_an_edit_is_rolled_back(qtbot, tmp_path, monkeypatch):
    """The disk fails after part of an edit was written: the transaction is undone as a whole."""
    import desktop.store.document as document

    path = new_map_file(tmp_path, sample=True)
    w = MainWindow(path)
    qtbot.addWidget(w)
    real = document._write_edits

    def failing(c, edits):
        real(c, edits[:1])
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(document, "_write_edits", failing)
    doomed = ops.paste(
        w.session.map, ops.copy_selection(w.session.map, [c.id for c in w.session.map.channels[:3]])
    )
    assert len(doomed) > 1
    assert not w.session.perform("Paste", doomed)
    texts = problem_texts(w)
    assert texts and "the disk reported an error" in texts[0], texts
    assert_window_equals_file(w, path)
    assert len(w.session.map) == 20
    monkeypatch.setattr(document, "_write_edits", real)
    assert w.session.perform("Paste", ops.paste(w.session.map, ops.copy_selection(w.session.map, ["c1"])))
    assert_window_equals_file(w, path)
