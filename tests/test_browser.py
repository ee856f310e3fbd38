"""Real-browser checks: Playwright driving Debian's chromium against the live server."""

import re
from pathlib import Path

import pytest

from indicators import roles

from .support.browser import PASSWORD, sign_in
from .support.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLES = Path(__file__).resolve().parent.parent / "fixtures" / "samples"


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
    # Charts are drawn as they scroll into view (static/js/charts.js).
    page.locator("#chart-26").scroll_into_view_if_needed()
    page.wait_for_selector("#chart-26[data-drawn='true']", timeout=15000)
    # Plotly drew an SVG with the figure's line and the target's.
    chart = page.locator("#chart-26")
    assert chart.locator("svg.main-svg").count() >= 1
    assert chart.locator(".scatterlayer .trace").count() == 2
    page.evaluate("window.scorecardCharts.draw()")  # the rest, as the PDF pack draws them
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


def test_an_editor_imports_priority_6_publishes_and_a_councillor_sees_it(page, live_server, seed):
    """Issue 3's journey: XLSX made from the seed's Priority 6 table, preview, confirm,
    publish; then a viewer sees the figures."""
    from indicators.models import Value
    from indicators.periods import Month
    from intake.publishing import unpublish

    Value.objects.filter(indicator__reference__in=["69", "76", "77", "78"]).delete()
    unpublish(Month(2023, 9), None, "Priority 6 figures to be re-imported")
    make_user("advisor", roles.EDITOR, PASSWORD)
    make_user("councillor", roles.VIEWER, PASSWORD)

    sign_in(page, live_server, "advisor")
    page.get_by_role("link", name="Enter figures").click()
    page.get_by_role("link", name="Import figures from a spreadsheet").click()
    page.get_by_label("Spreadsheet (CSV or Excel .xlsx)").set_input_files(
        str(SAMPLES / "priority6_report_layout.xlsx")
    )
    page.get_by_role("button", name="Preview the import").click()
    assert page.get_by_text("12 figures to add").is_visible()
    assert page.get_by_text("The Target column was not imported").is_visible()
    changes = page.locator("table.changes-table")
    assert (
        changes.get_by_role("row")
        .filter(has_text="78")
        .filter(has_text="Sep-23")
        .get_by_text("11.25")
        .is_visible()
    )
    # Jul-23 and Aug-23 are still published: their figures are revisions, with a reason.
    page.get_by_label("Reason for revising Jul-23, Aug-23").fill("Priority 6 re-imported.")
    page.get_by_role("button", name="Confirm and import").click()
    assert page.get_by_text("12 figures added").is_visible()

    page.get_by_role("link", name="September 2023").click()
    page.get_by_role("button", name="Save and go to publishing").click()
    page.get_by_label(re.compile("I have seen what September 2023 still lacks")).check()
    page.get_by_role("button", name="Publish Sep-23").click()
    assert page.get_by_text("September 2023 is published").first.is_visible()
    page.get_by_role("button", name="Sign out advisor").click()

    sign_in(page, live_server, "councillor")
    page.goto(f"{live_server.url}/priorities/6/?period=2023-09")
    table = page.locator("table.scorecard-table")
    row = table.get_by_role("row").filter(has_text="Sickness Average Days Lost")
    assert row.get_by_text("11.25").is_visible()
    assert row.get_by_text("Red").first.is_visible()


def test_charts_offer_no_upload_to_an_outside_service(page, live_server, seed):
    make_user("councillor", roles.VIEWER, PASSWORD)
    sign_in(page, live_server, "councillor")
    page.goto(f"{live_server.url}/indicators/7/")
    page.wait_for_selector("#chart-history[data-drawn='true']")
    page.hover("#chart-history")
    assert page.locator("#chart-history .modebar").count() == 1
    assert page.locator("[data-title='Share chart...']").count() == 0
    assert page.locator("#chart-history svg[aria-hidden='true']").count() >= 1
