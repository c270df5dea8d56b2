"""The palette's model: layers as groups, catalog entries as draggable children.

Its `mimeData()` produces exactly what the canvas accepts on drop
(desktop.canvas.mime). A module of its own so that the window can paint its
first frame before Qt's item-model classes and the icons are loaded.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from desktop.canvas import mime
from desktop.domain.catalog import Catalog, CatalogEntry
from desktop.domain.layers import LAYERS
from desktop.ui.icons import channel_icon

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1


class CatalogModel(QStandardItemModel):
    """Layers as groups, catalog entries as draggable children."""

    def __init__(self, catalog: Catalog, parent=None) -> None:
        super().__init__(parent)
        self.catalog = catalog
        for layer in LAYERS:
            group = QStandardItem(layer.title)
            group.setEditable(False)
            group.setDragEnabled(False)
            group.setSelectable(False)
            font = group.font()
            font.setBold(True)
            group.setFont(font)
            for entry in catalog.entries:
                if entry.layer is not layer:
                    continue
                item = QStandardItem(channel_icon(entry.icon, entry.colour, 28, entry.name), entry.name)
                item.setEditable(False)
                item.setData(entry, ENTRY_ROLE)
                item.setToolTip(f"{entry.name}: usually {layer.title.lower()} · drag onto a lane")
                group.appendRow(item)
            self.appendRow(group)

    def mimeTypes(self) -> list[str]:
        return [mime.CHANNEL_TYPES_MIME]

    def mimeData(self, indexes) -> QMimeData:
        entries = []
        for index in indexes:
            entry = index.data(ENTRY_ROLE)
            if isinstance(entry, CatalogEntry):
                entries.append({"name": entry.name, "layer": entry.layer.value, "function": entry.function})
        data = QMimeData()
        data.setData(mime.CHANNEL_TYPES_MIME, mime.encode(entries))
        data.setText("\n".join(e["name"] for e in entries))
        return data

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction
