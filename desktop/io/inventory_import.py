"""Import a channel inventory from CSV or XLSX into a map, all or nothing (formats.md, "Tables").

A marketing lead's spreadsheet is the usual start of an audit. Every row is
checked before anything is built, and every problem is reported with the row
number the spreadsheet shows, so that one round of fixes is enough.
`preview_inventory` gives the window the rows and every problem to show before
anything changes; `read_inventory` runs the same checks and raises.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.domain.errors import MapError
from desktop.domain.layers import LAYERS, Layer
from desktop.domain.layout import place_missing, place_positions
from desktop.domain.model import NUMBER_FIELDS, TEXT_FIELDS, ArchitectureMap, Channel, Flow, MapInfo, fold
from desktop.domain.validation import MAX_CHANNELS, MAX_NAME, clean_text, one_line, parse_coordinate
from desktop.domain.vocabulary import parse_automation
from desktop.io.cells import parse_amount, unneutralise
from desktop.io.problems import InventoryError, RowProblem
from desktop.io.sheets import (
    CHANNEL_COLUMNS,
    FITS,
    FLOW_COLUMNS,
    RawTable,
    column_key,
    column_letter,
    is_workbook,
    read_csv_table,
    read_workbook_tables,
)

CHANNELS_SHEET = "channels"
FLOWS_SHEET = "flows"
_LAYER_CHOICES = ", ".join(layer.value for layer in LAYERS)

PreviewRow = dict[str, str | int]


@dataclass(slots=True)
class InventoryPreview:
    """What an import would do, for a preview dialog: the rows as read, every problem, the map.

    Each row maps the recognised columns to the cell text, plus "row": the
    spreadsheet row number. `arch` is None whenever there is any problem.
    """

    rows: list[PreviewRow]
    problems: list[RowProblem]
    arch: ArchitectureMap | None
    warnings: list[RowProblem] = field(default_factory=list)  # imported anyway, but worth a look
    channel_sheet: str = CHANNELS_SHEET  # the sheet the channels came from ("Sheet1" in a one-sheet book)
    columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    flow_rows: list[PreviewRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.arch is not None and not self.problems


def read_inventory(source: Path, flows: Path | None = None) -> ArchitectureMap:
    """The map of an inventory file (CSV, or XLSX with sheets `channels` and maybe `flows`).

    `flows` is an optional second file (CSV, or a workbook's `flows` sheet),
    which takes the place of the source workbook's `flows` sheet. Raises
    InventoryError listing every problem; nothing is built then.
    """
    preview = preview_inventory(source, flows)
    if preview.arch is None:
        raise InventoryError(preview.problems)
    return preview.arch


def preview_inventory(source: Path, flows: Path | None = None) -> InventoryPreview:
    """Read and check an inventory without raising: rows, problems and (when clean) the map."""
    source = Path(source)
    flows = Path(flows) if flows is not None else None
    problems: list[RowProblem] = []
    channel_table, flow_table = _read_sources(source, flows, problems)
    preview = InventoryPreview(rows=[], problems=problems, arch=None)
    checked = _ChannelCheck(problems)
    if channel_table is not None:
        preview.channel_sheet = channel_table.sheet
    for table in (channel_table, flow_table):
        if table is not None:
            preview.warnings += table.warnings
    if channel_table is not None and len(channel_table.rows) > MAX_CHANNELS:
        problems.append(
            channel_table.problem(
                0,
                f"{len(channel_table.rows):,} channel rows; a map holds at most {MAX_CHANNELS:,} channels "
                "(split the inventory into several maps)",
            )
        )
        return preview
    if channel_table is not None:
        checked.run(channel_table, preview)
    flow_list: list[Flow] = []
    if flow_table is not None:
        flow_list = _check_flows(flow_table, checked.ids, preview)
    if not problems:
        preview.arch = _build(source, checked.channels, flow_list)
    return preview


def _read_sources(
    source: Path, flows: Path | None, problems: list[RowProblem]
) -> tuple[RawTable | None, RawTable | None]:
    channel_table: RawTable | None = None
    flow_table: RawTable | None = None
    try:
        if is_workbook(source):
            wanted = (CHANNELS_SHEET,) if flows is not None else (CHANNELS_SHEET, FLOWS_SHEET)
            tables, names = read_workbook_tables(source, wanted)
            channel_table = tables.get(CHANNELS_SHEET)
            flow_table = tables.get(FLOWS_SHEET)
            if channel_table is None:
                problems.append(_no_sheet(source, CHANNELS_SHEET, names))
        else:
            channel_table = read_csv_table(source, frozenset(CHANNEL_COLUMNS))
    except InventoryError as exc:
        problems.extend(exc.problems)
    if flows is None:
        return channel_table, flow_table
    try:
        if is_workbook(flows):
            tables, names = read_workbook_tables(flows, (FLOWS_SHEET,))
            flow_table = tables.get(FLOWS_SHEET)
            if flow_table is None:
                problems.append(_no_sheet(flows, FLOWS_SHEET, names))
        else:
            flow_table = read_csv_table(flows, frozenset(FLOW_COLUMNS))
    except InventoryError as exc:
        problems.extend(exc.problems)
    return channel_table, flow_table


def _no_sheet(path: Path, sheet: str, names: list[str]) -> RowProblem:
    found = ", ".join(names) if names else "none"
    return RowProblem(
        path.name,
        0,
        f"the workbook has no sheet named {sheet!r} and no sheet with the columns "
        f"{' and '.join(FITS[sheet])} (sheets: {found})",
        path.name,
    )


def _columns(
    table: RawTable, known: tuple[str, ...], required: tuple[str, ...], problems: list[RowProblem]
) -> tuple[dict[str, int], list[str], bool]:
    """Recognised columns -> cell index, the ignored headers, and whether every required one is there."""
    found: dict[str, int] = {}
    ignored: list[str] = []
    for index, header in enumerate(table.header):
        key = column_key(header)
        if key not in known:
            if header.strip():
                ignored.append(header.strip())
            continue
        if key in found:
            first, again = column_letter(found[key]), column_letter(index)
            problems.append(
                table.problem(
                    table.header_row, f"the column {key!r} appears twice (columns {first} and {again})"
                )
            )
            continue
        found[key] = index
    complete = True
    for key in required:
        if key not in found:
            complete = False
            shown = ", ".join(h.strip() for h in table.header if h.strip())[:200] or "none"
            problems.append(
                table.problem(table.header_row, f"missing required column {key!r} (columns found: {shown})")
            )
    ordered = {key: found[key] for key in known if key in found}
    return ordered, ignored, complete


def _cells(cells: list[str], columns: dict[str, int]) -> dict[str, str]:
    return {key: (cells[index] if index < len(cells) else "") for key, index in columns.items()}


def _empty_message(table: RawTable) -> str:
    return "the sheet is empty" if table.sheet != table.file else "the file is empty"


class _ChannelCheck:
    """Checks channel rows, keeping the channels, the name index and the problems."""

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = problems
        self.channels: list[dict[str, Any]] = []  # checked rows, as Channel arguments
        # Folded name -> channel id, for every row with a name (even a bad row), so that
        # a flow naming a row that failed for another reason is not also "unknown".
        self.ids: dict[str, str] | None = {}
        self.first_row: dict[str, int] = {}

    def run(self, table: RawTable, preview: InventoryPreview) -> None:
        if not table.header_row:
            self.problems.append(table.problem(0, _empty_message(table)))
            return
        columns, ignored, complete = _columns(table, CHANNEL_COLUMNS, ("name", "layer"), self.problems)
        preview.columns = list(columns)
        preview.ignored_columns = ignored
        if "name" not in columns:
            self.ids = None
        for index, (number, cells) in enumerate(table.rows, start=1):
            values = _cells(cells, columns)
            preview.rows.append({"row": number, **values})
            if complete:
                self._row(table, number, f"c{index}", index, values)

    def _row(self, table: RawTable, number: int, cid: str, ord_: int, values: dict[str, str]) -> None:
        messages: list[str] = []
        name = one_line(unneutralise(values["name"].strip())).strip()
        try:
            name = clean_text(name, "name", MAX_NAME)
        except MapError as exc:
            messages.append(exc.message)
            name = ""
        if not name and not messages:
            messages.append("the name is blank")
        elif name:
            key = fold(name)
            if key in self.first_row:
                messages.append(f"duplicate name {name!r} (first on row {self.first_row[key]})")
            else:
                self.first_row[key] = number
                if self.ids is not None:
                    self.ids[key] = cid
        layer: Layer | None = None
        if not values["layer"].strip():
            messages.append(f"the layer is blank (use one of: {_LAYER_CHOICES})")
        else:
            try:
                layer = Layer.parse(values["layer"])
            except ValueError as exc:
                messages.append(str(exc))
        fields: dict[str, object] = {}
        for key in TEXT_FIELDS:
            try:
                fields[key] = _text(values.get(key, ""), key)
            except MapError as exc:
                messages.append(exc.message)
        for key in NUMBER_FIELDS:
            try:
                fields[key] = parse_amount(values.get(key, ""), key)
            except MapError as exc:
                messages.append(exc.message)
        for key in ("x", "y"):
            try:
                fields[key] = parse_coordinate(values.get(key, "").strip(), key)
            except MapError as exc:
                messages.append(exc.message)
        try:  # ai, yes, true, x or 1 in any case mean AI (docs/formats.md)
            fields["automation"] = parse_automation(unneutralise(values.get("automation", "")))
        except ValueError as exc:
            messages.append(str(exc))
        self.problems.extend(table.problem(number, message) for message in messages)
        if not messages and layer is not None:
            self.channels.append({"id": cid, "name": name, "layer": layer, "ord": ord_, **fields})


def _check_flows(table: RawTable, ids: dict[str, str] | None, preview: InventoryPreview) -> list[Flow]:
    """Flow rows by channel name; an empty flows sheet or file simply has no flows."""
    problems = preview.problems
    if not table.header_row:
        return []
    columns, _ignored, complete = _columns(table, FLOW_COLUMNS, ("source", "target"), problems)
    flows: list[Flow] = []
    first_row: dict[tuple[str, str], int] = {}
    for index, (number, cells) in enumerate(table.rows, start=1):
        values = _cells(cells, columns)
        preview.flow_rows.append({"row": number, **values})
        if not complete:
            continue
        messages: list[str] = []
        ends: list[tuple[str, str | None]] = []
        for end in ("source", "target"):
            name = unneutralise(values[end].strip()).strip()
            found = ids.get(fold(name)) if ids is not None else None
            if not name:
                messages.append(f"the {end} is blank")
            elif ids is not None and found is None:
                messages.append(f"the {end} {name!r} is not the name of any channel")
            ends.append((name, found))
        (source_name, source), (target_name, target) = ends
        if source is not None and target is not None:
            if source == target:
                messages.append(f"a flow cannot go from {source_name!r} to itself")
            elif (source, target) in first_row:
                messages.append(
                    f"repeated flow from {source_name!r} to {target_name!r} "
                    f"(first on row {first_row[(source, target)]})"
                )
            else:
                first_row[(source, target)] = number
        texts: dict[str, str] = {}
        for key in ("rule", "label"):
            try:
                texts[key] = _text(values.get(key, ""), key)
            except MapError as exc:
                messages.append(exc.message)
        problems.extend(table.problem(number, message) for message in messages)
        if not messages and source is not None and target is not None:
            flows.append(Flow(source=source, target=target, ord=index, **texts))
    return flows


def _text(raw: str, key: str) -> str:
    text = unneutralise(raw)
    return clean_text(text, key) if text else ""


def _build(source: Path, rows: list[dict[str, Any]], flows: list[Flow]) -> ArchitectureMap:
    """The map from checked rows (the row checks apply every rule of `validation`), laid out."""
    name = source.stem.strip()[:MAX_NAME] or "Imported inventory"
    arch = ArchitectureMap.build([Channel(**row) for row in rows], flows, MapInfo(name=name))
    place_missing(arch)
    return arch


place = place_positions
lay_out = place_missing
