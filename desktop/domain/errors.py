"""The one error type for bad input: a message a person can act on."""

from __future__ import annotations


class MapError(ValueError):
    """Bad input (a file, a row, an edit). `where` names the entry, e.g. "channels[3] (id c4)"."""

    def __init__(self, message: str, where: str = "") -> None:
        self.message = message
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)
