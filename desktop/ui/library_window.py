"""The window's side of team library maps: opening an address, the password prompt, the banner,
and the watch that says at once when the server goes away and reconnects with backoff.

The window never imports the store: it reaches the library through its `maps`
(`MapFiles`, given by the composition root `desktop.app`): `maps.open` opens a
library address and `maps.connect_library` connects to a library.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSocketNotifier, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QSizePolicy, QToolBar

from desktop.document.library import LiveConnection, PasswordNeeded, os_full_name
from desktop.document.live import EditFeed, Follower, authors
from desktop.document.repository import MapRepository
from desktop.domain.errors import MapError
from desktop.ui import settings

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow
    from desktop.ui.presence import Presence

BACKOFF_MS = (500, 1000, 2000, 4000, 8000, 15000, 30000)
_PASSWORDS: dict[str, str] = {}  # library address -> password, in memory only, for this run


def is_address(text: object) -> bool:
    return isinstance(text, str) and text.strip().lower().startswith(("postgresql://", "postgres://"))


def display_name() -> str:
    """Who writes, as recorded with each edit beside the PostgreSQL role (settings, else the OS name)."""
    import os

    chosen = settings.get("display_name", "").strip() or os.environ.get("DISTARCH_DISPLAY_NAME", "").strip()
    return chosen or os_full_name()


def library_part(address: str) -> str:
    return address.partition("#")[0]


def open_address(window: MainWindow, address: str, password: str | None = None) -> MapRepository:
    """A library map's repository for the window; raises MapError (PasswordNeeded: ask for one)."""
    password = password or _PASSWORDS.get(library_part(address))
    repository = window.maps.open(address, password=password, author=display_name())
    if password:
        _PASSWORDS[library_part(address)] = password
    return repository


def ask_password(window: MainWindow, address: str, message: str = "") -> None:
    """Ask for the server's password in a window-modal prompt (never during construction), then open."""
    from PySide6.QtWidgets import QInputDialog  # made on first use, not at start

    dialog = QInputDialog(window)
    dialog.setObjectName("passwordPrompt")
    dialog.setWindowTitle("Team library password")
    where = address.partition("#")[2] or "the team library"
    dialog.setLabelText((message + "\n\n" if message else "") + f"Password to open {where!r}:")
    dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)

    def accepted(text: str) -> None:
        try:
            document = open_address(window, address, text)
        except MapError as exc:
            reason = str(exc)
            if isinstance(exc, PasswordNeeded) or "password" in reason:
                QTimer.singleShot(0, lambda: ask_password(window, address, reason))
            else:
                window.show_problem("This map cannot be opened", reason)
            return
        window.open_document(document)

    dialog.textValueSelected.connect(accepted)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    window.password_prompt = dialog


