"""What the projector shows of a room: the join card (QR code, short address, join code) and the
compact strip of present mode; and the choice of the network interface the room listens on.

The QR code (segno, imported when a room opens) is painted module by module,
crisp at any size. The join card covers the canvas until W (present mode) or
its button hides it; the strip sits in present mode's bottom bar, so the map
keeps its fit.
"""

from __future__ import annotations

import ipaddress
import os
import socket

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

HOST_VARIABLE = "DISTARCH_ROOM_HOST"
LOOPBACK = "127.0.0.1"


def card_qss(f: float) -> str:
    """The join card's style at scale `f` (1.0 on a 1920 px wide projector)."""

    def px(size: float) -> int:
        return max(12, round(size * f))

    return f"""
QFrame#roomProjector {{ background: rgba(15, 23, 42, 215); }}
QFrame#roomCard {{ background: #ffffff; border-radius: {px(28)}px; }}
QLabel {{ color: #0f172a; background: transparent; }}
QLabel#roomCardTitle {{ font-size: {px(52)}px; font-weight: 800; }}
QLabel#roomCardStep {{ font-size: {px(26)}px; color: #475569; }}
QLabel#roomCardAddress {{ font-size: {px(38)}px; font-weight: 700; }}
QLabel#roomCardCode {{ font-size: {px(84)}px; font-weight: 800; letter-spacing: {px(8)}px; color: #1d4ed8; }}
QLabel#roomCardCount, QLabel#roomCardHint {{ font-size: {px(24)}px; color: #475569; }}
"""


def room_hosts() -> list[tuple[str, str]]:
    """(address, label) of this computer's IPv4 LAN addresses, the default route's first; loopback last.

    Python's socket module, not QtNetwork (which the bundle leaves out): a UDP
    socket "connected" to an outside address names the interface the default
    route uses (no packet is sent); the host name's addresses add the others.
    """
    found: list[str] = []
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            found.append(probe.getsockname()[0])
    except OSError:
        pass
    try:
        for *_rest, address in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(str(address[0]))
    except OSError:
        pass
    lan = [a for a in dict.fromkeys(found) if not ipaddress.ip_address(a).is_loopback]
    hosts = [(a, f"{a}  (the room's network)") for a in lan]
    hosts.append((LOOPBACK, f"{LOOPBACK}  (this computer only: to try the room)"))
    return hosts


def preset_host() -> str:
    """The address `DISTARCH_ROOM_HOST` names, if any (it skips the choice)."""
    host = os.environ.get(HOST_VARIABLE, "").strip()
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return ""
    return host


class QrCode(QWidget):
    """A QR code painted from segno's module matrix: black on white, with its quiet zone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("roomQr")
        self.matrix: list[list[bool]] = []
        self.text = ""
        self.setMinimumSize(240, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_text(self, text: str) -> None:
        import segno

        code = segno.make(text, error="m", micro=False)
        self.text = text
        self.matrix = [[bool(v) for v in row] for row in code.matrix]
        self.setAccessibleName(f"QR code for {text}")
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        side = min(self.width(), self.height())
        painter.fillRect(self.rect(), QColor("white"))
        if not self.matrix:
            return
        modules = len(self.matrix) + 8  # four modules of quiet zone each side
        unit = side / modules
        left = (self.width() - side) / 2 + 4 * unit
        top = (self.height() - side) / 2 + 4 * unit
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("black"))
        for y, row in enumerate(self.matrix):
            for x, dark in enumerate(row):
                if dark:
                    painter.drawRect(QRectF(left + x * unit, top + y * unit, unit + 0.4, unit + 0.4))
        painter.end()


STRIP_QSS = """
QLabel#roomStripLabel { font-size: 20px; font-weight: 700; color: #1d4ed8; }
QListView { background: transparent; border: 0; font-size: 19px; }
QListView::item { border: 2px solid #94a3b8; border-radius: 8px; padding: 4px 10px; color: #0f172a; }
QListView::item:selected { border-color: #1d4ed8; background: #dbeafe; }
"""


def spaced(code: str) -> str:
    return f"{code[:3]} {code[3:]}" if len(code) == 6 else code


class JoinCard(QFrame):
    """The projector's join card over the canvas. Signal `dismissed` on a click outside the card."""

    dismissed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("roomProjector")
        outer = QVBoxLayout(self)
        outer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        card = self.card = QFrame(objectName="roomCard")
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignCenter)
        row = self.row = QHBoxLayout(card)
        self.qr = QrCode()
        row.addWidget(self.qr)
        column = QVBoxLayout()
        column.setSpacing(10)
        column.addWidget(QLabel("Join the room", objectName="roomCardTitle"))
        column.addSpacing(12)
        column.addWidget(QLabel("Scan the code with your phone's camera, or open", objectName="roomCardStep"))
        self.address = QLabel(objectName="roomCardAddress")
        self.address.setTextFormat(Qt.TextFormat.PlainText)
        column.addWidget(self.address)
        column.addSpacing(12)
        column.addWidget(QLabel("and type the join code", objectName="roomCardStep"))
        self.code = QLabel(objectName="roomCardCode")
        column.addWidget(self.code)
        column.addStretch(1)
        self.count = QLabel(objectName="roomCardCount")
        column.addWidget(self.count)
        column.addWidget(
            QLabel(
                "Same Wi-Fi as this computer · nothing to install · W hides this", objectName="roomCardHint"
            )
        )
        row.addLayout(column)
        self.hide()

    def show_room(self, join_url: str, address: str, code: str, people: int) -> None:
        self.cover()
        self.qr.set_text(join_url)
        self.address.setText(address)
        self.code.setText(spaced(code))
        self.set_people(people)

    def set_people(self, people: int) -> None:
        self.count.setText("Nobody has joined yet" if not people else f"{people} joined")

    def cover(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
            f = max(0.45, min(1.0, parent.width() / 1920, parent.height() / 1080))
            self.setStyleSheet(card_qss(f))
            side = round(min(parent.height() * 0.62, 560 * f))
            self.qr.setFixedSize(side, side)
            self.row.setContentsMargins(round(48 * f), round(44 * f), round(56 * f), round(44 * f))
            self.row.setSpacing(round(48 * f))
        self.raise_()

    def mousePressEvent(self, event) -> None:
        self.dismissed.emit()


class RoomStrip(QFrame):
    """Present mode's compact room strip: the join code, the waiting count and the inbox as one row."""

    def __init__(self, inbox: QWidget) -> None:
        super().__init__()
        self.setObjectName("roomStrip")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.label = QLabel(objectName="roomStripLabel")
        layout.addWidget(self.label)
        inbox.setMaximumHeight(48)
        self.setStyleSheet(STRIP_QSS)
        layout.addWidget(inbox, 1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def show_state(self, code: str, waiting: int, vote: str) -> None:
        text = f"Room {spaced(code)} · {waiting} waiting"
        self.label.setText(f"{text} · {vote}" if vote else text)
