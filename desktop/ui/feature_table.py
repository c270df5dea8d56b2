"""Spare PySide6 reading the source of each of our modules as it is imported (12 ms of every start).

Once PySide6 is loaded, it checks every module imported after it for the text
"PySide6" (`inspect.getsource`, for its `from __feature__ import` switches,
PYSIDE-2029) and notes the answer in a table: 0 for a module that uses Qt
("no feature selected"), -1 for one it may ignore. That is about 0.1 ms a
module, and a start imports more than a hundred of ours. No module of ours
selects a feature, so their entries are known without reading anything: 0 for
the layers that use Qt, -1 for the Qt-free ones (import-linter's contracts keep
them so). Python's own modules never mention PySide6: -1, as PySide6 would
find (an `import os` after PySide6 costs a reading of os.py otherwise). A module
already in the table keeps its entry, and a table PySide6 no longer keeps
(another version) leaves everything as it was.
"""

from __future__ import annotations

import os
import sys

QT_FREE = ("domain", "document", "store", "room")  # import-linter forbids Qt there (pyproject.toml)


def fill_feature_table() -> None:
    """Enter every module of the `desktop` package in PySide6's feature table, unless it is there already."""
    table = _table()
    if table is None:
        return
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the desktop package's folder
    for name in _module_names(root, "desktop"):
        layer = name.split(".")[1] if "." in name else ""
        table.setdefault(name, -1 if layer in QT_FREE else 0)
    stdlib = sys.stdlib_module_names
    for name in [*stdlib, *(m for m in list(sys.modules) if m.partition(".")[0] in stdlib)]:
        table.setdefault(name, -1)


def fill_for_packages(*packages: str) -> None:
    """The same for libraries about to be imported (pyqtgraph and numpy: 40 ms of readings when the charts
    are first built). Their entries are 0 (no feature), what PySide6 finds for a module that uses Qt; for
    one that does not, 0 and -1 ask for the same, since no module here selects a feature."""
    table = _table()
    if table is None:
        return
    from importlib.util import find_spec

    for package in packages:
        spec = find_spec(package)
        for folder in (spec.submodule_search_locations or []) if spec is not None else []:
            for name in _module_names(folder, package):
                table.setdefault(name, 0)


def _table() -> dict[str, int] | None:
    """PySide6's feature table (module name → feature id), None if this PySide6 keeps none."""
    import PySide6.QtCore  # noqa: F401 - loads the feature module and its table

    table = getattr(sys.modules.get("PySide6.support.feature"), "pyside_feature_dict", None)
    return table if isinstance(table, dict) else None


def _module_names(folder: str, package: str) -> list[str]:
    """The dotted names of the package and of every module and package below it (from the files on disk;
    none in a bundle, where PySide6's own check finds no source and answers at once)."""
    names = [package]
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return names
    for entry in entries:
        if entry.is_dir() and entry.name != "__pycache__" and not entry.name.startswith("."):
            names += _module_names(entry.path, f"{package}.{entry.name}")
        elif entry.name.endswith(".py") and entry.name != "__init__.py":
            names.append(f"{package}.{entry.name[:-3]}")
        elif entry.name.endswith((".so", ".pyd")):  # a compiled module: numpy._core._multiarray_umath
            names.append(f"{package}.{entry.name.partition('.')[0]}")
    return names
