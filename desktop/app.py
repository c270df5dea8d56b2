"""Application start-up: `main(argv)` (what main.py runs) and the `MainWindow` entry point."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from desktop.ui.main_window import MainWindow

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication

__all__ = ["MainWindow", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Open the window on a map path (argv[0]) or on the last map, else the sample."""
    from PySide6.QtWidgets import QApplication

    from desktop import APP_NAME
    from desktop.ui.crash import install_exception_handler
    from desktop.ui.icons import app_icon
    from desktop.ui.style import apply_app_style

    args = list(sys.argv[1:] if argv is None else argv)
    app = QApplication.instance() or QApplication([sys.argv[0], *[a for a in args if a.startswith("-")]])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("Distribution Architect")
    app.setWindowIcon(app_icon())
    app.setDesktopFileName("distribution-architect")
    apply_app_style(app)
    install_exception_handler()
    paths = [a for a in args if not a.startswith("-")]
    window = MainWindow(paths[0] if paths else None)
    window.show()
    _quit_after_smoke_test(app)
    return app.exec()


def _quit_after_smoke_test(app: QCoreApplication) -> None:
    """DISTARCH_SMOKE_QUIT_MS=N quits N ms after start-up: the bundle test opens the real window this way."""
    import os

    delay = os.environ.get("DISTARCH_SMOKE_QUIT_MS", "").strip()
    if delay.isdigit():
        from PySide6.QtCore import QTimer

        QTimer.singleShot(int(delay), app.quit)
