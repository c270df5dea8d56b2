"""Never a silent second writer: a second window or process gets a clear read-only view.

Reading in another process (CLI score, export) works while a window edits and
sees every committed edit; a read-only file or folder opens read-only with a
visible notice (also for root, whom `os.access` lets write anything).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.app import MainWindow
from desktop.domain import interchange
from desktop.domain import operations as ops
from desktop.domain.layers import Layer
from desktop.store import locking
from desktop.store.document import MapDocument
from tests.document.crash_worker import REPO
from tests.ui.helpers import file_map, new_map_file

WORKER = Path(__file__).parents[1] / "document" / "crash_worker.py"
ENV = dict(os.environ, QT_QPA_PLATFORM="offscreen")


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "main.py", *args], cwd=REPO, capture_output=True, text=True, timeout=120, env=ENV
    )


def window(qtbot, path: Path) -> MainWindow:
    w = MainWindow(path)
    qtbot.addWidget(w)
    return w


def assert_read_only_view(w: MainWindow) -> None:
    assert w.session.read_only
    assert "[read-only]" in w.windowTitle()
    assert w.saved_label.text() == "Read-only"
    assert "read-only" in w.saved_label.toolTip()
    assert "read-only" in w.statusBar().currentMessage()
    assert not w.actions_by_name["delete"].isEnabled()
    before = w.session.map.copy()
    refused = []
    w.session.failed.connect(refused.append)
    assert not w.session.perform("Add", ops.add_channel(w.session.map, "Not allowed", Layer.CAPTURE))
    assert refused and "read-only" in refused[0]
    assert w.session.map.same_content(before)


def side_files(path: Path) -> list[str]:
    return [s for s in ("-wal", "-shm") if Path(f"{path}{s}").exists()]


def test_a_second_window_in_this_process_is_read_only(qtbot, tmp_path):
    path = new_map_file(tmp_path, sample=True)
    first = window(qtbot, path)
    second = window(qtbot, path)
    assert not first.session.read_only
    assert_read_only_view(second)
    assert "already open in another window" in second.session.repository.read_only_reason
    assert first.session.perform("Add", ops.add_channel(first.session.map, "From the first", Layer.ROUTING))
    assert file_map(path).channel_by_name("From the first") is not None


def test_the_same_file_by_another_name_is_still_the_same_file(qtbot, tmp_path):
    path = new_map_file(tmp_path)
    link = tmp_path / "link.distarch"
    os.link(path, link)
    symlink = tmp_path / "symlink.distarch"
    symlink.symlink_to(path)
    first = window(qtbot, path)
    assert not first.session.read_only
    for other in (link, symlink):
        with MapDocument.open(other) as doc:
            assert doc.read_only


def test_a_second_process_gets_a_read_only_window(qtbot, tmp_path):
    path = new_map_file(tmp_path, sample=True)
    first = window(qtbot, path)
    before = file_map(path)
    result = subprocess.run(
        [sys.executable, str(WORKER), "window", str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env=ENV,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["read_only"] is True and seen["accepted"] is False
    assert "[read-only]" in seen["title"] and seen["status"] == "Read-only"
    assert "open in another window" in seen["message"]
    assert file_map(path).same_content(before)
    assert first.session.perform("Add", ops.add_channel(first.session.map, "Still mine", Layer.CAPTURE))


def test_a_window_here_is_read_only_while_another_process_edits(qtbot, tmp_path):
    path = new_map_file(tmp_path, sample=True)
    holder = subprocess.Popen(
        [sys.executable, str(WORKER), "hold", str(path)],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        w = window(qtbot, path)
        assert_read_only_view(w)
        assert "open in another window" in w.session.repository.read_only_reason
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)


def test_only_one_of_several_processes_becomes_the_writer(tmp_path):
    path = new_map_file(tmp_path)
    holders = [
        subprocess.Popen(
            [sys.executable, str(WORKER), "hold", str(path)],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=ENV,
        )
        for _ in range(2)
    ]
    try:
        answers = [h.stdout.readline().strip() for h in holders]
    finally:
        for h in holders:
            h.stdin.close()
            h.wait(timeout=60)
    assert answers.count("held") == 1, answers
    assert all(a == "held" or a.startswith("readonly") for a in answers)


def test_reading_in_another_process_sees_committed_edits(qtbot, tmp_path, fork_server):
    path = new_map_file(tmp_path, sample=True)
    w = window(qtbot, path)
    assert w.session.perform("Add", ops.add_channel(w.session.map, "Fresh channel", Layer.EXECUTION))
    scored = cli("score", str(path), "--json")
    assert scored.returncode == 0, scored.stderr
    assert json.loads(scored.stdout)["score"] == pytest.approx(w.session.report.score, abs=0.05)
    assert w.session.perform("Add", ops.add_channel(w.session.map, "Fresher channel", Layer.FEEDBACK))
    out = tmp_path / "export.json"
    exported = fork_server.cli(["export", str(path), "--to", str(out)], tmp_path / "export")
    assert exported.returncode == 0, exported.stderr
    names = {c.name for c in interchange.loads(out.read_bytes()).channels}
    assert {"Fresh channel", "Fresher channel"} <= names
    source = tmp_path / "more.json"
    source.write_text(
        interchange.dumps(interchange.loads(out.read_bytes()).copy()).replace("Fresh", "Other"),
        encoding="utf-8",
    )
    before = file_map(path)
    imported = fork_server.cli(["import", str(source), "--into", str(path)], tmp_path / "import")
    assert imported.returncode == 2
    assert len(imported.stderr.strip().splitlines()) == 1 and "Traceback" not in imported.stderr
    assert "open in another window" in imported.stderr
    assert file_map(path).same_content(before)
    assert w.session.map.same_content(before)


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_file_or_folder_opens_read_only(qtbot, tmp_path, what):
    folder = tmp_path / "maps"
    folder.mkdir()
    path = new_map_file(folder, sample=True)
    data = path.read_bytes()
    target = path if what == "file" else folder
    mode = target.stat().st_mode
    target.chmod(0o444 if what == "file" else 0o555)
    try:
        reason = locking.why_read_only(path)
        assert "read-only" in reason and (what == "folder") == ("folder" in reason)
        w = window(qtbot, path)
        assert_read_only_view(w)
        assert len(w.session.map) == 20
        w.close()
        assert path.read_bytes() == data
        assert side_files(path) == []
        assert sorted(p.name for p in folder.iterdir()) == [path.name]
    finally:
        target.chmod(mode)
