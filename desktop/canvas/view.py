"""`MapView`: the canvas widget (object name `canvas`): zoom, pan, fit, rubber band, in-place rename."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter, QWheelEvent
from PySide6.QtWidgets import QFrame, QGraphicsView, QLineEdit

from desktop.canvas.scene import MapScene

MIN_ZOOM = 0.1
MAX_ZOOM = 6.0
READABLE_NAME_PX = 11.0  # card titles on screen when a map opens


class MapView(QGraphicsView):
    """The canvas. Signals: `zoom_changed(float)`, `rename_committed(channel_id, new_name)`."""

    zoom_changed = Signal(float)
    rename_committed = Signal(str, str)

    def __init__(self, scene: MapScene | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("canvas")
        self.setAccessibleName("Map canvas")
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        # No QGraphicsView rubber band: the scene's RubberBand interaction selects (interactions.py).
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # top-anchored: when an edit makes the map shorter or taller, nothing on screen jumps
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setAcceptDrops(True)
        self._pan_from: QPoint | None = None
        self._space = False
        self._editor: QLineEdit | None = None
        self._editing: str | None = None
        self._readable = False
        self.auto_fit = (
            True  # keep the whole map fitted while the window resizes, until the user zooms or pans
        )
        if scene is not None:
            self.set_map_scene(scene)

    def set_map_scene(self, scene: MapScene) -> None:
        """Show another map's scene (a map was opened); keeps the zoom."""
        self.setScene(scene)
        scene.rename_requested.connect(self.begin_rename)

    def map_scene(self) -> MapScene:
        scene = self.scene()
        assert isinstance(scene, MapScene)
        return scene

    # --- zoom -------------------------------------------------------------------------
    @property
    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, factor: float) -> None:
        self.auto_fit = False
        factor = max(MIN_ZOOM, min(MAX_ZOOM, factor))
        current = self.zoom
        if current > 0 and abs(factor - current) > 1e-6:
            self.scale(factor / current, factor / current)
            self.zoom_changed.emit(self.zoom)

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom * 1.2)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom / 1.2)

    def fit(self, rect: QRectF | None = None, readable: bool = False) -> None:
        """Fit the whole map (or `rect`) in the view (Ctrl+0); the whole map stays fitted on resize.

        `readable` (how a map opens): never so small that card titles are under READABLE_NAME_PX;
        a map too big for that shows its top-left part, and scrolls.
        """
        if self.scene() is None:
            return
        self.auto_fit = rect is None
        self._readable = readable and rect is None
        target = rect if rect is not None and not rect.isEmpty() else self.map_scene().sceneRect()
        self.fitInView(target, Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom > MAX_ZOOM:
            self.scale(MAX_ZOOM / self.zoom, MAX_ZOOM / self.zoom)
        floor = READABLE_NAME_PX / self.map_scene().theme.name_px
        if self._readable and self.zoom < floor:
            self.scale(floor / self.zoom, floor / self.zoom)
            port = self.viewport().rect()
            self.centerOn(
                target.left() + port.width() / (2 * floor), target.top() + port.height() / (2 * floor)
            )
        self.zoom_changed.emit(self.zoom)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.auto_fit and self.scene() is not None:
            self.fit(readable=self._readable)

    def frame(self, rect: QRectF) -> None:
        """Bring `rect` into view without zooming in past 100 %."""
        if rect.isEmpty():
            return
        padded = rect.adjusted(-80, -80, 80, 80)
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        if visible.width() >= padded.width() and visible.height() >= padded.height():
            self.centerOn(rect.center())
        else:
            self.fit(padded)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120.0
            self.set_zoom(self.zoom * (1.15**steps))
            event.accept()
            return
        super().wheelEvent(event)

    # --- pan: middle drag, or Space + drag ----------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat() and self._editor is None:
            self._space = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            self.viewport().unsetCursor()
            event.accept()
            return
        super().keyReleaseEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.MiddleButton or (
            self._space and event.button() == Qt.MouseButton.LeftButton
        ):
            self._pan_from = event.position().toPoint()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            self.auto_fit = False
            now = event.position().toPoint()
            delta = now - self._pan_from
            self._pan_from = now
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - delta.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - delta.y())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            self._pan_from = None
            if self._space:
                self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            else:
                self.viewport().unsetCursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def focusOutEvent(self, event) -> None:
        self._space = False
        super().focusOutEvent(event)

    # --- rename in place ----------------------------------------------------------------------------
    def begin_rename(self, channel_id: str) -> None:
        scene = self.map_scene()
        item = scene.channel_items.get(channel_id)
        if item is None or scene.read_only:
            return
        self.cancel_rename()
        rect = self.mapFromScene(item.mapRectToScene(item.card_rect())).boundingRect()
        editor = QLineEdit(self.viewport())
        editor.setObjectName("renameEditor")
        editor.setText(item.channel.name)
        editor.selectAll()
        font = editor.font()
        font.setPixelSize(max(12, int(scene.theme.name_px * self.zoom)))
        editor.setFont(font)
        editor.setGeometry(rect.adjusted(10, rect.height() // 4, -10, -rect.height() // 4))
        editor.returnPressed.connect(self._commit_rename)
        editor.installEventFilter(self)
        editor.show()
        editor.setFocus()
        self._editor = editor
        self._editing = channel_id

    def _commit_rename(self) -> None:
        if self._editor is None or self._editing is None:
            return
        name, cid = self._editor.text(), self._editing
        self.cancel_rename()
        self.rename_committed.emit(cid, name)

    def cancel_rename(self) -> None:
        editor, self._editor, self._editing = self._editor, None, None
        if editor is not None:
            editor.removeEventFilter(self)
            editor.hide()
            editor.deleteLater()
            self.setFocus()

    def eventFilter(self, watched, event) -> bool:
        if watched is self._editor:
            if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
                self.cancel_rename()
                return True
            if event.type() == QEvent.Type.FocusOut:
                self._commit_rename()
                return False
        return super().eventFilter(watched, event)
