"""What a cold start skips: PySide6 reading modules' source (ours, the charts' libraries), and collections."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Counts PySide6's source readings (its __feature__ check) while the window's modules import, then
# builds and paints the window the way `python main.py` does, and says whether the collector is back.
PROBE = """
import gc, sys
from desktop import cli
import desktop.ui  # loads PySide6 (as main.py's window does), whose check is then counted
feature = sys.modules["PySide6.support.feature"]
read = []
scan = feature._mod_uses_pyside
feature._mod_uses_pyside = lambda module: read.append(module.__name__) or scan(module)
import desktop.app
print("read", sorted(name for name in read if name.startswith("desktop")))
print("table", feature.pyside_feature_dict["desktop.ui.main_window"], feature.pyside_feature_dict["desktop.domain.model"])
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
def report():
    from desktop.ui import collector
    running = [c.timer.isActive() for c in collector._COLLECTOR]
    print("gc", gc.isenabled(), running, flush=True)
    window = desktop.app._WINDOWS[-1]
    window.coherence.ensure_charts()  # pyqtgraph and numpy: entered before they are imported
    print("charts", window.coherence.component_chart is not None)
    print("libraries", sorted(n for n in read if n.startswith(("numpy", "pyqtgraph"))))
    QApplication.quit()
desktop.app._quit_after_smoke_test = lambda app: QTimer.singleShot(500, report)  # once the app exists
sys.exit(cli.run([]))
"""


def _probe(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DISTARCH_CONFIG_HOME=str(tmp_path))
    env.pop("DISTARCH_BENCH_FIRST_PAINT", None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    assert {"read", "table", "gc", "charts", "libraries"} <= lines.keys(), done.stdout + done.stderr
    return lines


def test_the_window_starts_without_pyside_reading_our_modules_and_with_the_collector_back_on(tmp_path):
    lines = _probe(tmp_path)
    assert lines["read"] == "[]"  # each reading is about 0.1 ms: a hundred of them at every start
    assert lines["table"] == "0 -1"  # the Qt layer and the Qt-free domain, as PySide6 itself finds them
    assert lines["gc"] == "False [True]"  # paused for the start, then collected on the GUI thread only
    assert lines["charts"] == "True"
    assert lines["libraries"] == "[]"  # nor those of the coherence panel's charts (about 20 ms)


def test_the_qt_free_layers_never_mention_pyside6_so_their_entries_are_what_pyside6_would_find():
    from desktop.ui.feature_table import QT_FREE

    package = ROOT / "desktop"
    for layer in QT_FREE:
        for path in (package / layer).rglob("*.py"):
            assert "PySide6" not in path.read_text(encoding="utf-8"), path


def test_a_module_pyside6_already_knows_keeps_its_entry(qapp):
    from desktop.ui.feature_table import fill_feature_table

    table = sys.modules["PySide6.support.feature"].pyside_feature_dict
    table["desktop.canvas.view"], before = 7, table.get("desktop.canvas.view")
    try:
        fill_feature_table()
        assert table["desktop.canvas.view"] == 7
    finally:
        table["desktop.canvas.view"] = before if before is not None else 0
