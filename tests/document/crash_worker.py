"""The child processes of the reliability tests (run as a script, not collected by pytest).

`serve`: a fork server. Importing Qt, SQLAlchemy and the app takes about a
second; fifty crash trials that each paid it would take a minute. The server
imports once, then forks one child per trial; the child works the way the
window does (`MapEditor.perform` with domain operations: the one door the
window's session, the command line and remote edits share) and prints an
acknowledgement line after each edit that perform() reported saved. The test kills the child with SIGKILL. Messages on
stdout, one line each: `pid N` (the server), `start N` / `ack N` / `done` (the
child), `exit STATUS` (the server, once the child is gone).

`hold PATH`: open PATH for editing in this process, print `held`, then keep it
open until stdin closes (a second program editing the map).

`window PATH`: open a MainWindow (offscreen) on PATH and print, as JSON, what
a user would see: title, status, read-only, whether an edit was accepted.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LAYER_NAMES = ("capture", "routing", "execution", "feedback")
REPO = Path(__file__).resolve().parents[2]


def _say(text: str) -> None:
    os.write(1, (text + "\n").encode())


def big_map(count: int, prefix: str = "Channel"):
    """A map of `count` channels with positions and notes, built directly (no layout search)."""
    from desktop.domain.layers import Layer
    from desktop.domain.model import ArchitectureMap, Channel, Flow, MapInfo

    channels = [
        Channel(
            id=f"c{i}",
            name=f"{prefix} {i}",
            layer=Layer(LAYER_NAMES[i % 4]),
            tool="Tool",
            notes="n" * 300,
            monthly_spend=float(i),
            x=40.0 + 380 * (i % 4),
            y=40.0 + 90 * (i // 4),
            ord=i,
        )
        for i in range(1, count + 1)
    ]
    flows = [Flow(f"c{i}", f"c{i + 1}", "", "", i) for i in range(1, count, 2)]
    return ArchitectureMap.build(channels, flows, MapInfo(name=f"{prefix} map"))


# --- tasks run in a forked child ---------------------------------------------------------------
def task_edits(path: str) -> int:
    """Edit the map for ever: each edit adds channel E<n> and renames the map "rev <n>" in one perform."""
    from desktop.document.editor import MapEditor
    from desktop.domain import operations as ops
    from desktop.domain.layers import Layer
    from desktop.store.document import MapDocument

    document = MapDocument.open(path)
    if document.read_only:
        _say(f"readonly {document.read_only_reason}")
        return 3
    session = MapEditor(document)
    numbers = [int(c.name[1:]) for c in session.map.channels if c.name.startswith("E")]
    n = max(numbers, default=0) + 1
    _say(f"start {n}")
    previous = ""
    while True:
        arch = session.map
        edits = ops.add_channel(arch, f"E{n}", Layer(LAYER_NAMES[n % 4])) + ops.rename_map(arch, f"rev {n}")
        done = session.perform(f"Add E{n}", edits)
        if not done:
            _say("failed")
            return 4
        added = done.new_ids[0]
        _say(f"ack {n}")
        extra: list = []
        if n % 3 == 0:
            channel = arch.channel(added)
            extra = ops.move_channels(arch, {added: (channel.x or 0.0, (channel.y or 0.0) + 10)})
        elif n % 4 == 0:
            extra = ops.update_channel(arch, added, notes=f"notes of E{n} " * 20)
        elif previous and n % 5 == 0:
            extra = ops.connect(arch, previous, added, rule=f"rule {n}")
        saved = bool(extra) and session.perform("Extra", extra, merge_key="nudge" if n % 3 == 0 else "")
        if saved and n % 7 == 0:
            session.undo()
            session.redo()
        previous = added
        n += 1


def task_create(target: str, arch) -> int:
    from desktop.store.document import write_new_file

    _say("start 0")
    write_new_file(Path(target), arch)
    _say("done")
    return 0


def task_import(source: str, target: str) -> int:
    from desktop.cli import run_command

    _say("start 0")
    code = run_command(["import", source, "--into", target])
    _say(f"done {code}")
    return 0


def task_migrate(path: str) -> int:
    from desktop.store.document import MapDocument

    _say("start 0")
    MapDocument.open(path).close()
    _say("done")
    return 0


def task_cli(args: list[str], out: str, err: str) -> int:
    """`main.py ARGS` in this child: stdout and stderr go to files, the exit code is the CLI's."""
    import traceback

    from desktop.cli import run

    for fd, name in ((1, out), (2, err)):
        handle = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(handle, fd)
        os.close(handle)
    try:
        code = run(args)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # noqa: BLE001 - shown as the interpreter would show it
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    return code


