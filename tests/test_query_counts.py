"""Every read page, the entry grid, the exports and the pack's context read an exact number
of queries, the same at two data sizes: a count that grew with the data would show here.

Each count is the sum of the named queries beside it. A signed-in request always starts with
three: the session, the user and the user's groups (the role check).
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators.models import (
    AnnualFigure,
    Benchmark,
    Commentary,
    Milestone,
    MilestoneUpdate,
    Population,
    PublishedMonth,
)
from indicators.periods import Month
from scorecard.pack import PackOptions, pack_context

from .factories import make_indicator, make_priority, make_target, make_values

SIGNED_IN = 3  # session, user, groups
# The council's row (its name in the header and footer): read once, when a page or a
# workbook shows it (scorecard.context_processors.council_for, exports, the pack).
COUNCIL = 1
# Dashboard: months with figures (published ones for a viewer); load_scorecard's five:
# headline measures, figures, targets, commentary, populations (rates' implied counts and
# the key); the council.
DASHBOARD_QUERIES = SIGNED_IN + 1 + 5 + COUNCIL
# Priority page: the priority, then the dashboard's, then the month's milestone updates.
PRIORITY_QUERIES = SIGNED_IN + 1 + 1 + 5 + 1 + COUNCIL
# Indicator page: the indicator; its figures, targets, commentary, benchmarks and the
# populations; its priorities (the breadcrumbs); the council.
INDICATOR_QUERIES = SIGNED_IN + 1 + 5 + 1 + COUNCIL
# An editor's pages also read the published months (the draft marks); the indicator page
# also reads the change history: figures, targets and commentary history.
EDITOR_EXTRA = {"dashboard": 1, "priority": 1, "indicator": 1 + 3}
# Scorecard CSV and XLSX: months with figures, load_scorecard's five; the workbook's title
# names the council.
CSV_QUERIES = SIGNED_IN + 1 + 5
XLSX_QUERIES = CSV_QUERIES + COUNCIL
# Indicator history CSV and XLSX: the indicator, its figures, targets, commentary,
# benchmarks, populations; the workbook's title names the council.
HISTORY_CSV_QUERIES = SIGNED_IN + 1 + 5
HISTORY_XLSX_QUERIES = HISTORY_CSV_QUERIES + COUNCIL
# Quarterly report: the rows, the tables' own columns, the yearly figures, the benchmarks,
# the quarter's monthly figures, the populations, the quarters with figures; an editor also
# reads the published months (the draft warning). The council.
QUARTERLY_QUERIES = SIGNED_IN + 7 + COUNCIL
# Entry grid: the headline measures, the month's and previous month's figures, targets,
# commentary, and whether the month is published; the council.
ENTRY_QUERIES = SIGNED_IN + 5 + COUNCIL
# The pack's context (no request): load_scorecard's five, every priority's milestone
# updates at once, the council (its names on the cover and in the footer).
PACK_QUERIES = 5 + 1 + COUNCIL


def _build(indicator_count, months=24, priority_count=6):
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
        indicator = make_indicator(
            str(index + 1), priority, order=index, report_section="1.1 Section"
        )
        make_target(indicator, 80)
        make_values(indicator, first.iso, [70 + index % 20] * months)
        Commentary.objects.create(indicator=indicator, period="2023-09-01", text="Noted.")
        AnnualFigure.objects.create(indicator=indicator, year_label="2022/23", value=70)
        Benchmark.objects.create(
            indicator=indicator, comparator="england", period_label="2021/22", value=75
        )
    for priority in priorities:
        milestone = Milestone.objects.create(priority=priority, workstream="Workstream")
        MilestoneUpdate.objects.create(milestone=milestone, period="2023-09-01", direction="up")


@pytest.mark.parametrize("indicator_count", [10, 100])
def test_dashboard_query_count_is_constant(
    viewer_client, django_assert_num_queries, indicator_count
):
    _build(indicator_count)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = viewer_client.get(reverse("dashboard"), {"period": "2023-09"})
    assert response.status_code == 200
    rows = response.context["scorecard"].rows
    assert len(rows) == indicator_count
    # Every row was judged on a loaded, published figure.
    assert all(row.value(Month(2023, 9)) is not None for row in rows)
    assert "no data" not in {row.rag.value for row in rows}


@pytest.mark.parametrize("indicator_count", [10, 100])
def test_priority_page_query_count_is_constant(
    viewer_client, django_assert_num_queries, indicator_count
):
    _build(indicator_count)
    with django_assert_num_queries(PRIORITY_QUERIES):
        response = viewer_client.get(reverse("priority", args=[1]), {"period": "2023-09"})
    assert response.status_code == 200
    assert len(response.context["charts"]) == -(-indicator_count // 6)


@pytest.mark.parametrize("indicator_count", [10, 100])
def test_indicator_page_query_count_is_constant(
    viewer_client, django_assert_num_queries, indicator_count
):
    _build(indicator_count, months=60)
    with django_assert_num_queries(INDICATOR_QUERIES):
        response = viewer_client.get(reverse("indicator", args=["1"]))
    assert response.status_code == 200
    assert len(response.context["history"].records) == 60


@pytest.mark.parametrize("indicator_count", [10, 100])
@pytest.mark.parametrize(
    ("page", "url", "params", "queries"),
    [
        ("dashboard", "dashboard", {"period": "2023-09"}, DASHBOARD_QUERIES),
        ("priority", "priority", {"period": "2023-09"}, PRIORITY_QUERIES),
        ("indicator", "indicator", {}, INDICATOR_QUERIES),
    ],
)
def test_an_editors_read_pages_query_count_is_constant(
    client, editor, django_assert_num_queries, indicator_count, page, url, params, queries
):
    _build(indicator_count)
    client.force_login(editor)
    args = {"priority": [1], "indicator": ["1"]}.get(page, [])
    with django_assert_num_queries(queries + EDITOR_EXTRA[page]):
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
def test_the_exports_query_count_is_constant(
    viewer_client, django_assert_num_queries, indicator_count, url, args, queries, content_type
):
    _build(indicator_count)
    with django_assert_num_queries(queries):
        response = viewer_client.get(reverse(url, args=args), {"period": "2023-09"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)


@pytest.mark.parametrize("indicator_count", [10, 100])
@pytest.mark.parametrize("as_editor", [False, True])
def test_the_quarterly_reports_query_count_is_constant(
    client, viewer, editor, django_assert_num_queries, indicator_count, as_editor
):
    _build(indicator_count)
    client.force_login(editor if as_editor else viewer)
    with django_assert_num_queries(QUARTERLY_QUERIES + as_editor):
        response = client.get(reverse("quarterly_report", args=["2023-24-q2"]))
    assert response.status_code == 200
    assert len(response.context["report"].tables[0].rows) == indicator_count


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
def test_the_packs_context_query_count_is_constant(
    db, django_assert_num_queries, indicator_count, priority_count
):
    _build(indicator_count, priority_count=priority_count)
    with django_assert_num_queries(PACK_QUERIES):
        context = pack_context(Month(2023, 9), PackOptions())
    assert len(context["sections"]) == priority_count
    assert all(len(section["updates"]) == 1 for section in context["sections"])
    assert sum(len(section["charts"]) for section in context["sections"]) == indicator_count
