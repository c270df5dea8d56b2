"""Per-row problems of an inventory import, and the one error that carries them all.

An import is all-or-nothing, and a person fixing a spreadsheet wants every bad
row at once, not one per attempt: so problems are collected, shown in a
preview, and raised together as one `InventoryError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from desktop.domain.errors import MapError


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One thing wrong with an inventory, where the user sees it.

    `sheet` is the sheet name in a workbook, or the file name of a CSV;
    `row` is the spreadsheet row number (header = 1), or 0 for the whole file;
    `file` is the file name, when it differs from `sheet`.
    """

    sheet: str
    row: int
    message: str
    file: str = ""

    @property
    def location(self) -> str:
        """'channels.csv row 4', 'inventory.xlsx, sheet flows, row 7' or 'inventory.xlsx'."""
        in_workbook = bool(self.file) and self.file != self.sheet
        place = f"{self.file}, sheet {self.sheet}" if in_workbook else self.sheet
        if not self.row:
            return place
        return f"{place}, row {self.row}" if in_workbook else f"{place} row {self.row}"

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class InventoryError(MapError):
    """An inventory that cannot be imported; `.problems` lists every reason, in file order."""

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        if not problems:
            raise ValueError("an InventoryError needs at least one problem")
        self.problems: list[RowProblem] = list(problems)
        first = self.problems[0]
        more = len(self.problems) - 1
        message = first.message
        if more:
            message += f" (and {more} more problem{'s' if more > 1 else ''})"
        super().__init__(message, first.location)
