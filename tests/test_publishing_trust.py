"""Publishing with its eyes open, and what a viewer sees of publication and revisions
(issue 11 items 2 and 3)."""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from indicators.models import Commentary, Indicator, PublishedMonth, Value
from indicators.periods import Month
from intake.publishing import checklist, publish
from scorecard.pack import PackOptions, pack_html
from scorecard.queries import load_scorecard

OCT = Month(2023, 10)


def enter(reference, value, period="2023-10-01", **fields):
    indicator = Indicator.objects.get(reference=reference)
    return Value.objects.create(
        indicator=indicator, period=period, value=Decimal(str(value)), **fields
    )


# The checklist ------------------------------------------------------------------------------
def test_the_checklist_lists_missing_figures_by_priority_red_without_commentary_and_warnings(
    seed,
):
    enter("7", "61.0")  # red against 90%, no commentary
    enter("10", "0.182")  # a fraction nobody acknowledged (typed in the admin, say)
    enter("26", "9.0")
    Commentary.objects.create(
        indicator=enter("55", "80.0").indicator, period="2023-10-01", text="Why."
    )
    result = checklist(OCT)
    assert (result.entered, result.active) == (4, 38)
    assert result.missing_count == 34
    missing = {
        priority.number: [i.reference for i in indicators]
        for priority, indicators in result.missing
    }
    assert "7" not in missing[2] and "22" in missing[3]
    assert [row.indicator.reference for row in result.red_without_commentary] == ["7"]
    assert [(row.indicator.reference, [w.code for w in ws]) for row, ws in result.warnings] == [
        ("10", ["fraction"])
    ]


def test_an_acknowledged_warning_is_not_on_the_checklist(seed):
    enter("10", "0.182", acknowledged_warnings=["fraction"])
    assert checklist(OCT).warnings == []


def test_publishing_shows_the_checklist_and_needs_a_confirmation(client, seed, editor):
    enter("7", "61.0")
    client.force_login(editor)
    url = reverse("publish_month", args=[OCT.iso])
    page = client.get(url)
    assert "1 of 38 active indicators have a figure for Oct-23" in page.text
    assert "37 indicators with no figure" in page.text
    assert "1 red figure with no commentary" in page.text
    response = client.post(url, {"action": "publish"})
    assert "Tick the box to confirm" in response.text
    assert not PublishedMonth.objects.filter(period=OCT.first_day).exists()
    client.post(url, {"action": "publish", "confirm": "yes"})
    assert PublishedMonth.objects.get(period=OCT.first_day).published_by == editor


# Whether the council asks for commentary sign-off: read from the council of the address, no
# query of its own (with it on, one more: the month's unapproved commentary, test_sign_off).
SIGN_OFF = 0


def test_the_publishing_pages_query_count_is_the_same_at_two_sizes(
    client, seed, editor, django_assert_num_queries
):
    client.force_login(editor)
    url = reverse("publish_month", args=[OCT.iso])
    # Session, user, the council of the address, the user's role there; the priorities the
    # editor is limited to (indicators.scope: none here, so they may publish); the
    # checklist: headline measures, figures (month and the year before), targets,
    # commentary, acknowledged warnings, the priorities with their milestones counted (and
    # those updated for the month); whether the council asks for commentary sign-off (the
    # council's row, SIGN_OFF; with it on, one more: the month's unapproved commentary,
    # tests/test_sign_off.py); the publications; the council (the header: the address's).
    with django_assert_num_queries(4 + 1 + 6 + SIGN_OFF + 1):
        client.get(url)
    for reference in ("7", "10", "26", "55", "69", "73"):
        enter(reference, "50.0")
    with django_assert_num_queries(4 + 1 + 6 + SIGN_OFF + 1):
        client.get(url)


# What viewers see --------------------------------------------------------------------------
def test_viewers_see_who_published_the_month_and_when(client, seed, viewer):
    user = get_user_model().objects.create_user("jo", first_name="Jo", last_name="Bloggs")
    PublishedMonth.objects.filter(period="2023-09-01").update(published_by=user)
    client.force_login(viewer)
    for url in (reverse("dashboard"), reverse("priority", args=[3])):
        text = client.get(url, {"period": "2023-09"}).text
        assert "September 2023 was published on" in text and "by Jo Bloggs" in text
    html = pack_html(Month(2023, 9), PackOptions())
    assert "September 2023 was published on" in html and "by Jo Bloggs" in html


def test_a_viewer_asking_for_an_unpublished_month_is_told_so(client, seed, viewer):
    enter("7", "61.0")
    client.force_login(viewer)
    response = client.get(reverse("dashboard"), {"period": "2023-10"})
    assert response.status_code == 200
    assert "October 2023 has not been published" in response.text
    assert "The latest published month is" in response.text
    assert "No data" not in response.text
    page = client.get(reverse("priority", args=[2]), {"period": "2023-10"})
    assert "October 2023 has not been published" in page.text
    for name in ("scorecard_csv", "scorecard_xlsx", "pack"):
        assert client.get(reverse(name), {"period": "2023-10"}).status_code == 404, name


