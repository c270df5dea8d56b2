"""The facilitator's inbox of room suggestions (`roomInbox`): one row per idea, similar names grouped.

Rows are groups of suggestions whose names share a `group_key` ("Webinar",
"webinars", "Webinars (ON24)"); a row's display text holds every name in it, and
says so when the idea is on the map already ("on the map as Webinars": accepting
it then selects that card instead of adding a near duplicate).
The model changes row by row (insert, update, remove), so the highlighted row
stays highlighted while phones keep sending. Enter accepts the highlighted
group into its lane, Delete dismisses it, and a drag carries its name onto any
lane of the canvas (the palette's drag format).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QDrag, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyledItemDelegate

from desktop.canvas import mime
from desktop.domain.layers import Layer
from desktop.room.state import Suggestion

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
NAME_ROLE = Qt.ItemDataRole.UserRole + 2
LAYER_ROLE = Qt.ItemDataRole.UserRole + 3
Index = QModelIndex | QPersistentModelIndex
INBOX_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Delete, Qt.Key.Key_Backspace)


@dataclass
class Group:
    """Suggestions of one idea. What a row shows is worked out once per arrival, not once per paint or
    layout: a view asks a row's text many times, and a busy room has hundreds of rows."""

    key: str
    suggestions: list[Suggestion] = field(default_factory=list)
    _shown: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def add(self, suggestion: Suggestion) -> None:
        self.suggestions.append(suggestion)

    def _cached(self, what: str, make):
        shown = self._shown
        if shown.get("_count") != len(self.suggestions):  # a suggestion was added since
            shown.clear()
            shown["_count"] = len(self.suggestions)
        if what not in shown:
            shown[what] = make()
        return shown[what]

    @property
    def name(self) -> str:
        """The name sent most often (the first sent of those, on a tie)."""

        def make() -> str:
            counts = Counter(s.name for s in self.suggestions)
            return max(self.suggestions, key=lambda s: (counts[s.name], -s.id)).name

        return self._cached("name", make)

    @property
    def layer(self) -> Layer:
        def make() -> Layer:
            counts = Counter(s.layer for s in self.suggestions)
            return Layer(max(self.suggestions, key=lambda s: (counts[s.layer], -s.id)).layer)

        return self._cached("layer", make)

    @property
    def note(self) -> str:
        return "\n".join(dict.fromkeys(s.note for s in self.suggestions if s.note))[:2000]

    @property
    def ids(self) -> list[int]:
        return [s.id for s in self.suggestions]

    def text(self) -> str:
        return self._cached("text", self._text)

    def _text(self) -> str:
        name = self.name
        others = [n for n in dict.fromkeys(s.name for s in self.suggestions) if n != name]
        count = len(self.suggestions)
        text = f"{name}  ·  {self.layer.title}"
        if count > 1:
            text += f"  ·  ×{count}"
        if others:
            text += f"  (also: {', '.join(others[:4])}{'…' if len(others) > 4 else ''})"
        return text


