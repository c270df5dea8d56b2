"""The last line of defence: an unexpected exception is logged to a rotating file and shown.

The map is safe regardless: every acknowledged edit is already committed, so
the dialog can say so honestly.
"""

from __future__ import annotations

import logging
import sys
import traceback
from logging.handlers import RotatingFileHandler
from types import TracebackType

from desktop.ui.settings import log_dir

LOG_NAME = "distribution-architect"
_log: logging.Logger | None = None


def logger() -> logging.Logger:
    global _log
    if _log is None:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        log = logging.getLogger(LOG_NAME)
        log.setLevel(logging.INFO)
        handler = RotatingFileHandler(
            folder / "errors.log", maxBytes=512_000, backupCount=3, encoding="utf-8"
        )
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
        _log = log
    return _log


def log_path() -> str:
    return str(log_dir() / "errors.log")


def handle_exception(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, tb)
        return
    text = "".join(traceback.format_exception(kind, value, tb))
    try:
        logger().error("unexpected error\n%s", text)
    except OSError:
        pass
    from PySide6.QtWidgets import QApplication, QMessageBox

    if QApplication.instance() is None:
        sys.__excepthook__(kind, value, tb)
        return
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        "Something went wrong",
        f"Distribution Architect hit an unexpected error: {value}\n\n"
        "Your map is safe: every edit you made is already saved in its file.\n"
        f"Details were written to {log_path()}.",
    )
    box.setObjectName("crashDialog")
    box.open()
    _open_boxes.append(box)


_open_boxes: list = []


def install_exception_handler() -> None:
    sys.excepthook = handle_exception
