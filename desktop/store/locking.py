"""One writer per map, and no stray file descriptor that silently drops SQLite's locks.

One writer: an exclusive advisory `flock` on the map file is held while a
window edits it (independent of SQLite's own fcntl locks, and released by the
kernel when the process dies, so a crash never leaves a stale lock). Elsewhere
a sidecar `.lock` file is locked.

The POSIX-lock caveat (sqlite.org/howtocorrupt.html, 2.2): closing *any*
descriptor of a database file drops every fcntl lock this process holds on it,
including the SHARED lock SQLite keeps in WAL mode. Without that lock another
program closing the file may checkpoint and delete the WAL under a live
writer, and a crash then loses acknowledged edits. So every descriptor the
store opens on a map outside SQLite goes through `close_fd`, which keeps it
open (parked) while this process has an SQLite connection on the same file,
and files are identified by (device, inode), not by name, so a second path
to the same file (a link) is still recognised as open here.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

FileKey = tuple[int, int] | str

_held: dict[FileKey, FileLock] = {}
_connections: dict[FileKey, int] = {}
_parked: dict[FileKey, list[int]] = {}


def file_key(path: Path) -> FileKey:
    """The identity of a file (device, inode); its absolute path when it does not exist."""
    try:
        st = os.stat(path)
    except OSError:
        return str(Path(path).absolute())
    return (st.st_dev, st.st_ino)


def held_here(path: Path) -> bool:
    """True when this process already edits the file (a second window of ours)."""
    return file_key(path) in _held


def open_here(path: Path) -> bool:
    """True when this process has an SQLite connection (reading or writing) on the file."""
    return _connections.get(file_key(path), 0) > 0


def why_read_only(path: Path) -> str:
    """A reason the file cannot be written, or "" when it can.

    The permission bits are checked as well as `os.access`: for root, `access`
    says every file is writable, but a file or folder the user marked read-only
    (no write bit for anyone) must still open read-only.
    """
    if held_here(path):
        return f"{path.name} is already open in another window: this view is read-only"
    try:
        mode = path.stat().st_mode
        folder_mode = path.parent.stat().st_mode
    except OSError as exc:
        return f"{path.name} cannot be checked ({exc.strerror}): edits are disabled"
    if not mode & 0o222 or not os.access(path, os.W_OK):
        return f"{path.name} is read-only on disk: edits are disabled"
    if not folder_mode & 0o222 or not os.access(path.parent, os.W_OK | os.X_OK):
        return f"the folder of {path.name} is read-only: edits are disabled"
    return ""


# --- who holds a map's lock -------------------------------------------------------------------
_COMMAND_WORDS = ("new", "import", "score", "export", "version", "compare")


def holder_reason(path: Path) -> str:
    """Why the map cannot be edited here: what holds its lock (another command or another window)."""
    pid = _lock_holder_pid(path)
    command = _command_of(pid) if pid else None
    if command:
        return f"{path.name} is being changed by another command ({command}, process {pid}): try again"
    if pid:
        return f"{path.name} is open in another window (process {pid}): this view is read-only"
    return f"{path.name} is open in another window or command: this view is read-only"


def _lock_holder_pid(path: Path) -> int | None:
    """The process holding a flock on the file, from /proc/locks (Linux); None when unknown."""
    try:
        st = os.stat(path)
        with open("/proc/locks", encoding="ascii", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    wanted = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    for line in lines:
        parts = line.split()
        if len(parts) >= 6 and parts[1] == "FLOCK" and parts[5] == wanted and parts[4].isdigit():
            pid = int(parts[4])
            if pid != os.getpid():
                return pid
    return None


def _command_of(pid: int) -> str | None:
    """The headless command a process runs ("import", "version"...), or None for a window."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            args = handle.read().decode("utf-8", "replace").split("\0")
    except OSError:
        return None
    for arg in args[1:3]:
        if arg in _COMMAND_WORDS:
            return arg
    return None


# --- SQLite connections of this process, and descriptors parked while they live -----------------
def connection_opened(path: Path) -> FileKey:
    """Record an SQLite connection on `path`; returns the key to pass to `connection_closed`."""
    key = file_key(path)
    _connections[key] = _connections.get(key, 0) + 1
    return key


def connection_closed(key: FileKey) -> None:
    count = _connections.get(key, 0) - 1
    if count > 0:
        _connections[key] = count
        return
    _connections.pop(key, None)
    for fd in _parked.pop(key, []):
        _close_quietly(fd)


def close_fd(key: FileKey, fd: int) -> None:
    """Close a descriptor of a map file, or park it while SQLite still has the file open here."""
    if _connections.get(key, 0) > 0:
        _parked.setdefault(key, []).append(fd)
    else:
        _close_quietly(fd)


def _close_quietly(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass


def _fd_key(fd: int, path: Path) -> FileKey:
    try:
        st = os.fstat(fd)
    except OSError:
        return file_key(path)
    return (st.st_dev, st.st_ino)


def read_head(path: Path, size: int) -> bytes:
    """The first `size` bytes of a file, read without disturbing SQLite's locks (never blocks on a FIFO)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    key = _fd_key(fd, path)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return b""
        return os.read(fd, size)
    finally:
        close_fd(key, fd)


# --- flock helpers ---------------------------------------------------------------------------
def flock_exclusive(fd: int) -> bool:
    """Take an exclusive, non-blocking flock on an open descriptor (False if someone holds it)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: nothing to lock with
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def is_stale(path: Path) -> bool:
    """True when no process holds the flock of a temp file (its writer is gone)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    key = _fd_key(fd, path)
    try:
        return flock_exclusive(fd)
    finally:
        close_fd(key, fd)


class FileLock:
    """An exclusive, non-blocking lock on a map file."""

    def __init__(self, path: Path, fd: int, key: FileKey) -> None:
        self.path = path
        self._fd = fd
        self._key = key

    @classmethod
    def try_acquire(cls, path: Path) -> FileLock | None:
        try:
            import fcntl  # noqa: F401
        except ImportError:  # Windows: a sidecar lock file
            return cls._sidecar(path)
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            return None
        key = _fd_key(fd, path)
        if key in _held or not flock_exclusive(fd):
            close_fd(key, fd)
            return None
        lock = cls(path, fd, key)
        _held[key] = lock
        return lock

    @classmethod
    def acquire_waiting(cls, path: Path, wait: float) -> FileLock | None:
        """`try_acquire`, retried for up to `wait` seconds while another process holds the lock."""
        import time

        deadline = time.monotonic() + wait
        while True:
            lock = cls.try_acquire(path)
            if lock is not None or held_here(path) or time.monotonic() >= deadline:
                return lock
            time.sleep(0.05)

    @classmethod
    def _sidecar(cls, path: Path) -> FileLock | None:  # pragma: no cover - Windows only
        import msvcrt

        key = file_key(path)
        if key in _held:
            return None
        lock_path = path.with_name(path.name + ".lock")
        try:  # a folder that refuses the sidecar file: no lock, so the window opens the map read-only
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT)
        except OSError:
            return None
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            os.close(fd)
            return None
        lock = cls(lock_path, fd, key)
        _held[key] = lock
        return lock

    def release(self) -> None:
        if _held.get(self._key) is self:
            del _held[self._key]
        if self._fd < 0:
            return
        try:
            import fcntl

            fcntl.flock(self._fd, fcntl.LOCK_UN)
        except (ImportError, OSError):
            pass
        close_fd(self._key, self._fd)
        self._fd = -1
