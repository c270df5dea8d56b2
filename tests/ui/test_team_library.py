"""The window on team library maps, against a real PostgreSQL server (pytest-qt, offscreen)."""

from __future__ import annotations

from urllib.parse import quote

from desktop.app import MainWindow
from desktop.domain import interchange
from desktop.domain.coherence import assess
from desktop.domain.layers import Layer
from desktop.resources import sample_map_path
from desktop.store.library import schema
from desktop.store.library.catalog import Library
from desktop.store.library.connection import connect
from desktop.ui import settings


def sample():
    return interchange.loads(sample_map_path().read_bytes())


def library_map(url: str, name: str = "Plan"):
    with Library.connect(url) as library:
        return library.load(name)


def make_window(qtbot, location=None) -> MainWindow:
    window = MainWindow(location)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_window_opens_a_library_address_and_edits_it(qtbot, library_url):
    settings.put("display_name", "Dana")
    with Library.connect(library_url) as library:
        library.create("Q3 plan; $$", sample())
    address = f"{library_url}#{quote('Q3 plan; $$')}"
    window = make_window(qtbot, address)
    assert window.session.map.info.name == "Q3 plan; $$"
    assert "Q3 plan; $$" in window.windowTitle() and "on local socket" in window.windowTitle()
    assert "on local socket" in window.where_label.text()
    window.quick_add("Webinars", Layer.CAPTURE)
    window.rename_channel(window.session.map.channels[0].id, "Paid search (EMEA)")
    assert window.saved_label.text() == "Saved"
    on_server = library_map(library_url, "Q3 plan; $$")
    assert on_server.same_content(window.session.map)
    assert on_server.channels[0].name == "Paid search (EMEA)"
    with Library.connect(library_url) as library:
        entry = library.entry("Q3 plan; $$")
        assert entry.edited_by == "Dana" and entry.edited_role == "postgres" and entry.channels == 21
    assert settings.recent_maps()[0].endswith("#Q3 plan; $$")
    assert "postgres@" not in settings.recent_maps()[0]
    window.undo_group.undo()
    assert library_map(library_url, "Q3 plan; $$").same_content(window.session.map)
    window.close()


def test_versions_and_compare_work_for_library_maps(qtbot, library_url):
    with Library.connect(library_url) as library:
        library.create("Plan", sample())
    window = make_window(qtbot, f"{library_url}#Plan")
    scenarios = window.scenarios
    assert scenarios.save("As-is") is not None
    window.quick_add("Webinars", Layer.CAPTURE)
    assert [v.name for v in scenarios.versions()] == ["As-is"]
    assert len(scenarios.load("As-is")) == 20
    assert scenarios.restore("As-is")
    assert len(library_map(library_url)) == 20 and library_map(library_url).same_content(window.session.map)
    window.close()


def test_a_read_only_role_gets_a_banner_and_no_edits(qtbot, library_url, pg_cluster):
    db = library_url.split("/")[3].split("?")[0]
    pg_cluster.sql(
        "DO $$ BEGIN CREATE ROLE distarch_viewer NOLOGIN; EXCEPTION WHEN duplicate_object THEN END $$"
    )
    pg_cluster.sql("DROP ROLE IF EXISTS vic")
    pg_cluster.sql("CREATE ROLE vic LOGIN PASSWORD 'pw' IN ROLE distarch_viewer")
    conn = connect(library_url)
    schema.init(conn)
    conn.close()
    with Library.connect(library_url) as library:
        library.create("Plan", sample())
    window = make_window(qtbot, f"{pg_cluster.url(db, 'vic', 'pw')}#Plan")
    assert window.session.read_only
    assert window.banner.isVisible() and "vic may only read" in window.banner.label.text()
    assert "[read-only]" in window.windowTitle() and "pw" not in window.windowTitle()
    window.quick_add("Webinars", Layer.CAPTURE)
    assert len(window.session.map) == 20 and len(library_map(library_url)) == 20
    assert all("pw@" not in r for r in settings.recent_maps())
    window.close()


