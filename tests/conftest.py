"""Shared fixtures: offscreen Qt, a private settings store, temporary map files."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("DISTARCH_SETTINGS_DIR", "")

import pytest


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory, monkeypatch):
    """Each test gets its own QSettings and log folder so no test sees another's recent maps."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("DISTARCH_CONFIG_HOME", str(home))
    yield


@pytest.fixture(autouse=True, scope="session")
def _clear_clipboard_before_exit():
    """The clipboard owns the QMimeData a copy puts there; freeing it in Qt's exit handlers,
    after Python has finalised, segfaults. Clear it while Python is alive."""
    yield
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        QApplication.clipboard().clear()
        QApplication.processEvents()


def _started_cluster():
    """A throwaway PostgreSQL 15 server (tests/postgres.py), removed afterwards.

    Without PostgreSQL the tests that need it skip on a developer's machine and FAIL in CI (`CI` set).
    """
    from tests.postgres import Cluster, ClusterUnavailable

    try:
        cluster = Cluster().start()
    except (ClusterUnavailable, OSError) as exc:
        if os.environ.get("CI"):
            pytest.fail(f"the PostgreSQL test server could not start: {exc}")
        pytest.skip(f"no PostgreSQL test server: {exc}")
    yield cluster
    cluster.remove()


@pytest.fixture(scope="session")
def pg_cluster():
    """The run's PostgreSQL server, started on first use."""
    yield from _started_cluster()


@pytest.fixture()
def own_cluster():
    """A server of this test's own, to stop and start (the run's server keeps serving the others)."""
    yield from _started_cluster()


@pytest.fixture()
def library_url(pg_cluster) -> str:
    """A fresh database with an initialised team library; its address (superuser, unix socket)."""
    from desktop.store.library import schema
    from desktop.store.library.connection import connect

    url = pg_cluster.socket_url(pg_cluster.new_database())
    conn = connect(url)
    try:
        schema.init(conn)
    finally:
        conn.close()
    return url
