"""CSV/XLSX inventories: round trips, every refusal with its row number, neutralised exports, the sample."""

from __future__ import annotations

import csv
import subprocess
import sys
import time

import openpyxl
import pytest

from desktop.domain import interchange
from desktop.domain.coherence import assess
from desktop.domain.errors import MapError
from desktop.domain.layers import LAYERS, Layer
from desktop.domain.layout import CHANNEL_HEIGHT, CHANNEL_WIDTH, lane_of_x
from desktop.io import sheets
from desktop.io.tables import (
    InventoryError,
    preview_inventory,
    read_inventory,
    write_channels_csv,
    write_flows_csv,
    write_workbook,
)
from tests.io.tables_data import (
    HEADER,
    SAMPLES,
    assert_same_map,
    problems_of,
    tricky_map,
    with_line_feeds,
    write,
)

# --- start-up cost and XML safety ----------------------------------------------


def test_importing_tables_loads_neither_pandas_nor_openpyxl():
    code = (
        "import sys, desktop.io.tables\n"
        "heavy = [m for m in ('pandas', 'openpyxl', 'numpy') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_openpyxl_parses_xml_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True


# --- round trips ---------------------------------------------------------------


def test_map_to_csv_and_back_keeps_every_field(tmp_path):
    arch = tricky_map()
    write_channels_csv(arch, tmp_path / "tricky.csv")
    write_flows_csv(arch, tmp_path / "tricky_flows.csv")
    back = read_inventory(tmp_path / "tricky.csv", tmp_path / "tricky_flows.csv")
    assert_same_map(back, arch)
    assert back.info.name == "tricky"


def test_csv_to_map_to_csv_is_byte_identical(tmp_path):
    arch = tricky_map()
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    write_channels_csv(arch, first)
    write_channels_csv(read_inventory(first), second)
    assert first.read_bytes() == second.read_bytes()


def test_sample_csv_fields_survive_import_and_export(tmp_path):
    arch = read_inventory(SAMPLES / "inventory.csv", SAMPLES / "inventory_flows.csv")
    write_channels_csv(arch, tmp_path / "out.csv")
    with (SAMPLES / "inventory.csv").open(encoding="utf-8-sig", newline="") as handle:
        original = list(csv.DictReader(handle))
    with (tmp_path / "out.csv").open(encoding="utf-8-sig", newline="") as handle:
        exported = list(csv.DictReader(handle))
    assert len(original) == len(exported) == 40
    for before, after in zip(original, exported, strict=True):
        for header, value in before.items():
            key = sheets.column_key(header)
            if key == "layer":
                assert after[key] == value.casefold()
            elif key in ("monthly_spend", "leads_per_month"):
                assert (float(after[key]) if after[key] else None) == (float(value) if value else None)
            else:
                assert after[key] == value


def test_map_to_workbook_and_back_keeps_every_field(tmp_path):
    arch = tricky_map()
    write_workbook(arch, assess(arch), tmp_path / "tricky.xlsx")
    back = read_inventory(tmp_path / "tricky.xlsx")
    assert_same_map(back, with_line_feeds(arch))
    assert back.channels[1].message == "\nmessage"


def test_json_to_map_to_csv_and_workbook_and_back(tmp_path):
    arch = interchange.loads(interchange.dumps(tricky_map()))
    write_workbook(arch, None, tmp_path / "book.xlsx")
    write_channels_csv(arch, tmp_path / "tricky.csv")
    write_flows_csv(arch, tmp_path / "flows.csv")
    from_book = read_inventory(tmp_path / "book.xlsx")
    from_csv = read_inventory(tmp_path / "tricky.csv", tmp_path / "flows.csv")
    assert_same_map(from_book, with_line_feeds(arch))
    assert_same_map(from_csv, arch)
    assert interchange.dumps(from_csv) == interchange.dumps(arch)


def test_flows_csv_replaces_the_workbook_flows_sheet(tmp_path):
    arch = tricky_map()
    write_workbook(arch, None, tmp_path / "book.xlsx")
    write(tmp_path / "flows.csv", "source,target,rule\nPaid search,Attribution,all\n")
    back = read_inventory(tmp_path / "book.xlsx", tmp_path / "flows.csv")
    assert [(f.source, f.target, f.rule) for f in back.flows] == [("c1", "c4", "all")]


# --- encodings, delimiters, numbers, headers ---------------------------------------


@pytest.mark.parametrize(
    ("encoding", "prefix", "delimiter"),
    [
        ("utf-8", "", ","),
        ("utf-8", "\ufeff", ","),
        ("cp1252", "", ";"),
        ("utf-16", "", "\t"),
        ("utf-8", "\ufeff", ";"),
        ("utf-8", "", "|"),
    ],
)
def test_encodings_and_delimiters(tmp_path, encoding, prefix, delimiter):
    text = prefix + delimiter.join(["name", "layer", "notes"]) + "\r\n"
    text += delimiter.join(["Café Webinars", "capture", "Déjà vu, twice"]) + "\r\n"
    if delimiter == ",":
        text = text.replace("Déjà vu, twice", '"Déjà vu, twice"')
    arch = read_inventory(write(tmp_path / "in.csv", text, encoding))
    (channel,) = arch.channels
    assert (channel.name, channel.layer, channel.notes) == ("Café Webinars", Layer.CAPTURE, "Déjà vu, twice")


def test_a_european_sheet_keeps_its_decimal_commas(tmp_path):
    text = "Name;Layer;Monthly spend;Leads per month\r\n"
    text += "Webinars;capture;12000,50;140\r\nTrade shows;capture;1.250,75;7,5\r\n"
    arch = read_inventory(write(tmp_path / "de.csv", text, "cp1252"))
    spend = {c.name: (c.monthly_spend, c.leads_per_month) for c in arch.channels}
    assert spend == {"Webinars": (12000.5, 140.0), "Trade shows": (1250.75, 7.5)}


def test_utf8_with_and_without_bom_import_the_same(tmp_path):
    body = f'{HEADER}\nWebinars,capture,webinars,ON24,SMB,sales-led,Grow,"2,500",140,Naïve\n'
    plain = read_inventory(write(tmp_path / "plain.csv", body))
    bom = read_inventory(write(tmp_path / "plain2.csv", "\ufeff" + body))
    assert plain.channels == bom.channels
    assert plain.channels[0].notes == "Naïve"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('"12,000"', 12000.0),
        ('"$12,000"', 12000.0),
        ('"€ 1 200"', 1200.0),
        ('"£3,500.50"', 3500.5),
        ("  42  ", 42.0),
        ("", None),
        ("0", 0.0),
    ],
)
def test_amounts_with_separators_and_currency(tmp_path, cell, expected):
    path = write(tmp_path / "in.csv", f"name,layer,monthly_spend\nAds,capture,{cell}\n")
    assert read_inventory(path).channels[0].monthly_spend == expected


