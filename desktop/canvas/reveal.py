"""`Reveal`: present mode's lanes shown one at a time (capture first, then routing, …).

The lanes not revealed yet are dimmed and their cards and arrows hidden; after
an edit only the items it touched are looked at again (a drag must not walk
every card of a big map).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from desktop.document.editor import Change
from desktop.domain.layers import LAYERS

if TYPE_CHECKING:
    from desktop.canvas.channel_item import ChannelItem
    from desktop.canvas.flow_item import FlowItem
    from desktop.canvas.scene import MapScene

HIDDEN_LANE_OPACITY = 0.25


class Reveal:
    """How many lanes of a scene are revealed (all of them outside present mode)."""

    def __init__(self, scene: MapScene) -> None:
        self.scene = scene
        self.count = len(LAYERS)

    def set(self, count: int) -> None:
        self.count = max(0, min(len(LAYERS), count))
        self.apply()

    def apply(self, change: Change | None = None) -> None:
        """Dim the lanes not revealed yet and hide their items: every item, or only those an edit touched."""
        scene = self.scene
        shown = set(LAYERS[: self.count])
        for layer, lane in scene.lanes.items():
            lane.setOpacity(1.0 if layer in shown else HIDDEN_LANE_OPACITY)
        cards: Iterable[ChannelItem] = scene.channel_items.values()
        arrows: Iterable[FlowItem] = scene.flow_items.values()
        if change is not None:
            cards = [scene.channel_items[c] for c in change.channels if c in scene.channel_items]
            arrows = {f for card in cards for f in card.flows}
            arrows.update(scene.flow_items[p] for p in change.flows if p in scene.flow_items)
        for item in cards:
            visible = item.channel.layer in shown
            if item.isVisible() != visible:
                item.setVisible(visible)
        for flow_item in arrows:
            visible = flow_item.source.isVisible() and flow_item.target.isVisible()
            if flow_item.isVisible() != visible:
                flow_item.setVisible(visible)
