"""`open_map(location)`: the repository of a map, whichever store holds it.

Today a location is a `.distarch` path (`MapDocument`); the team library adds
`postgresql://` addresses here. The composition root (`desktop.app`) and the
command line open maps through this function only.
"""

from __future__ import annotations

from pathlib import Path

from desktop.document.repository import MapRepository
from desktop.domain.errors import MapError
from desktop.domain.model import ArchitectureMap


def open_map(
    location: str, *, read_only: bool = False, trusted: bool = False, wait: float = 0.0
) -> MapRepository:
    """Open the map at `location`. Raises a `MapError` with a one-line reason when it cannot.

    `trusted` (read-only use such as scoring) skips re-checking rows the store already validated;
    `wait`: seconds to wait for another program's lock on a file before opening it read-only.
    """
    from desktop.store.document import MapDocument

    return MapDocument.open(location, read_only=read_only, trusted=trusted, wait=wait)


class FileMaps:
    """`MapFiles` for `.distarch` files: what `desktop.app` gives the window."""

    def open(self, location: str, *, read_only: bool = False) -> MapRepository:
        return open_map(location, read_only=read_only)

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
        from desktop.store.document import MapDocument

        if not isinstance(repository, MapDocument):
            raise MapError("only a map file can be saved as a copy here")
        repository.save_copy(target)
