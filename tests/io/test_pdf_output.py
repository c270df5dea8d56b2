"""PDF exports read by a third-party tool (poppler): searchable words, and tall maps on printable pages."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from desktop.domain import interchange
from desktop.domain.layers import Layer
from desktop.domain.layout import place_missing
from desktop.domain.model import ArchitectureMap, Channel, MapInfo
from desktop.io.images import export_map
from desktop.resources import sample_map_path

POPPLER = shutil.which("pdftotext") and shutil.which("pdfinfo")


@pytest.fixture(autouse=True)
def poppler():
    if not POPPLER:
        if os.environ.get("CI"):
            pytest.fail("poppler-utils is missing (.ci/system-packages installs it)")
        pytest.skip("poppler-utils is not installed")


def text_of(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def info_of(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def test_pdf_text_has_no_ligatures_so_flows_is_found(qapp, tmp_path):
    out = export_map(interchange.loads(sample_map_path().read_bytes()), tmp_path / "map.pdf")
    text = text_of(out)
    assert "flows" in text and "\ufb02" not in text and "\ufb01" not in text


def test_a_tall_map_prints_on_a4_pages_cut_between_cards(qapp, tmp_path):
    layers = list(Layer)
    channels = [Channel(f"c{i}", f"Channel {i}", layers[i % 4], ord=i) for i in range(1, 801)]
    arch = ArchitectureMap.build(channels, info=MapInfo("Tall"))
    place_missing(arch)
    out = export_map(arch, tmp_path / "tall.pdf")
    info = info_of(out)
    assert int(info["Pages"]) > 5
    assert info["Page size"].startswith("595") and "(A4)" in info["Page size"]
    text = text_of(out)
    pages = text.split("\f")
    assert "Tall" in pages[0] and "Feedback loop" in pages[-2] + pages[-1]
    for n in range(1, 801):  # every card's name whole, on exactly one page
        assert sum(f"Channel {n}\n" in page for page in pages) == 1, n


def test_a_short_map_stays_one_page(qapp, tmp_path):
    out = export_map(interchange.loads(sample_map_path().read_bytes()), tmp_path / "map.pdf")
    assert info_of(out)["Pages"] == "1"
