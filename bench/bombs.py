"""Hostile workbooks: what refusing a shared-strings bomb costs (issue 17: goal < 10 s and < 500 MB).

The first bomb is the one the issue measured (a small XLSX whose
sharedStrings.xml unpacks to 480 MB: 428 s and 2.8 GB before the limits);
the second stays under the per-part byte cap, so it is refused by counting
its strings while they are decompressed. Each import runs in a fresh process,
so its peak memory (ru_maxrss) is its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

from bench.report import Figure

PROBE = """
import json, resource, sys, time
start = time.perf_counter()
from desktop.io.tables import InventoryError, read_inventory
try:
    read_inventory(sys.argv[1])
    message = "imported"
except InventoryError as exc:
    message = str(exc.problems[0])
print(json.dumps({"seconds": time.perf_counter() - start, "message": message,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    b' count="3" uniqueCount="3"><si><t>name</t></si><si><t>layer</t></si><si><t>Ads</t></si>'
)


def make_bomb(path: Path, unpacked: int, piece: bytes) -> Path:
    """A valid one-sheet workbook whose sharedStrings.xml is `unpacked` bytes of `piece`."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "channels"
    book.active.append(["name", "layer"])
    book.active.append(["Ads", "capture"])
    book.save(path)
    with zipfile.ZipFile(path) as source:
        parts = {n: source.read(n) for n in source.namelist() if n != "xl/sharedStrings.xml"}
    block = piece * (2**20 // len(piece))
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(HEAD)
            for _ in range(unpacked // len(block)):
                part.write(block)
            part.write(b"</sst>")
    return path


def refusal(folder: Path) -> list[Figure]:
    root = Path(__file__).resolve().parents[1]
    cases = [
        ("480 MB of shared strings", 480 * 2**20, b"<si><t>" + b"A" * 4000 + b"</t></si>"),
        ("120 MB, 7 million shared strings", 120 * 2**20, b"<si><t>x</t></si>"),
    ]
    figures: list[Figure] = []
    for label, unpacked, piece in cases:
        path = make_bomb(folder / f"bomb-{unpacked}.xlsx", unpacked, piece)
        done = subprocess.run(
            [sys.executable, "-c", PROBE, str(path)], cwd=root, capture_output=True, text=True, timeout=900
        )
        if done.returncode != 0:
            raise RuntimeError(done.stderr)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        size = f"{path.stat().st_size / 2**20:.1f} MB file"
        refused = result["message"] != "imported"
        seconds = Figure(f"Refuse an XLSX bomb: {label} ({size})", [result["seconds"]]).check(under=10.0)
        seconds.met = seconds.met and refused
        seconds.note = "refused" if refused else "IMPORTED"
        memory = Figure(f"Memory peak refusing it: {label}", [result["peak_mb"]], unit="MB").check(under=500)
        figures += [seconds, memory]
    return figures
