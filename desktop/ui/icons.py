"""Channel icons: a white SVG glyph (resources/icons/NAME.svg) on the channel's colour.

Rendered once per (icon, colour, size) and cached, in memory and as a PNG in
the user's cache folder: parsing and rendering thirty SVGs took a tenth of
the time to the first painted window, and loading thirty small PNGs takes a
millisecond. A cached file is named by a hash of the SVG and the options, so
a changed glyph or colour is rendered anew.
"""

from __future__ import annotations

import atexit
import os
from functools import lru_cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from desktop.resources import resource
from desktop.ui.settings import cache_dir

RENDER_VERSION = 1  # bump when the drawing below changes, so cached PNGs are not reused


@lru_cache(maxsize=256)
def channel_icon(icon: str, colour: str, size: int = 32, letter: str = "") -> QIcon:
    path = resource("icons", f"{icon}.svg")
    try:
        svg = path.read_bytes() if path.is_file() else b""
    except OSError:
        svg = b""
    import hashlib  # here: the palette's icons are drawn after the first frame, and OpenSSL loads in ms

    key = hashlib.sha1(svg + f"|{colour}|{size}|{letter}|{RENDER_VERSION}".encode()).hexdigest()[:20]
    cached = cache_dir() / "icons" / f"{icon}-{key}.png"
    pixmap = QPixmap()
    if cached.is_file() and pixmap.load(str(cached), "PNG") and pixmap.width() == size:  # type: ignore[arg-type]
        return QIcon(pixmap)
    pixmap = _render(svg, colour, size, letter)
    _store(pixmap, cached)
    return QIcon(pixmap)


def _store(pixmap: QPixmap, target) -> None:
    """Write the rendered icon for the next start; a cache that cannot be written is only slower."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        if pixmap.save(str(partial), "PNG"):
            os.replace(partial, target)
        else:
            partial.unlink(missing_ok=True)
    except OSError:
        pass


def _render(svg: bytes, colour: str, size: int, letter: str) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawRoundedRect(QRectF(0, 0, size, size), size * 0.22, size * 0.22)
    drawn = False
    if svg:
        try:
            from PySide6.QtSvg import QSvgRenderer

            renderer = QSvgRenderer(QByteArray(svg))
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
    return pixmap


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
