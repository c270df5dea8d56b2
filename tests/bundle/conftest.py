"""The bundle tests run only when asked for by path (`make bundle-test`), never in `make test`.

They need a built `dist/distribution-architect/` (about a minute and a half to
build), so a plain `pytest` over `tests/` leaves them out instead of skipping them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def _requested(config: pytest.Config) -> bool:
    for arg in config.args:
        target = Path(str(arg).split("::", 1)[0]).resolve()
        if target == HERE or HERE in target.parents:
            return True
    return False


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if collection_path.suffix == ".py" and collection_path.name.startswith("test_"):
        return True if not _requested(config) else None
    return None
