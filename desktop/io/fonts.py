"""Text without typographic ligatures, so exported PDFs and SVGs stay searchable.

Qt's shaper joins "fl" and "fi" into one ligature glyph, which a PDF maps back
to U+FB02 "ﬂ": searching an exported PDF for "flows" then finds nothing, and
copied text reads "ﬂows". Turning the `liga` feature off on the application
font (every QFont() the canvas and the exports make starts from it) costs
nothing visible on screen or on a projector.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QGuiApplication


def no_ligatures() -> None:
    """Turn off standard ligatures in the application font (before fonts are made from it)."""
    font = QGuiApplication.font()
    tag = QFont.Tag("liga")
    if font.isFeatureSet(tag) and font.featureValue(tag) == 0:
        return
    font.setFeature(tag, 0)
    QGuiApplication.setFont(font)
