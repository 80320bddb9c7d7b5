"""The browser tests' shared fixture: one headless Chromium per test module."""

from __future__ import annotations

import pytest
from browser_harness import launch


@pytest.fixture(scope="module")
def browser():
    """Chromium, started once for the module (``launch`` fails with instructions when it is missing)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()
