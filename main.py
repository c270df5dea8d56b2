"""Entry point: `python main.py` opens the window; `python main.py COMMAND ...` runs headless."""

from __future__ import annotations

import sys

from desktop.cli import run
from desktop.process_exit import exit_now

if __name__ == "__main__":
    exit_now(run(sys.argv[1:]))
