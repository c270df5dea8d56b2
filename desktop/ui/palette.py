"""The palette dock: a searchable catalog of channel types, grouped by layer, and the quick-add box.

The palette view is named `palette`; its model's `mimeData()` produces exactly
what the canvas accepts on drop (desktop.canvas.mime).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDockWidget

from desktop.domain.catalog import Catalog, CatalogEntry
from desktop.domain.layers import LAYERS, Layer


class PaletteDock(QDockWidget):
    """Catalog + search + quick-add. Signal `quick_add(name, layer)` when Enter is pressed."""

    quick_add = Signal(str, object)

    def __init__(self, catalog: Catalog, parent=None, build: bool = True) -> None:
        super().__init__("Channels", parent)
        self.setObjectName("paletteDock")
        self.catalog = catalog
        self.built = False
        self._lane = Layer.CAPTURE  # the quick-add lane, until the lane box exists
        if build:
            self.build()

    def build(self) -> None:
        """Fill the dock: quick-add box, catalog search and tree (the window may do it after its first frame)."""
        if self.built:
            return
        self.built = True
        # Imported here: the window paints its first frame before the palette is filled.
        from PySide6.QtCore import QSize, QSortFilterProxyModel, Qt
        from PySide6.QtWidgets import (
            QAbstractItemView,
            QComboBox,
            QCompleter,
            QHBoxLayout,
            QLabel,
            QLineEdit,
            QTreeView,
            QVBoxLayout,
            QWidget,
        )

        from desktop.ui.catalog_model import CatalogModel

        catalog = self.catalog
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)

        quick_label = QLabel("Quick add")
        quick_label.setObjectName("sectionLabel")
        layout.addWidget(quick_label)
        row = QHBoxLayout()
        self.quick = QLineEdit()
        self.quick.setObjectName("quickAdd")
        self.quick.setPlaceholderText("Type a channel, press Enter")
        self.quick.setAccessibleName("Quick add a channel")
        self.quick.setClearButtonEnabled(True)
        completer = QCompleter([e.name for e in catalog.entries], self.quick)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.quick.setCompleter(completer)
        self.quick.returnPressed.connect(self._submit)
        self.lane = QComboBox()
        self.lane.setObjectName("quickAddLane")
        self.lane.setAccessibleName("Lane for quick add")
        for layer in LAYERS:
            self.lane.addItem(
                layer.title.split()[-1].capitalize() if layer is not Layer.FEEDBACK else "Feedback", layer
            )
        self.lane.setToolTip("The lane new channels go to (Ctrl+1 … Ctrl+4)")
        row.addWidget(self.quick, 1)
        row.addWidget(self.lane)
        layout.addLayout(row)

        search_label = QLabel("Catalog")
        search_label.setObjectName("sectionLabel")
        layout.addWidget(search_label)
        self.search = QLineEdit()
        self.search.setObjectName("paletteSearch")
        self.search.setPlaceholderText("Search channel types")
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)

        self.model = CatalogModel(catalog, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.search.textChanged.connect(self._filter)
        self.view = QTreeView()
        self.view.setObjectName("palette")
        self.view.setAccessibleName("Channel catalog")
        self.view.setModel(self.proxy)
        self.view.setHeaderHidden(True)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setIconSize(self.view.iconSize().expandedTo(QSize(24, 24)))
        self.view.setUniformRowHeights(True)
        self.view.expandAll()
        self.view.doubleClicked.connect(self._activate)
        layout.addWidget(self.view, 1)
        hint = QLabel("Drag onto a lane, or double-click to add to the quick-add lane.")
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        layout.addWidget(hint)
        self.setWidget(body)
        self.set_lane(self._lane)

    def current_lane(self) -> Layer:
        if not self.built:
            return self._lane
        return Layer(self.lane.currentData())  # Qt hands back the enum as a plain str

    def set_lane(self, layer: Layer) -> None:
        self._lane = layer
        if self.built:
            self.lane.setCurrentIndex(LAYERS.index(layer))

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self.view.expandAll()

    def _submit(self) -> None:
        name = self.quick.text().strip()
        if not name:
            return
        self.quick_add.emit(name, self.current_lane())
        self.quick.clear()
        self.quick.setFocus()

    def _activate(self, index) -> None:
        from desktop.ui.catalog_model import ENTRY_ROLE

        entry = index.data(ENTRY_ROLE)
        if isinstance(entry, CatalogEntry):
            self.quick_add.emit(entry.name, self.current_lane())
