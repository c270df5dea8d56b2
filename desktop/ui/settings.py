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
    return [str(v) for v in (value or []) if v]


def remember_map(path: Path) -> None:
    settings = app_settings()
    text = str(Path(path).absolute())
    recent = [p for p in recent_maps() if p != text]
    settings.setValue("recent", [text, *recent][:RECENT_LIMIT])
    settings.setValue("last_map", text)
    settings.sync()


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
