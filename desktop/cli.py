"""The headless command line of product.md.

Each command imports only what it needs (no Qt for new/import/score/version/
compare, Qt's GUI module only for image exports), so these stay fast.
Bad input exits 2 with one line per problem on stderr (each with its row, at
most MAX_LISTED, then "… and N more") and never a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from desktop.domain.errors import MapError

if TYPE_CHECKING:
    import argparse

    from desktop.document.editor import MapEditor

COMMANDS = ("new", "import", "score", "export", "version", "compare", "library")
MAP_SUFFIXES = (".distarch",)
READABLE = (".distarch", ".json")
MAX_LISTED = 20
LOCK_WAIT = 3.0  # seconds a command waits for another command's lock before refusing


class UsageError(MapError):
    """Wrong words on the command line."""


def _parser() -> argparse.ArgumentParser:
    import argparse  # here: opening the window (no command) needs no parser, and argparse loads gettext

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            raise UsageError(f"{self.prog}: {message} (see --help)")

    parser = _Parser(prog="distribution-architect", description="Distribution Architect, headless commands.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("new", help="create an empty map, or one from a template")
    p.add_argument("map")
    p.add_argument("--template", default="")

    p = sub.add_parser("import", help="import a JSON map, a CSV/XLSX inventory or an exported PNG/SVG")
    p.add_argument("source")
    p.add_argument("--into", required=True)
    p.add_argument("--flows", default="")
    p.add_argument("--replace", action="store_true", help="replace a team library map of that name")

    p = sub.add_parser("score", help="print the coherence score and findings")
    p.add_argument("map")
    p.add_argument("--json", action="store_true")
    p.add_argument("--contract", type=int, choices=(1, 2), default=2, help="score contract (docs/score.md)")

    p = sub.add_parser("export", help="export a map as an image, PDF, JSON, CSV or XLSX")
    p.add_argument("map")
    p.add_argument("--to", required=True)
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--theme", choices=("light", "dark", "projector"), default="light")
    p.add_argument("--transparent", action="store_true")

    p = sub.add_parser("version", help="save or list named versions inside a map file")
    p.add_argument("map")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", metavar="NAME")
    group.add_argument("--list", action="store_true")
    p.add_argument("--note", default="")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("compare", help="compare two versions of a map, or two maps")
    p.add_argument("maps", nargs="+")
    p.add_argument("--from", dest="from_version", default="")
    p.add_argument("--to", dest="to_version", default="")
    p.add_argument("--json", action="store_true")

    from desktop.cli_library import add_parser

    add_parser(sub)
    return parser


def run(argv: Sequence[str]) -> int:
    """`main.py` entry: a command runs headless; no command (or a map path) opens the window."""
    args = list(argv)
    opens_map = (
        bool(args) and len(args) == 1 and (args[0].lower().endswith(MAP_SUFFIXES) or _is_address(args[0]))
    )
    if not args or opens_map:
        import gc

        gc.disable()  # start-up makes no cycles worth a collection: on again once the window has painted
        from desktop.app import main as open_window

        return open_window(args)
    if args[0] in ("-h", "--help"):
        _parser().print_help()
        return 0
    return run_command(args)


def run_command(argv: Sequence[str]) -> int:
    try:
        args = _parser().parse_args(list(argv))
        handler: Callable[[argparse.Namespace], int] = HANDLERS[args.command]
        return handler(args)
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    except MapError as exc:
        problems = getattr(exc, "problems", None)
        return _fail(*(str(p) for p in problems)) if problems else _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("interrupted")
    except OSError as exc:
        return _fail(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))
    except Exception as exc:  # noqa: BLE001 - the CLI promises no traceback
        return _fail(f"unexpected error: {type(exc).__name__}: {exc}")


def _fail(*messages: str) -> int:
    for message in messages[:MAX_LISTED]:
        print(f"error: {' '.join(str(message).split())}", file=sys.stderr)
    if len(messages) > MAX_LISTED:
        print(f"error: … and {len(messages) - MAX_LISTED} more", file=sys.stderr)
    return 2


def _warn(messages: Sequence[object]) -> None:
    for message in messages[:MAX_LISTED]:
        print(f"warning: {' '.join(str(message).split())}", file=sys.stderr)
    if len(messages) > MAX_LISTED:
        print(f"warning: … and {len(messages) - MAX_LISTED} more", file=sys.stderr)


def _is_address(text: str) -> bool:
    """A team library address (`postgresql://host/db#Map name`): every command that takes a map takes one."""
    return text.strip().lower().startswith(("postgresql://", "postgres://"))


def _need(path: Path, suffixes: tuple[str, ...], role: str) -> None:
    if path.suffix.lower() not in suffixes:
        raise MapError(f"{path.name}: {role} must be one of {', '.join(suffixes)}")


def read_map(path_text: str, for_score: bool = False):
    """A map from a .distarch file (read-only, works while a window edits it) or an interchange .json.

    `for_score`: the map is only scored, never drawn or written: JSON gets no layout, and of a .distarch
    file only what the score reads is read (store/scored.py).
    """
    from desktop.domain import interchange

    if _is_address(path_text):
        from desktop.cli_library import open_repository

        with open_repository(path_text) as repo:
            return repo.load()
    path = Path(path_text)
    _need(path, READABLE, "a map")
    if path.suffix.lower() == ".json":
        if not path.is_file():
            from desktop.io.files import not_a_file

            raise MapError(not_a_file(path))
        try:
            return interchange.loads(path.read_bytes(), layout=not for_score)
        except MapError as exc:
            raise MapError(exc.message, f"{path.name}: {exc.where}" if exc.where else path.name) from None
    from desktop.store.opening import open_map

    repository = open_map(str(path), read_only=True, trusted=for_score)
    try:
        return repository.load()
    finally:
        repository.close()


def read_room(path_text: str):
    """A workshop room's vote kept with a map: the setting `room` of a .distarch, the key `room` of JSON."""
    from desktop.room.votes import ROOM_KEY, VoteResults, results_in_json

    path = Path(path_text)
    if path.suffix.lower() == ".json":
        return results_in_json(path.read_bytes())
    from desktop.store.opening import open_map

    repository = open_map(path_text if _is_address(path_text) else str(path), read_only=True)
    try:
        return VoteResults.loads(repository.setting(ROOM_KEY))
    finally:
        repository.close()


