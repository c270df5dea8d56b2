"""Channel icons: a white SVG glyph (resources/icons/NAME.svg) on the channel's colour.

Rendered once per (icon, colour, size) and cached.
"""

from __future__ import annotations

import atexit
from functools import lru_cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from desktop.resources import resource


@lru_cache(maxsize=256)
def channel_icon(icon: str, colour: str, size: int = 32, letter: str = "") -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawRoundedRect(QRectF(0, 0, size, size), size * 0.22, size * 0.22)
    path = resource("icons", f"{icon}.svg")
    drawn = False
    if path.is_file():
        try:
            from PySide6.QtSvg import QSvgRenderer

            renderer = QSvgRenderer(QByteArray(path.read_bytes()))
            if renderer.isValid():
                inset = size * 0.2
                renderer.render(painter, QRectF(inset, inset, size - 2 * inset, size - 2 * inset))
                drawn = True
        except ImportError:  # pragma: no cover - QtSvg ships with PySide6-Essentials
            pass
    if not drawn:
        font = QFont()
        font.setPixelSize(int(size * 0.5))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, (letter or "•")[:1].upper())
    painter.end()
    return QIcon(pixmap)


@lru_cache(maxsize=1)
def app_icon() -> QIcon:
    """The application icon (resources/icons/app.png, rendered from app.svg): window, taskbar, dock."""
    path = resource("icons", "app.png")
    return QIcon(str(path)) if path.is_file() else QIcon()


def release_icons() -> None:
    """Drop the cached pixmaps while the QApplication still exists: a QPixmap freed after it crashes."""
    channel_icon.cache_clear()
    app_icon.cache_clear()


atexit.register(release_icons)
