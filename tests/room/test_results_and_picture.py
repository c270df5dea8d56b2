"""The room's results travel with the map (file setting, JSON key `room`, printed in PDF); the phones'
picture holds only the revealed lanes, as plain pixels; aiohttp and segno load only when a room opens."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from desktop.domain import interchange
from desktop.domain.coherence import assess
from desktop.io.images import ensure_gui_app
from desktop.io.room_picture import room_map, room_picture
from desktop.resources import sample_map_path
from desktop.room.votes import ROOM_KEY, VoteResult, VoteResults
from desktop.store.document import MapDocument  # the test reads the file as another program would
from tests.cli.test_cli import cli
from tests.room.phones import Phone
from tests.ui.helpers import new_map_file

RESULTS = VoteResults(
    (
        VoteResult("Trade shows reaches SDR outreach only by bypassing routing", ("c4",), 7),
        VoteResult("G2 reviews has no flow in or out", ("c9",), 2),
    ),
    voters=4,
)


def test_results_travel_through_json_and_print_in_the_pdf(tmp_path: Path) -> None:
    source = new_map_file(tmp_path, "a.distarch", sample=True)
    with MapDocument.open(source) as doc:
        doc.set_setting(ROOM_KEY, RESULTS.dumps())
    exported = tmp_path / "a.json"
    assert cli("export", str(source), "--to", str(exported)).returncode == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert VoteResults.from_dict(data["room"]) == RESULTS
    assert interchange.from_dict(data)  # still a valid interchange map
    again = tmp_path / "b.distarch"
    assert cli("import", str(exported), "--into", str(again)).returncode == 0
    with MapDocument.open(again, read_only=True) as doc:
        assert VoteResults.loads(doc.setting(ROOM_KEY)) == RESULTS
    pdf = tmp_path / "a.pdf"
    assert cli("export", str(again), "--to", str(pdf)).returncode == 0
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Room vote" in text and "4 voted" in text
    assert "Trade shows reaches SDR outreach only by bypassing routing" in text


def test_a_map_without_a_vote_exports_json_without_the_key(tmp_path: Path) -> None:
    source = new_map_file(tmp_path, "a.distarch", sample=True)
    exported = tmp_path / "a.json"
    assert cli("export", str(source), "--to", str(exported)).returncode == 0
    assert ROOM_KEY not in json.loads(exported.read_text(encoding="utf-8"))


def test_the_phones_picture_shows_only_the_revealed_lanes_and_no_data() -> None:
    ensure_gui_app()
    arch = interchange.loads(sample_map_path().read_bytes())
    shown = room_map(arch, 2)
    assert {c.layer.value for c in shown.iter_channels()} == {"capture", "routing"}
    assert all(not c.notes and c.monthly_spend is None and not c.tool for c in shown.iter_channels())
    assert all(not f.rule and not f.label for f in shown.flows)
    picture = room_picture(arch, assess(arch), 2)
    assert picture.startswith(b"\x89PNG")
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"distribution-architecture"):
        assert chunk not in picture


def test_the_window_starts_without_aiohttp_or_segno(tmp_path: Path) -> None:
    code = (
        "import sys; from PySide6.QtWidgets import QApplication; app = QApplication([]);"
        "from desktop.app import MainWindow; w = MainWindow(sys.argv[1]);"
        "print(sorted(m for m in ('aiohttp', 'segno') if m in sys.modules))"
    )
    path = new_map_file(tmp_path, sample=True)
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stderr


def test_a_participant_past_the_limit_is_refused_over_http(qtbot, room_window) -> None:
    from tests.room.conftest import open_room

    window, _path = room_window
    phone = Phone(open_room(qtbot, window)).join()
    statuses = [phone.suggest(f"Idea {i}").status for i in range(31)]
    assert statuses[:30] == [201] * 30 and statuses[30] == 429
    assert "30 suggestions a minute" in phone.suggest("one more").json()["error"]
    qtbot.waitUntil(lambda: sum(len(g.suggestions) for g in window.room.model.groups) == 30)
