"""A page's query count must not grow with the number of indicators or months."""

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators.models import Commentary, Milestone, MilestoneUpdate, PublishedMonth
from indicators.periods import Month

from .factories import make_indicator, make_priority, make_target, make_values

# Dashboard: session, user, groups (role check), months with figures, then load_scorecard's
# four: headline measures, figures, targets, commentary.
DASHBOARD_QUERIES = 8
# Priority page: the priority, plus the dashboard's, plus the month's milestone updates.
PRIORITY_QUERIES = 10


def _build(indicator_count, months=24):
    first = Month(2023, 9).plus(-(months - 1))
    PublishedMonth.objects.bulk_create(
        PublishedMonth(period=first.plus(n).first_day, published_at=timezone.now())
        for n in range(months)
    )
    priorities = [make_priority(number) for number in range(1, 7)]
    for index in range(indicator_count):
        priority = priorities[index % 6]
        indicator = make_indicator(str(index + 1), priority, order=index)
        make_target(indicator, 80)
        make_values(indicator, first.iso, [70 + index % 20] * months)
        Commentary.objects.create(indicator=indicator, period="2023-09-01", text="Noted.")
    for priority in priorities:
        milestone = Milestone.objects.create(priority=priority, workstream="Workstream")
        MilestoneUpdate.objects.create(milestone=milestone, period="2023-09-01", direction="up")


@pytest.mark.parametrize("indicator_count", [10, 100])
def test_dashboard_query_count_is_constant(
    viewer_client, django_assert_max_num_queries, indicator_count
):
    _build(indicator_count)
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        response = viewer_client.get(reverse("dashboard"), {"period": "2023-09"})
    assert response.status_code == 200
    rows = response.context["scorecard"].rows
    assert len(rows) == indicator_count
    # Every row was judged on a loaded, published figure.
    assert all(row.value(Month(2023, 9)) is not None for row in rows)
    assert "no data" not in {row.rag.value for row in rows}


@pytest.mark.parametrize("indicator_count", [10, 100])
def test_priority_page_query_count_is_constant(
    viewer_client, django_assert_max_num_queries, indicator_count
):
    _build(indicator_count)
    with django_assert_max_num_queries(PRIORITY_QUERIES):
        response = viewer_client.get(reverse("priority", args=[1]), {"period": "2023-09"})
    assert response.status_code == 200
    assert len(response.context["charts"]) == -(-indicator_count // 6)


@pytest.mark.parametrize("indicator_count", [10, 100])
def test_indicator_page_query_count_is_constant(
    viewer_client, django_assert_max_num_queries, indicator_count
):
    _build(indicator_count, months=60)
    with django_assert_max_num_queries(PRIORITY_QUERIES):
        response = viewer_client.get(reverse("indicator", args=["1"]))
    assert response.status_code == 200
    assert len(response.context["history"].records) == 60
