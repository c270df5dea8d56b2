"""The most channels a map holds (MAX_CHANNELS): enforced where edits are applied, at import and at export.

A file already above it (an older version, another program) still opens, and
everything but adding works on it. Names an older version stored on two lines
open on one.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop.domain import operations as ops
from desktop.domain.edits import AddChannel, apply_all, remove_channels
from desktop.domain.errors import MapError
from desktop.domain.layers import Layer
from desktop.domain.model import ArchitectureMap, Channel, MapInfo
from desktop.domain.validation import MAX_CHANNELS
from desktop.store.document import MapDocument, write_new_file
from desktop.store.importing import import_into
from tests.cli.test_cli import cli


def big(count: int) -> ArchitectureMap:
    layers = list(Layer)
    channels = [
        Channel(f"c{i}", f"Channel {i}", layers[i % 4], x=None, y=None, ord=i) for i in range(1, count + 1)
    ]
    return ArchitectureMap.build(channels, info=MapInfo("Big"))


def test_the_limit_is_at_least_twenty_thousand():
    assert MAX_CHANNELS >= 20_000


def test_an_edit_that_would_pass_the_limit_is_refused_by_the_domain():
    arch = big(MAX_CHANNELS)
    with pytest.raises(MapError, match="a map holds at most 20,000 channels"):
        apply_all(arch, ops.add_channel(arch, "One more", Layer.CAPTURE))
    assert len(arch) == MAX_CHANNELS
    apply_all(arch, remove_channels(arch, ["c1"]))
    apply_all(arch, ops.add_channel(arch, "Room again", Layer.CAPTURE))
    assert len(arch) == MAX_CHANNELS


def test_a_file_above_the_limit_opens_and_only_additions_are_refused(tmp_path):
    path = tmp_path / "over.distarch"
    write_new_file(path, big(MAX_CHANNELS + 5))
    with MapDocument.open(path) as doc:
        arch = doc.load()
        assert len(arch) == MAX_CHANNELS + 5 and not doc.read_only
        with pytest.raises(MapError, match="at most 20,000 channels"):
            apply_all(arch, [AddChannel(Channel("new", "New", Layer.CAPTURE, ord=10**6))])
        renamed = ops.update_channel(arch, "c1", name="Renamed")
        doc.write(renamed)
        apply_all(arch, renamed)
    with MapDocument.open(path, read_only=True) as doc:
        assert doc.load().channel("c1").name == "Renamed"


def test_an_import_past_the_limit_is_refused_and_changes_nothing(tmp_path):
    path = tmp_path / "m.distarch"
    write_new_file(path, big(MAX_CHANNELS - 2))
    before = path.read_bytes()
    with pytest.raises(MapError, match=r"it has 19,998, adding 3 would make 20,001"):
        import_into(
            path,
            ArchitectureMap.build([Channel(f"n{i}", f"New {i}", Layer.ROUTING, ord=i) for i in range(3)]),
        )
    assert path.read_bytes() == before


def test_exports_of_a_map_above_the_limit_are_refused_before_drawing(tmp_path):
    path = tmp_path / "over.distarch"
    write_new_file(path, big(MAX_CHANNELS + 1))
    for name in ("out.svg", "out.pdf", "out.png"):
        result = cli("export", str(path), "--to", str(tmp_path / name))
        assert result.returncode == 2, result.stderr
        assert "20,001 channels are too many to draw (at most 20,000)" in result.stderr
        assert not (tmp_path / name).exists()
    assert cli("export", str(path), "--to", str(tmp_path / "out.csv")).returncode == 0


def test_a_png_too_large_is_refused_before_the_scene_is_built(monkeypatch):
    from desktop.io import images

    def never(*args, **kwargs):
        raise AssertionError("the scene was built")

    monkeypatch.setattr(images.MapScene, "for_map", never)
    arch = big(MAX_CHANNELS)
    from desktop.domain.layout import place_missing

    place_missing(arch)
    with pytest.raises(MapError, match="px image is too large"):
        images.export_map(arch, Path("/nonexistent/out.png"), images.ExportOptions(scale=4))


def test_names_stored_on_two_lines_by_an_older_version_open_on_one(tmp_path):
    path = tmp_path / "old.distarch"
    arch = big(3)
    write_new_file(path, arch)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE channel SET name = 'Paid\nsearch' WHERE id = 'c1'")
    conn.execute("UPDATE channel SET name = 'Channel 2' WHERE id = 'c2'")
    conn.execute("UPDATE map SET name = 'Go to\r\nmarket'")
    conn.commit()
    conn.close()
    with MapDocument.open(path) as doc:
        opened = doc.load()
    assert opened.channel("c1").name == "Paid search"
    assert opened.info.name == "Go to market"
