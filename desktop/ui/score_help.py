"""Help → How the score works: the score's contract (docs/score.md, shipped with the program) in the app.

Why in the app and not a browser: a workshop laptop may have no network and
no default browser set; the contract is the same text the engine follows, so
it opens as a plain window (a QTextBrowser rendering the Markdown).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QTextBrowser, QVBoxLayout, QWidget

from desktop.resources import score_doc_path


class ScoreHelp(QDialog):
    """The contract, readable and searchable (Ctrl+F is the browser's own find); not modal."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scoreHelpWindow")
        self.setWindowTitle("How the score works")
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.resize(820, 760)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.browser = QTextBrowser()
        self.browser.setObjectName("scoreHelp")
        self.browser.setOpenExternalLinks(False)
        self.browser.document().setDocumentMargin(24)
        layout.addWidget(self.browser)
        path = score_doc_path()
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            text = f"# How the score works\n\nThe contract ({path.name}) could not be read: {exc.strerror}."
        self.browser.setMarkdown(text)


def show_score_help(window: QWidget) -> ScoreHelp:
    """Open (or raise) the window's one help window on the score."""
    found = window.findChild(ScoreHelp, "scoreHelpWindow")
    if found is None:
        found = ScoreHelp(window)
    found.show()
    found.raise_()
    found.activateWindow()
    return found


def contract_notice(open_help: Callable[[str], None]) -> QLabel:
    """The one quiet line a map first opened under contract 2 shows in the score panel."""
    notice = QLabel(
        "The score now follows contract v2: money, alignment and AI count. "
        "<a href='help:score'>How the score works</a>"
    )
    notice.setObjectName("contractNotice")
    notice.setWordWrap(True)
    notice.setTextFormat(Qt.TextFormat.RichText)
    notice.linkActivated.connect(open_help)
    return notice
