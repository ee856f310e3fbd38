"""Real-browser checks: Playwright driving Debian's chromium against the live server."""

import pytest

from indicators import roles

from .factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")


def test_a_councillor_signs_in_and_sees_a_priority_page_with_its_charts_drawn(
    page, live_server, seed
):
    make_user("councillor", roles.VIEWER, PASSWORD)
    console_errors = []
    page.on(
        "console",
        lambda message: console_errors.append(message.text) if message.type == "error" else None,
    )
    sign_in(page, live_server, "councillor")
    assert page.get_by_role("heading", name="Improvement priorities").is_visible()

    page.get_by_role("link", name="3. Robust and effective social work practice").click()
    page.wait_for_selector("#chart-26[data-drawn='true']", timeout=15000)
    # Plotly drew an SVG with the figure's line and the target's.
    chart = page.locator("#chart-26")
    assert chart.locator("svg.main-svg").count() >= 1
    assert chart.locator(".scatterlayer .trace").count() == 2
    assert page.locator("[data-chart][data-drawn='true']").count() == 7
    table = page.locator("table.scorecard-table")
    assert table.get_by_text("10.5% Ofsted Good+").is_visible()
    assert table.get_by_text("Up, a decline").first.is_visible()
    # The CSP allowed plotly.js and our scripts: nothing was refused.
    assert not [e for e in console_errors if "Content Security Policy" in e], console_errors


def test_a_user_with_no_role_is_refused_after_signing_in(page, live_server, seed):
    make_user("norole", None, PASSWORD)
    sign_in(page, live_server, "norole")
    assert page.get_by_role("heading", name="You do not have access to this page").is_visible()
