"""Cold start and map opening never import SQLAlchemy, SQLModel or pydantic (~400 ms of imports).

Each check runs in a fresh interpreter, since this test process has long
imported them (creating a file still uses the SQLModel tables, lazily).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from desktop.store.document import MapDocument, write_new_file
from desktop.store.schema import SCHEMA_VERSION
from tests.document.crash_worker import REPO, big_map

HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "pydantic_core")

REPORT = """
import json
heavy = sorted({name.split(".")[0] for name in sys.modules} & set(HEAVY))
print(json.dumps(heavy))
"""


def run_fresh(code: str) -> list[str]:
    """Run `code` in a new interpreter; returns the heavy packages it had imported by the end."""
    script = f"import sys\nHEAVY = {HEAVY!r}\n" + textwrap.dedent(code) + REPORT
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120, env=env
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_opening_loading_writing_and_listing_versions_import_no_sqlalchemy(tmp_path):
    path = tmp_path / "existing.distarch"
    write_new_file(path, big_map(40))
    heavy = run_fresh(
        f"""
        from pathlib import Path

        from desktop.document.repository import ScoreStamp
        from desktop.domain import operations as ops
        from desktop.domain.edits import apply_all
        from desktop.domain.layers import Layer
        from desktop.store import versions
        from desktop.store.document import MapDocument

        path = Path({str(path)!r})
        with MapDocument.open(path) as doc:
            assert not doc.read_only, doc.read_only_reason
            assert doc.schema_version == {SCHEMA_VERSION}
            arch = doc.load()
            assert len(arch) == 40
            edits = ops.add_channel(arch, "Added without SQLAlchemy", Layer.ROUTING)
            apply_all(arch, edits)
            doc.write(edits, ScoreStamp(61.5, {{"coverage": 0.5}}))
            doc.append_score(ScoreStamp(62.0, {{}}))
            assert [p.score for p in doc.score_history()] == [61.5, 62.0]
            assert doc.score_history(limit=1)[0].score == 62.0
            doc.set_setting("theme", "dark")
            assert doc.setting("theme") == "dark"
            assert versions.list_versions(doc) == []
            versions.save_version(doc, "As-is", "", arch, 62.0)
            assert [v.name for v in versions.list_versions(doc)] == ["As-is"]
            assert len(versions.load_version(doc, "as-is")) == 41
            doc.save_copy(path.with_name("copy.distarch"))
            with MapDocument.open(path) as second:  # another window: read-only
                assert second.read_only
                assert len(second.load()) == 41
        with MapDocument.open(path.with_name("copy.distarch"), read_only=True) as copy:
            assert copy.load().channel_by_name("Added without SQLAlchemy") is not None
        """
    )
    assert heavy == []
    with MapDocument.open(path, read_only=True) as doc:  # what the fresh process wrote is all there
        assert doc.load().channel_by_name("Added without SQLAlchemy") is not None
        assert doc.setting("theme") == "dark"


@pytest.mark.parametrize("module", ["desktop.commands.session", "desktop.ui.main_window", "desktop.app"])
def test_importing_the_window_imports_no_sqlalchemy(module):
    assert run_fresh(f"import {module}") == []


def test_the_window_opening_a_map_imports_no_sqlalchemy(tmp_path):
    path = tmp_path / "window.distarch"
    write_new_file(path, big_map(20))
    heavy = run_fresh(
        f"""
        import os
        os.environ["DISTARCH_CONFIG_HOME"] = {str(tmp_path / "config")!r}
        from PySide6.QtWidgets import QApplication

        from desktop.app import MainWindow

        app = QApplication([])
        window = MainWindow({str(path)!r})
        window.show()
        app.processEvents()
        assert window.session is not None and not window.session.read_only
        assert len(window.session.map) == 20
        window.scenarios.versions()
        window.close()
        """
    )
    assert heavy == []
