"""File → Export… (Ctrl+E): the map as a PNG, SVG or PDF, the whole map or the selection.

The dialog (`exportDialog`) only gathers `ExportOptions` and a file name; the
drawing is `desktop.io.images.export_map`, the same code as the command line.
It remembers its last settings, offers presets for the usual destinations (a
16:9 slide, a dark projector deck, a transparent picture for any deck) and
shows a cancellable progress dialog, because a large map at 4× takes a while.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import MapError
from desktop.io.images import FORMATS, ExportCancelled, ExportOptions, export_map
from desktop.ui import settings

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

SETTINGS_KEY = "export_dialog"
FOLDER_KEY = "export_folder"
THEMES = (("light", "Light"), ("dark", "Dark"), ("projector", "Projector"))
SLIDE = 16 / 9
PRESETS: dict[str, dict[str, object]] = {
    "Slide 16:9 @2×": {
        "format": ".png",
        "scale": 2,
        "theme": "light",
        "transparent": False,
        "title": True,
        "slide": True,
    },
    "Projector, dark": {
        "format": ".png",
        "scale": 2,
        "theme": "dark",
        "transparent": False,
        "title": True,
        "slide": True,
    },
    "Transparent for decks": {
        "format": ".png",
        "scale": 2,
        "theme": "light",
        "transparent": True,
        "title": False,
        "slide": False,
    },
}
DEFAULTS: dict[str, object] = {
    "format": ".png",
    "scale": 2,
    "theme": "light",
    "transparent": False,
    "title": True,
    "slide": False,
}


class ExportDialog(QDialog):
    """Choose format, scale, theme, background, header, whole map or selection; then a file; then export."""

    window: MainWindow  # type: ignore[assignment]  # the editor window, in place of QWidget.window()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export Map")
        self.written: Path | None = None
        layout = QVBoxLayout(self)

        presets = QHBoxLayout()
        presets.addWidget(QLabel("Presets:"))
        for name in PRESETS:
            button = QPushButton(name, objectName=f"preset-{_slug(name)}")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, n=name: self.apply_preset(n))
            presets.addWidget(button)
        presets.addStretch(1)
        layout.addLayout(presets)

        form = QFormLayout()
        self.format = QComboBox(objectName="exportFormat")
        for suffix, text in FORMATS.items():
            self.format.addItem(f"{suffix[1:].upper()}: {text}", suffix)
        self.format.currentIndexChanged.connect(self._format_changed)
        form.addRow("&Format:", self.format)
        self.scale = QSpinBox(objectName="exportScale")
        self.scale.setRange(1, 4)
        self.scale.setSuffix(" ×")
        self.scale.setToolTip("Pixels per map unit: 2× is sharp on a high-density screen or a projector")
        form.addRow("&Scale:", self.scale)
        self.theme = QComboBox(objectName="exportTheme")
        for value, text in THEMES:
            self.theme.addItem(text, value)
        form.addRow("&Theme:", self.theme)
        self.transparent = QCheckBox("Transparent background", objectName="exportTransparent")
        form.addRow("", self.transparent)
        self.title = QCheckBox("Title, date, score (header)", objectName="exportTitle")
        form.addRow("", self.title)
        self.slide = QCheckBox("Fill a 16:9 slide", objectName="exportSlide")
        form.addRow("", self.slide)
        scope = QWidget()
        scope_row = QHBoxLayout(scope)
        scope_row.setContentsMargins(0, 0, 0, 0)
        self.whole = QRadioButton("Whole map", objectName="exportWhole")
        self.selection = QRadioButton(objectName="exportSelection")
        group = QButtonGroup(self)
        group.addButton(self.whole)
        group.addButton(self.selection)
        scope_row.addWidget(self.whole)
        scope_row.addWidget(self.selection)
        scope_row.addStretch(1)
        form.addRow("Export:", scope)
        layout.addLayout(form)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("Export…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("exportButton")
        self.export_button.setDefault(True)
        buttons.accepted.connect(self._choose_file)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.selected_ids = window.scene.selected_channel_ids() if window.scene is not None else []
        count = len(self.selected_ids)
        self.selection.setText(f"Selection ({count} channel{'s' if count != 1 else ''})")
        self.selection.setEnabled(count > 0)
        self.load(remembered())
        if count:
            self.selection.setChecked(True)
        else:
            self.whole.setChecked(True)

    # --- settings ----------------------------------------------------------------------------
    def load(self, values: dict[str, object]) -> None:
        index = self.format.findData(values.get("format", ".png"))
        self.format.setCurrentIndex(max(0, index))
        self.scale.setValue(int(values.get("scale", 2)))
        self.theme.setCurrentIndex(max(0, self.theme.findData(values.get("theme", "light"))))
        self.transparent.setChecked(bool(values.get("transparent", False)))
        self.title.setChecked(bool(values.get("title", True)))
        self.slide.setChecked(bool(values.get("slide", False)))
        self._format_changed()

    def values(self) -> dict[str, object]:
        return {
            "format": self.format.currentData(),
            "scale": self.scale.value(),
            "theme": self.theme.currentData(),
            "transparent": self.transparent.isChecked(),
            "title": self.title.isChecked(),
            "slide": self.slide.isChecked(),
        }

    def apply_preset(self, name: str) -> None:
        self.load(PRESETS[name])

    def options(self) -> ExportOptions:
        suffix = self.format.currentData()
        return ExportOptions(
            scale=self.scale.value() if suffix == ".png" else 1,
            theme=self.theme.currentData(),
            transparent=self.transparent.isChecked() and suffix != ".pdf",
            selection=list(self.selected_ids) if self.selection.isChecked() and self.selected_ids else None,
            title=self.title.isChecked(),
            aspect=SLIDE if self.slide.isChecked() else None,
        )

    def _format_changed(self) -> None:
        suffix = self.format.currentData()
        self.scale.setEnabled(suffix == ".png")
        self.transparent.setEnabled(suffix != ".pdf")

    # --- exporting ------------------------------------------------------------------------------
    def suggested_path(self) -> Path:
        folder = Path(settings.get(FOLDER_KEY, "") or settings.data_dir())
        name = self.window.session.map.info.name if self.window.session is not None else "Map"
        stem = re.sub(r'[\\/:*?"<>|]+', " ", name).strip() or "Map"
        return folder / f"{stem}{self.format.currentData()}"

    def _choose_file(self) -> None:
        suffix = self.format.currentData()
        name, _ = QFileDialog.getSaveFileName(
            self, "Export Map", str(self.suggested_path()), f"{FORMATS[suffix]} (*{suffix})"
        )
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        if self.export_to(path):
            self.accept()

    def export_to(self, path: Path) -> bool:
        """Export with a cancellable progress dialog; True when the file was written."""
        session = self.window.session
        if session is None:
            return False
        remember(self.values())
        settings.put(FOLDER_KEY, str(Path(path).parent))
        progress = QProgressDialog("Exporting the map…", "Cancel", 0, 1000, self)
        progress.setObjectName("exportProgress")
        progress.setWindowTitle("Export Map")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        progress.setAutoClose(False)

        def report(done: int, total: int) -> bool:
            progress.setValue(int(1000 * done / max(1, total)))
            QApplication.processEvents()
            return not progress.wasCanceled()

        try:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                export_map(session.map, path, _with_votes(self.options(), session), report, session.report)
            finally:
                QApplication.restoreOverrideCursor()
                progress.close()
                progress.deleteLater()
        except ExportCancelled:
            self.window.flash("Export cancelled: nothing was written")
            return False
        except (MapError, OSError) as exc:
            self.window.show_problem("The map could not be exported", str(exc))
            return False
        self.written = Path(path)
        self.window.flash(f"Exported {Path(path).name}")
        return True


def remembered() -> dict[str, object]:
    """The dialog's last settings (or the defaults)."""
    values = dict(DEFAULTS)
    try:
        saved = json.loads(settings.get(SETTINGS_KEY, "") or "{}")
    except ValueError:
        saved = {}
    if isinstance(saved, dict):
        values.update({k: v for k, v in saved.items() if k in DEFAULTS})
    return values


def remember(values: dict[str, object]) -> None:
    settings.put(SETTINGS_KEY, json.dumps(values))


def open_export_dialog(window: MainWindow) -> ExportDialog | None:
    """File → Export…: show the dialog (modeless under tests, so they can drive it)."""
    if window.session is None:
        return None
    dialog = ExportDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if QApplication.platformName() == "offscreen":
        dialog.open()
        return dialog
    dialog.exec()
    return None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _with_votes(options: ExportOptions, session) -> ExportOptions:
    """The options with the workshop room's vote stored in the map (printed under the legend)."""
    from dataclasses import replace

    from desktop.room.votes import ROOM_KEY, VoteResults

    return replace(options, votes=VoteResults.loads(session.repository.setting(ROOM_KEY)))
