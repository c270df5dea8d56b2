"""Present mode (F5): the map full screen for a workshop room, and everything put back on Esc.

What a facilitator needs on a projector: the projector theme (large type,
high contrast), no panels, the score large in a top strip that follows every
edit, the lanes revealed one at a time, a slim quick-add bar so the room's
calls become channels (type a name, press Enter), and a workshop timer.

Reveal: entering shows only the Capture lane; Right, Space or PageDown reveal
the next lane, Left or PageUp hide the last one (down to none). Adding a
channel to a hidden lane reveals up to that lane. Keys (when not typing):
T starts or pauses the timer, R resets it, + and - change its minutes,
F shows the top findings and ↑/↓ spotlight one (present_findings.py),
W shows the workshop room's join card, Ctrl+1…4 pick the quick-add lane,
Ctrl+K jumps to the quick-add box, Esc leaves (in the quick-add box, Esc first
clears what was typed). Leaving restores the window exactly: geometry,
maximized or normal state, docks (saveState/restoreState), menu and status
bars, theme, zoom and scroll position, and the lanes all shown.

The whole map is always on screen, as large as it goes: the cards are shown
in a grid shaped for the screen (canvas/arrangement.py), a tall lane wrapped
into columns, so names stay readable from the back of the room (at least
MIN_NAME_SHARE of the screen's height for a map of 40 channels) and nothing
scrolls: the lane headers stay at the top and no card hides under a bar.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QTransform
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.canvas.theme import PROJECTOR, band_colour, score_band
from desktop.domain.coherence import Finding, tenths
from desktop.domain.layers import LAYERS, Layer
from desktop.ui import settings
from desktop.ui.binding import Links
from desktop.ui.present_findings import FindingsSpotlight
from desktop.ui.workshop_timer import TIMER_KEY, WorkshopTimer, remembered_minutes

if TYPE_CHECKING:
    from desktop.commands.session import MapSession
    from desktop.ui.main_window import MainWindow

MIN_NAME_PX = 20.0  # the sample map on a 1920×1080 projector
MIN_NAME_SHARE = 0.018  # of the screen's height, for a 40-channel map (13 px at 720p, 19.4 px at 1080p)
TOP_BAR = 96
BOTTOM_BAR = 68
FIRST_REVEAL = 1
NEXT_KEYS = (Qt.Key.Key_Right, Qt.Key.Key_Space, Qt.Key.Key_PageDown)
BACK_KEYS = (Qt.Key.Key_Left, Qt.Key.Key_PageUp)
LANE_KEYS = {getattr(Qt.Key, f"Key_{layer.index + 1}"): layer for layer in LAYERS}
HELP_KEYS = (
    "→ Space next lane · ← back · F findings · ↑↓ spotlight · Esc leave\n"
    "T timer · R reset · + − minutes · Ctrl+K add · Ctrl+1–4 lane · W room"
)
TEXT_INPUTS = (QLineEdit, QAbstractSpinBox, QTextEdit, QPlainTextEdit, QComboBox)

BAR_QSS = f"""
QFrame#presentBar, QFrame#presentQuickBar {{ background: {PROJECTOR.background}; }}
QFrame#presentBar {{ border-bottom: 2px solid {PROJECTOR.lane_border}; }}
QFrame#presentQuickBar {{ border-top: 2px solid {PROJECTOR.lane_border}; }}
QLabel {{ color: {PROJECTOR.title_text}; background: transparent; }}
QLabel#presentTitle {{ font-size: 30px; font-weight: 700; }}
QLabel#presentCaption {{ font-size: 20px; color: {PROJECTOR.lane_subtitle}; }}
QLabel#presentHint {{ font-size: 16px; color: {PROJECTOR.lane_subtitle}; }}
QLabel#presentTimer {{ font-size: 52px; font-weight: 700; padding: 0 14px; border-radius: 10px; }}
QToolButton {{ font-size: 22px; min-width: 40px; min-height: 40px; color: {PROJECTOR.title_text};
    border: 2px solid {PROJECTOR.lane_border}; border-radius: 8px; background: {PROJECTOR.background}; }}
