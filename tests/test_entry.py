"""Monthly entry grid, milestone updates, publishing and the audit trail."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import (
    Commentary,
    MilestoneUpdate,
    PublicationEvent,
    PublishedMonth,
    Target,
    Value,
)
from indicators.periods import Month

from .support.entry_grid import give_reasons, grid_data, key

SEP = "2023-09"


EDITOR_URLS = [
    ("get", reverse("entry_index")),
    ("get", reverse("entry_month", args=[SEP])),
    ("get", reverse("milestones_month", args=[SEP, 6])),
    ("get", reverse("import_upload")),
    ("post", reverse("publish_month", args=["2023-10"])),
]


@pytest.mark.parametrize(("method", "url"), EDITOR_URLS)
@pytest.mark.parametrize("user_fixture", ["viewer", "no_role_user"])
def test_viewers_and_users_without_a_role_are_refused_editor_pages(
    client, seed, request, user_fixture, method, url
):
    client.force_login(request.getfixturevalue(user_fixture))
    response = getattr(client, method)(url, {"action": "publish"})
    assert response.status_code == 403
    assert not PublishedMonth.objects.filter(period="2023-10-01").exists()


@pytest.mark.parametrize(("method", "url"), EDITOR_URLS)
def test_anonymous_visitors_are_sent_to_sign_in_from_editor_pages(client, seed, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("user_fixture", ["editor", "administrator"])
@pytest.mark.parametrize(("method", "url"), [u for u in EDITOR_URLS if u[0] == "get"])
def test_editors_and_administrators_open_editor_pages(
    client, seed, request, user_fixture, method, url
):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(url).status_code == 200


def test_grid_lists_every_active_indicator_once_with_previous_month_and_target(
    client, seed, editor
):
    client.force_login(editor)
    response = client.get(reverse("entry_month", args=[SEP]))
    entries = [entry for _, group in response.context["groups"] for entry, _ in group]
    references = [entry.indicator.reference for entry in entries]
    assert len(references) == len(set(references)) == 38  # ID 69 once, not twice
    seven = next(entry for entry in entries if entry.indicator.reference == "7")
    assert seven.previous_display == "52.2%"
    assert seven.row.target_display == "90.0%"
    assert seven.row.rag.value == "red"
    assert 'value="58.2%"' in response.text  # a saved figure with its unit


def test_an_editor_saves_a_corrected_figure_and_commentary(client, seed, editor):
    client.force_login(editor)
    data = grid_data(client.get(reverse("entry_month", args=[SEP])))
    data[f"value_{key('7')}"] = "60.5%"
    data[f"commentary_{key('7')}"] = "Improvement maintained."
    give_reasons(data, "7")
    response = client.post(reverse("entry_month", args=[SEP]), data)
    assert response.status_code == 302
    value = Value.objects.get(indicator__reference="7", period="2023-09-01")
    assert value.value == Decimal("60.5")
    assert value.entered_by == editor
    assert Commentary.objects.get(indicator__reference="7", period="2023-09-01").text == (
        "Improvement maintained."
    )
    # The earlier figure is kept in the history, not lost.
    assert [h.value for h in value.history.order_by("history_date")] == [
        Decimal("58.2"),
        Decimal("60.5"),
    ]


@pytest.mark.parametrize(
    ("reference", "typed", "reason"),
    [
        ("34", "x", "suppressed"),
        ("7", "152%", "between 0 and 100"),
        ("34", "-1", "negative"),
        ("34", "2.5", "whole number"),
        ("7", "about half", "not a number"),
    ],
)
def test_a_bad_figure_is_refused_naming_the_indicator_and_nothing_is_saved(
    client, seed, editor, reference, typed, reason
):
    client.force_login(editor)
    data = grid_data(client.get(reverse("entry_month", args=[SEP])))
    data[f"value_{key('10')}"] = "17.0%"  # a valid change in the same save
    data[f"value_{key(reference)}"] = typed
    response = client.post(reverse("entry_month", args=[SEP]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors[f"value_{key(reference)}"]
    assert errors[0].startswith(f"ID {reference} ")
    assert reason in errors[0].lower()
    assert f'value="{typed}"' in response.text  # what the user typed is kept
    assert Value.objects.get(indicator__reference="10", period="2023-09-01").value == Decimal(
        "18.3"
    )


def test_figures_written_the_report_way_are_accepted(client, seed, editor):
    client.force_login(editor)
    data = grid_data(client.get(reverse("entry_month", args=[SEP])))
    data[f"value_{key('73')}"] = "7.4% (15/204)"
    data[f"value_{key('20')}"] = "39.1r"
    data[f"value_{key('63')}"] = "1,485"
    data[f"value_{key('78')}"] = "11.25"
    data[f"value_{key('76')}"] = "Not available"
    give_reasons(data, "73", "63", "76")
    assert client.post(reverse("entry_month", args=[SEP]), data).status_code == 302
    figures = {
        v.indicator.reference: v
        for v in Value.objects.filter(period="2023-09-01").select_related("indicator")
    }
    assert (
        figures["73"].value,
        figures["73"].numerator,
        figures["73"].denominator,
    ) == (
        Decimal("7.4"),
        Decimal("15"),
        Decimal("204"),
    )
    assert figures["63"].value == Decimal("1485")
    assert figures["76"].value is None and figures["76"].status == "not_available"


def test_a_figure_changed_by_someone_else_is_refused_showing_both_values(client, seed, editor):
    client.force_login(editor)
    data = grid_data(client.get(reverse("entry_month", args=[SEP])))
    # Another editor saves ID 7 after this form was opened.
    other = Value.objects.get(indicator__reference="7", period="2023-09-01")
    other.value = Decimal("61.0")
    other.save()
    data[f"value_{key('7')}"] = "59.0"
    data[f"value_{key('10')}"] = "17.0"
    give_reasons(data, "7", "10")
    response = client.post(reverse("entry_month", args=[SEP]), data)
    assert response.status_code == 200
    message = response.context["form"].errors[f"value_{key('7')}"][0]
    assert "61.0" in message and "59.0" in message
    assert Value.objects.get(pk=other.pk).value == Decimal("61.0")
    # One transaction: the other change in the same save was not written either.
    assert Value.objects.get(indicator__reference="10", period="2023-09-01").value == Decimal(
        "18.3"
    )


def test_saving_an_unchanged_grid_writes_nothing(client, seed, editor):
    client.force_login(editor)
    data = grid_data(client.get(reverse("entry_month", args=[SEP])))
    before = Value.history.count()
    assert client.post(reverse("entry_month", args=[SEP]), data).status_code == 302
    assert Value.history.count() == before


def test_milestone_updates_start_from_the_previous_month_and_keep_each_month(client, seed, editor):
    client.force_login(editor)
    url = reverse("milestones_month", args=["2023-10", 6])
    response = client.get(url)
    first = response.context["form"].rows[0]
    assert first["from_previous"] is True
    assert "Retention payments" in response.text
    data = {}
    for row in response.context["form"].rows:
        for field in row["fields"]:
            data[field.html_name] = field.value() or ""
    milestone_id = first["milestone"].id
    data[f"this_period_{milestone_id}"] = "October update."
    assert client.post(url, data).status_code == 302
    october = MilestoneUpdate.objects.get(milestone_id=milestone_id, period="2023-10-01")
    september = MilestoneUpdate.objects.get(milestone_id=milestone_id, period="2023-09-01")
    assert october.this_period == "October update."
    assert september.this_period.startswith("Retention payments")


def test_a_new_month_is_draft_until_published_then_viewers_see_it(client, seed, editor, viewer):
    client.force_login(editor)
    data = grid_data(client.get(reverse("entry_month", args=["2023-10"])))
    data[f"value_{key('7')}"] = "70.0"
    client.post(reverse("entry_month", args=["2023-10"]), data)
    # The editor sees the draft, marked as a draft.
    response = client.get(reverse("dashboard"), {"period": "2023-10"})
    assert "Draft: October 2023 is not published" in response.text

    client.force_login(viewer)
    assert client.get(reverse("dashboard")).context["month"].iso == "2023-09"
    assert "2023-10" not in client.get(reverse("dashboard")).text
    # The draft month's export is refused, and its page says it is not published.
    assert client.get(reverse("scorecard_csv"), {"period": "2023-10"}).status_code == 404
    page = client.get(reverse("dashboard"), {"period": "2023-10"})
    assert "October 2023 has not been published" in page.text
    assert "70.0" not in page.text
    indicator_page = client.get(reverse("indicator", args=["7"]))
    assert "Oct-23" not in indicator_page.text

    client.force_login(editor)
    # Publishing needs the editor to confirm having seen what the month lacks.
    client.post(reverse("publish_month", args=["2023-10"]), {"action": "publish"})
    assert not PublishedMonth.objects.filter(period="2023-10-01").exists()
    client.post(reverse("publish_month", args=["2023-10"]), {"action": "publish", "confirm": "yes"})
    published = PublishedMonth.objects.get(period="2023-10-01")
    assert published.published_by == editor

    client.force_login(viewer)
    assert client.get(reverse("dashboard")).context["month"].iso == "2023-10"
    assert "Oct-23" in client.get(reverse("indicator", args=["7"])).text


def test_unpublishing_needs_a_reason_which_is_kept(client, seed, editor):
    client.force_login(editor)
    url = reverse("publish_month", args=[SEP])
    client.post(url, {"action": "unpublish", "reason": "  "})
    assert PublishedMonth.objects.filter(period="2023-09-01").exists()
    client.post(url, {"action": "unpublish", "reason": "ID 7 was misreported."})
    assert not PublishedMonth.objects.filter(period="2023-09-01").exists()
    event = PublicationEvent.objects.get(action="unpublish")
    assert (event.reason, event.user) == ("ID 7 was misreported.", editor)


def test_indicator_page_shows_change_history_to_editors_only(client, seed, editor, viewer):
    target = Target.objects.get(indicator__reference="7")
    target.value = Decimal("85")
    target.save()
    client.force_login(editor)
    response = client.get(reverse("indicator", args=["7"]))
    assert "Target from Jul-23 changed from 90.0% to 85.0%" in response.text
    assert "Changed after figures were reported" in response.text
    client.force_login(viewer)
    response = client.get(reverse("indicator", args=["7"]))
    assert response.context["changes"] is None
    assert "Change history" not in response.text


@pytest.mark.parametrize(
    ("numerator", "denominator", "reason"),
    [
        ("15", "", "give both the numerator and the denominator"),
        ("150", "204", "150/204 gives"),
    ],
)
def test_numerator_and_denominator_are_checked_against_the_figure(
    client, seed, editor, numerator, denominator, reason
):
    client.force_login(editor)
    data = grid_data(client.get(reverse("entry_month", args=[SEP])))
    data[f"value_{key('73')}"] = "7.4%"
    data[f"numerator_{key('73')}"] = numerator
    data[f"denominator_{key('73')}"] = denominator
    response = client.post(reverse("entry_month", args=[SEP]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(reason in error for errors_ in errors.values() for error in errors_), errors


def test_a_figure_stored_as_suppressed_without_a_value_opens_in_the_grid_as_an_empty_box(
    client, seed, editor
):
    """The grid writes a figure back as it was typed; a suppressed one has no value to write
    (it raised an AttributeError and the month's grid could not be opened)."""
    Value.objects.filter(indicator__reference="7", period=Month.parse(SEP).first_day).update(
        value=None, numerator=None, denominator=None, status=Value.Status.SUPPRESSED
    )
    client.force_login(editor)
    response = client.get(reverse("entry_month", args=[SEP]))
    assert response.status_code == 200
    entries = [entry for _, group in response.context["groups"] for entry, _ in group]
    seven = next(entry for entry in entries if entry.indicator.reference == "7")
    assert seven.initial()[f"value_{seven.key}"] == ""
    assert seven.initial()[f"status_{seven.key}"] == Value.Status.SUPPRESSED
