"""Application settings (recent maps, last map, theme, export choices) in an INI file.

`DISTARCH_CONFIG_HOME` moves it (the tests give every test its own folder).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

RECENT_LIMIT = 10


def config_dir() -> Path:
    override = os.environ.get("DISTARCH_CONFIG_HOME")
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir("distribution-architect", appauthor=False))


def data_dir() -> Path:
    override = os.environ.get("DISTARCH_CONFIG_HOME")
    if override:
        return Path(override) / "maps"
    from platformdirs import user_documents_dir

    return Path(user_documents_dir()) / "Distribution Architect"


def cache_dir() -> Path:
    """Files that can be made again (rendered icons): safe to delete at any time."""
    override = os.environ.get("DISTARCH_CONFIG_HOME")
    if override:
        return Path(override) / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("distribution-architect", appauthor=False))


def log_dir() -> Path:
    override = os.environ.get("DISTARCH_CONFIG_HOME")
    if override:
        return Path(override) / "logs"
    from platformdirs import user_log_dir

    return Path(user_log_dir("distribution-architect", appauthor=False))


def app_settings() -> QSettings:
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)


def recent_maps() -> list[str]:
    value = app_settings().value("recent", [])
    if isinstance(value, str):
        value = [value]
    return [str(v) for v in value if v] if isinstance(value, list | tuple) else []


def remember_map(path: Path | str) -> None:
    """Put a map first in File → Recent and make it the one to reopen (no write when it already is).

    A team library map is remembered by its public address (the caller strips any password)."""
    settings = app_settings()
    text = path if _is_address(path) else str(Path(path).absolute())
    current = recent_maps()
    if current[:1] == [text] and str(settings.value("last_map", "")) == text:
        return  # reopening the last map, as every start does: nothing to write
    recent = [p for p in current if p != text]
    settings.setValue("recent", [text, *recent][:RECENT_LIMIT])
    settings.setValue("last_map", text)
    settings.sync()


def _is_address(text: object) -> bool:
    return isinstance(text, str) and text.lower().startswith(("postgresql://", "postgres://"))


def last_location() -> str:
    """The last map opened: a file path or a team library address ("" when none)."""
    return str(app_settings().value("last_map", "") or "")


def last_map() -> Path | None:
    value = app_settings().value("last_map", "")
    return Path(str(value)) if value else None


def get(key: str, default: str = "") -> str:
    value = app_settings().value(key, default)
    return str(value) if value is not None else default


def put(key: str, value: str) -> None:
    settings = app_settings()
    settings.setValue(key, value)
    settings.sync()