QLineEdit#presentQuickAdd, QComboBox#presentLane {{ font-size: 22px; padding: 6px 10px;
    color: {PROJECTOR.channel_text}; background: {PROJECTOR.channel_fill};
    border: 2px solid {PROJECTOR.channel_border}; border-radius: 8px; }}
"""


class PresentBar(QFrame):
    """The top strip: the map's name, the workshop timer and the score, large, top-right."""

    def __init__(self, timer: WorkshopTimer, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("presentBar")
        self.timer = timer
        self._flashes = 0
        self._flash = QTimer(self)
        self._flash.setInterval(350)
        self._flash.timeout.connect(self._flash_step)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(28, 6, 28, 6)
        self.title = QLabel(objectName="presentTitle")
        layout.addWidget(self.title, 1)
        for text, tip, slot in (
            ("−", "One minute less (-)", lambda: timer.add_minutes(-1)),
            ("+", "One minute more (+)", lambda: timer.add_minutes(1)),
        ):
            layout.addWidget(self._button(text, tip, slot))
        self.clock = QLabel(objectName="presentTimer")
        self.clock.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.clock.setMinimumWidth(190)
        layout.addWidget(self.clock)
        self.play = self._button("▶", "Start or pause the timer (T)", timer.toggle)
        layout.addWidget(self.play)
        layout.addWidget(self._button("↺", "Reset the timer (R)", timer.reset))
        layout.addSpacing(40)
        score_box = QVBoxLayout()
        score_box.setSpacing(0)
        self.score = QLabel(objectName="presentScore")
        self.score.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.caption = QLabel(objectName="presentCaption")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        score_box.addWidget(self.score)
        score_box.addWidget(self.caption)
        layout.addLayout(score_box, 1)
        timer.changed.connect(self.show_timer)
        timer.finished.connect(self._time_up)
        self.show_timer()

    def _button(self, text: str, tip: str, slot) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(slot)
        return button

    def show_session(self, session: MapSession) -> None:
        report = session.report
        self.title.setText(session.map.info.name)
        colour = band_colour(PROJECTOR, report.score)
        self.score.setText(report.score_text)
        self.score.setStyleSheet(f"font-size: 60px; font-weight: 800; color: {colour};")
        self.score.setAccessibleName(f"Coherence score {report.score_text} out of 100")
        self._band = f"{score_band(report.score)} · coherence score"
        self.caption.setText(self._band)

    def show_spotlight(self, finding: Finding | None) -> None:
        """The score line under the score: what the finding in the spotlight costs, else the band."""
        if finding is None:
            self.caption.setText(getattr(self, "_band", ""))
        else:
            self.caption.setText(f"this finding costs {tenths(finding.points)} points")

    def show_timer(self) -> None:
        self.clock.setText(self.timer.text)
        self.play.setText("❚❚" if self.timer.running else "▶")
        if not self._flash.isActive():
            ended = self.timer.remaining <= 0
            colour = PROJECTOR.badge if ended else PROJECTOR.title_text
            self.clock.setStyleSheet(f"color: {colour}; background: transparent;")

    def _time_up(self) -> None:
        QApplication.beep()
        self._flashes = 12
        self._flash.start()
        self._flash_step()

    def _flash_step(self) -> None:
        self._flashes -= 1
        on = self._flashes % 2 == 1
        fill, ink = (PROJECTOR.badge, PROJECTOR.badge_text) if on else ("transparent", PROJECTOR.badge)
        self.clock.setStyleSheet(f"color: {ink}; background: {fill};")
        if self._flashes <= 0:
            self._flash.stop()
            self.show_timer()


class QuickAddBar(QFrame):
    """The bottom strip: type a channel's name, pick its lane, press Enter. Signal `add(name, layer)`."""

    add = Signal(str, object)
    done = Signal()  # a channel was added: the room's keys go back to the lanes

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("presentQuickBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(28, 8, 28, 8)
        self.edit = QLineEdit(objectName="presentQuickAdd")
        self.edit.setPlaceholderText("Add a channel: type its name, press Enter")
        self.edit.setAccessibleName("Quick add a channel")
        self.edit.returnPressed.connect(self._submit)
        self.lane = QComboBox(objectName="presentLane")
        self.lane.setAccessibleName("Lane for the new channel")
        self.lane.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        for layer in LAYERS:
            self.lane.addItem(f"{layer.index + 1}  {layer.title}", layer.value)
        hint = QLabel(HELP_KEYS, objectName="presentHint")
        hint.setWordWrap(True)
        layout.addWidget(self.edit, 3)
        layout.addWidget(self.lane, 1)
        layout.addSpacing(24)
        layout.addWidget(hint, 4)

    def current_lane(self) -> Layer:
        return Layer(self.lane.currentData())

    def set_lane(self, layer: Layer) -> None:
        self.lane.setCurrentIndex(layer.index)

    def _submit(self) -> None:
        name = self.edit.text().strip()
        if name:
            self.add.emit(name, self.current_lane())
            self.edit.clear()
            self.done.emit()


@dataclass
class _Saved:
    """The window as it was before presenting, to put back exactly."""

    geometry: QByteArray
    rect: QRect
    state: Qt.WindowState
    visible: bool
    docks: QByteArray
    menu_bar: bool
    status_bar: bool
    theme: str
    transform: QTransform
    scroll: tuple[int, int]
    scroll_policies: tuple[Qt.ScrollBarPolicy, Qt.ScrollBarPolicy]
    revealed: int


class PresentMode(QObject):
    """Present mode of one `MainWindow`. Signal `toggled(bool)` on entering and leaving."""

    toggled = Signal(bool)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.active = False
        self._saved: _Saved | None = None
        self._session: MapSession | None = None
        self.timer = WorkshopTimer(remembered_minutes(), self)
        self.timer.minutes_changed.connect(lambda m: settings.put(TIMER_KEY, str(m)))
        self.bar = PresentBar(self.timer, window.view)
        self.quick = QuickAddBar(window.view)
        for strip in (self.bar, self.quick):
            strip.setStyleSheet(BAR_QSS)
            strip.hide()
        self.quick.add.connect(self._quick_add)
        self.spotlight = FindingsSpotlight(self)
        self.quick.done.connect(lambda: self.window.view.setFocus())
        self._links = Links()
        window.session_opened.connect(self._map_opened)
        for hook in window.present_hooks:  # e.g. the room's strip in the bottom bar
            hook(self)

    # --- entering and leaving -----------------------------------------------------------------
    def toggle(self) -> None:
        if self.active:
            self.leave()
        else:
            self.enter()

    def enter(self) -> None:
        w = self.window
        if self.active or w.scene is None or w.session is None:
            return
        view = w.view
        self._saved = _Saved(
            geometry=w.saveGeometry(),
            rect=w.geometry(),
            state=w.windowState(),
            visible=w.isVisible(),
            docks=w.saveState(),
            menu_bar=w.menuBar().isVisible() or not w.isVisible(),
            status_bar=w.statusBar().isVisible() or not w.isVisible(),
            theme=w.theme_name,
            transform=view.transform(),
            scroll=(view.horizontalScrollBar().value(), view.verticalScrollBar().value()),
            scroll_policies=(view.horizontalScrollBarPolicy(), view.verticalScrollBarPolicy()),
            revealed=w.scene.revealed,
        )
        self.active = True
        view.cancel_rename()
        for dock in w.findChildren(QDockWidget):
            dock.hide()
        for bar in w.findChildren(QToolBar):
            bar.hide()
        w.menuBar().hide()
        w.statusBar().hide()
        w.apply_theme("projector", remember=False)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setViewportMargins(0, TOP_BAR, 0, BOTTOM_BAR)
        self._bind(w.session)
        w.scene.set_revealed(FIRST_REVEAL)
        self.quick.set_lane(LAYERS[FIRST_REVEAL - 1])
        self.quick.edit.setEnabled(not w.session.read_only)
        self.bar.show()
        self.quick.show()
        self._layout_bars()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        view.installEventFilter(self)
        screen = w.screen()
        if screen is not None and w.windowState() == Qt.WindowState.WindowNoState:
            w.setGeometry(screen.geometry())  # without a window manager, full screen alone does not resize
        w.showFullScreen()
        view.setFocus()
        self.fit()
        QTimer.singleShot(0, self.fit)
        self.toggled.emit(True)

    def leave(self) -> None:
        w, saved = self.window, self._saved
        if not self.active or saved is None:
            return
        self.active = False
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        view = w.view
        view.removeEventFilter(self)
        self.spotlight.close()
        self._bind(None)
        if w.scene is not None:
            w.scene.unarrange()
        self.bar.hide()
        self.quick.hide()
        view.setViewportMargins(0, 0, 0, 0)
        view.setHorizontalScrollBarPolicy(saved.scroll_policies[0])
        view.setVerticalScrollBarPolicy(saved.scroll_policies[1])
        w.apply_theme(saved.theme, remember=False)
        if w.scene is not None:
            w.scene.set_revealed(len(LAYERS))
        if saved.state & Qt.WindowState.WindowMaximized:
            w.showMaximized()
        elif saved.state & Qt.WindowState.WindowFullScreen:
            w.showFullScreen()
        else:
            w.showNormal()
            w.restoreGeometry(saved.geometry)
            w.setGeometry(saved.rect)  # restoreGeometry may shrink a window larger than the screen
        w.restoreState(saved.docks)
        w.menuBar().setVisible(saved.menu_bar)
        w.statusBar().setVisible(saved.status_bar)
        if not saved.visible:
            w.hide()
        self._restore_view(saved)
        QTimer.singleShot(0, lambda: self._restore_view(saved))
        self._saved = None
        self.toggled.emit(False)

    def _restore_view(self, saved: _Saved) -> None:
        if self.active:
            return
        view = self.window.view
        view.setTransform(saved.transform)
        view.horizontalScrollBar().setValue(saved.scroll[0])
        view.verticalScrollBar().setValue(saved.scroll[1])
        view.zoom_changed.emit(view.zoom)

    # --- the map on screen ------------------------------------------------------------------------
    def fit(self) -> None:
        """The whole map on screen, as large as it goes: the cards in a grid shaped for the screen."""
        w = self.window
        if not self.active or w.scene is None:
            return
        view, scene = w.view, w.scene
        port = view.viewport().rect()
        if port.width() < 10 or port.height() < 10:
            return
        scene.arrange(port.width(), port.height())
        target = scene.sceneRect()
        view.set_zoom(min(port.width() / target.width(), port.height() / target.height()))
        view.centerOn(target.center())

    def name_px_on_screen(self) -> float:
        """How tall channel names are on screen now (the readability check of present mode)."""
        scene = self.window.scene
        return scene.theme.name_px * self.window.view.zoom if scene is not None else 0.0

    def reveal_next(self) -> None:
        scene = self.window.scene
        if scene is not None and scene.revealed < len(LAYERS):
            scene.set_revealed(scene.revealed + 1)
            self.quick.set_lane(LAYERS[scene.revealed - 1])

    def hide_last(self) -> None:
        scene = self.window.scene
        if scene is not None and scene.revealed > 0:
            scene.set_revealed(scene.revealed - 1)
            self.quick.set_lane(LAYERS[max(0, scene.revealed - 1)])

    def _quick_add(self, name: str, layer: Layer) -> None:
        scene = self.window.scene
        if scene is not None and scene.revealed <= layer.index:
            scene.set_revealed(layer.index + 1)
        self.window.quick_add(name, layer)

    def relayout(self) -> None:
        """Lay the strips out again and fit the whole map into what they leave (the findings strip came or went)."""
        self._layout_bars()
        self.fit()

    def _layout_bars(self) -> None:
        view = self.window.view
        width, height = view.width(), view.height()
        self.bar.setGeometry(QRect(0, 0, width, TOP_BAR))
        self.quick.setGeometry(QRect(0, height - BOTTOM_BAR, width, BOTTOM_BAR))
        strip = self.spotlight.strip
        below = BOTTOM_BAR
        if strip.isVisible():
            strip_height = strip.height_for(width)
            below += strip_height
            strip.setGeometry(QRect(0, height - below, width, strip_height))
            strip.raise_()
        view.setViewportMargins(0, TOP_BAR, 0, below)
        self.bar.raise_()
        self.quick.raise_()

    # --- the session shown -----------------------------------------------------------------------
    def _bind(self, session: MapSession | None) -> None:
        self._links.release()
        self._session = session
        if session is not None:
            self._links.rebind((session.changed, self._map_changed))
            self.bar.show_session(session)

    def _map_changed(self, _change) -> None:
        if self._session is not None:
            self.bar.show_session(self._session)
            self.spotlight.refresh()

    def _map_opened(self, session: MapSession) -> None:
        if self.active and self.window.scene is not None:
            self._bind(session)
            self.window.scene.set_revealed(FIRST_REVEAL)
            self.quick.edit.setEnabled(not session.read_only)
            QTimer.singleShot(0, self.fit)

    # --- keys ----------------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.active:
            return False
        kind = event.type()
        if watched is self.window.view and kind == QEvent.Type.Resize:
            self._layout_bars()
            QTimer.singleShot(0, self.fit)
            return False
        if kind == QEvent.Type.Wheel and watched is self.window.view.viewport():
            return True  # the whole map is on screen: scrolling would only take the lane headers away
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self.window:
            return False
        assert isinstance(event, QKeyEvent)
        return self._key(event, watched, kind == QEvent.Type.ShortcutOverride)

    def _key(self, event: QKeyEvent, focus: QWidget, override: bool) -> bool:
        key, mods = event.key(), event.modifiers()
        control = Qt.KeyboardModifier.ControlModifier
        if key == Qt.Key.Key_K and mods & control:
            if override:
                event.accept()
            else:
                self.quick.edit.setFocus()
                self.quick.edit.selectAll()
            return True
        lane = LANE_KEYS.get(key)
        if lane is not None and mods & control:  # Ctrl+1…4: the lane of the next quick add
            if override:
                event.accept()
            else:
                self.quick.set_lane(lane)
            return True
        if override:
            return False
        typing = isinstance(focus, TEXT_INPUTS)
        if not typing and not mods & (control | Qt.KeyboardModifier.AltModifier) and self.spotlight.key(key):
            return True
        if key == Qt.Key.Key_Escape:
            edit = self.quick.edit
            if edit.text() and focus is edit:
                self.quick.edit.clear()
                return True
            if focus.objectName() == "renameEditor":
                return False
            self.leave()
            return True
        if isinstance(focus, TEXT_INPUTS) or mods & (control | Qt.KeyboardModifier.AltModifier):
            return False
        if key in NEXT_KEYS:
            self.reveal_next()
        elif key in BACK_KEYS:
            self.hide_last()
        elif key == Qt.Key.Key_T:
            self.timer.toggle()
        elif key == Qt.Key.Key_R:
            self.timer.reset()
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.timer.add_minutes(1)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.timer.add_minutes(-1)
        elif key == Qt.Key.Key_W and "room-card" in self.window.actions_by_name:
            self.window.actions_by_name["room-card"].trigger()  # the room's join card
        else:
            return False
        return True
