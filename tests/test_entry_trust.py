"""The entry grid and milestone updates at month end (issue 11): plausibility warnings
acknowledged figure by figure, revisions of a published month with a reason, no lost update
after a conflict, a harmless double submit, one priority at a time."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from indicators.models import Indicator, MilestoneUpdate, PriorityStatus, Value
from indicators.periods import Month

OCT, SEP = "2023-10", "2023-09"


def grid(client, period, **params):
    response = client.get(reverse("entry_month", args=[period]), params)
    form = response.context["form"]
    data = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    return response, data


def key(reference):
    return Indicator.objects.get(reference=reference).id


def stored(reference, period):
    return Value.objects.filter(indicator__reference=reference, period=f"{period}-01").first()


def post(client, period, data, **params):
    url = reverse("entry_month", args=[period])
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return client.post(url, data)


@pytest.fixture
def signed_in(client, seed, editor):
    client.force_login(editor)
    return client


# Plausibility warnings ---------------------------------------------------------------------
def test_a_fraction_typed_for_a_percentage_is_not_saved_until_acknowledged(signed_in):
    _, data = grid(signed_in, OCT)
    data[f"value_{key('10')}"] = "0.582"
    response = post(signed_in, OCT, data)
    assert response.status_code == 200
    errors = response.context["form"].errors[f"acknowledge_{key('10')}"]
    assert errors[0].startswith("ID 10 (")
    assert "0.582: did you mean 58.2%?" in errors[0]
    assert "0.582: did you mean 58.2%?" in response.text
    assert 'value="0.582"' in response.text  # what was typed is kept
    assert stored("10", OCT) is None

    # Ticking "I have checked this figure" keeps it, and the acknowledgement is recorded.
    token = response.context["form"].acknowledgements()[key("10")]
    data[f"acknowledge_{key('10')}"] = token
    assert post(signed_in, OCT, data).status_code == 302
    value = stored("10", OCT)
    assert value.value == Decimal("0.582")
    assert value.acknowledged_warnings == ["fraction"]
    reason = value.history.get().history_change_reason
    assert "warning acknowledged: 0.582: did you mean 58.2%?" in reason


def test_an_acknowledgement_keeps_only_the_figure_it_was_given_for(signed_in):
    _, data = grid(signed_in, OCT)
    data[f"value_{key('10')}"] = "0.582"
    token = post(signed_in, OCT, data).context["form"].acknowledgements()[key("10")]
    # The editor ticks the box but then types another slip: that one is asked about again.
    data[f"value_{key('10')}"] = "0.59"
    data[f"acknowledge_{key('10')}"] = token
    response = post(signed_in, OCT, data)
    assert response.status_code == 200
    assert "0.59: did you mean 59%?" in response.text
    assert stored("10", OCT) is None


def test_a_corrected_figure_needs_no_acknowledgement(signed_in):
    _, data = grid(signed_in, OCT)
    data[f"value_{key('10')}"] = "0.582"
    post(signed_in, OCT, data)
    data[f"value_{key('10')}"] = "18.2"
    assert post(signed_in, OCT, data).status_code == 302
    assert stored("10", OCT).value == Decimal("18.2")
    assert stored("10", OCT).acknowledged_warnings == []


def test_a_pair_that_does_not_give_the_figure_is_a_warning_on_its_row(signed_in):
    _, data = grid(signed_in, OCT)
    data[f"value_{key('73')}"] = "7.4%"
    data[f"numerator_{key('73')}"] = "150"
    data[f"denominator_{key('73')}"] = "204"
    response = post(signed_in, OCT, data)
    errors = response.context["form"].errors[f"acknowledge_{key('73')}"]
    assert "150/204 gives 73.5%, but the figure is 7.4%" in errors[0]
    assert stored("73", OCT) is None


def test_an_unchanged_figure_is_not_asked_about(signed_in):
    # ID 14 went from 51.6% to 2.4% in Sep-23 (the seed); saving the grid without touching it
    # asks nothing: warnings are for what is being entered.
    _, data = grid(signed_in, SEP)
    assert post(signed_in, SEP, data).status_code == 302


# Revisions ---------------------------------------------------------------------------------
def test_changing_a_published_figure_needs_a_reason_and_is_marked_revised(signed_in, editor):
    response, data = grid(signed_in, SEP)
    assert "September 2023 is published" in response.text
    data[f"value_{key('7')}"] = "60.5%"
    response = post(signed_in, SEP, data)
    errors = response.context["form"].errors[f"reason_{key('7')}"]
    assert "September 2023 is published, so this change is a revision" in errors[0]
    assert stored("7", SEP).value == Decimal("58.2")

    data[f"reason_{key('7')}"] = "Late recording of 12 contacts."
    response = signed_in.post(reverse("entry_month", args=[SEP]), data, follow=True)
    assert "the changes are live now, marked as revised" in response.text
    value = stored("7", SEP)
    assert value.value == Decimal("60.5")
    assert value.revision_reason == "Late recording of 12 contacts."
    assert value.previous_value == Decimal("58.2")
    assert value.previous_status == "actual"
    assert value.revised_at is not None
    latest = value.history.order_by("-history_id").first()
    assert "revision of a published month: Late recording" in latest.history_change_reason


def test_a_figure_added_to_a_published_month_is_a_revision_from_no_figure(signed_in, seed):
    Value.objects.filter(indicator__reference="7", period="2023-09-01").delete()
    _, data = grid(signed_in, SEP)
    data[f"value_{key('7')}"] = "58.2%"
    data[f"reason_{key('7')}"] = "Missed at month end."
    assert post(signed_in, SEP, data).status_code == 302
    value = stored("7", SEP)
    assert value.revised_at is not None and value.previous_status == ""


def test_a_published_figure_cannot_be_deleted_only_marked_not_available(signed_in):
    _, data = grid(signed_in, SEP)
    data[f"value_{key('7')}"] = ""
    data[f"reason_{key('7')}"] = "Withdrawn."
    response = post(signed_in, SEP, data)
    errors = response.context["form"].errors[f"value_{key('7')}"]
    assert "cannot be deleted. Mark it “Not available”" in errors[0]
    assert stored("7", SEP).value == Decimal("58.2")
    data[f"value_{key('7')}"] = "Not available"
    assert post(signed_in, SEP, data).status_code == 302
    assert stored("7", SEP).status == "not_available"


def test_a_draft_months_save_says_it_stays_draft(signed_in):
    _, data = grid(signed_in, OCT)
    data[f"value_{key('7')}"] = "61.0%"
    response = signed_in.post(reverse("entry_month", args=[OCT]), data, follow=True)
    assert "October 2023 is a draft: viewers see it once it is published" in response.text
    assert stored("7", OCT).revised_at is None


# Conflicts and double submits ---------------------------------------------------------------
def test_after_a_conflict_the_editor_keeps_their_figure_and_saves_it_having_seen_theirs(
    signed_in,
):
    _, data = grid(signed_in, OCT)
    Value.objects.create(indicator_id=key("7"), period="2023-10-01", value=Decimal("61.0"))
    data[f"value_{key('7')}"] = "59.0%"
    data[f"value_{key('10')}"] = "18.0%"
    response = post(signed_in, OCT, data)
    assert response.status_code == 200
    message = response.context["form"].errors[f"value_{key('7')}"][0]
    assert "It is now “61.0%”; you entered “59.0%”" in message
    assert "Your entry is kept below: save again to replace theirs" in message
    assert 'value="59.0%"' in response.text  # nothing retyped
    assert stored("7", OCT).value == Decimal("61.0") and stored("10", OCT) is None

    # The re-shown page knows the other value now: the same form, sent again, saves.
    form = response.context["form"]
    again = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    assert post(signed_in, OCT, again).status_code == 302
    assert stored("7", OCT).value == Decimal("59.0")
    assert stored("10", OCT).value == Decimal("18.0")


def test_after_a_conflict_rows_the_editor_did_not_touch_show_what_is_stored_now(signed_in):
    _, data = grid(signed_in, OCT)
    Value.objects.create(indicator_id=key("7"), period="2023-10-01", value=Decimal("61.0"))
    Value.objects.create(indicator_id=key("26"), period="2023-10-01", value=Decimal("11.0"))
    data[f"value_{key('7')}"] = "59.0%"
    response = post(signed_in, OCT, data)
    form = response.context["form"]
    assert form[f"value_{key('26')}"].value() == "11.0%"
    again = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    post(signed_in, OCT, again)
    assert stored("26", OCT).value == Decimal("11.0")  # not reverted to blank


def test_a_double_submit_is_harmless(signed_in):
    _, data = grid(signed_in, OCT)
    data[f"value_{key('7')}"] = "61.0%"
    data[f"commentary_{key('7')}"] = "Improving."
    assert post(signed_in, OCT, data).status_code == 302
    history = Value.history.count()
    response = signed_in.post(reverse("entry_month", args=[OCT]), data, follow=True)
    assert "Nothing new to save: your changes for October 2023 were already saved" in response.text
    assert "changed by someone else" not in response.text
    assert Value.history.count() == history


def test_enter_in_a_figure_cannot_submit_the_grid():
    # The form's first submit button, the one Enter presses, is disabled (the browser test
    # presses Enter; this checks the markup the browser relies on).
    from pathlib import Path

    template = Path(__file__).parent.parent / "templates" / "entry" / "month.html"
    form = template.read_text().split("data-entry-form>", 1)[1]
    first_button = form[form.index("<button") : form.index(">", form.index("<button"))]
    assert "disabled" in first_button


# One priority at a time ---------------------------------------------------------------------
def test_the_grid_can_be_worked_one_priority_at_a_time(signed_in):
    response, data = grid(signed_in, OCT, priority=6)
    references = [e.indicator.reference for _, rows in response.context["groups"] for e, _ in rows]
    assert references == ["69", "76", "77", "78"]
    assert "Save figures for Oct-23, priority 6" in response.text
    data[f"value_{key('78')}"] = "11.30"
    response = post(signed_in, OCT, data, priority=6)
    assert response.status_code == 302 and response.url.endswith("?priority=6")
    assert stored("78", OCT).value == Decimal("11.30")
    assert signed_in.get(reverse("entry_month", args=[OCT]), {"priority": 99}).status_code == 404


def test_saving_from_the_grid_before_publishing_saves_first(signed_in):
    _, data = grid(signed_in, OCT)
    data[f"value_{key('7')}"] = "61.0%"
    data["then"] = "publish"
    response = post(signed_in, OCT, data)
    assert response.status_code == 302
    assert response.url == reverse("publish_month", args=[OCT])
    assert stored("7", OCT).value == Decimal("61.0")


# The month index ----------------------------------------------------------------------------
def test_entry_offers_the_month_just_ended_and_the_one_before(signed_in):
    just_ended = Month.current().previous()
    response = signed_in.get(reverse("entry_index"))
    assert f"Enter figures for {just_ended.long_label}" in response.text
    assert f"Enter figures for {just_ended.previous().long_label}" in response.text


# Milestone updates --------------------------------------------------------------------------
def milestone_data(response):
    data = {}
    form = response.context["form"]
    for name in form.fields:
        data[name] = "" if form[name].value() is None else form[name].value()
    return data


def test_two_editors_updating_one_prioritys_milestones_lose_nothing(client, seed, editor):
    client.force_login(editor)
    url = reverse("milestones_month", args=[SEP, 6])
    first, second = milestone_data(client.get(url)), milestone_data(client.get(url))
    ids = [m.id for m in client.get(url).context["form"].milestones]
    first[f"this_period_{ids[0]}"] = "First editor's text."
    assert client.post(url, first).status_code == 302
    # The second editor changes another milestone only: the first's text stands.
    second[f"this_period_{ids[1]}"] = "Second editor's text."
    assert client.post(url, second).status_code == 302
    updates = {u.milestone_id: u for u in MilestoneUpdate.objects.filter(period="2023-09-01")}
    assert updates[ids[0]].this_period == "First editor's text."
    assert updates[ids[1]].this_period == "Second editor's text."


def test_a_milestone_changed_meanwhile_is_a_conflict_kept_for_a_second_save(client, seed, editor):
    client.force_login(editor)
    url = reverse("milestones_month", args=[SEP, 6])
    mine = milestone_data(client.get(url))
    milestone = client.get(url).context["form"].milestones[0]
    MilestoneUpdate.objects.filter(milestone=milestone, period="2023-09-01").update(
        this_period="Someone else's text."
    )
    mine[f"this_period_{milestone.id}"] = "My text."
    response = client.post(url, mine)
    assert response.status_code == 200
    message = response.context["form"].errors[f"this_period_{milestone.id}"][0]
    assert "This period now reads: “Someone else's text.”" in message
    assert "My text." in response.text
    update = MilestoneUpdate.objects.get(milestone=milestone, period="2023-09-01")
    assert update.this_period == "Someone else's text."
    assert client.post(url, milestone_data(response)).status_code == 302
    update.refresh_from_db()
    assert update.this_period == "My text."


def test_a_double_submitted_milestone_update_is_harmless(client, seed, editor):
    client.force_login(editor)
    url = reverse("milestones_month", args=[SEP, 6])
    data = milestone_data(client.get(url))
    milestone = client.get(url).context["form"].milestones[0]
    data[f"this_period_{milestone.id}"] = "Updated."
    assert client.post(url, data).status_code == 302
    response = client.post(url, data, follow=True)
    assert "someone else" not in response.text
    assert "No changes to save" in response.text


def _status_page(client):
    url = reverse("milestones_month", args=[SEP, 6])
    return url, milestone_data(client.get(url))


def test_a_priority_status_set_meanwhile_is_a_conflict_kept_for_a_second_save(
    client, seed, editor, administrator
):
    client.force_login(editor)
    url, mine = _status_page(client)
    # Someone else sets the status after this page was opened (through the same form).
    other = Client()
    other.force_login(administrator)
    theirs = milestone_data(other.get(url))
    theirs["priority_status"] = "off_track"
    assert other.post(url, theirs).status_code == 302
    mine["priority_status"] = "complete"
    response = client.post(url, mine)
    assert response.status_code == 200
    message = response.context["form"].errors["priority_status"][0]
    assert "set to “Off track” by someone else" in message
    assert PriorityStatus.objects.get(period="2023-09-01", priority__number=6).status == (
        "off_track"
    )
    # Nothing else in the same save was written either.
    assert not MilestoneUpdate.objects.filter(period="2023-09-01", updated_by=editor).exists()
    # Their choice seen, mine kept on the page: a second save replaces theirs.
    assert response.context["form"]["priority_status"].value() == "complete"
    assert client.post(url, milestone_data(response)).status_code == 302
    assert PriorityStatus.objects.get(period="2023-09-01", priority__number=6).status == (
        "complete"
    )


def test_a_status_left_alone_keeps_what_someone_else_set(client, seed, editor, administrator):
    client.force_login(editor)
    url, mine = _status_page(client)
    other = Client()
    other.force_login(administrator)
    theirs = milestone_data(other.get(url))
    theirs["priority_status"] = "at_risk"
    assert other.post(url, theirs).status_code == 302
    # The editor changes a milestone only: saved, and the status someone else set stands.
    milestone = client.get(url).context["form"].milestones[0]
    mine[f"this_period_{milestone.id}"] = "Only the milestone."
    assert client.post(url, mine).status_code == 302
    assert PriorityStatus.objects.get(period="2023-09-01", priority__number=6).status == "at_risk"
    # The same choice submitted twice is no conflict.
    again = milestone_data(client.get(url))
    again["priority_status"] = "complete"
    assert client.post(url, again).status_code == 302
    assert client.post(url, again, follow=True).status_code == 200
    assert PriorityStatus.objects.get(period="2023-09-01", priority__number=6).status == (
        "complete"
    )
