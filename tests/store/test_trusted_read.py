"""The trusted read (what `score` uses) scores like the checked read, or refuses with the same message.

The trusted read is the score-only read (store/scored.py: only the fields the
score reads, the other columns checked by SQLite), and when anything looks
off, the checked read of every row by the domain's rules. Whatever another program
wrote into a row (a wrong type, a NUL, a blank or two-line name, an unknown
layer, a negative or infinite number, a flow to nowhere, a repeated name, in a
column the score reads or not), both reads must agree: the same report by
every contract, or both refuse with the same message.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.domain.coherence import CONTRACTS, assess
from desktop.domain.errors import MapError
from desktop.domain.layers import Layer
from desktop.domain.model import ArchitectureMap, Channel, Flow, MapInfo
from desktop.store.document import MapDocument, write_new_file
from desktop.store.safety import CHANNEL_COLUMNS, FLOW_COLUMNS


def small_map() -> ArchitectureMap:
    channels = [
        Channel(
            "c1", "Paid search", Layer.CAPTURE, function="paid-search", segment="SMB", monthly_spend=5000.0
        ),
        Channel("c2", "Lead scoring", Layer.ROUTING, function="lead-scoring", x=10.0, y=-20.0),
        Channel("c3", "SDR team", Layer.EXECUTION, function="sdr", message="Save time", automation="ai"),
        Channel(
            "c4", "Attribution", Layer.FEEDBACK, function="attribution", notes="Café ☕", leads_per_month=3.0
        ),
    ]
    flows = [
        Flow("c1", "c2", "score > 50"),
        Flow("c2", "c3", label="MQL"),
        Flow("c3", "c4"),
        Flow("c4", "c2"),
    ]
    channels = [c.with_changes(ord=i) for i, c in enumerate(channels, 1)]
    flows = [f.with_changes(ord=i) for i, f in enumerate(flows, 1)]
    return ArchitectureMap.build(channels, flows, MapInfo(name="Trusted"))


HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    st.binary(max_size=8),
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "   ",
            "a\nb",
            "x\x00y",
            "Paid search",
            "paid SEARCH ",
            "c1",
            "c2",
            "capture",
            "Capture",
            "ai",
            "skynet",
            "x" * 5000,
            "\u00e9\u0301",
            -1.0,
            float("inf"),
            float("-inf"),
            1e308,
            0.0,
            3,
        ]
    ),
)


def read(path: Path, trusted: bool):
    try:
        with MapDocument.open(path, read_only=True, trusted=trusted) as doc:
            arch = doc.load()
    except MapError as exc:
        return ("refused", str(exc))
    return ("map", arch.channels, arch.flows, arch.info)


def scored(path: Path, trusted: bool):
    """What `score` prints of the file by every contract, or the refusal."""
    try:
        with MapDocument.open(path, read_only=True, trusted=trusted) as doc:
            arch = doc.load()
    except MapError as exc:
        return ("refused", str(exc))
    return ("scored", *(json.dumps(assess(arch, contract).to_dict()) for contract in CONTRACTS))


@pytest.fixture(scope="module")
def original(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("trusted") / "m.distarch"
    write_new_file(path, small_map())
    return path


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    table=st.sampled_from(["channel", "flow"]),
    row=st.integers(min_value=1, max_value=4),
    column=st.integers(min_value=0, max_value=len(CHANNEL_COLUMNS) - 1),
    value=HOSTILE,
)
def test_trusted_and_checked_reads_agree(tmp_path, original, table, row, column, value):
    path = tmp_path / "m.distarch"
    for side in ("-wal", "-shm"):
        Path(f"{path}{side}").unlink(missing_ok=True)
    path.write_bytes(original.read_bytes())
    columns = CHANNEL_COLUMNS if table == "channel" else FLOW_COLUMNS
    name = columns[column % len(columns)]
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute(f"UPDATE {table} SET {name} = ? WHERE rowid = ?", (value, row))
    except sqlite3.Error:  # a constraint of the schema refuses it: nothing to read
        return
    finally:
        conn.close()
    assert scored(path, trusted=True) == scored(path, trusted=False)


def test_a_clean_file_scores_the_same_both_ways(tmp_path):
    path = tmp_path / "m.distarch"
    write_new_file(path, small_map())
    assert scored(path, trusted=True) == scored(path, trusted=False)
    assert scored(path, trusted=True)[0] == "scored"
    trusted = read(path, trusted=True)
    assert [c.name for c in trusted[1]] == ["Paid search", "Lead scoring", "SDR team", "Attribution"]
