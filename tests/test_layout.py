"""Every page type measured as Chromium draws it, at 1366, 1024 and 390 px, on the demonstration
data (Plymouth) and on a second council set up from a workbook (Devon).

What is measured (``MEASURE`` below, run in the page):
- ``overflow``: no element is wider than the box it sits in, outside an intended scroll box
  (``.table-container``: a named, focusable region that scrolls sideways);
- ``clipped``: no text is cut off: a table cell, or a box that hides its overflow, holds all
  of its content (``scrollWidth <= clientWidth``);
- ``cut off``: from 1024 px up, no table needs its scroll box: every cell is in view;
- ``page scroll``: at 390 px the page itself never scrolls sideways;
- ``name hidden``: a table that scrolls sideways keeps each row's name (its row header) in
  view once scrolled to its far end.

Each check is shown to fail on a deliberately broken snippet (the ``test_the_check_...``
tests), so a clean run means something. Each page is loaded once per width, in one browser.
``LAYOUT_SCREENSHOTS=<folder>`` also saves a full-page screenshot of every page measured.
"""

import os
from pathlib import Path

import pytest

from indicators import roles
from intake.quarterly_seed import load_quarterly_seed

from .support.browser import PASSWORD, WAIT_MS, sign_in
from .support.consortia import join_a_consortium
from .support.events_pages import record_events_and_ask_for_sign_off
from .support.factories import make_user
from .support.layout import WIDTHS, measure, report, screenshots

pytestmark = [pytest.mark.browser]

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "samples"

# The page types, for each council: (name, address). The import preview is reached by
# uploading a sample file (``upload_sample``).
PLYMOUTH = {
    "dashboard": "/?period=2023-09",
    "priority": "/priorities/3/?period=2023-09",
    "priority (status, milestones)": "/priorities/1/?period=2023-09",
    "indicator": "/indicators/26/",
    "since the last committee": "/since-committee/?period=2023-09",
    "quarterly report": "/quarters/2023-24-q2/",
    "entry grid": "/entry/2023-09/",
    "publishing": "/entry/2023-09/publish/",
    "milestones form": "/entry/2023-09/milestones/1/",
    "set-up": "/setup/",
    "audit": "/audit/",
    "questions and actions": "/questions/",
    "consortium comparison": "/consortia/south-west/?period=2023-09",
}
DEVON = {
    "dashboard": "/?period=2022-10",
    "priority (trajectory)": "/priorities/3/?period=2022-10",
    "priority (anticipated range)": "/priorities/2/?period=2022-10",
    "indicator (trajectory)": "/indicators/D08/",
    "since the last committee": "/since-committee/?period=2022-10",
    "quarterly report": "/quarters/2022-23-q3/",
    "entry grid": "/entry/2022-10/",
    "publishing": "/entry/2022-10/publish/",
    "set-up": "/setup/",
    "audit": "/audit/",
}


def draw_charts(page):
    if page.locator("[data-chart]").count():
        page.evaluate("window.scorecardCharts.draw()")


def upload_sample(page, live_server):
    """The import preview: a report-layout sample uploaded, then its preview page's address."""
    page.goto(f"{live_server.url}/import/")
    page.set_input_files("input[type=file]", str(SAMPLE / "priority6_report_layout.csv"))
    page.get_by_role("button", name="Preview the import").click()
    page.wait_for_url("**/import/*/")
    return page.url.removeprefix(live_server.url)


def measure_council(browser, live_server, pages, council):
    """{"page at width": [problems]} for every page at every width, each loaded once."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    folder = os.environ.get("LAYOUT_SCREENSHOTS")
    found = {}
    try:
        sign_in(page, live_server, "admin")
        pages = {**pages, "import preview": upload_sample(page, live_server)}
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for name, url in pages.items():
                page.goto(f"{live_server.url}{url}")
                page.wait_for_load_state("load")
                draw_charts(page)
                problems = measure(page, width)
                if problems:
                    found[f"{name} at {width}px"] = problems
                if folder:
                    slug = "".join(c if c.isalnum() else "-" for c in name)
                    screenshots(page, f"{folder}/{council}-{slug}-{width}", width)
    finally:
        context.close()
    return found


def raise_questions():
    """Questions on indicator 26 (whose page is measured), one answered at length, one
    overdue, so the questions page and the indicator's section are measured filled."""
    import datetime as dt

    from indicators.models import CommitteeMeeting, Indicator, Question

    indicator = Indicator.objects.get(reference="26")
    meeting = CommitteeMeeting.objects.first()
    officer = make_user("officer", roles.EDITOR, PASSWORD)
    long_text = "Members asked why the rate rose and what the service expects next. " * 12
    Question.objects.create(
        text=long_text,
        indicator=indicator,
        meeting=meeting,
        assigned_to=officer,
        due_date=dt.date(2023, 12, 1),
        answer="An unusually large sibling group; see the October commentary. " * 10,
        answered_by=officer,
        status=Question.Status.ANSWERED,
    )
    Question.objects.create(
        kind=Question.Kind.ACTION,
        text="Bring a 12-month trajectory to the next meeting.",
        indicator=indicator,
        meeting=meeting,
        assigned_to=officer,
        due_date=dt.date(2024, 1, 9),
    )