def test_header_case_space_and_underscore_variants(tmp_path):
    header = " NAME , Layer,Function ,TOOL,segment,Motion,MESSAGE,Monthly Spend,leads-per-month, Notes_ "
    path = write(tmp_path / "in.csv", f"{header}\nAds,Capture,paid,Google,SMB,sales-led,Hi,100,5,n\n")
    (channel,) = read_inventory(path).channels
    assert (channel.function, channel.tool, channel.monthly_spend, channel.leads_per_month) == (
        "paid",
        "Google",
        100.0,
        5.0,
    )
    assert channel.notes == "n"


def test_blank_rows_are_skipped_and_row_numbers_kept(tmp_path):
    text = "name,layer\n\nAds,capture\n , \nChat,banana\n"
    problems = problems_of(write(tmp_path / "in.csv", text))
    assert [(p.row, p.message.split(" (")[0]) for p in problems] == [(5, "unknown layer 'banana'")]
    preview = preview_inventory(tmp_path / "in.csv")
    assert [row["row"] for row in preview.rows] == [3, 5]
    assert preview.arch is None


def test_extra_columns_are_ignored_and_listed(tmp_path):
    path = write(tmp_path / "in.csv", "name,layer,owner,id\nAds,capture,Kim,77\n")
    preview = preview_inventory(path)
    assert preview.ok and preview.ignored_columns == ["owner", "id"]
    assert preview.columns == ["name", "layer"]
    assert preview.arch is not None and preview.arch.channels[0].id == "c1"


# --- refusals, each with its row -------------------------------------------------

