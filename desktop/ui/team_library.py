"""File → Team Library…: connect to the firm's PostgreSQL library, list, search and manage its maps.

Non-modal: the map stays usable behind it. The address is remembered without
its password; a password, when the server asks for one, is typed here and kept
in memory only. Every library call goes through the `TeamLibrary` protocol
(desktop/document/library.py) that `desktop.app` fulfils with the store's
class: this module never imports the store.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import quote

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
)

from desktop.document.library import PasswordNeeded, TeamLibrary
from desktop.domain.errors import MapError
from desktop.ui import settings
from desktop.ui.library_window import _PASSWORDS, display_name, library_part

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

ADDRESS_KEY = "library/address"
COLUMNS = ("Name", "Score", "Channels", "Last edited by", "When")


def without_password(address: str) -> str:
    """The address as it may be remembered: `user:password@` loses its password, `password=` goes."""
    text = re.sub(r"^(postgres(?:ql)?://[^/@:]*):[^/@]*@", r"\1@", address.strip(), flags=re.IGNORECASE)
    return re.sub(r"([?&])password=[^&#]*&?", r"\1", text).rstrip("?&")


def _when(moment) -> str:
    try:
        local = moment.astimezone()
    except (AttributeError, ValueError):
        return str(moment)
    return f"{local.day} {local:%b %Y, %H:%M}"


class TeamLibraryDialog(QDialog):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.library: TeamLibrary | None = None
        self.setObjectName("teamLibrary")
        self.setWindowTitle("Team Library")
        self.resize(940, 620)
        self.address = QLineEdit(settings.get(ADDRESS_KEY, ""))
        self.address.setObjectName("libraryAddress")
        self.address.setPlaceholderText("postgresql://server/database   or   postgresql:///?service=team")
        self.password = QLineEdit()
        self.password.setObjectName("libraryPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("only if the server asks for one (never saved)")
        self.author = QLineEdit(display_name())
        self.author.setObjectName("displayName")
        self.author.setToolTip("Recorded with each of your edits, beside your PostgreSQL role")
        connect = QPushButton("Connect")
        connect.setObjectName("libraryConnect")
        connect.clicked.connect(self.connect_library)
        form = QFormLayout()
        form.addRow("Server", self.address)
        row = QHBoxLayout()
        row.addWidget(self.password, 1)
        row.addWidget(connect)
        form.addRow("Password", row)
        form.addRow("Your name", self.author)
        self.status = QLabel("Not connected. Ask your administrator for the library's address.")
        self.status.setObjectName("libraryStatus")
        self.status.setWordWrap(True)
        self.search = QLineEdit()
        self.search.setObjectName("librarySearch")
        self.search.setPlaceholderText("Search maps by name")
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._search_timer.start)
        self.maps = self._table("libraryMaps")
        self.maps.doubleClicked.connect(lambda _: self.open_selected())
        self.deleted = self._table("libraryDeleted")
        self.tabs = QTabWidget()
        self.tabs.addTab(self.maps, "Maps")
        self.tabs.addTab(self.deleted, "Deleted (kept 30 days)")
        self.tabs.currentChanged.connect(lambda _: self.refresh())
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for name, text, slot in (
            ("Open", "Open", self.open_selected),
            ("New", "New…", self.ask_new),
            ("Publish", "Publish Open Map…", self.ask_publish),
            ("Copy", "Save Local Copy…", self.ask_copy),
            ("Rename", "Rename…", self.ask_rename),
            ("Delete", "Delete…", self.ask_delete),
            ("Restore", "Restore", self.restore_selected),
        ):
            button = QPushButton(text)
            button.setObjectName(f"library{name}")
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.buttons[name] = button
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.search)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self._enable()

    def _table(self, name: str) -> QTableWidget:
        table = QTableWidget(0, len(COLUMNS))
        table.setObjectName(name)
        table.setHorizontalHeaderLabels(COLUMNS)
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        return table

    # --- connecting ---------------------------------------------------------------------
    def connect_library(self) -> bool:
        connect = self.window_.maps.connect_library
        address = self.address.text().strip()
        if not address:
            self.status.setText("Type the library's address (postgresql://server/database).")
            return False
        name = self.author.text().strip() or display_name()
        settings.put("display_name", name)
        password = self.password.text() or _PASSWORDS.get(library_part(address))
        if self.library is not None:
            self.library.close()
            self.library = None
        try:
            self.library = connect(address, password=password or None, author=name)
        except PasswordNeeded as exc:
            self.status.setText(f"{exc.message}: type it above, then Connect.")
            self.password.setFocus()
            self._enable()
            return False
        except MapError as exc:
            self.status.setText(str(exc))
            self._enable()
            return False
        if password:
            _PASSWORDS[library_part(address)] = password
        self.password.clear()
        settings.put(ADDRESS_KEY, without_password(address))
        self.status.setText(
            f"Connected to {self.library.where} as {name}."
            + (f" {self.library.read_only_reason}." if not self.library.writable else "")
        )
        self.refresh()
        return True

    def _enable(self) -> None:
        connected = self.library is not None
        writable = connected and self.library.writable  # type: ignore[union-attr]
        on_deleted = self.tabs.currentIndex() == 1
        for name, button in self.buttons.items():
            if name == "Restore":
                button.setEnabled(writable and on_deleted)
            elif name in ("Open", "Copy"):
                button.setEnabled(connected and not on_deleted)
            else:
                button.setEnabled(writable and not on_deleted)
        self.search.setEnabled(connected)

    def refresh(self) -> None:
        self._enable()
        if self.library is None:
            return
        deleted = self.tabs.currentIndex() == 1
        table = self.deleted if deleted else self.maps
        try:
            entries = self.library.list_maps(self.search.text(), deleted=deleted)
        except MapError as exc:
            self.status.setText(str(exc))
            return
        table.setRowCount(len(entries))
        for row, e in enumerate(entries):
            score = (
                ""
                if e.score is None
                else f"{e.score:.1f}" + (f"  (contract v{e.contract})" if e.contract else "")
            )
            who = f"{e.edited_by} ({e.edited_role})" if e.edited_by else e.edited_role
            when = _when(e.deleted_at if deleted and e.deleted_at else e.edited_at)
            for column, text in enumerate((e.name, score, f"{e.channels}", who, when)):
                item = QTableWidgetItem(text)
                if column in (1, 2):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(row, column, item)

    def selected_name(self) -> str:
        table = self.deleted if self.tabs.currentIndex() == 1 else self.maps
        row = table.currentRow()
        item = table.item(row, 0) if row >= 0 else None
        return item.text() if item is not None else ""

    def select(self, name: str) -> None:
        for row in range(self.maps.rowCount()):
            item = self.maps.item(row, 0)
            if item is not None and item.text() == name:
                self.maps.selectRow(row)

    # --- actions (the ask_ methods ask, the others do) ------------------------------------
    def _address_of(self, name: str) -> str:
        return f"{library_part(self.address.text().strip())}#{quote(name, safe=' ')}"

    def open_map(self, name: str) -> bool:
        return bool(name) and self.window_.open_path(self._address_of(name))

    def open_selected(self) -> None:
        if self.open_map(self.selected_name()):
            self.close()

    def create_map(self, name: str, arch=None, replace: bool = False) -> bool:
        if self.library is None:
            return False
        try:
            entry = self.library.create(name, arch, replace=replace)
        except MapError as exc:
            self.status.setText(str(exc))
            return False
        self.refresh()
        self.select(entry.name)
        self.status.setText(f"{'Replaced' if replace else 'Saved'} {entry.name!r} in the team library.")
        return True

    def ask_new(self) -> None:
        name, ok = QInputDialog.getText(self, "New Library Map", "Name of the new map:")
        if ok and name.strip() and self.create_map(name):
            self.open_map(name.strip())

    def publish(self, name: str, replace: bool = False) -> bool:
        session = self.window_.session
        return session is not None and self.create_map(name, session.map, replace=replace)

    def ask_publish(self) -> None:
        session = self.window_.session
        if session is None or self.library is None:
            return
        name, ok = QInputDialog.getText(
            self, "Publish to the Team Library", "Name in the library:", text=session.map.info.name
        )
        if not ok or not name.strip():
            return
        replace = False
        if self.library.find(name) is not None:
            answer = QMessageBox.question(
                self,
                "Replace the library map?",
                f"The team library already has a map named {name.strip()!r}. Replace its content with this map?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
            replace = True
        self.publish(name, replace)

    def save_copy(self, name: str, path: str) -> bool:
        if self.library is None or not name:
            return False
        try:
            self.library.save_local_copy(name, path)
        except MapError as exc:
            self.status.setText(str(exc))
            return False
        self.status.setText(f"Saved a local copy of {name!r} as {path}.")
        return True

    def ask_copy(self) -> None:
        name = self.selected_name()
        if not name:
            return
        folder = settings.data_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path, _ = QFileDialog.getSaveFileName(
            self, "Save Local Copy", str(folder / f"{name}.distarch"), "Distribution maps (*.distarch)"
        )
        if path:
            self.save_copy(name, path if path.lower().endswith(".distarch") else f"{path}.distarch")

    def rename_map(self, old: str, new: str) -> bool:
        if self.library is None:
            return False
        try:
            self.library.rename(old, new)
        except MapError as exc:
            self.status.setText(str(exc))
            return False
        self.refresh()
        return True

    def ask_rename(self) -> None:
        old = self.selected_name()
        if old:
            new, ok = QInputDialog.getText(self, "Rename Library Map", "New name:", text=old)
            if ok and new.strip():
                self.rename_map(old, new)

    def delete_map(self, name: str) -> bool:
        if self.library is None:
            return False
        try:
            self.library.delete(name)
        except MapError as exc:
            self.status.setText(str(exc))
            return False
        self.refresh()
        self.status.setText(f"{name!r} is in the Deleted tab for 30 days.")
        return True

    def ask_delete(self) -> None:
        name = self.selected_name()
        if not name:
            return
        answer = QMessageBox.question(
            self,
            "Delete the library map?",
            f"Delete {name!r} for everyone? It stays in the Deleted tab for 30 days and can be restored.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_map(name)

    def restore_map(self, name: str) -> bool:
        if self.library is None:
            return False
        try:
            self.library.restore(name)
        except MapError as exc:
            self.status.setText(str(exc))
            return False
        self.refresh()
        self.status.setText(f"Restored {name!r}.")
        return True

    def restore_selected(self) -> None:
        self.restore_map(self.selected_name())

    def closeEvent(self, event) -> None:
        self._search_timer.stop()
        super().closeEvent(event)

    def shutdown(self) -> None:
        if self.library is not None:
            self.library.close()
            self.library = None


def open_team_library(window: MainWindow) -> TeamLibraryDialog:
    dialog = window.team_library
    if dialog is None:
        dialog = window.team_library = TeamLibraryDialog(window)
        window.destroyed.connect(dialog.shutdown)
        if dialog.address.text():
            QTimer.singleShot(0, dialog.connect_library)
    dialog.show()
    dialog.raise_()
    return dialog
