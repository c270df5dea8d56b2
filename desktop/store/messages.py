"""One-line, human reasons for a failed write (formats.md: a reason, never a stack trace).

Why a module of its own: SQLite names a full disk in several ways ("database
or disk is full", or "disk I/O error" when the WAL index cannot grow), and the
user should read "the disk is full" every time, from the window and the CLI.
"""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

from desktop.io.files import not_a_file as not_a_file
from desktop.io.files import what_is


def disk_is_full(folder: Path | None) -> bool:
    """SQLite reports a full disk as "disk I/O error" when the WAL index cannot grow: ask the disk."""
    if folder is None:
        return False
    try:
        return shutil.disk_usage(folder).free < 64 * 1024
    except OSError:
        return False


def human_sqlite_error(exc: BaseException, name: str, folder: Path | None = None) -> str:
    if isinstance(exc, UnicodeEncodeError):
        return f"could not save to {name}: the edit holds text that is not valid Unicode"
    text = str(exc).lower()
    if "full" in text or (("i/o" in text or "disk" in text) and disk_is_full(folder)):
        return f"could not save to {name}: the disk is full. Free some space; the map is as it was before this edit"
    if "readonly" in text or "read-only" in text:
        return f"could not save to {name}: the file is read-only"
    if "locked" in text or "busy" in text:
        return f"could not save to {name}: another program is using the file"
    if "i/o" in text or "disk" in text:
        return f"could not save to {name}: the disk reported an error ({exc})"
    return f"could not save to {name} ({exc})"


def human_os_error(exc: OSError, target: Path) -> str:
    if exc.errno == errno.ENOSPC or disk_is_full(target.parent):
        return f"could not write {target.name}: the disk is full. Free some space and try again"
    return f"could not write {target.name} ({exc.strerror or exc})"


def already_there(path: Path) -> str:
    """Why a new file cannot be created at `path`."""
    kind = what_is(path)
    if kind in ("a file", "missing"):
        return f"{path.name} already exists"
    return f"{path} is {kind}; choose another name"