ERROR_CASES = {
    "missing layer column": ("name,tool\nAds,Google\n", 1, "missing required column 'layer'"),
    "missing name column": ("layer\ncapture\n", 1, "missing required column 'name'"),
    "unknown layer": (
        "name,layer\nAds,capture\nChat,capture\nScore,Routng\n",
        4,
        "unknown layer 'Routng' (use one of: capture, routing, execution, feedback)",
    ),
    "blank layer": ("name,layer\nAds,\n", 2, "the layer is blank"),
    "duplicate name": ("name,layer\nAds,capture\nChat,capture\n  ADS ,routing\n", 4, "(first on row 2)"),
    "negative number": ("name,layer,monthly_spend\nAds,capture,-5\n", 2, "must not be negative"),
    "negative amount": ("name,layer,monthly_spend\nAds,capture,-$5\n", 2, "must not be negative"),
    "non-numeric": ("name,layer,leads_per_month\nAds,capture,lots\n", 2, "must be a number, not 'lots'"),
    "blank name": ("name,layer\nAds,capture\n,routing\n", 3, "the name is blank"),
    "repeated column": ("name,layer,Name\nAds,capture,x\n", 1, "appears twice (columns A and C)"),
    "bad coordinate": ("name,layer,x\nAds,capture,left\n", 2, "x must be a number"),
}


@pytest.mark.parametrize("case", list(ERROR_CASES))
def test_channel_errors_name_their_row(tmp_path, case):
    text, row, words = ERROR_CASES[case]
    problems = problems_of(write(tmp_path / "channels.csv", text))
    assert any(p.row == row and words in p.message for p in problems), problems
    assert all(p.sheet == "channels.csv" for p in problems)


FLOW_CASES = {
    "unknown name": (
        "source,target,rule\nAds,Nowhere,\n",
        2,
        "the target 'Nowhere' is not the name of any channel",
    ),
    "self-flow": ("source,target\nAds,Ads\n", 2, "a flow cannot go from 'Ads' to itself"),
    "repeated pair": ("source,target\nAds,Score\nChat,Score\n ads ,SCORE\n", 4, "(first on row 2)"),
    "blank source": ("source,target\n,Score\n", 2, "the source is blank"),
    "missing target column": ("source,rule\nAds,x\n", 1, "missing required column 'target'"),
}


@pytest.mark.parametrize("case", list(FLOW_CASES))
def test_flow_errors_name_their_row(tmp_path, case):
    text, row, words = FLOW_CASES[case]
    channels = write(tmp_path / "channels.csv", "name,layer\nAds,capture\nChat,capture\nScore,routing\n")
    problems = problems_of(channels, write(tmp_path / "flows.csv", text))
    assert [(p.sheet, p.row) for p in problems] == [("flows.csv", row)]
    assert words in problems[0].message


def test_flow_naming_a_bad_channel_row_is_not_also_unknown(tmp_path):
    channels = write(tmp_path / "channels.csv", "name,layer\nAds,capture\nScore,Routng\n")
    flows = write(tmp_path / "flows.csv", "source,target\nAds,Score\n")
    problems = problems_of(channels, flows)
    assert [(p.sheet, p.row) for p in problems] == [("channels.csv", 3)]


def test_every_problem_is_collected_into_one_line(tmp_path):
    text = "name,layer,monthly_spend\nAds,capture,1\nChat,capture,2\nScore,Routng,3\nAds,routing,x\n"
    with pytest.raises(InventoryError) as caught:
        read_inventory(write(tmp_path / "channels.csv", text))
    error = caught.value
    assert isinstance(error, MapError)
    assert str(error) == (
        "channels.csv row 4: unknown layer 'Routng' (use one of: capture, routing, execution, feedback)"
        " (and 2 more problems)"
    )
    assert [(p.row, p.message) for p in error.problems] == [
        (4, "unknown layer 'Routng' (use one of: capture, routing, execution, feedback)"),
        (5, "duplicate name 'Ads' (first on row 2)"),
        (5, "monthly_spend must be a number, not 'x'"),
    ]
    assert "\n" not in str(error)


def test_preview_shows_rows_and_problems_and_no_map(tmp_path):
    channels = write(tmp_path / "channels.csv", "name,layer\nAds,capture\nScore,Routng\n")
    flows = write(tmp_path / "flows.csv", "source,target,rule\nAds,Ghost,x\n")
    preview = preview_inventory(channels, flows)
    assert preview.arch is None and not preview.ok
    assert preview.rows == [
        {"row": 2, "name": "Ads", "layer": "capture"},
        {"row": 3, "name": "Score", "layer": "Routng"},
    ]
    assert preview.flow_rows == [{"row": 2, "source": "Ads", "target": "Ghost", "rule": "x"}]
    assert [str(p) for p in preview.problems] == [
        "channels.csv row 3: unknown layer 'Routng' (use one of: capture, routing, execution, feedback)",
        "flows.csv row 2: the target 'Ghost' is not the name of any channel",
    ]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "the file is empty"),
        (b"  \r\n\r\n", "the file is empty"),
        (b",,,\r\n,,\r\n", "the file is empty"),
        (b"name,layer\x00\x01\x02", "binary data"),
    ],
)
def test_empty_and_binary_csv_files(tmp_path, data, words):
    path = tmp_path / "channels.csv"
    path.write_bytes(data)
    (problem,) = problems_of(path)
    assert (problem.row, problem.sheet) == (0, "channels.csv")
    assert words in problem.message


