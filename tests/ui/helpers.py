"""Helpers for driving the real window with real events in tests."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QMouseEvent
from PySide6.QtWidgets import QApplication

from desktop.domain import interchange
from desktop.domain.model import ArchitectureMap, MapInfo
from desktop.resources import sample_map_path
from desktop.store.document import MapDocument, write_new_file


def new_map_file(folder: Path, name: str = "m.distarch", sample: bool = False) -> Path:
    path = folder / name
    arch = (
        interchange.loads(sample_map_path().read_bytes())
        if sample
        else ArchitectureMap(info=MapInfo("Test map"))
    )
    write_new_file(path, arch)
    return path


def file_map(path: Path) -> ArchitectureMap:
    """What the file holds, read as another process would (read-only)."""
    with MapDocument.open(path, read_only=True) as doc:
        return doc.load()


def drop_mime(view, mime, scene_pos: QPointF) -> None:
    """Drag enter, move and drop `mime` on the canvas viewport at a scene position."""
    viewport = view.viewport()
    pos = view.mapFromScene(scene_pos)
    posf = QPointF(pos)
    actions = Qt.DropAction.CopyAction
    buttons = Qt.MouseButton.LeftButton
    mods = Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(pos, actions, mime, buttons, mods)
    QApplication.sendEvent(viewport, enter)
    move = QDragMoveEvent(pos, actions, mime, buttons, mods)
    QApplication.sendEvent(viewport, move)
    drop = QDropEvent(posf, actions, mime, buttons, mods)
    QApplication.sendEvent(viewport, drop)


def _mouse(
    view,
    kind: QEvent.Type,
    pos: QPoint,
    button: Qt.MouseButton,
    buttons: Qt.MouseButton,
    mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    viewport = view.viewport()
    local = QPointF(pos)
    event = QMouseEvent(kind, local, QPointF(viewport.mapToGlobal(pos)), button, buttons, mods)
    QApplication.sendEvent(viewport, event)


def drag(
    view,
    start: QPointF,
    end: QPointF,
    steps: int = 8,
    button=Qt.MouseButton.LeftButton,
    mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    """A mouse drag on the viewport between two scene positions, with intermediate moves."""
    a, b = view.mapFromScene(start), view.mapFromScene(end)
    _mouse(view, QEvent.Type.MouseButtonPress, a, button, button, mods)
    for i in range(1, steps + 1):
        p = a + (b - a) * (i / steps)
        _mouse(
            view, QEvent.Type.MouseMove, QPoint(int(p.x()), int(p.y())), Qt.MouseButton.NoButton, button, mods
        )
    _mouse(view, QEvent.Type.MouseButtonRelease, b, button, Qt.MouseButton.NoButton, mods)


def click(view, scene_pos: QPointF, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    p = view.mapFromScene(scene_pos)
    _mouse(view, QEvent.Type.MouseButtonPress, p, Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton, mods)
    _mouse(view, QEvent.Type.MouseButtonRelease, p, Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton, mods)


def double_click(view, scene_pos: QPointF) -> None:
    p = view.mapFromScene(scene_pos)
    click(view, scene_pos)
    _mouse(view, QEvent.Type.MouseButtonDblClick, p, Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton)
    _mouse(view, QEvent.Type.MouseButtonRelease, p, Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton)
