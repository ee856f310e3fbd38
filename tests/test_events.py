"""Events on the charts (issue 26, part 4): recorded by an editor within their priorities on
an indicator or a priority, drawn on the indicator's charts as a labelled line (the web
charts and the pack's), listed on the indicator page, shown to viewers only in published
months; and an event that changed the process rebases the SPC limits the judged row uses."""

import datetime as dt
import json

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from indicators import roles, spc
from indicators.models import Event, Indicator, PriorityEditor, PublishedMonth
from indicators.periods import Month
from scorecard import charts, queries, spc_charts
from scorecard.pack import PackOptions, pack_context

from .support.factories import make_indicator, make_priority, make_user, make_values
from .support.spc_series import FLAT_20, WORKED

APR_23 = dt.date(2023, 4, 1)
AFTER = WORKED[:12]


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def scoped(db):
    """Indicator 1 under priority 1, indicator 2 under priority 2; an editor limited to
    priority 2 (outside indicator 1's scope) and one limited to priority 1 (inside)."""
    one, two = make_priority(1), make_priority(2)
    make_indicator("1", one)
    make_indicator("2", two)
    outside = make_user("outside", roles.EDITOR)
    PriorityEditor.objects.create(user=outside, priority=two)
    inside = make_user("inside", roles.EDITOR)
    PriorityEditor.objects.create(user=inside, priority=one)
    event = Event.objects.create(
        indicator=Indicator.objects.get(reference="1"), period=APR_23, label="New front door"
    )
    return {"event": event, "outside": outside, "inside": inside}


@pytest.fixture
def people(scoped, viewer, editor, administrator, no_role_user):
    return {
        "viewer": viewer,
        "editor outside": scoped["outside"],
        "editor inside": scoped["inside"],
        "editor of every priority": editor,
        "administrator": administrator,
        "no role": no_role_user,
        "anonymous": None,
    }


# (GET status, POST status) for: viewer, editor outside, editor inside, editor of every
# priority, administrator, no role, anonymous (sent to sign in).
WALK = [
    ("indicator_events", "reference", (403, 200, 200, 200, 200, 403, 302), "record"),
    ("edit_event", "pk", (403, 403, 200, 200, 200, 403, 302), "edit"),
    ("delete_event", "pk", (403, 405, 405, 405, 405, 403, 302), None),
]
POSTED = {
    # What each role's post comes to: refused, or saved (302 back to the events page).
    "record": (403, 403, 302, 302, 302, 403, 302),
    "edit": (403, 403, 302, 302, 302, 403, 302),
    None: (403, 403, 302, 302, 302, 403, 302),
}


def _form(label="Front door opened"):
    return {"on": "indicator", "month": "Apr-23", "label": label, "note": "", "changed_process": ""}


@pytest.mark.parametrize(("name", "argument", "statuses", "posted"), WALK)
def test_every_route_answers_each_role_as_expected(
    people, scoped, name, argument, statuses, posted
):
    event = scoped["event"]
    args = ["1"] if argument == "reference" else [event.pk]
    url = reverse(name, args=args)
    got = tuple(_client(user).get(url).status_code for user in people.values())
    assert got == statuses


@pytest.mark.parametrize(("name", "argument", "statuses", "posted"), WALK)
def test_every_post_is_refused_or_saved_by_role(people, scoped, name, argument, statuses, posted):
    results = []
    for user in people.values():
        event = Event.objects.create(
            indicator=Indicator.objects.get(reference="1"), period=APR_23, label="To change"
        )
        url = reverse(name, args=["1"] if argument == "reference" else [event.pk])
        response = _client(user).post(url, _form())
        results.append(response.status_code)
        if response.status_code == 302 and user is None:
            assert reverse("login") in response["Location"]
    assert tuple(results) == POSTED[posted]


def test_an_editor_outside_the_scope_sees_the_events_but_no_form_and_no_buttons(scoped):
    response = _client(scoped["outside"]).get(reverse("indicator_events", args=["1"]))
    assert "Record an event" not in response.text
    assert "Outside your priorities" in response.text
    assert reverse("delete_event", args=[scoped["event"].pk]) not in response.text


def test_recording_an_event_keeps_who_and_its_history(scoped):
    client = _client(scoped["inside"])
    response = client.post(
        reverse("indicator_events", args=["1"]), {**_form("Hub opened"), "changed_process": "on"}
    )
    assert response.status_code == 302
    event = Event.objects.get(label="Hub opened")
    assert (event.period, event.changed_process) == (APR_23, True)
    assert event.recorded_by == scoped["inside"]
    assert event.history.count() == 1
    client.post(reverse("edit_event", args=[event.pk]), {**_form("Hub opened in Apr")})
    event.refresh_from_db()
    assert event.label == "Hub opened in Apr" and not event.changed_process
    assert event.history.count() == 2
    client.post(reverse("delete_event", args=[event.pk]))
    assert not Event.objects.filter(pk=event.pk).exists()
    assert Event.history.filter(id=event.pk, history_type="-").exists()


