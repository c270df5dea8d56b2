"""Scenarios in the window: the Versions dock, Save Version…, restore, and the way to Compare.

A lead's real question is "what if we consolidate?". They save the map as it
is ("As-is"), change it, and compare. `Scenarios` is the window's controller
for that: saving, renaming and deleting a version are document operations
of the session's editor (one undoable step each, in History, announced by
`changed` with `Change.versions`), and restoring a version is a map edit like
any other, one undoable step through `session.perform`, so the file follows
and Ctrl+Z brings the consolidated map back. The dock only shows the versions
and asks the controller; neither touches the store.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.canvas.theme import DARK, LIGHT
from desktop.commands.session import Change, MapSession
from desktop.document.repository import VersionInfo
from desktop.domain import interchange, score_presentation
from desktop.domain import operations as ops
from desktop.domain.coherence import CURRENT_CONTRACT, assess, tenths
from desktop.domain.errors import MapError
from desktop.domain.model import ArchitectureMap, fold
from desktop.ui.binding import Links

if TYPE_CHECKING:
    from desktop.canvas.compare_overlay import CompareOverlay
    from desktop.ui.compare_dialog import CompareDialog
    from desktop.ui.main_window import MainWindow

CURRENT = "Current map"
NAME_ROLE = Qt.ItemDataRole.UserRole + 1
MINUS = "\u2212"


def band_colours(palette: QPalette) -> tuple[str, str, str]:
    """Green, amber and red readable on this palette's window colour (the canvas themes' band colours)."""
    theme = DARK if palette.color(QPalette.ColorRole.Window).lightness() < 110 else LIGHT
    return theme.band_good, theme.band_fair, theme.band_poor


def saved_when(created: str) -> str:
    """A version's ISO time as people read it, in local time: "24 Nov 2026, 14:05"."""
    try:
        moment = datetime.fromisoformat(created).astimezone()
    except ValueError:
        return created
    return f"{moment.day} {moment:%b %Y, %H:%M}"


