"""Issue 22's guided set-up in a real browser: the one administrator of an empty council
follows the *Set up* page's steps in order, imports DfE's LAIT extract from step 1's link (the
admin's import page, a custom view), uploads and confirms a set-up workbook that links an
indicator to a DfE measure, then enters and publishes the first month from step 4's links,
never opening one of the admin's model pages. Screenshots of the set-up page and a preview
with problems are kept in /tmp/shots-setup/ at a laptop's and a phone's width."""

import io
import re
from pathlib import Path

import openpyxl
import pytest

from indicators import roles
from indicators.models import Indicator, Milestone, PublishedMonth
from indicators.periods import Month

from .support.axe import BLOCKING, audit, describe
from .support.browser import PASSWORD, PHONE, sign_in
from .support.factories import make_user
from .support.lait import APRIL_2021, DATA, DICTIONARY, MAY_2025

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots-setup")
LAPTOP = {"width": 1366, "height": 900}


def set_up_workbook(lait_measure="ReReferral"):
    """A small council's workbook: one priority with two headline measures (one linked to a
    DfE measure), a target and a milestone."""
    book = openpyxl.Workbook()
    book.active.title = "Council"
    book["Council"].append(["Council name", "DfE authority number"])
    book["Council"].append(["Northshire Council", 879])
    sheets = {
        "Priorities": [
            ["Number", "Title", "Lead officer", "Headline measures"],
            [1, "Early Help and Front Door responses", "Head of Service, Front Door", "10, 7"],
        ],
        "Indicators": [
            ["Reference", "Description", "Unit", "Polarity", "Measure basis"],
            ["10", "Re-referrals within 12 months", "Percentage", "Lower is better",
             "Rolling 12 months"],
            ["7", "MASH decisions within 24 hours", "Percentage", "Higher is better", "In month"],
        ],
        "Targets": [["Indicator", "Value", "From"], ["10", 23, "Apr-22"], ["7", 90, "Apr-22"]],
        "LAIT links": [["Indicator", "LAIT measure", "Years"],
                       ["10", lait_measure, "Financial year"]],
        "Milestones": [["Priority", "Milestone", "Owner"],
                       [1, "Develop and deliver effective Front Door arrangements",
                        "HoS Front Door"]],
    }  # fmt: skip
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def step(page, number):
    return page.locator(f"#step-{number}")


def status(page, number):
    return step(page, number).locator(".govuk-task-list__status").inner_text().strip()


def no_admin_model_page(page):
    """The admin's import page is a custom view; its model pages are not to be needed."""
    path = page.url.split("://", 1)[1].split("/", 1)[1]
    assert not path.startswith("admin/") or path.startswith(
        "admin/indicators/laitmeasure/import"
    ), page.url


def no_serious_violations(page, name):
    blocking = [v for v in audit(page) if v["impact"] in BLOCKING]
    assert not blocking, describe(name, page.url, blocking)


