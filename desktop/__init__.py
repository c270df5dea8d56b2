"""Distribution Architect: design a go-to-market distribution architecture offline."""

from __future__ import annotations

__version__ = "0.1.0"
APP_NAME = "Distribution Architect"
