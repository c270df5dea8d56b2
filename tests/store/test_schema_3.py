"""Schema 3 of the map file: a channel's automation, the map's currency, the contract of each score row."""

from __future__ import annotations

import sqlite3

import pytest

from desktop.document.repository import ScoreStamp
from desktop.domain.errors import MapError
from desktop.domain.layers import Layer
from desktop.domain.model import ArchitectureMap, Channel, MapInfo
from desktop.store.document import MapDocument, write_new_file
from desktop.store.schema import SCHEMA_VERSION


def small(currency: str = "USD") -> ArchitectureMap:
    channels = [
        Channel(
            id="c1", name="AI SDR agent", layer=Layer.EXECUTION, function="ai-sdr", automation="ai", ord=1
        ),
        Channel(id="c2", name="SDR team", layer=Layer.EXECUTION, function="sdr", ord=2),
    ]
    return ArchitectureMap.build(channels, [], MapInfo(name="m", currency=currency))


def test_automation_and_currency_survive_the_file(tmp_path):
    path = tmp_path / "m.distarch"
    write_new_file(path, small("EUR"))
    with MapDocument.open(path) as doc:
        arch = doc.load()
        assert [c.automation for c in arch.channels] == ["ai", ""]
        assert arch.info.currency == "EUR" == doc.setting("currency")
    with MapDocument.open(path, read_only=True, trusted=True) as doc:
        assert [c.automation for c in doc.load().channels] == ["ai", ""]


def test_currency_is_an_iso_code_or_refused(tmp_path):
    path = tmp_path / "m.distarch"
    write_new_file(path, small())
    with MapDocument.open(path) as doc:
        assert doc.setting("currency") == "USD"
        doc.set_setting("currency", "gbp")
        assert doc.setting("currency") == "GBP"
        with pytest.raises(MapError, match="ISO 4217"):
            doc.set_setting("currency", "pounds")
        assert doc.setting("currency") == "GBP"
    with MapDocument.open(path) as doc:
        assert doc.load().info.currency == "GBP"


def test_score_rows_record_their_contract(tmp_path):
    path = tmp_path / "m.distarch"
    write_new_file(path, small())
    with MapDocument.open(path) as doc:
        doc.append_score(ScoreStamp(50.0, {"flow": 1.0}, 2))
        doc.append_score(ScoreStamp(40.0, {"flow": 0.5}, 1))
        assert [(p.score, p.contract) for p in doc.score_history()] == [(50.0, 2), (40.0, 1)]


@pytest.mark.parametrize("old", [1, 2])
def test_an_old_file_read_only_reads_blank_usd_and_contract_1(tmp_path, old):
    path = tmp_path / "old.distarch"
    write_new_file(path, small("EUR"), schema_version=old)
    conn = sqlite3.connect(str(path))
    conn.execute("INSERT INTO score_history (timestamp, score, components) VALUES ('t', 61.5, '{}')")
    conn.commit()
    conn.close()
    for trusted in (False, True):
        with MapDocument.open(path, read_only=True, trusted=trusted) as doc:
            assert doc.schema_version == old
            arch = doc.load()
            assert [c.automation for c in arch.channels] == ["", ""]
            assert arch.info.currency == "EUR"  # a setting row: older schemas hold it too
            assert [(p.score, p.contract) for p in doc.score_history()] == [(61.5, 1)]
    with MapDocument.open(path) as doc:  # opened for writing: migrated, nothing lost
        assert doc.schema_version == SCHEMA_VERSION
        assert [(p.score, p.contract) for p in doc.score_history()] == [(61.5, 1)]
        assert (path.parent / f"old.distarch.bak-v{old}").exists()


def test_a_hostile_automation_value_is_refused_on_open(tmp_path):
    path = tmp_path / "m.distarch"
    write_new_file(path, small())
    conn = sqlite3.connect(str(path))
    conn.execute("UPDATE channel SET automation = 'skynet' WHERE id = 'c2'")
    conn.commit()
    conn.close()
    for trusted in (False, True):
        with pytest.raises(MapError, match="automation"):
            MapDocument.open(path, read_only=True, trusted=trusted)