class Banner(QToolBar):
    """A strip above the canvas saying a library map is read-only (role) or offline (server away)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__("Team library", window)
        self.setObjectName("libraryBannerBar")
        self.setMovable(False)
        self.setFloatable(False)
        self.label = QLabel()
        self.label.setObjectName("readOnlyBanner")
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.label.setStyleSheet(
            "QLabel { background: #fff4ce; color: #4a3b00; padding: 8px 14px; font-size: 14px; }"
        )
        self.addWidget(self.label)
        self.toggleViewAction().setVisible(False)
        self.hide()

    def show_text(self, text: str, offline: bool = False) -> None:
        colours = ("#fde7e9", "#6b0010") if offline else ("#fff4ce", "#4a3b00")
        self.label.setStyleSheet(
            f"QLabel {{ background: {colours[0]}; color: {colours[1]}; padding: 8px 14px; font-size: 14px; }}"
        )
        self.label.setText(text[:1].upper() + text[1:])
        self.show()


class LibraryWatch(QObject):
    """Watches a library map's connection: its socket turns readable when the server leaves.

    Signals `went_away(reason)` at once, then tries to reconnect after 0.5, 1, 2, 4… 30 s;
    `came_back()` when it has. The same socket brings the server's notifications that
    someone else wrote to the map (LISTEN/NOTIFY, no polling): `notified()`.
    """

    went_away = Signal(str)
    came_back = Signal()
    notified = Signal()

    def __init__(self, repository: LiveConnection, parent: QObject) -> None:
        super().__init__(parent)
        self.repository = repository
        self._notifier: QSocketNotifier | None = None
        self._attempt = 0
        self.follower: Follower | None = None  # what others wrote reaches the open editor through it
        self.presence: Presence | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._retry)
        if isinstance(repository, EditFeed):
            repository.on_pending = self._pending
            try:
                repository.follow()
            except MapError:
                pass
        self._watch()

    @property
    def offline(self) -> bool:
        return bool(getattr(self.repository, "offline_reason", ""))

    def _watch(self) -> None:
        socket = getattr(self.repository, "socket", None)
        fd = socket() if socket is not None else None
        if fd is None:
            return
        self._notifier = QSocketNotifier(fd, QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self.check)

    def _drop_notifier(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None

    def check(self, *_: object) -> bool:
        """Whether the server is there; if not, say so and start reconnecting."""
        if self.offline:
            return False
        if self._notifier is not None:
            self._notifier.setEnabled(False)
        if self.repository.poll():
            if self._notifier is not None:
                self._notifier.setEnabled(True)
            if isinstance(self.repository, EditFeed) and self.repository.pending:
                self.notified.emit()
            return True
        self._drop_notifier()
        self._attempt = 0
        self.went_away.emit(self.repository.offline_reason)
        self._schedule()
        return False

    def show_presence(self, window: MainWindow) -> None:
        """Who else is in the map and what they selected (a repository that can announce it)."""
        if hasattr(self.repository, "announce"):
            from desktop.ui.presence import Presence  # only for a library map: not on every start

            self.presence = Presence(window, self.repository, display_name())

    def _pending(self) -> None:
        QTimer.singleShot(0, self, self._notify_if_pending)

    def after_change(self) -> None:
        """A write may have read the server's notifications itself: catch up once the event loop runs."""
        if isinstance(self.repository, EditFeed) and self.repository.pending:
            QTimer.singleShot(0, self, self._notify_if_pending)

    def _notify_if_pending(self) -> None:
        if isinstance(self.repository, EditFeed) and self.repository.pending and not self.offline:
            self.notified.emit()

    def _schedule(self) -> None:
        self._timer.start(BACKOFF_MS[min(self._attempt, len(BACKOFF_MS) - 1)])
        self._attempt += 1

    def _retry(self) -> None:
        if self.repository.reconnect():
            self._attempt = 0
            self._watch()
            self.came_back.emit()
        else:
            self._schedule()

    def stop(self) -> None:
        if self.presence is not None:
            self.presence.stop()
            self.presence = None
        if isinstance(self.repository, EditFeed):
            self.repository.on_pending = None
        self._timer.stop()
        self._drop_notifier()


def catch_up(window: MainWindow, back: bool = False) -> list[str] | bool:
    """Apply what others wrote since the last entry shown (after a notification, a reconnect or a sleep).

    Returns the notices (same-field conflicts, a name taken meanwhile); the status bar shows them
    quietly, else who edited just now. `back` (after a reconnect): returns whether it caught up
    from the last entry shown (False: the caller reads the whole map again).
    """
    session = window.session
    feed = session.repository if session is not None else None
    if session is None or not isinstance(feed, EditFeed):
        return False if back else []
    try:
        entries = feed.missed()
    except MapError as exc:
        window.statusBar().showMessage(str(exc), 5000)
        return False if back else []
    watch = window.library_watch
    follower = watch.follower if watch is not None else None
    if follower is None or follower.editor is not session.editor:
        follower = Follower(session.editor)
        if watch is not None:
            watch.follower = follower
    notices = follower.follow(entries)
    names = authors(entries)
    if notices:
        window.statusBar().showMessage(" · ".join(notices), 10000)
    elif names:
        window.statusBar().showMessage(f"Edited just now by {', '.join(names)}", 4000)
    return True if back else notices