def hold_meetings():
    """The demonstration's August 2023 meeting with its questions and actions, and a pack
    issued for the seed's November meeting (its checksum is a long unbroken word): the
    meetings' pages measured filled. Their addresses."""
    import hashlib

    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from indicators.models import CommitteeMeeting
    from intake.seed import DEMO_MEETING_DATE, add_demo_meeting
    from scorecard.models import IssuedPack

    november = CommitteeMeeting.objects.get()
    officer = get_user_model().objects.get(username="officer")
    add_demo_meeting(officer, make_user("councillor", roles.VIEWER, PASSWORD))
    august = CommitteeMeeting.objects.get(date=DEMO_MEETING_DATE)
    content = b"%PDF-1.7 an issued pack"
    IssuedPack.objects.create(
        meeting=november,
        month=november.reviews,
        committee=november.committee,
        meeting_date=november.date,
        path=default_storage.save("issued-packs/layout.pdf", ContentFile(content)),
        filename="pack.pdf",
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        issued_by=officer,
    )
    return {
        "meetings": "/meetings/",
        "meeting (actions)": f"/meetings/{august.pk}/",
        "meeting (issued pack)": f"/meetings/{november.pk}/",
    }


def administrator():
    user = make_user("admin", roles.ADMINISTRATOR, PASSWORD)
    user.is_staff = True
    user.save()


@pytest.mark.django_db(transaction=True)
def test_every_page_fits_its_width_on_the_demonstration_data(browser, live_server, seed):
    load_quarterly_seed()
    administrator()
    raise_questions()
    join_a_consortium()
    meetings = hold_meetings()
    pages = {**PLYMOUTH, **meetings, **record_events_and_ask_for_sign_off()}
    found = measure_council(browser, live_server, pages, "plymouth")
    assert found == {}, report(found)


@pytest.mark.django_db(transaction=True)
def test_every_page_fits_its_width_for_a_second_council(browser, live_server, devon_set_up):
    administrator()
    found = measure_council(browser, live_server, DEVON, "devon")
    assert found == {}, report(found)


# Each check fails on a page broken on purpose --------------------------------------------
BROKEN = {
    "overflow": '<div style="width:300px"><div style="width:600px">A wide box</div></div>',
    "clipped": '<table><tr><td style="max-width:40px;overflow:hidden;white-space:nowrap">'
    "A long description cut off</td></tr></table>",
    "cut off": '<div class="table-container" style="overflow-x:auto;width:500px">'
    '<table style="width:900px"><tbody><tr><th scope="row" style="position:sticky;left:0">'
    "Name</th><td>1</td></tr></tbody></table></div>",
    "name hidden": '<div class="table-container" style="overflow-x:auto;width:300px">'
    '<table style="width:900px"><tbody><tr><th scope="row">Name</th><td>1</td></tr></tbody>'
    "</table></div>",
    "page scroll": '<p style="width:700px">A paragraph wider than a phone</p>',
    "overflow: the text": '<h1 style="width:300px">'
    "Import priority6_report_layout_september.csv</h1>",
}
# The same snippets mended: what each check asks for.
MENDED = {
    "overflow": '<div style="width:300px"><div style="max-width:100%">A wide box</div></div>',
    "clipped": "<table><tr><td>A long description in full</td></tr></table>",
    "cut off": '<div class="table-container" style="overflow-x:auto;width:500px">'
    '<table style="width:400px"><tbody><tr><th scope="row">Name</th><td>1</td></tr></tbody>'
    "</table></div>",
    "name hidden": '<div class="table-container" style="overflow-x:auto;width:300px">'
    '<table style="width:900px"><tbody><tr><th scope="row" style="position:sticky;left:0;'
    'background:#fff">Name</th><td style="width:800px">1</td></tr></tbody></table></div>',
    "page scroll": '<p style="max-width:100%">A paragraph that wraps to a phone</p>',
    "overflow: the text": '<h1 style="width:300px;overflow-wrap:anywhere">'
    "Import priority6_report_layout_september.csv</h1>",
}


@pytest.fixture(scope="module")
def bare_page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("check", list(BROKEN))
def test_the_check_finds_a_broken_page_and_passes_the_mended_one(bare_page, check):
    width = 1024 if check == "cut off" else 390
    bare_page.set_viewport_size({"width": width, "height": 800})
    bare_page.set_content(f"<body style='margin:8px'>{BROKEN[check]}</body>")
    problems = measure(bare_page, width)
    assert [p for p in problems if p.startswith(check if " " in check else f"{check}:")], problems
    bare_page.set_content(f"<body style='margin:8px'>{MENDED[check]}</body>")
    assert measure(bare_page, width) == []
