"""Render the application icon (resources/icons/app.svg) into the raster files the bundles need.

app.png (256 px) is the window icon and the Linux desktop-entry icon; app.ico
(Windows executable) and app.icns (macOS .app) hold PNG-compressed images, which
both formats accept, so no extra imaging library is needed. The outputs are
committed; run this again only after editing app.svg:

    QT_QPA_PLATFORM=offscreen .venv/bin/python build_spec/make_icons.py
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
)


def png_bytes(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico(images: dict[int, bytes]) -> bytes:
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = b"", b""
    for size, blob in images.items():
        side = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset + len(blobs))
        blobs += blob
    return header + entries + blobs


def icns(renderer: QSvgRenderer) -> bytes:
    body = b""
    for kind, size in ICNS_TYPES:
        blob = png_bytes(renderer, size)
        body += kind + struct.pack(">I", len(blob) + 8) + blob
    return b"icns" + struct.pack(">I", len(body) + 8) + body


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / "app.svg"))
    if not renderer.isValid():
        print("app.svg does not render", file=sys.stderr)
        return 1
    (ICONS / "app.png").write_bytes(png_bytes(renderer, 256))
    (ICONS / "app.ico").write_bytes(ico({size: png_bytes(renderer, size) for size in ICO_SIZES}))
    (ICONS / "app.icns").write_bytes(icns(renderer))
    del app
    print(f"wrote app.png, app.ico, app.icns in {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
