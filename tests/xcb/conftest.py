"""Key-binding tests on the real `xcb` platform (X11), run under Xvfb by `make test`.

The offscreen platform uses a Windows-like key scheme (Ctrl+Y is Redo there),
so a binding that works in the main suite may do nothing on Linux. These tests
are collected only when `QT_QPA_PLATFORM=xcb` (the Makefile's second pytest
run, under `xvfb-run`); a run that asks for them but cannot reach an X server
fails instead of skipping when `CI` is set.
"""

from __future__ import annotations

import os

import pytest

if os.environ.get("QT_QPA_PLATFORM", "") != "xcb":
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture(autouse=True)
def _on_xcb(qapp):
    platform = qapp.platformName()
    if platform != "xcb":
        message = f"these key-binding tests need the xcb platform, got {platform!r}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