def test_header_only_csv_is_an_empty_map(tmp_path):
    arch = read_inventory(write(tmp_path / "channels.csv", HEADER + "\n"))
    assert arch.channels == [] and arch.flows == []


def test_missing_file_is_a_problem_not_a_crash(tmp_path):
    (problem,) = problems_of(tmp_path / "nowhere.csv")
    assert "cannot read the file" in problem.message


def test_file_too_large_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(sheets, "MAX_BYTES", 100)
    path = write(tmp_path / "big.csv", "name,layer\n" + "Ads,capture\n" * 20)
    (problem,) = problems_of(path)
    assert problem.message.startswith("the file is too large")
    assert problem.row == 0


def test_too_many_rows_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(sheets, "MAX_ROWS", 5)
    path = write(tmp_path / "many.csv", "name,layer\n" + "".join(f"C{i},capture\n" for i in range(6)))
    (problem,) = problems_of(path)
    assert "more than 5 rows" in problem.message
    assert read_inventory(write(tmp_path / "ok.csv", "name,layer\n" + "C,capture\n"))


# --- the shipped sample ----------------------------------------------------------------


@pytest.mark.parametrize(
    "files", [("inventory.xlsx", None), ("inventory.csv", "inventory_flows.csv")], ids=["xlsx", "csv"]
)
def test_sample_inventory_imports_cleanly_into_lanes(files):
    source, flows = files
    preview = preview_inventory(SAMPLES / source, SAMPLES / flows if flows else None)
    assert preview.problems == []
    arch = preview.arch
    assert arch is not None and arch.info.name == "inventory"
    assert len(arch.channels) == 40 and 30 <= len(arch.flows) <= 40
    assert {c.layer for c in arch.channels} == set(LAYERS)
    assert [c.id for c in arch.channels] == [f"c{i}" for i in range(1, 41)]
    for channel in arch.channels:
        assert channel.x is not None and channel.y is not None
        assert lane_of_x(channel.x + CHANNEL_WIDTH / 2) is channel.layer
    boxes = [(c.x, c.y) for c in arch.channels]
    for i, (x1, y1) in enumerate(boxes):
        for x2, y2 in boxes[i + 1 :]:
            assert abs(x1 - x2) >= CHANNEL_WIDTH or abs(y1 - y2) >= CHANNEL_HEIGHT


def test_sample_csv_and_workbook_hold_the_same_inventory():
    from_book = read_inventory(SAMPLES / "inventory.xlsx")
    from_csv = read_inventory(SAMPLES / "inventory.csv", SAMPLES / "inventory_flows.csv")
    assert_same_map(from_csv, from_book)
    functions = [(c.layer, c.function) for c in from_book.channels]
    assert len(set(functions)) < len(functions), "the sample keeps a few duplicated functions"
    execution = [c for c in from_book.channels if c.layer is Layer.EXECUTION]
    assert any(c.leads_per_month is None for c in execution), "and some unmeasured execution channels"


# --- scale ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_twenty_thousand_rows_import_quickly(tmp_path):
    layers = [layer.value for layer in LAYERS]
    lines = [HEADER]
    for i in range(20_000):
        lines.append(
            f"Channel {i},{layers[i % 4]},fn-{i % 37},Tool {i % 11},SMB,sales-led,Message {i % 5},"
            f'"{(i * 37) % 50_000:,}",{i % 300},note {i}'
        )
    path = write(tmp_path / "big.csv", "\r\n".join(lines) + "\r\n")
    wall, cpu = time.perf_counter(), time.process_time()
    arch = read_inventory(path)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"\n20,000-row CSV imported in {wall:.2f} s ({cpu:.2f} s of CPU)")
    assert len(arch.channels) == 20_000
    assert arch.channel("c20000").name == "Channel 19999"
    assert len({(c.layer, c.y) for c in arch.channels}) == 20_000
    # CPU time, so that other work on a busy machine does not fail the test.
    assert cpu < 5.0
