"""Issue 14's "done when", in a real browser: a set-up workbook written by hand for Devon
(three priorities, ten indicators: two rates per 10,000, the agency trajectory from 37.9% in
Oct-22 to 25% by Oct-23, an anticipated range) is uploaded into an empty database by its one
administrator; then the dashboard, the priority and indicator pages and the committee pack
show Devon's names and targets, with no trace of Plymouth."""

import io
import re

import openpyxl
import pytest
from pypdf import PdfReader

from indicators import roles
from indicators.models import Indicator, Priority

from .support import devon
from .support.axe import BLOCKING, audit, describe
from .support.browser import PASSWORD, sign_in
from .support.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_plymouth(page):
    html = page.content()
    assert "Plymouth" not in html and "51,635" not in html, page.url


def no_serious_violations(page, name):
    blocking = [v for v in audit(page) if v["impact"] in BLOCKING]
    assert not blocking, describe(name, page.url, blocking)


def test_devon_is_set_up_from_a_hand_written_workbook_and_every_page_is_devons(
    page, live_server, tmp_path
):
    assert not Indicator.objects.exists() and not Priority.objects.exists()  # empty
    administrator = make_user("admin", roles.ADMINISTRATOR, PASSWORD)
    administrator.is_staff = True
    administrator.save()
    sign_in(page, live_server, "admin")

    # The first page links to the set-up template.
    assert page.get_by_role("heading", name="Not set up yet").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the set-up template").click()
    assert download.value.suggested_filename == "scorecard-set-up-template.xlsx"
    template = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert {"Council", "Priorities", "Indicators", "Targets", "Populations"} <= set(
        template.sheetnames
    )
    no_plymouth(page)

    # The workbook, filled in by hand, is uploaded, previewed and confirmed.
    workbook = tmp_path / "devon-set-up.xlsx"
    workbook.write_bytes(devon.setup_workbook())
    page.get_by_role("link", name="upload it on the set-up page").click()
    no_serious_violations(page, "set-up page")
    page.get_by_label("Set-up workbook (Excel .xlsx)").set_input_files(str(workbook))
    page.get_by_role("button", name="Preview the set-up").click()
    summary = page.locator("ul.setup-summary")
    assert summary.get_by_text("Priorities: 3 to add, 0 to change").is_visible()
    assert summary.get_by_text("Indicators: 10 to add, 0 to change").is_visible()
    assert summary.get_by_text("Targets: 8 to add, 0 to change").is_visible()
    assert summary.get_by_text("0 problems").is_visible()
    additions = page.locator("table.additions-table")
    assert additions.get_by_text("Trajectory of D08 from Oct-22").is_visible()
    assert additions.get_by_text("Anticipated range of D01 from Apr-22").is_visible()
    no_serious_violations(page, "set-up preview")
    page.get_by_role("button", name="Confirm and set up").click()
    assert page.get_by_text("Set up from devon-set-up.xlsx: Council: 1 added").is_visible()

    # Devon's figures from its minutes, imported and published as any month's are.
    figures = tmp_path / "devon-figures.csv"
    figures.write_bytes(devon.figures_csv())
    page.get_by_role("link", name="Enter figures").click()
    page.get_by_role("link", name="Import figures from a spreadsheet").click()
    page.get_by_label("Spreadsheet (CSV or Excel .xlsx)").set_input_files(str(figures))
    page.get_by_role("button", name="Preview the import").click()
    assert page.get_by_text("9 figures to add").is_visible()
    page.get_by_role("button", name="Confirm and import").click()
    for month, label in (
        ("October 2021", "Oct-21"),
        ("March 2022", "Mar-22"),
        ("September 2022", "Sep-22"),
        ("October 2022", "Oct-22"),
    ):
        page.get_by_role("navigation", name="Menu").get_by_role(
            "link", name="Enter figures"
        ).click()
        page.get_by_role("link", name=month).click()
        page.get_by_role("button", name="Save and go to publishing").click()
        page.get_by_label(re.compile(f"I have seen what {month} still lacks")).check()
        page.get_by_role("button", name=f"Publish {label}").click()
        assert page.get_by_text(f"{month} is published").first.is_visible()  # fmt: skip

    # The dashboard: Devon's names, priorities and leads.
    page.goto(f"{live_server.url}/?period=2022-10")
    header = page.locator(".govuk-generic-header__homepage-link")
    assert header.inner_text() == devon.COUNCIL
    counts = page.locator("table.priorities-table")
    for number, title, _, lead, _ in devon.PRIORITIES:
        assert counts.get_by_role("link", name=f"{number}. {title}").is_visible()
        assert counts.get_by_text(lead).first.is_visible()
    assert page.get_by_text("Not set up yet").count() == 0
    no_plymouth(page)

    # Priority 3: the trajectory as the month's target, judged, and drawn into the future.
    counts.get_by_role("link", name="3. Recruitment, retention and agency staff").click()
    table = page.locator("table.scorecard-table")
    agency = table.get_by_role("row").filter(has_text="Percentage of social workers who are")
    # The table prints a trajectory short; the row's details give it in full (issue 21).
    assert agency.get_by_text("37.9% (trajectory)", exact=True).is_visible()
    assert "37.9% (trajectory to 25.0% by Oct-23)" in agency.locator("details").text_content()
    assert agency.get_by_text("Green").first.is_visible()
    caseload = table.get_by_role("row").filter(has_text="Average social worker caseload")
    assert caseload.get_by_text("18 Local").is_visible()
    page.locator("#chart-D08").scroll_into_view_if_needed()
    page.wait_for_selector("#chart-D08[data-drawn='true']")
    chart = page.locator("#chart-D08")
    assert chart.locator(".scatterlayer .trace").count() == 2  # the figure and the trajectory
    assert chart.locator(".annotation-text").text_content() == (
        "Goal 25.0% by Oct-23: on track for the goal"
    )
    assert chart.locator(".legendtext").filter(has_text="Trajectory to 25.0% by Oct-23").count()
    assert "On track for the goal" in page.locator("#chart-D08-caption").inner_text()
    no_plymouth(page)

    # Priority 1 in September: the referral rate against its anticipated range.
    page.goto(f"{live_server.url}/priorities/1/?period=2022-09")
    referrals = page.locator("table.scorecard-table").get_by_role("row").filter(has_text="D01")
    assert referrals.get_by_text("430r-500r (range)", exact=True).is_visible()
    assert "430r to 500r (anticipated range)" in referrals.locator("details").text_content()
    tag = referrals.locator(".rag--within-range")
    assert tag.locator("[aria-hidden='true']").inner_text() == "Within range"  # shown
    assert tag.locator(".govuk-visually-hidden").text_content() == (
        "Within range: inside the anticipated range of 430 to 500"  # read out
    )
    page.locator("#chart-D01").scroll_into_view_if_needed()
    page.wait_for_selector("#chart-D01[data-drawn='true']")
    assert page.locator("#chart-D01 .legendtext").filter(has_text="Anticipated range").count()
    no_plymouth(page)

    # The indicator page: the trajectory in words, and no synthetic-history note.
    page.goto(f"{live_server.url}/indicators/D08/")
    assert (
        page.locator(".trajectory-progress")
        .inner_text()
        .startswith("On track for the goal: 37.9% in Oct-22")
    )
    assert page.get_by_text("synthetic").count() == 0
    no_plymouth(page)
    no_serious_violations(page, "indicator page with a trajectory")

    # The committee pack, downloaded from the dashboard as a councillor would.
    page.goto(f"{live_server.url}/?period=2022-10")
    page.get_by_text("Committee pack (PDF) for Oct-22").click()
    with page.expect_download(timeout=90000) as download:
        page.get_by_role("button", name="Download the committee pack (PDF)").click()
    text = "\n".join(
        page_text.extract_text() for page_text in PdfReader(download.value.path()).pages
    )
    cover = " ".join(text.split())
    assert devon.COUNCIL in cover and devon.COMMITTEE in cover
    for words in (
        "Priority 3: Recruitment, retention and agency staff",
        "37.9% (trajectory to 25.0% by Oct-23)",
        "430r to 500r (anticipated range)",
        "Within range",
        "On track for the goal",
    ):
        assert words in cover, words
    assert "Plymouth" not in text and "51,635" not in text
    assert f"{devon.COUNCIL} · Scorecard, October 2022" in cover  # every page's footer
