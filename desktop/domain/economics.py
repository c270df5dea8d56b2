"""Spend and leads per layer, from the numbers a marketing lead already tracks on channels.

A blank number means "not known", never zero: a layer whose channels carry no
spend shows an unknown spend rather than a free layer, and every row says how
many of its channels lack a number, so that a total is never read as complete
when it is not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from desktop.domain.layers import LAYERS, Layer
from desktop.domain.model import ArchitectureMap, Channel


@dataclass(frozen=True)
class LayerEconomics:
    """Monthly spend, leads and cost per lead of one layer (`layer` None: the whole map).

    `spend` and `leads` sum the channels that have the number, and are None
    when none has it; `spend_unknown` and `leads_unknown` count the channels
    without it. `cost_per_lead` is spend / leads, None when either is unknown
    or leads are 0.
    """

    layer: Layer | None
    channels: int
    spend: float | None
    leads: float | None
    cost_per_lead: float | None
    spend_unknown: int
    leads_unknown: int

    @property
    def title(self) -> str:
        return self.layer.title if self.layer is not None else "Total"

    @property
    def complete(self) -> bool:
        """True when every channel of the row has both numbers."""
        return self.spend_unknown == 0 and self.leads_unknown == 0


def layer_economics(arch: ArchitectureMap) -> list[LayerEconomics]:
    """One row per layer, in layer order, empty layers included."""
    by_layer: dict[Layer, list[Channel]] = {layer: [] for layer in LAYERS}
    for channel in arch.iter_channels():
        by_layer[channel.layer].append(channel)
    return [_row(layer, by_layer[layer]) for layer in LAYERS]


def total(rows: Sequence[LayerEconomics]) -> LayerEconomics:
    """The whole-map row from the layer rows (`layer` None)."""
    spend = _sum(row.spend for row in rows)
    leads = _sum(row.leads for row in rows)
    return LayerEconomics(
        layer=None,
        channels=sum(row.channels for row in rows),
        spend=spend,
        leads=leads,
        cost_per_lead=_per_lead(spend, leads),
        spend_unknown=sum(row.spend_unknown for row in rows),
        leads_unknown=sum(row.leads_unknown for row in rows),
    )


def _row(layer: Layer, channels: list[Channel]) -> LayerEconomics:
    spend = _sum(c.monthly_spend for c in channels)
    leads = _sum(c.leads_per_month for c in channels)
    return LayerEconomics(
        layer=layer,
        channels=len(channels),
        spend=spend,
        leads=leads,
        cost_per_lead=_per_lead(spend, leads),
        spend_unknown=sum(1 for c in channels if c.monthly_spend is None),
        leads_unknown=sum(1 for c in channels if c.leads_per_month is None),
    )


def _sum(values: Iterable[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return float(sum(known)) if known else None


def _per_lead(spend: float | None, leads: float | None) -> float | None:
    if spend is None or leads is None or leads == 0:
        return None
    return spend / leads