class Scenarios(QObject):
    """The window's versions: save, restore, rename, delete, load, compare. Signal `versions_changed`."""

    versions_changed = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: CompareDialog | None = None
        self.overlay: CompareOverlay | None = None
        self.actions: dict[str, QAction] = {}
        self._links = Links()
        self._rescored: dict[tuple[str, str], tuple[float, float | None]] = {}
        self._contracts: list[int] | None = None  # the contract of each score-history row

    @property
    def session(self) -> MapSession | None:
        return self.window.session

    @property
    def writable(self) -> bool:
        return self.session is not None and not self.session.read_only

    def bind(self, session: MapSession) -> None:
        """A map was opened: its versions replace the last map's, and any comparison is closed."""
        self.hide_overlay()
        if self.dialog is not None:
            self.dialog.close()
            self.dialog = None
        if "save-version" in self.actions:
            self.actions["save-version"].setEnabled(not session.read_only)
        self._links.rebind((session.changed, self._map_changed))
        self._rescored.clear()
        self._contracts = None
        self._changed()

    def _map_changed(self, change: Change) -> None:
        if change.versions:
            self._changed()
        else:
            self.versions_changed.emit()  # the rows show the change of score since each version

    def _changed(self) -> None:
        """Versions were saved, renamed or deleted (or undone), or another map opened."""
        marks = getattr(self.window.coherence, "set_version_marks", None)
        if marks is not None:
            marks([(v.history_index, v.name) for v in self.versions()])
        self.versions_changed.emit()

    # --- reading -----------------------------------------------------------------------
    def versions(self) -> list[VersionInfo]:
        """The open map's versions, read from the file only when they changed (not on every edit)."""
        session = self.session
        return [] if session is None else session.editor.versions()

    def score_of(self, info: VersionInfo) -> tuple[float, float | None]:
        """A version's score by the current contract, and its stored score when an older contract made it
        (None otherwise). The contract at saving is that of the history row before it; a version saved
        under an older one is loaded and scored again, once (remembered, so edits never pay for it)."""
        key = (info.name, info.created)
        found = self._rescored.get(key)
        if found is not None:
            return found
        session = self.session
        assert session is not None
        if self._contracts is None:
            self._contracts = [point.contract for point in session.repository.score_history()]
        row = info.history_index - 1
        contract = self._contracts[row] if 0 <= row < len(self._contracts) else CURRENT_CONTRACT
        found = (info.score, None)
        if contract != CURRENT_CONTRACT:
            try:
                found = (assess(session.editor.load_version(info.name)).score, info.score)
            except Exception:  # noqa: BLE001 - an unreadable version keeps its stored number
                found = (info.score, None)
        self._rescored[key] = found
        return found

    def load(self, name: str) -> ArchitectureMap:
        assert self.session is not None
        return self.session.editor.load_version(name)

    def current(self) -> ArchitectureMap:
        assert self.session is not None
        return self.session.map.copy()

    def load_file(self, path: str | Path) -> ArchitectureMap:
        """Another map to compare with: a .distarch (read-only, even while open elsewhere) or a .json."""
        path = Path(path)
        if path.suffix.lower() == ".json":
            return interchange.loads(path.read_bytes())
        return self.window.maps.read(str(path))

    def suggested_name(self) -> str:
        taken = {fold(v.name) for v in self.versions()}
        if "as-is" not in taken:
            return "As-is"
        n = len(taken) + 1
        while fold(f"Version {n}") in taken:
            n += 1
        return f"Version {n}"

    # --- writing ------------------------------------------------------------------------------
    def save(self, name: str, note: str = "") -> VersionInfo | None:
        """Store the map as it is now under `name`; a refusal is shown and returns None."""
        if self.session is None or not self.writable:
            self.window.flash("This map is read-only: versions cannot be saved")
            return None
        done = self.session.save_version(name, note)
        info = self.session.editor.find_version(name)
        if not self._shown(done, "The version could not be saved") or info is None:
            return None
        self.window.flash(f"Saved version {info.name} (score {tenths(info.score)})")
        return info

    def restore(self, name: str) -> bool:
        """Make the map what it was in version `name`, as one undoable edit."""
        if self.session is None or not self.writable:
            return False
        try:
            target = self.load(name)
        except MapError as exc:
            self.window.show_problem("The version could not be restored", str(exc))
            return False
        edits = ops.restore(self.session.map, target)
        if not edits:
            self.window.flash(f"The map already is version {name}")
            return True
        shown = self.session.editor.find_version(name)
        if not self.session.perform(f"Restore version {shown.name if shown else name}", edits):
            return False
        self.window.flash(f"Restored version {name}; Undo (Ctrl+Z) brings the previous map back")
        return True

    def rename(self, old: str, new: str) -> bool:
        if self.session is None or not self.writable:
            return False
        return self._shown(self.session.rename_version(old, new), "The version could not be renamed")

    def delete(self, name: str) -> bool:
        if self.session is None or not self.writable:
            return False
        return self._shown(self.session.delete_version(name), "The version could not be deleted")

    def _shown(self, done, title: str) -> bool:
        if not done and not done.write_failed:  # a failed write gets the window's own dialog
            self.window.show_problem(title, done.reason)
        return bool(done)

    # --- asking the user ----------------------------------------------------------------------
    def ask_save(self) -> SaveVersionDialog | None:
        if not self.writable:
            self.window.flash("This map is read-only: versions cannot be saved")
            return None
        dialog = SaveVersionDialog(
            self.suggested_name(), {fold(v.name) for v in self.versions()}, self.window
        )
        dialog.accepted.connect(lambda: self.save(dialog.name(), dialog.note()))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_compare(self, before: tuple[str, str] | None = None) -> CompareDialog:
        """Show the compare dialog; `before` is ("version", name) or ("current", "")."""
        from desktop.ui.compare_dialog import CompareDialog

        if self.dialog is None:
            self.dialog = CompareDialog(self, self.window)
            self.dialog.finished.connect(self._dialog_closed)
        self.dialog.choose(before)
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog

    def _dialog_closed(self) -> None:
        self.dialog = None

    # --- the canvas overlay -------------------------------------------------------------------
    def show_overlay(self, before: ArchitectureMap, label: str) -> CompareOverlay | None:
        from desktop.canvas.compare_overlay import CompareOverlay

        self.hide_overlay()
        if self.window.scene is None:
            return None
        self.overlay = CompareOverlay(self.window.scene, before, label)
        self.window.flash(f"The canvas shows what changed since {label}")
        return self.overlay

    def hide_overlay(self) -> None:
        if self.overlay is not None:
            self.overlay.remove()
            self.overlay = None