def read_source(source: Path, flows: str = ""):
    """Any importable file, read by the Import dialog's reader: the map, or every problem (exit 2)."""
    from desktop.io.import_source import read_source as read_import

    found = read_import(source, Path(flows) if flows else None, read_map)
    arch = found.checked()
    _warn([warning.line for warning in found.warnings])
    return arch


def cmd_new(args: argparse.Namespace) -> int:
    from desktop.domain import interchange
    from desktop.domain.model import ArchitectureMap, MapInfo
    from desktop.resources import template_names, template_path
    from desktop.store.document import write_new_file

    address = _is_address(args.map)
    path = Path(args.map)
    if not address:
        _need(path, MAP_SUFFIXES, "a new map")
    if args.template:
        found = template_path(args.template)
        if found is None:
            raise MapError(f"no template {args.template!r} (templates: {', '.join(template_names())})")
        arch = interchange.loads(found.read_bytes())
    else:
        arch = ArchitectureMap(info=MapInfo(name=path.stem))
    if address:
        from desktop.cli_library import new_map

        print(new_map(args.map, arch))
        return 0
    write_new_file(path.absolute(), arch)
    print(f"created {path} ({len(arch)} channels)")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from desktop.store.importing import import_into

    if _is_address(args.into):
        from desktop.cli_library import import_into as publish

        print(publish(args.into, read_source(Path(args.source), args.flows), args.replace))
        return 0
    target = Path(args.into)
    _need(target, MAP_SUFFIXES, "--into")
    source = Path(args.source)
    arch = read_source(source, args.flows)
    _, created = import_into(target, arch, wait=LOCK_WAIT, source_name=source.name)
    if created and source.suffix.lower() == ".json":
        _keep_room(target, read_room(args.source))
    verb = "created" if created else "imported into"
    print(f"{verb} {target}: {len(arch)} channels, {len(arch.flows)} flows")
    return 0


@contextmanager
def _editing(path: Path, wait: float = 0.0) -> Iterator[MapEditor]:
    """The map at `path` open for writing through the editor (a read-only map is refused).

    `wait`: seconds to wait for another command's lock before refusing.
    """
    from desktop.document.editor import MapEditor
    from desktop.store.opening import open_map

    repository = open_map(str(path.absolute()), wait=wait)
    if repository.read_only:
        reason = repository.read_only_reason
        repository.close()
        raise MapError(reason)
    editor = MapEditor(repository)
    try:
        yield editor
    finally:
        editor.close()


def _keep_room(target: Path, results) -> None:
    """A new map made from JSON keeps the room's vote the JSON carried (the setting `room`)."""
    if not results.results:
        return
    from desktop.room.votes import ROOM_KEY
    from desktop.store.opening import open_map

    repository = open_map(str(target.absolute()), wait=LOCK_WAIT)
    try:
        repository.set_setting(ROOM_KEY, results.dumps())
    finally:
        repository.close()


def cmd_score(args: argparse.Namespace) -> int:
    import gc

    from desktop.domain.coherence import assess, summary_text

    gc.disable()  # one short run builds the map once and keeps it: collecting would only scan it, again and again
    arch = read_map(args.map, for_score=True)
    report = assess(arch, args.contract)
    _KEPT[:] = (arch, report)  # freed by the process's end, not one object at a time (see process_exit.py)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(summary_text(report))
    return 0


# The last scored map and its report. `main.py` leaves through `exit_now`, which frees nothing:
# letting a 10,000-channel map go when `cmd_score` returns would free its 30,000 objects one by
# one, 4-6 ms of a 130 ms run. A second score in the same process (the tests) lets the first go.
_KEPT: list[object] = []


