"""Every read page, the entry grid, the exports and the pack's context read an exact number
of queries, the same at two data sizes: a count that grew with the data would show here.

Each count is the sum of the named queries beside it. A signed-in request always starts with
four: the session, the user, the council the address is for (scorecard.tenancy) and the
user's role in that council (the role check). Pages that show DfE
benchmarks are counted twice: with no indicator linked to a LAIT measure (no benchmark query)
and with every indicator linked to one of the extract's measures.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators.models import (
    AnnualFigure,
    Benchmark,
    Commentary,
    Event,
    Milestone,
    MilestoneUpdate,
    Population,
    PublishedMonth,
)
from indicators.periods import Month
from scorecard.pack import PackOptions, pack_context

from .support.factories import make_indicator, make_priority, make_target, make_values
from .support.lait import MEASURES, import_extract

SIGNED_IN = 4  # session, user, the council of the address, the user's role there
# The data version (scorecard.cache): pages and downloads that choose a month read it first.
VERSION = 1
# The council's row (its name in the header and footer, a workbook's title): in a request,
# the council of the address, read with it (SIGNED_IN), so no query of its own; outside one
# (the pack's context, printed by the task worker) read once.
COUNCIL = 0
COUNCIL_OUTSIDE_A_REQUEST = 1
# Dashboard, not yet cached: the version; months with figures (published ones for a viewer);
# the published months with who published them ("published on DATE by NAME", and for an
# editor the draft marks); load_scorecard's six: headline measures, figures (with their
# revisions), targets, commentary, populations (rates' implied counts and the key), events;
# the council.
# The committee meeting the pack's form is filled in from (CommitteeMeeting.for_pack): one
# query on the dashboard and each priority page, when the page body is worked out.
MEETING = 1
# The questions and actions about a priority or an indicator, read afresh on every view of its
# page (outside the cached body: a question shows as soon as it is saved), one query.
QUESTIONS = 1
# The events on the charts (drawn, and those that changed the process rebase the SPC limits):
# one query wherever rows are judged (load_scorecard, load_indicator_history), after the
# populations; a priority's event joined to its indicators.
EVENTS = 1
# load_scorecard: headline measures, figures, targets, commentary, populations, events.
LOAD_SCORECARD = 5 + EVENTS
DASHBOARD_QUERIES = SIGNED_IN + VERSION + 1 + 1 + LOAD_SCORECARD + COUNCIL + MEETING
# Priority page: the priority, then the dashboard's (the meeting too), then the month's
# milestone updates, then the priority's RAG status this month and last
# (queries.priority_status, one query).
PRIORITY_QUERIES = (
    SIGNED_IN + 1 + VERSION + 1 + 1 + LOAD_SCORECARD + 1 + 1 + COUNCIL + MEETING + QUESTIONS
)
# Cached (the same page again, nothing changed): the version, and the council for the header
# (which is outside the cached body, as a signed-in 404's is); a priority's questions.
DASHBOARD_CACHED = SIGNED_IN + VERSION + COUNCIL
PRIORITY_CACHED = DASHBOARD_CACHED + QUESTIONS
# Indicator page: the version, the indicator; its figures, targets, commentary, benchmarks,
# the populations and its events (its own and its priorities'); its priorities (the
# breadcrumbs); the council (the header); its questions.
INDICATOR_QUERIES = SIGNED_IN + VERSION + 1 + 5 + EVENTS + 1 + COUNCIL + QUESTIONS
# Cached: the version and the council for the header, as the dashboard's; its questions.
INDICATOR_CACHED = DASHBOARD_CACHED + QUESTIONS
# An editor's dashboard and priority page read nothing more (the publications above give the
# draft marks); the indicator page reads the published months (draft marks) and the change
# history: figures, targets and commentary history.
EDITOR_EXTRA = {"dashboard": 0, "priority": 0, "indicator": 1 + 3}
# Scorecard CSV: the version and the months with figures (to choose the month),
# load_scorecard's six. XLSX: and the council (the workbook's title names it).
CSV_QUERIES = SIGNED_IN + VERSION + 1 + LOAD_SCORECARD
XLSX_QUERIES = CSV_QUERIES + COUNCIL
# Indicator history CSV and XLSX: the indicator, the version (the download is kept under it),
# its figures, targets, commentary, benchmarks, populations, events; the workbook's title
# names the council.
HISTORY_CSV_QUERIES = SIGNED_IN + 1 + VERSION + 5 + EVENTS
HISTORY_XLSX_QUERIES = HISTORY_CSV_QUERIES + COUNCIL
# An export again, nothing changed (kept under the version, scorecard.cache): the version, and
# the months with figures kept with it; an indicator's history reads its indicator first.
CSV_CACHED = SIGNED_IN + VERSION
HISTORY_CACHED = SIGNED_IN + 1 + VERSION
# Quarterly report: the rows, the tables' own columns, the yearly figures, the benchmarks,
# the quarter's monthly figures, the populations, the quarters with figures; an editor also
# reads the published months (the draft warning). The council (the header).
QUARTERLY_QUERIES = SIGNED_IN + 7 + COUNCIL
# Entry grid: the priorities the editor is limited to (indicators.scope: none, for this
# editor); whether the month is published; the headline measures, the figures of the month
# and the twelve before it (the plausibility checks' history), targets, commentary; the
# priorities (to work one at a time); the council (the header).
ENTRY_QUERIES = SIGNED_IN + 1 + 1 + 4 + 1 + COUNCIL
# The pack's context (no request): load_scorecard's six, every priority's milestone
# updates at once, every priority's status this month and last at once, the month's
# publication (who and when), the council (its names on the cover and in the footer); and
# "Since the last committee" (SINCE_COMMITTEE).
# Since the last committee (scorecard.since_committee): the previous meeting, then
# load_scorecard's six for this month and six for the previous meeting's month.
SINCE_COMMITTEE = 1 + LOAD_SCORECARD + LOAD_SCORECARD
PACK_QUERIES = LOAD_SCORECARD + 1 + 1 + 1 + COUNCIL_OUTSIDE_A_REQUEST + SINCE_COMMITTEE
# DfE LAIT benchmarks, when an indicator is linked to a measure (none otherwise): the
# council's comparators (benchmarks_for_loaded; the council is the address's), on the priority
# page, the indicator page, the exports and the quarterly report and its downloads; never on
# the dashboard or the entry grid. Outside a request (the pack) the council is read too.
LAIT = 1
LAIT_OUTSIDE_A_REQUEST = 2
# The indicator page's chart of every authority: the neighbours, the measure-year's values
# and its stored comparators (authority_values, given the council).
DISTRIBUTION = 3
# The quarterly report's Excel and PDF downloads read what its page reads.
QUARTERLY_DOWNLOAD_QUERIES = QUARTERLY_QUERIES
# A PDF takes the printer's slots (scorecard.print_slots): lapsed slots deleted, the person's
# slot inserted and checked, the server's inserted and checked, both given back.
PRINT_SLOTS = 6
# A PDF not yet in storage is asked for once (scorecard.stored_prints.first_to_ask): its lapsed
# "asked" row deleted, its row inserted and checked; and the row deleted once the PDF is
# stored. Its name holds the data version (VERSION).
ASKED = 4


def _build(indicator_count, months=24, priority_count=6, linked=False):
    """``indicator_count`` indicators under ``priority_count`` priorities with ``months`` of
    published figures to Sep-23; ``linked``: the LAIT extract imported for Plymouth and each
    indicator linked to one of its seven measures in turn."""
    if linked:
        import_extract()
    first = Month(2023, 9).plus(-(months - 1))
    PublishedMonth.objects.bulk_create(
        PublishedMonth(period=first.plus(n).first_day, published_at=timezone.now())
        for n in range(months)
    )
    priorities = [make_priority(number) for number in range(1, priority_count + 1)]
    Population.objects.create(
        name="Children",
        age_from=0,
        age_to=17,
        value=51635,
        source="Census",
        valid_from="2021-03-01",
    )
    for index in range(indicator_count):
        priority = priorities[index % priority_count]
        lait = {}
        if linked:
            code, alignment = MEASURES[index % len(MEASURES)]
            lait = {"lait_measure_id": code, "lait_years": alignment}
        indicator = make_indicator(
            str(index + 1), priority, order=index, report_section="1.1 Section", **lait
        )
        make_target(indicator, 80)
        make_values(indicator, first.iso, [70 + index % 20] * months)
        Commentary.objects.create(indicator=indicator, period="2023-09-01", text="Noted.")
        AnnualFigure.objects.create(indicator=indicator, year_label="2022/23", value=70)
        Benchmark.objects.create(
            indicator=indicator, comparator="england", period_label="2021/22", value=75
        )
        # An event on each indicator's charts (the process changed: its SPC is rebased).
        Event.objects.create(
            indicator=indicator, period="2022-10-01", label="Changed", changed_process=True
        )
    for priority in priorities:
        Event.objects.create(priority=priority, period="2023-04-01", label="Front door opened")
        milestone = Milestone.objects.create(priority=priority, workstream="Workstream")
        MilestoneUpdate.objects.create(milestone=milestone, period="2023-09-01", direction="up")


@pytest.mark.parametrize("indicator_count", [10, 100])
@pytest.mark.parametrize("linked", [False, True])
def test_dashboard_query_count_is_constant(
    viewer_client, django_assert_num_queries, indicator_count, linked
):
    _build(indicator_count, linked=linked)
    with django_assert_num_queries(DASHBOARD_QUERIES):  # no benchmarks on the dashboard
        response = viewer_client.get(reverse("dashboard"), {"period": "2023-09"})
    assert response.status_code == 200
    rows = response.context["scorecard"].rows
    assert len(rows) == indicator_count
    # Every row was judged on a loaded, published figure.
    assert all(row.value(Month(2023, 9)) is not None for row in rows)
    assert "no data" not in {row.rag.value for row in rows}


# The month at a glance (scorecard.glance) is drawn from the rows the dashboard loads.
@pytest.mark.parametrize("indicator_count", [10, 100])
def test_the_picture_adds_no_query_to_the_dashboard(
    viewer_client, django_assert_num_queries, indicator_count
):
    _build(indicator_count)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = viewer_client.get(reverse("dashboard"), {"period": "2023-09"})
    assert len(response.context["glance"]["ratings"]["figure"]["data"]) >= 1


@pytest.mark.parametrize("indicator_count", [10, 100])
@pytest.mark.parametrize("linked", [False, True])
def test_priority_page_query_count_is_constant(
    viewer_client, django_assert_num_queries, indicator_count, linked
):
    _build(indicator_count, linked=linked)
    with django_assert_num_queries(PRIORITY_QUERIES + LAIT * linked):
        response = viewer_client.get(reverse("priority", args=[1]), {"period": "2023-09"})
    assert response.status_code == 200
    assert len(response.context["charts"]) == -(-indicator_count // 6)
    # Every linked row carries its benchmarks: they were loaded, not left out.
    rows = response.context["table"].data.data
    assert all((row.benchmark is not None) is linked for row in rows)


@pytest.mark.parametrize("indicator_count", [10, 100])
@pytest.mark.parametrize(
    ("url", "args", "params", "cached"),
    [
        ("dashboard", [], {"period": "2023-09"}, DASHBOARD_CACHED),
        ("priority", [1], {"period": "2023-09"}, PRIORITY_CACHED),
        ("indicator", ["1"], {}, INDICATOR_CACHED),
        ("indicator", ["1"], {"page": "2"}, INDICATOR_CACHED),
    ],
)
def test_a_page_served_from_the_cache_reads_the_version_and_nothing_else(
    viewer_client, django_assert_num_queries, indicator_count, url, args, params, cached
):
    _build(indicator_count, months=60)
    first = viewer_client.get(reverse(url, args=args), params)
    with django_assert_num_queries(cached):
        again = viewer_client.get(reverse(url, args=args), params)
    assert again.status_code == 200

    def main(response):  # the page's own part: the head carries a fresh CSP nonce each time
        text = response.content.decode()
        # The question form below the cached body carries a fresh CSRF token each time.
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text[text.index("<main") :])

    assert main(again) == main(first)  # the same page, from the cache


@pytest.mark.parametrize("indicator_count", [10, 100])
@pytest.mark.parametrize("linked", [False, True])
def test_indicator_page_query_count_is_constant(
    viewer_client, django_assert_num_queries, indicator_count, linked
):
    _build(indicator_count, months=60, linked=linked)
    with django_assert_num_queries(INDICATOR_QUERIES + (LAIT + DISTRIBUTION) * linked):
        response = viewer_client.get(reverse("indicator", args=["1"]))
    assert response.status_code == 200
    assert len(response.context["history"].records) == 60
    panel = response.context["benchmark_panel"]
    assert (panel is not None and panel["chart"] is not None) is linked


@pytest.mark.parametrize("indicator_count", [10, 100])
@pytest.mark.parametrize(
    ("page", "url", "params", "queries", "benchmark_queries"),
    [
        ("dashboard", "dashboard", {"period": "2023-09"}, DASHBOARD_QUERIES, 0),
        ("priority", "priority", {"period": "2023-09"}, PRIORITY_QUERIES, LAIT),
        ("indicator", "indicator", {}, INDICATOR_QUERIES, LAIT + DISTRIBUTION),
    ],
)
@pytest.mark.parametrize("linked", [False, True])
def test_an_editors_read_pages_query_count_is_constant(
    client,
    editor,
    django_assert_num_queries,
    indicator_count,
    page,
    url,
    params,
    queries,
    benchmark_queries,
    linked,
):
    _build(indicator_count, linked=linked)
    client.force_login(editor)
    args = {"priority": [1], "indicator": ["1"]}.get(page, [])
    expected = queries + EDITOR_EXTRA[page] + benchmark_queries * linked
    with django_assert_num_queries(expected):
        response = client.get(reverse(url, args=args), params)
    assert response.status_code == 200


@pytest.mark.parametrize("indicator_count", [10, 100])
@pytest.mark.parametrize(
    ("url", "args", "queries", "content_type"),
    [
        ("scorecard_csv", [], CSV_QUERIES, "text/csv"),
        ("scorecard_xlsx", [], XLSX_QUERIES, "application/vnd.openxmlformats"),
        ("indicator_history_csv", ["1"], HISTORY_CSV_QUERIES, "text/csv"),
        ("indicator_history_xlsx", ["1"], HISTORY_XLSX_QUERIES, "application/vnd.openxmlformats"),
    ],
)
@pytest.mark.parametrize("linked", [False, True])
def test_the_exports_query_count_is_constant(
    viewer_client,
    django_assert_num_queries,
    indicator_count,
    url,
    args,
    queries,
    content_type,
    linked,
):
    _build(indicator_count, linked=linked)
    with django_assert_num_queries(queries + LAIT * linked):
        response = viewer_client.get(reverse(url, args=args), {"period": "2023-09"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    cached = HISTORY_CACHED if url.startswith("indicator_history") else CSV_CACHED
    with django_assert_num_queries(cached):
        again = viewer_client.get(reverse(url, args=args), {"period": "2023-09"})
    assert again.content == response.content


@pytest.mark.parametrize("indicator_count", [10, 100])
@pytest.mark.parametrize("as_editor", [False, True])
@pytest.mark.parametrize("linked", [False, True])
def test_the_quarterly_reports_query_count_is_constant(
    client, viewer, editor, django_assert_num_queries, indicator_count, as_editor, linked
):
    _build(indicator_count, linked=linked)
    client.force_login(editor if as_editor else viewer)
    with django_assert_num_queries(QUARTERLY_QUERIES + as_editor + LAIT * linked):
        response = client.get(reverse("quarterly_report", args=["2023-24-q2"]))
    assert response.status_code == 200
    assert len(response.context["report"].tables[0].rows) == indicator_count


@pytest.mark.parametrize("indicator_count", [10, 100])
@pytest.mark.parametrize("as_editor", [False, True])
@pytest.mark.parametrize("linked", [False, True])
def test_the_quarterly_workbooks_query_count_is_constant(
    client, viewer, editor, django_assert_num_queries, indicator_count, as_editor, linked
):
    _build(indicator_count, linked=linked)
    client.force_login(editor if as_editor else viewer)
    expected = QUARTERLY_DOWNLOAD_QUERIES + as_editor + LAIT * linked
    with django_assert_num_queries(expected):
        response = client.get(reverse("quarterly_report_xlsx", args=["2023-24-q2"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.browser
@pytest.mark.parametrize("indicator_count", [10, 100])
@pytest.mark.parametrize("linked", [False, True])
def test_the_quarterly_pdfs_query_count_is_constant(
    viewer_client, django_assert_num_queries, browser, indicator_count, linked
):
    _build(indicator_count, linked=linked)
    # Printed in the request (the immediate task backend): the version (its stored name), the
    # asked-for row and the printer's slots, then what the page reads; printing reads nothing
    # more (the report is loaded before it goes to Chromium).
    expected = QUARTERLY_DOWNLOAD_QUERIES + VERSION + ASKED + PRINT_SLOTS + LAIT * linked
    with django_assert_num_queries(expected):
        response = viewer_client.get(reverse("quarterly_report_pdf", args=["2023-24-q2"]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("indicator_count", [10, 100])
def test_the_entry_grids_query_count_is_constant(
    client, editor, django_assert_num_queries, indicator_count
):
    _build(indicator_count)
    client.force_login(editor)
    with django_assert_num_queries(ENTRY_QUERIES):
        response = client.get(reverse("entry_month", args=["2023-09"]))
    assert response.status_code == 200
    assert sum(len(entries) for _, entries in response.context["groups"]) == indicator_count


@pytest.mark.parametrize(("indicator_count", "priority_count"), [(10, 2), (100, 6)])
@pytest.mark.parametrize("linked", [False, True])
def test_the_packs_context_query_count_is_constant(
    db, django_assert_num_queries, indicator_count, priority_count, linked
):
    _build(indicator_count, priority_count=priority_count, linked=linked)
    with django_assert_num_queries(PACK_QUERIES + LAIT_OUTSIDE_A_REQUEST * linked):
        context = pack_context(Month(2023, 9), PackOptions())
    assert len(context["sections"]) == priority_count
    assert all(len(section["updates"]) == 1 for section in context["sections"])
    assert sum(len(section["charts"]) for section in context["sections"]) == indicator_count


# The questions and actions page (scorecard.questions): how many match the filters (the
# paginator's count), the page's questions with their indicator or priority, meeting and
# people joined in (one query); the filters' choices: the meetings, the priorities and the
# officers; the council (the header).
QUESTION_PAGE_QUERIES = SIGNED_IN + 1 + 1 + 3 + COUNCIL
# Filtered: each chosen meeting, priority and officer is looked up as the filters are checked.
QUESTION_FILTERS_CHECKED = 3


def _questions(count):
    from indicators.models import CommitteeMeeting, Question

    from .support.factories import make_user

    officer = make_user("officer")
    meeting = CommitteeMeeting.objects.create(committee="Scrutiny", date="2023-11-07")
    priorities = [make_priority(number) for number in range(1, 4)]
    indicators = [make_indicator(str(n), priorities[n % 3]) for n in range(1, 6)]
    for index in range(count):
        about = (
            {"indicator": indicators[index % 5]}
            if index % 2
            else {"priority": priorities[index % 3]}
        )
        Question.objects.create(
            text=f"Question {index}",
            meeting=meeting,
            assigned_to=officer,
            raised_by=officer,
            answer="Answered." if index % 3 else "",
            answered_by=officer if index % 3 else None,
            **about,
        )
    return officer, meeting, priorities[0]


@pytest.mark.parametrize("question_count", [5, 120])
@pytest.mark.parametrize("filtered", [False, True])
def test_questions_page_query_count_is_constant(
    viewer_client, django_assert_num_queries, question_count, filtered
):
    officer, meeting, priority = _questions(question_count)
    params = (
        {"status": "open", "priority": priority.pk, "meeting": meeting.pk, "officer": officer.pk}
        if filtered
        else {}
    )
    with django_assert_num_queries(QUESTION_PAGE_QUERIES + QUESTION_FILTERS_CHECKED * filtered):
        response = viewer_client.get(reverse("questions"), params)
    assert response.status_code == 200
    shown = response.context["table"].page.object_list
    assert len(shown) >= 1
    if not filtered:
        assert len(shown) == min(question_count, 50)
        assert f"Question {question_count - 1}" in response.content.decode()


# Since the last committee: the version, the months with figures (to choose the month and
# refuse a viewer an unpublished one), then scorecard.since_committee's (SINCE_COMMITTEE),
# the council (the header); an editor also reads the published months (the draft marks),
# passed to both months' load_scorecard.
SINCE_COMMITTEE_QUERIES = SIGNED_IN + VERSION + 1 + SINCE_COMMITTEE + COUNCIL


@pytest.mark.parametrize("indicator_count", [10, 100])
@pytest.mark.parametrize(("as_editor", "extra"), [(False, 0), (True, 1)])
def test_the_since_committee_pages_query_count_is_constant(
    client, viewer, editor, django_assert_num_queries, indicator_count, as_editor, extra
):
    _build(indicator_count)
    client.force_login(editor if as_editor else viewer)
    with django_assert_num_queries(SINCE_COMMITTEE_QUERIES + extra):
        response = client.get(reverse("since_committee"), {"period": "2023-09"})
    assert response.status_code == 200
    assert response.context["since"].previous == Month(2023, 8)


# "Actions from the last meeting" in the pack: the questions and actions raised at the
# meeting "Since the last committee" compares with (that section reads the meeting), with
# their indicator or priority and people joined in: one query (none without a meeting).
LAST_ACTIONS = 1


def _meetings(count, question_count):
    """``count`` meetings reviewing a month each, every other one with an issued pack, and
    ``question_count`` questions raised at the latest; the latest."""
    import datetime as dt

    from indicators.models import CommitteeMeeting, Indicator, Priority, Question
    from scorecard.models import IssuedPack

    from .support.factories import make_user

    officer = make_user("officer")
    # Those _build made, if it was called.
    priority = Priority.objects.order_by("number").first() or make_priority(1)
    indicator = Indicator.objects.order_by("pk").first() or make_indicator("1", priority)
    meetings = []
    for index in range(count):
        month = Month(2023, 8).plus(-index)
        meeting = CommitteeMeeting.objects.create(
            committee="Scrutiny", date=month.plus(1).first_day, reviews=month.first_day
        )
        meetings.append(meeting)
        if index % 2 == 0:
            IssuedPack.objects.create(
                meeting=meeting,
                month=month.first_day,
                committee="Scrutiny",
                meeting_date=meeting.date,
                path=f"issued-packs/{meeting.pk}/pack.pdf",
                filename="pack.pdf",
                sha256="0" * 64,
                size=1,
                issued_by=officer,
            )
    for index in range(question_count):
        Question.objects.create(
            kind=Question.Kind.ACTION if index % 2 else Question.Kind.QUESTION,
            text=f"Question {index}",
            meeting=meetings[0],
            assigned_to=officer,
            raised_by=officer,
            due_date=dt.date(2023, 10, 1),
            answer="Answered." if index % 3 else "",
            answered_by=officer if index % 3 else None,
            **({"indicator": indicator} if index % 2 else {"priority": priority}),
        )
    return meetings[0]


@pytest.mark.parametrize(("indicator_count", "question_count"), [(10, 3), (100, 60)])
def test_the_packs_context_with_actions_from_the_last_meeting_query_count_is_constant(
    db, django_assert_num_queries, indicator_count, question_count
):
    _build(indicator_count)
    _meetings(1, question_count)
    with django_assert_num_queries(PACK_QUERIES + LAST_ACTIONS):
        context = pack_context(Month(2023, 9), PackOptions())
    assert len(context["last_actions"].items) == question_count


# The meetings page (scorecard.meetings): every meeting with its issued pack (and who issued
# it) joined in and its questions counted, one query; the council (the header).
MEETINGS_QUERIES = SIGNED_IN + 1 + COUNCIL
# A meeting's page: the meeting with its issued pack, whether the month it reviewed is
# published, its questions and actions with their indicator or priority, meeting and people
# joined in; the council (the header).
MEETING_QUERIES = SIGNED_IN + 1 + 1 + 1 + COUNCIL


@pytest.mark.parametrize(("meeting_count", "question_count"), [(3, 5), (40, 120)])
def test_the_meetings_pages_query_counts_are_constant(
    viewer_client, django_assert_num_queries, meeting_count, question_count
):
    latest = _meetings(meeting_count, question_count)
    with django_assert_num_queries(MEETINGS_QUERIES):
        response = viewer_client.get(reverse("meetings"))
    assert response.status_code == 200
    assert len(response.context["meetings"]) == meeting_count
    assert response.content.decode().count("Not issued") == meeting_count // 2
    with django_assert_num_queries(MEETING_QUERIES):
        response = viewer_client.get(reverse("meeting", args=[latest.pk]))
    assert response.status_code == 200
    assert len(response.context["actions"].items) == question_count
    assert f"Question {question_count - 1}" in response.content.decode()


@pytest.mark.parametrize(("indicator_count", "question_count"), [(10, 3), (100, 60)])
def test_the_since_committee_page_with_the_last_meetings_actions_query_count_is_constant(
    viewer_client, django_assert_num_queries, indicator_count, question_count
):
    _build(indicator_count)
    meeting = _meetings(1, question_count)
    with django_assert_num_queries(SINCE_COMMITTEE_QUERIES + LAST_ACTIONS):
        response = viewer_client.get(reverse("since_committee"), {"period": "2023-09"})
    assert response.status_code == 200
    assert response.context["since"].meeting == meeting
    assert len(response.context["last_actions"].items) == question_count
