"""`open_map(location)`: the one way to open a map, whatever it lives in.

A path opens the `.distarch` file (`MapDocument.open`); a `postgresql://`
address opens a map of the team library (`LibraryMap`, on a connection of its
own). The composition root (`desktop.app`) and the command line open maps
through this module only, so every command that takes a map takes an address too.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, cast

from desktop.document.repository import MapRepository
from desktop.domain.errors import MapError
from desktop.domain.model import ArchitectureMap
from desktop.store.library.address import is_address

if TYPE_CHECKING:
    from desktop.document.library import TeamLibrary
    from desktop.store.library.catalog import Library


def open_map(
    location: str | os.PathLike[str],
    *,
    read_only: bool = False,
    trusted: bool = False,
    wait: float = 0.0,
    password: str | None = None,
    author: str = "",
) -> MapRepository:
    """Open a map file or a library map. Raises a `MapError` with a one-line reason when it cannot.

    `trusted` (read-only, for `score` only): a file's map holds only what the score reads (store/scored.py);
    `wait`: seconds to wait for another program's lock on a file before opening it read-only;
    `password`, `author`: for a library map (who writes, recorded beside the PostgreSQL role).
    """
    if is_address(location):
        from desktop.store.library.repository import LibraryMap

        library = connect_library(str(location), password=password, author=author or display_name())
        try:
            entry = library.entry(library.address.map_name or _no_name(library))
            return LibraryMap(library, entry.id, read_only=read_only, owns=True, name=entry.name)
        except BaseException:
            library.close()
            raise
    from desktop.store.document import MapDocument

    return MapDocument.open(Path(location), read_only=read_only, trusted=trusted, wait=wait)


def connect_library(address: str, *, password: str | None = None, author: str = "") -> Library:
    """A connection to the team library at `address` (psycopg is imported only now)."""
    from desktop.store.library.catalog import Library

    return Library.connect(address, password=password, author=author or display_name())


def _no_name(library: Library) -> str:
    from desktop.store.library.connection import LibraryError

    raise LibraryError(f"the address names no map: add #Map name after {library.location}")


def display_name() -> str:
    """Who writes, as recorded beside the PostgreSQL role: DISTARCH_DISPLAY_NAME, else the OS account's name."""
    from desktop.document.library import os_full_name

    return os.environ.get("DISTARCH_DISPLAY_NAME", "").strip() or os_full_name()


class FileMaps:
    """`MapFiles` for `.distarch` files and team library maps: what `desktop.app` gives the window."""

    def open(
        self, location: str, *, read_only: bool = False, password: str | None = None, author: str = ""
    ) -> MapRepository:
        return open_map(location, read_only=read_only, password=password, author=author)

    def connect_library(self, address: str, *, password: str | None = None, author: str = "") -> TeamLibrary:
        return cast("TeamLibrary", connect_library(address, password=password, author=author))

    def read(self, location: str) -> ArchitectureMap:
        repository = open_map(location, read_only=True)
        try:
            return repository.load()
        finally:
            repository.close()

    def create(self, path: Path, arch: ArchitectureMap, *, overwrite: bool = False) -> None:
        from desktop.store.document import write_new_file

        write_new_file(path, arch, overwrite=overwrite)

    def save_copy(self, repository: MapRepository, target: Path) -> None:
        """Save As: a consistent copy of a file; a library map's content as a new local file."""
        from desktop.store.document import MapDocument, write_new_file

        if isinstance(repository, MapDocument):
            repository.save_copy(target)
            return
        try:
            arch = repository.load()
        except MapError:
            raise
        write_new_file(target, arch, overwrite=target.exists())