class InboxModel(QAbstractListModel):
    """Waiting suggestions, grouped, in the order their first name arrived."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.on_map: Callable[[str], str] = lambda _key: ""  # the name a group's idea has on the map
        self.groups: list[Group] = []
        self._by_key: dict[str, Group] = {}
        self._seen: set[int] = set()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.groups)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.groups):
            return None
        group = self.groups[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            existing = self.on_map(group.key)
            if not existing:
                return group.text()
            lane = (
                f"{group.name}  ·  {group.layer.title}"  # what the row says first, then counts and variants
            )
            return f"{group.name}  ·  on the map as {existing}" + group.text()[len(lane) :]
        if role == Qt.ItemDataRole.ToolTipRole:
            note, existing = group.note, self.on_map(group.key)
            head = f"{group.name} → {group.layer.title}"
            if existing:
                head = f"{group.name}: on the map as {existing}. Enter selects it (and adds the notes); drag onto a lane to add it anyway"
            return head + (f"\n\n{note}" if note else "")
        if role == KEY_ROLE:
            return group.key
        if role == NAME_ROLE:
            return group.name
        if role == LAYER_ROLE:
            return group.layer.value
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else base

    def add_all(self, suggestions: list[Suggestion]) -> None:
        """Add arrivals: new groups as one block of rows at the end, grown groups updated in place."""
        fresh: list[Group] = []
        grown: set[int] = set()
        for suggestion in suggestions:
            if suggestion.id in self._seen:
                continue
            self._seen.add(suggestion.id)
            group = self._by_key.get(suggestion.group)
            if group is None:
                group = self._by_key[suggestion.group] = Group(suggestion.group)
                fresh.append(group)
            elif group not in fresh:
                grown.add(id(group))
            group.add(suggestion)
        for row, group in enumerate(self.groups):
            if id(group) in grown:
                self.dataChanged.emit(self.index(row), self.index(row))
        if fresh:
            self.beginInsertRows(QModelIndex(), len(self.groups), len(self.groups) + len(fresh) - 1)
            self.groups.extend(fresh)
            self.endInsertRows()

    def add(self, suggestion: Suggestion) -> None:
        self.add_all([suggestion])

    def group(self, key: str) -> Group | None:
        return self._by_key.get(key)

    def take(self, key: str) -> Group | None:
        group = self._by_key.pop(key, None)
        if group is not None:
            row = self.groups.index(group)
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.groups[row]
            self.endRemoveRows()
        return group

    def clear(self) -> None:
        self.beginResetModel()
        self.groups = []
        self._by_key = {}
        self._seen = set()
        self.endResetModel()

    def names(self) -> list[str]:
        return [str(self.data(self.index(row))) for row in range(len(self.groups))]

    def map_changed(self) -> None:
        """The map changed: rows say again which ideas are on it."""
        if self.groups:
            self.dataChanged.emit(self.index(0), self.index(len(self.groups) - 1))


class ShortDelegate(QStyledItemDelegate):
    """Rows as the present-mode strip shows them: the name and how many sent it, no more."""

    def initStyleOption(self, option, index) -> None:
        super().initStyleOption(option, index)
        group = index.model().groups[index.row()] if index.row() < index.model().rowCount() else None
        if group is not None:
            count = len(group.suggestions)
            option.text = f"{group.name} ×{count}" if count > 1 else group.name


class InboxView(QListView):
    """A view of the inbox. Signals: `accept(key)` (Enter, double-click), `dismiss(key)` (Delete),
    `dragged(key)` (its name was dropped on a lane)."""

    accept = Signal(str)
    dismiss = Signal(str)
    dragged = Signal(str)

    def __init__(self, model: InboxModel, name: str = "roomInbox", horizontal: bool = False) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setModel(model)
        self.setAccessibleName("Room suggestions: Enter accepts, Delete dismisses, drag onto a lane")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setUniformItemSizes(True)
        self.setAlternatingRowColors(not horizontal)
        if horizontal:
            self.setItemDelegate(ShortDelegate(self))
            self.setUniformItemSizes(False)
            self.setFlow(QListView.Flow.LeftToRight)
            self.setWrapping(False)
            self.setSpacing(6)
            self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.doubleClicked.connect(lambda index: self.accept.emit(index.data(KEY_ROLE)))
        model.rowsInserted.connect(self._keep_current)

    def doItemsLayout(self) -> None:
        """Laid out when shown: a hidden view (the present-mode strip outside present mode) would
        otherwise measure every row again each time a burst of suggestions arrives."""
        if self.isVisible():
            super().doItemsLayout()

    def showEvent(self, event) -> None:
        super().doItemsLayout()
        super().showEvent(event)

    def _keep_current(self, *_args) -> None:
        if not self.currentIndex().isValid() and self.model().rowCount() > 0:
            self.setCurrentIndex(self.model().index(0, 0))

    def current_key(self) -> str:
        index = self.currentIndex()
        return str(index.data(KEY_ROLE)) if index.isValid() else ""

    def event(self, event: QEvent) -> bool:
        """Enter and Delete on a highlighted row are the inbox's, not the window's shortcuts (Edit → Delete)."""
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() in INBOX_KEYS
            and self.current_key()
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.current_key():
            self.accept.emit(self.current_key())
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.current_key():
            self.dismiss.emit(self.current_key())
            return
        super().keyPressEvent(event)

    def mime_for(self, index: Index) -> QMimeData:
        data = QMimeData()
        data.setData(mime.CHANNEL_TYPES_MIME, mime.encode([{"name": str(index.data(NAME_ROLE))}]))
        data.setText(str(index.data(NAME_ROLE)))
        return data

    def startDrag(self, supported: Qt.DropAction) -> None:
        index = self.currentIndex()
        if not index.isValid():
            return
        key = str(index.data(KEY_ROLE))
        drag = QDrag(self)
        drag.setMimeData(self.mime_for(index))
        if drag.exec(Qt.DropAction.CopyAction) == Qt.DropAction.CopyAction:
            self.dragged.emit(key)
