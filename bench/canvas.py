"""In-process figures on the real window: open a big map, drag a card, save and undo an edit, export a PNG.

Everything runs through what a user's gesture runs (MainWindow.open_path,
ChannelItem moves with their flows following, MapSession.perform, the undo
stack, desktop.io.images.export_map) and is painted with a deterministic
`viewport().repaint()`. Each figure is paired with the bare scene of
bench.bare_qt doing the same drawing in the same minute.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication, QGraphicsItem, QWidget

from bench import bare_qt
from bench.maps import make_map
from bench.report import Figure, samples
from desktop.app import MainWindow
from desktop.domain import operations as ops
from desktop.domain.layers import Layer
from desktop.domain.model import ArchitectureMap
from desktop.store.document import write_new_file

DRAG_STEPS = 40


class CanvasBench:
    """One window (on the sample map between figures) and the map files of each size."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.app = QApplication.instance()
        self.window = MainWindow(None)
        self.window.show()
        self.sample = self.window.session.repository.path
        self.maps: dict[int, ArchitectureMap] = {}
        self.settle()

    def settle(self) -> None:
        for _ in range(3):
            QApplication.processEvents()

    def map_file(self, channels: int) -> Path:
        path = self.folder / f"bench-{channels}.distarch"
        if not path.exists():
            self.maps[channels] = make_map(channels)
            write_new_file(path, self.maps[channels])
        return path

    def paint(self) -> None:
        self.window.view.viewport().repaint()

    # --- 2. open to first paint ---------------------------------------------------------
    def open_map(self, channels: int, runs: int) -> Figure:
        path = self.map_file(channels)
        arch = self.maps[channels]

        def ours() -> None:
            self.window.open_path(path)
            first_paint(self.window.view.viewport())

        def back_to_sample() -> None:
            self.window.open_path(self.sample)
            self.settle()

        view = bare_qt.bare_view()
        view.resize(self.window.view.size())  # the same canvas size as the window's
        view.show()
        holder: list = []

        def bare() -> None:
            scene, _ = bare_qt.scene_of_map(arch)
            view.setScene(scene)
            view.fitInView(scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
            first_paint(view.viewport())
            holder.append(scene)

        def drop_bare() -> None:
            view.setScene(None)
            holder.clear()
            self.settle()

        mine, base = [], []
        for _ in range(runs):
            mine += samples(ours, 1, back_to_sample)
            base += samples(bare, 1, drop_bare)
        drop_bare()
        view.close()
        return Figure(f"Open a {channels:,}-channel map to first paint", mine, base).check(max_ratio=3)

    # --- 3. drag step ----------------------------------------------------------------------
    def drag(self, channels: int) -> Figure:
        """One card moved a grid step with its arrows following, then the viewport repainted, at 100 % zoom."""
        self.window.open_path(self.map_file(channels))
        self.settle()
        scene, view = self.window.scene, self.window.view
        arch = self.maps[channels]
        cid = _busiest(arch)
        item = scene.channel_items[cid]
        view.auto_fit = False
        view.set_zoom(1.0)
        view.centerOn(item)
        self.paint()
        start = item.pos()
        step = [0]

        def ours() -> None:  # what the DragCards interaction does with a snapped position
            step[0] += 1
            scene.move_cards({item: scene.snapped(start + QPointF(0, 20 * (step[0] % 2 + 1)))})
            self.paint()

        mine = samples(ours, DRAG_STEPS)
        scene.move_cards({item: start})
        bare_scene, boxes = bare_qt.scene_of_map(arch)
        bare_view = bare_qt.bare_view(bare_scene)
        bare_view.resize(view.size())
        bare_view.show()
        self.settle()  # a window paints only once it is exposed
        box = boxes[cid]
        bare_view.centerOn(box.item)
        bare_view.viewport().repaint()
        origin = box.item.pos()
        step[0] = 0

        def bare() -> None:
            step[0] += 1
            bare_qt.move_box(box, origin + QPointF(0, 20 * (step[0] % 2 + 1)))
            bare_view.viewport().repaint()

        base = samples(bare, DRAG_STEPS)
        bare_view.close()
        figure = Figure(f"Drag step, {channels:,}-channel map", mine, base)
        return figure.check(max_ratio=2, under=0.016 if channels <= 500 else None)

    # --- 5. autosave and undo of one edit ----------------------------------------------------
    def save_and_undo(self, channels: int, runs: int) -> list[Figure]:
        """One edit through MapSession.perform, then its undo, as the window runs them.

        Rows: the autosave itself (MapDocument.write: the edit and the new
        score in one SQLite transaction, timed inside the real edit), the whole
        edit as the user feels it (apply, score, commit, every view told), and
        its undo. Three edits: a card moved (what a drag commits; positions
        never change the score), a card renamed (scored again; the flow graph
        is unchanged, so the engine reuses its indexes) and a new flow (scored
        again from scratch).
        """
        self.window.open_path(self.map_file(channels))
        self.settle()
        session = self.window.session
        cid = _busiest(self.maps[channels])
        name = session.map.channel(cid).name
        document = session.repository
        commits: list[float] = []
        write = document.write

        def timed_write(*args, **kwargs):  # the autosave, timed where the session calls it
            start = time.perf_counter()
            try:
                return write(*args, **kwargs)
            finally:
                commits.append(time.perf_counter() - start)

        def move(i: int) -> list:
            channel = session.map.channel(cid)
            return ops.move_channels(session.map, {cid: (channel.x, (channel.y or 0) + 20 * (i % 3 + 1))})

        def rename(i: int) -> list:
            return ops.update_channel(session.map, cid, name=f"{name} ({i})")

        free = [c.id for c in session.map.in_layer(Layer.ROUTING) if session.map.flow(cid, c.id) is None]

        def connect(i: int) -> list:  # a new flow changes the graph: the score is computed afresh
            return ops.connect(session.map, cid, free[i % len(free)])

        figures = []
        label = f"{channels:,}-channel map"
        document.write = timed_write  # type: ignore[method-assign]
        try:
            for kind, make in (
                ("move a card", move),
                ("rename a card", rename),
                ("connect two cards", connect),
            ):
                edits_done, undos = [], []
                commits.clear()
                for i in range(runs):
                    edits = make(i)
                    edits_done += samples(lambda e=edits, k=kind: session.perform(k, e), 1)
                    self.settle()
                    undos += samples(session.undo_stack.undo, 1)
                    self.settle()
                figures += [
                    Figure(f"Autosave of one edit (SQLite commit), {kind}, {label}", list(commits)),
                    Figure(f"The whole edit (apply, score, commit, views), {kind}, {label}", edits_done),
                    Figure(f"Undo of that edit ({kind}), {label}", undos),
                ]
        finally:
            del document.write
        return [figure.check(under=0.005) for figure in figures]

    # --- 6. export PNG --------------------------------------------------------------------------
    def export_png(self, channels: int, runs: int) -> Figure:
        """The whole export (scene, header, legend, PNG encoding, file) against Qt rendering the same scene.

        The baseline is the map's own MapScene, built beforehand, drawn by
        QGraphicsScene.render into QImages of the same size (in the same
        strips, as one image would not fit in memory at this size), with item
        caches off as the export paints; no encoding, no file.
        """
        from desktop.canvas.scene import MapScene
        from desktop.io.images import ExportOptions, Sheet, export_map

        arch = self.maps.get(channels) or make_map(channels)
        target = self.folder / f"export-{channels}.png"
        options = ExportOptions(scale=2)
        sheet = Sheet(arch, options)
        width, height = sheet.pixel_size(2)
        strip = max(16, min(height, 4_000_000 // width))
        scene = MapScene.for_map(arch, sheet.report, sheet.theme)
        for item in scene.items():
            item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        source = sheet.map_rect

        def bare() -> None:
            for top in range(0, height, strip):
                rows = min(strip, height - top)
                image = QImage(width, rows, QImage.Format.Format_ARGB32_Premultiplied)
                image.fill(QColor(sheet.theme.background))
                painter = QPainter(image)
                painter.setRenderHints(
                    QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                )
                part = QRectF(
                    source.left(),
                    source.top() + source.height() * top / height,
                    source.width(),
                    source.height() * rows / height,
                )
                scene.render(painter, QRectF(0, 0, width, rows), part, Qt.AspectRatioMode.IgnoreAspectRatio)
                painter.end()

        mine, base = [], []
        for _ in range(runs):
            mine += samples(lambda: export_map(arch, target, options), 1)
            base += samples(bare, 1)
        note = f"{width:,}×{height:,} px; baseline: QGraphicsScene.render of the same scene"
        figure = Figure(f"Export PNG at scale 2, {channels:,}-channel map", mine, base, note=note)
        return figure.check(max_ratio=1.5)

    def close(self) -> None:
        self.window.close()
        self.settle()


class _PaintCount(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def first_paint(viewport: QWidget) -> None:
    """Run the queued work as the event loop would (the fit to the window) up to the first paint of `viewport`."""
    counter = _PaintCount()
    viewport.installEventFilter(counter)
    QApplication.processEvents()
    if not counter.count:
        viewport.repaint()
    viewport.removeEventFilter(counter)


def _busiest(arch: ArchitectureMap) -> str:
    """A channel in the middle of the capture lane with its flows: the card a facilitator drags."""
    capture = [c for c in arch.iter_channels() if c.layer is Layer.CAPTURE]
    middle = len(capture) // 2
    around = capture[max(0, middle - 5) : middle + 5]
    return max(around, key=lambda c: len(arch.flows_of(c.id))).id


def new_folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="distarch-bench-"))
