"""Property tests: any bytes or cells are imported or refused cleanly; maps survive CSV and XLSX."""

from __future__ import annotations

import codecs
import csv
import io
import tempfile
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.domain.errors import MapError
from desktop.domain.layers import LAYERS
from desktop.domain.layout import slot_y
from desktop.domain.model import TEXT_FIELDS, ArchitectureMap, Channel, Flow, fold
from desktop.domain.validation import one_line
from desktop.io.cells import xml_safe
from desktop.io.inventory_import import lay_out
from desktop.io.tables import (
    CHANNEL_COLUMNS,
    InventoryError,
    preview_inventory,
    read_inventory,
    write_channels_csv,
    write_flows_csv,
    write_workbook,
)

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW_FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

HEADERS = st.sampled_from([*CHANNEL_COLUMNS, " Name ", "LAYER", "Monthly Spend", "owner", "", "source"])
TRICKY_CELLS = st.sampled_from(
    [
        "capture",
        "Routing",
        "execution",
        "FEEDBACK",
        "signal capture",
        "Routng",
        "",
        " ",
        "12,000",
        "$1,200",
        "€",
        "-5",
        "-$5",
        "1e400",
        "inf",
        "NaN",
        "=1+1",
        "'=x",
        "Ads",
        "ads ",
        '"quoted"',
        "a\nb",
        "\x00",
        "x" * 300,
    ]
)
CELLS = st.one_of(TRICKY_CELLS, st.text(max_size=12))


def import_or_refuse(source: Path, flows: Path | None = None) -> None:
    """The contract under test: a map, or InventoryError/MapError; never anything else."""
    preview = preview_inventory(source, flows)
    assert (preview.arch is None) == bool(preview.problems)
    try:
        arch = read_inventory(source, flows)
    except InventoryError as exc:
        assert exc.problems == preview.problems
        assert str(exc) and "\n" not in str(exc).split(": ", 1)[0]
        return
    except MapError:  # pragma: no cover - allowed by the contract, not expected
        return
    assert [c.id for c in arch.channels] == [f"c{i}" for i in range(1, len(arch.channels) + 1)]
    assert all(c.x is not None and c.y is not None for c in arch.channels)
    assert len({c.key for c in arch.channels}) == len(arch.channels)


