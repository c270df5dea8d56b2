"""Two programs creating the same map: one wins, the other merges or is refused; nothing is lost silently.

And a refused import leaves a map's bytes exactly as they were, even one that
another tool switched to SQLite's rollback journal (opening it for writing
would convert it to WAL first).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.domain import interchange
from desktop.domain.layers import Layer
from desktop.domain.model import ArchitectureMap, Channel, MapInfo
from desktop.store.document import CreatedMeanwhile, MapDocument, write_new_file
from tests.document.crash_worker import REPO

WORKER = Path(__file__).with_name("race_worker.py")
ENV = dict(os.environ, QT_QPA_PLATFORM="offscreen")


def inventory(path: Path, prefix: str, count: int = 50) -> Path:
    channels = [Channel(f"c{i}", f"{prefix} {i}", Layer.CAPTURE, ord=i) for i in range(1, count + 1)]
    path.write_text(
        interchange.dumps(ArchitectureMap.build(channels, info=MapInfo(prefix))), encoding="utf-8"
    )
    return path


def start(gate: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), str(gate), *args],
        cwd=REPO,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(path: Path, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while not path.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.02)


def race(tmp_path: Path, first: list[str], second: list[str]) -> list[tuple[int, str, str]]:
    """Both commands pass the existence check; then `first` commits, then `second`."""
    gates = [tmp_path / "gate-1", tmp_path / "gate-2"]
    procs = [start(gates[0], *first), start(gates[1], *second)]
    results = []
    try:
        for gate, proc in zip(gates, procs, strict=True):
            wait_for(Path(f"{gate}.reached"), proc)
        for gate, proc in zip(gates, procs, strict=True):
            gate.touch()
            out, err = proc.communicate(timeout=120)
            results.append((proc.returncode, out, err))
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return results


def names(path: Path) -> set[str]:
    with MapDocument.open(path, read_only=True) as doc:
        return {c.name for c in doc.load().channels}


def test_two_imports_creating_the_same_map_lose_nothing(tmp_path):
    target = tmp_path / "NEW.distarch"
    a = inventory(tmp_path / "a.json", "Alpha")
    b = inventory(tmp_path / "b.json", "Beta")
    (code_a, out_a, err_a), (code_b, out_b, err_b) = race(
        tmp_path, ["import", str(a), "--into", str(target)], ["import", str(b), "--into", str(target)]
    )
    assert code_a == 0 and "created" in out_a, err_a
    held = names(target)
    assert {f"Alpha {i}" for i in range(1, 51)} <= held
    # The second found the map created meanwhile: it merged as a normal import would, or was refused.
    if code_b == 0:
        assert "imported into" in out_b
        assert {f"Beta {i}" for i in range(1, 51)} <= held
    else:
        assert code_b == 2 and "created meanwhile" in err_b and "Traceback" not in err_b


def test_new_racing_an_import_never_replaces_the_imported_map(tmp_path):
    target = tmp_path / "NEW.distarch"
    a = inventory(tmp_path / "a.json", "Alpha")
    (code_import, out, err), (code_new, _, err_new) = race(
        tmp_path, ["import", str(a), "--into", str(target)], ["new", str(target)]
    )
    assert code_import == 0, err
    assert code_new == 2, "both claimed to create the map"
    lines = err_new.strip().splitlines()
    assert len(lines) == 1 and "was created meanwhile" in lines[0], err_new
    assert len(names(target)) == 50


def test_creating_is_exclusive_in_one_process_too(tmp_path, monkeypatch):
    """The commit is a link that fails when the name is taken: a file made after the check survives."""
    import desktop.store.document as document

    target = tmp_path / "m.distarch"
    real = document.migrate
    done: list[bool] = []

    def meanwhile(conn, path, version, **kwargs):
        if path is None and not done:
            done.append(True)
            write_new_file(target, ArchitectureMap(info=MapInfo("The other one")))
        return real(conn, path, version, **kwargs)

    monkeypatch.setattr(document, "migrate", meanwhile)
    with pytest.raises(CreatedMeanwhile, match="m.distarch was created meanwhile"):
        write_new_file(target, ArchitectureMap(info=MapInfo("Mine")))
    monkeypatch.setattr(document, "migrate", real)
    with MapDocument.open(target, read_only=True) as doc:
        assert doc.load().info.name == "The other one"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.distarch"]  # no temp file left


def rollback_journal_map(path: Path) -> bytes:
    write_new_file(path, interchange.loads((REPO / "resources/samples/sample.json").read_bytes()))
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0] == "delete"
    conn.close()
    return path.read_bytes()


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "main.py", *args], cwd=REPO, env=ENV, capture_output=True, text=True, timeout=120
    )


def test_a_refused_import_leaves_a_rollback_journal_map_byte_identical(tmp_path):
    target = tmp_path / "m.distarch"
    before = rollback_journal_map(target)
    assert before[18:20] == b"\x01\x01"  # the header says: rollback journal (WAL would be 2, 2)
    clash = inventory(tmp_path / "clash.json", "Paid search", count=1)
    clash.write_text(clash.read_text().replace("Paid search 1", "Paid search"), encoding="utf-8")
    result = cli("import", str(clash), "--into", str(target))
    assert result.returncode == 2 and "already has a channel named 'Paid search'" in result.stderr
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clash.json", "m.distarch"]


def test_an_import_beyond_the_size_limit_leaves_the_map_byte_identical(tmp_path, monkeypatch):
    from desktop.domain import validation
    from desktop.store.importing import import_into

    monkeypatch.setattr(validation, "MAX_CHANNELS", 25)
    target = tmp_path / "m.distarch"
    before = rollback_journal_map(target)
    with pytest.raises(Exception, match="at most 25 channels"):
        import_into(target, interchange.loads(inventory(tmp_path / "more.json", "More", 6).read_bytes()))
    assert target.read_bytes() == before


def test_without_hard_links_the_name_is_claimed_exclusively(tmp_path, monkeypatch):
    """A filesystem with no hard links (FAT, some network shares): O_EXCL claims the name instead."""
    import errno

    import desktop.store.files as files

    def no_links(source, target):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(files.os, "link", no_links)
    target = tmp_path / "m.distarch"
    write_new_file(target, ArchitectureMap(info=MapInfo("First")))
    with MapDocument.open(target, read_only=True) as doc:
        assert doc.load().info.name == "First"
    other = tmp_path / ".m.distarch.other.tmp"
    other.write_bytes(b"another program's map")
    with pytest.raises(FileExistsError):
        files.fsync_link(other, target)
    other.unlink()
    with MapDocument.open(target, read_only=True) as doc:
        assert doc.load().info.name == "First"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.distarch"]
