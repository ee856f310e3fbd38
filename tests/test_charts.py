"""The chart builders' output is a valid Plotly figure (checked against Plotly's own schema,
since the builders write the JSON directly for speed)."""

import json

import plotly.graph_objects as go
import pytest
from django.urls import reverse

from indicators.models import Benchmark, Indicator
from scorecard import charts, queries
from scorecard.templatetags.charts import chart_json


def test_every_seed_chart_is_a_valid_plotly_figure(seed):
    from indicators.periods import Month

    scorecard = queries.load_scorecard(Month(2023, 9), history_months=24)
    for row in scorecard.rows:
        figure = charts.indicator_figure(row)
        go.Figure(figure)  # raises ValueError on any attribute Plotly does not know
        # The page writes it as JSON (the chart_json filter): it must come back unchanged.
        assert json.loads(chart_json(figure, "f").split(">", 1)[1].rsplit("<", 1)[0]) == figure


def test_benchmarks_draw_as_labelled_reference_lines(viewer_client, seed):
    indicator = Indicator.objects.get(reference="21")
    Benchmark.objects.create(
        indicator=indicator, comparator="england", period_label="2021/22", value=70
    )
    Benchmark.objects.create(
        indicator=indicator,
        comparator="region",
        comparator_name="South West",
        period_label="2021/22",
        value=62,
    )
    response = viewer_client.get(reverse("indicator", args=["21"]))
    figure = response.context["chart"]["figure"]
    go.Figure(figure)
    assert [a["text"] for a in figure["layout"]["annotations"]] == [
        "England 2021/22",
        "South West 2021/22",
    ]
    assert [shape["y0"] for shape in figure["layout"]["shapes"]] == [70.0, 62.0]


@pytest.mark.parametrize("reference", ["34", "7"])
def test_the_text_alternative_names_the_range_and_target(seed, reference):
    from indicators.periods import Month

    row = next(
        r for r in queries.load_scorecard(Month(2023, 9)).rows if r.indicator.reference == reference
    )
    summary = charts.chart_summary(row)
    if reference == "7":
        assert "from Jul-23 to Sep-23: 12.2% to 58.2%. Target 90.0%." in summary
    else:  # every figure of ID 34 is suppressed for a viewer
        # Said in words, not drawn as empty axes (the issue: charts say what they cannot show).
        assert summary == (
            "No chart: every figure of 34 from Jul-23 to Sep-23 is shown as x (fewer than 5 "
            "children), so there is nothing that can be drawn."
        )
