"""Each API endpoint reads an exact number of queries, the same at two data sizes (10 and
100 indicators, 24 months each): a count that grew with the data would show here. Counted
as tests/test_query_counts.py counts the pages, each count the sum of the named queries.

A request with a token always starts with three: the council the address is for
(scorecard.tenancy), the token with its user (``ApiToken.find``) and the user's role in that
council (the role check); and ends with one: the use recorded
(``ApiTokenUse``; the token's last use is moved on at most once a minute, and the measured
request follows a first one). The throttle counts in the cache, not the database."""

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators.models import (
    AnnualFigure,
    Benchmark,
    Commentary,
    Population,
    PublishedMonth,
)
from indicators.periods import Month

from .support.api import bearer, token_for
from .support.factories import make_indicator, make_priority, make_target, make_values
from .support.lait import MEASURES, import_extract

TOKEN = 3  # the council of the address, the token with its user, the user's role there
USE = 1  # the use recorded
# A filter names an indicator or a priority: each is looked up once (a 400 if unknown).
FILTER = 1
# /priorities/: the priorities.
PRIORITIES = TOKEN + 1 + USE
# /indicators/: the indicators with their owners, then (prefetched) their targets and their
# places under priorities with the priorities.
INDICATORS = TOKEN + 3 + USE
# /targets/: the targets with their indicators.
TARGETS = TOKEN + 1 + USE
# /figures/: the count, the page of figures with their indicators, then (loading.judged_rows)
# every figure of the page's indicators, the populations; an editor also reads the published
# months (the draft marks).
FIGURES = TOKEN + 2 + 2 + USE
# /scorecard/?month=: the months with figures (is the month published?), then
# load_scorecard's six: headline measures, figures, targets, commentary, populations, the
# events on the charts (their SPC rebases judge the variation); an editor also reads the
# published months.
SCORECARD = TOKEN + 1 + 6 + USE
# DfE LAIT comparators, when an indicator is linked to a measure: the council's comparators
# (benchmarks_for_loaded; the council itself is the request's).
LAIT = 1
# /benchmarks/: the linked indicators; when there are any, their figures, the council and
# its comparators, the populations.
BENCHMARKS_NONE_LINKED = TOKEN + 1 + USE
BENCHMARKS_LINKED = TOKEN + 1 + 1 + LAIT + 1 + USE
# /quarterly/?quarter=: load_quarterly_report's seven (the rows, the tables' own columns,
# the yearly figures, the benchmarks, the quarter's monthly figures, the populations, the
# quarters with figures).
QUARTERLY = TOKEN + 7 + USE
EDITOR_EXTRA = 1  # the published months


def _build(indicator_count, months=24, priority_count=6, linked=False):
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
        lait = {}
        if linked:
            code, alignment = MEASURES[index % len(MEASURES)]
            lait = {"lait_measure_id": code, "lait_years": alignment}
        indicator = make_indicator(
            str(index + 1),
            priorities[index % priority_count],
            order=index,
            report_section="1.1 Section",
            **lait,
        )
        make_target(indicator, 80)
        make_values(indicator, first.iso, [70 + index % 20] * months)
        Commentary.objects.create(indicator=indicator, period="2023-09-01", text="Noted.")
        AnnualFigure.objects.create(indicator=indicator, year_label="2022/23", value=70)
        Benchmark.objects.create(
            indicator=indicator, comparator="england", period_label="2021/22", value=75
        )


def _count(client, django_assert_num_queries, user, url, queries, **params):
    secret = token_for(user)
    assert client.get(url, params, **bearer(secret)).status_code == 200  # the first use
    with django_assert_num_queries(queries):
        response = client.get(url, params, **bearer(secret))
    assert response.status_code == 200, response.content[:300]
    return response


SIZES = pytest.mark.parametrize("indicator_count", [10, 100])
ROLES = pytest.mark.parametrize("role", ["viewer", "editor"])
FORMATS = pytest.mark.parametrize("csv", [False, True])


def _params(csv, **params):
    return {**params, "format": "csv"} if csv else params


@SIZES
@FORMATS
@pytest.mark.parametrize(
    ("name", "queries"),
    [("api-priorities", PRIORITIES), ("api-indicators", INDICATORS), ("api-targets", TARGETS)],
)
def test_the_definitions_query_count_is_constant(
    client, viewer, django_assert_num_queries, indicator_count, csv, name, queries
):
    _build(indicator_count)
    _count(client, django_assert_num_queries, viewer, reverse(name), queries, **_params(csv))


@SIZES
@ROLES
@FORMATS
def test_the_figures_query_count_is_constant(
    client, db, request, django_assert_num_queries, indicator_count, role, csv
):
    _build(indicator_count)
    queries = FIGURES + (EDITOR_EXTRA if role == "editor" else 0)
    user = request.getfixturevalue(role)
    params = _params(csv, **{"from": "2022-10", "to": "2023-09"})
    response = _count(
        client, django_assert_num_queries, user, reverse("api-figures"), queries, **params
    )
    if not csv:
        assert response.json()["count"] == indicator_count * 12
    # With a filter: one more query, to look the indicator up.
    _count(
        client,
        django_assert_num_queries,
        user,
        reverse("api-figures"),
        queries + FILTER,
        **_params(csv, indicator="1", page_size=5),
    )


@SIZES
@ROLES
@pytest.mark.parametrize("linked", [False, True])
def test_the_scorecards_query_count_is_constant(
    client, db, request, django_assert_num_queries, indicator_count, role, linked
):
    _build(indicator_count, linked=linked)
    queries = SCORECARD + (EDITOR_EXTRA if role == "editor" else 0) + (LAIT if linked else 0)
    user = request.getfixturevalue(role)
    for csv in (False, True):
        _count(
            client,
            django_assert_num_queries,
            user,
            reverse("api-scorecard"),
            queries,
            **_params(csv, month="2023-09"),
        )


@SIZES
@pytest.mark.parametrize("linked", [False, True])
def test_the_benchmarks_query_count_is_constant(
    client, viewer, django_assert_num_queries, indicator_count, linked
):
    _build(indicator_count, linked=linked)
    queries = BENCHMARKS_LINKED if linked else BENCHMARKS_NONE_LINKED
    response = _count(client, django_assert_num_queries, viewer, reverse("api-benchmarks"), queries)
    assert bool(response.json()) is linked


@SIZES
def test_the_quarterly_reports_query_count_is_constant(
    client, viewer, django_assert_num_queries, indicator_count
):
    _build(indicator_count)
    url = reverse("api-quarterly")
    _count(client, django_assert_num_queries, viewer, url, QUARTERLY, quarter="2023-24-q2")
