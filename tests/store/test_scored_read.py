"""The score-only read (store/scored.py, what `score` of a .distarch file uses), case by case.

tests/store/test_trusted_read.py tampers random cells; these are the cases a
reviewer asks about: a file whose rows moved in storage (contract 1 names the
first channel of a lane, so map order must survive), every column the score
does not read, text that is not UTF-8, an older schema, and the `score` command.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from desktop.cli import run_command
from desktop.domain.coherence import CONTRACTS, assess
from desktop.domain.errors import MapError
from desktop.domain.layers import Layer
from desktop.domain.model import ArchitectureMap, Channel, Flow, MapInfo
from desktop.store.document import MapDocument, write_new_file


def routed_map() -> ArchitectureMap:
    channels = [
        Channel("a", "Ads", Layer.CAPTURE, function="paid-search", x=1.0, y=2.0, leads_per_month=40.0),
        Channel("r1", "Router one", Layer.ROUTING, function="lead-scoring", notes="Café ☕"),
        Channel("r2", "Router two", Layer.ROUTING, function="enrichment", segment="SMB"),
        Channel("s", "SDR team", Layer.EXECUTION, function="sdr", monthly_spend=9000.0, automation="ai"),
    ]
    flows = [Flow("a", "r2", "score > 50"), Flow("r2", "s", label="MQL")]
    return ArchitectureMap.build(
        [c.with_changes(ord=i) for i, c in enumerate(channels, 1)],
        [f.with_changes(ord=i) for i, f in enumerate(flows, 1)],
        MapInfo(name="Routed", currency="EUR"),
    )


def reports(path: Path, trusted: bool) -> tuple[str, ...]:
    try:
        with MapDocument.open(path, read_only=True, trusted=trusted) as doc:
            arch = doc.load()
    except MapError as exc:
        return ("refused", str(exc))
    return tuple(json.dumps(assess(arch, contract).to_dict()) for contract in CONTRACTS)


def trusted_map(path: Path) -> ArchitectureMap:
    with MapDocument.open(path, read_only=True, trusted=True) as doc:
        return doc.load()


def execute(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)  # foreign keys off: a foreign program may do anything
    try:
        with conn:
            for statement in statements:
                conn.execute(statement)
    finally:
        conn.close()


@pytest.fixture
def path(tmp_path) -> Path:
    target = tmp_path / "m.distarch"
    write_new_file(target, routed_map())
    return target


def test_a_clean_file_is_read_for_the_score_only(path):
    arch = trusted_map(path)
    ads = arch.channel("a")
    assert (ads.x, ads.y, ads.leads_per_month) == (None, None, None)  # not read: the score never uses them
    assert arch.channel("s").monthly_spend == 9000.0 and arch.channel("s").is_ai
    assert arch.info.currency == "EUR"
    assert reports(path, trusted=True) == reports(path, trusted=False)


def test_channels_moved_in_storage_are_scored_in_map_order(path):
    """An undone delete writes the channel back with its old `ord` at the end of the table."""
    execute(
        path,
        "CREATE TEMP TABLE kept AS SELECT * FROM channel WHERE id IN ('a', 'r1')",
        "DELETE FROM channel WHERE id IN ('a', 'r1')",
        "INSERT INTO channel SELECT * FROM kept ORDER BY ord DESC",
    )
    conn = sqlite3.connect(path)
    stored = [row[0] for row in conn.execute("SELECT id FROM channel ORDER BY rowid")]
    conn.close()
    assert stored == ["r2", "s", "r1", "a"]
    assert [c.id for c in trusted_map(path).channels] == ["a", "r1", "r2", "s"]
    trusted, checked = reports(path, trusted=True), reports(path, trusted=False)
    assert trusted == checked
    assert "Router one" in trusted[0]  # contract 1 advises the first routing channel of the map


def test_equal_ords_keep_the_checked_reads_order(path):
    execute(path, "UPDATE channel SET ord = 7")
    assert [c.id for c in trusted_map(path).channels] == ["a", "r1", "r2", "s"]
    assert reports(path, trusted=True) == reports(path, trusted=False)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE channel SET notes = 'a' || char(0) || 'b' WHERE id = 'r1'",
        "UPDATE channel SET notes = CAST(x'ff' AS TEXT) WHERE id = 'r1'",
        "UPDATE channel SET notes = x'00' WHERE id = 'r1'",
        "UPDATE channel SET ord = 'first' WHERE id = 'r2'",
        "UPDATE channel SET ord = 2.5 WHERE id = 'r2'",
        "UPDATE channel SET x = 9e999 WHERE id = 'a'",
        "UPDATE channel SET y = -9e999 WHERE id = 'a'",
        "UPDATE channel SET x = 'left' WHERE id = 'a'",
        "UPDATE channel SET leads_per_month = -1 WHERE id = 'a'",
        "UPDATE channel SET leads_per_month = x'01' WHERE id = 'a'",
        "UPDATE channel SET layer = 'Routing' WHERE id = 'r1'",
        "UPDATE channel SET name = 'ads' WHERE id = 'r1'",
        "UPDATE channel SET function = x'41' WHERE id = 'r1'",
        "UPDATE channel SET segment = 'SMB' || char(0) WHERE id = 'a'",
        "UPDATE channel SET tool = printf('%.*c', 10001, 'x') WHERE id = 's'",
        "UPDATE flow SET rule = printf('%.*c', 10001, 'x') WHERE source = 'a'",
        "UPDATE flow SET label = x'00' WHERE source = 'a'",
        "UPDATE flow SET ord = 'later' WHERE source = 'a'",
        "UPDATE flow SET target = 'nowhere' WHERE source = 'a'",
        "UPDATE flow SET target = source WHERE source = 'a'",
    ],
)
def test_a_tampered_column_is_refused_as_the_window_refuses_it(path, statement):
    execute(path, statement)
    trusted, checked = reports(path, trusted=True), reports(path, trusted=False)
    assert checked[0] == "refused"
    assert trusted == checked


@pytest.mark.parametrize("old", [1, 2])
def test_an_older_schema_scores_the_same(tmp_path, old):
    path = tmp_path / "old.distarch"
    write_new_file(path, routed_map(), schema_version=old)
    assert reports(path, trusted=True) == reports(path, trusted=False)


def test_an_empty_map_scores(tmp_path):
    path = tmp_path / "empty.distarch"
    write_new_file(path, ArchitectureMap())
    assert trusted_map(path).channels == []
    assert reports(path, trusted=True) == reports(path, trusted=False)


@pytest.mark.parametrize("contract", CONTRACTS)
def test_the_score_command_prints_the_checked_maps_report(path, capsys, contract):
    execute(
        path,
        "CREATE TEMP TABLE kept AS SELECT * FROM channel WHERE id = 'r1'",
        "DELETE FROM channel WHERE id = 'r1'",
        "INSERT INTO channel SELECT * FROM kept",
    )
    assert run_command(["score", str(path), "--json", "--contract", str(contract)]) == 0
    printed = capsys.readouterr().out
    with MapDocument.open(path, read_only=True) as doc:
        expected = assess(doc.load(), contract).to_dict()
    assert printed == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize(
    "moved",
    [
        "rowid % 7 = 0 ORDER BY ord DESC",  # scattered rows written back at the end
        "rowid <= 1024 ORDER BY ord",  # a whole chunk, in order: only the boundary between chunks descends
    ],
)
def test_a_large_map_moved_in_storage_reads_in_map_order(tmp_path, moved):
    """More rows than one chunk of the read: channels come back in `ord` order across chunks."""
    layers = list(Layer)
    channels = [
        Channel(f"c{i}", f"Channel {i}", layers[i % 4], function=["sdr", "email", ""][i % 3], ord=i // 2)
        for i in range(2048)
    ]  # two channels share each ord: ties must keep the checked read's order
    flows = [Flow(f"c{i}", f"c{i + 1}", ["", "tbd", "score > 5"][i % 3], ord=i) for i in range(0, 2047, 2)]
    path = tmp_path / "large.distarch"
    write_new_file(path, ArchitectureMap.build(channels, flows))
    where, order = moved.split(" ORDER BY ")
    execute(
        path,
        f"CREATE TEMP TABLE kept AS SELECT * FROM channel WHERE {where}",
        f"DELETE FROM channel WHERE {where}",
        f"INSERT INTO channel SELECT * FROM kept ORDER BY {order}",
    )
    with MapDocument.open(path, read_only=True) as doc:
        checked = doc.load()
    assert [c.id for c in trusted_map(path).channels] == [c.id for c in checked.channels]
    assert reports(path, trusted=True) == reports(path, trusted=False)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE channel SET notes = 'x' || char(0) WHERE rowid = 1500",
        "UPDATE channel SET y = 9e999 WHERE rowid = 1500",
        "UPDATE channel SET segment = x'00' WHERE rowid = 1500",
        "UPDATE flow SET label = x'00' WHERE rowid = 1500",
        "UPDATE flow SET target = 'nowhere' WHERE rowid = 1500",
    ],
)
def test_a_tampered_row_in_a_later_chunk_is_refused_too(tmp_path, statement):
    channels = [
        Channel(f"c{i}", f"Channel {i}", list(Layer)[i % 4], segment="SMB", ord=i) for i in range(2000)
    ]
    flows = [Flow(f"c{i}", f"c{i + 1}", ord=i) for i in range(1999)]
    path = tmp_path / "large.distarch"
    write_new_file(path, ArchitectureMap.build(channels, flows))
    execute(path, statement)
    trusted, checked = reports(path, trusted=True), reports(path, trusted=False)
    assert checked[0] == "refused"
    assert trusted == checked


def test_two_flows_joining_the_same_ends_are_refused_as_the_window_refuses_them(tmp_path):
    """The schema's UNIQUE forbids it, but a file edited byte by byte can hold it: quick_check does not
    compare an index with its table. The score-only read refuses it as the checked read does."""
    arch = routed_map()
    arch.put_flow(Flow("a", "r1", "TAMPERED-RULE", ord=arch.next_flow_ord()))
    target = tmp_path / "pairs.distarch"
    write_new_file(target, arch)
    data = target.read_bytes()
    row = b"ar1TAMPERED-RULE"  # the flow's row in the table (its index entry holds no rule)
    assert data.count(row) == 1
    target.write_bytes(data.replace(row, b"ar2TAMPERED-RULE"))  # now a second flow from a to r2
    checked = reports(target, trusted=False)
    assert checked[0] == "refused"
    assert reports(target, trusted=True) == checked
