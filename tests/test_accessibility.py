"""Accessibility: axe-core (bundled by axe-playwright-python) on every page in a real browser,
and the entry grid worked with the keyboard alone.

axe is injected with Playwright's ``page.evaluate``, which runs through the DevTools protocol
and is not subject to the page's Content Security Policy: the pages are audited with their real
CSP in force, no bypass needed.
"""

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from indicators import roles
from indicators.models import CommitteeMeeting, Council, Indicator, Priority, Question
from intake.quarterly_seed import load_quarterly_seed
from scorecard.models import IssuedPack

from .support.axe import BLOCKING, audit, describe
from .support.browser import PASSWORD, sign_in
from .support.consortia import join_a_consortium
from .support.events_pages import record_events_and_ask_for_sign_off
from .support.factories import make_indicator, make_user, make_values

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLES = Path(__file__).resolve().parent.parent / "fixtures" / "samples"
SEP = "2023-09"


def test_every_page_has_no_serious_or_critical_axe_violations(page, live_server, seed):
    advisor = make_user("advisor", roles.EDITOR, PASSWORD)
    question = Question.objects.create(
        text="Why did re-referrals rise?",
        indicator=Indicator.objects.get(reference="26"),
        assigned_to=advisor,
        due_date=dt.date(2023, 12, 1),
    )
    new_pages = record_events_and_ask_for_sign_off()
    found = {}

    def check(name, url=None):
        if url is not None:
            page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("load")
        # Charts are drawn by script as they scroll into view: audit them all drawn.
        charts = page.locator("[data-chart]")
        if charts.count():
            page.evaluate("window.scorecardCharts.draw()")
            page.wait_for_function(
                "[...document.querySelectorAll('[data-chart]')]"
                ".every(c => c.dataset.drawn === 'true')"
            )
        violations = audit(page)
        found[name] = (page.url, violations)

    check("sign-in page", "/accounts/login/")
    sign_in(page, live_server, "advisor")
    check("dashboard", f"/?period={SEP}")
    check("priority page", f"/priorities/3/?period={SEP}")
    check("indicator page", "/indicators/26/")
    check("since the last committee", f"/since-committee/?period={SEP}")
    check("entry grid", f"/entry/{SEP}/")
    check("milestones form", f"/entry/{SEP}/milestones/6/")
    check("import upload", "/import/")
    page.get_by_label("Spreadsheet (CSV or Excel .xlsx)").set_input_files(
        str(SAMPLES / "priority6_report_layout.csv")
    )
    page.get_by_role("button", name="Preview the import").click()
    page.wait_for_url("**/import/*/")
    check("import preview")
    check("publishing page", "/entry/2023-10/publish/")
    check("audit page", "/audit/")
    check("questions page", "/questions/")
    check("consortium comparison", join_a_consortium())
    check("a question's page with its answer form", f"/questions/{question.pk}/")
    check("recording a question or action", "/questions/record/")
    for name, url in new_pages.items():  # events on the charts, approving commentary
        check(name, url)
    # The meetings: the demonstration's August meeting with its questions and actions (one
    # overdue) and the issue button; the seed's November meeting with a pack issued for it.
    from intake.seed import DEMO_MEETING_DATE, add_demo_meeting

    add_demo_meeting(advisor, make_user("councillor", roles.VIEWER, PASSWORD))
    august = CommitteeMeeting.objects.get(date=DEMO_MEETING_DATE)
    november = CommitteeMeeting.objects.get(reviews="2023-09-01")
    content = b"%PDF-1.7 an issued pack"
    IssuedPack.objects.create(
        meeting=november,
        month=november.reviews,
        committee=november.committee,
        meeting_date=november.date,
        path="issued-packs/accessibility.pdf",
        filename="pack.pdf",
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        issued_by=advisor,
    )
    check("committee meetings", "/meetings/")
    check("a meeting's page with its actions and the issue button", f"/meetings/{august.pk}/")
    check("a meeting's page with its issued pack", f"/meetings/{november.pk}/")
    page.goto(f"{live_server.url}/entry/2023-10/?priority=2")
    page.get_by_label("ID 10 value", exact=True).fill("0.582")
    page.get_by_role("button", name="Save figures for Oct-23, priority 2").click()
    page.wait_for_selector("#row-10 .plausibility")
    check("entry grid with a warning to acknowledge")
    # Loading the quarterly seed publishes its months, as a council without sign-off does.
    Council.objects.update(commentary_sign_off=False)
    load_quarterly_seed()
    check("quarterly page", "/quarters/2023-24-q2/")
    # A history long enough to be paged: the GOV.UK pagination markup is audited too.
    paged = make_indicator("990", Priority.objects.get(number=1))
    make_values(paged, "2021-01", [40 + n for n in range(33)])
    check("indicator page, second page of its history", "/indicators/990/?page=2")
    assert page.locator("nav.govuk-pagination").is_visible()

    report = [describe(name, url, v) for name, (url, v) in found.items() if v]
    if report:
        print("\naxe findings (all impacts):\n" + "\n".join(report))
    blocking = {
        name: (url, [v for v in violations if v["impact"] in BLOCKING])
        for name, (url, violations) in found.items()
    }
    failures = [describe(name, url, v) for name, (url, v) in blocking.items() if v]
    assert not failures, "serious or critical accessibility violations:\n" + "\n".join(failures)


def assert_saved_one_change(page):
    banner = page.get_by_text("Saved 1 change for September 2023")
    assert banner.is_visible(), page.locator("main").inner_text()[:1500]


def test_the_entry_grid_works_with_the_keyboard_alone(page, live_server, seed):
    from indicators.models import Indicator, Value

    make_user("advisor", roles.EDITOR, PASSWORD)
    sign_in(page, live_server, "advisor")
    page.goto(f"{live_server.url}/entry/{SEP}/")
    first = page.locator("input[name^='value_']").first
    first_key = first.get_attribute("name").removeprefix("value_")
    first.focus()

    save = page.get_by_role("button", name="Save figures for Sep-23")
    order = []
    for _ in range(400):
        focused = page.evaluate(
            "() => { const e = document.activeElement;"
            " return e.name || e.id || e.textContent.trim().slice(0, 40); }"
        )
        order.append(focused)
        if focused.startswith("Save figures"):
            break
        page.keyboard.press("Tab")
    assert order[-1] == "Save figures for Sep-23", order[-10:]

    # Every row's value, status and commentary are reached, in that order, row after row.
    fields = [name for name in order if name.split("_")[0] in {"value", "status", "commentary"}]
    keys = list(dict.fromkeys(name.rsplit("_", 1)[1] for name in fields))
    assert keys[0] == first_key
    assert len(keys) == Indicator.objects.filter(active=True).count()
    assert fields == [f"{kind}_{key}" for key in keys for kind in ("value", "status", "commentary")]

    # Enter on the focused Save button submits the form. (Sep-23 is published: the change is
    # a revision, with its reason typed too.)
    page.locator(f"input[name='value_{first_key}']").fill("")
    page.locator(f"input[name='value_{first_key}']").type("123")
    page.locator(f"input[name='reason_{first_key}']").type("Keyboard check.")
    save.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_saved_one_change(page)
    value = Value.objects.get(indicator_id=first_key, period="2023-09-01")
    assert value.value == 123

    # So does Space.
    page.locator(f"input[name='value_{first_key}']").fill("124")
    page.locator(f"input[name='reason_{first_key}']").type("Keyboard check again.")
    save.focus()
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert_saved_one_change(page)
    value.refresh_from_db()
    assert value.value == 124
