"""Fixtures of the store's reliability tests: one fork server (tests/store/crash_worker.py) for all."""

from __future__ import annotations

import os

import pytest

from tests.store.crash_worker import ForkServer


@pytest.fixture(scope="session")
def fork_server():
    """Imports the app once; every crash trial and CLI run forks a child from it (POSIX only)."""
    if not hasattr(os, "fork"):
        pytest.skip("the reliability tests fork child processes (POSIX only)")
    server = ForkServer()
    yield server
    server.close()
