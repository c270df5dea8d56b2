"""The Import dialog shows a workbook's warnings (an error cell read as blank) and still imports."""

from __future__ import annotations

from desktop.store.document import MapDocument
from tests.io.tables_data import make_book
from tests.ui.helpers import new_map_file
from tests.ui.test_import_dialog import make_dialog, make_window


def test_an_error_cell_is_shown_as_a_warning_and_the_rest_imports(qtbot, tmp_path):
    book = make_book(
        tmp_path / "Sheet1 book.xlsx",
        {"Sheet1": [["Name", "Layer", "Monthly spend"], ["Ads", 1, "#DIV/0!"], ["SDR", "execution", 900]]},
    )
    window = make_window(qtbot, new_map_file(tmp_path))
    dialog = make_dialog(qtbot, window, book)
    texts = [dialog.problem_list.item(i).text() for i in range(dialog.problem_list.count())]
    assert texts == ["Warning: Row 2: cell C2 holds the error #DIV/0!: it was read as blank"]
    assert dialog.problem_list.isVisible()
    assert "no problems (1 warning below)" in dialog.summary.text()
    assert dialog.import_button.isEnabled()
    dialog.import_button.click()
    with MapDocument.open(window.session.repository.path, read_only=True) as doc:
        arch = doc.load()
    assert arch.channel_by_name("Ads").monthly_spend is None
    assert arch.channel_by_name("SDR").monthly_spend == 900
