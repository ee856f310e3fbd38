"""Events on the charts as the pack prints them (issue 26): the demonstration pack printed by
the app's printer with an event on an indicator (that changed the process) and one on its
priority, read back with PyMuPDF (tests/support/drawn.py): each label is printed inside its
chart's box, above the plot, with nothing overlapping and nothing cut off."""

import datetime as dt

import pytest

from indicators.models import Event, Indicator, PriorityIndicator
from indicators.periods import Month
from scorecard.pack import PackOptions, pack_pdf

from .support import drawn

pytestmark = pytest.mark.browser
SEP_23 = Month(2023, 9)


@pytest.fixture
def chromium(browser):
    return browser


def test_the_packs_charts_print_each_event_inside_the_chart_without_overlaps(seed, chromium):
    indicator = Indicator.objects.get(reference="73")
    Event.objects.create(
        indicator=indicator,
        period=dt.date(2023, 8, 1),  # the seed's charts run from Jul-23 to Sep-23
        label="New front door opened",
        changed_process=True,
    )
    Event.objects.create(
        priority=indicator.priorities.first(), period=dt.date(2023, 7, 1), label="Restructure"
    )
    document = drawn.open_pdf(pack_pdf(SEP_23, PackOptions()))
    assert drawn.layout_problems(document, SEP_23.label) == []
    found = {}
    for page in document:
        boxes = drawn.chart_boxes(page)
        for span in drawn.spans(page):
            if span["text"] in ("New front door opened", "Restructure"):
                inside = [box for box in boxes if span["rect"] in box]
                found.setdefault(span["text"], []).append(bool(inside))
    # The indicator's own event on its chart; the priority's on each of its indicators'.
    assert found["New front door opened"] == [True]
    # Its indicators' charts wherever they are printed: 69 sits under priority 6 as well.
    under_it = indicator.priorities.first().priorityindicator_set.values("indicator")
    charts = PriorityIndicator.objects.filter(indicator__in=under_it, indicator__active=True)
    assert len(found["Restructure"]) == charts.count() == 10
    assert all(found["Restructure"])