@FUZZ
@given(
    data=st.one_of(
        st.binary(max_size=600),
        st.binary(max_size=400).map(lambda tail: b"name,layer,monthly_spend\r\n" + tail),
        st.binary(max_size=400).map(lambda tail: codecs.BOM_UTF8 + b"name;layer\n" + tail),
    )
)
def test_any_csv_bytes_are_imported_or_refused(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_bytes(data)
        import_or_refuse(path)


@FUZZ
@given(
    header=st.lists(HEADERS, min_size=1, max_size=6),
    rows=st.lists(st.lists(CELLS, max_size=7), max_size=8),
    flow_rows=st.lists(st.lists(CELLS, min_size=2, max_size=4), max_size=5),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
)
def test_random_cells_in_csv_are_imported_or_refused(header, rows, flow_rows, delimiter, encoding):
    with tempfile.TemporaryDirectory() as folder:
        channels = Path(folder) / "channels.csv"
        flows = Path(folder) / "flows.csv"
        channels.write_bytes(_csv_text([header, *rows], delimiter).encode(encoding, errors="replace"))
        flows.write_bytes(_csv_text([["source", "target", "rule"], *flow_rows], ",").encode("utf-8"))
        import_or_refuse(channels, flows)


@SLOW_FUZZ
@given(
    header=st.lists(HEADERS, min_size=1, max_size=5),
    rows=st.lists(
        st.lists(st.one_of(CELLS, st.floats(), st.integers(-(10**20), 10**20)), max_size=6), max_size=6
    ),
    flow_rows=st.lists(st.lists(CELLS, min_size=2, max_size=3), max_size=4),
    sheet_name=st.sampled_from(["channels", "Channels ", "Sheet1"]),
)
def test_random_cells_in_workbook_are_imported_or_refused(header, rows, flow_rows, sheet_name):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = sheet_name
    for row in [header, *rows]:
        sheet.append([xml_safe(v) if isinstance(v, str) else v for v in row])
    flow_sheet = book.create_sheet("flows")
    for row in [["source", "target"], *flow_rows]:
        flow_sheet.append([xml_safe(v) for v in row])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.xlsx"
        book.save(path)
        import_or_refuse(path)


def _csv_text(rows: list[list[str]], delimiter: str) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue()


# --- maps survive the round trip ---------------------------------------------------


def _text(alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.text(alphabet, max_size=20)


def maps(alphabet: st.SearchStrategy[str], digits: int = 17) -> st.SearchStrategy[ArchitectureMap]:
    """Random valid maps; `digits` limits floats to what the format keeps (Excel keeps 15)."""

    def kept(value: float) -> float:
        return float(f"{value:.{digits}g}")

    number = st.one_of(
        st.none(),
        st.integers(0, 10**9).map(float),
        st.floats(min_value=0, max_value=1e18, allow_nan=False, allow_infinity=False).map(kept),
    )
    coordinate = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False).map(kept)
    name = _text(alphabet).map(one_line).map(str.strip).filter(bool)  # names are one line
    channel = st.tuples(
        name,
        st.sampled_from(LAYERS),
        st.tuples(*[_text(alphabet) for _ in TEXT_FIELDS]),
        number,
        number,
        coordinate,
        coordinate,
    )

    @st.composite
    def build(draw: st.DrawFn) -> ArchitectureMap:
        rows = draw(st.lists(channel, max_size=8, unique_by=lambda row: fold(row[0])))
        channels = [
            Channel(
                id=f"c{i}",
                name=row[0],
                layer=row[1],
                monthly_spend=row[3],
                leads_per_month=row[4],
                x=row[5],
                y=row[6],
                ord=i,
                **dict(zip(TEXT_FIELDS, row[2], strict=True)),
            )
            for i, row in enumerate(rows, start=1)
        ]
        pairs = []
        if len(channels) > 1:
            ends = st.tuples(st.integers(1, len(channels)), st.integers(1, len(channels)))
            pairs = draw(st.lists(ends.filter(lambda p: p[0] != p[1]), max_size=8, unique=True))
        flows = [
            Flow(
                source=f"c{a}", target=f"c{b}", rule=draw(_text(alphabet)), label=draw(_text(alphabet)), ord=i
            )
            for i, (a, b) in enumerate(pairs, start=1)
        ]
        return ArchitectureMap.build(channels, flows)

    return build()


ANY_TEXT = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
XML_TEXT = st.characters(
    blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"
) | st.sampled_from("\t\n'=+-@")


@FUZZ
@given(arch=maps(ANY_TEXT | st.sampled_from("'=+-@\t\r\n\"")))
def test_any_map_survives_csv(arch):
    with tempfile.TemporaryDirectory() as folder:
        channels, flows = Path(folder) / "map.csv", Path(folder) / "flows.csv"
        write_channels_csv(arch, channels)
        write_flows_csv(arch, flows)
        back = read_inventory(channels, flows)
    assert back.channels == arch.channels
    assert back.flows == arch.flows


@SLOW_FUZZ
@given(arch=maps(XML_TEXT, digits=15))
def test_any_map_survives_a_workbook(arch):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "map.xlsx"
        write_workbook(arch, None, path)
        back = read_inventory(path)
    assert back.channels == arch.channels
    assert back.flows == arch.flows


# --- the fast layout places exactly like the plain rescan it replaced -----------------


def naive_place_missing(arch: ArchitectureMap) -> None:
    """The original O(n^3) placement: rescan the lane for every new channel."""
    from desktop.domain.layout import CHANNEL_HEIGHT, default_x

    rows: dict = {layer: [] for layer in LAYERS}
    for c in arch.iter_channels():
        if c.x is not None and c.y is not None:
            rows[c.layer].append(c.y)
    for c in arch.channels:
        if c.x is not None and c.y is not None:
            continue
        taken, row = rows[c.layer], 0
        while any(abs(other - slot_y(row)) < CHANNEL_HEIGHT + 4 for other in taken):
            row += 1
        taken.append(slot_y(row))
        arch.put_channel(c.with_changes(x=c.x if c.x is not None else default_x(c.layer), y=slot_y(row)))


@FUZZ
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(LAYERS),
            st.one_of(st.none(), st.sampled_from([40.0, 420.0, 17.5])),
            st.one_of(
                st.none(),
                st.integers(0, 6).map(slot_y),
                st.floats(0, 800, allow_nan=False),
                st.integers(0, 6).map(lambda r: slot_y(r) + 76),
            ),
        ),
        max_size=25,
    )
)
def test_lay_out_places_exactly_like_place_missing(rows):
    channels = [
        Channel(id=f"c{i}", name=f"n{i}", layer=layer, x=x, y=y, ord=i)
        for i, (layer, x, y) in enumerate(rows, start=1)
    ]
    slow, fast = ArchitectureMap.build(channels), ArchitectureMap.build(channels)
    naive_place_missing(slow)
    lay_out(fast)
    assert fast.channels == slow.channels
