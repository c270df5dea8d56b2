"""The last line of defence: an unexpected exception is logged to a rotating file and shown.

The map is safe regardless: every acknowledged edit is already committed, so
the dialog can say so honestly. The handler itself must never fail (it runs
inside Qt's event loop): logging problems are ignored, and while one crash
dialog is open, later errors (a failing paint event repeats many times a
second) are only logged, so the user is not buried under dialogs.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from desktop.ui.settings import log_dir

if TYPE_CHECKING:  # logging.handlers pulls in sockets and pickling: imported when an error is logged
    import logging
    from logging.handlers import RotatingFileHandler

LOG_NAME = "distribution-architect"
LOG_FILE = "errors.log"
MAX_BYTES = 512_000
BACKUPS = 3

_handler: RotatingFileHandler | None = None
_handler_folder: Path | None = None
_open_boxes: list = []


def logger() -> logging.Logger:
    """The error log, in the user's log folder (follows the folder if it changes, e.g. in tests)."""
    global _handler, _handler_folder
    import logging
    from logging.handlers import RotatingFileHandler

    log = logging.getLogger(LOG_NAME)
    log.setLevel(logging.INFO)
    log.propagate = False
    folder = log_dir()
    if _handler is None or _handler_folder != folder:
        if _handler is not None:
            log.removeHandler(_handler)
            _handler.close()
            _handler = None
        folder.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(
            folder / LOG_FILE, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
        _handler, _handler_folder = handler, folder
    return log


def log_path() -> str:
    return str(log_dir() / LOG_FILE)


def handle_exception(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    """sys.excepthook: log the traceback, then tell the user (once at a time) that the map is safe."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, tb)
        return
    import traceback

    text = "".join(traceback.format_exception(kind, value, tb))
    try:
        logger().error("unexpected error\n%s", text)
    except Exception:  # noqa: BLE001 - a full disk must not turn one error into two
        pass
    try:
        _show(value)
    except Exception:  # noqa: BLE001 - never raise from the hook itself
        sys.__excepthook__(kind, value, tb)


def _show(value: BaseException) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox

    app = QApplication.instance()
    if not isinstance(app, QApplication) or threading.current_thread() is not threading.main_thread():
        sys.stderr.write(f"unexpected error: {value} (details in {log_path()})\n")
        return
    _open_boxes[:] = [box for box in _open_boxes if _alive(box)]
    if _open_boxes:
        return
    summary = " ".join(str(value).split())[:300] or type(value).__name__
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        "Something went wrong",
        f"Distribution Architect hit an unexpected error: {summary}\n\n"
        "Your map is safe: every edit you made is already saved in its file.\n"
        f"Details were written to {log_path()}.",
    )
    box.setObjectName("crashDialog")
    box.finished.connect(lambda _result, b=box: _forget(b))
    box.open()
    _open_boxes.append(box)


def _alive(box) -> bool:
    try:
        return box.isVisible()
    except RuntimeError:  # the C++ object is gone
        return False


def _forget(box) -> None:
    if box in _open_boxes:
        _open_boxes.remove(box)
    box.deleteLater()


def install_exception_handler() -> None:
    sys.excepthook = handle_exception
    threading.excepthook = _thread_exception


def _thread_exception(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is not None:
        handle_exception(args.exc_type, args.exc_value, args.exc_traceback)
