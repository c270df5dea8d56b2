"""The coherence score: one number and the findings that explain it, by a numbered contract.

The current contract is version 2 (docs/score.md, coherence_v2.py); version 1
(shared/coherence.md, coherence_v1.py) stays available as `score --contract 1`
so that a lead can see why the number moved. Callers use `assess(map)` and
read the report; `WEIGHTS` and `COMPONENTS` are the current contract's, and a
report carries its own (`report.weights`) for views that show any contract.
"""

from __future__ import annotations

from desktop.domain import coherence_v2
from desktop.domain.findings import CoherenceReport, Finding, names_text, summary_text, tenths
from desktop.domain.model import ArchitectureMap

CURRENT_CONTRACT = coherence_v2.VERSION
CONTRACTS: tuple[int, ...] = (1, coherence_v2.VERSION)  # 1 is imported only when asked for (window start)
VERSION = CURRENT_CONTRACT
WEIGHTS: dict[str, float] = coherence_v2.WEIGHTS
COMPONENTS: tuple[str, ...] = coherence_v2.COMPONENTS
DRAG = "drag"

# What the score reads of a map, by every contract (v1 and v2): these fields of channels and flows, and of
# the map only `info.currency`. Channels are scored in map order (`ord`: contract 1 advises the first
# channel of a lane); flows in any order. A reader that only scores (`score` of a .distarch file) reads
# these and leaves the other fields at their defaults; tests/domain/test_scored_fields.py proves that
# no report changes, and fails when an engine starts reading a field these do not name.
SCORED_CHANNEL_FIELDS: tuple[str, ...] = (
    "id", "name", "layer", "function", "tool", "segment", "motion", "message", "monthly_spend", "ord",
    "automation",
)  # fmt: skip
SCORED_FLOW_FIELDS: tuple[str, ...] = ("source", "target", "rule", "label")

__all__ = [
    "COMPONENTS",
    "CONTRACTS",
    "CURRENT_CONTRACT",
    "SCORED_CHANNEL_FIELDS",
    "SCORED_FLOW_FIELDS",
    "CoherenceReport",
    "Finding",
    "WEIGHTS",
    "assess",
    "names_text",
    "summary_text",
    "tenths",
    "weights_of",
]


def assess(arch: ArchitectureMap, contract: int = CURRENT_CONTRACT) -> CoherenceReport:
    """Score a map by a contract (the current one unless asked). Linear in channels + flows."""
    if contract == coherence_v2.VERSION:
        return coherence_v2.assess(arch)
    if contract == 1:
        from desktop.domain import coherence_v1

        return coherence_v1.assess(arch)
    raise ValueError(f"unknown contract {contract}: this program knows {', '.join(map(str, CONTRACTS))}")


def weights_of(contract: int) -> dict[str, float]:
    """The component weights of a contract (a history row records which one scored it)."""
    if contract == 1:
        from desktop.domain import coherence_v1

        return coherence_v1.WEIGHTS
    return coherence_v2.WEIGHTS
