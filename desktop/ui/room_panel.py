"""The workshop room in the window: the controller (open, close, accept, vote) and the Room dock.

`RoomController` owns the room of one window. The server thread reports
suggestions and dots through a `ThreadInbox`, which hands them to this (the
GUI) thread without a Qt call on the server's side (see thread_inbox.py for
why). Accepting a suggestion is the facilitator's edit through
`session.perform` (one undo step); the room never writes the map.
The picture of the map the phones see is re-rendered at most twice a second,
after edits, reveals and theme changes; the vote's results are stored as the
map setting `room` and shown as dots on the findings and the cards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.canvas.vote_dots import show_vote_dots
from desktop.domain import operations as ops
from desktop.domain.layers import LAYERS, Layer
from desktop.domain.validation import MAX_TEXT
from desktop.room.grouping import group_key
from desktop.room.state import ACCEPTED, DISMISSED, RoomState, Suggestion
from desktop.room.votes import MAX_ITEMS, ROOM_KEY, VoteItem, VoteResults
from desktop.ui.room_inbox import InboxModel, InboxView
from desktop.ui.room_projector import JoinCard, RoomStrip, preset_host, room_hosts
from desktop.ui.thread_inbox import ThreadInbox

if TYPE_CHECKING:
    from desktop.commands.session import MapSession
    from desktop.room.server import RoomServer
    from desktop.ui.main_window import MainWindow

PICTURE_MS = 500  # the phones' map is refreshed at most twice a second
BATCH_MS = 25  # arrivals within this are added to the inbox together: one layout for a burst


class RoomController(QObject):
    """The room of one window; `opened(bool)` when it opens or closes."""

    opened = Signal(bool)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.state: RoomState | None = None
        self.server: RoomServer | None = None
        self.results = VoteResults()
        self.model = InboxModel(self)
        self.model.on_map = self.name_on_map
        self._on_map: dict[str, str] | None = None  # group key -> channel id, for the map as it is now
        self.inbox = InboxView(self.model)
        self.strip_inbox = InboxView(self.model, "roomStrip-inbox", horizontal=True)
        self.strip = RoomStrip(self.strip_inbox)
        self.card = JoinCard(window.view)
        self.card.dismissed.connect(self.card.hide)
        self.dock = RoomDock(self)
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)
        window.tabifyDockWidget(window.palette_dock, self.dock)
        self.dock.hide()
        for view in (self.inbox, self.strip_inbox):
            view.accept.connect(self.accept)
            view.dismiss.connect(self.dismiss)
            view.dragged.connect(self.dragged)
        self._from_server: ThreadInbox | None = None  # the open room's suggestions and tallies
        self._pending: list[Suggestion] = []
        self._batch = QTimer(self, singleShot=True, interval=BATCH_MS)
        self._batch.timeout.connect(self._flush)
        self._picture = QTimer(self, singleShot=True, interval=PICTURE_MS)
        self._picture.timeout.connect(self.publish)
        self._session: MapSession | None = None
        window.session_opened.connect(self._map_opened)
        window.view.installEventFilter(self)
        window.installEventFilter(self)  # closing the window closes its room
        window.view.viewport().installEventFilter(self)
        self._bind(window.session)
        self._present = None
        present = getattr(window, "present_mode", None)
        if present is not None:
            self.attach_present(present)

    # --- opening and closing -------------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return self.server is not None

    def choose_and_open(self) -> bool:
        """Workshop → Open Room…: the interface (skipped when DISTARCH_ROOM_HOST is set), then open."""
        if self.is_open:
            self.show_card()
            return True
        host = preset_host()
        if not host:
            hosts = room_hosts()
            labels = [label for _, label in hosts]
            label, ok = QInputDialog.getItem(
                self.window, "Open Room", "Phones join on this network address:", labels, 0, False
            )
            if not ok:
                return False
            host = hosts[labels.index(label)][0]
        return self.open(host)

    def open(self, host: str) -> bool:
        from desktop.room.server import RoomServer

        if self.is_open:
            return True
        state = RoomState()
        inbox = ThreadInbox(self._from_room, self)
        state.on_suggestion = state.on_vote = inbox.put  # called on the server's thread
        server = RoomServer(state, host)
        try:
            server.start()
        except OSError as exc:
            inbox.close()
            self.window.show_problem("The room cannot open", str(exc), modal=False)
            return False
        self.state, self.server, self._from_server = state, server, inbox
        self.model.clear()
        self.publish()
        self.dock.show_open(server.join_url, server.url, state.tokens.code)
        present = getattr(self.window, "present_mode", None)
        if present is None or not present.active:  # in present mode, the strip shows the room
            self.show_dock()
        self.card.show_room(server.join_url, server.url.rstrip("/"), state.tokens.code, 0)
        self.show_card()
        self._refresh_strip()
        self.window.flash(f"Room open at {server.url} · join code {state.tokens.code}")
        self.opened.emit(True)
        return True

    def close(self) -> None:
        """Close Room: stop the server; every token stops working."""
        server, self.server = self.server, None
        if server is None:
            return
        server.stop()
        if self._from_server is not None:  # after stop: the server's thread has ended
            self._from_server.close()
            self._from_server = None
        if self.state is not None and self.state.ballot is not None:
            self.close_vote()
        self.state = None
        self._pending = []
        self.model.clear()
        self.card.hide()
        self.dock.show_closed()
        self._refresh_strip()
        self.window.flash("Room closed: the phones are disconnected")
        self.opened.emit(False)

    def show_card(self) -> None:
        if self.server is None or self.state is None:
            return
        self.card.set_people(self.state.tokens.count)
        self.card.cover()
        self.card.show()

    def toggle_card(self) -> None:
        """W in present mode: open the room if needed, else show or hide the join card."""
        if not self.is_open:
            self.choose_and_open()
        elif self.card.isVisible():
            self.card.hide()
        else:
            self.show_card()

    # --- suggestions --------------------------------------------------------------------------
    def _from_room(self, news: Suggestion | dict[str, int]) -> None:
        """A suggestion or a vote's tally from the server's thread, now on the GUI thread."""
        if isinstance(news, Suggestion):
            self._arrived(news)
        else:
            self._voted(news)

    def _arrived(self, suggestion: Suggestion) -> None:
        self._pending.append(suggestion)
        if not self._batch.isActive():
            self._batch.start()

    def _flush(self) -> None:
        pending, self._pending = self._pending, []
        if self.state is None:
            return
        self.model.add_all(pending)
        self.dock.set_people(self.state.tokens.count)
        if self.card.isVisible():
            self.card.set_people(self.state.tokens.count)
        self._refresh_strip()

    def on_map(self, key: str) -> str:
        """The id of the channel whose name groups with `key` ("Webinars" for "Webinar"), or ""."""
        session = self.window.session
        if session is None:
            return ""
        if self._on_map is None:
            self._on_map = {}
            for channel in session.map.iter_channels():
                self._on_map.setdefault(group_key(channel.name), channel.id)
        return self._on_map.get(key, "")

    def name_on_map(self, key: str) -> str:
        found = self.on_map(key)
        session = self.window.session
        return session.map.channel(found).name if found and session is not None else ""

    def accept(self, key: str, layer: Layer | None = None) -> bool:
        """Put the group's name on the map in its lane (one undo step); its suggestions read as accepted.

        An idea the map has already (by name, as suggestions are grouped) is not added again: its card
        is selected, and the participants' notes are added to its notes (one undo step). A drag onto a
        lane (`dragged`) still adds it, for a facilitator who wants a second one.
        """
        w, group = self.window, self.model.group(key)
        if group is None or w.session is None:
            return False
        existing = self.on_map(key) if layer is None else ""
        if existing:
            return self._accept_existing(key, existing)
        lane = layer or group.layer
        edits = ops.add_channel(w.session.map, group.name, lane, notes=group.note)
        name = edits[0].channel.name  # type: ignore[union-attr]
        if not w.session.perform(f"Add {name} to {lane.title} (room)", edits):
            return False
        self._settle(key, ACCEPTED)
        if w.scene is not None:
            if w.scene.revealed <= lane.index:
                w.scene.set_revealed(lane.index + 1)
            w.scene.select_channels([edits[0].channel.id])  # type: ignore[union-attr]
        w.flash(f"Added {name} to {lane.title} from the room")
        return True

    def _accept_existing(self, key: str, cid: str) -> bool:
        w, group = self.window, self.model.group(key)
        assert group is not None and w.session is not None
        channel = w.session.map.channel(cid)
        notes = [note for note in group.note.split("\n") if note and note not in channel.notes]
        if notes:
            joined = "\n".join([channel.notes, *notes] if channel.notes else notes)
            edits = ops.update_channel(w.session.map, cid, notes=joined[:MAX_TEXT])
            if not w.session.perform(f"Add room notes to {channel.name}", edits):
                return False
        self._settle(key, ACCEPTED)
        if w.scene is not None:
            if w.scene.revealed <= channel.layer.index:
                w.scene.set_revealed(channel.layer.index + 1)
            w.scene.select_channels([cid])
        told = f" ({len(notes)} note{'s' if len(notes) > 1 else ''} added)" if notes else ""
        w.flash(f"{channel.name} is on the map already: selected it instead of adding {group.name}{told}")
        return True

    def dragged(self, key: str) -> None:
        self._settle(key, ACCEPTED)

    def dismiss(self, key: str) -> None:
        self._settle(key, DISMISSED)

    def _settle(self, key: str, status: str) -> None:
        group = self.model.take(key)
        if group is not None and self.state is not None:
            for sid in group.ids:
                self.state.set_status(sid, status)
        self._refresh_strip()

    # --- votes ------------------------------------------------------------------------------------
    def open_vote(self) -> None:
        w = self.window
        if self.state is None or w.session is None or self.state.ballot is not None:
            return
        # Only what the room sees: no finding that names a channel of a lane not revealed yet.
        revealed = len(LAYERS) if w.scene is None else w.scene.revealed
        hidden = [c.name for c in w.session.map.iter_channels() if c.layer.index >= revealed]
        visible = [f for f in w.session.report.findings if not any(name in f.message for name in hidden)]
        findings = visible[:MAX_ITEMS]
        if not findings:
            w.flash("No findings to vote on in the lanes shown")
            return
        self.state.open_vote([VoteItem.of(f.rule, f.channel_ids, f.message) for f in findings])
        self.dock.show_vote(True, {}, 0)
        self._refresh_strip()

    def close_vote(self) -> VoteResults:
        if self.state is None or self.state.ballot is None:
            return self.results
        self.show_results(self.state.close_vote(), save=True)
        self.dock.show_vote(False, {}, 0)
        self._refresh_strip()
        return self.results

    def _voted(self, tally: dict[str, int]) -> None:
        if self.state is not None and self.state.ballot is not None:
            self.dock.show_vote(True, tally, self.state.tokens.count)

    def show_results(self, results: VoteResults, save: bool = False) -> None:
        """Dots on the cards and the findings; `save` keeps them in the map file (setting `room`)."""
        self.results = results
        w = self.window
        if save and w.session is not None and not w.session.read_only:
            w.session.repository.set_setting(ROOM_KEY, results.dumps())
        self.dock.show_results(results)
        self._paint_results()

    def _paint_results(self) -> None:
        w = self.window
        if w.scene is not None:
            show_vote_dots(w.scene, w.scene.channel_items, self.results.dots_by_channel())
        QTimer.singleShot(0, self._findings_dots)

    def _findings_dots(self) -> None:
        from desktop.ui.findings_list import CAPTION_ROLE, MESSAGE_ROLE, caption_text

        panel = getattr(self.window.coherence, "findings", None)
        session = self.window.session
        if panel is None or session is None:
            return
        for row, finding in enumerate(session.report.findings[: panel.count()]):
            item = panel.item(row)
            if item is None or item.data(MESSAGE_ROLE) != finding.message:
                continue
            dots = self.results.dots_for(finding.message)
            caption = caption_text(finding)
            item.setData(
                CAPTION_ROLE, f"{'●' * min(dots, 12)} {dots} room dots · {caption}" if dots else caption
            )

    # --- the map as the phones see it ----------------------------------------------------------------
    def publish(self) -> None:
        from desktop.domain.layers import LAYERS
        from desktop.io.room_picture import room_picture

        w = self.window
        if self.state is None or w.session is None or w.scene is None:
            return
        revealed = w.scene.revealed
        picture = room_picture(w.session.map, w.session.report, revealed)
        self.state.publish(picture, [layer.value for layer in LAYERS[:revealed]])

    def _schedule_picture(self, *_args) -> None:
        if self.state is not None and not self._picture.isActive():
            self._picture.start()

    def _bind(self, session: MapSession | None) -> None:
        if self._session is not None:
            try:
                self._session.changed.disconnect(self._map_changed)
            except (RuntimeError, TypeError):
                pass
        self._session = session
        self._on_map = None
        if session is not None:
            session.changed.connect(self._map_changed)
            self.results = VoteResults.loads(session.repository.setting(ROOM_KEY))
            self.dock.show_results(self.results)
            QTimer.singleShot(0, self._paint_results)

    def _map_changed(self, _change) -> None:
        self._on_map = None
        self.model.map_changed()
        self._schedule_picture()
        if self.results.results:
            QTimer.singleShot(0, self._paint_results)

    def _map_opened(self, session: MapSession) -> None:
        if self.is_open:  # participants never see another map
            self.close()
        self._bind(session)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.window and event.type() == event.Type.Close:
            self.close()
            return False
        if watched is self.window.view and event.type() == event.Type.Resize and self.card.isVisible():
            self.card.cover()
        elif event.type() == event.Type.Paint and self.state is not None:
            scene = self.window.scene
            if scene is not None and self.state.lanes != [lay.value for lay in _revealed(scene.revealed)]:
                self._schedule_picture()
        return False

    # --- present mode ---------------------------------------------------------------------------------
    def attach_present(self, present) -> None:
        self._present = present
        present.quick.layout().addWidget(self.strip, 4)
        present.toggled.connect(self._present_toggled)
        self._refresh_strip()

    def _present_toggled(self, active: bool) -> None:
        if not active and self.is_open:  # present mode restored the docks as they were before the room
            QTimer.singleShot(0, self.show_dock)

    def show_dock(self) -> None:
        """The Room dock, as a tab beside the palette (the facilitator's left side), in front."""
        w = self.window
        if self.dock.isHidden() and w.palette_dock.isVisible() and not w.palette_dock.isFloating():
            w.tabifyDockWidget(w.palette_dock, self.dock)
        self.dock.show()
        self.dock.raise_()

    def _refresh_strip(self) -> None:
        state = self.state
        # Only inside present mode's bar: before present mode is first built the strip has no parent,
        # and showing it would open it as a window of its own (laid out again on every arrival).
        self.strip.setVisible(state is not None and self._present is not None)
        if self._present is not None:  # the room's strip takes the place of the keys' reminder
            hint = self._present.quick.findChild(QLabel, "presentHint")
            if hint is not None:
                hint.setVisible(state is None)
        if state is not None:
            vote = "vote open" if state.ballot is not None else ""
            self.strip.show_state(state.tokens.code, self.model.rowCount(), vote)


def _revealed(count: int):
    from desktop.domain.layers import LAYERS

    return LAYERS[:count]


class RoomDock(QDockWidget):
    """The Room dock (`roomDock`): the join address, the inbox, the vote."""

    def __init__(self, room: RoomController) -> None:
        super().__init__("Room", room.window)
        self.setObjectName("roomDock")
        self.room = room
        body = QWidget()
        layout = QVBoxLayout(body)
        self.status = QLabel("The room is closed")
        self.status.setStyleSheet("font-weight: 700;")
        self.address = QLabel(objectName="roomAddress")
        self.address.setTextFormat(Qt.TextFormat.PlainText)
        self.address.setWordWrap(True)
        self.address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code = QLabel()
        self.code.setStyleSheet("font-size: 18px; font-weight: 700;")
        buttons = QHBoxLayout()
        self.card_button = QPushButton("Show Join Code")
        self.card_button.clicked.connect(room.show_card)
        self.open_button = QPushButton("Open Room…")
        self.open_button.clicked.connect(room.choose_and_open)
        self.close_button = QPushButton("Close Room")
        self.close_button.clicked.connect(room.close)
        for button in (self.open_button, self.card_button, self.close_button):
            buttons.addWidget(button)
        hint = QLabel("Enter accepts into its lane · drag onto any lane · Delete dismisses")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(mid);")
        self.vote_button = QPushButton("Open Vote on the Findings")
        self.vote_button.setObjectName("roomVote")
        self.vote_button.clicked.connect(self._vote_clicked)
        self.vote_status = QLabel()
        self.vote_status.setObjectName("roomVoteStatus")
        self.vote_status.setWordWrap(True)
        self.results = QLabel()
        self.results.setObjectName("roomResults")
        self.results.setTextFormat(Qt.TextFormat.PlainText)
        self.results.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addWidget(self.address)
        layout.addWidget(self.code)
        layout.addLayout(buttons)
        layout.addWidget(QLabel("Suggestions"))
        layout.addWidget(room.inbox, 1)
        layout.addWidget(hint)
        layout.addWidget(self.vote_button)
        layout.addWidget(self.vote_status)
        layout.addWidget(self.results)
        self.setWidget(body)
        self.show_closed()

    def show_open(self, join_url: str, url: str, code: str) -> None:
        self.status.setText("Room open · nobody has joined yet")
        self.address.setText(join_url)
        self.address.setToolTip(f"Phones open {url} and type the code, or scan the QR code")
        self.code.setText(f"Join code: {code[:3]} {code[3:]}")
        for widget in (self.address, self.code, self.card_button, self.close_button, self.vote_button):
            widget.setEnabled(True)
            widget.show()
        self.open_button.hide()
        self.show_vote(False, {}, 0)

    def show_closed(self) -> None:
        self.status.setText("The room is closed")
        self.address.setText("")
        self.address.hide()
        self.code.hide()
        self.card_button.hide()
        self.close_button.hide()
        self.vote_button.setEnabled(False)
        self.vote_status.setText("")
        self.open_button.show()

    def set_people(self, people: int) -> None:
        self.status.setText(f"Room open · {people} joined")

    def _vote_clicked(self) -> None:
        state = self.room.state
        if state is not None and state.ballot is not None:
            self.room.close_vote()
        else:
            self.room.open_vote()

    def show_vote(self, open_: bool, tally: dict[str, int], people: int) -> None:
        self.vote_button.setText("Close Vote and Show Results" if open_ else "Open Vote on the Findings")
        if open_:
            dots = sum(tally.values())
            cast = "1 dot" if dots == 1 else f"{dots} dots"
            self.vote_status.setText(f"Vote open on the findings as they are now · {cast} cast")
        else:
            self.vote_status.setText("")

    def show_results(self, results: VoteResults) -> None:
        if not results.results:
            self.results.setText("")
            return
        lines = [f"Room vote ({results.voters} voted):"]
        lines += [f"{'●' * min(r.dots, 12)} {r.dots}  {r.message}" for r in results.results[:8]]
        self.results.setText("\n".join(lines))


def room_controller(window: MainWindow) -> RoomController:
    """The window's room controller, made on first use (aiohttp and segno load only when a room opens)."""
    room = window.room
    if room is None:
        room = window.room = RoomController(window)
        window.present_hooks.append(room.attach_present)
    return room
