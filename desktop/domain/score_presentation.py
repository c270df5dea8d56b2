"""How the score is said, in one place: bands and their captions, component labels, weights by contract.

Why a module of its own: the same 74.1 read "Needs work" in the panel and
"Partly coherent" in present mode and exports, because five modules each
wrote their own thresholds. The bands are the contract's (docs/score.md,
"Bands"); every view asks this module, so a score has one caption
everywhere. Colours stay with the views: a band has a `tone` (good, fair,
poor) that each theme or palette turns into its own readable colour.
Pure Python, so the CLI, the exports and the tests can use it without Qt.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.domain.coherence import weights_of


@dataclass(frozen=True)
class Band:
    """A range of scores, from `floor` up to the next band's floor."""

    floor: float
    key: str
    caption: str
    advice: str
    tone: str  # "good", "fair" or "poor": the colour family a view paints it in


BANDS: tuple[Band, ...] = (
    Band(90.0, "coherent", "Coherent", "One architecture: keep every loop measured", "good"),
    Band(70.0, "gaps", "Architecture with gaps", "Close the few gaps the findings name first", "fair"),
    Band(40.0, "partial", "Partial architecture", "Route, measure and consolidate before adding", "fair"),
    Band(
        0.0, "pile", "A pile of point solutions", "Fix the largest findings before adding a channel", "poor"
    ),
)
GUIDES: tuple[float, ...] = tuple(sorted(b.floor for b in BANDS if b.floor > 0))  # lines on history charts

COMPONENT_LABELS: dict[str, str] = {
    "coverage": "Coverage",
    "flow": "Flow",
    "routing": "Routing",
    "execution": "Execution",
    "alignment": "Alignment",
    "feedback": "Feedback",
    "drag": "Drag",
}


def band_of(score: float) -> Band:
    """The band a score (0–100) falls in."""
    for band in BANDS:
        if score >= band.floor:
            return band
    return BANDS[-1]


def caption(score: float) -> str:
    """The score in words, beside the number everywhere: panel, present mode, exports, compare."""
    return band_of(score).caption


def tone(score: float) -> str:
    """ "good", "fair" or "poor": the colour family of a score (a component's share × 100 too)."""
    return band_of(score).tone


def label(component: str) -> str:
    return COMPONENT_LABELS.get(component, component.replace("-", " ").title())


def weights(contract: int = 2) -> dict[str, float]:
    """The component weights of a contract, in the contract's order."""
    return dict(weights_of(contract))
