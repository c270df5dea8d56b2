"""Canvas themes: light, dark and projector. One place for colours, type sizes and line widths.

Text colours are chosen for WCAG AA contrast (>= 4.5:1) on the lane tints and
channel fills of each theme; tests check the ratios.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.domain import score_presentation
from desktop.domain.layers import Layer


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    lane_tints: dict[Layer, str]
    lane_title: str
    lane_subtitle: str
    lane_border: str
    channel_fill: str
    channel_border: str
    channel_text: str
    channel_subtext: str
    flow: str
    return_flow: str
    rule_fill: str
    rule_text: str
    badge: str
    badge_text: str
    selection: str
    name_px: int
    sub_px: int
    title_px: int
    rule_px: int
    flow_width: float
    border_width: float
    title_text: str
    # Return arcs are long (they run under the lanes back to the start), and Qt strokes a pen of at
    # most one pixel with its fast cosmetic stroker (about 10x faster for such an arc): dashed
    # hairlines keep a drag smooth on a big map. The projector theme trades that for thickness.
    return_width: float = 1.0
    band_good: str = "#15803d"
    band_fair: str = "#b45309"
    band_poor: str = "#b91c1c"


LIGHT = Theme(
    name="light",
    background="#f8fafc",
    lane_tints={
        Layer.CAPTURE: "#eff6ff",
        Layer.ROUTING: "#f5f3ff",
        Layer.EXECUTION: "#fff7ed",
        Layer.FEEDBACK: "#f0fdf4",
    },
    lane_title="#0f172a",
    lane_subtitle="#475569",
    lane_border="#cbd5e1",
    channel_fill="#ffffff",
    channel_border="#94a3b8",
    channel_text="#0f172a",
    channel_subtext="#475569",
    flow="#475569",
    return_flow="#15803d",
    rule_fill="#ffffff",
    rule_text="#1e293b",
    badge="#dc2626",
    badge_text="#ffffff",
    selection="#2563eb",
    name_px=17,
    sub_px=13,
    title_px=22,
    rule_px=12,
    flow_width=1.6,
    border_width=1.2,
    title_text="#0f172a",
)

DARK = Theme(
    name="dark",
    background="#0b1120",
    lane_tints={
        Layer.CAPTURE: "#13213a",
        Layer.ROUTING: "#1c1a36",
        Layer.EXECUTION: "#2a1c12",
        Layer.FEEDBACK: "#12271c",
    },
    lane_title="#f1f5f9",
    lane_subtitle="#cbd5e1",
    lane_border="#334155",
    channel_fill="#1e293b",
    channel_border="#475569",
    channel_text="#f8fafc",
    channel_subtext="#cbd5e1",
    flow="#94a3b8",
    return_flow="#4ade80",
    rule_fill="#0f172a",
    rule_text="#e2e8f0",
    badge="#f87171",
    badge_text="#0b1120",
    selection="#60a5fa",
    name_px=17,
    sub_px=13,
    title_px=22,
    rule_px=12,
    flow_width=1.6,
    border_width=1.2,
    title_text="#f8fafc",
    band_good="#4ade80",
    band_fair="#fbbf24",
    band_poor="#f87171",
)

PROJECTOR = Theme(
    name="projector",
    background="#ffffff",
    lane_tints={
        Layer.CAPTURE: "#dbeafe",
        Layer.ROUTING: "#ede9fe",
        Layer.EXECUTION: "#ffedd5",
        Layer.FEEDBACK: "#dcfce7",
    },
    lane_title="#000000",
    lane_subtitle="#1f2937",
    lane_border="#111827",
    channel_fill="#ffffff",
    channel_border="#111827",
    channel_text="#000000",
    channel_subtext="#1f2937",
    flow="#111827",
    return_flow="#166534",
    rule_fill="#ffffff",
    rule_text="#000000",
    badge="#b91c1c",
    badge_text="#ffffff",
    selection="#1d4ed8",
    name_px=22,
    sub_px=16,
    title_px=28,
    rule_px=16,
    flow_width=3.2,
    return_width=2.6,
    border_width=2.4,
    title_text="#000000",
    band_good="#166534",
    band_fair="#92400e",
    band_poor="#b91c1c",
)

THEMES: dict[str, Theme] = {t.name: t for t in (LIGHT, DARK, PROJECTOR)}


def theme_named(name: str) -> Theme:
    return THEMES.get(name, LIGHT)


def score_band(score: float) -> str:
    """The score in words, as every view shows it beside the number (desktop.domain.score_presentation)."""
    return score_presentation.caption(score)


def band_colour(theme: Theme, score: float) -> str:
    """The colour of a score in a theme: green, amber or red by its band's tone, readable on the theme."""
    return {"good": theme.band_good, "fair": theme.band_fair}.get(
        score_presentation.tone(score), theme.band_poor
    )


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""

    def luminance(hex_colour: str) -> float:
        rgb = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    a, b = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)
