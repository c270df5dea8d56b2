"""A card dragged with the mouse: snapped every step, its arrows attached all the way, one undo step."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt

from desktop.canvas.card_index import CardIndex
from desktop.domain.layout import CHANNEL_HEIGHT, CHANNEL_WIDTH, GRID, LANE_WIDTH
from tests.ui.helpers import _mouse, file_map, new_map_file
from tests.ui.test_editing import card_centre, make_window

LEFT = Qt.MouseButton.LeftButton


def _ends(flow_item) -> tuple[QPointF, QPointF]:
    path = flow_item.path()
    return path.pointAtPercent(0.0), path.pointAtPercent(1.0)


def _attached(item) -> bool:
    """Every arrow of the card starts or ends on the card's edge where it is now."""
    box = item.sceneBoundingRect().adjusted(-4, -4, 4, 4)
    for flow in item.flows:
        start, end = _ends(flow)
        point = start if flow.source is item else end
        if not box.contains(point):
            return False
    return True


def test_arrows_follow_every_step_of_a_drag_and_the_drop_is_one_step(qtbot, tmp_path):
    path = new_map_file(tmp_path, sample=True)
    window = make_window(qtbot, path)
    scene, view, session = window.scene, window.view, window.session
    cid = max(scene.channel_items, key=lambda c: len(scene.channel_items[c].flows))
    item = scene.channel_items[cid]
    assert len(item.flows) >= 2
    before = session.map.channel(cid)
    count = session.undo_stack.count()
    start = card_centre(window, cid)
    a = view.mapFromScene(start)
    _mouse(view, QEvent.Type.MouseButtonPress, a, LEFT, LEFT)
    for step in range(1, 9):
        p = view.mapFromScene(start + QPointF(0, 17 * step))
        _mouse(view, QEvent.Type.MouseMove, QPoint(p.x(), p.y()), Qt.MouseButton.NoButton, LEFT)
        pos = item.pos()
        assert pos.x() % GRID == 0 and pos.y() % GRID == 0, "cards snap to the grid while dragged"
        assert _attached(item), f"an arrow came loose at step {step}"
        assert session.map.channel(cid) == before, "nothing is written until the drop"
    end = view.mapFromScene(start + QPointF(0, 17 * 8))
    _mouse(view, QEvent.Type.MouseButtonRelease, end, LEFT, Qt.MouseButton.NoButton)
    assert session.undo_stack.count() == count + 1
    moved = session.map.channel(cid)
    assert moved.y == item.pos().y() and abs(moved.y - before.y - 136) <= GRID
    assert file_map(path).same_content(session.map)
    window.actions_by_name["undo"].trigger()
    assert item.pos().y() == before.y and _attached(item)


def test_a_drag_into_the_next_lane_keeps_the_rule_boxes_off_the_cards(qtbot, tmp_path):
    path = new_map_file(tmp_path, sample=True)
    window = make_window(qtbot, path)
    scene, view = window.scene, window.view
    cid = next(c for c, i in scene.channel_items.items() if i.pos().x() < LANE_WIDTH)
    start = card_centre(window, cid)
    a, b = view.mapFromScene(start), view.mapFromScene(start + QPointF(LANE_WIDTH, 40))
    _mouse(view, QEvent.Type.MouseButtonPress, a, LEFT, LEFT)
    _mouse(view, QEvent.Type.MouseMove, b, Qt.MouseButton.NoButton, LEFT)
    _mouse(view, QEvent.Type.MouseButtonRelease, b, LEFT, Qt.MouseButton.NoButton)
    assert window.session.map.channel(cid).layer.index == 1
    cards = [i.sceneBoundingRect() for i in scene.channel_items.values()]
    for flow in scene.channel_items[cid].flows:
        if flow.has_label():
            label = flow.label_rect()
            assert flow.path().intersects(label) or label.contains(flow.path().pointAtPercent(0.5))
            covered = [c for c in cards if c.adjusted(4, 12, -12, -5).intersects(label)]
            assert len(covered) <= 1  # placed clear of the cards when a spot on the arrow allows it


def test_card_index_finds_exactly_the_overlapping_cards():
    index = CardIndex()
    index.put("a", 40, 120)
    index.put("b", 40, 220)
    index.put("c", 420, 120)
    assert len(index) == 3
    assert index.boxes_near(0, 0, 30, 30) == []
    assert index.boxes_near(50, 130, 60, 140) == [(40, 120, 40 + CHANNEL_WIDTH, 120 + CHANNEL_HEIGHT)]
    assert len(index.boxes_near(0, 0, 2000, 2000)) == 3
    assert index.boxes_near(40 + CHANNEL_WIDTH, 120, 420, 130) == []  # touching edges do not overlap
    index.put("a", 40, 1000)  # moved far down
    assert index.boxes_near(50, 130, 60, 140) == []
    assert index.boxes_near(50, 1010, 60, 1020) == [(40, 1000, 40 + CHANNEL_WIDTH, 1000 + CHANNEL_HEIGHT)]
    index.remove("a")
    assert index.boxes_near(50, 1010, 60, 1020) == [] and len(index) == 2
