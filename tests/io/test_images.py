"""Image exports (PNG, SVG, PDF) and the maps they carry, checked in the written files."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from defusedxml.ElementTree import parse as parse_xml
from PySide6.QtGui import QImage, QImageReader

from desktop.cli import run_command
from desktop.domain import interchange
from desktop.domain.errors import MapError
from desktop.io.embedded import EMBED_KEY, SVG_NAMESPACE, read_embedded_map
from desktop.io.images import ExportCancelled, ExportOptions, Sheet, export_map
from desktop.resources import sample_map_path
from desktop.store.document import MapDocument

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def sample():
    return interchange.loads(sample_map_path().read_bytes())


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def svg_texts(path: Path) -> list[str]:
    root = parse_xml(str(path)).getroot()
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_png_scale_two_is_exactly_twice_scale_one(qapp, tmp_path, sample):
    one, two = tmp_path / "one.png", tmp_path / "two.png"
    export_map(sample, one, ExportOptions(scale=1))
    export_map(sample, two, ExportOptions(scale=2))
    w1, h1 = png_size(one)
    assert w1 >= 1200
    assert png_size(two) == (2 * w1, 2 * h1)
    image = QImage(str(two))
    assert (image.width(), image.height()) == (2 * w1, 2 * h1)


def test_transparent_png_has_a_clear_corner_and_an_opaque_one_does_not(qapp, tmp_path, sample):
    clear, solid = tmp_path / "clear.png", tmp_path / "solid.png"
    export_map(sample, clear, ExportOptions(transparent=True))
    export_map(sample, solid, ExportOptions(theme="dark"))
    assert QImage(str(clear)).pixelColor(0, 0).alpha() == 0
    corner = QImage(str(solid)).pixelColor(0, 0)
    assert corner.alpha() == 255 and corner.name() == "#0b1120"


def test_projector_export_differs_from_light(qapp, tmp_path, sample):
    light, projector = tmp_path / "light.png", tmp_path / "projector.png"
    export_map(sample, light, ExportOptions(theme="light"))
    export_map(sample, projector, ExportOptions(theme="projector"))
    a, b = QImage(str(light)), QImage(str(projector))
    assert a.size() == b.size()
    assert a != b
    assert a.pixelColor(5, 5) != b.pixelColor(5, 5)


def test_svg_is_xml_with_every_channel_name_as_text(qapp, tmp_path, sample):
    out = tmp_path / "map.svg"
    export_map(sample, out, ExportOptions(theme="dark"))
    texts = svg_texts(out)
    missing = [c.name for c in sample.channels if c.name not in texts]
    assert not missing
    assert sample.info.name in texts
    root = parse_xml(str(out)).getroot()
    assert root.find(f".//{{{SVG_NAMESPACE}}}map") is not None
    assert "sans-serif" in out.read_text(encoding="utf-8")


def test_pdf_text_holds_every_channel_name(qapp, tmp_path, sample):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed, so the PDF's text cannot be extracted")
    out = tmp_path / "map.pdf"
    export_map(sample, out, ExportOptions(theme="projector"))
    assert out.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, check=True, text=True).stdout
    text = unicodedata.normalize("NFKC", text)  # ligatures (fl, fi) back to letters
    missing = [c.name for c in sample.channels if c.name not in text]
    assert not missing
    assert sample.info.name in text


def test_png_and_svg_carry_the_map_back(qapp, tmp_path, sample):
    for suffix in (".png", ".svg"):
        out = tmp_path / f"map{suffix}"
        export_map(sample, out, ExportOptions(scale=2, theme="projector"))
        assert read_embedded_map(out).same_content(sample)
    reader = QImageReader(str(tmp_path / "map.png"))
    assert interchange.loads(reader.text(EMBED_KEY)).same_content(sample)


def test_unicode_names_round_trip_through_the_png(qapp, tmp_path, sample):
    arch = sample.copy()
    first = arch.channels[0]
    arch.put_channel(first.with_changes(name="Salon → <b> ]]>"))
    out = tmp_path / "unicode.png"
    export_map(arch, out)
    assert read_embedded_map(out).channels[0].name == "Salon → <b> ]]>"
    svg = tmp_path / "unicode.svg"
    export_map(arch, svg)
    assert read_embedded_map(svg).same_content(arch)
    assert "Salon → <b> ]]>" in svg_texts(svg)


def test_exported_png_imports_into_a_new_map_file(qapp, tmp_path, sample):
    png = tmp_path / "deck.png"
    export_map(sample, png, ExportOptions(scale=2))
    target = tmp_path / "x.distarch"
    assert run_command(["import", str(png), "--into", str(target)]) == 0
    with MapDocument.open(target, read_only=True) as doc:
        back = doc.load()
    assert [(c.name, c.layer, c.tool, c.x, c.y) for c in back.channels] == [
        (c.name, c.layer, c.tool, c.x, c.y) for c in sample.channels
    ]
    assert len(back.flows) == len(sample.flows)


def test_an_image_without_a_map_is_refused_clearly(qapp, tmp_path, capsys):
    plain = tmp_path / "photo.png"
    QImage(40, 20, QImage.Format.Format_RGB32).save(str(plain))
    with pytest.raises(MapError, match="photo.png holds no Distribution Architect map"):
        read_embedded_map(plain)
    fake = tmp_path / "fake.png"
    fake.write_bytes(b"GIF89a not a png")
    with pytest.raises(MapError, match="not a PNG"):
        read_embedded_map(fake)
    assert run_command(["import", str(plain), "--into", str(tmp_path / "y.distarch")]) == 2
    assert "holds no Distribution Architect map" in capsys.readouterr().err
    assert not (tmp_path / "y.distarch").exists()


def test_svg_entity_bombs_are_refused(tmp_path):
    bomb = tmp_path / "bomb.svg"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        '<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
        encoding="utf-8",
    )
    with pytest.raises(MapError, match="not a readable SVG"):
        read_embedded_map(bomb)


def test_selection_exports_only_the_chosen_channels(qapp, tmp_path, sample):
    chosen = ["c10", "c12", "c13"]
    out = tmp_path / "part.svg"
    export_map(sample, out, ExportOptions(selection=chosen))
    texts = svg_texts(out)
    names = {sample.channel(cid).name for cid in chosen}
    assert names <= set(texts)
    assert not {c.name for c in sample.channels if c.id not in chosen} & set(texts)
    back = read_embedded_map(out)
    assert {c.name for c in back.channels} == names
    assert {(f.source, f.target) for f in back.flows} == {("c10", "c12"), ("c10", "c13")}
    with pytest.raises(MapError):
        export_map(sample, tmp_path / "none.png", ExportOptions(selection=["nope"]))


def test_cancelling_writes_nothing(qapp, tmp_path, sample):
    for suffix in (".png", ".svg", ".pdf"):
        out = tmp_path / f"cancelled{suffix}"
        calls: list[tuple[int, int]] = []

        def stop(done: int, total: int, calls=calls) -> bool:
            calls.append((done, total))
            return False

        with pytest.raises(ExportCancelled):
            export_map(sample, out, ExportOptions(), stop)
        assert calls and not out.exists()
        assert not list(tmp_path.glob(f".cancelled{suffix}*"))


def test_progress_reaches_the_total(qapp, tmp_path, sample):
    seen: list[tuple[int, int]] = []
    export_map(sample, tmp_path / "p.png", ExportOptions(scale=3), lambda d, t: seen.append((d, t)))
    assert seen and seen[-1][0] == seen[-1][1]
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_slide_aspect_and_bad_options(qapp, tmp_path, sample):
    sheet = Sheet(sample, ExportOptions(aspect=16 / 9))
    assert abs(sheet.width / sheet.height - 16 / 9) < 0.01
    out = tmp_path / "slide.png"
    export_map(sample, out, ExportOptions(aspect=16 / 9, scale=2))
    width, height = png_size(out)
    assert abs(width / height - 16 / 9) < 0.01
    with pytest.raises(MapError, match="theme"):
        export_map(sample, tmp_path / "a.png", ExportOptions(theme="neon"))
    with pytest.raises(MapError, match="scale"):
        export_map(sample, tmp_path / "a.png", ExportOptions(scale=9))
    with pytest.raises(MapError, match="png, .svg or .pdf"):
        export_map(sample, tmp_path / "a.gif")


def test_cli_exports_without_a_display(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    sample = str(sample_map_path())
    runs = {}
    for scale in ("1", "2"):
        out = tmp_path / f"out{scale}.png"
        args = [sys.executable, str(ROOT / "main.py"), "export", sample, "--to", str(out)]
        result = subprocess.run(
            [*args, "--scale", scale, "--theme", "projector"],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        runs[scale] = png_size(out)
    assert runs["2"] == (2 * runs["1"][0], 2 * runs["1"][1])
