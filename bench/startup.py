"""Whole-process figures: cold start to the first painted window, and the memory peak of a big map.

A process is timed from spawn to the `first-paint` line it prints (the app
prints it when DISTARCH_BENCH_FIRST_PAINT is set, see desktop/app.py) and its
peak resident memory comes from the kernel (`wait4`), so nothing inside the
process has to measure itself.
"""

from __future__ import annotations

import compileall
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bench.report import Figure

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "distribution-architect" / "distribution-architect"
MARKER = "first-paint"
PANELS = "panels-painted"  # the app's coherence panel, filled just after the first frame, has painted


# Peak memory is read by a small Python parent: a child forked from this (big) process
# would otherwise report this process's memory at fork time as its own peak.
PEAK = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:]); "
    "print('peak-kb', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, flush=True)"
)


@dataclass
class Run:
    first_paint: float | None  # seconds from spawn; None when the marker never came
    exited: float
    peak_mb: float
    panels: float | None = None  # seconds from spawn to the filled panels' first paint (the app only)


def run_process(command: list[str], env: dict[str, str], timeout: float = 120.0) -> Run:
    """Spawn `command`, wait for its first-paint line and its exit; a process past `timeout` is killed."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    painted: list[float] = []
    panels: list[float] = []
    lines: list[str] = []
    seen = threading.Event()

    def watch() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.strip())
            if line.strip() == MARKER and not painted:
                painted.append(time.perf_counter() - start)
                seen.set()
            elif line.strip() == PANELS and not panels:
                panels.append(time.perf_counter() - start)

    reader = threading.Thread(target=watch, daemon=True)
    reader.start()
    if not seen.wait(timeout):
        proc.kill()
    _, _, usage = os.wait4(proc.pid, 0)
    exited = time.perf_counter() - start
    proc.returncode = 0
    reader.join(5)
    peak_kb = next((int(x.split()[1]) for x in lines if x.startswith("peak-kb ")), usage.ru_maxrss)
    return Run(painted[0] if painted else None, exited, peak_kb / 1024, panels[0] if panels else None)


def process_env(config_home: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["DISTARCH_CONFIG_HOME"] = str(config_home)
    env["DISTARCH_BENCH_FIRST_PAINT"] = "1"
    env.update(extra)
    return env


def cold_start(config_home: Path, runs: int) -> list[Figure]:
    """The app (the sample map, as a user's first double-click after install) and the bundle, against a bare process."""
    env = process_env(config_home)
    # An installed app starts from compiled bytecode (pip and PyInstaller compile it); a work tree
    # run with PYTHONDONTWRITEBYTECODE would compile every module on every start instead.
    compileall.compile_dir(ROOT / "desktop", quiet=1)
    app = [sys.executable, str(ROOT / "main.py")]
    bare = [sys.executable, "-m", "bench.bare_qt", "start"]
    run_process(app, env)  # makes the user's sample copy and warms the file cache, untimed
    run_process(bare, env)
    ours: list[float] = []
    full: list[float] = []
    base: list[float] = []
    for _ in range(runs):  # interleaved, so a burst of load hits both
        run = run_process(app, env)
        ours.append(_painted(run))
        if run.panels is not None:
            full.append(run.panels)
        base.append(_painted(run_process(bare, env)))
    figures = [
        Figure("Cold start to first paint, sample map (python main.py)", ours, base).check(max_ratio=1.5),
        Figure(
            "Cold start until the palette and coherence panel are filled and painted (same runs)",
            full,
            base,
            note="the window paints its map first and fills these panels in the next event-loop turn",
        ),
    ]
    if not BUNDLE.exists():
        figures.append(Figure("Cold start, bundle", [], note="skipped: no dist/ bundle, run `make bundle`"))
        return figures
    probe = run_process([str(BUNDLE)], env, timeout=30)
    if probe.first_paint is None:
        note = "skipped: this bundle predates the first-paint hook, run `make bundle`"
        figures.append(Figure("Cold start, bundle", [], note=note))
        return figures
    bundled = [_painted(run_process([str(BUNDLE)], env)) for _ in range(runs)]
    figures.append(Figure("Cold start to first paint, bundle", bundled, base).check(max_ratio=1.5))
    return figures


def memory_peak(map_path: Path, channels: int, config_home: Path) -> Figure:
    """Peak resident memory of the app holding the map open and painted, against a bare scene of the same size."""
    env = process_env(config_home)
    peak = [sys.executable, "-c", PEAK, sys.executable]
    ours = run_process([*peak, str(ROOT / "main.py"), str(map_path)], env, timeout=600)
    bare = run_process([*peak, "-m", "bench.bare_qt", "hold", str(channels)], env, timeout=600)
    figure = Figure(
        f"Memory peak, {channels:,}-channel map open and painted", [ours.peak_mb], [bare.peak_mb], unit="MB"
    )
    if ours.first_paint is not None:
        figure.note = f"that process painted after {ours.first_paint:.1f} s"
    return figure


def _painted(run: Run) -> float:
    if run.first_paint is None:
        raise RuntimeError("a benchmark process never painted its window")
    return run.first_paint
