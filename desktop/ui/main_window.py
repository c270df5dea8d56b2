"""`MainWindow`: one open map with its canvas, palette, inspector, coherence panel and history.

Construction never blocks on a dialog: a map that cannot be opened falls back
to the sample, and the reason is shown once the window is up.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QUndoGroup
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QUndoView,
)

from desktop import APP_NAME
from desktop.canvas.scene import MapScene, collector_paused
from desktop.canvas.theme import Theme, theme_named
from desktop.canvas.view import MapView
from desktop.commands.session import Change, MapSession
from desktop.document.library import LiveConnection
from desktop.document.maps import MapFiles
from desktop.document.repository import MapRepository
from desktop.domain import interchange
from desktop.domain import operations as ops
from desktop.domain.catalog import default_catalog
from desktop.domain.edits import AddChannel
from desktop.domain.errors import MapError
from desktop.domain.layers import Layer
from desktop.resources import sample_map_path
from desktop.ui import settings
from desktop.ui.coherence_panel import CoherencePanel
from desktop.ui.icons import app_icon
from desktop.ui.inspector import InspectorDock
from desktop.ui.library_window import (
    Banner,
    LibraryWatch,
    PasswordNeeded,
    ask_password,
    catch_up,
    is_address,
    open_address,
)
from desktop.ui.menus import build_menus
from desktop.ui.palette import PaletteDock
from desktop.ui.style import apply_app_style, system_prefers_dark
from desktop.ui.versions_dock import install as install_scenarios

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QInputDialog

    from desktop.ui.present import PresentMode
    from desktop.ui.room_panel import RoomController
    from desktop.ui.team_library import TeamLibraryDialog


def sample_document_path(maps: MapFiles) -> Path:
    """The user's own copy of the sample map (made on first launch), so edits to it are kept."""
    folder = settings.data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "Sample - Acme GTM audit.distarch"
    if not path.exists():
        arch = interchange.loads(sample_map_path().read_bytes())
        maps.create(path, arch)
    return path


