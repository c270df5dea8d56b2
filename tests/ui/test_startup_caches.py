"""What start-up skips on the second launch: rendering the palette icons, and rewriting the settings."""

from __future__ import annotations

from desktop.ui import icons, settings


def test_channel_icons_are_rendered_once_then_loaded_from_the_cache(qapp):
    icons.channel_icon.cache_clear()
    first = icons.channel_icon("chart", "#2563eb", 28, "Attribution").pixmap(28, 28).toImage()
    cached = list((settings.cache_dir() / "icons").glob("chart-*.png"))
    assert len(cached) == 1
    icons.channel_icon.cache_clear()
    again = icons.channel_icon("chart", "#2563eb", 28, "Attribution").pixmap(28, 28).toImage()
    assert again == first  # the PNG holds exactly what was drawn
    icons.channel_icon("chart", "#dc2626", 28, "Attribution")  # another colour is another file
    assert len(list((settings.cache_dir() / "icons").glob("chart-*.png"))) == 2


def test_a_damaged_cached_icon_is_drawn_again(qapp):
    icons.channel_icon.cache_clear()
    first = icons.channel_icon("chart", "#2563eb", 28).pixmap(28, 28).toImage()
    (cached,) = (settings.cache_dir() / "icons").glob("chart-*.png")
    cached.write_bytes(b"not a png")
    icons.channel_icon.cache_clear()
    assert icons.channel_icon("chart", "#2563eb", 28).pixmap(28, 28).toImage() == first
    icons.channel_icon.cache_clear()


def test_reopening_the_last_map_writes_no_settings(tmp_path):
    path = tmp_path / "a.distarch"
    settings.remember_map(path)
    ini = settings.config_dir() / "settings.ini"
    before = ini.stat().st_mtime_ns, ini.read_bytes()
    settings.remember_map(path)
    assert (ini.stat().st_mtime_ns, ini.read_bytes()) == before
    settings.remember_map(tmp_path / "b.distarch")
    assert settings.recent_maps()[:2] == [str(tmp_path / "b.distarch"), str(path)]
    assert settings.last_map() == tmp_path / "b.distarch"


def test_the_inspector_forms_and_the_spend_table_are_built_when_first_needed(qtbot, tmp_path):
    from tests.ui.helpers import new_map_file
    from tests.ui.test_editing import make_window

    window = make_window(qtbot, new_map_file(tmp_path, sample=True))
    assert window.inspector.channel_page is None  # nothing selected yet: only the hint
    table = window.coherence.economics
    assert table.note is None  # behind the Findings tab
    window.coherence.tabs.setCurrentWidget(table)
    qtbot.waitUntil(lambda: table.note is not None)
    assert "Total" in table.texts()[4][0]
    cid = next(iter(window.scene.channel_items))
    window.scene.select_channels([cid])
    assert window.inspector.stack.currentWidget() is window.inspector.channel_page
    assert window.inspector.name.text() == window.session.map.channel(cid).name


def test_the_window_paints_its_map_first_and_fills_the_panels_right_after(qtbot, tmp_path):
    from desktop.app import MainWindow
    from desktop.domain.layers import Layer
    from tests.ui.helpers import new_map_file

    window = MainWindow(new_map_file(tmp_path, sample=True), panels_after_first_paint=True)
    qtbot.addWidget(window)
    assert not window.palette_dock.built and not window.coherence.built
    routing = next(c.id for c in window.session.map.iter_channels() if c.layer is Layer.ROUTING)
    window.scene.select_channels([routing])  # before the panels exist: remembered, not lost
    window.resize(1600, 960)
    with qtbot.waitSignal(window.panels_ready, timeout=5000):
        window.show()
    assert window.palette_dock.proxy.rowCount() == 4  # the four layer groups of the catalog
    assert window.palette_dock.current_lane() is Layer.ROUTING
    assert window.coherence.score.text() == window.session.report.score_text
    assert window.coherence.findings.count() == len(window.session.report.findings)
    window.palette_dock.quick.setText("Podcast ads")
    window.palette_dock.quick.returnPressed.emit()
    assert window.session.map.channel_by_name("Podcast ads").layer is Layer.ROUTING
