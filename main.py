"""Entry point: `python main.py` opens the window; `python main.py COMMAND ...` runs headless."""

from __future__ import annotations

import sys

from desktop.cli import run

if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
