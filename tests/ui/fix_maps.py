"""A small map with one finding of each fixable kind (unrouted signal, duplicates, missing segment,
unruled routing), for the fix tests."""

from __future__ import annotations

from desktop.domain.edits import AddChannel, AddFlow, Edit
from desktop.domain.layers import Layer
from desktop.domain.model import Channel, Flow

C, R, E, F = Layer.CAPTURE, Layer.ROUTING, Layer.EXECUTION, Layer.FEEDBACK
CHANNELS = [
    Channel(
        "g",
        "Google Ads",
        C,
        "paid-search",
        "Google Ads",
        "Enterprise",
        monthly_spend=20000,
        leads_per_month=40,
        ord=1,
    ),
    Channel(
        "b", "Bing Ads", C, "paid-search", "Bing", "Enterprise", monthly_spend=5000, leads_per_month=10, ord=2
    ),
    Channel("l", "LinkedIn Ads", C, "paid-social", "LinkedIn", "Mid-market", monthly_spend=12000, ord=3),
    Channel("s", "Lead scoring", R, "lead-scoring", ord=4),
    Channel("sdr", "SDR team", E, "sdr", ord=5),
    Channel("ae", "Sales", E, "sales", segment="Enterprise", ord=6),
    Channel("a", "Attribution", F, "attribution", ord=7),
]
FLOWS = [
    ("g", "s"),
    ("b", "s"),
    ("b", "ae"),
    ("g", "b"),
    ("l", "sdr"),
    ("s", "sdr"),
    ("s", "ae"),
    ("a", "s"),
    ("ae", "a"),
]


def fixable_edits() -> list[Edit]:
    edits: list[Edit] = [AddChannel(c) for c in CHANNELS]
    edits += [AddFlow(Flow(s, t, ord=i + 1)) for i, (s, t) in enumerate(FLOWS)]
    return edits
