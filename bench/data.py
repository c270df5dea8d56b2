"""Figures with no drawing: the coherence score at growing sizes, and a 20,000-row CSV import.

The score runs after every edit, so it must stay linear; its baseline is its
own cost per channel at the smallest size. The import's baseline is the
standard library's csv reader on the same file: the part of the work no
checking can avoid.
"""

from __future__ import annotations

import csv
from pathlib import Path

from bench.maps import make_map, write_inventory_csv
from bench.report import Figure, samples
from desktop.domain.coherence import assess
from desktop.domain.model import ArchitectureMap

SCORE_SIZES = (100, 500, 1_000, 10_000)
LINEAR_SLACK = 1.5  # the cost per channel may grow this much from the smallest size to the largest


def score(runs: int) -> list[Figure]:
    figures = []
    per_channel: dict[int, float] = {}
    for n in SCORE_SIZES:
        arch = make_map(n)
        fresh = [arch]

        def copy(a: ArchitectureMap = arch, box: list[ArchitectureMap] = fresh) -> None:
            box[0] = a.copy()  # a map the engine has kept nothing of (as on opening it, or in `score`)

        count = runs if n < 10_000 else max(3, runs // 2)
        times = samples(lambda box=fresh: assess(box[0]), count, before=copy)
        figure = Figure(f"Score from scratch (nothing kept), {n:,} channels", times)
        per_channel[n] = figure.median / n
        if n == 500:
            figure.check(under=0.005)
        figures.append(figure)
    smallest, largest = SCORE_SIZES[0], SCORE_SIZES[-1]
    growth = [per_channel[largest] * 1e6]
    linear = Figure(
        f"Score cost per channel, {largest:,} vs {smallest:,} channels",
        growth,
        [per_channel[smallest] * 1e6],
        unit="µs/ch",
    )
    linear.target = f"linear (≤ {LINEAR_SLACK:g}×)"
    linear.met = linear.ratio is not None and linear.ratio <= LINEAR_SLACK
    figures.append(linear)
    return figures


CLI_SCORE_CHANNELS = 10_000
CLI_SCORE_RATIO = 3.0  # issue 14: within 3× of scoring an empty map of the same format


def cli_score(folder: Path, runs: int, channels: int = CLI_SCORE_CHANNELS) -> list[Figure]:
    """`main.py score` of a large map against an empty map of the same format, each run a new process.

    The .json map has no positions (as a hand-written or exported inventory): `score` must not lay
    out cards it never draws. The .distarch map was checked when it was opened by the store.
    """
    import compileall
    import subprocess
    import sys
    from dataclasses import replace

    from desktop.domain import interchange
    from desktop.domain.model import ArchitectureMap
    from desktop.store.document import write_new_file

    folder.mkdir(parents=True, exist_ok=True)
    arch = make_map(channels)
    loose = ArchitectureMap.build([replace(c, x=None, y=None) for c in arch.channels], arch.flows, arch.info)
    files = {
        ".distarch": (folder / "big.distarch", folder / "empty.distarch"),
        ".json": (folder / "big.json", folder / "empty.json"),
    }
    write_new_file(files[".distarch"][0], arch, overwrite=True)
    write_new_file(files[".distarch"][1], ArchitectureMap(), overwrite=True)
    files[".json"][0].write_text(interchange.dumps(loose, compact=True), encoding="utf-8")
    files[".json"][1].write_text(interchange.dumps(ArchitectureMap(), compact=True), encoding="utf-8")
    main = Path(__file__).resolve().parents[1] / "main.py"
    # Both runs start from compiled bytecode, as an installed app does (see startup.cold_start): a work
    # tree run with PYTHONDONTWRITEBYTECODE would compile every module in both and hide the difference.
    compileall.compile_dir(main.parent / "desktop", quiet=1)

    def score(path: Path) -> None:
        subprocess.run([sys.executable, str(main), "score", str(path)], check=True, capture_output=True)

    figures = []
    for suffix, (big, empty) in files.items():
        ours, base = [], []
        for _ in range(runs):  # interleaved, so that a busy moment slows both
            ours += samples(lambda b=big: score(b), 1)
            base += samples(lambda e=empty: score(e), 1)
        figure = Figure(f"CLI score of a {channels:,}-channel {suffix} map", ours, base)
        figure.note = f"baseline: score of an empty {suffix} map"
        figures.append(figure.check(max_ratio=CLI_SCORE_RATIO))
    return figures


def csv_import(folder: Path, rows: int, runs: int) -> Figure:
    from desktop.io.tables import read_inventory

    path = write_inventory_csv(folder / f"inventory-{rows}.csv", rows)

    def bare() -> None:
        with path.open(newline="", encoding="utf-8") as f:
            list(csv.reader(f))

    ours, base = [], []
    for _ in range(runs):
        ours += samples(lambda: read_inventory(path), 1)
        base += samples(bare, 1)
    figure = Figure(f"Import a {rows:,}-row CSV inventory", ours, base)
    figure.note = "baseline: Python's csv reader"
    return figure


def score_after_edits(runs: int, channels: int = 500) -> list[Figure]:
    """The score right after a rename and after a new flow, as the window scores after each edit.

    The engine keeps what it derived from a map between runs for as long as its inputs are the same
    objects (the figures above score a fresh copy each time, so that nothing is kept); after an edit
    only part of it still holds. Each sample applies an edit (or its undo) untimed, then times the score.
    """
    from desktop.domain import operations as ops
    from desktop.domain.edits import Edit, apply_all
    from desktop.domain.layers import Layer

    arch = make_map(channels)
    capture = [c for c in arch.channels if c.layer is Layer.CAPTURE]
    card = capture[len(capture) // 2]
    free = [c.id for c in arch.channels if c.layer is Layer.ROUTING and arch.flow(card.id, c.id) is None]
    assess(arch)
    undo: list[Edit] = []
    count = [0]

    def edit(kind: str) -> None:
        nonlocal undo
        if undo:
            apply_all(arch, undo)
            undo = []
            return
        count[0] += 1
        if kind == "rename":
            edits = ops.update_channel(arch, card.id, name=f"{card.name} ({count[0]})")
        else:
            edits = ops.connect(arch, card.id, free[count[0] % len(free)])
        undo = apply_all(arch, edits)

    figures = []
    for kind, label in (("rename", "renaming a card"), ("connect", "connecting two cards")):
        times = samples(lambda: assess(arch), max(40, runs * 10), before=lambda k=kind: edit(k))
        if undo:
            edit(kind)
        figures.append(Figure(f"Score after {label}, {channels:,} channels", times).check(under=0.005))
    return figures
