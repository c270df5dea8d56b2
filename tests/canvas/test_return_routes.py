"""Return arrows on tall lanes run through a row gap near their cards, never behind a card."""

from __future__ import annotations

from desktop.canvas.scene import MapScene
from desktop.domain.layers import Layer
from desktop.domain.layout import CHANNEL_HEIGHT, default_x, slot_y
from desktop.domain.model import ArchitectureMap, Channel, Flow

ROWS = 60


def tall_map() -> ArchitectureMap:
    """Sixty rows in capture and feedback; each feedback card returns to the capture card on its row."""
    channels = [
        Channel(
            id=f"{layer.value}-{row}",
            name=f"{layer.title} {row}",
            layer=layer,
            function="",
            x=default_x(layer),
            y=slot_y(row),
            ord=i * ROWS + row + 1,
        )
        for i, layer in enumerate((Layer.CAPTURE, Layer.FEEDBACK))
        for row in range(ROWS)
    ]
    flows = [Flow(f"feedback-{row}", f"capture-{row}", ord=row + 1) for row in range(ROWS)]
    return ArchitectureMap.build(channels, flows)


def test_a_return_on_tall_lanes_stays_near_its_cards_and_behind_no_card(qapp):
    scene = MapScene.for_map(tall_map())
    cards = [item.sceneBoundingRect() for item in scene.channel_items.values()]
    returns = [f for f in scene.flow_items.values() if f.is_return]
    bottom = max(lane.boundingRect().height() for lane in scene.lanes.values())
    assert len(returns) == ROWS
    for arrow in returns:
        a, b = arrow.source.pos(), arrow.target.pos()
        lowest = max(a.y(), b.y()) + CHANNEL_HEIGHT
        if bottom - lowest > 1000:  # far above the lanes' bottom: not down there and back
            assert arrow.boundingRect().bottom() < lowest + 60, arrow.flow.pair
        path = arrow.path()
        ends = [arrow.source.sceneBoundingRect(), arrow.target.sceneBoundingRect()]
        for k in range(1, 200):
            point = path.pointAtPercent(k / 200)
            hit = [r for r in cards if r.contains(point) and r not in ends]
            assert not hit, (arrow.flow.pair, point)


def test_a_return_on_short_lanes_still_runs_along_the_lanes_bottom(qapp):
    arch = tall_map()
    arch = ArchitectureMap.build(
        [c for c in arch.iter_channels() if c.y is not None and c.y <= slot_y(3)],
        [f for f in arch.flows if int(f.source.split("-")[1]) <= 3],
    )
    scene = MapScene.for_map(arch)
    bottom = max(lane.boundingRect().height() for lane in scene.lanes.values())
    for arrow in scene.flow_items.values():
        assert arrow.is_return
        assert arrow.boundingRect().bottom() > bottom - 60
