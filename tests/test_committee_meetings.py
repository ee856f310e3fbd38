"""The committee's calendar: the meetings an administrator keeps, and the pack's cover filled in
from the meeting that reviews the month (or else the next one)."""

import datetime as dt
import re
from html import unescape

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from indicators.models import CommitteeMeeting, Council

from .support.pdf_text import text_of

COMMITTEE = "Children and Young People's Scrutiny Committee"


def meeting(date, reviews=None, committee=COMMITTEE):
    return CommitteeMeeting.objects.create(
        committee=committee,
        date=dt.date.fromisoformat(date),
        reviews=dt.date.fromisoformat(reviews) if reviews else None,
    )


# (meetings in the calendar, the pack's month, today, the meeting chosen)
CASES = [
    ([], "2023-09-01", "2023-10-01", None),
    # The meeting that reviews the month, even when it has passed.
    ([("2023-11-07", "2023-09-01")], "2023-09-01", "2024-06-01", "2023-11-07"),
    # Of two that review it, the earlier.
    (
        [("2023-12-05", "2023-09-01"), ("2023-11-07", "2023-09-01")],
        "2023-09-01",
        "2023-10-01",
        "2023-11-07",
    ),
    # None reviews it: the next meeting on or after today (today's counts), past ones not.
    (
        [("2023-10-03", None), ("2023-10-10", "2023-08-01"), ("2023-11-07", None)],
        "2023-09-01",
        "2023-10-10",
        "2023-10-10",
    ),
    ([("2023-10-03", None)], "2023-09-01", "2023-10-04", None),
    # A meeting reviewing the month wins over an earlier upcoming one.
    (
        [("2023-10-10", "2023-08-01"), ("2023-11-07", "2023-09-01")],
        "2023-09-01",
        "2023-10-01",
        "2023-11-07",
    ),
]


@pytest.mark.parametrize(("calendar", "month", "today", "chosen"), CASES)
def test_the_pack_is_printed_for_the_meeting_reviewing_its_month_or_else_the_next(
    db, calendar, month, today, chosen, django_assert_num_queries
):
    for date, reviews in calendar:
        meeting(date, reviews)
    with django_assert_num_queries(1):  # the calendar, ordered by the rule
        found = CommitteeMeeting.for_pack(
            dt.date.fromisoformat(month), dt.date.fromisoformat(today)
        )
    assert (found.date.isoformat() if found else None) == chosen


def test_a_month_reviewed_is_stored_as_its_first_day_by_the_database(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        meeting("2023-11-07", "2023-09-15")
    with pytest.raises(IntegrityError), transaction.atomic():
        meeting("2023-11-07")
        meeting("2023-11-07")  # the same committee twice on one day


def _pack_form(html):
    """The pack form's fields as a browser would submit them: (action, {name: value})."""
    form = re.search(
        r'<form class="pack-form pack-download"[^>]*action="([^"]+)"(.*?)</form>', html, re.S
    )
    assert form, "no pack form on the page"
    fields = {}
    for tag in re.findall(r"<input[^>]*>", form.group(2)):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        fields[name.group(1)] = unescape(value.group(1)) if value else ""
    return form.group(1), fields


@pytest.mark.parametrize("page", [("dashboard", []), ("priority", [6])])
def test_the_pages_pack_form_is_filled_in_from_the_seeded_meeting(seed, viewer_client, page):
    name, args = page
    html = viewer_client.get(reverse(name, args=args), {"period": "2023-09"}).content.decode()
    _, fields = _pack_form(html)
    assert fields == {
        "period": "2023-09",
        "committee": "Education and Children's Social Care Overview and Scrutiny Committee",
        "meeting_date": "2023-11-07",
    }
    assert "for the meeting on 7 November 2023" in html


def test_a_meeting_added_later_fills_in_the_form_of_a_page_cached_before(seed, viewer_client):
    url = reverse("dashboard")
    first = _pack_form(viewer_client.get(url, {"period": "2023-08"}).content.decode())[1]
    assert first["meeting_date"] == ""  # nothing reviews August, and 2023's meetings are past
    meeting("2023-10-03", "2023-08-01")
    second = _pack_form(viewer_client.get(url, {"period": "2023-08"}).content.decode())[1]
    assert (second["committee"], second["meeting_date"]) == (COMMITTEE, "2023-10-03")


@pytest.mark.browser
def test_one_click_prints_the_meeting_on_the_packs_cover(seed, viewer_client, chromium):
    html = viewer_client.get(reverse("dashboard"), {"period": "2023-09"}).content.decode()
    action, fields = _pack_form(html)
    response = viewer_client.get(action, fields)
    assert response["Content-Type"] == "application/pdf"
    _, pages = text_of(response.content)
    cover = " ".join(pages[0].split())
    assert "Meeting: 7 November 2023" in cover
    assert "Education and Children's Social Care Overview and Scrutiny Committee" in cover


def test_an_administrator_keeps_the_calendar_with_months_typed_as_months(db, administrator, client):
    # The council the administrator's role made, named.
    Council.objects.filter(pk=Council.current().pk).update(
        name="Devon County Council", committee_name=COMMITTEE
    )
    client.force_login(administrator)
    add = reverse("admin:indicators_committeemeeting_add")
    form = client.get(add).content.decode()
    # A new meeting starts with the council's committee.
    committee = re.search(r'<input[^>]*name="committee"[^>]*>', form).group(0)
    assert f'value="{COMMITTEE}"' in unescape(committee)
    response = client.post(
        add, {"committee": COMMITTEE, "date": "2023-11-07", "reviews": "2023-09"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = CommitteeMeeting.objects.get()
    assert stored.reviews == dt.date(2023, 9, 1)
    assert stored.history.count() == 1  # recorded as every change is
    # A meeting cannot review a month that has not begun by its date: said, nothing saved.
    response = client.post(
        add, {"committee": COMMITTEE, "date": "2023-11-08", "reviews": "2023-12"}
    )
    assert response.status_code == 200
    assert "A meeting reviews a month that has begun by the meeting" in unescape(
        response.content.decode()
    )
    assert CommitteeMeeting.objects.count() == 1


@pytest.mark.browser
def test_the_scheduled_pack_takes_its_meeting_from_the_calendar(seed, chromium, tmp_path):
    output = tmp_path / "pack.pdf"
    call_command("export_pack", "--period", "2023-09", "--output", str(output))
    _, pages = text_of(output.read_bytes())
    assert "Meeting: 7 November 2023" in " ".join(pages[0].split())
