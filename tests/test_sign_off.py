"""Commentary sign-off (issue 26, part 6): with the council's setting on, each commentary of a
month is approved (by an administrator, or an editor of its priority who did not write it)
before the month can be published; the checklist lists what is not approved, with links;
approving is kept in the history; changing approved text withdraws the approval. With the
setting off (the default) publishing is as it was."""

import pytest
from django.test import Client
from django.urls import reverse

from indicators import roles
from indicators.models import Commentary, Council, PriorityEditor, PublishedMonth
from indicators.periods import Month
from intake import publishing

from .support.factories import make_indicator, make_priority, make_user, make_values

SEP = Month(2023, 9)


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _sign_off(on=True):
    council = Council.current()
    council.commentary_sign_off = on
    council.save()


@pytest.fixture
def month(db):
    """Indicators 1 (priority 1, lead officer "HoS Front Door") and 2 (priority 2), each with
    a September figure and commentary written by ``writer``, an editor of priority 1."""
    one, two = make_priority(1), make_priority(2)
    writer = make_user("writer", roles.EDITOR)
    PriorityEditor.objects.create(user=writer, priority=one)
    for reference, priority in (("1", one), ("2", two)):
        indicator = make_indicator(reference, priority, lead_officer="HoS Front Door")
        make_values(indicator, SEP.iso, [50])
        Commentary.objects.create(
            indicator=indicator, period=SEP.first_day, text=f"Comment {reference}", author=writer
        )
    return {"writer": writer}


def _comment(reference):
    return Commentary.objects.get(indicator__reference=reference, period=SEP.first_day)


def _publish(user):
    return _client(user).post(reverse("publish_month", args=[SEP.iso]), {"confirm": "yes"})


def test_with_the_setting_off_publishing_is_unchanged(month, editor):
    assert not Council.current().commentary_sign_off
    checklist = publishing.checklist(SEP)
    assert (checklist.sign_off, checklist.unapproved) == (False, [])
    page = _client(editor).get(reverse("publish_month", args=[SEP.iso]))
    assert "not yet approved" not in page.text
    assert _publish(editor).status_code == 302
    assert PublishedMonth.objects.filter(period=SEP.first_day).exists()


def test_with_sign_off_on_unapproved_commentary_blocks_publishing_and_is_listed(month, editor):
    _sign_off()
    page = _client(editor).get(reverse("publish_month", args=[SEP.iso]))
    assert "2 commentaries not yet approved" in page.text
    for reference in ("1", "2"):
        link = reverse("approve_commentary", args=[SEP.iso, _comment(reference).pk])
        assert f'href="{link}"' in page.text
    assert "lead officer: HoS Front Door" in page.text
    refused = _publish(editor)
    assert refused.status_code == 200
    assert "cannot be published yet" in refused.text and "(1, 2)" in refused.text
    assert not PublishedMonth.objects.filter(period=SEP.first_day).exists()


def test_once_every_commentary_is_approved_the_month_publishes(month, editor, administrator):
    _sign_off()
    for reference in ("1", "2"):
        url = reverse("approve_commentary", args=[SEP.iso, _comment(reference).pk])
        assert _client(editor).post(url).status_code == 302
    assert publishing.checklist(SEP).unapproved == []
    assert _publish(editor).status_code == 302
    assert PublishedMonth.objects.filter(period=SEP.first_day).exists()


def test_approving_is_kept_in_the_history_with_who_and_when(month, editor):
    _sign_off()
    comment = _comment("1")
    _client(editor).post(reverse("approve_commentary", args=[SEP.iso, comment.pk]))
    comment.refresh_from_db()
    assert comment.approved_by == editor and comment.approved_at is not None
    latest = comment.history.first()
    assert (latest.approved_by_id, latest.history_user, latest.history_change_reason) == (
        editor.pk,
        editor,
        "approved",
    )


def test_changing_approved_commentary_withdraws_the_approval(month, editor):
    _sign_off()
    comment = _comment("1")
    _client(editor).post(reverse("approve_commentary", args=[SEP.iso, comment.pk]))
    comment = _comment("1")
    comment.save()  # saved unchanged: still approved
    assert _comment("1").approved
    comment.text = "Comment 1, rewritten after approval"
    comment.save()
    assert not _comment("1").approved
    assert [c.indicator.reference for c in publishing.checklist(SEP).unapproved] == ["1", "2"]


