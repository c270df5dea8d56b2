"""Rule and label boxes never hide an arrow: no box covers another flow's line or any arrowhead."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QPainterPathStroker

from desktop.canvas.scene import MapScene
from desktop.canvas.theme import THEMES
from desktop.domain import interchange
from desktop.resources import sample_map_path


def sample_scene(qapp, theme: str) -> MapScene:
    return MapScene.for_map(interchange.loads(sample_map_path().read_bytes()), theme=THEMES[theme])


@pytest.mark.parametrize("theme", ["light", "projector"])
def test_no_label_covers_another_flows_line_or_any_arrowhead(qapp, theme):
    scene = sample_scene(qapp, theme)
    stroker = QPainterPathStroker()
    stroker.setWidth(1.0)
    flows = list(scene.flow_items.values())
    labelled = [f for f in flows if f.has_label()]
    assert len(labelled) >= 8
    for box_flow in labelled:
        box = box_flow.label_rect()
        for other in flows:
            heads = other.arrow_polygon().boundingRect()
            assert not box.intersects(heads), (box_flow.label_text(), other.flow.pair)
            if other is not box_flow:
                line = stroker.createStroke(other.path())
                assert not line.intersects(box), (box_flow.label_text(), other.flow.pair)


def test_a_flows_label_shows_on_the_canvas(qapp):
    scene = sample_scene(qapp, "light")
    texts = {f.label_text() for f in scene.flow_items.values() if f.has_label()}
    assert {"score >= 70", "direct to ABM", "meeting booked", "conversion data"} <= texts


def test_no_two_labels_overlap(qapp):
    scene = sample_scene(qapp, "light")
    boxes = [f.label_rect() for f in scene.flow_items.values() if f.has_label()]
    for i, a in enumerate(boxes):
        assert not any(a.intersects(b) for b in boxes[i + 1 :])


@pytest.mark.parametrize("theme", ["light", "projector"])
def test_return_flows_run_around_the_cards_not_behind_them(qapp, theme):
    scene = sample_scene(qapp, theme)
    returns = [f for f in scene.flow_items.values() if f.is_return]
    assert (
        len(returns) >= 2
    )  # Win/loss → Lead scoring's kind: Attribution → Lead scoring, Pipeline review → …
    stroker = QPainterPathStroker()
    stroker.setWidth(1.0)
    for flow in returns:
        line = stroker.createStroke(flow.path())
        for card in scene.channel_items.values():
            inside = card.mapRectToScene(card.card_rect()).adjusted(3, 3, -3, -3)
            assert not line.intersects(inside), (flow.flow.pair, card.channel.name)
