"""A team library map keeps its currency like a .distarch file does: set in Map Properties, seen by
everyone editing it live, kept by publishing, refused with a message when it is not a code (real
PostgreSQL server, real windows)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from desktop.app import MainWindow
from desktop.domain import interchange
from desktop.resources import sample_map_path
from desktop.store.library.catalog import CURRENCY_KEY, Library
from desktop.ui import settings
from desktop.ui.map_properties import MapProperties


def sample():
    return interchange.loads(sample_map_path().read_bytes())


def server_currency(url: str, name: str = "Plan") -> tuple[str, str]:
    """The map's currency as the server keeps it, and as a fresh reader loads it."""
    with Library.connect(url) as library, library.open(name, read_only=True) as repo:
        return repo.setting(CURRENCY_KEY), repo.load().info.currency


def window_on(qtbot, location: str, who: str) -> MainWindow:
    settings.put("display_name", who)
    window = MainWindow(location)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def set_currency(qtbot, window: MainWindow, code: str) -> MapProperties:
    dialog = MapProperties(window.session, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.currency.setCurrentText(code)
    return dialog


def test_currency_of_a_library_map_is_saved_shared_live_and_undone(qtbot, library_url):
    with Library.connect(library_url) as library:
        library.create("Plan", sample())
    assert server_currency(library_url) == ("USD", "USD")
    dana = window_on(qtbot, f"{library_url}#Plan", "Dana")
    sam = window_on(qtbot, f"{library_url}#Plan", "Sam")
    assert set_currency(qtbot, dana, "eur").apply()
    assert dana.session.map.info.currency == "EUR"
    assert server_currency(library_url) == ("EUR", "EUR")
    qtbot.waitUntil(lambda: sam.session.map.info.currency == "EUR", timeout=5000)
    assert "$" not in " ".join(f.message for f in sam.session.report.findings)
    dana.session.undo_stack.undo()
    assert server_currency(library_url) == ("USD", "USD")
    qtbot.waitUntil(lambda: sam.session.map.info.currency == "USD", timeout=5000)
    steps = dana.session.undo_stack.count()
    dialog = set_currency(qtbot, dana, "dollars")
    assert not dialog.apply()
    assert "ISO 4217" in dialog.findChild(QLabel, "mapPropertiesError").text()
    assert dana.session.undo_stack.count() == steps and server_currency(library_url) == ("USD", "USD")
    for window in (dana, sam):
        window.close()


def test_publishing_a_map_keeps_its_currency(library_url, tmp_path):
    arch = sample()
    arch.info.currency = "GBP"
    with Library.connect(library_url) as library:
        library.create("Pounds", arch)
        local = tmp_path / "pounds.distarch"
        library.save_local_copy("Pounds", local)
    assert server_currency(library_url, "Pounds") == ("GBP", "GBP")
    from desktop.store.document import MapDocument

    with MapDocument.open(local, read_only=True) as doc:
        assert doc.load().info.currency == "GBP"