def test_the_entry_grid_changing_approved_commentary_withdraws_the_approval(month, editor):
    _sign_off()
    comment = _comment("1")
    _client(editor).post(reverse("approve_commentary", args=[SEP.iso, comment.pk]))
    grid = _client(editor).get(reverse("entry_month", args=[SEP.iso]))
    form = grid.context["form"]
    data = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    changed = [name for name in data if name.startswith("commentary") and data[name] == "Comment 1"]
    assert changed, "the grid has a commentary box holding indicator 1's commentary"
    data[changed[0]] = "Comment 1, changed in the grid"
    assert _client(editor).post(reverse("entry_month", args=[SEP.iso]), data).status_code == 302
    assert _comment("1").text == "Comment 1, changed in the grid"
    assert not _comment("1").approved


@pytest.fixture
def people(month, viewer, editor, administrator, no_role_user):
    outside = make_user("outside", roles.EDITOR)
    PriorityEditor.objects.create(user=outside, priority=make_priority(3))
    return {
        "viewer": viewer,
        "the writer (an editor of priority 1)": month["writer"],
        "an editor of priority 3 only": outside,
        "an editor of every priority": editor,
        "administrator": administrator,
        "no role": no_role_user,
        "anonymous": None,
    }


# (GET, POST) statuses of the approval page of indicator 1's commentary, for each of people.
APPROVE_WALK = {
    "viewer": (403, 403),
    "the writer (an editor of priority 1)": (200, 403),
    "an editor of priority 3 only": (200, 403),
    "an editor of every priority": (200, 302),
    "administrator": (200, 302),
    "no role": (403, 403),
    "anonymous": (302, 302),
}


def test_the_approval_page_answers_each_role_as_expected(people):
    _sign_off()
    got = {}
    for name, user in people.items():
        comment = _comment("1")
        comment.approved_by, comment.approved_at = None, None
        comment.save()
        url = reverse("approve_commentary", args=[SEP.iso, comment.pk])
        got[name] = (_client(user).get(url).status_code, _client(user).post(url).status_code)
    assert got == APPROVE_WALK


def test_the_writer_is_told_why_they_may_not_approve(month):
    _sign_off()
    url = reverse("approve_commentary", args=[SEP.iso, _comment("1").pk])
    page = _client(month["writer"]).get(url)
    assert "You wrote this commentary" in page.text
    assert "Approve for HoS Front Door" not in page.text


def test_a_commentary_of_another_month_is_not_found(month, editor):
    url = reverse("approve_commentary", args=["2023-08", _comment("1").pk])
    assert _client(editor).get(url).status_code == 404


@pytest.mark.parametrize("extra", [0, 40])
def test_the_publishing_pages_query_count_with_sign_off_is_the_same_at_two_sizes(
    month, editor, extra, django_assert_num_queries
):
    _sign_off()
    priority = make_priority(9)
    for number in range(extra):
        indicator = make_indicator(f"9{number:02}", priority)
        Commentary.objects.create(indicator=indicator, period=SEP.first_day, text="Noted.")
    client = _client(editor)
    # Session, user, the council of the address (its sign-off setting and the header's name
    # are read from it), the user's role there; the editor's priorities; the checklist's six
    # (tests/test_publishing_trust.py); the month's unapproved commentary (with its
    # indicators and authors); the publications.
    with django_assert_num_queries(4 + 1 + 6 + 1 + 1):
        page = client.get(reverse("publish_month", args=[SEP.iso]))
    assert f"{2 + extra} commentaries not yet approved" in page.text


def test_an_administrator_sets_sign_off_on_the_councils_admin_page(administrator):
    Council.current().save()
    client = _client(administrator)
    url = reverse("admin:indicators_council_change", args=[Council.current().pk])
    page = client.get(url)
    assert 'name="commentary_sign_off"' in page.text
    form = page.context["adminform"].form
    data = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    data["commentary_sign_off"] = "on"
    assert client.post(url, data).status_code == 302
    assert Council.current().commentary_sign_off
