"""Application start-up (the composition root): `main(argv)` (what main.py runs) and `MainWindow`.

Here the window meets the store: `MainWindow(path)` is the window of `desktop.ui`
given the store's `FileMaps` (map files, and team library maps at `postgresql://`
addresses), so `desktop.ui` never imports `desktop.store`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.store.opening import FileMaps
from desktop.ui.main_window import MainWindow as EditorWindow

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication

__all__ = ["MainWindow", "main"]


class MainWindow(EditorWindow):
    """The editor window: `MainWindow(path)`, a file path or a library address `postgresql://…#Map name`.

    None opens the last map, else the sample.
    """

    def __init__(self, path: str | Path | None = None, *, panels_after_first_paint: bool = False) -> None:
        super().__init__(path, maps=FileMaps(), panels_after_first_paint=panels_after_first_paint)


def main(argv: Sequence[str] | None = None) -> int:
    """Open the window on a map path (argv[0]) or on the last map, else the sample."""
    from PySide6.QtWidgets import QApplication

    from desktop import APP_NAME
    from desktop.ui.crash import install_exception_handler
    from desktop.ui.icons import app_icon
    from desktop.ui.style import apply_app_style

    args = list(sys.argv[1:] if argv is None else argv)
    own_app = QApplication.instance() is None
    app = QApplication.instance() or _application([sys.argv[0], *[a for a in args if a.startswith("-")]])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("Distribution Architect")
    app.setWindowIcon(app_icon())
    app.setDesktopFileName("distribution-architect")
    from desktop.io.fonts import no_ligatures

    no_ligatures()  # searchable text in exported PDFs
    apply_app_style(app)
    install_exception_handler()
    from desktop.ui.icons import release_icons

    app.aboutToQuit.connect(release_icons)
    app.aboutToQuit.connect(_release_clipboard)
    paths = [a for a in args if not a.startswith("-")]
    window = MainWindow(paths[0] if paths else None, panels_after_first_paint=True)
    _WINDOWS.append(window)
    window.show()
    _quit_after_smoke_test(app)
    _open_room_for_smoke_test(window)
    _quit_after_first_paint(app, window)
    _collector_on_after_first_paint(window)
    code = app.exec()
    if own_app:
        window.close()  # the map's file closed, if a quit came some other way than the window closing
        from desktop.process_exit import exit_now

        exit_now(code)
    return code


_WINDOWS: list[MainWindow] = []  # the window the system's file-open requests go to


def _application(argv: list[str]):
    """The QApplication, with macOS's "open this file" requests (Finder, the Dock) sent to the window."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    class DesktopApplication(QApplication):
        def event(self, event: QEvent) -> bool:
            if event.type() == QEvent.Type.FileOpen and _WINDOWS:
                return open_requested_file(_WINDOWS[-1], event)
            return super().event(event)

    return DesktopApplication(argv)


def open_requested_file(window: MainWindow, event) -> bool:
    """A QFileOpenEvent (a map double-clicked in Finder while the app runs): open it in the window."""
    path = event.file()
    if not path:
        return False
    window.open_path(path)  # a refused file gets its dialog, and the open map stays
    window.raise_()
    window.activateWindow()
    return True


def _quit_after_smoke_test(app: QCoreApplication) -> None:
    """DISTARCH_SMOKE_QUIT_MS=N quits N ms after start-up: the bundle test opens the real window this way."""
    import os

    delay = os.environ.get("DISTARCH_SMOKE_QUIT_MS", "").strip()
    if delay.isdigit():
        from PySide6.QtCore import QTimer

        QTimer.singleShot(int(delay), app.quit)


def _open_room_for_smoke_test(window: MainWindow) -> None:
    """DISTARCH_SMOKE_ROOM=1 opens the workshop room at start-up and prints `room <join address>`
    (the bundle test joins it over loopback, with DISTARCH_ROOM_HOST=127.0.0.1)."""
    import os

    if not os.environ.get("DISTARCH_SMOKE_ROOM"):
        return
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QLabel

    def open_room() -> None:
        action = window.findChild(QAction, "openRoom")
        if action is not None:
            action.trigger()
        label = window.findChild(QLabel, "roomAddress")
        print(f"room {label.text() if label is not None else ''}", flush=True)

    QTimer.singleShot(0, open_room)


def _quit_after_first_paint(app: QCoreApplication, window: MainWindow) -> None:
    """DISTARCH_BENCH_FIRST_PAINT=1 (`make bench`): print `first-paint` once the canvas has painted,
    `panels-painted` once the filled coherence panel has, then quit."""
    import os

    if not os.environ.get("DISTARCH_BENCH_FIRST_PAINT"):
        return
    from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer

    class Painted(QObject):
        def __init__(self, widget, marker: str, then) -> None:
            super().__init__(widget)
            self.marker, self.then = marker, then
            widget.installEventFilter(self)

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() != QEvent.Type.Paint:
                return False
            watched.removeEventFilter(self)
            QCoreApplication.sendEvent(watched, event)  # paint now, then say so
            print(self.marker, flush=True)
            self.then()
            return True

    def quit_soon() -> None:
        QTimer.singleShot(0, app.quit)  # once this paint cycle has reached the screen

    def watch_panels() -> None:
        Painted(window.coherence.score, "panels-painted", quit_soon)

    if window.coherence.built:  # filled with the window: watch it once the canvas has painted
        Painted(window.view.viewport(), "first-paint", watch_panels)
    else:
        Painted(window.view.viewport(), "first-paint", lambda: None)
        window.panels_ready.connect(watch_panels)


def _collector_on_after_first_paint(window: MainWindow) -> None:
    """Bring Python's cyclic garbage collector back (`desktop.cli.run` pauses it for the start), on
    the GUI thread only (ui/collector.py): in the event-loop turn after the window first paints, and
    in any case within two seconds."""
    from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer

    from desktop.ui.collector import collect_on_gui_thread

    def start() -> None:
        app = QCoreApplication.instance()
        if app is not None:
            collect_on_gui_thread(app)

    class Painted(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                QTimer.singleShot(0, start)
            return False

    window.installEventFilter(Painted(window))
    QTimer.singleShot(2000, start)


def _release_clipboard() -> None:
    """Our copied channels live in a QMimeData the clipboard owns; hand it back before Python exits."""
    from PySide6.QtGui import QGuiApplication

    from desktop.ui.menus import CLIPBOARD_MIME

    clipboard = QGuiApplication.clipboard()
    data = clipboard.mimeData()
    if data is not None and data.hasFormat(CLIPBOARD_MIME):
        clipboard.clear()
