"""The table `make bench` prints: per figure the median of several runs, the bare-Qt median of the same run, the ratio and the target.

Medians, not means, because other programs on a shared machine add long
outliers; ratios because the same noise slows the baseline too.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Figure:
    """One row: what was measured, our samples, the baseline's, and whether the target is met."""

    name: str
    ours: list[float]
    bare: list[float] = field(default_factory=list)
    unit: str = "s"
    target: str = ""
    met: bool | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.ours) if self.ours else float("nan")

    @property
    def bare_median(self) -> float | None:
        return statistics.median(self.bare) if self.bare else None

    @property
    def ratio(self) -> float | None:
        bare = self.bare_median
        return self.median / bare if bare else None

    def check(self, max_ratio: float | None = None, under: float | None = None) -> Figure:
        """Set `met` (and the target's text) from a ratio limit and/or an absolute limit in `unit`s."""
        parts, met = [], True
        if max_ratio is not None:
            parts.append(f"≤ {max_ratio:g}×")
            met = met and self.ratio is not None and self.ratio <= max_ratio
        if under is not None:
            parts.append(f"< {show(under, self.unit)}")
            met = met and self.median < under
        self.target = ", ".join(parts)
        self.met = met if parts else None
        return self


def show(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "s":
        if value < 1e-3:
            return f"{value * 1e6:.0f} µs"
        if value < 1:
            return f"{value * 1e3:.1f} ms"
        return f"{value:.2f} s"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "µs/ch":
        return f"{value:.1f} µs/channel"
    return f"{value:g} {unit}"


def samples(work: Callable[[], object], runs: int, before: Callable[[], object] | None = None) -> list[float]:
    """Wall-clock seconds of `work()` over `runs` runs; `before()` runs untimed ahead of each."""
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return times


def table(figures: list[Figure]) -> str:
    lines = [
        "| Figure | Ours (median) | Bare Qt (median) | Ratio | Target | Met |",
        "|---|---:|---:|---:|---|:---:|",
    ]
    for f in figures:
        ratio = f"{f.ratio:.2f}×" if f.ratio is not None else "—"
        met = {True: "yes", False: "**no**", None: "—"}[f.met]
        name = f"{f.name} ({f.note})" if f.note else f.name
        lines.append(
            f"| {name} | {show(f.median if f.ours else None, f.unit)} | {show(f.bare_median, f.unit)} "
            f"| {ratio} | {f.target or '—'} | {met} |"
        )
    return "\n".join(lines)


def machine() -> str:
    """The machine line under the table: cores, CPU model, load, Python and PySide6 versions."""
    import PySide6

    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        model = platform.processor() or model
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (
        f"{os.cpu_count()} cores ({model}), load average {load}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, PySide6 {PySide6.__version__}; "
        f"Qt platform {os.environ.get('QT_QPA_PLATFORM') or 'default'}"
    )
