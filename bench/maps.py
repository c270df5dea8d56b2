"""Realistic N-channel maps for the benchmarks, built the same way every run.

Why generated and not a stored file: the figures are for 100 to 20,000
channels, and a generator keeps them all the same shape. The shape is the one
an audit has: channels spread over the four layers (more capture and execution
than routing and feedback), a short lane spread out beside the long ones as a
lead arranges it, catalog names and tools, spend and leads, and two flows per
channel to the channels beside it in the next lane, some with routing rules;
feedback flows return to capture.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from desktop.domain.catalog import default_catalog
from desktop.domain.layers import LAYERS, Layer
from desktop.domain.layout import default_x, slot_y
from desktop.domain.model import ArchitectureMap, Channel, Flow, MapInfo

SHARES: dict[Layer, float] = {
    Layer.CAPTURE: 0.35,
    Layer.ROUTING: 0.15,
    Layer.EXECUTION: 0.35,
    Layer.FEEDBACK: 0.15,
}
SEGMENTS = ("SMB", "Mid-market", "Enterprise", "")
MOTIONS = ("sales-led", "product-led", "partner-led", "")
RULES = ("form fill", "score ≥ 60", "trial started", "enterprise domain", "", "", "")
NEXT_LANE = {
    Layer.CAPTURE: Layer.ROUTING,
    Layer.ROUTING: Layer.EXECUTION,
    Layer.EXECUTION: Layer.FEEDBACK,
    Layer.FEEDBACK: Layer.CAPTURE,
}


def lane_counts(n: int) -> dict[Layer, int]:
    """How many of `n` channels go in each layer (every layer gets at least one when n ≥ 4)."""
    counts = {layer: max(1, round(n * SHARES[layer])) for layer in LAYERS}
    counts[Layer.CAPTURE] += n - sum(counts.values())
    return counts


def make_map(n: int, seed: int = 7) -> ArchitectureMap:
    """A map of `n` channels and `2n` flows (fewer only when n is tiny)."""
    rng = random.Random(seed)
    catalog = default_catalog().entries
    by_layer: dict[Layer, list[Channel]] = {layer: [] for layer in LAYERS}
    channels: list[Channel] = []
    counts = lane_counts(n)
    rows = max(counts.values())
    for layer, count in counts.items():
        kinds = [e for e in catalog if e.layer is layer] or list(catalog)
        for row in range(count):
            kind = kinds[row % len(kinds)]
            ordinal = len(channels) + 1
            channel = Channel(
                id=f"c{ordinal}",
                name=f"{kind.name} {row + 1}",
                layer=layer,
                function=kind.function,
                tool=f"{kind.name} tool",
                segment=rng.choice(SEGMENTS),
                motion=rng.choice(MOTIONS),
                message="",
                monthly_spend=float(rng.randrange(0, 20_000, 500)) if layer is Layer.CAPTURE else None,
                leads_per_month=float(rng.randrange(10, 500, 10)) if layer is Layer.CAPTURE else None,
                x=default_x(layer),
                y=slot_y(row * rows // count),  # a short lane spreads out beside the long ones
                ord=ordinal,
            )
            channels.append(channel)
            by_layer[layer].append(channel)
    flows: dict[tuple[str, str], Flow] = {}
    for layer in LAYERS:
        lane = by_layer[layer]
        targets = by_layer[NEXT_LANE[layer]]
        scale = len(targets) / max(1, len(lane))
        for row, channel in enumerate(lane):
            near = int(row * scale)
            made = 0
            for offset in (0, 1, -1, 2, -2, 3, -3, 4, -4):
                if made == 2:
                    break
                index = near + offset + rng.randint(0, 1)
                if not 0 <= index < len(targets):
                    continue
                pair = (channel.id, targets[index].id)
                if pair[0] == pair[1] or pair in flows:
                    continue
                flows[pair] = Flow(*pair, rule=rng.choice(RULES), ord=len(flows) + 1)
                made += 1
    return ArchitectureMap.build(channels, flows.values(), MapInfo(name=f"Benchmark map, {n} channels"))


def write_inventory_csv(path: Path, rows: int, seed: int = 11) -> Path:
    """An inventory CSV of `rows` channels with every column filled, as a lead's spreadsheet has."""
    arch = make_map(rows, seed)
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(
            [
                "Name",
                "Layer",
                "Function",
                "Tool",
                "Segment",
                "Motion",
                "Message",
                "Monthly spend",
                "Leads per month",
                "Notes",
            ]
        )
        for c in arch.iter_channels():
            out.writerow(
                [
                    c.name,
                    c.layer.title,
                    c.function,
                    c.tool,
                    c.segment,
                    c.motion,
                    "Pipeline you can forecast",
                    "" if c.monthly_spend is None else f"{c.monthly_spend:.0f}",
                    "" if c.leads_per_month is None else f"{c.leads_per_month:.0f}",
                    "Imported from the 2025 audit",
                ]
            )
    return path
