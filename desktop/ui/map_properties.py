"""Edit → Map Properties…: the map's name, description and currency, as one undoable edit.

Why a dialog of its own: contract 2 writes amounts in the map's currency
(findings: "LinkedIn Ads ($32,000/month)", the panel's headlines), so the
lead sets it where the map's name lives. OK performs one `SetInfo` through
the session (one undo step); a bad code is said under the field and changes
nothing.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.commands.session import MapSession
from desktop.domain.edits import SetInfo
from desktop.domain.validation import MAX_NAME, one_line
from desktop.domain.vocabulary import parse_currency

COMMON_CURRENCIES = ("USD", "EUR", "GBP", "CHF", "CAD", "AUD", "JPY", "INR", "SEK", "NOK", "DKK", "BRL")


class MapProperties(QDialog):
    """The dialog; `apply()` is what OK does (True when the map took the edit or nothing changed)."""

    def __init__(self, session: MapSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mapProperties")
        self.setWindowTitle("Map Properties")
        self.session = session
        info = session.map.info
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit(info.name)
        self.name.setObjectName("mapName")
        self.name.setMaxLength(MAX_NAME)
        form.addRow("Name", self.name)
        self.description = QPlainTextEdit(info.description)
        self.description.setObjectName("mapDescription")
        self.description.setFixedHeight(80)
        form.addRow("Description", self.description)
        self.currency = QComboBox()
        self.currency.setObjectName("mapCurrency")
        self.currency.setEditable(True)
        self.currency.addItems(COMMON_CURRENCIES)
        self.currency.setCurrentText(info.currency)
        self.currency.setToolTip("ISO 4217 code: spend in findings and headlines is written in it")
        form.addRow("Currency", self.currency)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setObjectName("mapPropertiesError")
        self.error.setStyleSheet("color: #b91c1c;")
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def apply(self) -> bool:
        info = self.session.map.info
        name = one_line(self.name.text()).strip()
        if not name:
            return self._refuse("a map needs a name")
        try:
            currency = parse_currency(self.currency.currentText())
        except ValueError as exc:
            return self._refuse(str(exc))
        description = self.description.toPlainText()
        if (name, description, currency) == (info.name, info.description, info.currency):
            return True
        edit = SetInfo(name, description, currency if currency != info.currency else None)
        result = self.session.perform("Map properties", [edit])
        return bool(result) or self._refuse(result.reason)

    def _refuse(self, reason: str) -> bool:
        self.error.setText(reason)
        self.error.show()
        return False

    def _ok(self) -> None:
        if self.apply():
            self.accept()


def edit_map_properties(window) -> None:
    if window.session is None:
        return
    MapProperties(window.session, window).open()
