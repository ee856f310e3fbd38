"""Councillors' questions and committee actions (issue 26, part 2): who may raise, record,
assign, answer and close one, what the pages show, and the refusals in words."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from indicators import roles
from indicators.models import MAX_TEXT_LENGTH, CommitteeMeeting, Indicator, Priority, Question

from .support.factories import make_indicator, make_priority, make_user


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def people(viewer, editor, administrator, no_role_user):
    return {
        "viewer": viewer,
        "editor": editor,
        "administrator": administrator,
        "no role": no_role_user,
    }


@pytest.fixture
def a_question(db, editor):
    indicator = make_indicator("1", make_priority(1))
    return Question.objects.create(text="Why is this red?", indicator=indicator, raised_by=editor)


# Each new route, and the pages that list questions, as each role: (GET status for viewer,
# editor, administrator, no role).
ROUTES = [
    ("questions", False, (200, 200, 200, 403)),
    ("question", True, (200, 200, 200, 403)),
    ("record_question", False, (403, 200, 200, 403)),
    ("assign_question", True, (403, 200, 200, 403)),
    # Nobody is assigned yet: only an administrator may answer.
    ("answer_question", True, (403, 403, 200, 403)),
    # Posts only.
    ("raise_question", False, (405, 405, 405, 403)),
    ("close_question", True, (403, 405, 405, 403)),
]


@pytest.mark.parametrize(("name", "takes_pk", "statuses"), ROUTES)
def test_every_route_answers_each_role_as_expected(people, a_question, name, takes_pk, statuses):
    url = reverse(name, args=[a_question.pk] if takes_pk else [])
    got = tuple(_client(user).get(url).status_code for user in people.values())
    assert got == statuses


def test_someone_signed_out_is_sent_to_sign_in(a_question):
    response = Client().get(reverse("questions"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_loop_on_indicator_73(seed, viewer, editor, administrator):
    officer = make_user("officer", roles.EDITOR)
    other_editor = make_user("another-editor", roles.EDITOR)
    indicator = Indicator.objects.get(reference="73")
    page = reverse("indicator", args=["73"])
    councillor = _client(viewer)
    councillor.get(page)  # the page body is cached before the question is asked

    response = councillor.post(
        reverse("raise_question"),
        {"indicator": indicator.pk, "text": "Why did re-referrals rise in September?"},
    )
    assert response.status_code == 302
    assert response["Location"] == page + "#questions"
    question = Question.objects.get()
    assert question.raised_by == viewer
    assert question.status == Question.Status.OPEN
    shown = councillor.get(page).content.decode()
    assert "Why did re-referrals rise in September?" in shown
    assert "Open" in shown

    advisor = _client(editor)
    due = timezone.localdate() + dt.timedelta(days=14)
    response = advisor.post(
        reverse("assign_question", args=[question.pk]),
        {"assigned_to": officer.pk, "due_date": due.isoformat()},
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.assigned_to, question.due_date) == (officer, due)

    refused = _client(other_editor).post(
        reverse("answer_question", args=[question.pk]), {"answer": "Not mine to say."}
    )
    assert refused.status_code == 403
    assert "Only the officer this question is assigned to" in refused.content.decode()
    question.refresh_from_db()
    assert question.answer == ""

    response = _client(officer).post(
        reverse("answer_question", args=[question.pk]),
        {"answer": "A change in recording practice; see the October commentary."},
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == Question.Status.ANSWERED
    assert question.answered_by == officer
    for url in (page, reverse("questions")):
        content = councillor.get(url).content.decode()
        assert "A change in recording practice" in content
        assert "Answered" in content

    # The priority page lists it too, below the commentary and above the milestones.
    number = indicator.priorities.first().number
    shown = councillor.get(reverse("priority", args=[number]), {"period": "2023-09"})
    shown = shown.content.decode()
    assert "A change in recording practice" in shown
    assert shown.index("Commentary, Sep-23") < shown.index('id="questions"')
    assert shown.index('id="questions"') < shown.index("Project milestones")

    response = advisor.post(reverse("close_question", args=[question.pk]))
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == Question.Status.CLOSED
    # Every change is kept: raised, assigned, answered, closed.
    assert question.history.count() == 4


def test_a_viewer_may_not_close_or_assign(a_question, viewer):
    client = _client(viewer)
    assert client.post(reverse("close_question", args=[a_question.pk])).status_code == 403
    officer = make_user("officer", roles.EDITOR)
    response = client.post(
        reverse("assign_question", args=[a_question.pk]), {"assigned_to": officer.pk}
    )
    assert response.status_code == 403
    a_question.refresh_from_db()
    assert a_question.status == Question.Status.OPEN and a_question.assigned_to is None


def test_an_editor_records_an_action_for_a_meeting(db, editor):
    priority = make_priority(2)
    meeting = CommitteeMeeting.objects.create(
        committee="Scrutiny", date=dt.date(2023, 11, 7), reviews=dt.date(2023, 9, 1)
    )
    officer = make_user("officer", roles.EDITOR)
    response = _client(editor).post(
        reverse("record_question"),
        {
            "kind": "action",
            "text": "Bring a 12-month trajectory to the next meeting.",
            "priority": priority.pk,
            "meeting": meeting.pk,
            "assigned_to": officer.pk,
            "due_date": "2024-01-09",
        },
    )
    assert response.status_code == 302
    action = Question.objects.get()
    assert (action.kind, action.meeting, action.assigned_to) == ("action", meeting, officer)
    assert action.raised_by == editor
    listed = _client(editor).get(reverse("questions"), {"meeting": meeting.pk}).content.decode()
    assert "Bring a 12-month trajectory" in listed
    shown = _client(editor).get(reverse("priority", args=[2])).content.decode()
    assert "Bring a 12-month trajectory" in shown


def test_an_open_question_past_its_due_date_is_overdue(a_question, viewer):
    a_question.due_date = timezone.localdate() - dt.timedelta(days=1)
    a_question.save()
    client = _client(viewer)
    shown = client.get(reverse("questions")).content.decode()
    assert "govuk-tag--red" in shown and "Overdue" in shown
    overdue = client.get(reverse("questions"), {"status": "overdue"})
    assert "Why is this red?" in overdue.content.decode()
    open_only = client.get(reverse("questions"), {"status": "answered"})
    assert "Why is this red?" not in open_only.content.decode()
    page = client.get(reverse("indicator", args=["1"])).content.decode()
    assert "Overdue" in page


def test_an_answered_question_is_not_overdue(a_question):
    a_question.due_date = timezone.localdate() - dt.timedelta(days=1)
    a_question.status = Question.Status.ANSWERED
    assert a_question.shown_status(timezone.localdate()) == ("Answered", "green")


@pytest.mark.parametrize(
    ("text", "about", "message"),
    [
        ("", "indicator", "Enter your question."),
        ("x" * (MAX_TEXT_LENGTH + 1), "indicator", "Use 2,000 characters or fewer."),
        ("Both?", "both", "A question is about one indicator or one priority"),
        ("Neither?", "neither", "A question is about one indicator or one priority"),
        ("Unknown?", "unknown", "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_in_words(a_question, viewer, text, about, message):
    indicator, priority = a_question.indicator, Priority.objects.get()
    data = {"text": text}
    if about in ("indicator", "both"):
        data["indicator"] = indicator.pk
    if about == "both":
        data["priority"] = priority.pk
    if about == "unknown":
        data["indicator"] = "99999"
    response = _client(viewer).post(reverse("raise_question"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Question.objects.count() == 1


def test_an_empty_answer_is_refused_in_words(a_question, administrator):
    response = _client(administrator).post(
        reverse("answer_question", args=[a_question.pk]), {"answer": ""}
    )
    assert response.status_code == 400
    assert "Enter the answer." in response.content.decode()


def test_the_database_refuses_both_or_neither_and_long_text(a_question):
    priority = Priority.objects.get()
    for fields in (
        {"indicator": a_question.indicator, "priority": priority},
        {},
        {"indicator": a_question.indicator, "text": "x" * (MAX_TEXT_LENGTH + 1)},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Question.objects.create(**{"text": "Why?", **fields})


def test_a_limited_editor_may_not_assign_another_prioritys_question(a_question):
    from indicators.models import PriorityEditor

    limited = make_user("limited", roles.EDITOR)
    PriorityEditor.objects.create(user=limited, priority=make_priority(5))
    response = _client(limited).post(reverse("close_question", args=[a_question.pk]))
    assert response.status_code == 403
    assert "priority 5 only" in response.content.decode()


def test_the_questions_page_is_in_the_navigation_for_every_role(people):
    for label, user in people.items():
        if label == "no role":
            continue
        content = _client(user).get(reverse("dashboard")).content.decode()
        assert f'href="{reverse("questions")}"' in content, label


def test_every_change_to_a_question_is_on_the_audit_page(a_question, editor, administrator):
    _client(administrator).post(
        reverse("answer_question", args=[a_question.pk]), {"answer": "It is amber now."}
    )
    content = _client(editor).get(reverse("audit")).content.decode()
    assert f"Question {a_question.pk}" in content
    assert "It is amber now." in content
    assert "Why is this red?" in content
