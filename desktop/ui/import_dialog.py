"""File → Import… (`importDialog`): preview an inventory or a map file, then import it all or not at all.

A lead's spreadsheet rarely imports cleanly the first time. The dialog reads
the file without touching the map, shows the rows as the spreadsheet numbers
them, lists every problem with its row ("Row 4: unknown layer 'Routng' …"),
and keeps Import disabled until there are none, so nothing is ever half
imported. The lead fixes the sheet in Excel and presses Reload. Channels
added to the open map are one undoable command (`merge_edits` through
`session.perform`), and a name the map already uses is a problem shown in
the preview rather than a failure after the click. Reading is headless
(`desktop.io.tables`, `interchange`, `embedded`); this module only shows it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QCursor, QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QTabWidget,
    QVBoxLayout,
)

from desktop.document.importing import import_text, merge_edits
from desktop.domain.edits import AddChannel, Edit
from desktop.domain.errors import MapError
from desktop.domain.model import ArchitectureMap
from desktop.io.import_source import ImportSource, Problem, name_clashes, read_source
from desktop.io.tables import FLOW_COLUMNS
from desktop.ui import settings
from desktop.ui.import_preview import RowsModel, preview_table

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

FOLDER_KEY = "import_folder"
SOURCE_FILTER = (
    "Inventories and maps (*.csv *.xlsx *.ods *.json *.png *.svg *.distarch);;"
    "Channel inventories (*.csv *.xlsx *.ods);;Map files (*.json *.distarch);;"
    "Exported map pictures (*.png *.svg);;All files (*)"
)
FLOWS_FILTER = "Flows (*.csv *.xlsx *.ods);;All files (*)"
MAX_LISTED = 500
MAX_ROWS_SHOWN = 6
TABLE_ORDER = {"": 0, "channels": 1, "flows": 2}


class ImportDialog(QDialog):
    """The preview of one import; `path` given skips the file chooser (tests, drag and drop)."""

    def __init__(self, window: MainWindow, path: str | Path | None = None, flows: str | Path | None = None):
        super().__init__(window)
        self.setObjectName("importDialog")
        self.setWindowTitle("Import")
        self.resize(1180, 760)
        self.window_ = window
        self.path: Path | None = None
        self.flows: Path | None = Path(flows) if flows else None
        self.source: ImportSource | None = None
        self.problems: list[Problem] = []
        self.edits: list[Edit] = []  # what Import adds to this map, checked with the preview
        self._edits_state: tuple[int, int, int] | None = None
        self._build()
        if path is not None:
            self.load(Path(path), self.flows)

    # --- layout -------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.setContentsMargins(18, 16, 18, 16)
        self.file_label = QLabel("No file chosen")
        self.file_label.setObjectName("importFile")
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        big = QFont(self.font())
        big.setPixelSize(16)
        big.setBold(True)
        self.file_label.setFont(big)
        choose = QPushButton("Choose File…")
        choose.setObjectName("chooseFile")
        choose.clicked.connect(self.choose_file)
        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(choose)
        layout.addLayout(top)

        self.flows_label = QLabel()
        self.flows_label.setObjectName("importFlows")
        self.flows_choose = QPushButton("Flows File…")
        self.flows_choose.setObjectName("chooseFlows")
        self.flows_choose.clicked.connect(self.choose_flows)
        self.flows_clear = QPushButton("Remove Flows File")
        self.flows_clear.setObjectName("clearFlows")
        self.flows_clear.clicked.connect(lambda: self.load(self.path, None) if self.path else None)
        self.flows_row = QHBoxLayout()
        self.flows_row.addWidget(self.flows_label, 1)
        self.flows_row.addWidget(self.flows_choose)
        self.flows_row.addWidget(self.flows_clear)
        layout.addLayout(self.flows_row)

        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        summary_font = QFont(self.font())
        summary_font.setPixelSize(15)
        summary_font.setBold(True)
        self.summary.setFont(summary_font)
        layout.addWidget(self.summary)

        self.problem_list = QListWidget()
        self.problem_list.setObjectName("importProblems")
        self.problem_list.setStyleSheet("QListWidget#importProblems::item { padding: 3px 4px; }")
        problem_font = QFont(self.font())
        problem_font.setPixelSize(14)
        self.problem_list.setFont(problem_font)
        self.problem_list.setWordWrap(True)
        self.problem_list.itemActivated.connect(self._show_problem_row)
        self.problem_list.itemClicked.connect(self._show_problem_row)
        layout.addWidget(self.problem_list)

        self.ignored_label = QLabel()
        self.ignored_label.setObjectName("importIgnored")
        self.ignored_label.setWordWrap(True)
        layout.addWidget(self.ignored_label)

        self.channel_model = RowsModel(self)
        self.flow_model = RowsModel(self)
        self.channel_table = preview_table("importPreview", self.channel_model)
        self.flow_table = preview_table("importFlowPreview", self.flow_model)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("importTabs")
        self.tabs.addTab(self.channel_table, "Channels")
        self.tabs.addTab(self.flow_table, "Flows")
        layout.addWidget(self.tabs, 1)

        self.add_here = QRadioButton()
        self.add_here.setObjectName("addToMap")
        self.into_new = QRadioButton("Into a new map…")
        self.into_new.setObjectName("intoNewMap")
        writable = self.window_.session is not None and not self.window_.session.read_only
        self.add_here.setEnabled(writable)
        (self.add_here if writable else self.into_new).setChecked(True)
        self.add_here.toggled.connect(lambda _checked: self._evaluate())
        self.reload_button = QPushButton("Reload")
        self.reload_button.setObjectName("reloadButton")
        self.reload_button.setToolTip("Read the file again, after fixing it in the spreadsheet")
        self.reload_button.clicked.connect(self.reload)
        self.import_button = QPushButton("Import")
        self.import_button.setObjectName("importButton")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.do_import)
        cancel = QPushButton("Cancel")
        cancel.setObjectName("cancelButton")
        cancel.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel("Destination:"))
        bottom.addWidget(self.add_here)
        bottom.addWidget(self.into_new)
        bottom.addStretch(1)
        bottom.addWidget(self.reload_button)
        bottom.addWidget(cancel)
        bottom.addWidget(self.import_button)
        layout.addLayout(bottom)
        self._refresh_destination()
        self._evaluate()

    def _colours(self) -> tuple[str, str, QColor]:
        """Problem text, success text and the row tint, readable on this palette."""
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 110
        if dark:
            return "#fca5a5", "#4ade80", QColor("#4c1d1d")
        return "#b91c1c", "#15803d", QColor("#fee2e2")

    # --- choosing and reading -----------------------------------------------------------
    def choose_file(self) -> bool:
        """Ask for the file to import; False when the user cancels."""
        start = self.path.parent if self.path else Path(settings.get(FOLDER_KEY, str(self._map_folder())))
        name, _ = QFileDialog.getOpenFileName(self, "Import", str(start), SOURCE_FILTER)
        if not name:
            return False
        self.load(Path(name), None)
        return True

    def choose_flows(self) -> None:
        start = self.path.parent if self.path else self._map_folder()
        name, _ = QFileDialog.getOpenFileName(self, "Flows for this inventory", str(start), FLOWS_FILTER)
        if name and self.path is not None:
            self.load(self.path, Path(name))

    def _map_folder(self) -> Path:
        session = self.window_.session
        return Path(session.repository.location).parent if session is not None else settings.data_dir()

    def reload(self) -> None:
        if self.path is not None:
            self.load(self.path, self.flows)

    def load(self, path: Path, flows: Path | None = None) -> None:
        """Read `path` (and a flows file for a CSV) into the preview; the map is not touched."""
        self.path, self.flows = Path(path), (Path(flows) if flows else None)
        settings.put(FOLDER_KEY, str(self.path.parent))
        QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
        try:
            self.source = read_source(self.path, self.flows, self.window_.maps.read)
            self._edits_state = None
        finally:
            QApplication.restoreOverrideCursor()
        self.file_label.setText(self.path.name)
        self.file_label.setToolTip(str(self.path))
        self.setWindowTitle(f"Import {self.path.name}")
        self._refresh_flows()
        self._refresh_destination()
        self._evaluate()

    def _refresh_flows(self) -> None:
        csv = self.path is not None and self.path.suffix.lower() == ".csv"
        for widget in (self.flows_label, self.flows_choose):
            widget.setVisible(csv)
        self.flows_clear.setVisible(csv and self.flows is not None)
        if self.flows is not None:
            self.flows_label.setText(f"Flows: {self.flows.name}")
            self.flows_label.setToolTip(str(self.flows))
        else:
            self.flows_label.setText("Flows: none (optional: a CSV with the columns source, target and rule)")
            self.flows_label.setToolTip("")

    def _refresh_destination(self) -> None:
        session = self.window_.session
        name = session.map.info.name if session is not None else "this map"
        self.add_here.setText(f"Add to this map ({name})")

    # --- checking ---------------------------------------------------------------------------
    def _evaluate(self) -> None:
        """Problems for the chosen destination (a name clash matters only when adding here); refresh."""
        source = self.source
        self.problems = list(source.problems) if source else []
        session = self.window_.session
        if source is not None and self.add_here.isChecked() and session is not None:
            self.problems += name_clashes(source, session.map)
            self.problems.sort(key=lambda p: (TABLE_ORDER.get(p.table, 0), p.row))
            if not self.problems and source.arch is not None:
                self._merge(source.arch)
        self._show()

    def _merge(self, incoming: ArchitectureMap) -> None:
        """The edits for "Add to this map", computed once per file and state of the map."""
        session = self.window_.session
        assert session is not None
        state = (id(session.map), session.undo_stack.index(), session.undo_stack.count())
        if state == self._edits_state:
            return
        self._edits_state, self.edits = None, []
        try:
            self.edits = merge_edits(session.map, incoming, keep_positions=len(session.map) == 0)
        except MapError as exc:
            self.problems.append(Problem("", 0, exc.message))
            return
        self._edits_state = state

    def _show(self) -> None:
        source = self.source
        bad, good, tint = self._colours()
        channel_reasons: dict[int, list[str]] = {}
        flow_reasons: dict[int, list[str]] = {}
        for problem in self.problems:
            target = flow_reasons if problem.table == "flows" else channel_reasons
            if problem.row:
                target.setdefault(problem.row, []).append(problem.text)
        rows = source.rows if source else []
        flow_rows = source.flow_rows if source else []
        columns = ["row", *source.columns] if source and source.columns else []
        flow_columns = ["row", *FLOW_COLUMNS] if source and source.is_table else list(FLOW_COLUMNS)
        self.channel_model.set_rows(columns, rows, channel_reasons, tint)
        self.flow_model.set_rows(flow_columns if flow_rows else [], flow_rows, flow_reasons, tint)
        for view in (self.channel_table, self.flow_table):
            view.resizeColumnsToContents()
            model = view.model()
            assert isinstance(model, RowsModel)
            for column, key in enumerate(model.columns):
                least = 160 if key in ("name", "source", "target") else 70
                view.setColumnWidth(column, min(max(view.columnWidth(column), least), 320))
        self.tabs.setTabText(0, f"Channels ({len(rows)})")
        self.tabs.setTabText(1, f"Flows ({len(flow_rows)})")
        self.problem_list.clear()
        for problem in self.problems[:MAX_LISTED]:
            item = QListWidgetItem(problem.text)
            item.setForeground(QColor(bad))
            item.setData(Qt.ItemDataRole.UserRole, (problem.table, problem.row))
            self.problem_list.addItem(item)
        if len(self.problems) > MAX_LISTED:
            more = QListWidgetItem(f"… and {len(self.problems) - MAX_LISTED} more problems")
            more.setForeground(QColor(bad))
            self.problem_list.addItem(more)
        warnings = source.warnings if source else []
        for warning in warnings[:MAX_LISTED]:
            item = QListWidgetItem(f"Warning: {warning.text}")
            item.setData(Qt.ItemDataRole.UserRole, (warning.table, warning.row))
            self.problem_list.addItem(item)
        self.problem_list.setVisible(bool(self.problems or warnings))
        shown = min(self.problem_list.count(), MAX_ROWS_SHOWN)
        if shown:
            height = sum(self.problem_list.sizeHintForRow(i) for i in range(shown))
            self.problem_list.setFixedHeight(height + 2 * self.problem_list.frameWidth() + 4)
        ignored = source.ignored if source else []
        self.ignored_label.setVisible(bool(ignored))
        self.ignored_label.setText(
            "Ignored columns (not part of an inventory): " + ", ".join(ignored) if ignored else ""
        )
        self.summary.setText(self._summary_text(len(rows), len(flow_rows)))
        self.summary.setStyleSheet(f"color: {bad if self.problems else good};")
        ready = source is not None and source.arch is not None and len(source.arch) > 0 and not self.problems
        self.import_button.setEnabled(ready)
        self.import_button.setText(f"Import {len(rows)} Channels" if ready and len(rows) != 1 else "Import")
        self.reload_button.setEnabled(self.path is not None)

    def _summary_text(self, channels: int, flows: int) -> str:
        if self.source is None:
            return "Choose a CSV or XLSX inventory, a JSON map or an exported picture of a map."
        counts = f"{channels} channel{'s' if channels != 1 else ''}, {flows} flow{'s' if flows != 1 else ''}"
        count = len(self.problems)
        if not count and not channels:
            return f"{counts}: the file has no channels to import"
        if not count:
            where = "this map" if self.add_here.isChecked() else "a new map"
            warned = len(self.source.warnings)
            note = f" ({warned} warning{'s' if warned != 1 else ''} below)" if warned else ""
            return f"{counts}; no problems{note} — ready to import into {where}"
        place = "the spreadsheet" if self.source.is_table else "the file"
        noun = f"{count} problem{'s' if count != 1 else ''}"
        return f"{counts}; {noun} — fix {'them' if count != 1 else 'it'} in {place} and reload"

    def _show_problem_row(self, item: QListWidgetItem) -> None:
        where = item.data(Qt.ItemDataRole.UserRole)
        if not where or not where[1]:
            return
        table, number = where
        view, model = (
            (self.flow_table, self.flow_model)
            if table == "flows"
            else (self.channel_table, self.channel_model)
        )
        position = model.position_of(number)
        if position >= 0:
            self.tabs.setCurrentWidget(view)
            view.selectRow(position)
            view.scrollTo(model.index(position, 0), QAbstractItemView.ScrollHint.PositionAtCenter)

    # --- importing ----------------------------------------------------------------------------
    def do_import(self) -> None:
        """Import into the chosen destination; a problem found at the last moment is shown, not imported."""
        self._evaluate()
        if self.source is None or self.source.arch is None or self.problems:
            return
        if self.add_here.isChecked():
            self._add_here(len(self.source.arch.flows))
        else:
            self._into_new_map(self.source.arch)

    def _add_here(self, flows: int) -> None:
        window, session, edits = self.window_, self.window_.session, self.edits
        if session is None or self.path is None or not edits:
            return
        ids = [edit.channel.id for edit in edits if isinstance(edit, AddChannel)]
        noun = f"{len(ids)} channel{'s' if len(ids) != 1 else ''}"
        if not session.perform(import_text(edits, self.path.name), edits):
            return
        self.accept()
        frame_imported(window, ids)
        window.flash(f"Imported {noun} and {flows} flows from {self.path.name}")

    def ask_new_map_path(self) -> Path | None:
        """Where to create the new map (a save dialog); tests replace this method."""
        stem = self.path.stem if self.path else "Imported map"
        start = self._map_folder() / f"{stem}.distarch"
        name, _ = QFileDialog.getSaveFileName(self, "Import into a New Map", str(start), "Maps (*.distarch)")
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == ".distarch" else path.with_suffix(".distarch")

    def _into_new_map(self, incoming: ArchitectureMap) -> None:
        path = self.ask_new_map_path()
        if path is None:
            return
        arch = incoming.copy()
        if self.source is not None and self.source.is_table or arch.info.name in ("", "Untitled map"):
            arch.info.name = path.stem
        try:
            self.window_.maps.create(path, arch, overwrite=path.exists())
        except MapError as exc:
            self.window_.show_problem("The new map could not be created", str(exc))
            return
        self.accept()
        if self.window_.open_path(path):
            self.window_.flash(f"Created {path.name} with {len(arch)} channels and {len(arch.flows)} flows")


def frame_imported(window: MainWindow, ids: list[str]) -> None:
    """Select and frame the imported channels, telling the window about the selection once.

    `frame_channels` selects item by item, and every step re-reads the whole
    selection in the inspector and the window: quadratic, so thousands of
    imported channels froze the window for minutes. One notification is enough.
    """
    scene = window.scene
    if scene is None:
        return
    blocked = scene.blockSignals(True)
    try:
        window.frame_channels(ids)
    finally:
        scene.blockSignals(blocked)
    scene.selectionChanged.emit()


def open_import_dialog(window: MainWindow, path: str | Path | None = None) -> ImportDialog | None:
    """File → Import…: choose a file, then show its preview (window-modal, never blocking a test)."""
    if window.session is None:
        return None
    dialog = ImportDialog(window, path)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if path is None and not dialog.choose_file():
        dialog.close()
        return None
    dialog.open()
    return dialog
