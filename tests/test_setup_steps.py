"""The guided set-up (issue 22): the *Set up* page shows the four steps in order, each "Done"
or "Not started" with what is done in words and a link to where it is done; the indicators
under no priority are listed; a preview says which step fixes each problem."""

import re
from html import unescape

import pytest
from django.urls import reverse

from indicators import roles
from indicators.models import Indicator, Milestone, Value
from indicators.periods import Month
from intake.publishing import publish
from intake.setup.steps import setup_steps, unplaced_indicators

from .support.factories import make_indicator, make_priority, make_target, make_user
from .support.lait import import_extract
from .support.uploads import setup_workbook as workbook
from .support.uploads import upload_setup

IMPORT_URL = "/admin/indicators/laitmeasure/import/"


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def text(html):
    """What a reader sees of ``html``: its words, entities read, spaces collapsed."""
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))).strip()


def test_an_empty_councils_set_up_page_shows_four_steps_not_started(admin_client):
    page = admin_client.get(reverse("setup")).text
    assert page.count('class="govuk-task-list__item') == 4
    names = re.findall(
        r'class="govuk-link govuk-task-list__link" href="([^"]*)"[^>]*>([^<]*)<', page
    )
    assert names == [
        (IMPORT_URL, "1. Import DfE data (LAIT)"),
        ("#workbook", "2. Fill in and upload the set-up workbook"),
        ("/admin/auth/user/", "3. Add users"),
        ("/entry/", "4. Enter and publish the first month"),
    ]
    assert page.count(">Not started</strong>") == 4
    words = text(page)
    assert "Import DfE's LAIT data (Administration > LAIT measures > Import DfE LAIT data)" in words
    assert "0 editors, 0 viewers and 1 administrator." in words
    assert "Indicators under no priority" not in words


def test_each_step_says_what_is_done_once_it_is(admin_client, administrator):
    import_extract()
    priority = make_priority(1, title="Front door")
    indicator = make_indicator("10", priority)
    make_target(indicator, 23)
    Milestone.objects.create(priority=priority, workstream="Front door arrangements")
    make_user("advisor", roles.EDITOR)
    make_user("councillor", roles.VIEWER)
    make_user("councillor2", roles.VIEWER)
    steps = setup_steps(today=Month(2023, 10))
    assert [step.status for step in steps] == ["Done", "Done", "Done", "Not started"]
    assert steps[0].words.startswith("182 DfE measures imported") or "DfE measures imported" in (
        steps[0].words
    )
    assert "the council is DfE authority 879" in steps[0].words
    assert steps[1].words == "1 priority, 1 indicator, 1 target and 1 milestone set up."
    assert steps[2].words.startswith("1 editor, 2 viewers and 1 administrator.")
    assert steps[3].words == (
        "Enter the figures for September 2023, then publish the month for councillors."
    )
    assert [link.url for link in steps[3].links] == [
        "/entry/2023-09/",
        "/entry/2023-09/publish/",
    ]
    # Figures entered, then the month published.
    Value.objects.create(indicator=indicator, period=Month(2023, 8).first_day, value=20)
    assert setup_steps(Month(2023, 10))[3].words == (
        "Figures entered for August 2023: publish the month for councillors."
    )
    publish(Month(2023, 8), administrator)
    last = setup_steps(Month(2023, 10))[3]
    assert (last.status, last.words) == (
        "Done",
        "1 month published, the latest August 2023. Each month: enter its figures, then "
        "publish it.",
    )
    page = admin_client.get(reverse("setup")).text
    assert page.count(">Not started</strong>") == 0
    assert page.count('class="govuk-task-list__status" id="step-1-status">Done<') == 1


def test_indicators_under_no_priority_are_listed_with_ways_to_fix_them(admin_client):
    priority = make_priority(1)
    make_indicator("1", priority)
    make_indicator("12", frequency=Indicator.Frequency.ANNUAL)
    make_indicator("2")
    make_indicator("3", active=False)  # left off every page anyway
    make_indicator("Q1", report_section="1.1 Referrals")  # a row of the quarterly report
    assert [i.reference for i in unplaced_indicators()] == ["2", "12"]
    page = admin_client.get(reverse("setup")).text
    assert "These 2 indicators appear on no page until they are put under a priority." in page
    table = page[page.index('class="govuk-table unplaced-table"') :]
    assert '<th scope="row" class="govuk-table__header">12</th>' in table
    assert "Annual" in table
    assert f'href="{reverse("setup_current")}"' in page
    assert 'href="/admin/indicators/priority/"' in page


def test_a_preview_says_which_step_fixes_each_problem(admin_client):
    data = workbook(
        Indicators=[
            ["Reference", "Description", "Unit", "Polarity", "Measure basis"],
            ["10", "Re-referrals", "Percentage", "Lower is better", "Rolling 12 months"],
            ["11", "Assessments", "Percentage", "Sideways", "In month"],
        ],
        LAIT_links=[["Indicator", "LAIT measure", "Years"], ["10", "ReReferral", "Financial year"]],
    )
    response = upload_setup(admin_client, data)
    preview = admin_client.get(response["Location"]).text
    words = text(preview)
    assert (
        "Step 1, DfE data: 1 problem names DfE's LAIT data, which is not imported yet. Import "
        "it (Administration > LAIT measures > Import DfE LAIT data), then upload this "
        "workbook again."
    ) in words
    assert "Step 2, the workbook: correct 1 problem in the workbook and upload it again." in words
    rows = re.findall(
        r'<tr class="govuk-table__row">(.*?)</tr>', preview[preview.index("problems-table") :]
    )
    shown = [text(row) for row in rows[:2]]
    assert shown[0].startswith("Indicators 3 Polarity 'Sideways' is not one of")
    assert shown[0].endswith("Fixed in step 2: the workbook")
    assert shown[1] == (
        "LAIT links 2 LAIT measure 'ReReferral' is not a measure of the imported LAIT data "
        "(import it first) Fixed in step 1: import DfE data"
    )
    assert f'<a class="govuk-link" href="{IMPORT_URL}">step 1: import DfE data</a>' in preview
    # Once DfE's data is in, the same workbook's LAIT link is no problem.
    import_extract()
    response = upload_setup(admin_client, data)
    preview = admin_client.get(response["Location"]).text
    assert "Step 1, DfE data" not in preview and "step 1: import DfE data" not in preview
