"""The application's look: Fusion, a light or dark palette, and a little styling for the docks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

BASE_QSS = """
QDockWidget::title { padding: 6px 8px; font-weight: 600; }
QLabel#sectionLabel { font-weight: 600; margin-top: 4px; }
QLabel#hint { color: palette(mid); }
QLineEdit#quickAdd { padding: 6px; font-size: 15px; }
QTreeView#palette::item { padding: 3px 0; }
QListWidget#findings::item { padding: 6px 4px; border-bottom: 1px solid palette(midlight); }
QStatusBar QLabel { padding: 0 8px; }
"""


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    try:
        return hints.colorScheme() == Qt.ColorScheme.Dark
    except AttributeError:  # pragma: no cover - older Qt
        return False


def dark_palette() -> QPalette:
    p = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#111827",
        QPalette.ColorRole.WindowText: "#f1f5f9",
        QPalette.ColorRole.Base: "#1e293b",
        QPalette.ColorRole.AlternateBase: "#273449",
        QPalette.ColorRole.Text: "#f1f5f9",
        QPalette.ColorRole.Button: "#1f2937",
        QPalette.ColorRole.ButtonText: "#f1f5f9",
        QPalette.ColorRole.Highlight: "#2563eb",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#1f2937",
        QPalette.ColorRole.ToolTipText: "#f1f5f9",
        QPalette.ColorRole.PlaceholderText: "#94a3b8",
        QPalette.ColorRole.Mid: "#94a3b8",
        QPalette.ColorRole.Midlight: "#334155",
    }
    for role, colour in colours.items():
        p.setColor(role, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(disabled, role, QColor("#64748b"))
    p.setColor(disabled, QPalette.ColorRole.Button, QColor("#172033"))
    p.setColor(disabled, QPalette.ColorRole.Base, QColor("#111827"))
    p.setColor(QPalette.ColorRole.Light, QColor("#475569"))
    p.setColor(QPalette.ColorRole.Dark, QColor("#0b1120"))
    p.setColor(QPalette.ColorRole.Shadow, QColor("#000000"))
    return p


def light_palette() -> QPalette:
    p = QApplication.style().standardPalette()
    p.setColor(QPalette.ColorRole.Mid, QColor("#475569"))
    p.setColor(QPalette.ColorRole.Midlight, QColor("#e2e8f0"))
    return p


_APPLIED: dict[int, bool] = {}  # id(app) → the darkness applied to it


def apply_app_style(app: QApplication, dark: bool | None = None) -> None:
    """Fusion, the palette and the style sheet; again only when the darkness changes.

    Each of the three re-polishes every widget alive, which costs tens of
    milliseconds once the window is built: start-up applies it once, before.
    """
    if dark is None:
        dark = system_prefers_dark()
    if _APPLIED.get(id(app)) is dark:
        return
    _APPLIED.clear()
    _APPLIED[id(app)] = dark
    app.setStyle("Fusion")
    app.setPalette(dark_palette() if dark else light_palette())
    app.setStyleSheet(BASE_QSS)
