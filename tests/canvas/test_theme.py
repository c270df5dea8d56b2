"""Every theme keeps its text readable: WCAG AA contrast (4.5:1) for text on lanes, cards, rules and badges."""

from __future__ import annotations

import pytest

from desktop.canvas.theme import (
    DARK,
    LIGHT,
    PROJECTOR,
    THEMES,
    Theme,
    band_colour,
    contrast_ratio,
    score_band,
    theme_named,
)
from desktop.domain.layers import LAYERS

AA = 4.5


@pytest.mark.parametrize("theme", THEMES.values(), ids=list(THEMES))
def test_text_on_cards_rules_and_badges_meets_aa(theme: Theme):
    assert contrast_ratio(theme.channel_text, theme.channel_fill) >= AA
    assert contrast_ratio(theme.channel_subtext, theme.channel_fill) >= AA
    assert contrast_ratio(theme.rule_text, theme.rule_fill) >= AA
    assert contrast_ratio(theme.badge_text, theme.badge) >= AA
    assert contrast_ratio(theme.title_text, theme.background) >= AA


@pytest.mark.parametrize("theme", THEMES.values(), ids=list(THEMES))
def test_lane_titles_and_subtitles_meet_aa_on_every_lane_tint(theme: Theme):
    for layer in LAYERS:
        tint = theme.lane_tints[layer]
        assert contrast_ratio(theme.lane_title, tint) >= AA, (theme.name, layer)
        assert contrast_ratio(theme.lane_subtitle, tint) >= AA, (theme.name, layer)


@pytest.mark.parametrize("theme", THEMES.values(), ids=list(THEMES))
def test_score_colours_are_readable_on_the_background(theme: Theme):
    for score in (90.0, 60.0, 20.0):
        assert contrast_ratio(band_colour(theme, score), theme.background) >= AA, (theme.name, score)


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_projector_type_is_larger_and_lines_thicker_than_light():
    assert PROJECTOR.name_px > LIGHT.name_px and PROJECTOR.sub_px > LIGHT.sub_px
    assert PROJECTOR.flow_width > LIGHT.flow_width and PROJECTOR.border_width > LIGHT.border_width
    assert theme_named("projector") is PROJECTOR
    assert theme_named("dark") is DARK
    assert theme_named("no such theme") is LIGHT


def test_score_bands():
    # The bands of docs/score.md, the same words in every view (desktop.domain.score_presentation).
    assert score_band(90) == score_band(100) == "Coherent"
    assert score_band(70) == score_band(89.9) == "Architecture with gaps"
    assert score_band(40) == score_band(69.9) == "Partial architecture"
    assert score_band(0) == score_band(39.9) == "A pile of point solutions"
    assert band_colour(LIGHT, 95) != band_colour(LIGHT, 60) != band_colour(LIGHT, 10)
    assert band_colour(LIGHT, 80) == band_colour(LIGHT, 60)  # gaps and partial: both amber
