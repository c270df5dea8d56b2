"""Messages of the command line that must not mislead (issue 17, point 6), and every problem listed.

Each test runs the real `main.py` in a child process: what holds a map's lock
(another command or another window) and a short wait before refusing; folders,
FIFOs and devices named for what they are; export failures naming the file the
user asked for, with the reason ("the disk is full").
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop.domain import interchange
from desktop.resources import sample_map_path
from desktop.store.document import MapDocument
from tests.cli.test_cli import ROOT, cli
from tests.store.test_write_failures import fill, small_disk  # noqa: F401 - a fixture

HOLDER = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {root!r})
    from pathlib import Path
    from desktop.store.locking import FileLock
    lock = FileLock.try_acquire(Path(sys.argv[2]))
    print("held" if lock else "refused", flush=True)
    time.sleep(float(sys.argv[3]))
    """
)


def hold(tmp_path: Path, role: str, target: Path, seconds: float) -> subprocess.Popen[str]:
    """A process named like a command (`… version MAP`) or a window (`… window MAP`) holding the lock."""
    script = tmp_path / "holder.py"
    script.write_text(HOLDER.format(root=str(ROOT)), encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, str(script), role, str(target), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def new_map(tmp_path: Path) -> Path:
    target = tmp_path / "m.distarch"
    assert cli("new", str(target)).returncode == 0
    return target


def refused_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    return result.stderr.strip().splitlines()


@pytest.mark.parametrize(
    ("role", "words"),
    [("version", "being changed by another command (version"), ("window", "open in another window")],
)
def test_the_refusal_says_what_holds_the_lock(tmp_path, role, words):
    target = new_map(tmp_path)
    holder = hold(tmp_path, role, target, 30)
    try:
        (line,) = refused_lines(cli("import", str(sample_map_path()), "--into", str(target)))
        assert words in line and f"process {holder.pid}" in line
    finally:
        holder.kill()
        holder.wait()
    with MapDocument.open(target, read_only=True) as doc:
        assert len(doc.load()) == 0


def test_a_command_waits_briefly_for_another_commands_lock(tmp_path):
    target = new_map(tmp_path)
    holder = hold(tmp_path, "version", target, 1.0)
    try:
        result = cli("import", str(sample_map_path()), "--into", str(target))
    finally:
        holder.wait()
    assert result.returncode == 0, result.stderr
    with MapDocument.open(target, read_only=True) as doc:
        assert len(doc.load()) == 20


def test_folders_fifos_and_devices_are_named_for_what_they_are(tmp_path):
    folder = tmp_path / "inventory.csv"
    folder.mkdir()
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    target = str(tmp_path / "m.distarch")
    cases = [
        (folder, "is a folder, not a file"),
        (fifo, "is a FIFO (named pipe), not a file"),
        (Path("/dev/null"), "/dev/null is a device, not a file"),
        (tmp_path / "missing.csv", "missing.csv does not exist"),
    ]
    for path, words in cases:
        (line,) = refused_lines(cli("import", str(path), "--into", target))
        assert words in line, line
        assert "does not exist" not in line or "missing" in line
    folder_map = tmp_path / "folder.distarch"
    folder_map.mkdir()
    (line,) = refused_lines(cli("new", str(folder_map)))
    assert "is a folder" in line
    assert not (tmp_path / "m.distarch").exists()


def test_export_errors_name_the_target_not_the_temp_file(tmp_path):
    target = tmp_path / "m.distarch"
    assert cli("import", str(sample_map_path()), "--into", str(target)).returncode == 0
    for name in ("out.png", "out.csv", "out.json"):
        folder = tmp_path / name
        folder.mkdir()
        (line,) = refused_lines(cli("export", str(target), "--to", str(folder)))
        assert name in line and ".tmp" not in line and f"{name}." not in line, line


def test_a_full_disk_names_the_file(tmp_path, small_disk):  # noqa: F811 - the fixture
    target = tmp_path / "m.distarch"
    assert cli("import", str(sample_map_path()), "--into", str(target)).returncode == 0
    filler = fill(small_disk)
    try:
        for name in ("out.csv", "out.pdf"):
            (line,) = refused_lines(cli("export", str(target), "--to", str(small_disk / name)))
            assert name in line and "disk is full" in line and ".tmp" not in line, line
    finally:
        filler.unlink()
    assert sorted(p.name for p in small_disk.iterdir()) == []


def test_every_problem_is_listed_on_its_own_line_with_its_row(tmp_path):
    rows = ["name,layer"] + [f"Channel {n},nowhere" for n in range(1, 26)]
    source = tmp_path / "inventory.csv"
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    lines = refused_lines(cli("import", str(source), "--into", str(tmp_path / "m.distarch")))
    assert len(lines) == 21
    for number, line in enumerate(lines[:20], start=2):
        assert line.startswith(f"error: inventory.csv row {number}: unknown layer 'nowhere'"), line
    assert lines[20] == "error: … and 5 more"
    two = tmp_path / "two.csv"
    two.write_text("name,layer\nA,capture\nA,nowhere\n", encoding="utf-8")
    lines = refused_lines(cli("import", str(two), "--into", str(tmp_path / "m.distarch")))
    assert lines == [
        "error: two.csv row 3: duplicate name 'A' (first on row 2)",
        "error: two.csv row 3: unknown layer 'nowhere' (use one of: capture, routing, execution, feedback)",
    ]
    assert not (tmp_path / "m.distarch").exists()


def test_a_layer_cell_may_hold_the_layers_number(tmp_path):
    source = tmp_path / "inventory.csv"
    source.write_text("name,layer\nAds,1\nScoring,2\nSDR,3\nSurvey,4.0\n", encoding="utf-8")
    target = tmp_path / "m.distarch"
    result = cli("import", str(source), "--into", str(target))
    assert result.returncode == 0, result.stderr
    out = tmp_path / "m.json"
    assert cli("export", str(target), "--to", str(out)).returncode == 0
    layers = {c.name: c.layer.value for c in interchange.loads(out.read_bytes()).channels}
    assert layers == {"Ads": "capture", "Scoring": "routing", "SDR": "execution", "Survey": "feedback"}
