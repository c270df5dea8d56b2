"""Presence on a team library map: who is in it, and each person's selection outlined in their colour.

Presence travels by NOTIFY only (nothing is stored, so read-only viewers appear
too): a window says "hello" when it opens the map, the others answer "here",
everyone announces their selection when it changes and "bye" on leaving, and
"here" every 30 s, so a window that crashed drops out after 90 s. The
repository hands what it heard to `heard` from inside the connection's notice
handler, so the reaction waits for the event loop (no query runs mid-query).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem, QLabel

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

HEARTBEAT_MS = 30_000  # "here" again every 30 s; someone not heard for 3 of them has left (a crash)
COLOURS = ("#d13438", "#0078d4", "#107c10", "#8764b8", "#ca5010", "#038387", "#c239b3", "#986f0b")


class Presence(QObject):
    """The people in this map besides you (`people`: session -> name and selection) and their outlines."""

    def __init__(self, window: MainWindow, repository: Any, name: str) -> None:
        super().__init__(window)
        self.window = window
        self.repository = repository
        self.name = name
        self.me = uuid.uuid4().hex[:12]
        self.people: dict[str, dict[str, Any]] = {}
        self._outlines: list[QGraphicsItem] = []
        self.label = QLabel()
        self.label.setObjectName("presence")
        self.label.setStyleSheet("QLabel { padding: 0 10px; }")
        window.statusBar().addPermanentWidget(self.label)
        repository.on_presence = self.heard
        self._disconnect: list[Callable[[], object]] = []
        if window.scene is not None:
            scene = window.scene
            scene.selectionChanged.connect(self._selection_changed)
            self._disconnect.append(lambda: scene.selectionChanged.disconnect(self._selection_changed))
        if window.session is not None:
            session = window.session
            session.changed.connect(self._redraw)
            self._disconnect.append(lambda: session.changed.disconnect(self._redraw))
        self._heartbeat = QTimer(self)
        self._heartbeat.timeout.connect(self._beat)
        self._heartbeat.start(HEARTBEAT_MS)
        self._show()
        self.announce("hello")

    @property
    def names(self) -> list[str]:
        """Everyone in the map, you first."""
        return [self.name] + sorted(p.get("n", "") for p in self.people.values())

    def announce(self, kind: str) -> None:
        scene = self.window.scene
        selection = scene.selected_channel_ids() if scene is not None and kind != "bye" else []
        self.repository.announce({"s": self.me, "n": self.name, "k": kind, "sel": selection})

    def heard(self, state: dict[str, Any]) -> None:
        QTimer.singleShot(0, self, lambda: self._heard(state))

    def _heard(self, state: dict[str, Any]) -> None:
        who = str(state.get("s", ""))
        if not who or who == self.me:
            return
        if state.get("k") == "bye":
            self.people.pop(who, None)
        else:
            selection = [str(c) for c in state.get("sel", []) if isinstance(c, str)]
            self.people[who] = {
                "n": str(state.get("n", "someone"))[:80],
                "sel": selection,
                "t": time.monotonic(),
            }
            if state.get("k") == "hello":
                self.announce("here")
        self._show()

    def _beat(self) -> None:
        """Say "here" again, and forget whoever was not heard for three heartbeats."""
        self.announce("here")
        quiet = time.monotonic() - 3 * HEARTBEAT_MS / 1000
        gone = [who for who, person in self.people.items() if person["t"] < quiet]
        for who in gone:
            del self.people[who]
        if gone:
            self._show()

    def _selection_changed(self) -> None:
        self.announce("select")

    def colour(self, who: str) -> QColor:
        return QColor(COLOURS[int(who, 16) % len(COLOURS)] if who else COLOURS[0])

    def _show(self) -> None:
        others = sorted(self.people.items(), key=lambda p: p[1]["n"])
        parts = [f'<span style="color:{self.colour(s).name()}">●</span> {p["n"]}' for s, p in others]
        self.label.setText("In this map: you" + ("".join(f", {part}" for part in parts)))
        self.label.setToolTip("\n".join(self.names))
        self._redraw()

    def _redraw(self, *_: object) -> None:
        for item in self._outlines:
            if item.scene() is not None:
                item.scene().removeItem(item)
        self._outlines.clear()
        scene = self.window.scene
        if scene is None:
            return
        for ring, (who, person) in enumerate(sorted(self.people.items())):
            pen = QPen(self.colour(who), 3)
            for cid in person["sel"]:
                card = scene.channel_items.get(cid)
                if card is None:
                    continue
                pad = 4 + 4 * ring
                outline = QGraphicsRectItem(card.boundingRect().adjusted(-pad, -pad, pad, pad), card)
                outline.setPen(pen)
                outline.setData(0, f"presence-{who}")
                outline.setToolTip(person["n"])
                self._outlines.append(outline)

    def outlined(self) -> dict[str, list[str]]:
        """Channel ids outlined for each person's name (what the cards show)."""
        shown: dict[str, list[str]] = {}
        for item in self._outlines:
            parent = item.parentItem()
            channel = getattr(parent, "channel", None)
            if channel is not None:
                shown.setdefault(item.toolTip(), []).append(channel.id)
        return shown

    def stop(self) -> None:
        self._heartbeat.stop()
        self.announce("bye")
        self.repository.on_presence = None
        for undo in self._disconnect:
            try:
                undo()
            except (RuntimeError, TypeError):
                pass
        self.people.clear()
        self._redraw()
        self.window.statusBar().removeWidget(self.label)
        self.label.deleteLater()
