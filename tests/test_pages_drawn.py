"""Pages fit for committee: a priority's RAG status previous / current, milestones' statuses in
words and colour, charts that say what they cannot show, and an empty council's set-up steps
instead of empty charts."""

import pytest
from django.urls import reverse

from indicators import roles
from indicators.models import Indicator, Milestone, MilestoneUpdate, PriorityStatus, Progress
from indicators.periods import Month
from intake.publishing import publish
from scorecard import charts, glance, glance_charts, queries

from .support.factories import (
    make_indicator,
    make_priority,
    make_target,
    make_user,
    make_values,
)


def milestone_data(response):
    """The milestone form's fields as the page would post them back."""
    form = response.context["form"]
    return {name: "" if form[name].value() is None else form[name].value() for name in form.fields}


SEP = {"period": "2023-09"}


@pytest.mark.parametrize(
    ("status", "colour", "words", "name"),
    [
        ("on_track", "green", "On track", "Green: on track"),
        ("at_risk", "amber", "At risk", "Amber: at risk"),
        ("off_track", "red", "Off track", "Red: off track"),
        ("complete", "complete", "Complete", "Complete"),
        ("", "nodata", "Not stated", "Not stated"),
    ],
)
def test_each_progress_status_has_its_colour_and_its_words(status, colour, words, name):
    progress = Progress(status)
    assert (progress.css_modifier, progress.label, progress.accessible_name) == (
        colour,
        words,
        name,
    )


@pytest.mark.django_db
def test_an_editor_sets_a_prioritys_status_with_its_milestones_and_the_page_shows_both_months(
    client, seed
):
    editor = make_user("advisor2", roles.EDITOR)
    client.force_login(editor)
    PriorityStatus.objects.create(priority_id=1, period="2023-08-01", status="at_risk")
    url = reverse("milestones_month", args=["2023-09", 1])
    response = client.get(url)
    # The form starts from last month's status, as the milestone updates do.
    assert response.context["form"]["priority_status"].value() == "at_risk"
    data = milestone_data(response)
    data["priority_status"] = "on_track"
    milestone = Milestone.objects.filter(priority__number=1).first()
    data[f"status_{milestone.id}"] = "off_track"
    assert client.post(url, data).status_code == 302
    assert PriorityStatus.objects.get(priority_id=1, period="2023-09-01").status == "on_track"
    update = MilestoneUpdate.objects.get(milestone=milestone, period="2023-09-01")
    assert update.status == "off_track"

    page = client.get(reverse("priority", args=[1]), SEP).text
    assert "Previous (Aug-23)" in page and "Current (Sep-23)" in page
    assert 'rag--amber" title="Amber: at risk">At risk</strong>' in page
    assert 'rag--green" title="Green: on track">On track</strong>' in page
    # The milestone's status, in the table, with its colour and its words.
    assert 'rag--red" title="Red: off track">Off track</strong>' in page


@pytest.mark.django_db
def test_a_viewer_sees_no_status_of_a_month_not_published(seed):
    PriorityStatus.objects.create(priority_id=1, period="2023-10-01", status="off_track")
    month = Month(2023, 10)
    shown = queries.priority_status(seed_priority(), month, published_only=True)
    assert shown.current == Progress.NOT_STATED
    editor_sees = queries.priority_status(seed_priority(), month, published_only=False)
    assert editor_sees.current == Progress.OFF_TRACK


def seed_priority():
    from indicators.models import Priority

    return Priority.objects.get(number=1)


# Charts ------------------------------------------------------------------------------------
def _row(reference, priority, month, published_only=True):
    scorecard = queries.load_scorecard(
        month, priority=priority, history_months=24, published_only=published_only
    )
    return next(row for row in scorecard.rows if row.indicator.reference == reference)


@pytest.mark.django_db
def test_a_count_suppressed_every_month_is_said_in_words_not_drawn():
    priority = make_priority(1)
    small = make_indicator("S1", priority, unit=Indicator.Unit.COUNT, decimal_places=0)
    make_values(small, "2023-07", [1, 2, 3])
    for iso in ("2023-07", "2023-08", "2023-09"):
        publish(Month.parse(iso), None)
    row = _row("S1", priority, Month(2023, 9))
    assert charts.nothing_drawn(charts.indicator_figure(row))
    assert charts.web_chart("chart-s1", charts.indicator_figure(row), "")["figure"] is None
    assert charts.chart_summary(row) == (
        "No chart: every figure of S1 from Jul-23 to Sep-23 is shown as x (fewer than 5 "
        "children), so there is nothing that can be drawn."
    )


