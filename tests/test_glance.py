"""The month at a glance as a picture (scorecard.glance and its charts) and the headline
tables' small lines over time (charts.sparkline)."""

import plotly.graph_objects as go
import pytest
from django.urls import reverse
from django.utils.html import escape

from indicators import rules
from indicators.periods import Month
from scorecard import charts, glance, glance_charts, queries

from .support.factories import make_indicator, make_priority, make_target, make_values

SEP = Month(2023, 9)


@pytest.fixture
def two_priorities(db):
    """Priority 1: A (higher is better, target 80) 70 for 6 months then 90; B, no target.
    Priority 2: C (lower is better, target 10) 12 every month; D with no figures."""
    from django.utils import timezone

    from indicators.models import PublishedMonth

    first = SEP.plus(-11)
    PublishedMonth.objects.bulk_create(
        PublishedMonth(period=first.plus(n).first_day, published_at=timezone.now())
        for n in range(12)
    )
    one, two = make_priority(1), make_priority(2)
    a = make_indicator("A", one, order=1, polarity="higher_is_better")
    make_target(a, 80, valid_from=first.iso)
    make_values(a, first.iso, [70] * 6 + [90] * 6)
    make_values(make_indicator("B", one, order=2, polarity="neither"), first.iso, [5] * 12)
    c = make_indicator("C", two, order=1, polarity="lower_is_better")
    make_target(c, 10, valid_from=first.iso)
    make_values(c, first.iso, [12] * 12)
    make_target(make_indicator("D", two, order=2), 50, valid_from=first.iso)


def _glances():
    scorecard = queries.load_scorecard(SEP, history_months=glance.TREND_MONTHS)
    return glance.glance(scorecard)


def test_each_priority_counts_its_ratings_and_its_share_on_target_by_month(two_priorities):
    one, two = _glances()
    assert one.counts[rules.Rag.GREEN] == 1 and one.counts[rules.Rag.MONITOR] == 1
    assert two.counts[rules.Rag.RED] == 1 and two.counts[rules.Rag.NO_DATA] == 1
    assert [share.month for share in one.shares] == SEP.months_back(12)
    # A is red (70 < 80 by more than 15%... 70 is within 12.5%: amber) then green; B unrated.
    assert [(s.on_target, s.rated) for s in one.shares] == [(0, 1)] * 6 + [(1, 1)] * 6
    assert [s.percent for s in one.shares] == [0] * 6 + [100] * 6
    # C is always amber or red, D never has a figure: rated 1, never on target.
    assert {(s.on_target, s.rated) for s in two.shares} == {(0, 1)}
    assert one.counts_in_words == "1 green, 1 monitor"
    assert one.trend_in_words == "1 of 1 on target in Sep-23, from 0 of 1 in Oct-22"


def test_the_pictures_are_valid_plotly_figures_with_counts_in_words(two_priorities):
    glances = _glances()
    bars = glance_charts.rag_bars_figure(glances)
    go.Figure(bars)
    texts = {trace["name"]: trace["text"] for trace in bars["data"]}
    assert texts["Green"] == ["1 green", ""] and texts["Red"] == ["", "1 red"]
    assert "Priority 1" in bars["data"][0]["y"]
    share = glance_charts.on_target_figure(glances)
    go.Figure(share)
    assert [trace["name"] for trace in share["data"]] == ["Priority 1", "Priority 2"]
    assert share["data"][0]["y"] == [0] * 6 + [100] * 6
    # Each line its own dash pattern: the colour is not the only way to tell them apart.
    assert share["data"][0]["line"]["dash"] != share["data"][1]["line"]["dash"]
    assert "Priority 1" in glance_charts.rag_bars_summary(glances)
    assert "on target in Sep-23" in glance_charts.on_target_summary(glances)


def test_the_dashboard_shows_the_month_at_a_glance(viewer_client, two_priorities):
    response = viewer_client.get(reverse("dashboard"), {"period": "2023-09"})
    assert response.status_code == 200
    pictures = response.context["glance"]
    assert {"ratings", "share"} <= pictures.keys()
    assert 'id="chart-glance-ratings"' in response.text
    assert escape(pictures["share"]["summary"]) in response.text  # the picture in words too


def test_a_rating_beside_an_x_is_not_counted_as_on_target(viewer_client, db):
    """A suppressed figure the rating would give away is left out of the share as well."""
    from django.utils import timezone

    from indicators.models import PublishedMonth

    PublishedMonth.objects.create(period=SEP.first_day, published_at=timezone.now())
    indicator = make_indicator("S", make_priority(1), unit="count", polarity="lower_is_better")
    make_target(indicator, 1, valid_from="2023-01")
    make_values(indicator, SEP.iso, [1])  # x: could be 1 (green) or 2-4 (red)
    (one,) = _glances()
    assert one.counts[rules.Rag.SUPPRESSED] == 1
    assert (one.shares[-1].on_target, one.shares[-1].rated) == (0, 0)


# Lines over time in the headline tables -------------------------------------------------------
class _Indicator:
    unit, polarity, decimal_places, measure_basis = "count", "lower_is_better", 0, "snapshot"
    population_age_from = population_age_to = None


def _row(values, suppress=False):
    from decimal import Decimal

    from indicators.figures import Figure
    from indicators.judgement import Row

    months = SEP.months_back(len(values))
    figures = {m: Figure(Decimal(v)) for m, v in zip(months, values, strict=True) if v is not None}
    return Row(1, _Indicator(), figures, [SEP], SEP, None, [], suppress=suppress)


def test_a_sparkline_runs_from_the_lowest_to_the_highest_figure():
    line = charts.sparkline(_row([10, 20, 30]), width=24, height=12)
    # x from 2 to 22 in equal steps; y from 10 (low) to 2 (high).
    assert line["segments"] == ["2.0,10.0 12.0,6.0 22.0,2.0"]
    assert line["last"] == (22.0, 2.0)


def test_a_month_without_a_figure_breaks_the_line_and_an_x_is_left_out():
    line = charts.sparkline(_row([10, 20, None, 30, 40]), width=20, height=12)
    assert len(line["segments"]) == 2
    suppressed = charts.sparkline(_row([10, 3, 20, 30], suppress=True), width=20, height=12)
    assert len(suppressed["segments"]) == 1  # the 3 (an x) is a gap, not a point
    assert charts.sparkline(_row([10])) is None


def test_the_priority_table_has_the_papers_columns_and_one_dfe_column(viewer_client, seed):
    # The issue replaced the line over time (and SPC, quartile columns) by the council paper's
    # seven columns plus one DfE comparison; the rest is in each row's details, in words.
    response = viewer_client.get(reverse("priority", args=[2]), {"period": "2023-09"})
    headers = [column.header for column in response.context["table"].columns]
    assert headers == [
        "ID",
        "Description",
        "Jul-23",
        "Aug-23",
        "Sep-23",
        "Target",
        "RAG",
        "Direction of travel",
        "England / SN (year)",
    ]
    assert 'class="sparkline"' not in response.text
    assert response.text.count("<dt>Variation (SPC)</dt>") == len(response.context["table"].rows)