def task_lock_drop(path: str) -> int:
    """Every way this process may touch the file outside SQLite, then acknowledged edits, then SIGKILL.

    Before the locking fix, the migration's copy (or closing a second window on
    the same file) closed a descriptor of the map, which dropped SQLite's
    SHARED lock; another program closing the file then deleted the live WAL,
    and the crash lost edits the window had confirmed.
    """
    from desktop.document.editor import MapEditor
    from desktop.domain import operations as ops
    from desktop.domain.layers import Layer
    from desktop.store.document import MapDocument
    from desktop.store.safety import inspect

    document = MapDocument.open(path)  # a schema-1 file: migrated, with a backup copy
    session = MapEditor(document)
    link = Path(f"{path}.link.distarch")
    link.unlink(missing_ok=True)
    os.link(path, link)
    second = MapDocument.open(link)  # the same file by another name: read-only
    second.load()
    second.close()
    try:
        inspect(link)
    except Exception as exc:  # noqa: BLE001 - reported to the test, not hidden
        _say(f"inspect {exc}")
    link.unlink()
    outsider = (
        "import sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1])\n"
        "c.execute('select count(*) from channel').fetchall()\n"
        "c.close()\n"
    )
    subprocess.run([sys.executable, "-c", outsider, path], check=True)
    for n in range(1, 4):
        if session.perform(f"Add E{n}", ops.add_channel(session.map, f"E{n}", Layer.CAPTURE)):
            _say(f"ack {n}")
    os.kill(os.getpid(), signal.SIGKILL)
    return 0


# --- the fork server -----------------------------------------------------------------------------
def serve() -> None:
    import PySide6.QtCore  # noqa: F401 - imported once here, inherited by every child
    import PySide6.QtGui  # noqa: F401

    import desktop.cli  # noqa: F401
    import desktop.document.editor  # noqa: F401
    import desktop.document.importing  # noqa: F401
    import desktop.domain.interchange  # noqa: F401
    import desktop.domain.operations  # noqa: F401
    from desktop.store.migrations import _statements
    from desktop.store.schema import SCHEMA_VERSION

    # Creating a file imports SQLAlchemy and the SQLModel tables lazily (the app's fast paths never do):
    # warm them here, so a create trial's child spends its time writing, not importing.
    for version in range(1, SCHEMA_VERSION + 1):
        _statements(version)

    maps: dict[int, Any] = {}
    _say("ready")
    for line in sys.stdin:
        command = json.loads(line)
        task = command["task"]
        arch = None
        if task == "create":
            size = int(command["channels"])
            arch = maps.get(size) or maps.setdefault(size, big_map(size))
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                if task == "edits":
                    code = task_edits(command["path"])
                elif task == "create":
                    code = task_create(command["target"], arch)
                elif task == "import":
                    code = task_import(command["source"], command["target"])
                elif task == "lock_drop":
                    code = task_lock_drop(command["path"])
                elif task == "migrate":
                    code = task_migrate(command["path"])
                elif task == "cli":
                    code = task_cli(command["args"], command["out"], command["err"])
            except BaseException as exc:  # noqa: BLE001 - the test reads it
                _say(f"error {type(exc).__name__}: {' '.join(str(exc).split())}")
                code = 5
            finally:
                os._exit(code)
        number = command.get("trial", 0)
        _say(f"pid {number} {pid}")
        _, status = os.waitpid(pid, 0)
        _say(f"\nexit {number} {status}")  # on a line of its own even if the child was killed mid-line


def hold(path: str) -> None:
    from desktop.store.document import MapDocument

    document = MapDocument.open(path)
    _say("held" if not document.read_only else f"readonly {document.read_only_reason}")
    sys.stdin.read()
    document.close()


def window(path: str) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop.app import MainWindow
    from desktop.domain import operations as ops
    from desktop.domain.layers import Layer

    app = QApplication.instance() or QApplication([])
    w = MainWindow(path)
    app.processEvents()
    session = w.session
    assert session is not None
    accepted = session.perform("Add", ops.add_channel(session.map, "From the second window", Layer.CAPTURE))
    result = {
        "title": w.windowTitle(),
        "status": w.saved_label.text(),
        "message": w.statusBar().currentMessage(),
        "read_only": session.read_only,
        "accepted": bool(accepted),
        "channels": len(session.map),
    }
    _say(json.dumps(result))
    w.close()


