"""Whole-file writes beside a map: a temp file, fsync, one rename; stale temps of a killed write are removed.

Why: a new map, a Save As copy or a migration backup must appear whole or not
at all, even if the program is killed midway. The temp file is named
`.NAME.XXXX.tmp` beside the target (same filesystem, so the rename is atomic)
and holds an exclusive `flock` while it is written, so a later write can tell a
live temp (another program still writing) from one a crash left behind.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from desktop.store import locking

TEMP_SUFFIX = ".tmp"
SIDE_FILES = ("-wal", "-shm", "-journal")


@contextmanager
def temp_beside(target: Path) -> Iterator[Path]:
    """An empty, locked temp file beside `target`; removed (with any SQLite side files) on exit.

    Renaming it onto the target inside the block keeps it (the rename is the commit).
    """
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent)
    tmp = Path(name)
    try:
        os.chmod(tmp, _mode_for(target))  # mkstemp makes 0600; a map gets the mode any new file would
        locking.flock_exclusive(fd)
        yield tmp
    finally:
        for leftover in (tmp, *(Path(f"{tmp}{side}") for side in SIDE_FILES)):
            leftover.unlink(missing_ok=True)
        os.close(fd)


def _mode_for(target: Path) -> int:
    """The mode of the file being replaced, else what the user's umask gives a new file."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def fsync_replace(tmp: Path, target: Path) -> None:
    """Flush `tmp` to disk and rename it onto `target` in one step (then flush the folder)."""
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, target)
    _fsync_folder(target.parent)


def fsync_link(tmp: Path, target: Path) -> None:
    """Flush `tmp` and give it the name `target` only if no file has that name (never replaces one).

    A hard link is created atomically and fails with FileExistsError when the
    name is taken, so two programs creating the same map cannot both succeed.
    Where the filesystem has no hard links, the name is claimed with O_EXCL
    (an empty placeholder) and the finished file renamed over the claim.
    """
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        try:
            os.replace(tmp, target)
        except BaseException:
            target.unlink(missing_ok=True)  # our empty claim, never someone's map
            raise
    _fsync_folder(target.parent)


def _fsync_folder(folder: Path) -> None:
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def remove_stale_temps(target: Path) -> list[Path]:
    """Delete temp files a killed write of `target` left behind (never one still being written)."""
    prefix = f".{target.name}."
    try:
        names = [p for p in target.parent.iterdir() if p.name.startswith(prefix)]
    except OSError:
        return []
    bases = {base for path in names if (base := _temp_base(path, prefix)) is not None}
    removed: list[Path] = []
    for base in sorted(bases):
        if base.exists() and not locking.is_stale(base):
            continue  # another write of the same name is still running
        for leftover in (base, *(Path(f"{base}{side}") for side in SIDE_FILES)):
            try:
                leftover.unlink()
            except FileNotFoundError:
                continue
            except OSError:
                break
            removed.append(leftover)
    return removed


def _temp_base(path: Path, prefix: str) -> Path | None:
    """The temp file `path` belongs to (itself, or the base of its -wal/-shm), else None."""
    name = path.name
    for side in SIDE_FILES:
        if name.endswith(TEMP_SUFFIX + side):
            return path.with_name(name[: -len(side)])
    if name.endswith(TEMP_SUFFIX) and name.startswith(prefix):
        return path
    return None
