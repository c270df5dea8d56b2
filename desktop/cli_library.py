"""`distribution-architect library ...`: the team library's commands, and addresses in the others.

init URL                  create or migrate the library schema (idempotent)
list URL [--search T]     the maps (name, score, channels, last edit), or --deleted ones
publish FILE URL#Name     put a map file in the library (exit 2 if the name exists, unless --replace)
copy URL#Name FILE        save a local .distarch copy
rename URL#Name NEW       rename a library map
delete URL#Name           move it to the Deleted tab (restorable for 30 days)
restore URL#Name          bring a deleted map back

Kept apart from cli.py so the commands that do not touch a server stay as they were.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from desktop.domain.errors import MapError


def add_parser(sub) -> None:
    p = sub.add_parser("library", help="the team library on PostgreSQL: init, list, publish, copy, ...")
    lib = p.add_subparsers(dest="library_command", required=True, parser_class=type(p))
    q = lib.add_parser("init", help="create or migrate the team library in a database")
    q.add_argument("address")
    q = lib.add_parser("list", help="list or search the library's maps")
    q.add_argument("address")
    q.add_argument("--search", default="")
    q.add_argument("--deleted", action="store_true")
    q.add_argument("--json", action="store_true")
    q = lib.add_parser("publish", help="put a map file in the library")
    q.add_argument("file")
    q.add_argument("address")
    q.add_argument("--replace", action="store_true")
    q = lib.add_parser("copy", help="save a local .distarch copy of a library map")
    q.add_argument("address")
    q.add_argument("file")
    q = lib.add_parser("rename", help="rename a library map")
    q.add_argument("address")
    q.add_argument("new_name")
    for name, text in (("delete", "move a map to the Deleted tab"), ("restore", "restore a deleted map")):
        q = lib.add_parser(name, help=text)
        q.add_argument("address")


def is_address(text: str) -> bool:
    from desktop.store.library.address import is_address as check

    return check(text)


def connect(address: str):
    from desktop.store.library.catalog import Library
    from desktop.store.opening import display_name

    return Library.connect(address, author=display_name())


def map_name(library) -> str:
    name = library.address.map_name
    if not name:
        raise MapError(f"name the map after a #: {library.location}#Map name")
    return name


def run(args: argparse.Namespace) -> int:
    command = args.library_command
    if command == "init":
        from desktop.store.library import schema
        from desktop.store.library.address import parse_address
        from desktop.store.library.connection import connect as connect_server

        address = parse_address(args.address)
        conn = connect_server(address.conninfo)
        try:
            print(schema.init(conn) + f" in {address.where}")
        except MapError:
            raise
        except Exception as exc:  # psycopg's errors: one line
            diag = getattr(exc, "diag", None)
            raise MapError(f"library init failed: {getattr(diag, 'message_primary', None) or exc}") from None
        finally:
            conn.close()
        return 0
    with connect(args.address) as library:
        if command == "list":
            entries = library.list_maps(args.search, deleted=args.deleted)
            if args.json:
                print(json.dumps([_entry_dict(e) for e in entries], indent=2, ensure_ascii=False))
            elif not entries:
                print("no maps" + (" deleted" if args.deleted else "") + f" in {library.where}")
            for e in entries if not args.json else []:
                score = "  -  " if e.score is None else f"{e.score:5.1f}"
                print(
                    f"{e.name:<32} {score}  {e.channels:>4} channels  {e.edited_by} ({e.edited_role}) {e.edited_at:%Y-%m-%d %H:%M}"
                )
            return 0
        name = map_name(library)
        if command == "publish":
            from desktop.cli import read_map

            source = Path(args.file)
            arch = read_map(str(source))
            entry = library.create(name, arch, replace=args.replace)
            print(f"published {source.name} as {entry.name!r} in {library.where} ({entry.channels} channels)")
        elif command == "copy":
            target = Path(args.file)
            if target.suffix.lower() != ".distarch":
                raise MapError(f"{target.name}: a local copy must be a .distarch file")
            library.save_local_copy(name, target.absolute())
            print(f"saved {name!r} as {target}")
        elif command == "rename":
            entry = library.rename(name, args.new_name)
            print(f"renamed {name!r} to {entry.name!r}")
        elif command == "delete":
            library.delete(name)
            print(f"moved {name!r} to the Deleted tab (restorable for 30 days)")
        elif command == "restore":
            entry = library.restore(name)
            print(f"restored {entry.name!r}")
    return 0


def _entry_dict(e) -> dict:
    return {
        "name": e.name,
        "score": None if e.score is None else round(e.score, 1),
        "contract": e.contract,
        "channels": e.channels,
        "flows": e.flows,
        "edited_by": e.edited_by,
        "edited_role": e.edited_role,
        "edited_at": e.edited_at.isoformat(),
        "deleted_at": e.deleted_at.isoformat() if e.deleted_at else None,
    }


def new_map(address: str, arch) -> str:
    """`new URL#Name`: an empty (or template) map in the library; exit 2 when the name exists."""
    with connect(address) as library:
        entry = library.create(map_name(library), arch)
        return f"created {entry.name!r} in {library.where} ({entry.channels} channels)"


def import_into(address: str, arch, replace: bool) -> str:
    """`import SOURCE --into URL#Name`: publish; a name that exists is refused unless `replace`."""
    with connect(address) as library:
        name = map_name(library)
        entry = library.create(name, arch, replace=replace)
        verb = "replaced" if replace and entry.revision > 1 else "created"
        return f"{verb} {entry.name!r} in {library.where}: {entry.channels} channels, {entry.flows} flows"


def open_repository(address: str, read_only: bool = True):
    from desktop.store.opening import open_map

    return open_map(address, read_only=read_only)
