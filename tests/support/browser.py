"""Browser fixtures: Playwright driving Debian's chromium (Playwright cannot download its own
browser here). Skipped with a clear message where chromium is absent, except in CI. Also the
sign-in every browser test starts with, and a phone's viewport."""

import os

import pytest

# The same Chromium, flags and sandbox as the PDF renderer.
from scorecard.pdf import CHROMIUM, launch_chromium

PASSWORD = "a-long-test-password"
#: An iPhone 12-15's viewport.
PHONE = {"width": 390, "height": 844}
#: How long a browser test waits for a navigation, an element or an action before it fails (ms).
#: Generous: it bounds a wait for something to happen, and no test measures speed with it; on a
#: loaded machine (the test command's two workers beside other jobs) a heavy admin page can take
#: well over 15 seconds to answer.
WAIT_MS = 60_000


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
        instance = launch_chromium(playwright.chromium)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def chromium(browser):
    """The pack needs Debian's chromium, as the browser tests do (skipped or failed alike)."""
    return browser


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
