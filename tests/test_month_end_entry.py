"""Entry for any month (issue 22, part 1): the month picker on /entry/, the publishing history
newest first, the checklist's links to the grid's rows and its new items (figures outside an
anticipated range, milestones not updated), and saved figures shown with their unit."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from indicators import units
from indicators.figures import Figure, fingerprint
from indicators.models import (
    Indicator,
    MilestoneUpdate,
    PublicationEvent,
    Target,
    Value,
)
from indicators.periods import Month
from indicators.published import published_months
from intake.entry_months import entry_months
from intake.figure_import.cell_values import parse_figure_parts
from intake.grid import figure_text
from intake.publishing import checklist, publish

from .support.entry_grid import grid_data

OCT = Month(2023, 10)
NOW = Month(2026, 12)


def enter(reference, value, month=OCT):
    return Value.objects.create(
        indicator=Indicator.objects.get(reference=reference),
        period=month.first_day,
        value=Decimal(str(value)),
    )


# The months offered ---------------------------------------------------------------------------
def test_the_months_offered_are_those_with_figures_or_targets_and_the_next_to_enter(seed):
    offered = entry_months(published_months(), NOW)
    assert offered.next_to_enter == OCT  # the seed's figures end in September 2023
    assert offered.month_end == [Month(2026, 11), Month(2026, 10)]
    assert offered.months == [
        NOW,
        Month(2026, 11),
        Month(2026, 10),
        OCT,
        Month(2023, 9),
        Month(2023, 8),
        Month(2023, 7),  # figures, and the month the seed's targets start
    ]


def test_a_target_starting_before_the_figures_offers_its_month(seed):
    indicator = Indicator.objects.get(reference="7")
    Target.objects.create(indicator=indicator, value=Decimal("85"), valid_from="2023-04-01")
    assert Month(2023, 4) in entry_months(published_months(), NOW).months


def test_the_month_being_entered_stays_chosen_until_it_is_published(seed):
    enter("7", "61.0")  # October begun, not published
    offered = entry_months(published_months(), NOW)
    assert offered.next_to_enter == OCT
    assert Month(2023, 11) in offered.months  # the month after the latest figures
    publish(OCT, None)
    assert entry_months(published_months(), NOW).next_to_enter == Month(2023, 11)


def test_a_month_that_has_not_begun_is_never_offered(seed):
    offered = entry_months(published_months(), Month(2023, 9))  # figures up to the month now
    assert offered.next_to_enter == Month(2023, 9)
    assert max(offered.months) == Month(2023, 9)


def test_with_no_figures_the_month_just_ended_is_next(db):
    offered = entry_months(published_months(), NOW)
    assert offered.next_to_enter == Month(2026, 11)
    assert offered.months == [NOW, Month(2026, 11), Month(2026, 10)]


def test_the_entry_page_offers_a_month_picker_that_works_without_javascript(client, seed, editor):
    client.force_login(editor)
    page = client.get(reverse("entry_index"))
    html = page.text
    picker = re.search(r'<select[^>]*name="period".*?</select>', html, re.S).group(0)
    assert '<option value="2023-10" selected>October 2023 (next to enter)</option>' in picker
    assert '<option value="2023-09">September 2023 (published)</option>' in picker
    assert 'for="entry-period"' in html  # labelled
    # A plain GET form: the button sends the chosen month, which opens its grid.
    response = client.get(reverse("entry_index"), {"period": "2023-10"})
    assert response.status_code == 302
    assert response.url == reverse("entry_month", args=["2023-10"])


@pytest.mark.parametrize("period", ["2023-13", "nonsense", "2999-01", "9" * 40])
def test_a_month_the_picker_never_offers_is_a_404_not_a_500(client, seed, editor, period):
    client.force_login(editor)
    assert client.get(reverse("entry_index"), {"period": period}).status_code == 404


def test_the_publishing_history_is_newest_first(client, seed, editor):
    base = timezone.now() - dt.timedelta(days=10)
    PublicationEvent.objects.all().delete()
    for days, month in [(3, Month(2023, 8)), (1, Month(2023, 7)), (5, Month(2023, 9))]:
        PublicationEvent.objects.create(
            period=month.first_day, action="publish", at=base + dt.timedelta(days=days)
        )
    # Published together (a loader): the latest month first.
    for month in (Month(2023, 5), Month(2023, 6)):
        PublicationEvent.objects.create(period=month.first_day, action="publish", at=base)
    client.force_login(editor)
    html = client.get(reverse("entry_index")).text
    history = html[html.index("Publishing history") :]
    assert re.findall(r"Published (\w{3}-\d\d)", history) == [
        "Sep-23",
        "Aug-23",
        "Jul-23",
        "Jun-23",
        "May-23",
    ]


# The checklist --------------------------------------------------------------------------------
def test_every_checklist_item_links_to_its_row_in_the_grid(client, seed, editor):
    enter("7", "61.0")  # red, no commentary
    enter("10", "0.182")  # a fraction typed for a percentage: a warning nobody acknowledged
    client.force_login(editor)
    html = client.get(reverse("publish_month", args=[OCT.iso])).text
    grid = reverse("entry_month", args=[OCT.iso])
    red = re.search(r'<ul class="[^"]*checklist-red">(.*?)</ul>', html, re.S).group(1)
    assert f'href="{grid}#row-7"' in red
    warnings = re.search(r'<ul class="[^"]*checklist-warnings">(.*?)</ul>', html, re.S).group(1)
    assert f'href="{grid}#row-10"' in warnings
    missing = re.search(r'<dl class="[^"]*checklist-missing">(.*?)</dl>', html, re.S).group(1)
    assert f'href="{grid}#row-22"' in missing and f'href="{grid}#row-69"' in missing
    # Each link's target is a row of the grid.
    rows = set(re.findall(r'<tr class="govuk-table__row" id="(row-[^"]+)"', client.get(grid).text))
    linked = set(re.findall(rf'href="{re.escape(grid)}#(row-[^"]+)"', html))
    assert linked and linked <= rows


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=200)
def test_when_the_grid_is_entered_a_priority_at_a_time_the_link_names_the_rows_priority(
    client, seed, editor
):
    enter("7", "61.0")
    client.force_login(editor)
    html = client.get(reverse("publish_month", args=[OCT.iso])).text
    grid = reverse("entry_month", args=[OCT.iso])
    assert f'href="{grid}?priority=2#row-7"' in html
    assert f'href="{grid}?priority=6#row-78"' in html
    row = client.get(f"{grid}?priority=2").text
    assert 'id="row-7"' in row


def test_the_checklist_lists_figures_outside_their_anticipated_range(client, seed, editor):
    indicator = Indicator.objects.get(reference="62")  # a caseload: "Monitor", no better way
    Target.objects.create(
        indicator=indicator,
        kind=Target.Kind.RANGE,
        lower=Decimal("150"),
        upper=Decimal("200"),
        valid_from=OCT.first_day,
    )
    enter("62", "240")
    enter("7", "90.0")  # on target: not listed
    result = checklist(OCT)
    assert [row.indicator.reference for row in result.outside_range] == ["62"]
    assert not result.is_clear
    client.force_login(editor)
    html = client.get(reverse("publish_month", args=[OCT.iso])).text
    listed = re.search(r'<ul class="[^"]*checklist-range">(.*?)</ul>', html, re.S).group(1)
    assert "1 figure outside its anticipated range" in html
    assert f'href="{reverse("entry_month", args=[OCT.iso])}#row-62"' in listed
    assert "240, above range (150 to 200 (anticipated range)), no commentary" in listed
    Value.objects.filter(indicator=indicator, period=OCT.first_day).update(value=Decimal("180"))
    assert checklist(OCT).outside_range == []


def test_the_checklist_lists_priorities_whose_milestones_have_no_update(client, seed, editor):
    before = {item.priority.number: item for item in checklist(OCT).milestones}
    assert set(before) == {1, 2, 3, 4, 5, 6}  # the seed's updates are for September
    six = before[6]
    assert six.not_updated == six.milestones > 0
    first = six.priority.milestones.first()
    MilestoneUpdate.objects.create(milestone=first, period=OCT.first_day, status="on_track")
    after = {item.priority.number: item for item in checklist(OCT).milestones}
    assert after[6].not_updated == six.milestones - 1
    for milestone in six.priority.milestones.exclude(pk=first.pk):
        MilestoneUpdate.objects.create(milestone=milestone, period=OCT.first_day)
    assert 6 not in {item.priority.number for item in checklist(OCT).milestones}
    client.force_login(editor)
    html = client.get(reverse("publish_month", args=[OCT.iso])).text
    listed = re.search(r'<ul class="[^"]*checklist-milestones">(.*?)</ul>', html, re.S).group(1)
    assert f'href="{reverse("milestones_month", args=[OCT.iso, 1])}"' in listed
    assert "no update for any of its" in listed
    assert reverse("milestones_month", args=[OCT.iso, 6]) not in listed


def test_september_as_published_has_its_milestones_updated(seed):
    assert checklist(Month(2023, 9)).milestones == []


# Saved figures with their unit -----------------------------------------------------------------
def test_the_grid_shows_saved_figures_with_their_unit(client, seed, editor):
    client.force_login(editor)
    html = client.get(reverse("entry_month", args=["2023-09"])).text

    def box(reference):
        key = Indicator.objects.get(reference=reference).id
        return re.search(rf'name="value_{key}"[^>]*value="([^"]*)"', html).group(1)

    assert box("7") == "58.2%"  # percentage
    assert box("20") == "39.1r"  # rate per 10,000
    assert box("78") == "11.25"  # days
    assert box("63") == "971"  # count


def _holds(unit, number):
    """Whether ``number`` is a figure ``unit`` can hold (so the box could show it)."""
    value = Decimal(number)
    if unit.whole_numbers and value != value.to_integral_value():
        return False
    if value < 0 and not unit.can_be_negative:
        return False
    return not (unit.code == units.PERCENTAGE and value > 100)


@pytest.mark.parametrize(
    ("code", "number"),
    [
        (code, number)
        for code, unit in units.UNITS.items()
        for number in ("0", "7.5", "58.2", "1485", "-12.5")
        if _holds(unit, number)
    ],
)
@pytest.mark.django_db  # a new indicator takes the council in force (indicators.tenancy)
def test_a_saved_figure_shown_in_its_box_reads_back_as_the_same_figure(code, number):
    """What the box shows is typed back on saving: it must read as the figure it shows, so an
    untouched row is never a change."""
    unit = units.get(code)
    places = 0 if unit.whole_numbers else 1
    indicator = Indicator(reference="x", unit=code, decimal_places=places)
    figure = Figure(Decimal(number), None, None, Value.Status.ACTUAL)
    text = figure_text(figure, indicator)
    assert text.endswith(unit.suffix) and unit.prefix in text
    back = parse_figure_parts(text, "", "", code, decimal_places=places, status="actual")
    assert fingerprint(back) == fingerprint(figure)


def test_an_untouched_grid_saves_nothing(client, seed, editor):
    publish(OCT, None)
    enter("7", "61.0")
    client.force_login(editor)
    url = reverse("entry_month", args=[OCT.iso])
    response = client.post(url, grid_data(client.get(url)), follow=True)
    assert "No changes to save for October 2023." in response.text


def test_a_stored_figure_with_more_places_than_shown_is_not_changed_by_an_untouched_save(
    client, seed, editor
):
    """A figure stored with more decimal places than the indicator shows (``0.182`` typed
    in the admin) is shown whole in its box, so saving the grid untouched does not round it."""
    enter("10", "0.182")
    client.force_login(editor)
    url = reverse("entry_month", args=[OCT.iso])
    data = grid_data(client.get(url))
    assert data[f"value_{Indicator.objects.get(reference='10').id}"] == "0.182%"
    response = client.post(url, data, follow=True)
    assert "No changes to save for October 2023." in response.text
    assert Value.objects.get(indicator__reference="10", period=OCT.first_day).value == Decimal(
        "0.182"
    )


def test_a_checklist_link_is_followed_by_its_words_without_a_stray_space(client, seed, editor):
    enter("7", "61.0")
    client.force_login(editor)
    html = client.get(reverse("publish_month", args=[OCT.iso])).text
    assert "(in month)</a>: 61.0% against 90.0%" in html
