"""Windows has no flock: a window locks a sidecar `NAME.distarch.lock`. Simulated here with a fake msvcrt."""

from __future__ import annotations

import os
import sys
import types

from desktop.store import locking


def _windows(monkeypatch, refuse_sidecar: bool, locked: bool = False) -> None:
    monkeypatch.setitem(sys.modules, "fcntl", None)  # `import fcntl` raises ImportError, as on Windows

    def lock(fd, mode, size):
        if locked:
            raise OSError("locked by another process")

    monkeypatch.setitem(sys.modules, "msvcrt", types.SimpleNamespace(locking=lock, LK_NBLCK=2))
    if refuse_sidecar:
        real_open = os.open

        def deny(path, *args, **kwargs):
            if str(path).endswith(".lock"):
                raise PermissionError(13, "Access is denied", str(path))
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(os, "open", deny)


def test_the_sidecar_is_taken_and_released(monkeypatch, tmp_path):
    target = tmp_path / "m.distarch"
    target.write_bytes(b"")
    _windows(monkeypatch, refuse_sidecar=False)
    lock = locking.FileLock.try_acquire(target)
    assert lock is not None and (tmp_path / "m.distarch.lock").exists()
    assert locking.FileLock.try_acquire(target) is None  # this process holds it already
    lock.release()


def test_a_sidecar_held_elsewhere_or_refused_means_no_lock_not_a_crash(monkeypatch, tmp_path):
    target = tmp_path / "m.distarch"
    target.write_bytes(b"")
    _windows(monkeypatch, refuse_sidecar=False, locked=True)
    assert locking.FileLock.try_acquire(target) is None
    _windows(monkeypatch, refuse_sidecar=True)
    assert locking.FileLock.try_acquire(target) is None
