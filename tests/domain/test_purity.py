"""The domain stays pure Python: no Qt, no store (DEVELOPERS.md; import-linter enforces it too)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "desktop" / "domain"
FORBIDDEN = (
    "PySide6",
    "shiboken6",
    "pyqtgraph",
    "sqlmodel",
    "sqlalchemy",
    "desktop.store",
    "desktop.ui",
    "desktop.canvas",
    "desktop.commands",
)


def test_no_domain_module_imports_qt_or_the_store():
    offenders = []
    for path in DOMAIN.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.startswith(FORBIDDEN)]
    assert offenders == []


def test_score_command_never_loads_qt_widgets_or_pyqtgraph(tmp_path):
    code = (
        "import sys; from desktop.cli import run_command; import io, contextlib\n"
        "buf = io.StringIO()\n"
        "with contextlib.redirect_stdout(buf): rc = run_command(['score', sys.argv[1], '--json'])\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'pandas'))]\n"
        "print(rc, bad)"
    )
    sample = Path(__file__).resolve().parents[2] / "resources" / "samples" / "sample.json"
    out = subprocess.run(
        [sys.executable, "-c", code, str(sample)], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "0 []"
