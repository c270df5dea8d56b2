"""`open_map(location)`: the one way to open a map, whatever it lives in.

A path opens the `.distarch` file (`MapDocument.open`); a `postgresql://`
address opens a map of the team library (`LibraryMap`, on a connection of its
own). The CLI and the window both open through here, so every command that
takes a map takes an address too.
"""

from __future__ import annotations

import os
from pathlib import Path

from desktop.document.repository import MapRepository
from desktop.store.library.address import is_address


def open_map(
    location: str | os.PathLike[str],
    *,
    read_only: bool = False,
    password: str | None = None,
    author: str = "",
) -> MapRepository:
    """Open a map file or a library map. Raises a MapError subclass with one line."""
    if is_address(location):
        from desktop.store.library.catalog import Library
        from desktop.store.library.repository import LibraryMap

        library = Library.connect(str(location), password=password, author=author or display_name())
        try:
            entry = library.entry(library.address.map_name or _no_name(library))
            return LibraryMap(library, entry.id, read_only=read_only, owns=True, name=entry.name)
        except BaseException:
            library.close()
            raise
    from desktop.store.document import MapDocument

    return MapDocument.open(Path(location), read_only=read_only)  # type: ignore[return-value]


def _no_name(library) -> str:
    from desktop.store.library.connection import LibraryError

    raise LibraryError(f"the address names no map: add #Map name after {library.location}")


def display_name() -> str:
    """Who writes, as recorded beside the PostgreSQL role: DISTARCH_DISPLAY_NAME, else the OS account's name."""
    from desktop.document.library import os_full_name

    return os.environ.get("DISTARCH_DISPLAY_NAME", "").strip() or os_full_name()