# (the counts of a month each, the y axis the chart is given: Plotly's own when None)
COUNT_AXES = [
    ([0, 2, 0], {"range": [0, 5], "dtick": 1}),  # zeros and an x: not 0, 0.5, 1
    ([1, 2, 3], {"range": [0, 5], "dtick": 1}),  # nothing drawn at all
    ([0, 4, 9], None),  # a count of nine: Plotly's ticks are whole already
    ([12, 30, 41], None),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("counts", "axis"), COUNT_AXES)
def test_a_count_chart_never_ticks_half_a_child(counts, axis):
    priority = make_priority(1)
    small = make_indicator("S1", priority, unit=Indicator.Unit.COUNT, decimal_places=0)
    make_values(small, "2023-07", counts)
    for iso in ("2023-07", "2023-08", "2023-09"):
        publish(Month.parse(iso), None)
    yaxis = charts.indicator_figure(_row("S1", priority, Month(2023, 9)))["layout"]["yaxis"]
    shown = {name: yaxis[name] for name in ("range", "dtick") if name in yaxis}
    assert shown == (axis or {})


@pytest.mark.django_db
def test_a_few_months_are_ticked_once_a_month_and_many_are_left_to_plotly():
    priority = make_priority(1)
    short = make_indicator("T2", priority)
    make_values(short, "2026-10", [50, 60])
    row = _row("T2", priority, Month(2026, 11), published_only=False)
    figure = charts.indicator_figure(row)
    assert figure["layout"]["xaxis"]["dtick"] == "M1"
    long = make_indicator("T24", priority)
    make_values(long, "2021-10", [50 + n % 5 for n in range(24)])
    figure = charts.indicator_figure(_row("T24", priority, Month(2023, 9), published_only=False))
    assert "dtick" not in figure["layout"]["xaxis"]


@pytest.mark.django_db
def test_the_share_on_target_chart_starts_where_targets_start():
    priority = make_priority(1)
    indicator = make_indicator("A1", priority)
    make_values(indicator, "2022-10", [50 + n for n in range(12)])
    make_target(indicator, 55, valid_from="2023-07")  # targets from Jul-23 only
    scorecard = queries.load_scorecard(
        Month(2023, 9), history_months=glance.TREND_MONTHS, published_only=False
    )
    figure = glance_charts.on_target_figure(glance.glance(scorecard))
    assert figure["data"][0]["x"] == ["2023-07-01", "2023-08-01", "2023-09-01"]
    assert figure["layout"]["xaxis"]["dtick"] == "M1"


@pytest.mark.django_db
def test_an_empty_councils_dashboard_shows_its_set_up_steps_not_empty_charts(client):
    admin = make_user("admin", roles.ADMINISTRATOR)
    client.force_login(admin)
    page = client.get(reverse("dashboard")).text
    assert "Nothing is set up yet" in page
    assert "Download the set-up template" in page
    assert "data-chart" not in page


def test_the_pack_prints_each_prioritys_status_previous_and_current(seed):
    """The paper's "RAG status: previous / current" on each priority's page of the pack, read
    in one query for every priority (tests/test_query_counts.py)."""
    from scorecard.pack import PackOptions, pack_html

    PriorityStatus.objects.create(priority_id=1, period="2023-08-01", status="at_risk")
    PriorityStatus.objects.create(priority_id=1, period="2023-09-01", status="on_track")
    html = pack_html(Month(2023, 9), PackOptions())
    first = html.split('id="priority-1"', 1)[1].split('id="priority-2"', 1)[0]
    assert "Previous (Aug-23)" in first and "Current (Sep-23)" in first
    assert 'rag--amber" title="Amber: at risk">At risk</strong>' in first
    assert 'rag--green" title="Green: on track">On track</strong>' in first
    second = html.split('id="priority-2"', 1)[1].split('id="priority-3"', 1)[0]
    assert "Previous (Aug-23)" in second and "Not stated" in second