def cmd_export(args: argparse.Namespace) -> int:
    out = Path(args.to)
    suffix = out.suffix.lower()
    if not out.parent.is_dir():
        raise MapError(f"the folder {out.parent} does not exist")
    if not 1 <= args.scale <= 4:
        raise MapError(f"--scale must be between 1 and 4, not {args.scale:g}")
    arch = read_map(args.map)
    if suffix == ".json":
        from desktop.domain import interchange
        from desktop.io.atomic import write_text
        from desktop.room.votes import interchange_with_room

        write_text(out, interchange_with_room(interchange.to_dict(arch), read_room(args.map)))
    elif suffix == ".csv":
        from desktop.io.tables import write_channels_csv

        write_channels_csv(arch, out)
    elif suffix == ".xlsx":
        from desktop.domain.coherence import assess
        from desktop.io.tables import write_workbook

        write_workbook(arch, assess(arch), out)
    elif suffix in (".png", ".svg", ".pdf"):
        from dataclasses import replace

        from desktop.io.images import ExportOptions, export_map

        options = ExportOptions(scale=args.scale, theme=args.theme, transparent=args.transparent)
        export_map(arch, out, replace(options, votes=read_room(args.map)))
    else:
        raise MapError(f"{out.name}: export writes .png, .svg, .pdf, .json, .csv or .xlsx")
    print(f"wrote {out}")
    return 0


def cmd_version(args: argparse.Namespace) -> int:
    from desktop.store.opening import open_map

    if _is_address(args.map):
        return _library_version(args)
    path = Path(args.map)
    _need(path, MAP_SUFFIXES, "versions live in a map file, which")
    if args.list:
        repository = open_map(str(path), read_only=True)
        try:
            found = repository.list_versions()
        finally:
            repository.close()
        if args.json:
            rows = [
                {"name": v.name, "note": v.note, "created": v.created, "score": round(v.score, 1)}
                for v in found
            ]
            print(json.dumps(rows, indent=2, ensure_ascii=False))
        elif not found:
            print(f"{path.name} has no saved versions")
        else:
            for v in found:
                note = f"  {v.note}" if v.note else ""
                print(f"{v.name:<24} {v.score:5.1f}  {v.created}{note}")
        return 0
    with _editing(path, wait=LOCK_WAIT) as editor:
        done = editor.save_version(args.save, args.note)
        if not done:
            raise MapError(done.reason)
        saved = editor.find_version(args.save)
    assert saved is not None
    print(f"saved version {saved.name!r} of {path.name} (score {saved.score:.1f})")
    return 0


def _library_version(args: argparse.Namespace) -> int:
    """`version URL#Name --save/--list`: the versions of a team library map."""
    from desktop.cli_library import open_repository
    from desktop.domain.coherence import assess

    with open_repository(args.map, read_only=bool(args.list)) as repo:
        if args.list:
            found = repo.list_versions()
            rows = [
                {"name": v.name, "note": v.note, "created": v.created, "score": round(v.score, 1)}
                for v in found
            ]
            if args.json:
                print(json.dumps(rows, indent=2, ensure_ascii=False))
            elif not found:
                print(f"{repo.name} has no saved versions")
            for v in found if not args.json else []:
                note = f"  {v.note}" if v.note else ""
                print(f"{v.name:<24} {v.score:5.1f}  {v.created}{note}")
            return 0
        if repo.read_only:
            raise MapError(repo.read_only_reason)
        arch = repo.load()
        saved = repo.save_version(args.save, args.note, arch, assess(arch).score)
        print(f"saved version {saved.name!r} of {repo.name} (score {saved.score:.1f})")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from desktop.domain.compare import compare, comparison_text

    if len(args.maps) == 1:
        from desktop.store.opening import open_map

        if not args.from_version:
            raise MapError("compare MAP needs --from NAME (or give two map files)")
        if _is_address(args.maps[0]):
            from desktop.cli_library import open_repository

            with open_repository(args.maps[0]) as repo:
                before = repo.load_version(args.from_version)
                after = repo.load_version(args.to_version) if args.to_version else repo.load()
            result = compare(before, after)
            print(
                json.dumps(result.to_dict(), indent=2, ensure_ascii=False)
                if args.json
                else comparison_text(result)
            )
            return 0
        path = Path(args.maps[0])
        _need(path, MAP_SUFFIXES, "a map with versions")
        repository = open_map(str(path), read_only=True)
        try:
            before = repository.load_version(args.from_version)
            after = repository.load_version(args.to_version) if args.to_version else repository.load()
        finally:
            repository.close()
    elif len(args.maps) == 2:
        if args.from_version or args.to_version:
            raise MapError("--from/--to go with one map file, not two")
        before, after = read_map(args.maps[0]), read_map(args.maps[1])
    else:
        raise MapError("compare takes one map (with --from) or two maps")
    result = compare(before, after)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(comparison_text(result))
    return 0


def cmd_library(args: argparse.Namespace) -> int:
    from desktop.cli_library import run as run_library

    return run_library(args)


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "new": cmd_new,
    "import": cmd_import,
    "score": cmd_score,
    "export": cmd_export,
    "version": cmd_version,
    "compare": cmd_compare,
    "library": cmd_library,
}
