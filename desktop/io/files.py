"""What is at a path a person named, when it is not a readable file ("a folder", "a FIFO"...).

Shared by the store (opening maps) and the import reader, so the window and the
command line name a folder, a named pipe or a device the same way, and never
block reading one.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def what_is(path: Path) -> str:
    """What is at `path` when it is not a regular file: "a folder", "a FIFO (named pipe)", "a device"..."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return "missing"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a file" if stat.S_ISREG(mode) else "not a regular file"


def not_a_file(path: Path, shown: str | None = None) -> str:
    """Why `path` cannot be read as a file: missing, or a folder, FIFO or device (named as given)."""
    shown = shown or str(path)
    kind = what_is(path)
    if kind == "missing":
        return f"{shown} does not exist"
    return f"{shown} is {kind}, not a file"