class MainWindow(QMainWindow):
    """The editor window for one map file (None: the last map, else the sample), opened through `maps`.

    `panels_after_first_paint` (what `desktop.app.main` asks for) paints the
    window with its map first and fills the palette and the coherence panel
    in the next turn of the event loop, about a twentieth of a second later:
    the window is on screen sooner. Built any other way, it is complete when
    the constructor returns. Signal `panels_ready` when both are filled.
    """

    panels_ready = Signal()
    session_opened = Signal(object)  # the MapSession of a map just opened, its scene in `scene`

    # Parts that menus.py, versions_dock.py and present.py build for the window:
    file_menu: QMenu
    recent_menu: QMenu
    import_menu_anchor: QAction
    view_menu: QMenu
    help_menu: QMenu

    def __init__(
        self, path: str | Path | None = None, *, maps: MapFiles, panels_after_first_paint: bool = False
    ) -> None:
        super().__init__()
        self.maps = maps
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(app_icon())
        self.resize(1600, 960)
        self.session: MapSession | None = None
        self.scene: MapScene | None = None
        self.undo_group = QUndoGroup(self)
        self.theme_name = settings.get("theme", "system")
        self._pending_message = ""
        self.view = MapView(None)
        self.setCentralWidget(self.view)
        later = panels_after_first_paint
        self.palette_dock = PaletteDock(default_catalog(), self, build=not later)
        self.inspector = InspectorDock(self)
        self.coherence = CoherencePanel(self, build=not later)
        self.history = QDockWidget("History", self)
        self.history.setObjectName("historyDock")
        self.history_view = QUndoView(self.undo_group)
        self.history_view.setEmptyLabel("Opened map")
        self.history_view.setUniformItemSizes(True)  # one-line steps: each edit re-lays the list out
        self.history.setWidget(self.history_view)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.palette_dock)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.coherence)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.inspector)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.history)
        self.tabifyDockWidget(self.inspector, self.history)
        self.inspector.raise_()
        # The History list follows the undo stack while it can be seen: every edit resets its model
        # (0.1 ms at each edit and undo), and it stays behind the Inspector tab unless raised.
        self.history.visibilityChanged.connect(self._history_follows)
        self.resizeDocks([self.palette_dock, self.coherence], [270, 400], Qt.Orientation.Horizontal)
        self.actions_by_name: dict[str, QAction] = {}
        self.library_watch: LibraryWatch | None = None
        self.banner = Banner(self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.banner)
        build_menus(self)
        self.scenarios, self.versions_dock = install_scenarios(self)
        self.present_mode: PresentMode | None = None  # built the first time F5 is pressed
        self.present_hooks: list[Callable[[PresentMode], None]] = []  # parts that add to present mode's bar
        self.room: RoomController | None = None  # the workshop room, made on first use (room_panel.py)
        self.team_library: TeamLibraryDialog | None = None  # File → Team Library…, made on first use
        self.password_prompt: QInputDialog | None = None  # a library's password, asked inside the window
        self.session_opened.connect(self._panels_follow)
        self._build_status()
        self.palette_dock.quick_add.connect(self.quick_add)
        self.coherence.finding_activated.connect(self.frame_channels)
        self.view.rename_committed.connect(self.rename_channel)
        self.view.zoom_changed.connect(self._zoom_changed)
        self._open_initial(path)
        self.apply_theme(self.theme_name, remember=False)
        self._first_frame: _FirstFrame | None = None
        if later:
            self._first_frame = _FirstFrame(self.view.viewport(), self.finish_panels)

    def finish_panels(self) -> None:
        """Fill the palette and the coherence panel, if they are not filled yet."""
        if self.palette_dock.built and self.coherence.built:
            return
        self.palette_dock.build()
        self.coherence.build()
        self._refresh_palette_read_only()
        self.panels_ready.emit()

    # --- opening maps ---------------------------------------------------------------
    def _open_initial(self, path: str | Path | None) -> None:
        candidates: list[Path | str] = []
        if path is not None:
            candidates.append(path if is_address(path) else Path(path))
        else:
            last = settings.last_location()
            if is_address(last) or (last and Path(last).exists()):
                candidates.append(last if is_address(last) else Path(last))
        for candidate in candidates:
            try:
                self.open_document(
                    open_address(self, candidate)
                    if isinstance(candidate, str)
                    else self.maps.open(str(candidate))
                )
                return
            except PasswordNeeded:  # asked inside the window once it is up, never by a modal now
                QTimer.singleShot(0, lambda a=candidate: ask_password(self, a))
            except MapError as exc:
                self._pending_message = str(exc)
        try:
            self.open_document(self.maps.open(str(sample_document_path(self.maps))))
        except MapError as exc:  # the user's sample copy is damaged: start from a fresh one
            self._pending_message = str(exc)
            fresh = settings.data_dir() / "Sample (fresh copy).distarch"
            if not fresh.exists():
                self.maps.create(fresh, interchange.loads(sample_map_path().read_bytes()))
            self.open_document(self.maps.open(str(fresh)))
        if self._pending_message:
            QTimer.singleShot(0, self._show_pending)

    def _show_pending(self) -> None:
        message, self._pending_message = self._pending_message, ""
        if message:
            self.show_problem("The map could not be opened", message, modal=False)

    def open_path(self, path: str | Path) -> bool:
        """Open a map chosen by the user; a refused file gets a dialog and changes nothing."""
        try:
            with collector_paused():
                document = open_address(self, str(path)) if is_address(path) else self.maps.open(str(path))
        except PasswordNeeded:
            ask_password(self, str(path))
            return False
        except MapError as exc:
            self.show_problem("This map cannot be opened", str(exc))
            return False
        self.open_document(document)
        return True

    def open_document(self, document: MapRepository) -> None:
        with collector_paused():  # reading, scoring and drawing a big map: see collector_paused
            self._open_document(document)

    def _open_document(self, document: MapRepository) -> None:
        old = self.session
        session = MapSession(document, self)
        self.session = session
        self.undo_group.addStack(session.undo_stack)
        self.undo_group.setActiveStack(session.undo_stack)
        if self.scene is not None:
            self.scene.blockSignals(True)
        scene = MapScene(session, self.canvas_theme(), session)
        self.scene = scene
        self.view.cancel_rename()
        self.view.set_map_scene(scene)
        scene.message.connect(self.flash)
        scene.selectionChanged.connect(self._selection_changed)
        session.changed.connect(self._map_changed)
        session.failed.connect(self.flash)
        session.write_failed.connect(self._write_failed)
        if old is not None:
            self.undo_group.removeStack(old.undo_stack)
            old.close()
            old.deleteLater()
        settings.remember_map(document.location)
        self._watch_library(document)
        self._refresh_title()
        self._refresh_status()
        self._refresh_read_only()
        self.session_opened.emit(session)
        self.view.fit(
            readable=True
        )  # now, so the first paint is already fitted; resizes refit while auto_fit holds

    def _panels_follow(self, session: MapSession) -> None:
        assert self.scene is not None
        self.inspector.bind(session, self.scene)
        self.coherence.bind(session, self.scene, self.view)

    def _history_follows(self, shown: bool) -> None:
        group: Any = self.undo_group if shown else None  # None: the list follows no stack meanwhile
        self.history_view.setGroup(group)

    def canvas_theme(self) -> Theme:
        return theme_named(self.resolved_theme())

    def resolved_theme(self) -> str:
        if self.theme_name == "system":
            return "dark" if system_prefers_dark() else "light"
        return self.theme_name

    def apply_theme(self, name: str, remember: bool = True) -> None:
        self.theme_name = name
        resolved = self.resolved_theme()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_app_style(app, dark=resolved == "dark")
        theme = theme_named(resolved)
        if self.scene is not None and self.scene.theme is not theme:  # a map just opened has it already
            self.scene.set_theme(theme)
        action = self.actions_by_name.get(f"theme-{name}")
        if action is not None:
            action.setChecked(True)
        if remember:
            settings.put("theme", name)

    # --- edits from the window ------------------------------------------------------------
    def quick_add(self, name: str, layer: Layer) -> None:
        if self.session is None or self.scene is None:
            return
        entry = default_catalog().infer(name)  # "LinkedIn Ads EMEA" gets LinkedIn Ads' function
        fields: dict[str, Any] = {"function": entry.function, "automation": entry.automation} if entry else {}
        edits = ops.add_channel(self.session.map, name, layer, **fields)
        added = edits[0]
        assert isinstance(added, AddChannel)
        if self.session.perform(f"Add {added.channel.name} to {layer.title}", edits):
            channel = added.channel
            self.scene.select_channels([channel.id])
            item = self.scene.channel_items.get(channel.id)
            if item is not None:
                self.view.ensureVisible(item, 40, 40)
            self.flash(f"Added {channel.name} to {layer.title}")

    def rename_channel(self, channel_id: str, name: str) -> None:
        if self.session is None or not self.session.map.has_channel(channel_id):
            return
        old = self.session.map.channel(channel_id).name
        if name.strip() == old:
            return
        try:
            edits = ops.update_channel(self.session.map, channel_id, name=name)
        except MapError as exc:
            self.flash(exc.message)
            return
        self.session.perform(f"Rename {old} to {name.strip()}", edits)

    def frame_channels(self, ids: list[str]) -> None:
        if self.scene is None:
            return
        if not ids:
            return
        self.scene.select_channels(ids)
        self.view.frame(self.scene.items_rect(ids))

    # --- status ------------------------------------------------------------------------------------
    def _build_status(self) -> None:
        bar = self.statusBar()
        self.saved_label = QLabel("Saved")
        self.saved_label.setObjectName("savedState")
        self.counts_label = QLabel()
        self.counts_label.setObjectName("counts")
        self.zoom_label = QLabel("100 %")
        self.zoom_label.setObjectName("zoomLevel")
        self.where_label = QLabel()
        self.where_label.setObjectName("mapLocation")
        bar.addPermanentWidget(self.where_label)
        bar.addPermanentWidget(self.saved_label)
        bar.addPermanentWidget(self.counts_label)
        bar.addPermanentWidget(self.zoom_label)

    def flash(self, message: str) -> None:
        self.statusBar().showMessage(message, 6000)

    def _write_failed(self, message: str) -> None:
        self.saved_label.setText("Not saved")
        if self.library_watch is not None and not self.library_watch.check():
            return  # the server went away: the map stays as last saved, the banner says why
        self.show_problem("The edit could not be saved", message, modal=False)
        if self.session is not None:
            self.session.reload()
        self._refresh_status()

    # --- team library maps -----------------------------------------------------------------
    def _watch_library(self, document: MapRepository) -> None:
        if self.library_watch is not None:
            self.library_watch.stop()
            self.library_watch.deleteLater()
            self.library_watch = None
        if isinstance(document, LiveConnection):
            self.library_watch = LibraryWatch(document, self)
            self.library_watch.went_away.connect(self._library_went_away)
            self.library_watch.came_back.connect(self._library_came_back)
            self.library_watch.notified.connect(lambda: catch_up(self))
            self.library_watch.show_presence(self)

    def _library_went_away(self, reason: str) -> None:
        self.statusBar().showMessage(reason)
        self._refresh_status()
        self._refresh_read_only()

    def _library_came_back(self) -> None:
        if self.session is not None and not catch_up(self, back=True):
            self.session.reload()  # what the server holds: an edit it did not commit is not shown
        self._refresh_title()
        self._refresh_status()
        self._refresh_read_only()
        self.flash("The team library server is back: edits are saved again")

    def show_problem(self, title: str, message: str, modal: bool = True) -> None:
        from PySide6.QtWidgets import QMessageBox  # made on first use, not at start

        box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("problemDialog")
        if modal and QApplication.platformName() != "offscreen":
            box.exec()
        else:
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    def _map_changed(self, change: Change) -> None:
        if self.library_watch is not None:
            self.library_watch.after_change()
        if change.info:
            self._refresh_title()
        if change.reset or change.info:
            self._refresh_status()
        elif change.channels or change.flows:  # an edit: only the counts can change (read-only, offline
            self._refresh_counts()  # and the file come with a reset, or from the library watch)

    def _selection_changed(self) -> None:
        if self.scene is None:
            return
        ids = self.scene.selected_channel_ids()
        if len(ids) == 1 and self.session is not None:
            self.palette_dock.set_lane(self.session.map.channel(ids[0]).layer)
        self.actions_by_name["connect"].setEnabled(len(ids) == 2)

    def _refresh_counts(self) -> None:
        if self.session is not None:
            arch = self.session.map
            self.counts_label.setText(f"{_count(len(arch), 'channel')} · {_count(len(arch.flows), 'flow')}")

    def _refresh_title(self) -> None:
        if self.session is None:
            return
        suffix = " [read-only]" if self.session.read_only else ""
        document = self.session.repository
        if is_address(document.location):
            where = getattr(document, "where", "team library")
            self.setWindowTitle(f"{self.session.map.info.name}{suffix} — {where} — {APP_NAME}")
            self.setWindowFilePath("")
            return
        self.setWindowTitle(f"{self.session.map.info.name}{suffix} — {APP_NAME}")
        self.setWindowFilePath(self.session.repository.location)

    def _refresh_status(self) -> None:
        if self.session is None:
            return
        self._refresh_counts()
        document = self.session.repository
        library = is_address(document.location)
        self.where_label.setText(
            getattr(document, "where", "team library") if library else f"File: {Path(document.location).name}"
        )
        self.where_label.setToolTip(document.location)
        if library and self.library_watch is not None and self.library_watch.offline:
            self.saved_label.setText("Offline: edits refused")
            self.saved_label.setToolTip(document.read_only_reason)
            self.banner.show_text(document.read_only_reason, offline=True)
            return
        if library and self.session.read_only:
            self.banner.show_text(document.read_only_reason)
        else:
            self.banner.hide()
        if self.session.read_only:
            self.saved_label.setText("Read-only")
            self.saved_label.setToolTip(self.session.editor.read_only_reason)
        else:
            self.saved_label.setText("Saved")
            self.saved_label.setToolTip(f"Every edit is saved to {document.location}")

    def _refresh_read_only(self) -> None:
        read_only = self.session is not None and self.session.read_only
        for name in ("delete", "paste", "duplicate", "connect", "rename", "import", "cut"):
            action = self.actions_by_name.get(name)
            if action is not None:
                action.setEnabled(not read_only)
        self._refresh_palette_read_only()
        if read_only and self.session is not None:
            # No timeout: the reason stays in view, since every edit would be refused for it.
            self.statusBar().showMessage(self.session.editor.read_only_reason)
        else:
            self.statusBar().clearMessage()

    def _refresh_palette_read_only(self) -> None:
        if self.palette_dock.built:
            self.palette_dock.quick.setEnabled(not (self.session is not None and self.session.read_only))

    def _zoom_changed(self, zoom: float) -> None:
        self.zoom_label.setText(f"{zoom * 100:.0f} %")

    def closeEvent(self, event) -> None:
        if self.scene is not None:
            self.scene.blockSignals(True)
            self.inspector.unbind()
        if self.library_watch is not None:
            self.library_watch.stop()
        if self.session is not None:
            self.undo_group.removeStack(self.session.undo_stack)
            self.session.close()
            self.session = None
        super().closeEvent(event)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


class _FirstFrame(QObject):
    """Calls back once, in the event-loop turn after `widget` first paints."""

    def __init__(self, widget, callback) -> None:
        super().__init__(widget)
        self._callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._callback)
        return False
