"""Regression guard: PySide6 6.12.0 on Python 3.11 drops a reference to None on each
QGraphicsItem.setPos() / QPainterPath.lineTo(), and a canvas aborts with "deallocating None".
We pin 6.11.x; this test fails on an upgrade that still has the bug."""

from __future__ import annotations

import sys

from PySide6.QtCore import QPointF
from PySide6.QtGui import QPainterPath
from PySide6.QtWidgets import QGraphicsRectItem


def test_setpos_keeps_none_refcount(qapp):
    item = QGraphicsRectItem(0, 0, 10, 10)
    before = sys.getrefcount(None)
    for i in range(10_000):
        item.setPos(i % 100, i % 50)
    after = sys.getrefcount(None)
    assert abs(after - before) < 100, f"None lost {before - after} references over 10,000 setPos calls"


def test_lineto_keeps_none_refcount(qapp):
    path = QPainterPath()
    before = sys.getrefcount(None)
    for i in range(10_000):
        path.lineTo(QPointF(i, i))
    after = sys.getrefcount(None)
    assert abs(after - before) < 100, f"None lost {before - after} references over 10,000 lineTo calls"


def test_pinned_version():
    import PySide6

    assert PySide6.__version__.startswith("6.11."), PySide6.__version__