def test_no_data_is_counted_as_no_data_with_or_without_a_target(seed):
    Value.objects.filter(period="2023-09-01", indicator__reference__in=["62", "7"]).delete()
    scorecard = load_scorecard(Month(2023, 9))
    rows = {row.indicator.reference: row for row in scorecard.rows}
    assert rows["62"].rag.value == "no data"  # no target
    assert rows["7"].rag.value == "no data"  # a target
    first = scorecard.priorities[0]
    assert first.counts["no_data"] == sum(1 for r in first.rows if r.value(Month(2023, 9)) is None)


# Revisions on the read side -----------------------------------------------------------------
@pytest.fixture
def revised(seed):
    value = Value.objects.get(indicator__reference="7", period="2023-09-01")
    value.value = Decimal("60.5")
    value.mark_revised(value.__class__(value=Decimal("58.2"), status="actual"), "Late recording.")
    value.save()
    return value


def test_a_revised_figure_is_marked_in_the_headline_table_with_words(client, viewer, revised):
    client.force_login(viewer)
    html = client.get(reverse("priority", args=[2]), {"period": "2023-09"}).text
    table = html[
        html.index("scorecard-table") : html.index("</table>", html.index("scorecard-table"))
    ]
    assert "60.5%" in table and "†" in table
    assert '<span class="govuk-visually-hidden"> (Revised on ' in table
    assert "from 58.2%: Late recording.)" in table
    assert "Revised figures" in html and "ID 7, Sep-23: Revised on" in html


def test_the_indicator_page_gives_the_date_previous_figure_and_reason(client, viewer, revised):
    client.force_login(viewer)
    html = client.get(reverse("indicator", args=["7"])).text
    assert "Revised after publication" in html
    assert "from 58.2%: Late recording." in html


def test_the_exports_carry_the_revision(client, viewer, revised):
    client.force_login(viewer)
    rows = list(csv.reader(io.StringIO(client.get(reverse("scorecard_csv")).content.decode())))
    by_reference = {row[0]: row for row in rows[1:]}
    column = rows[0].index("revised")  # the benchmark columns follow it
    assert by_reference["7"][column] == "2023-09"
    assert by_reference["10"][column] == ""
    history = list(
        csv.reader(io.StringIO(client.get(reverse("indicator_history_csv", args=["7"])).text))
    )
    column = history[0].index("revised")
    assert history[1][0] == "2023-09" and "from 58.2%: Late recording." in history[1][column]
    workbook = load_workbook(io.BytesIO(client.get(reverse("scorecard_xlsx")).content))
    sheet = workbook["Scorecard 2023-09"]
    headers = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
    column = headers.index("Revised")
    cells = [row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0] == "7"]
    assert "Sep-23: Revised on" in cells[0][column]


def test_the_pack_lists_the_revisions_under_the_table(revised):
    html = pack_html(Month(2023, 9), PackOptions())
    assert "Revised figures" in html and "ID 7, Sep-23: Revised on" in html


def test_a_revised_small_count_shows_its_previous_figure_as_x_to_a_viewer(client, viewer, seed):
    value = Value.objects.get(indicator__reference="37", period="2023-09-01")
    value.mark_revised(value.__class__(value=Decimal("3"), status="actual"), "Recount.")
    value.save()
    client.force_login(viewer)
    html = client.get(reverse("indicator", args=["37"])).text
    assert "from x: Recount." in html
    assert "from 3:" not in html


def test_the_key_explains_the_revision_mark(client, viewer, seed):
    client.force_login(viewer)
    assert (
        "Revised: the figure was changed after its month was published"
        in client.get(reverse("dashboard")).text
    )


def test_publish_is_recorded_by_the_helper_used_by_the_seed(seed, editor):
    assert publish(OCT, editor)
    assert not publish(OCT, editor)


def test_changing_a_published_figure_in_the_admin_needs_a_reason_and_is_marked(
    client, seed, administrator
):
    administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    value = Value.objects.get(indicator__reference="7", period="2023-09-01")
    url = reverse("admin:indicators_value_change", args=[value.pk])
    data = {
        "indicator": value.indicator_id,
        "period": "2023-09-01",
        "value": "60.5",
        "numerator": "",
        "denominator": "",
        "status": "actual",
        "entered_by": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "September 2023 is published, so this change is a revision" in response.text
    value.refresh_from_db()
    assert value.value == Decimal("58.2")
    response = client.post(url, {**data, "revision": "Corrected in the admin."})
    assert response.status_code == 302
    value.refresh_from_db()
    assert (value.value, value.previous_value, value.revision_reason) == (
        Decimal("60.5"),
        Decimal("58.2"),
        "Corrected in the admin.",
    )
