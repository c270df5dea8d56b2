"""Run in its own process on a sized offscreen screen: present a map and report where every card shows.

`python -m tests.ui.present_probe WIDTH HEIGHT CHANNELS [SHOT.png]` prints one JSON object: the screen,
the visible canvas (between the top bar and the quick-add bar), every card's rectangle on screen and
the channel names' pixel height. tests/ui/test_present_screens.py runs it at projector sizes.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path


def sized_platform(width: int, height: int) -> str:
    """A QT_QPA_PLATFORM value for an offscreen screen of this size (the plugin's default is 800×800)."""
    folder = Path(tempfile.mkdtemp(prefix="screen-"))
    config = folder / "screen.json"
    screen = {"name": "projector", "x": 0, "y": 0, "width": width, "height": height}
    screen.update(logicalDpi=96, logicalBaseDpi=96, dpr=1)
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    return f"offscreen:configfile={config}"


def big_map(count: int):
    """A map of `count` channels spread over the lanes unevenly (the capture lane the tallest), with flows."""
    from desktop.domain import operations as ops
    from desktop.domain.edits import apply_all
    from desktop.domain.layers import LAYERS
    from desktop.domain.model import ArchitectureMap, MapInfo

    arch = ArchitectureMap(info=MapInfo(f"{count} channels"))
    shares = (0.4, 0.15, 0.3, 0.15)
    sizes = [max(1, round(count * s)) for s in shares]
    sizes[0] += count - sum(sizes)
    ids: list[list[str]] = []
    for layer, size in zip(LAYERS, sizes, strict=True):
        lane = []
        for i in range(size):
            edits = ops.add_channel(arch, f"{layer.title} channel {i + 1}", layer)
            apply_all(arch, edits)
            lane.append(edits[0].channel.id)  # type: ignore[union-attr]
        ids.append(lane)
    for a, b in zip(ids, ids[1:], strict=False):
        for i, source in enumerate(a):
            apply_all(arch, ops.connect(arch, source, b[i % len(b)]))
    return arch


def main(argv: list[str]) -> int:
    width, height, count = (int(v) for v in argv[:3])
    shot = argv[3] if len(argv) > 3 else ""
    os.environ["QT_QPA_PLATFORM"] = sized_platform(width, height)
    folder = Path(tempfile.mkdtemp(prefix="probe-"))
    os.environ.setdefault("DISTARCH_CONFIG_HOME", str(folder / "home"))
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from desktop.app import MainWindow
    from desktop.domain.layers import LAYERS
    from desktop.store.document import write_new_file

    path = folder / "big.distarch"
    write_new_file(path, big_map(count))
    window = MainWindow(path)
    window.show()
    app.processEvents()
    window.actions_by_name["present"].trigger()
    for _ in range(5):
        app.processEvents()
    mode = window.present_mode
    mode.fit()
    window.scene.set_revealed(len(LAYERS))
    app.processEvents()
    view = window.view
    port = view.viewport().geometry()  # in the view's coordinates
    top = view.mapTo(window, port.topLeft())
    visible = [top.x(), top.y(), port.width(), port.height()]
    cards = {}
    for cid, item in window.scene.channel_items.items():
        rect = view.mapFromScene(item.mapRectToScene(item.card_rect())).boundingRect()
        corner = view.viewport().mapTo(window, rect.topLeft())
        cards[cid] = [corner.x(), corner.y(), rect.width(), rect.height()]
    screen = window.screen().geometry()
    result = {
        "screen": [screen.width(), screen.height()],
        "window": [window.width(), window.height()],
        "visible": visible,
        "bars": [mode.bar.geometry().bottom(), mode.quick.geometry().top()],
        "cards": cards,
        "name_px": mode.name_px_on_screen(),
        "headers": [
            view.mapFromScene(lane.sceneBoundingRect().topLeft()).y() for lane in window.scene.lanes.values()
        ],
    }
    if shot:
        window.grab().save(shot)
    print(json.dumps(result))
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