def test_a_password_is_asked_inside_the_window(qtbot, library_url, pg_cluster, tmp_path, monkeypatch):
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    db = library_url.split("/")[3].split("?")[0]
    pg_cluster.sql("DROP ROLE IF EXISTS paula")
    pg_cluster.sql("CREATE ROLE paula LOGIN SUPERUSER PASSWORD 'open sesame'")
    with Library.connect(library_url) as library:
        library.create("Plan", sample())
    window = make_window(qtbot, f"{pg_cluster.url(db, 'paula')}#Plan")  # built without blocking
    qtbot.waitUntil(lambda: getattr(window, "password_prompt", None) is not None)
    prompt = window.password_prompt
    assert prompt.isVisible()
    prompt.setTextValue("open sesame")
    prompt.accept()
    qtbot.waitUntil(lambda: window.session.map.info.name == "Plan")
    assert "open sesame" not in window.windowTitle() + "".join(settings.recent_maps())
    window.close()


def test_the_team_library_dialog_lists_creates_publishes_renames_deletes_restores(
    qtbot, library_url, tmp_path
):
    from desktop.ui.team_library import open_team_library

    with Library.connect(library_url) as library:
        library.create("Alpha", sample())
    window = make_window(qtbot)
    dialog = open_team_library(window)
    dialog.address.setText(library_url)
    assert dialog.connect_library()
    assert dialog.maps.rowCount() == 1 and dialog.maps.item(0, 0).text() == "Alpha"
    assert dialog.maps.item(0, 1).text() == f"{assess(sample()).score:.1f}  (contract v2)"
    assert dialog.create_map("Beta")
    assert dialog.publish("Gamma")
    assert not dialog.publish("gamma")  # taken: the window asks before replacing
    assert "already has a map named" in dialog.status.text()
    assert dialog.publish("gamma", replace=True)
    dialog.search.setText("alp")
    dialog.refresh()
    assert [dialog.maps.item(r, 0).text() for r in range(dialog.maps.rowCount())] == ["Alpha"]
    dialog.search.setText("")
    assert dialog.rename_map("Beta", "Beta 2")
    assert dialog.delete_map("Beta 2")
    dialog.tabs.setCurrentIndex(1)
    assert [dialog.deleted.item(r, 0).text() for r in range(dialog.deleted.rowCount())] == ["Beta 2"]
    assert dialog.restore_map("Beta 2")
    dialog.tabs.setCurrentIndex(0)
    copy = tmp_path / "alpha.distarch"
    assert dialog.save_copy("Alpha", str(copy)) and copy.exists()
    assert dialog.open_map("Alpha")
    assert window.session.map.info.name == "Alpha"
    assert settings.get("library/address") == library_url.replace("postgres@", "postgres@")
    window.close()


def test_the_server_going_away_is_shown_at_once_and_edits_wait_for_it(qtbot, own_cluster):
    url = own_cluster.url()
    conn = connect(url)
    schema.init(conn)
    conn.close()
    with Library.connect(url) as library:
        library.create("Plan", sample())
    window = make_window(qtbot, f"{url}#Plan")
    window.quick_add("Webinars", Layer.CAPTURE)
    own_cluster.stop()
    qtbot.waitUntil(lambda: window.saved_label.text().startswith("Offline"), timeout=10000)
    assert window.banner.isVisible() and "not answering" in window.banner.label.text()
    assert window.session.read_only
    window.quick_add("Events", Layer.CAPTURE)  # refused with the reason, not shown as saved
    assert window.session.map.channel_by_name("Events") is None
    own_cluster.resume()
    qtbot.waitUntil(lambda: window.saved_label.text() == "Saved", timeout=20000)
    assert not window.banner.isVisible()
    window.quick_add("Events", Layer.CAPTURE)
    on_server = library_map(url)
    assert (
        on_server.channel_by_name("Webinars") is not None and on_server.channel_by_name("Events") is not None
    )
    assert on_server.same_content(window.session.map)
    window.close()


def test_the_remembered_address_has_no_password():
    from desktop.ui.team_library import without_password

    assert without_password("postgresql://ann:s3cret@h/db?password=x&sslmode=require") == (
        "postgresql://ann@h/db?sslmode=require"
    )
    assert (
        without_password("postgresql://h/db?sslmode=require&password=x")
        == "postgresql://h/db?sslmode=require"
    )
    assert without_password("postgresql:///?service=team") == "postgresql:///?service=team"
