"""Fixtures of the store's reliability tests: one fork server (tests/document/crash_worker.py) for all."""

from __future__ import annotations

import json
import os
import sys

import pytest

from tests.document.crash_worker import ForkServer


@pytest.fixture(scope="session")
def fork_server():
    """Imports the app once; every crash trial and CLI run forks a child from it (POSIX only)."""
    if not hasattr(os, "fork"):
        pytest.skip("the reliability tests fork child processes (POSIX only)")
    server = ForkServer()
    yield server
    server.close()


def pytest_terminal_summary(terminalreporter) -> None:
    """The README's Reliability figures, a report after the run (not a test): what the crash trials did."""
    trials = sys.modules.get("tests.store.test_crash_safety")
    stats = getattr(trials, "STATS", None)
    if stats:
        rounded = {key: round(value, 2) for key, value in stats.items()}
        terminalreporter.write_line(f"reliability: {json.dumps(rounded)}")