def shoot(page, name):
    """The page in full at a laptop's and a phone's width, for a person to look at."""
    SHOTS.mkdir(exist_ok=True)
    for label, size in (("1366", LAPTOP), ("390", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} at {label} px is {overflow} px too wide"
    page.set_viewport_size(LAPTOP)


def test_an_administrator_follows_the_set_up_steps_to_a_published_first_month(
    page, live_server, tmp_path
):
    assert not Indicator.objects.exists()
    administrator = make_user("admin", roles.ADMINISTRATOR, PASSWORD)
    administrator.is_staff = True
    administrator.save()
    sign_in(page, live_server, "admin")
    page.set_viewport_size(LAPTOP)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Set up").click()
    assert page.get_by_role("heading", name="Set up the scorecard").is_visible()
    assert [status(page, n) for n in (1, 2, 3, 4)] == ["Not started"] * 4
    no_serious_violations(page, "set-up page, empty")

    # A workbook naming a DfE measure before DfE's data is in: the preview says step 1.
    early = tmp_path / "northshire-set-up.xlsx"
    early.write_bytes(set_up_workbook())
    page.get_by_label("Set-up workbook (Excel .xlsx)").set_input_files(str(early))
    page.get_by_role("button", name="Preview the set-up").click()
    problems = page.locator("table.problems-table")
    row = problems.get_by_role("row").filter(has_text="'ReReferral' is not a measure")
    assert row.get_by_role("link", name="step 1: import DfE data").is_visible()
    assert page.get_by_role("button", name="Confirm and set up").count() == 0
    no_serious_violations(page, "set-up preview with problems")
    shoot(page, "preview-problems")
    page.get_by_role("button", name="Cancel").click()

    # Step 1: DfE's data, from the step's link (the admin's import page).
    shoot(page, "set-up-empty")
    step(page, 1).get_by_role("link", name="1. Import DfE data (LAIT)").click()
    assert "/admin/indicators/laitmeasure/import/" in page.url
    page.get_by_label("LAIT data").set_input_files(str(DATA))
    page.get_by_label("Data dictionary").set_input_files(str(DICTIONARY))
    page.get_by_label("Statistical-neighbour lists").set_input_files(
        [str(APRIL_2021), str(MAY_2025)]
    )
    page.get_by_label("The council's DfE authority number").fill("879")
    page.get_by_role("button", name="Import").click()
    assert page.get_by_role("heading", name="Imported").is_visible()
    no_admin_model_page(page)
    page.goto(f"{live_server.url}/setup/")
    assert status(page, 1) == "Done"
    assert "the council is DfE authority 879" in step(page, 1).inner_text()

    # Step 2: the same workbook now has no problem; previewed and confirmed.
    step(page, 2).get_by_role("link", name="2. Fill in and upload the set-up workbook").click()
    page.get_by_label("Set-up workbook (Excel .xlsx)").set_input_files(str(early))
    page.get_by_role("button", name="Preview the set-up").click()
    summary = page.locator("ul.setup-summary")
    assert summary.get_by_text("Milestones: 1 to add, 0 to change").is_visible()
    assert summary.get_by_text("LAIT links: 1 to add, 0 to change").is_visible()
    assert summary.get_by_text("0 problems").is_visible()
    shoot(page, "preview")
    page.get_by_role("button", name="Confirm and set up").click()
    assert page.get_by_text("Set up from northshire-set-up.xlsx").is_visible()
    assert Milestone.objects.get().owner == "HoS Front Door"
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Set up").click()
    assert [status(page, n) for n in (1, 2, 3, 4)] == [
        "Done",
        "Done",
        "Not started",
        "Not started",
    ]
    assert "1 priority, 2 indicators, 2 targets and 1 milestone set up." in (
        step(page, 2).inner_text()
    )
    assert "0 editors, 0 viewers and 1 administrator." in step(page, 3).inner_text()
    assert page.get_by_text("Indicators under no priority").count() == 0
    no_serious_violations(page, "set-up page, set up")

    # Step 4: the first month's figures entered, then the month published.
    month = Month.current().previous()
    step(page, 4).get_by_role("link", name=f"Enter figures for {month.long_label}").click()
    page.get_by_label("ID 10 value", exact=True).fill("18.3%")
    page.get_by_label("ID 7 value", exact=True).fill("91.0%")
    page.get_by_role("button", name="Save and go to publishing").click()
    page.get_by_label(re.compile(f"I have seen what {month.long_label} still lacks")).check()
    page.get_by_role("button", name=f"Publish {month.label}").click()
    assert page.get_by_text(f"{month.long_label} is published").first.is_visible()
    assert PublishedMonth.objects.filter(period=month.first_day).exists()

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Set up").click()
    assert status(page, 4) == "Done"
    assert f"1 month published, the latest {month.long_label}." in step(page, 4).inner_text()
    shoot(page, "set-up-done")
