"""Present mode on projector-sized screens: every card of a 40-channel map is on screen and readable.

Each size runs in its own process (tests/ui/present_probe.py), on an offscreen screen of that size:
the platform's screen is fixed when the application starts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.ui.present import MIN_NAME_SHARE

ROOT = Path(__file__).resolve().parents[2]


def probe(width: int, height: int, channels: int) -> dict:
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)
    run = subprocess.run(
        [sys.executable, "-m", "tests.ui.present_probe", str(width), str(height), str(channels)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


def inside(card: list[int], area: list[int]) -> bool:
    x, y, w, h = card
    ax, ay, aw, ah = area
    return x >= ax and y >= ay and x + w <= ax + aw and y + h <= ay + ah


@pytest.mark.parametrize("width, height", [(1920, 1080), (1280, 720)])
def test_every_card_of_a_40_channel_map_is_on_screen_and_readable(width, height):
    result = probe(width, height, 40)
    assert result["screen"] == [width, height]
    assert result["window"] == [width, height]
    top_bar_bottom, quick_bar_top = result["bars"]
    visible = result["visible"]
    assert visible[1] > top_bar_bottom and visible[1] + visible[3] <= quick_bar_top + 1
    cards = result["cards"]
    assert len(cards) == 40
    hidden = [cid for cid, rect in cards.items() if not inside(rect, visible)]
    assert hidden == []
    assert result["name_px"] >= MIN_NAME_SHARE * height  # wrapped into columns, not shrunk
    assert all(y >= 0 for y in result["headers"])  # the lane headers at the top, on screen
