"""The window's actions and menus: File, Edit, View, Help, with standard shortcuts.

Handlers turn an action into edits for `session.perform` or into a window call;
they hold no state of their own.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMenu

from desktop import APP_NAME, __version__
from desktop.canvas.interactions import connect_channels
from desktop.domain import interchange
from desktop.domain import operations as ops
from desktop.domain.errors import MapError
from desktop.domain.layers import LAYERS
from desktop.domain.model import ArchitectureMap, MapInfo
from desktop.resources import template_names, template_path
from desktop.ui import settings

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

MAP_FILTER = "Distribution maps (*.distarch)"
CLIPBOARD_MIME = "application/x-distarch-selection"


def _action(window: MainWindow, name: str, text: str, slot, shortcut=None, tip: str = "") -> QAction:
    action = QAction(text, window)
    action.setObjectName(f"action-{name}")
    if shortcut is not None:
        if isinstance(shortcut, list):
            action.setShortcuts(shortcut)
        else:
            action.setShortcut(shortcut)
    if tip:
        action.setStatusTip(tip)
    action.triggered.connect(slot)
    window.actions_by_name[name] = action
    window.addAction(action)
    return action


def redo_shortcuts() -> list[QKeySequence]:
    """Ctrl+Shift+Z and Ctrl+Y on every platform, each once: the platform's Redo binding already holds one
    of them on Linux, and a sequence listed twice makes Qt refuse both ("Ambiguous shortcut overload")."""
    keys: list[QKeySequence] = []
    for key in (
        QKeySequence("Ctrl+Shift+Z"),
        QKeySequence("Ctrl+Y"),
        *QKeySequence.keyBindings(QKeySequence.StandardKey.Redo),
    ):
        if key not in keys:
            keys.append(key)
    return keys


def build_menus(w: MainWindow) -> None:
    bar = w.menuBar()
    std = QKeySequence.StandardKey

    file_menu = bar.addMenu("&File")
    file_menu.addAction(_action(w, "new", "&New Map…", lambda: new_map(w), std.New))
    templates = file_menu.addMenu("New from &Template")
    for name in template_names():
        templates.addAction(
            _action(
                w,
                f"template-{name}",
                name.replace("-", " ").capitalize() + "…",
                lambda _=False, n=name: new_map(w, n),
            )
        )
    file_menu.addAction(_action(w, "open", "&Open…", lambda: open_map(w), std.Open))
    w.recent_menu = file_menu.addMenu("Open &Recent")
    file_menu.addAction(
        _action(
            w,
            "team-library",
            "Team &Library…",
            lambda: open_team_library(w),
            QKeySequence("Ctrl+Shift+L"),
            "Open, create, publish and manage maps kept on your firm's PostgreSQL server",
        )
    )
    w.recent_menu.aboutToShow.connect(lambda: _fill_recent(w))
    file_menu.addAction(_action(w, "save-as", "Save &As…", lambda: save_as(w), std.SaveAs))
    file_menu.addSeparator()
    w.import_menu_anchor = file_menu.addSeparator()
    w.file_menu = file_menu
    for data_action in (
        _action(
            w,
            "import",
            "&Import…",
            lambda: import_data(w),
            QKeySequence("Ctrl+I"),
            "Import channels from a CSV or XLSX inventory, a JSON map or an exported picture",
        ),
        _action(
            w,
            "export-data",
            "Export &Data…",
            lambda: export_data(w),
            QKeySequence("Ctrl+Shift+E"),
            "Export the channels as CSV, a workbook with flows and findings, or the map as JSON",
        ),
    ):
        file_menu.insertAction(w.import_menu_anchor, data_action)
    file_menu.addAction(
        _action(
            w,
            "export-image",
            "&Export…",
            lambda: export_image(w),
            QKeySequence("Ctrl+E"),
            "Export the map as a PNG, SVG or PDF picture",
        )
    )
    file_menu.addSeparator()
    file_menu.addAction(_action(w, "quit", "&Quit", w.close, std.Quit))

    edit = bar.addMenu("&Edit")
    undo = w.undo_group.createUndoAction(w, "&Undo")
    undo.setShortcuts(std.Undo)
    undo.setObjectName("action-undo")
    redo = w.undo_group.createRedoAction(w, "&Redo")
    redo.setShortcuts(redo_shortcuts())
    redo.setObjectName("action-redo")
    w.actions_by_name["undo"], w.actions_by_name["redo"] = undo, redo
    w.addAction(undo)
    w.addAction(redo)
    edit.addAction(undo)
    edit.addAction(redo)
    edit.addSeparator()
    edit.addAction(_action(w, "cut", "Cu&t", lambda: cut(w), std.Cut))
    edit.addAction(_action(w, "copy", "&Copy", lambda: copy(w), std.Copy))
    edit.addAction(_action(w, "paste", "&Paste", lambda: paste(w), std.Paste))
    edit.addAction(_action(w, "duplicate", "D&uplicate", lambda: duplicate(w), QKeySequence("Ctrl+D")))
    edit.addAction(
        _action(
            w, "delete", "&Delete", lambda: delete(w), [QKeySequence(std.Delete), QKeySequence("Backspace")]
        )
    )
    edit.addAction(_action(w, "select-all", "Select &All", lambda: select_all(w), std.SelectAll))
    edit.addSeparator()
    edit.addAction(
        _action(
            w,
            "connect",
            "Co&nnect Selected",
            lambda: connect_selected(w),
            QKeySequence("Ctrl+L"),
            "Draw a flow from the first selected channel to the second",
        )
    )
    edit.addAction(_action(w, "rename", "Re&name Channel", lambda: rename_selected(w), QKeySequence("F2")))
    edit.addAction(_action(w, "rename-map", "Map &Name…", lambda: rename_map(w)))
    edit.addAction(_action(w, "map-properties", "Map &Properties…", lambda: _map_properties(w)))
    edit.addSeparator()
    edit.addAction(_action(w, "quick-add", "&Quick Add", lambda: focus_quick_add(w), QKeySequence("Ctrl+K")))
    for i, layer in enumerate(LAYERS):
        edit.addAction(
            _action(
                w,
                f"lane-{layer.value}",
                f"Quick-add Lane: {layer.title}",
                lambda _=False, lay=layer: w.palette_dock.set_lane(lay),
                QKeySequence(f"Ctrl+{i + 1}"),
            )
        )

    view = bar.addMenu("&View")
    view.addAction(
        _action(w, "zoom-in", "Zoom &In", w.view.zoom_in, [QKeySequence(std.ZoomIn), QKeySequence("Ctrl+=")])
    )
    view.addAction(_action(w, "zoom-out", "Zoom &Out", w.view.zoom_out, std.ZoomOut))
    view.addAction(_action(w, "fit", "&Fit Map", lambda: w.view.fit(), QKeySequence("Ctrl+0")))
    snap = _action(w, "snap", "&Snap to Grid", lambda checked: _snap(w, checked))
    snap.setCheckable(True)
    snap.setChecked(True)
    view.addAction(snap)
    view.addSeparator()
    theme_menu = view.addMenu("&Theme")
    group = QActionGroup(w)
    for name, title in (
        ("system", "Follow System"),
        ("light", "Light"),
        ("dark", "Dark"),
        ("projector", "Projector"),
    ):
        action = _action(w, f"theme-{name}", title, lambda _=False, n=name: w.apply_theme(n))
        action.setCheckable(True)
        group.addAction(action)
        theme_menu.addAction(action)
    w.view_menu = view
    view.addAction(
        _action(
            w,
            "present",
            "&Present",
            lambda: toggle_present(w),
            QKeySequence("F5"),
            "Full screen for a workshop room: projector theme, lanes one at a time (Esc leaves)",
        )
    )
    view.addSeparator()
    docks = view.addMenu("&Panels")
    for dock in (w.palette_dock, w.coherence, w.inspector, w.history):
        docks.addAction(dock.toggleViewAction())

    build_workshop_menu(w, bar.addMenu("&Workshop"))

    help_menu = bar.addMenu("&Help")
    help_menu.addAction(
        _action(w, "shortcuts", "&Keyboard Shortcuts", lambda: show_shortcuts(w), std.HelpContents)
    )
    help_menu.addAction(_action(w, "score_help", "How the &Score Works", lambda: _score_help(w)))
    help_menu.addAction(_action(w, "about", f"&About {APP_NAME}", lambda: about(w)))
    w.help_menu = help_menu


def _map_properties(w: MainWindow) -> None:
    from desktop.ui.map_properties import edit_map_properties

    edit_map_properties(w)


def _score_help(w: MainWindow) -> None:
    from desktop.ui.score_help import show_score_help

    show_score_help(w)


def build_workshop_menu(w: MainWindow, menu: QMenu) -> None:
    """Workshop: the room (desktop.ui.room_panel, loaded on first use with aiohttp and segno)."""

    def room():
        from desktop.ui.room_panel import room_controller

        return room_controller(w)

    tip = "Phones on this network suggest channels and vote; a QR code and a join code on the projector"
    menu.addAction(_action(w, "open-room", "Open &Room…", lambda: room().choose_and_open(), tip=tip))
    w.actions_by_name["open-room"].setObjectName("openRoom")
    menu.addAction(
        _action(w, "room-card", "Show &Join Code (W in present mode)", lambda: room().toggle_card())
    )
    menu.addAction(_action(w, "room-vote", "Open or Close the &Vote", lambda: room().dock._vote_clicked()))
    menu.addAction(_action(w, "room-close", "&Close Room", lambda: room().close()))


def open_team_library(w: MainWindow) -> None:
    from desktop.ui.team_library import open_team_library as show

    show(w)


def export_image(w: MainWindow) -> None:
    from desktop.ui.export_dialog import open_export_dialog

    open_export_dialog(w)


def import_data(w: MainWindow) -> None:
    from desktop.ui.import_dialog import open_import_dialog

    open_import_dialog(w)


def export_data(w: MainWindow) -> None:
    from desktop.ui.data_export import export_data as export_table_data

    export_table_data(w)


def toggle_present(w: MainWindow) -> None:
    """F5: enter present mode, or leave it (Esc also leaves)."""
    from desktop.ui.present import PresentMode

    if w.present_mode is None:
        w.present_mode = PresentMode(w)
    w.present_mode.toggle()


def _snap(w: MainWindow, checked: bool) -> None:
    if w.scene is not None:
        w.scene.snap_to_grid = checked


def _fill_recent(w: MainWindow) -> None:
    menu: QMenu = w.recent_menu
    menu.clear()
    recent = settings.recent_maps()
    if not recent:
        menu.addAction("No recent maps").setEnabled(False)
    for path in recent:
        library = path.lower().startswith(("postgresql://", "postgres://"))
        action = menu.addAction(_recent_label(path) if library else Path(path).name)
        action.setToolTip(path)
        action.setEnabled(library or Path(path).exists())
        action.triggered.connect(lambda _=False, p=path: w.open_path(p))


def _recent_label(address: str) -> str:
    """A library map in Recent: "Map name (team library)"."""
    from urllib.parse import unquote

    return f"{unquote(address.partition('#')[2]) or address} (team library)"


def _ask_new_path(w: MainWindow, title: str, stem: str) -> Path | None:
    folder = settings.data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    from PySide6.QtWidgets import QFileDialog  # made on first use, not at start

    name, _ = QFileDialog.getSaveFileName(w, title, str(folder / f"{stem}.distarch"), MAP_FILTER)
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".distarch" else path.with_suffix(".distarch")


def new_map(w: MainWindow, template: str = "") -> None:
    if template:
        found = template_path(template)
        arch = interchange.loads(found.read_bytes()) if found else ArchitectureMap()
    else:
        arch = ArchitectureMap(info=MapInfo(name="New map"))
    path = _ask_new_path(w, "New Map", arch.info.name)
    if path is None:
        return
    if arch.info.name in ("New map", "Workshop"):
        arch.info.name = path.stem
    try:
        w.maps.create(path, arch, overwrite=path.exists())
    except MapError as exc:
        w.show_problem("The map could not be created", str(exc))
        return
    w.open_path(path)


def open_map(w: MainWindow) -> None:
    start = str(Path(w.session.repository.location).parent) if w.session else str(settings.data_dir())
    from PySide6.QtWidgets import QFileDialog  # made on first use, not at start

    name, _ = QFileDialog.getOpenFileName(w, "Open Map", start, f"{MAP_FILTER};;All files (*)")
    if name:
        w.open_path(name)


def save_as(w: MainWindow) -> None:
    if w.session is None:
        return
    path = _ask_new_path(w, "Save Map As", w.session.map.info.name)
    if path is None:
        return
    if path.absolute() == Path(w.session.repository.location):
        w.flash("The map is already saved there: every edit is saved as you make it")
        return
    try:
        w.maps.save_copy(w.session.repository, path)
    except (MapError, OSError) as exc:
        w.show_problem("The copy could not be saved", str(exc))
        return
    w.open_path(path)
    w.flash(f"Saved a copy as {path.name}; you are now editing it")


def copy(w: MainWindow) -> None:
    if w.session is None or w.scene is None:
        return
    ids = w.scene.selected_channel_ids()
    if not ids:
        w.flash("Select channels to copy")
        return
    from PySide6.QtCore import QMimeData

    text = ops.copy_selection(w.session.map, ids)
    data = QMimeData()
    data.setData(CLIPBOARD_MIME, text.encode("utf-8"))
    data.setText("\n".join(w.session.map.channel(c).name for c in ids))
    QGuiApplication.clipboard().setMimeData(data)
    w.flash(f"Copied {len(ids)} channel{'s' if len(ids) != 1 else ''}")


def cut(w: MainWindow) -> None:
    copy(w)
    delete(w, verb="Cut")


def paste(w: MainWindow) -> None:
    if w.session is None or w.scene is None:
        return
    data = QGuiApplication.clipboard().mimeData()
    if data is None or not data.hasFormat(CLIPBOARD_MIME):
        w.flash("The clipboard holds no channels")
        return
    try:
        edits = ops.paste(w.session.map, bytes(data.data(CLIPBOARD_MIME).data()).decode("utf-8"))
    except MapError as exc:
        w.flash(exc.message)
        return
    _add_and_select(w, edits, "Paste")


def duplicate(w: MainWindow) -> None:
    if w.session is None or w.scene is None:
        return
    ids = w.scene.selected_channel_ids()
    if not ids:
        w.flash("Select channels to duplicate")
        return
    _add_and_select(w, ops.duplicate(w.session.map, ids), "Duplicate")


def _add_and_select(w: MainWindow, edits, verb: str) -> None:
    from desktop.domain.edits import AddChannel

    new_ids = [e.channel.id for e in edits if isinstance(e, AddChannel)]
    noun = f"{len(new_ids)} channel{'s' if len(new_ids) != 1 else ''}"
    if w.session is not None and w.scene is not None and w.session.perform(f"{verb} {noun}", edits):
        w.scene.select_channels(new_ids)


def delete(w: MainWindow, verb: str = "Delete") -> None:
    if w.session is None or w.scene is None:
        return
    focus = QGuiApplication.focusObject()
    from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

    in_canvas = w.view.hasFocus() or (isinstance(focus, QWidget) and w.view.isAncestorOf(focus))
    if not in_canvas and isinstance(
        focus, QLineEdit | QPlainTextEdit
    ):  # Delete in a text field edits the text
        return
    ids = w.scene.selected_channel_ids()
    flows = w.scene.selected_flow_pairs()
    if not ids and not flows:
        return
    arch = w.session.map
    edits = ops.delete(arch, ids, flows)
    if len(ids) == 1 and not flows:
        text = f"{verb} {arch.channel(ids[0]).name}"
    else:
        text = (
            f"{verb} {len(ids)} channels and {len(flows)} flows" if flows else f"{verb} {len(ids)} channels"
        )
    w.session.perform(text, edits)


def select_all(w: MainWindow) -> None:
    if w.scene is not None:
        for item in w.scene.channel_items.values():
            if item.isVisible():
                item.setSelected(True)


def connect_selected(w: MainWindow) -> None:
    if w.scene is None:
        return
    ids = _selection_order(w)
    if len(ids) != 2:
        w.flash("Select exactly two channels to connect (the first selected is the source)")
        return
    connect_channels(w.scene, ids[0], ids[1])


def _selection_order(w: MainWindow) -> list[str]:
    """Selected channels, source first: ordered by lane, then top to bottom."""
    assert w.scene is not None and w.session is not None
    ids = w.scene.selected_channel_ids()
    arch = w.session.map
    return sorted(ids, key=lambda c: (arch.channel(c).layer.index, arch.channel(c).y or 0))


def rename_selected(w: MainWindow) -> None:
    if w.scene is None:
        return
    ids = w.scene.selected_channel_ids()
    if len(ids) == 1:
        w.view.begin_rename(ids[0])


def rename_map(w: MainWindow) -> None:
    if w.session is None:
        return
    from PySide6.QtWidgets import QInputDialog  # made on first use, not at start

    name, ok = QInputDialog.getText(w, "Map Name", "Name of this map:", text=w.session.map.info.name)
    if ok:
        try:
            w.session.perform("Rename map", ops.rename_map(w.session.map, name))
        except MapError as exc:
            w.flash(exc.message)


def focus_quick_add(w: MainWindow) -> None:
    w.palette_dock.build()
    w.palette_dock.show()
    w.palette_dock.quick.setFocus()
    w.palette_dock.quick.selectAll()


def show_shortcuts(w: MainWindow) -> None:
    rows = []
    for action in w.actions_by_name.values():
        if not action.shortcut().isEmpty():
            rows.append(
                f"<tr><td>{action.text().replace('&', '')}</td><td><b>{action.shortcut().toString()}</b></td></tr>"
            )
    from PySide6.QtWidgets import QMessageBox  # made on first use, not at start

    QMessageBox.information(w, "Keyboard Shortcuts", "<table cellpadding=4>" + "".join(rows) + "</table>")


def about(w: MainWindow) -> None:
    from PySide6.QtWidgets import QMessageBox  # made on first use, not at start

    QMessageBox.about(
        w,
        APP_NAME,
        f"<h3>{APP_NAME} {__version__}</h3><p>Design a go-to-market distribution "
        "architecture: capture, routing, execution and feedback, with a live coherence score.</p>",
    )
