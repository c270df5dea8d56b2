"""Connecting to the team library's server through libpq, with one line for a person when it fails.

libpq does the reading of `~/.pgpass`, the service file (`~/.pg_service.conf`
or `PGSERVICEFILE`), `sslmode` and the `PG*` variables: the address is handed
to it as written. A password typed in the window is passed beside the address
and kept only in memory. Each failure a user can meet (wrong password, no
password given, server unreachable, TLS required but not offered, no such
database or service) becomes a `LibraryError` of one line naming the server,
never the password.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from desktop.document import library as document_library
from desktop.document.repository import RepositoryError
from desktop.store.library.address import describe

if TYPE_CHECKING:
    import psycopg

CONNECT_TIMEOUT = 5  # seconds, unless the address says otherwise
# A server that vanishes without closing the connection (a cable, a VPN dropping) is noticed within
# about 20 s by TCP keepalives, and a write waits at most 15 s for it, instead of the system's hours.
KEEPALIVE = {"keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5, "keepalives_count": 2}
TCP_USER_TIMEOUT_MS = 15000
APPLICATION_NAME = "Distribution Architect"


class LibraryError(RepositoryError):
    """The team library refused or failed something; always one line."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(" ".join(str(message).split()), where)


class PasswordNeeded(LibraryError, document_library.PasswordNeeded):
    """The server asks for a password that neither the address, ~/.pgpass nor the window gave."""


class WrongPassword(LibraryError):
    """The server refused the password (or the role does not exist, which it will not say)."""


class ServerUnreachable(LibraryError):
    """No server answered at that address (or it went away)."""


def connect(conninfo: str, password: str | None = None) -> psycopg.Connection[Any]:
    """An autocommit connection (transactions are explicit); raises a `LibraryError` subclass."""
    import psycopg

    extra: dict[str, Any] = {"application_name": APPLICATION_NAME}
    if "connect_timeout" not in conninfo:
        extra["connect_timeout"] = CONNECT_TIMEOUT
    for key, value in (*KEEPALIVE.items(), ("tcp_user_timeout", TCP_USER_TIMEOUT_MS)):
        if key not in conninfo:
            extra[key] = value
    if password:
        extra["password"] = password
    try:
        return psycopg.connect(conninfo, autocommit=True, **extra)
    except psycopg.Error as exc:
        raise connection_error(exc, conninfo) from None


def connection_error(exc: BaseException, conninfo: str) -> LibraryError:
    """The one line for a failed connection attempt."""
    text = _without_secrets(str(exc), conninfo)
    where = describe(conninfo)
    lower = text.lower()
    role = _quoted(text, r'for user "([^"]*)"')
    if "password authentication failed" in lower:
        return WrongPassword(f"the server ({where}) refused the password for role {role or '?'}")
    if "no password supplied" in lower:
        return PasswordNeeded(f"the server ({where}) asks for a password")
    if "server does not support ssl" in lower:
        return LibraryError(
            f"the server ({where}) does not offer an encrypted (TLS) connection, and the address requires "
            "one (sslmode): ask for TLS to be turned on, or change sslmode"
        )
    if "definition of service" in lower:
        service = _quoted(text, r'service "([^"]*)"')
        return LibraryError(
            f"no PostgreSQL service named {service!r} in ~/.pg_service.conf (or the file PGSERVICEFILE names)"
        )
    database = _quoted(text, r'database "([^"]*)" does not exist')
    if database:
        return LibraryError(f"the server ({where}) has no database named {database!r}")
    role_missing = _quoted(text, r'role "([^"]*)" does not exist')
    if role_missing:
        return LibraryError(f"the server ({where}) has no role named {role_missing!r}")
    if "no pg_hba.conf entry" in lower:
        return LibraryError(f"the server ({where}) does not let this computer or role connect (pg_hba.conf)")
    if any(
        word in lower
        for word in ("connection refused", "could not connect", "timeout expired", "failed to resolve host",
                     "could not translate host name", "no such file or directory", "network is unreachable",
                     "server closed the connection", "connection is bad")
    ):  # fmt: skip
        return ServerUnreachable(
            f"cannot reach the team library server ({where}): is it running, and is the address right?"
        )
    first = (
        text.replace("connection failed:", "").strip().splitlines()[0] if text.strip() else type(exc).__name__
    )
    return LibraryError(f"cannot connect to the team library ({where}): {first}")


def _without_secrets(text: str, conninfo: str) -> str:
    """libpq quotes parts of a malformed address back: never let a password through."""
    from urllib.parse import parse_qsl, unquote, urlsplit

    parts = urlsplit(conninfo.partition("#")[0])
    secrets = [parts.password or ""]
    secrets += [v for k, v in parse_qsl(parts.query) if k in ("password", "sslpassword")]
    for secret in filter(None, secrets):
        for form in {secret, unquote(secret)}:
            text = text.replace(form, "***")
    return text


def _quoted(text: str, pattern: str) -> str:
    found = re.search(pattern, text)
    return found.group(1) if found else ""


def is_connection_lost(exc: BaseException) -> bool:
    """Whether an error during a query means the server (or the network to it) is gone."""
    import psycopg

    return isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError) and not isinstance(
        exc, psycopg.errors.QueryCanceled
    )
