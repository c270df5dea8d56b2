"""The team library: maps kept in the firm's own PostgreSQL, in the schema `distarch`.

- address.py: `postgresql://host/db#Map name` addresses, and their password-free public form;
- connection.py: connecting through libpq (pgpass, service files, sslmode), one-line errors;
- schema.py: creating, migrating and checking the library schema (`library init`);
- catalog.py: `Library`, the list of maps (search, create, publish, rename, delete, restore);
- repository.py: `LibraryMap`, one library map as a `MapRepository`.

Nothing here imports psycopg at module import except connection.py, catalog.py and
repository.py, which the rest of the app imports only when an address is opened.
"""

from __future__ import annotations

from desktop.store.library.address import Address, is_address, parse_address, public_address

__all__ = ["Address", "is_address", "parse_address", "public_address"]
