"""The inspector dock: the selected channel's fields, or the selected flow's rule and label.

Edits apply as the user types, as undoable commands that merge per field (one
undo step per field edited). A bad value (a taken name, a negative or
non-numeric number) is shown inline under its field and not applied.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDockWidget,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.canvas.scene import MapScene
from desktop.commands.session import Change, MapSession
from desktop.domain import operations as ops
from desktop.domain.coherence_v2_rules import AI_FACTOR
from desktop.domain.errors import MapError
from desktop.domain.layers import LAYERS, Layer
from desktop.domain.validation import parse_number
from desktop.domain.vocabulary import AI_DEFINITION
from desktop.ui.binding import Links

TEXT_FIELDS = (
    ("function", "Function"),
    ("tool", "Tool"),
    ("segment", "Segment"),
    ("motion", "Motion"),
    ("message", "Message"),
)
NUMBER_FIELDS = (("monthly_spend", "Monthly spend"), ("leads_per_month", "Leads per month"))


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.setStyleSheet("color: #dc2626;")
    label.hide()
    return label


class InspectorDock(QDockWidget):
    """Shows one channel or one flow; `bind(session, scene)` on every map opened."""

    def __init__(self, parent=None) -> None:
        super().__init__("Inspector", parent)
        self.setObjectName("inspector")
        self.session: MapSession | None = None
        self.scene: MapScene | None = None
        self._links = Links()
        self.channel_id: str | None = None
        self.flow_pair: tuple[str, str] | None = None
        self.fields: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        self.stack = QStackedWidget()
        self.empty = QLabel(
            "Select a channel or a flow to edit it.\n\nTip: double-click a channel to rename it."
        )
        # At the top, not centred: the stack is as tall as its tallest page, which would push it down.
        self.empty.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.empty.setContentsMargins(12, 24, 12, 12)
        self.empty.setWordWrap(True)
        self.empty.setObjectName("hint")
        self.stack.addWidget(self.empty)
        self.multi = QLabel()
        self.multi.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.multi.setContentsMargins(12, 24, 12, 12)
        self.multi.setObjectName("hint")
        self.stack.addWidget(self.multi)
        # The channel and flow forms (a dozen fields) are built on the first selection, not while
        # the window opens: until then the inspector shows only its hint.
        self.channel_page: QWidget | None = None
        self.flow_page: QWidget | None = None
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.stack)
        self.setWidget(scroll)

    # --- pages ----------------------------------------------------------------------------
    def _show_page(self, kind: str) -> None:
        """Bring up the empty hint, the channel form, the flow form or the multi-selection note."""
        if kind in ("channel", "flow") and self.channel_page is None:
            self.channel_page = self._channel_page()
            self.flow_page = self._flow_page()
            self.stack.addWidget(self.channel_page)
            self.stack.addWidget(self.flow_page)
        page: dict[str, QWidget | None] = {
            "empty": self.empty,
            "multi": self.multi,
            "channel": self.channel_page,
            "flow": self.flow_page,
        }
        shown = page[kind]
        if shown is not None:
            self.stack.setCurrentWidget(shown)

    def _channel_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name = QLineEdit()
        self.name.setObjectName("field-name")
        self.name.textEdited.connect(lambda text: self._edit_channel("name", text))
        self.fields["name"] = self.name
        form.addRow("Name", self.name)
        self.errors["name"] = _error_label()
        form.addRow("", self.errors["name"])
        self.layer = QComboBox()
        self.layer.setObjectName("field-layer")
        for layer in LAYERS:
            self.layer.addItem(layer.title, layer.value)
        self.layer.activated.connect(self._layer_chosen)
        form.addRow("Layer", self.layer)
        for key, title in TEXT_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(f"field-{key}")
            edit.textEdited.connect(lambda text, k=key: self._edit_channel(k, text))
            self.fields[key] = edit
            form.addRow(title, edit)
        for key, title in NUMBER_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(f"field-{key}")
            edit.setPlaceholderText("unknown")
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            edit.textEdited.connect(lambda text, k=key: self._edit_channel(k, text))
            self.fields[key] = edit
            form.addRow(title, edit)
            self.errors[key] = _error_label()
            form.addRow("", self.errors[key])
        # Contract 2 (docs/score.md): AI amplifies every gap the channel is part of.
        self.automation = QCheckBox("Acts through AI (no person approves each action)")
        self.automation.setObjectName("field-automation")
        self.automation.setToolTip(
            f"{AI_DEFINITION} The score multiplies the points of its findings by {AI_FACTOR:g} (docs/score.md)."
        )
        self.automation.setWhatsThis(AI_DEFINITION)
        self.automation.toggled.connect(lambda on: self._edit_channel("automation", "ai" if on else ""))
        form.addRow("Automation", self.automation)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("field-notes")
        self.notes.setFixedHeight(90)
        self.notes.textChanged.connect(self._notes_changed)
        form.addRow("Notes", self.notes)
        return page

    def _flow_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.flow_title = QLabel()
        self.flow_title.setObjectName("flowTitle")
        self.flow_title.setWordWrap(True)
        layout.addWidget(self.flow_title)
        form = QFormLayout()
        self.rule = QLineEdit()
        self.rule.setObjectName("field-rule")
        self.rule.setPlaceholderText("e.g. score >= 70")
        self.rule.textEdited.connect(lambda text: self._edit_flow("rule", text))
        self.label = QLineEdit()
        self.label.setObjectName("field-label")
        self.label.textEdited.connect(lambda text: self._edit_flow("label", text))
        form.addRow("Rule", self.rule)
        form.addRow("Label", self.label)
        layout.addLayout(form)
        hint = QLabel("A routing channel with several outgoing flows needs a rule on each.")
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        layout.addWidget(hint)
        layout.addStretch(1)
        return page

    # --- binding ----------------------------------------------------------------------------
    def bind(self, session: MapSession, scene: MapScene) -> None:
        """Follow another map (the previous one's signals are let go): `MainWindow.session_opened`."""
        self.unbind()
        self.session = session
        self.scene = scene
        self._links.rebind((session.changed, self._on_changed), (scene.selectionChanged, self._on_selection))
        self._on_selection()

    def unbind(self) -> None:
        self._links.release()
        self.session = None
        self.scene = None
        self.channel_id = None
        self.flow_pair = None
        self._show_page("empty")

    def _on_selection(self) -> None:
        if self.scene is None:
            return
        channels = self.scene.selected_channel_ids()
        flows = self.scene.selected_flow_pairs()
        self.channel_id = channels[0] if len(channels) == 1 and not flows else None
        self.flow_pair = flows[0] if len(flows) == 1 and not channels else None
        self._clear_errors()
        if self.channel_id:
            self._show_page("channel")
            self._show_channel(force=True)
        elif self.flow_pair:
            self._show_page("flow")
            self._show_flow(force=True)
        elif channels or flows:
            self.multi.setText(f"{len(channels)} channels and {len(flows)} flows selected")
            self._show_page("multi")
        else:
            self._show_page("empty")

    def _on_changed(self, change: Change) -> None:
        if self.session is None:
            return
        if self.channel_id and not self.session.map.has_channel(self.channel_id):
            self.channel_id = None
            self._show_page("empty")
        elif self.channel_id and (change.reset or self.channel_id in change.channels):
            self._show_channel()
        if self.flow_pair and self.session.map.flow(*self.flow_pair) is None:
            self.flow_pair = None
            self._show_page("empty")
        elif self.flow_pair and (change.reset or self.flow_pair in change.flows):
            self._show_flow()

    def _set_text(self, edit: QLineEdit, text: str, force: bool) -> None:
        if edit.text() == text:
            return
        if (
            not force
            and edit.hasFocus()
            and self.errors.get(edit.objectName().removeprefix("field-"), QLabel()).isVisible()
        ):
            return  # keep the user's invalid text on screen with its message
        edit.blockSignals(True)
        edit.setText(text)
        edit.blockSignals(False)

    def _show_channel(self, force: bool = False) -> None:
        assert self.session is not None and self.channel_id is not None
        c = self.session.map.channel(self.channel_id)
        self._set_text(self.name, c.name, force)
        self.layer.setCurrentIndex(LAYERS.index(c.layer))
        for key, _ in TEXT_FIELDS:
            self._set_text(self.fields[key], getattr(c, key), force)
        for key, _ in NUMBER_FIELDS:
            value = getattr(c, key)
            shown = self.fields[key].text()
            try:
                same = parse_number(shown, key) == value
            except MapError:
                same = False
            if force or not same:
                self._set_text(self.fields[key], "" if value is None else f"{value:g}", force)
        if self.automation.isChecked() != (c.automation == "ai"):
            self.automation.blockSignals(True)
            self.automation.setChecked(c.automation == "ai")
            self.automation.blockSignals(False)
        self.automation.setEnabled(not self.session.read_only)
        if self.notes.toPlainText() != c.notes:
            self.notes.blockSignals(True)
            self.notes.setPlainText(c.notes)
            self.notes.blockSignals(False)
        read_only = self.session.read_only
        for edit in (*self.fields.values(),):
            edit.setReadOnly(read_only)
        self.notes.setReadOnly(read_only)
        self.layer.setEnabled(not read_only)

    def _show_flow(self, force: bool = False) -> None:
        assert self.session is not None and self.flow_pair is not None
        flow = self.session.map.flow(*self.flow_pair)
        assert flow is not None
        arch = self.session.map
        self.flow_title.setText(
            f"<b>{arch.channel(flow.source).name}</b> → <b>{arch.channel(flow.target).name}</b>"
        )
        self._set_text(self.rule, flow.rule, force)
        self._set_text(self.label, flow.label, force)
        self.rule.setReadOnly(self.session.read_only)
        self.label.setReadOnly(self.session.read_only)

    # --- edits ----------------------------------------------------------------------------------
    def _clear_errors(self) -> None:
        for key, label in self.errors.items():
            label.hide()
            self.fields[key].setStyleSheet("")

    def _show_error(self, key: str, message: str) -> None:
        label = self.errors.get(key)
        if label is None:
            return
        label.setText(message)
        label.show()
        self.fields[key].setStyleSheet("border: 2px solid #dc2626;")

    def _edit_channel(self, key: str, text: str) -> None:
        if self.session is None or self.channel_id is None:
            return
        cid = self.channel_id
        try:
            value: object = text
            if key in dict(NUMBER_FIELDS):
                value = parse_number(text, dict(NUMBER_FIELDS)[key].lower())
            edits = ops.update_channel(self.session.map, cid, **{key: value})
        except MapError as exc:
            self._show_error(key, exc.message)
            return
        if key in self.errors:
            self.errors[key].hide()
            self.fields[key].setStyleSheet("")
        name = self.session.map.channel(cid).name
        title = dict((*TEXT_FIELDS, *NUMBER_FIELDS, ("name", "name"))).get(key, key).lower()
        if not edits:
            return
        done = self.session.perform(f"Edit {title} of {name}", edits, merge_key=f"channel:{cid}:{key}")
        if not done and not done.write_failed:
            self._show_error(key, done.reason)

    def _notes_changed(self) -> None:
        if self.session is None or self.channel_id is None:
            return
        edits = ops.update_channel(self.session.map, self.channel_id, notes=self.notes.toPlainText())
        name = self.session.map.channel(self.channel_id).name
        self.session.perform(f"Edit notes of {name}", edits, merge_key=f"channel:{self.channel_id}:notes")

    def _layer_chosen(self, index: int) -> None:
        if self.session is None or self.channel_id is None:
            return
        layer = Layer(self.layer.itemData(index))
        c = self.session.map.channel(self.channel_id)
        edits = ops.set_layer(self.session.map, self.channel_id, layer)
        self.session.perform(f"Move {c.name} to {layer.title}", edits)

    def _edit_flow(self, key: str, text: str) -> None:
        if self.session is None or self.flow_pair is None:
            return
        edits = ops.update_flow(self.session.map, *self.flow_pair, **{key: text})
        arch = self.session.map
        s, t = (arch.channel(c).name for c in self.flow_pair)
        self.session.perform(f"Edit {key} of {s} → {t}", edits, merge_key=f"flow:{self.flow_pair}:{key}")