# --- the parent side ---------------------------------------------------------------------------------
@dataclass
class Trial:
    """What a child said (its lines), whether the test killed it, and its wait status."""

    lines: list[str] = field(default_factory=list)
    killed: bool = False
    status: int = -1

    def numbers(self, word: str) -> list[int]:
        return [int(line.split()[1]) for line in self.lines if line.startswith(word + " ")]

    @property
    def errors(self) -> list[str]:
        return [line for line in self.lines if line.startswith(("error", "readonly", "failed"))]

    @property
    def exit_code(self) -> int:
        return os.waitstatus_to_exitcode(self.status)


def _kill(pid: int) -> bool:
    """SIGKILL a trial's child; False if it had already ended (and been reaped) on its own."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return False
    return True


class ForkServer:
    """Runs `crash_worker.py serve`; `run` sends a task and SIGKILLs its child after a delay."""

    def __init__(self) -> None:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=REPO,
            env=env,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self._stdin = self.proc.stdin
        self._fd = self.proc.stdout.fileno()
        self._buffer = b""
        self._trials = 0
        self._unfinished = 0  # a trial whose test stopped reading (it raised): its lines come first
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._fd, selectors.EVENT_READ)
        if self._next_line(time.monotonic() + 120) != "ready":
            raise RuntimeError("the crash worker did not start")

    def _next_line(self, deadline: float) -> str | None:
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._selector.select(remaining):
                return None
            chunk = os.read(self._fd, 65536)
            if not chunk:
                raise RuntimeError("the crash worker stopped")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line.decode()

    def _drain(self, number: int, start: float) -> None:
        """Read past an unfinished trial's lines, up to its exit line."""
        while (line := self._next_line(start + 120)) is not None:
            if line.startswith(f"exit {number} "):
                self._unfinished = 0
                return
        raise TimeoutError(f"the crash worker's trial {number} did not end")

    def run(
        self,
        command: dict,
        kill_after: float | None = None,
        limit: float = 120.0,
        kill_on: str = "",
        kill_count: int = 1,
    ) -> Trial:
        """Run one task; SIGKILL its child `kill_after` seconds after sending it (None: let it finish).

        With `kill_on`, the handshake: the delay starts when the child has said its `kill_count`-th
        line starting with `kill_on` (no delay given: kill at once)."""
        if self._unfinished:
            self._drain(self._unfinished, start=time.monotonic())
        self._trials += 1
        number = self._unfinished = self._trials
        trial = Trial()
        self._stdin.write((json.dumps({**command, "trial": number}) + "\n").encode())
        self._stdin.flush()
        start = time.monotonic()
        pid = None
        kill_at = start + kill_after if kill_after is not None and not kill_on else None
        seen = 0
        while True:
            waiting_to_kill = kill_at is not None and not trial.killed
            line = self._next_line(kill_at if waiting_to_kill and kill_at else start + limit)
            if line is None:
                if waiting_to_kill and pid is not None:
                    trial.killed = _kill(pid)
                    kill_at = None  # killed, or it had ended on its own: wait for its exit line
                elif waiting_to_kill and kill_at is not None:
                    kill_at += 0.005  # the pid line is on its way
                else:
                    raise TimeoutError(f"no answer from the crash worker: {trial.lines}")
            elif not line:
                continue  # the server starts "exit" on a new line (see serve)
            elif line.startswith(("pid ", "exit ")):
                word, said, value = line.split()
                if int(said) != number:
                    continue  # the end of an earlier trial whose test stopped reading
                if word == "pid":
                    pid = int(value)
                else:
                    trial.status = int(value)
                    self._unfinished = 0
                    return trial
            else:
                trial.lines.append(line)
                if kill_on and line.startswith(kill_on) and not trial.killed:
                    seen += 1
                    if seen == kill_count:  # armed: the timeout above kills it (once its pid is known)
                        kill_at = time.monotonic() + (kill_after or 0.0)

    def cli(self, args: list[str], stem: Path) -> subprocess.CompletedProcess:
        """`main.py ARGS` in a forked child: exit code, stdout and stderr as `subprocess.run` gives them."""
        out, err = Path(f"{stem}.out"), Path(f"{stem}.err")
        trial = self.run({"task": "cli", "args": args, "out": str(out), "err": str(err)})
        if trial.errors:
            raise RuntimeError(trial.errors)
        return subprocess.CompletedProcess(args, trial.exit_code, out.read_text(), err.read_text())

    def close(self) -> None:
        self._stdin.close()
        self.proc.wait(timeout=30)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


if __name__ == "__main__":
    mode, *rest = sys.argv[1:]
    if mode == "serve":
        serve()
    elif mode == "hold":
        hold(rest[0])
    elif mode == "window":
        window(rest[0])
    else:
        raise SystemExit(f"unknown mode {mode}")