def test_an_event_on_a_priority_is_on_each_of_its_indicators(scoped):
    priority_one = Indicator.objects.get(reference="1").priorities.get()
    make_indicator("3", priority_one)
    client = _client(scoped["inside"])
    response = client.post(
        reverse("indicator_events", args=["1"]), {**_form("Restructure"), "on": priority_one.pk}
    )
    assert response.status_code == 302
    event = Event.objects.get(label="Restructure")
    assert event.priority == priority_one and event.indicator is None
    marks = Event.objects.marks_by_indicator()
    one, three = Indicator.objects.get(reference="1"), Indicator.objects.get(reference="3")
    assert "Restructure" in [m.label for m in marks[one.pk]]
    assert [m.label for m in marks[three.pk]] == ["Restructure"]
    # The other priority's editor may not record on priority 1.
    refused = _client(scoped["outside"]).post(
        reverse("indicator_events", args=["3"]), {**_form("Nope"), "on": priority_one.pk}
    )
    assert refused.status_code == 403


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"month": "Smarch-23"}, "Smarch-23"),
        ({"month": ""}, "Enter the month it happened, as Apr-23."),
        ({"month": "Jan-99"}, "out of range"),
        ({"label": ""}, "Enter a short label for the chart."),
        ({"label": "x" * 61}, "Use 60 characters or fewer for the label."),
        ({"on": "999"}, "Select a valid choice"),
    ],
)
def test_a_bad_event_is_refused_in_words(scoped, change, message):
    response = _client(scoped["inside"]).post(
        reverse("indicator_events", args=["1"]), {**_form(), **change}
    )
    assert response.status_code == 200
    assert message in response.text
    assert "There is a problem: nothing was saved" in response.text
    assert Event.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"indicator": True, "priority": True}, "event_on_an_indicator_or_a_priority"),
        ({}, "event_on_an_indicator_or_a_priority"),
        ({"indicator": True, "period": dt.date(2023, 4, 2)}, "event_month_is_a_first_day"),
        ({"indicator": True, "label": ""}, "event_has_a_label"),
    ],
)
def test_the_database_refuses_a_malformed_event(scoped, fields, constraint):
    indicator = Indicator.objects.get(reference="1")
    made = {
        "indicator": indicator if fields.get("indicator") else None,
        "priority": indicator.priorities.get() if fields.get("priority") else None,
        "period": fields.get("period", APR_23),
        "label": fields.get("label", "An event"),
    }
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Event.objects.create(**made)


# Drawn: the web charts and the pack's --------------------------------------------------------
def _figure(response, chart_id):
    """The Plotly figure a page's chart draws (its json_script)."""
    marker = f'id="{chart_id}-data"'
    start = response.text.index(marker)
    start = response.text.index(">", start) + 1
    end = response.text.index("</script>", start)
    return json.loads(response.text[start:end])


def _event_drawn(figure, label):
    """Whether ``figure`` has an event's vertical line and its label at the same month."""
    lines = [s["x0"] for s in figure["layout"].get("shapes", []) if s.get("yref") == "paper"]
    labels = {a["x"]: a["text"] for a in figure["layout"].get("annotations", [])}
    return any(label in labels.get(x, "") for x in lines)


@pytest.fixture
def with_history(db):
    """Indicator 9 under priority 1: twelve months of 20 or 21 from Apr-21, then twelve of
    about 11 from Apr-22 to Mar-23 (the SPC window's 24 months), every month published; the
    process changed in Apr-22."""
    indicator = make_indicator("9", make_priority(1), unit=Indicator.Unit.COUNT)
    values = [*FLAT_20, *AFTER]
    make_values(indicator, "2021-04", values)
    first, now = Month(2021, 4), timezone.now()
    PublishedMonth.objects.bulk_create(
        PublishedMonth(period=first.plus(i).first_day, published_at=now) for i in range(len(values))
    )
    return indicator


def test_the_indicator_pages_charts_draw_the_event_and_the_page_lists_it(with_history, viewer):
    Event.objects.create(
        indicator=with_history,
        period=dt.date(2022, 4, 1),
        label="New front door opened",
        changed_process=True,
    )
    response = _client(viewer).get(reverse("indicator", args=["9"]))
    assert _event_drawn(_figure(response, "chart-history"), "New front door opened")
    assert _event_drawn(_figure(response, "chart-spc"), "New front door opened")
    assert "Apr-22: New front door opened" in response.text
    assert "worked out again from Apr-22" in response.text
    assert "Events marked: New front door opened (Apr-22, a change in the process)" in (
        response.text
    )


def test_the_xmr_chart_steps_where_the_process_changed(with_history):
    Event.objects.create(
        indicator=with_history, period=dt.date(2022, 4, 1), label="Hub", changed_process=True
    )
    row = queries.load_indicator_history(with_history).row
    result = row.spc
    assert result.rebased and result.mean == pytest.approx(spc.limits(AFTER).mean)
    # The judged row's variation is the latest segment's: common cause, not the step.
    assert result.variation == spc.COMMON
    figure = spc_charts.xmr_figure(row, result)
    mean = next(t for t in figure["data"] if t["name"] == "Mean")
    assert mean["line"]["shape"] == "hv"
    assert mean["y"] == [20.5] * 12 + [pytest.approx(spc.limits(AFTER).mean)] * 12
    assert row.spc_rebase_month == Month(2022, 4)
    assert "worked out again from Apr-22" in spc_charts.xmr_summary(row, result)


