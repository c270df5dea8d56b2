"""`python -m bench` (`make bench`): run every figure, print the table and write it to bench/latest.md.

Not part of `make test`: it takes minutes and its numbers depend on the
machine. `--quick` runs fewer repeats and skips the 10,000-channel sizes, for
a look while working; `--only WORD` runs the figures whose group contains WORD
(start, score, import, bomb, open, drag, save, export, room, library, live, memory).
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench.report import Figure, machine, table

LATEST = Path(__file__).resolve().parent / "latest.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, no 10,000-channel sizes")
    parser.add_argument("--only", default="", help="run only the groups whose name contains this")
    parser.add_argument("--no-write", action="store_true", help="do not write bench/latest.md")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="distarch-bench-"))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["DISTARCH_CONFIG_HOME"] = str(folder / "config")
    began = time.perf_counter()
    try:
        figures = run(folder, args.quick, args.only)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    text = (
        f"Run {datetime.now().strftime('%Y-%m-%d %H:%M')} in {time.perf_counter() - began:.0f} s "
        f"on {machine()}.\n\n{table(figures)}\n"
    )
    print(text)
    if not args.no_write and not args.only and not args.quick:
        LATEST.write_text(text, encoding="utf-8")
    missed = [f.name for f in figures if f.met is False]
    if missed:
        print(f"{len(missed)} target(s) missed: " + "; ".join(missed))
    return 0


def run(folder: Path, quick: bool, only: str) -> list[Figure]:
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    from bench import canvas, data, startup
    from bench.maps import make_map
    from desktop.store.document import write_new_file

    app = QApplication.instance() or QApplication([sys.argv[0]])
    from desktop.ui.collector import collect_on_gui_thread

    collect_on_gui_thread(app)  # as main.py's window collects: on the GUI thread, between events
    runs = 3 if quick else 7
    slow = 2 if quick else 3
    big = (500, 2_000) if quick else (500, 2_000, 10_000)
    figures: list[Figure] = []

    def wanted(group: str) -> bool:
        if only and only not in group:
            return False
        print(f"… {group}", file=sys.stderr, flush=True)
        # What the groups before left behind (their windows, maps and scenes) is deleted and collected
        # now, not in this group's measurements: `processEvents` never runs `deleteLater`'s deletions
        # (an event loop does: the room's loop met every scene of the groups before it), and the
        # collector runs between events, so a group that does not return to the event loop for long
        # leaves its garbage for the next one's first tick.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()
        return True

    if wanted("start"):
        figures += startup.cold_start(folder / "start", slow if quick else 11)
    if wanted("score"):
        figures += data.score(runs)
        figures += data.score_after_edits(runs)
        # A new process per run, as noisy as cold start: as many runs.
        figures += data.cli_score(folder / "cli-score", slow if quick else 11)
    if wanted("import"):
        figures.append(data.csv_import(folder, 20_000, slow))
    if wanted("bomb"):
        from bench import bombs

        figures += bombs.refusal(folder)
    bench = canvas.CanvasBench(folder)
    try:
        if wanted("open"):
            figures += [bench.open_map(n, slow) for n in big]
        if wanted("drag"):
            figures += [bench.drag(n) for n in (500, 2_000)]
        if wanted("save"):
            figures += bench.save_and_undo(500, 15)
        if wanted("export"):
            figures.append(bench.export_png(2_000, slow))
    finally:
        bench.close()
    if wanted("room"):
        from bench import room

        figures += room.figures(quick)
    if wanted("library"):
        from bench import library

        figures += library.figures(folder / "library", slow)
    if wanted("live"):
        from bench import live

        figures += live.figures(quick)
    if wanted("memory"):
        size = 2_000 if quick else 10_000
        own = folder / f"memory-{size}.distarch"
        write_new_file(own, make_map(size))
        figures.append(startup.memory_peak(own, size, folder / "memory-config"))
    del app
    return figures


if __name__ == "__main__":
    sys.exit(main())
