"""A councillor walks to the DfE benchmarks in a real browser (Playwright driving Debian's
chromium): the priority table's England / SN column, the indicator page's panel, the
comparator steps on its chart and the chart of every authority, drawn, and the page audited
with axe; and the printed pack's headline tables."""

import io
import re

import pytest
from pypdf import PdfReader

from indicators import roles
from indicators.periods import Month
from scorecard.pack import PackOptions, pack_pdf

from .support.axe import BLOCKING, audit, describe
from .support.benchmark_demo import add_history
from .support.browser import PASSWORD, PHONE, sign_in
from .support.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_councillor_finds_how_we_compare_on_the_indicator_page(page, live_server, demo):
    add_history()  # published months back to Jan-21, so the chart has years to step through
    make_user("councillor", roles.VIEWER, PASSWORD)
    console_errors = []
    page.on(
        "console",
        lambda message: console_errors.append(message.text) if message.type == "error" else None,
    )
    sign_in(page, live_server, "councillor")
    page.get_by_role("link", name="2. Early Help and Front Door responses").click()

    table = page.locator("table.scorecard-table")
    assert table.get_by_role("columnheader", name="England / SN (year)").is_visible()
    row = table.get_by_role("row").filter(has_text="Percentage of re-referrals")
    assert row.get_by_text("22.4% / 24.3% (2022/23)").is_visible()
    # The quartile band in words in the row's details, not a bare column (issue 21).
    assert "B: councils are put in four bands" in row.locator("details").text_content()
    row.get_by_role("link", name="10", exact=True).click()

    panel = page.get_by_role("region", name="How we compare: DfE benchmarks, 2022/23")
    assert panel.is_visible()
    summary = panel.locator("dl")
    for term, value in [
        ("Plymouth City Council", "20.0%"),
        ("England", "22.4%"),
        ("South West", "23.0%"),
        ("Statistical neighbours' mean", "24.3%"),
        ("Quartile band", "B"),
        ("Rank", "64 of 149"),
    ]:
        entry = summary.locator(".govuk-summary-list__row").filter(has_text=term).first
        assert value in entry.inner_text(), (term, entry.inner_text())

    # The chart of every authority, drawn as it scrolls into view: three sets of bars.
    page.locator("#chart-distribution").scroll_into_view_if_needed()
    page.wait_for_selector("#chart-distribution[data-drawn='true']")
    assert page.locator("#chart-distribution .barlayer .trace").count() == 3
    assert page.locator("#chart-distribution .barlayer .point").count() == 149
    caption = page.locator("#chart-distribution-caption").inner_text()
    assert "Plymouth 20.0%, ranked 64 of 149 (1 is best), quartile band B" in caption
    assert page.locator("#chart-distribution").get_by_text("Plymouth 20.0%").count() == 1

    # The history chart: the figure, the target and a step line per comparator.
    page.locator("#chart-history").scroll_into_view_if_needed()
    page.wait_for_selector("#chart-history[data-drawn='true']")
    assert page.locator("#chart-history .scatterlayer .trace").count() == 5
    legend = page.locator("#chart-history .legend").text_content()
    for name in ["England (DfE)", "South West (DfE)", "Statistical neighbours' mean (DfE)"]:
        assert name in legend
    assert "Stepped lines: DfE's England" in page.locator("#chart-history-caption").inner_text()

    page.evaluate("window.scorecardCharts.draw()")
    violations = [v for v in audit(page) if v["impact"] in BLOCKING]
    assert not violations, describe("indicator page with benchmarks", page.url, violations)
    assert not console_errors, console_errors


def test_the_printed_packs_headline_tables_carry_england_sn_and_the_band(demo, browser):
    reader = PdfReader(io.BytesIO(pack_pdf(Month(2023, 9), PackOptions())))
    whole = "\n".join(page.extract_text() for page in reader.pages)
    # A cell's text may wrap inside its column: spaces and line breaks alike.
    assert len(re.findall(r"England\s*/\s*SN\s*\(year\)", whole)) == 6  # a table per priority
    assert re.search(r"22\.4%\s*/\s*24\.3%\s*\(2022/23\)", whole)  # ID 10
    assert re.search(r"70\.0r\s*/\s*96\.6r\s*\(2022/23\)", whole)  # ID 21
    assert re.search(r"Quartile\s*\(A\s*best\)", whole)


def test_the_benchmark_panel_and_its_charts_fit_a_phone(browser, live_server, demo):
    add_history()
    make_user("councillor", roles.VIEWER, PASSWORD)
    context = browser.new_context(viewport=PHONE, locale="en-GB", has_touch=True)
    phone = context.new_page()
    sign_in(phone, live_server, "councillor")
    for url in ("/indicators/10/", "/priorities/2/?period=2023-09", "/quarters/2023-24-q2/"):
        phone.goto(f"{live_server.url}{url}")
        phone.wait_for_load_state("load")
        if phone.locator("[data-chart]").count():
            phone.evaluate("window.scorecardCharts.draw()")  # a drawn chart must fit too
        assert phone.evaluate("document.documentElement.scrollWidth") == PHONE["width"], url
    context.close()