class SaveVersionDialog(QDialog):
    """Name (required, unique) and an optional note for a new version."""

    def __init__(self, suggested: str, taken: set[str], parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("saveVersionDialog")
        self.setWindowTitle("Save Version")
        self.setMinimumWidth(460)
        self.taken = taken
        layout = QVBoxLayout(self)
        intro = QLabel("Keep a snapshot of the map as it is now, to restore or compare with later.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.name_edit = QLineEdit(suggested)
        self.name_edit.setObjectName("versionName")
        self.name_edit.setMaxLength(120)
        self.name_edit.selectAll()
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("versionNote")
        self.note_edit.setPlaceholderText("e.g. before consolidating intent tools")
        form.addRow("&Name:", self.name_edit)
        form.addRow("N&ote:", self.note_edit)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setObjectName("hint")
        layout.addWidget(self.problem)
        from PySide6.QtWidgets import QDialogButtonBox  # made on first use, not at start

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.name_edit.textChanged.connect(self._check)
        self._check()

    def name(self) -> str:
        return self.name_edit.text().strip()

    def note(self) -> str:
        return self.note_edit.text().strip()

    def _check(self) -> None:
        name = self.name()
        problem = ""
        if not name:
            problem = "A version needs a name."
        elif fold(name) in self.taken:
            problem = f"A version named “{name}” already exists."
        self.problem.setText(problem)
        self.buttons.button(self.buttons.StandardButton.Save).setEnabled(not problem)


class VersionRowWidget(QWidget):
    """One version in the list: name and note on the left, its score and the change since then on the right."""

    def __init__(
        self, info: VersionInfo, current_score: float, rescored: float | None = None, old: float | None = None
    ) -> None:
        super().__init__()
        self.setObjectName("versionRow")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        left = QVBoxLayout()
        left.setSpacing(2)
        name = QLabel(info.name)
        name.setStyleSheet("font-size: 15px; font-weight: 700;")
        left.addWidget(name)
        when = QLabel(saved_when(info.created) + (f" · {info.note}" if info.note else ""))
        when.setObjectName("hint")
        when.setWordWrap(True)
        left.addWidget(when)
        layout.addLayout(left, 1)
        right = QVBoxLayout()
        right.setSpacing(0)
        good, fair, poor = band_colours(self.palette())
        value = info.score if rescored is None else rescored
        band = {"good": good, "fair": fair}.get(score_presentation.tone(value), poor)
        score = QLabel(str(tenths(value)))
        score.setObjectName("versionScore")
        score.setAlignment(Qt.AlignmentFlag.AlignRight)
        score.setStyleSheet(f"font-size: 20px; font-weight: 700; color: {band};")
        right.addWidget(score)
        if old is not None:  # saved under contract 1: its stored number, marked, under today's
            was = QLabel(f"v1: {tenths(old)}")
            was.setObjectName("versionOldScore")
            was.setToolTip("The score stored when this version was saved, by contract 1")
            was.setAlignment(Qt.AlignmentFlag.AlignRight)
            right.addWidget(was)
        change = tenths(current_score) - tenths(value)
        since = f"now +{change}" if change > 0 else f"now {MINUS}{-change}" if change < 0 else "same as now"
        delta = QLabel(since)
        if change:
            delta.setStyleSheet(f"color: {good if change > 0 else poor}; font-weight: 600;")
        else:
            delta.setObjectName("hint")
        delta.setAlignment(Qt.AlignmentFlag.AlignRight)
        right.addWidget(delta)
        layout.addLayout(right)
        self.setToolTip(f"{info.name}: score {tenths(value)}, saved {saved_when(info.created)}")


class VersionsDock(QDockWidget):
    """The map file's versions, newest first, with Save, Compare, Restore, Rename and Delete."""

    def __init__(self, scenarios: Scenarios, parent=None) -> None:
        super().__init__("Versions", parent)
        self.setObjectName("versionsDock")
        self.scenarios = scenarios
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(8)
        self.save_button = QPushButton("Save Version…")
        self.save_button.setObjectName("saveVersionButton")
        self.save_button.clicked.connect(scenarios.ask_save)
        self.compare_button = QPushButton("Compare…")
        self.compare_button.setObjectName("compareButton")
        self.compare_button.clicked.connect(self._compare)
        top = QHBoxLayout()
        top.addWidget(self.save_button)
        top.addWidget(self.compare_button)
        layout.addLayout(top)
        self.empty = QLabel(
            "No versions yet. Save the map as it is (“As-is”) before you try a change, "
            "then compare to see what the change earned."
        )
        self.empty.setObjectName("hint")
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        self.list = QListWidget()
        self.list.setObjectName("versionList")
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._menu)
        self.list.itemDoubleClicked.connect(lambda _item: self._compare())
        self.list.currentItemChanged.connect(lambda *_: self._refresh_buttons())
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.restore_button = QPushButton("Restore")
        self.restore_button.setObjectName("restoreVersionButton")
        self.restore_button.setToolTip("Make the map this version again (one step you can undo)")
        self.restore_button.clicked.connect(lambda: self._with_selected(scenarios.restore))
        self.rename_button = QPushButton("Rename…")
        self.rename_button.clicked.connect(lambda: self._with_selected(self.ask_rename))
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(lambda: self._with_selected(self.ask_delete))
        for button in (self.restore_button, self.rename_button, self.delete_button):
            row.addWidget(button)
        layout.addLayout(row)
        self.setWidget(body)
        self._none_listed = False  # the last refresh listed no version (and showed the hint)
        scenarios.versions_changed.connect(self.refresh)

    def refresh(self) -> None:
        """List the versions again (after a save, rename, delete, an edit or another map opened)."""
        versions = self.scenarios.versions()
        if not versions and self._none_listed:  # a map without versions: the hint shows already
            self._refresh_buttons()
            return
        self._none_listed = not versions
        selected = self.selected_name()
        session = self.scenarios.session
        current = session.report.score if session is not None else 0.0
        self.list.clear()
        for info in reversed(versions):
            item = QListWidgetItem()
            item.setData(NAME_ROLE, info.name)
            row = VersionRowWidget(info, current, *self.scenarios.score_of(info))
            item.setSizeHint(row.sizeHint())
            self.list.addItem(item)
            self.list.setItemWidget(item, row)
            if info.name == selected:
                self.list.setCurrentItem(item)
        self.empty.setVisible(self.list.count() == 0)
        self.list.setVisible(self.list.count() > 0)
        self._refresh_buttons()

    def selected_name(self) -> str:
        item = self.list.currentItem()
        return str(item.data(NAME_ROLE)) if item is not None else ""

    def names(self) -> list[str]:
        return [str(self.list.item(i).data(NAME_ROLE)) for i in range(self.list.count())]

    def select(self, name: str) -> None:
        for i in range(self.list.count()):
            if fold(str(self.list.item(i).data(NAME_ROLE))) == fold(name):
                self.list.setCurrentRow(i)

    def _refresh_buttons(self) -> None:
        chosen = bool(self.selected_name())
        writable = self.scenarios.writable
        self.save_button.setEnabled(writable)
        self.restore_button.setEnabled(chosen and writable)
        self.rename_button.setEnabled(chosen and writable)
        self.delete_button.setEnabled(chosen and writable)

    def _with_selected(self, action) -> None:
        name = self.selected_name()
        if name:
            action(name)

    def _compare(self) -> None:
        name = self.selected_name()
        self.scenarios.open_compare(("version", name) if name else None)

    def ask_rename(self, name: str) -> None:
        from PySide6.QtWidgets import QInputDialog

        new, ok = QInputDialog.getText(self, "Rename Version", "New name of this version:", text=name)
        if ok and new.strip() and new.strip() != name:
            self.scenarios.rename(name, new)

    def ask_delete(self, name: str) -> None:
        from PySide6.QtWidgets import QMessageBox  # made on first use, not at start

        answer = QMessageBox.question(
            self,
            "Delete Version",
            f"Delete the version “{name}”? The map itself is not changed, but the snapshot cannot be brought back.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.scenarios.delete(name)

    def _menu(self, pos) -> None:
        name = self.selected_name()
        if not name:
            return
        menu = QMenu(self)
        menu.addAction("Compare with the Current Map…", self._compare)
        writable = self.scenarios.writable
        for text, slot in (
            ("Restore This Version", lambda: self.scenarios.restore(name)),
            ("Rename…", lambda: self.ask_rename(name)),
            ("Delete…", lambda: self.ask_delete(name)),
        ):
            menu.addAction(text, slot).setEnabled(writable)
        menu.popup(self.list.viewport().mapToGlobal(pos))


def install(window: MainWindow) -> tuple[Scenarios, VersionsDock]:
    """Build the Versions dock (tabbed with History) and the Scenarios menu; they follow `session_opened`."""
    scenarios = Scenarios(window)
    dock = VersionsDock(scenarios, window)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.tabifyDockWidget(window.history, dock)
    window.inspector.raise_()
    menu = QMenu("&Scenarios", window)
    menu.setObjectName("scenariosMenu")
    window.menuBar().insertMenu(window.help_menu.menuAction(), menu)
    for name, text, slot, keys in (
        ("save-version", "&Save Version…", scenarios.ask_save, "Ctrl+Alt+S"),
        ("compare", "&Compare…", lambda: scenarios.open_compare(), "Ctrl+Alt+C"),
    ):
        action = QAction(text, window)
        action.setObjectName(f"action-{name}")
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _=False, s=slot: s())
        window.actions_by_name[name] = action
        scenarios.actions[name] = action
        window.addAction(action)
        menu.addAction(action)
    menu.addSeparator()
    menu.addAction(dock.toggleViewAction())
    window.session_opened.connect(scenarios.bind)
    return scenarios, dock
