"""The map's currency is set in Map Properties (one undoable SetInfo): findings and the panel's
headlines then write spend in it; a bad code is refused with a message and changes nothing."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from desktop.app import MainWindow
from desktop.store.document import MapDocument
from desktop.ui.map_properties import MapProperties
from tests.ui.fix_maps import fixable_edits
from tests.ui.helpers import new_map_file


def file_currency(path) -> str:
    with MapDocument.open(path, read_only=True) as doc:
        return doc.setting("currency")


def test_currency_set_in_properties_reaches_findings_and_the_file_and_undoes(qtbot, tmp_path):
    path = new_map_file(tmp_path)
    window = MainWindow(path)
    qtbot.addWidget(window)
    assert window.session.perform("Build", fixable_edits())
    dialog = MapProperties(window.session, window)
    qtbot.addWidget(dialog)
    dialog.currency.setCurrentText("eur")
    assert dialog.apply()
    assert window.session.map.info.currency == "EUR" and file_currency(path) == "EUR"
    messages = " ".join(f.message for f in window.session.report.findings)
    assert "€5,000" in messages and "$" not in messages
    panel_text = " ".join(
        window.coherence.findings.item(i).text() for i in range(window.coherence.findings.count())
    )
    assert "€5,000" in panel_text
    window.session.undo_stack.undo()
    assert window.session.map.info.currency == "USD" and file_currency(path) == "USD"
    assert "$5,000" in " ".join(f.message for f in window.session.report.findings)


def test_a_bad_currency_is_refused_with_a_message(qtbot, tmp_path):
    path = new_map_file(tmp_path)
    window = MainWindow(path)
    qtbot.addWidget(window)
    steps = window.session.undo_stack.count()
    dialog = MapProperties(window.session, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.currency.setCurrentText("dollars")
    assert not dialog.apply()
    assert "ISO 4217" in dialog.findChild(QLabel, "mapPropertiesError").text()
    assert window.session.undo_stack.count() == steps and file_currency(path) == "USD"