def test_without_the_event_the_same_figures_are_a_special_cause(with_history):
    row = queries.load_indicator_history(with_history).row
    # One mean over both: the old months are a run above it, the new ones below.
    assert all(point.special for point in row.spc.points)
    assert not row.spc.rebased


def test_a_viewer_does_not_see_an_event_of_a_draft_month(with_history, viewer, editor):
    PublishedMonth.objects.filter(period__gte=dt.date(2023, 2, 1)).delete()
    Event.objects.create(indicator=with_history, period=dt.date(2023, 3, 1), label="Secret move")
    seen = _client(viewer).get(reverse("indicator", args=["9"]))
    assert "Secret move" not in seen.text
    edited = _client(editor).get(reverse("indicator", args=["9"]))
    assert "Secret move" in edited.text
    assert _event_drawn(_figure(edited, "chart-history"), "Secret move")


def test_an_event_after_the_chart_is_not_drawn_beyond_it(with_history):
    Event.objects.create(indicator=with_history, period=dt.date(2024, 1, 1), label="Later")
    row = queries.load_indicator_history(with_history, published_only=False).row
    figure = charts.indicator_figure(row)
    assert not _event_drawn(figure, "Later")


def test_the_packs_chart_draws_the_event(with_history):
    Event.objects.create(
        priority=with_history.priorities.get(), period=dt.date(2022, 6, 1), label="Restructure"
    )
    context = pack_context(Month(2023, 3), PackOptions())
    (chart,) = [c for s in context["sections"] for c in s["charts"] if c["figure"]]
    assert _event_drawn(chart["figure"], "Restructure")
    assert "Events marked: Restructure (Jun-22)" in chart["summary"]


def test_figures_with_events_are_valid_plotly_figures(with_history):
    import plotly.graph_objects as go

    Event.objects.create(
        indicator=with_history, period=dt.date(2022, 4, 1), label="Hub", changed_process=True
    )
    Event.objects.create(
        priority=with_history.priorities.get(), period=dt.date(2022, 9, 1), label="Restructure"
    )
    row = queries.load_indicator_history(with_history).row
    for figure in (
        charts.indicator_figure(row),
        charts.indicator_figure(row, legend=False),
        spc_charts.xmr_figure(row, row.spc),
    ):
        go.Figure(figure)  # raises ValueError on any attribute Plotly does not know
        # The axis is held to the figures' months: a label cannot stretch it.
        assert figure["layout"]["xaxis"]["range"] == ["2021-03-17", "2023-03-16"]
    web = charts.indicator_figure(row)
    # Lettered on the chart, named in full in the legend (wrapped to fit a phone).
    notes = [a for a in web["layout"]["annotations"] if a.get("name", "").startswith("Event")]
    assert [(a["name"], a["text"]) for a in notes] == [
        ("Event A", "A: Hub"),
        ("Event B", "B: Restructure"),
    ]
    names = [trace["name"] for trace in web["data"]]
    assert "A: Hub (Apr-22, the process<br>changed)" in names
    assert "B: Restructure (Sep-22)" in names


def test_a_long_label_is_shortened_to_the_room_beside_its_line_in_the_pack(with_history):
    label = "Multi-agency safeguarding hub moved to the new front door service"[:60]
    Event.objects.create(indicator=with_history, period=dt.date(2023, 1, 1), label=label)
    row = queries.load_indicator_history(with_history).row
    (note,) = charts.indicator_figure(row, legend=False)["layout"]["annotations"]
    assert note["text"].endswith("…") and len(note["text"]) < len(label)
    assert note["xanchor"] == "right"  # late in the chart: it reads leftwards from its line
    assert label in charts.chart_summary(row)  # in full in the chart's words


def test_a_rebase_with_too_few_months_after_it_waits_and_says_so(with_history):
    Event.objects.create(
        indicator=with_history, period=dt.date(2022, 10, 1), label="Late", changed_process=True
    )
    row = queries.load_indicator_history(with_history).row
    assert not row.spc.rebased and row.spc.pending_rebases
    summary = spc_charts.xmr_summary(row, row.spc)
    assert "The process changed in Oct-22: the expected range will be worked out again" in summary


def test_months_too_few_before_a_rebase_are_drawn_not_judged(with_history):
    Event.objects.create(
        indicator=with_history, period=dt.date(2021, 10, 1), label="Early", changed_process=True
    )
    row = queries.load_indicator_history(with_history).row
    assert [s.limits is None for s in row.spc.segments] == [True, False]
    summary = spc_charts.xmr_summary(row, row.spc)
    assert "Apr-21 to Sep-21 are too few months for an expected range of their own" in summary
