"""SPC on the pages: the table's variation/assurance and the XmR chart come from one result."""

import datetime as dt

import plotly.graph_objects as go
import pytest
from django.urls import reverse
from django.utils import timezone

from indicators.models import Indicator, PublishedMonth
from indicators.periods import Month

from .support.factories import make_indicator, make_priority, make_target, make_values

# 24 months: 17 steady months around 50, then 7 rising ones (a trend of seven).
SERIES = [50, 52, 49, 51, 50, 48, 52, 51, 49, 50, 51, 50, 49, 52, 50, 51, 50] + [
    52, 54, 56, 58, 60, 62, 64,
]  # fmt: skip
FIRST = Month(2021, 10)  # ... to Sep-23


@pytest.fixture
def rising(db):
    priority = make_priority(1)
    indicator = make_indicator("900", priority, polarity="higher_is_better")
    make_target(indicator, 40, valid_from="2020-01")
    make_values(indicator, FIRST.iso, SERIES)
    PublishedMonth.objects.bulk_create(
        PublishedMonth(period=FIRST.plus(n).first_day, published_at=timezone.now())
        for n in range(len(SERIES))
    )
    return indicator


def test_the_table_and_the_chart_agree_on_the_latest_point(viewer_client, rising):
    priority = viewer_client.get(reverse("priority", args=[1]), {"period": "2023-09"})
    row = priority.context["table"].data[0]
    result = row.spc
    assert result.variation.code == "improvement_high"  # seven rising, higher is better
    assert "Special cause improvement (higher values)" in priority.text
    indicator = viewer_client.get(reverse("indicator", args=["900"]))
    spc_context = indicator.context["spc"]
    figure = spc_context["chart"]["figure"]
    go.Figure(figure)
    improvement = next(t for t in figure["data"] if t["name"] == "Special cause: improvement")
    assert improvement["x"][-1] == "2023-09-01"  # the chart marks the latest point too
    assert spc_context["result"].variation == result.variation
    assert "Special cause improvement (higher values)" in indicator.text


def test_assurance_shows_a_target_below_the_lower_limit_as_consistently_met(viewer_client, rising):
    response = viewer_client.get(reverse("indicator", args=["900"]))
    result = response.context["spc"]["result"]
    assert result.lower_limit > 40
    assert "Target consistently met" in response.text


def test_seed_indicators_have_too_few_months_for_spc(viewer_client, seed):
    response = viewer_client.get(reverse("indicator", args=["7"]))
    assert response.context["spc"] is None
    assert "Not enough data for an SPC chart" in response.text
    priority = viewer_client.get(reverse("priority", args=[2]), {"period": "2023-09"})
    assert "Not enough data (under 12 months)" in priority.text


def test_rebasing_recalculates_the_limits_from_the_chosen_month(viewer_client, rising):
    before = viewer_client.get(reverse("indicator", args=["900"])).context["spc"]["result"]
    # Saved as the admin saves it: a save moves the data version on (a bare UPDATE would not).
    indicator = Indicator.objects.get(reference="900")
    indicator.spc_baseline_from = dt.date(2022, 6, 1)
    indicator.save()
    response = viewer_client.get(reverse("indicator", args=["900"]))
    after = response.context["spc"]["result"]
    assert after.baseline_start == 8  # Jun-22 is the 9th month from Oct-21
    assert after.upper_limit != pytest.approx(before.upper_limit)
    assert "Limits recalculated from Jun-22" in response.text


def test_table_and_chart_agree_when_the_history_is_longer_than_the_window(viewer_client, db):
    """The indicator page loads every month, the priority page only the last 24: the SPC
    window keeps both on the same months. 20 months at 100 before the window would pull the
    mean far above the series if the indicator page used them."""
    priority = make_priority(1)
    indicator = make_indicator("901", priority, polarity="higher_is_better")
    make_target(indicator, 40, valid_from="2019-01")
    make_values(indicator, FIRST.plus(-20).iso, [100] * 20 + SERIES)
    PublishedMonth.objects.bulk_create(
        PublishedMonth(period=FIRST.plus(n).first_day, published_at=timezone.now())
        for n in range(-20, len(SERIES))
    )
    table = viewer_client.get(reverse("priority", args=[1]), {"period": "2023-09"})
    row = table.context["table"].data[0]
    page = viewer_client.get(reverse("indicator", args=["901"]))
    chart = page.context["spc"]
    assert len(row.spc.points) == len(chart["result"].points) == 24
    assert chart["result"].mean == pytest.approx(row.spc.mean)
    assert chart["result"].mean < 60  # the 100s before the window are not in it
    assert chart["result"].variation == row.spc.variation
    figure = chart["chart"]["figure"]
    assert figure["data"][0]["x"][0] == "2021-10-01"  # the chart starts where the window does


def test_a_rebase_before_the_window_is_not_announced(viewer_client, rising):
    """Limits from a month before the 24 shown are the ordinary limits: saying they were
    recalculated would be wrong."""
    Indicator.objects.filter(reference="900").update(spc_baseline_from="2020-01-01")
    response = viewer_client.get(reverse("indicator", args=["900"]))
    assert response.context["spc"]["result"].baseline_start == 0
    assert "Limits recalculated" not in response.text
