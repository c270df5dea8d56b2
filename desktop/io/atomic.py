"""Write a file so that a crash leaves the old file or the new one, never half of either.

A failure names the file the user asked for (never the hidden temp file beside
it) and says why in words: "could not write map.png: the disk is full".
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from desktop.domain.errors import MapError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes(path: Path, data: bytes) -> None:
    """Write beside the target, fsync, then rename; the file gets the usual permissions (not mkstemp's 0600).

    Raises MapError naming `path` when the target is not a file or the write fails.
    """
    write_stream(path, lambda handle: handle.write(data))


def write_stream(path: Path, fill: Callable[[BinaryIO], object]) -> None:
    """As write_bytes, with `fill(handle)` writing the bytes piece by piece (a big image as it is encoded).

    Whatever `fill` raises (a cancelled export) leaves no file behind; an OSError becomes a MapError.
    """
    path = Path(path)
    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
        raise MapError(f"could not write {path}: it is {kind}")
    try:
        _write(path, fill)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise MapError(
                f"could not write {path.name}: the disk is full. Free some space and try again"
            ) from None
        raise MapError(f"could not write {path.name} ({exc.strerror or exc})") from None


def _write(path: Path, fill: Callable[[BinaryIO], object]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            fill(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))
