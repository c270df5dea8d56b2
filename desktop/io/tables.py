"""The public face of CSV/XLSX inventories: import with a preview, export with neutralised text.

Callers (the window, the command line) import from here; the work lives in
`inventory_import` and `table_export`. Importing this module stays cheap:
pandas and openpyxl load only when a workbook is actually read or written.
"""

from __future__ import annotations

from desktop.io.inventory_import import InventoryPreview, preview_inventory, read_inventory
from desktop.io.problems import InventoryError, RowProblem
from desktop.io.sheets import CHANNEL_COLUMNS, FLOW_COLUMNS, MAX_BYTES, MAX_ROWS
from desktop.io.table_export import (
    channel_table,
    economics_table,
    findings_table,
    flow_table,
    write_channels_csv,
    write_flows_csv,
    write_workbook,
)

__all__ = [
    "CHANNEL_COLUMNS",
    "FLOW_COLUMNS",
    "MAX_BYTES",
    "MAX_ROWS",
    "InventoryError",
    "InventoryPreview",
    "RowProblem",
    "channel_table",
    "economics_table",
    "findings_table",
    "flow_table",
    "preview_inventory",
    "read_inventory",
    "write_channels_csv",
    "write_flows_csv",
    "write_workbook",
]
