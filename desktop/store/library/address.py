"""Team library addresses: `postgresql://host/db#Map name`, `postgresql:///?service=team#Map name`.

The part before `#` is a libpq connection URI, handed to libpq as written, so
everything libpq reads (`~/.pgpass`, `~/.pg_service.conf` or `PGSERVICEFILE`,
`sslmode`, `PG*` variables) applies. The fragment is the map's name,
percent-decoded (`%23` is a `#`). What the app shows or remembers is the
public form: no `user:password@` and no `password=` parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from desktop.domain.errors import MapError

SCHEMES = ("postgresql://", "postgres://")
_SECRET_PARAMS = {"password", "passfile", "sslpassword"}


def is_address(text: object) -> bool:
    return isinstance(text, str) and text.strip().lower().startswith(SCHEMES)


@dataclass(frozen=True)
class Address:
    """A library (`conninfo`, which may hold a password) and, optionally, one map in it."""

    conninfo: str
    map_name: str = ""

    @property
    def library(self) -> str:
        """The library's public address (no password, no user)."""
        return public_address(self.conninfo)

    @property
    def public(self) -> str:
        """The whole address as the title bar, Recent and settings may show it."""
        if not self.map_name:
            return self.library
        return f"{self.library}#{quote_name(self.map_name)}"

    @property
    def where(self) -> str:
        """The server for a person: "db on host:port", or "service team"."""
        return describe(self.conninfo)

    def with_map(self, name: str) -> Address:
        return Address(self.conninfo, name)


def quote_name(name: str) -> str:
    """A map name as an address fragment: only `%` and `#` need escaping (and control characters)."""
    return "".join(quote(ch) if ch in "%#" or ord(ch) < 32 else ch for ch in name)


def parse_address(text: str) -> Address:
    """Split an address into its libpq URI and its map name. Raises MapError for what is not one."""
    text = text.strip()
    if not is_address(text):
        raise MapError(f"{text[:60]!r} is not a team library address (postgresql://host/database#Map name)")
    uri, _, fragment = text.partition("#")
    name = unquote(fragment).strip()
    parts = urlsplit(uri)
    if not parts.scheme:
        raise MapError("a team library address starts with postgresql://")
    return Address(uri, name)


def public_address(conninfo: str) -> str:
    """The URI without `user:password@` and without password parameters."""
    parts = urlsplit(conninfo.partition("#")[0])
    host = parts.netloc.rpartition("@")[2]
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in _SECRET_PARAMS]
    query = [(k, v) for k, v in query if k != "user"]
    text = f"{parts.scheme}://{host}{parts.path}"
    return f"{text}?{urlencode(query, safe='/')}" if query else text


def describe(conninfo: str) -> str:
    """Where a library lives, in words, without credentials."""
    parts = urlsplit(conninfo.partition("#")[0])
    params = dict(parse_qsl(parts.query))
    if params.get("service"):
        return f"service {params['service']}"
    host = parts.netloc.rpartition("@")[2] or params.get("host", "") or "local socket"
    if host.startswith("/"):
        host = "local socket"
    db = unquote(parts.path.lstrip("/")) or params.get("dbname", "")
    return f"{db} on {unquote(host)}" if db else unquote(host)
