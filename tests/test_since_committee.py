"""Since the last committee (scorecard.since_committee): what changed between the month the
previous meeting reviewed and this one, judged as the pages judge it, on a real database."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators.figures import Figure
from indicators.models import CommitteeMeeting, Indicator, PublishedMonth, Value
from indicators.periods import Month
from scorecard import since_committee as since
from scorecard.pack import PackOptions, pack_pdf

from .support.factories import make_indicator, make_priority, make_target, make_values
from .support.pdf_text import text_of

SEP, AUG, JUL = Month(2023, 9), Month(2023, 8), Month(2023, 7)


def _publish(*months):
    for month in months:
        PublishedMonth.objects.create(period=month.first_day, published_at=timezone.now())


def _texts(result, group):
    return {change.reference: change.text for change in result.of(group)}


@pytest.fixture
def priority(db):
    return make_priority(1)


# (case, Aug-23 and Sep-23 figures, target changes, the group and its words expected).
CASES = [
    (
        "red in Sep-23, not in Aug-23",
        [80, 60],
        None,
        since.TURNED_RED,
        "Green in Aug-23 (80.0%), Red in Sep-23 (60.0%)",
    ),
    (
        "red in Aug-23, not in Sep-23",
        [60, 80],
        None,
        since.LEFT_RED,
        "Red in Aug-23 (60.0%), Green in Sep-23 (80.0%)",
    ),
    (
        "amber to green",
        [70, 80],
        None,
        since.RAG_CHANGED,
        "Amber in Aug-23 (70.0%), Green in Sep-23 (80.0%)",
    ),
    ("the target changed", [80, 80], 90, since.TARGETS_CHANGED, "75.0% in Aug-23, 90.0% in Sep-23"),
    ("red or worsening only now", [80, 60], None, since.NEW_EXCEPTIONS, "Red"),
]


@pytest.mark.parametrize(
    ("case", "figures", "new_target", "group", "words"), CASES, ids=[c[0] for c in CASES]
)
def test_each_change_is_found_with_its_words_and_link(
    priority, case, figures, new_target, group, words
):
    indicator = make_indicator("7", priority)
    if new_target is None:
        make_target(indicator, 75)
    else:
        make_target(indicator, 75, valid_to=dt.date(2023, 8, 31))
        make_target(indicator, new_target, valid_from="2023-09")
    make_values(indicator, "2023-08", figures)
    _publish(AUG, SEP)
    result = since.since_committee(SEP)
    assert result.previous == AUG and result.meeting is None
    found = result.of(group)
    assert [change.reference for change in found] == ["7"], case
    assert words in found[0].text
    assert found[0].url == reverse("indicator", args=["7"]) + "?period=2023-09"
    assert found[0].name == "Indicator 7"


def test_no_change_lists_nothing(priority):
    make_target(indicator := make_indicator("7", priority), 75)
    make_values(indicator, "2023-08", [80, 81])
    _publish(AUG, SEP)
    assert since.since_committee(SEP).changes == []


def test_the_previous_month_is_the_one_the_last_meeting_reviewed(priority):
    make_target(indicator := make_indicator("7", priority), 75)
    make_values(indicator, "2023-07", [60, 80, 80])
    _publish(JUL, AUG, SEP)
    CommitteeMeeting.objects.create(
        committee="Scrutiny", date=dt.date(2023, 9, 5), reviews=JUL.first_day
    )
    # A meeting reviewing Sep-23 itself is not the previous one for Sep-23.
    CommitteeMeeting.objects.create(
        committee="Scrutiny", date=dt.date(2023, 11, 7), reviews=SEP.first_day
    )
    result = since.since_committee(SEP)
    assert result.previous == JUL
    assert result.title == "Since the last committee: Jul-23 to Sep-23"
    assert "Red in Jul-23 (60.0%)" in _texts(result, since.LEFT_RED)["7"]


def test_a_revision_since_the_meeting_is_listed_with_its_reason(priority):
    make_target(indicator := make_indicator("7", priority), 75)
    make_values(indicator, "2023-07", [80, 80, 80])
    _publish(JUL, AUG, SEP)
    CommitteeMeeting.objects.create(
        committee="Scrutiny", date=dt.date(2023, 9, 5), reviews=JUL.first_day
    )
    before = timezone.make_aware(dt.datetime(2023, 9, 1, 12))
    after = timezone.make_aware(dt.datetime(2023, 10, 2, 12))
    for month, when in ((JUL, before), (AUG, after)):
        value = Value.objects.get(indicator=indicator, period=month.first_day)
        value.mark_revised(Figure(value.value), "Late recording found", when=when)
        value.value = Decimal("82")
        value.save()
    texts = [change.text for change in since.since_committee(SEP).of(since.REVISIONS)]
    # Only the revision made after the meeting.
    assert texts == ["Aug-23: now 82.0%. Revised on 2 Oct 2023 from 80.0%: Late recording found"]


def test_a_suppressed_count_is_never_described(priority):
    small = make_indicator(
        "9", priority, unit=Indicator.Unit.COUNT, polarity=Indicator.Polarity.LOWER_IS_BETTER
    )
    make_target(small, 10)
    # 30 then 3: a viewer sees "x" in Sep-23. Whatever the "x" stands for (1 to 4) is below
    # 30 and the target, so neither a RAG change nor a direction is said of it; a revision
    # from 2 says one child was added, so its previous figure is an "x" too.
    make_values(small, "2023-08", [30, 3])
    _publish(AUG, SEP)
    value = Value.objects.get(indicator=small, period=SEP.first_day)
    value.mark_revised(Figure(Decimal("2")), "Recount")
    value.save()
    result = since.since_committee(SEP)
    assert [(change.group, change.reference) for change in result.changes] == [
        (since.REVISIONS, "9")
    ]
    text = result.changes[0].text
    assert text.startswith("Sep-23: now x. Revised on ") and text.endswith(" from x: Recount")


def test_a_viewer_sees_published_months_only_and_an_editor_drafts_marked(
    client, viewer, editor, priority
):
    make_target(indicator := make_indicator("7", priority), 75)
    make_values(indicator, "2023-08", [80, 60])
    _publish(AUG)  # Sep-23 is a draft
    client.force_login(viewer)
    assert client.get(reverse("since_committee"), {"period": "2023-09"}).status_code == 404
    client.force_login(editor)
    response = client.get(reverse("since_committee"), {"period": "2023-09"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Since the last committee: Aug-23 to Sep-23" in page
    assert "Draft: September 2023 is not published" in page
    assert 'href="/indicators/7/?period=2023-09"' in page
    _publish(SEP)
    client.force_login(viewer)
    page = client.get(reverse("since_committee"), {"period": "2023-09"}).content.decode()
    assert "Draft:" not in page
    assert "Green in Aug-23 (80.0%), Red in Sep-23 (60.0%)" in page


def test_an_editor_is_told_when_the_previous_month_is_a_draft_too(client, editor, priority):
    make_target(indicator := make_indicator("7", priority), 75)
    make_values(indicator, "2023-08", [80, 60])
    client.force_login(editor)
    page = client.get(reverse("since_committee"), {"period": "2023-09"}).content.decode()
    assert "Draft: August 2023, September 2023 are not published" in page


def test_the_dashboard_links_to_the_page(client, viewer, priority):
    make_target(indicator := make_indicator("7", priority), 75)
    make_values(indicator, "2023-08", [80, 60])
    _publish(AUG, SEP)
    client.force_login(viewer)
    page = client.get(reverse("dashboard"), {"period": "2023-09"}).content.decode()
    assert f'href="{reverse("since_committee")}?period=2023-09"' in page


def test_the_seed_pack_has_the_section_with_a_real_change(seed, chromium):
    # The seed's only meeting reviews Sep-23, so Sep-23 is compared with Aug-23; indicator
    # 26 was green in Aug-23 and is red in Sep-23.
    result = since.since_committee(SEP)
    assert result.previous == AUG
    assert "26" in _texts(result, since.TURNED_RED)
    _, pages = text_of(pack_pdf(SEP, PackOptions()))
    page = next(
        p for p in pages if p.lstrip().startswith("Since the last committee: Aug-23 to Sep-23")
    )
    flat = " ".join(page.split())
    assert "Turned red" in flat
    assert "Green in Aug-23 (8.9%), Red in Sep-23 (12.3%)" in flat
