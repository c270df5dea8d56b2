"""One writer per map: an exclusive advisory lock held while a window edits a file.

On POSIX the lock is a `flock` on the map file itself (independent of SQLite's
own fcntl locks, released by the kernel when the process dies, so a crash
never leaves a stale lock). Elsewhere a sidecar `.lock` file is locked.
"""

from __future__ import annotations

import os
from pathlib import Path

_held: dict[str, FileLock] = {}


def held_here(path: Path) -> bool:
    """True when this process already edits the file (a second window of ours)."""
    return str(path.resolve()) in _held


def why_read_only(path: Path) -> str:
    """A reason the file cannot be written, or "" when it can."""
    if held_here(path):
        return f"{path.name} is already open in another window: this view is read-only"
    if not os.access(path, os.W_OK):
        return f"{path.name} is read-only on disk: edits are disabled"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return f"the folder of {path.name} is read-only: edits are disabled"
    return ""


class FileLock:
    """An exclusive, non-blocking lock on a map file."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd = fd

    @classmethod
    def try_acquire(cls, path: Path) -> FileLock | None:
        key = str(path.resolve())
        if key in _held:
            return None
        try:
            import fcntl
        except ImportError:  # Windows: a sidecar lock file
            return cls._sidecar(path)
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return None
        lock = cls(path, fd)
        _held[key] = lock
        return lock

    @classmethod
    def _sidecar(cls, path: Path) -> FileLock | None:  # pragma: no cover - Windows only
        import msvcrt

        lock_path = path.with_name(path.name + ".lock")
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            os.close(fd)
            return None
        lock = cls(path, fd)
        _held[str(path.resolve())] = lock
        return lock

    def release(self) -> None:
        _held.pop(str(self.path.resolve()), None)
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
