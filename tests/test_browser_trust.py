"""An advisor at month end, in a real browser (issue 11): a warning acknowledged, a publish
that lists what is missing and is confirmed, a revision to a published month marked for a
councillor, a conflict resolved without retyping."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from indicators import roles
from indicators.models import Indicator, PublishedMonth, Value

from .support.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")


def figure_box(page, reference):
    return page.get_by_label(f"ID {reference} value", exact=True)


@pytest.fixture
def advisor(seed):
    return make_user("advisor", roles.EDITOR, PASSWORD)


def test_an_advisor_corrects_nothing_and_acknowledges_a_warning(page, live_server, advisor):
    sign_in(page, live_server, "advisor")
    page.goto(f"{live_server.url}/entry/2023-10/?priority=2")
    box = figure_box(page, "10")
    box.fill("0.582")
    # Enter in a figure does not send the grid.
    box.press("Enter")
    page.wait_for_timeout(300)
    assert "/entry/2023-10/" in page.url
    assert not Value.objects.filter(indicator__reference="10", period="2023-10-01").exists()

    page.get_by_role("button", name="Save figures for Oct-23, priority 2").click()
    expect(page.get_by_text("There is a problem: nothing was saved")).to_be_visible()
    warning = page.locator("#row-10 .plausibility")
    assert "0.582: did you mean 58.2%?" in warning.inner_text()
    assert figure_box(page, "10").input_value() == "0.582"
    page.get_by_label("I have checked this figure: keep it (ID 10)").check()
    page.get_by_role("button", name="Save figures for Oct-23, priority 2").click()
    expect(page.get_by_text("Saved 1 change for October 2023")).to_be_visible()
    value = Value.objects.get(indicator__reference="10", period="2023-10-01")
    assert value.value == Decimal("0.582") and value.acknowledged_warnings == ["fraction"]


def test_an_advisor_publishes_a_month_seeing_what_is_missing(page, live_server, advisor):
    sign_in(page, live_server, "advisor")
    page.get_by_role("link", name="Enter figures").first.click()
    page.goto(f"{live_server.url}/entry/2023-10/?priority=2")
    figure_box(page, "7").fill("61.0%")
    # Publishing from the grid saves the typing first: it is not lost.
    page.get_by_role("button", name="Save and go to publishing").click()
    expect(page.get_by_role("heading", name="Publishing October 2023")).to_be_visible()
    expect(page.get_by_text("Saved 1 change for October 2023")).to_be_visible()
    expect(page.get_by_text("1 of 38 active indicators have a figure for Oct-23")).to_be_visible()
    expect(page.get_by_role("heading", name="37 indicators with no figure")).to_be_visible()
    expect(page.get_by_role("heading", name="1 red figure with no commentary")).to_be_visible()
    page.get_by_role("button", name="Publish Oct-23").click()
    expect(page.get_by_text("Tick the box to confirm").first).to_be_visible()
    assert not PublishedMonth.objects.filter(period="2023-10-01").exists()
    page.get_by_label(re.compile("I have seen what October 2023 still lacks")).check()
    page.get_by_role("button", name="Publish Oct-23").click()
    expect(page.get_by_text("October 2023 is published: viewers can now see it")).to_be_visible()
    assert PublishedMonth.objects.get(period="2023-10-01").published_by.username == "advisor"


def test_a_revision_to_a_published_month_is_marked_for_a_councillor(page, live_server, advisor):
    make_user("councillor", roles.VIEWER, PASSWORD)
    sign_in(page, live_server, "advisor")
    page.goto(f"{live_server.url}/entry/2023-09/?priority=2")
    warning = page.locator(".published-warning")
    expect(warning.get_by_text("Changing a figure is a revision")).to_be_visible()
    figure_box(page, "7").fill("60.5%")
    page.get_by_role("button", name="Save figures for Sep-23, priority 2").click()
    expect(page.get_by_text("so this change is a revision: give the reason").first).to_be_visible()
    page.get_by_label("Reason, if you revise it (ID 7)").fill("Twelve contacts recorded late.")
    page.get_by_role("button", name="Save figures for Sep-23, priority 2").click()
    expect(page.get_by_text("the changes are live now, marked as revised")).to_be_visible()
    page.get_by_role("button", name="Sign out advisor").click()

    sign_in(page, live_server, "councillor")
    page.goto(f"{live_server.url}/priorities/2/?period=2023-09")
    row = page.locator("table.scorecard-table").get_by_role("row").filter(has_text="MASH")
    assert "60.5%" in row.inner_text() and "†" in row.inner_text()
    # The mark's words are there for a screen reader.
    hidden = row.locator(".revised-mark .govuk-visually-hidden").inner_text()
    assert "Revised on" in hidden and "from 58.2%: Twelve contacts recorded late." in hidden
    expect(page.get_by_text(re.compile(r"ID 7, Sep-23: Revised on .* from 58\.2%"))).to_be_visible()
    page.goto(f"{live_server.url}/indicators/7/")
    history = page.locator("#history-table")
    expect(
        history.get_by_text(re.compile("from 58.2%: Twelve contacts recorded late"))
    ).to_be_visible()


def test_a_conflict_is_resolved_without_retyping(page, live_server, advisor):
    sign_in(page, live_server, "advisor")
    page.goto(f"{live_server.url}/entry/2023-10/?priority=2")
    # Someone else saves ID 7 for October after the page was opened.
    seven = Indicator.objects.get(reference="7")
    Value.objects.create(indicator=seven, period="2023-10-01", value=Decimal("61.0"))
    figure_box(page, "7").fill("59.0%")
    figure_box(page, "10").fill("18.0%")
    page.get_by_role("button", name="Save figures for Oct-23, priority 2").click()
    message = page.locator("#row-7 .govuk-error-message").first.inner_text()
    assert "It is now “61.0%”; you entered “59.0%”" in message
    assert figure_box(page, "7").input_value() == "59.0%"  # kept, not retyped
    assert figure_box(page, "10").input_value() == "18.0%"
    assert Value.objects.get(indicator=seven, period="2023-10-01").value == Decimal("61.0")
    page.get_by_role("button", name="Save figures for Oct-23, priority 2").click()
    expect(page.get_by_text("Saved 2 changes for October 2023")).to_be_visible()
    assert Value.objects.get(indicator=seven, period="2023-10-01").value == Decimal("59.0")
