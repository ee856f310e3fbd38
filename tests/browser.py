"""Browser fixtures: Playwright driving Debian's chromium (Playwright cannot download its own
browser here). Skipped with a clear message where chromium is absent, except in CI."""

import os

import pytest

# The same Chromium and flags as the PDF renderer.
from scorecard.pdf import CHROMIUM, CHROMIUM_ARGS


def chromium_missing_reason():
    if os.environ.get("SCORECARD_SKIP_BROWSER"):
        return "browser tests skipped: SCORECARD_SKIP_BROWSER is set (chromium not installed)"
    if not CHROMIUM.exists():
        return f"browser tests skipped: {CHROMIUM} not found (apt-get install chromium)"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = chromium_missing_reason()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; in CI the browser tests must run.")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()
