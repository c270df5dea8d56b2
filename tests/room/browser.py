"""Headless Chromium phones for the room's tests: isolated browser contexts of one Chromium.

Selenium is pointed at Debian's /usr/bin/chromedriver (it never downloads a
driver); each phone is a WebDriver BiDi user context (its own cookies and
storage, like a separate phone) with a 360×740 viewport. Without Chromium the
tests skip on a developer's machine and fail in CI (`CI` set).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WIDTH, HEIGHT = 360, 740


def require_chromium() -> None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        message = (
            f"headless Chromium is needed: missing {', '.join(missing)} (.ci/system-packages --install test)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


class Browser:
    """One Chromium; `phone()` opens a new isolated context at 360×740 and returns its window handle."""

    def __init__(self) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="distarch-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for argument in (
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={self.profile}",
            f"--window-size={WIDTH},{HEIGHT}",
        ):
            options.add_argument(argument)
        options.enable_bidi = True
        self.driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
        self.driver.set_page_load_timeout(30)
        self.driver.set_script_timeout(30)

    def phone(self, url: str) -> str:
        driver = self.driver
        context = driver.browser.create_user_context()
        handle = driver.browsing_context.create(type="tab", user_context=context)
        driver.switch_to.window(handle)
        driver.browsing_context.set_viewport(context=handle, viewport={"width": WIDTH, "height": HEIGHT})
        driver.get(url)
        return handle

    def quit(self) -> None:
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)
