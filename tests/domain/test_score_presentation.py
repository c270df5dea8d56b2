"""One vocabulary for the score: the bands of docs/score.md, their captions and tones, component labels."""

from __future__ import annotations

from pathlib import Path

from desktop.domain import score_presentation as sp
from desktop.domain.coherence import COMPONENTS, WEIGHTS


def test_every_score_has_exactly_one_band_and_they_are_the_contracts():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "score.md").read_text(encoding="utf-8")
    for band in sp.BANDS:
        assert f"“{band.caption}”" in doc
    assert [sp.band_of(s).key for s in (0, 39.9, 40, 69.9, 70, 89.9, 90, 100)] == [
        "pile", "pile", "partial", "partial", "gaps", "gaps", "coherent", "coherent"
    ]  # fmt: skip
    assert sp.GUIDES == (40.0, 70.0, 90.0)


def test_every_component_of_both_contracts_has_a_label():
    assert all(sp.label(name) for name in (*COMPONENTS, "drag"))
    assert sp.weights() == WEIGHTS and sum(sp.weights(1).values()) == 100.0
    assert sp.label("alignment") == "Alignment"
