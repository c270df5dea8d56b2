"""The one import reader: any importable file, read the same way by the Import dialog and `import`.

An inventory table (CSV, XLSX, ODS, with an optional flows file for a CSV),
interchange JSON, an exported PNG or SVG, or another `.distarch` map (when the
caller can read one) is read into one `ImportSource` without raising: rows as
the spreadsheet shows them, every problem and warning, and the map when there
is no problem. The window lists the problems by row; the command line prints
each as one line (`Problem.line`) and exits 2. Keeping one reader is what keeps
both accepting and refusing the same files with the same reasons.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from desktop.domain import interchange
from desktop.domain.errors import MapError
from desktop.domain.model import ArchitectureMap
from desktop.io.cells import unneutralise
from desktop.io.files import not_a_file
from desktop.io.tables import CHANNEL_COLUMNS, RowProblem, preview_inventory

TABLE_SUFFIXES = (".csv", ".xlsx", ".ods")
MAP_SUFFIXES = (".json", ".png", ".svg", ".distarch")
SUFFIXES = (*TABLE_SUFFIXES, *MAP_SUFFIXES)
UNREADABLE = "import reads .csv, .xlsx, .ods, .json, .png, .svg or .distarch files"

Row = dict[str, str | int]


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason the file cannot be imported; `row` ties it to a row of `table` (0: the whole file).

    `text` is what the preview shows beside its table ("Row 4: …"); `line` says where on its own
    ("channels.csv row 4: …"), for the command line and logs.
    """

    table: str
    row: int
    text: str
    where: str = ""

    @property
    def line(self) -> str:
        return self.where or self.text

    def __str__(self) -> str:
        return self.line


class ImportRefused(MapError):
    """A file that cannot be imported; `.problems` lists every reason, in file order (one line each)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        more = len(self.problems) - 1
        extra = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        super().__init__(self.problems[0].line + extra)


@dataclass(slots=True)
class ImportSource:
    """What a file would import: the rows as read, every problem, and the map (None on any problem)."""

    path: Path
    rows: list[Row] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    flow_rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # imported anyway (an error cell read as blank)
    ignored: list[str] = field(default_factory=list)
    arch: ArchitectureMap | None = None

    @property
    def is_table(self) -> bool:
        return self.path.suffix.lower() in TABLE_SUFFIXES

    def checked(self) -> ArchitectureMap:
        """The map, or `ImportRefused` naming every problem."""
        if self.problems or self.arch is None:
            raise ImportRefused(self.problems or [Problem("", 0, f"{self.path.name}: nothing to import")])
        return self.arch


def read_source(
    path: Path, flows: Path | None = None, read_map: Callable[[str], ArchitectureMap] | None = None
) -> ImportSource:
    """Read any importable file without raising; problems are collected for the preview.

    `read_map` reads a `.distarch` map (the window's `MapFiles.read`, the CLI's `read_map`); without
    it such files are refused. A flows file goes with a CSV inventory only (a workbook has a flows sheet).
    """
    source = ImportSource(path)
    suffix = path.suffix.lower()
    try:
        if not path.is_file():
            source.problems.append(Problem("", 0, not_a_file(path)))
        elif suffix not in SUFFIXES:
            source.problems.append(Problem("", 0, f"{path.name}: {UNREADABLE}"))
        elif flows is not None and suffix != ".csv":
            source.problems.append(
                Problem("", 0, f"{flows.name}: a flows file goes with a CSV inventory, not {path.name}")
            )
        elif suffix in TABLE_SUFFIXES:
            _read_table(source, flows)
        else:
            _read_map(source, read_map)
    except MapError as exc:
        where = f"{exc.where}: " if exc.where else ""
        source.problems.append(Problem("", 0, f"{path.name}: {where}{exc.message}"))
    except OSError as exc:
        source.problems.append(Problem("", 0, f"{path.name} could not be read ({exc.strerror or exc})"))
    if source.problems:
        source.arch = None
    return source


def _read_table(source: ImportSource, flows: Path | None) -> None:
    if flows is not None and not flows.is_file():
        source.problems.append(Problem("", 0, not_a_file(flows)))
        return
    preview = preview_inventory(source.path, flows)
    source.rows, source.flow_rows = preview.rows, preview.flow_rows
    source.columns, source.ignored = list(preview.columns), list(preview.ignored_columns)
    sheet = preview.channel_sheet
    source.problems = [_table_problem(p, source.path, sheet) for p in preview.problems]
    source.warnings = [_table_problem(p, source.path, sheet) for p in preview.warnings]
    source.arch = preview.arch


def _table_problem(problem: RowProblem, path: Path, channel_sheet: str = "channels") -> Problem:
    """'Row 4: …' for the channel rows; other sheets and files say where they are."""
    main = (problem.file or problem.sheet) == path.name and problem.sheet in (path.name, channel_sheet)
    if not problem.row:
        return Problem("", 0, str(problem))
    if main:
        return Problem("channels", problem.row, f"Row {problem.row}: {problem.message}", str(problem))
    place = "Flows sheet" if problem.sheet == "flows" else problem.sheet
    return Problem("flows", problem.row, f"{place}, row {problem.row}: {problem.message}", str(problem))


def _read_map(source: ImportSource, read_map: Callable[[str], ArchitectureMap] | None) -> None:
    path, suffix = source.path, source.path.suffix.lower()
    if suffix == ".json":
        arch = interchange.loads(path.read_bytes())
    elif suffix == ".distarch":
        if read_map is None:
            raise MapError("map files cannot be imported here")
        arch = read_map(str(path))
    else:
        from desktop.io.embedded import read_embedded_map

        arch = read_embedded_map(path)
    source.arch = arch
    source.columns = list(CHANNEL_COLUMNS)
    for number, channel in enumerate(arch.iter_channels(), start=1):
        row: Row = {"row": number}
        for key in CHANNEL_COLUMNS:
            value = getattr(channel, key)
            row[key] = value.value if key == "layer" else _text(value)
        source.rows.append(row)
    for flow in arch.flows:
        source.flow_rows.append(
            {
                "source": arch.channel(flow.source).name,
                "target": arch.channel(flow.target).name,
                "rule": flow.rule,
                "label": flow.label,
            }
        )


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def name_clashes(source: ImportSource, into: ArchitectureMap) -> list[Problem]:
    """Rows naming a channel the open map already has: every one, even when other rows have problems."""
    found = []
    for row in source.rows:
        name = unneutralise(str(row.get("name", "")).strip()).strip()
        existing = into.channel_by_name(name) if name else None
        if existing is not None:
            found.append(
                Problem(
                    "channels",
                    int(row["row"]),
                    f"Row {row['row']}: the map already has a channel named {existing.name!r} "
                    "(rename one, or import into a new map)",
                )
            )
    return found
