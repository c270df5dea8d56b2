"""`TeamLibrary`: what the window's Team Library dialog needs from a library (no Qt, no store).

`desktop.app` (the composition root) gives the window a function that
connects to a library (`desktop.store.library.catalog.Library` fulfils this
protocol); the dialog never imports the store.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Protocol, runtime_checkable

from desktop.document.repository import MapRepository, RepositoryError
from desktop.domain.model import ArchitectureMap


class PasswordNeeded(RepositoryError):
    """The server asks for a password that neither the address nor ~/.pgpass gave: ask the person."""


class CatalogEntry(Protocol):
    """One map as the library lists it."""

    name: str
    score: float | None
    contract: int | None
    channels: int
    flows: int
    edited_by: str
    edited_role: str
    edited_at: datetime
    deleted_at: datetime | None


@runtime_checkable
class TeamLibrary(Protocol):
    """A connected team library. Methods raise `RepositoryError` subclasses with one line."""

    @property
    def location(self) -> str:
        """The library's address without password or user."""
        ...

    @property
    def where(self) -> str: ...

    writable: bool
    read_only_reason: str
    author: str

    def list_maps(
        self, search: str = "", *, deleted: bool = False, limit: int = 1000
    ) -> list[CatalogEntry]: ...

    def find(self, name: str) -> CatalogEntry | None: ...

    def open(self, name: str, *, read_only: bool = False) -> MapRepository: ...

    def create(
        self, name: str, arch: ArchitectureMap | None = None, *, replace: bool = False
    ) -> CatalogEntry: ...

    def save_local_copy(self, name: str, path: os.PathLike[str] | str) -> None: ...

    def rename(self, old: str, new: str) -> CatalogEntry: ...

    def delete(self, name: str) -> None: ...

    def restore(self, name: str) -> CatalogEntry: ...

    def close(self) -> None: ...


@runtime_checkable
class LiveConnection(Protocol):
    """A repository on a server: the window watches its socket and reconnects when it goes away."""

    offline_reason: str

    def socket(self) -> int | None: ...

    def poll(self) -> bool: ...

    def reconnect(self) -> bool: ...


def os_full_name() -> str:
    """The OS account's full name (the GECOS field on Unix), else its login name."""
    try:
        import pwd

        entry = pwd.getpwuid(os.getuid())
        full = entry.pw_gecos.split(",")[0].strip()
        return full or entry.pw_name
    except (ImportError, KeyError, OSError):
        pass
    for variable in ("USERNAME", "USER", "LOGNAME"):
        if os.environ.get(variable):
            return os.environ[variable]
    return "someone"
