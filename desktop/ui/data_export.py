"""File → Export Data… (Ctrl+Shift+E): the open map's channels as CSV, a workbook, or the map as JSON.

The data goes to people who live in spreadsheets and to other tools, so the
window writes exactly what the command line's `export` writes
(`desktop.io.tables`, `interchange`): CSV is the channel inventory that
imports back; XLSX adds the flows, the coherence findings and the spend and
leads per layer; JSON is the whole map. Files are replaced atomically, and a
failure is shown with the reason and leaves any old file as it was.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication, QFileDialog

from desktop.domain import interchange
from desktop.domain.errors import MapError
from desktop.io.atomic import write_text
from desktop.io.tables import write_channels_csv, write_workbook
from desktop.ui import settings

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

FOLDER_KEY = "export_data_folder"
FILTERS: dict[str, str] = {
    ".csv": "Channels as CSV (*.csv)",
    ".xlsx": "Workbook: channels, flows, findings, economics (*.xlsx)",
    ".json": "Map as JSON (*.json)",
}
WHAT = {".csv": "the channels", ".xlsx": "channels, flows, findings and economics", ".json": "the map"}


def ask_export_path(window: MainWindow) -> Path | None:
    """The file to write, with the suffix of the chosen filter when the name has none of ours."""
    session = window.session
    assert session is not None
    stem = re.sub(r'[\\/:*?"<>|]+', " ", session.map.info.name).strip() or "map"
    folder = Path(settings.get(FOLDER_KEY, str(Path(session.repository.location).parent)))
    chosen = settings.get(FOLDER_KEY + "_filter", FILTERS[".xlsx"])
    name, selected = QFileDialog.getSaveFileName(
        window, "Export Data", str(folder / f"{stem}.xlsx"), ";;".join(FILTERS.values()), chosen
    )
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() not in FILTERS:
        suffix = next((s for s, f in FILTERS.items() if f == selected), ".xlsx")
        path = path.with_name(path.name + suffix)
    settings.put(FOLDER_KEY, str(path.parent))
    settings.put(FOLDER_KEY + "_filter", FILTERS[path.suffix.lower()])
    return path


def write_data(window: MainWindow, path: Path) -> bool:
    """Write the open map's data to `path` by its suffix; a failure is shown and returns False."""
    session = window.session
    if session is None:
        return False
    suffix = path.suffix.lower()
    QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
    try:
        if suffix == ".csv":
            write_channels_csv(session.map, path)
        elif suffix == ".xlsx":
            write_workbook(session.map, session.report, path)
        elif suffix == ".json":
            write_text(path, _map_json(window))
        else:
            raise MapError(f"{path.name}: Export Data writes .csv, .xlsx or .json")
    except (MapError, OSError) as exc:
        reason = str(exc) if isinstance(exc, MapError) else f"{exc.strerror or exc} ({path})"
        window.show_problem("The data could not be exported", reason)
        return False
    finally:
        QApplication.restoreOverrideCursor()
    window.flash(f"Exported {WHAT[suffix]} to {path.name}")
    return True


def export_data(window: MainWindow) -> bool:
    """File → Export Data…: ask for a file, then write it."""
    if window.session is None:
        return False
    path = ask_export_path(window)
    return path is not None and write_data(window, path)


def _map_json(window: MainWindow) -> str:
    """The map's interchange JSON, with the workshop room's vote (key `room`) when it has one."""
    from desktop.room.votes import ROOM_KEY, VoteResults, interchange_with_room

    assert window.session is not None
    results = VoteResults.loads(window.session.repository.setting(ROOM_KEY))
    return interchange_with_room(interchange.to_dict(window.session.map), results)
