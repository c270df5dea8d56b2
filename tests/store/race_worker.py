"""A command-line run that pauses just before it commits a new map: `race_worker.py GATE ARGS...`.

The racing-creator tests start two of these on the same new file. Each passes
the "does the file exist?" check, writes GATE.reached and waits until the test
creates GATE, so the test decides who commits first; then the command goes on
exactly as `main.py ARGS` would, and exits with its status.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import desktop.store.document as document  # noqa: E402
from desktop.cli import run_command  # noqa: E402


def main() -> int:
    gate, *args = sys.argv[1:]
    real_migrate = document.migrate

    def paused_migrate(conn, path, version, **kwargs):
        if path is None:  # building a new file: the existence check has passed
            Path(f"{gate}.reached").touch()
            deadline = time.monotonic() + 120
            while not Path(gate).exists() and time.monotonic() < deadline:
                time.sleep(0.02)
        return real_migrate(conn, path, version, **kwargs)

    document.migrate = paused_migrate
    return run_command(args)


if __name__ == "__main__":
    sys.exit(main())
