"""The scrutiny loop in a real browser (issue 26's engineering bar): a councillor raises a
question on indicator 73 before the meeting that reviews Sep-23; the advisor records an
action at that meeting and assigns it; the officer answers it; the Oct-23 pack lists the
action with its answer under "Actions from the last meeting" (its text read back with
PyMuPDF), and the meeting's page shows both."""

import pymupdf
import pytest
from django.utils import timezone

from indicators import roles
from indicators.models import CommitteeMeeting, Indicator, Question

from .support.browser import PASSWORD, WAIT_MS, sign_in
from .support.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACTION = "Bring a 12-month trajectory for care leavers' supervision to the next meeting."
ANSWER = "A trajectory to 60% by March 2024 is agreed; progress is reported monthly."


def _signed_in(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    sign_in(page, live_server, username)
    return context, page


def test_a_question_an_action_its_answer_and_the_next_pack(browser, live_server, seed):
    make_user("councillor", roles.VIEWER, PASSWORD)
    make_user("advisor", roles.EDITOR, PASSWORD)
    make_user("officer", roles.EDITOR, PASSWORD)
    meeting = CommitteeMeeting.objects.get(reviews="2023-09-01")
    seventy_three = Indicator.objects.get(reference="73")

    # Before the meeting, a councillor asks from indicator 73's page.
    context, page = _signed_in(browser, live_server, "councillor")
    page.goto(f"{live_server.url}/indicators/73/?period=2023-09")
    page.get_by_label("Ask a question about this indicator").fill(
        "Why has supervision in time for care leavers fallen to 7.4%?"
    )
    page.get_by_role("button", name="Ask the question").click()
    page.wait_for_url("**/indicators/73/**#questions")
    assert page.get_by_text("Why has supervision in time for care leavers").is_visible()
    context.close()
    asked = Question.objects.get()
    assert asked.raised_by.username == "councillor"

    # At the meeting, the advisor records the action agreed, from the meeting's page.
    context, page = _signed_in(browser, live_server, "advisor")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Record a question or action from this meeting").click()
    page.get_by_label("Action", exact=True).check()
    page.get_by_label("What was asked or agreed").fill(ACTION)
    page.get_by_label("Indicator").select_option(str(seventy_three.pk))
    assert page.get_by_label("Meeting").input_value() == str(meeting.pk)
    officer = page.get_by_label("Officer")
    officer.select_option(label="officer")
    page.get_by_label("Due date").fill("2023-12-05")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/questions/*/")
    action = Question.objects.get(kind=Question.Kind.ACTION)
    assert (action.meeting, action.indicator, action.assigned_to.username) == (
        meeting,
        seventy_three,
        "officer",
    )
    context.close()

    # The officer answers it.
    context, page = _signed_in(browser, live_server, "officer")
    page.goto(f"{live_server.url}/questions/{action.pk}/")
    page.get_by_label("Answer").fill(ANSWER)
    page.get_by_role("button", name="Save the answer").click()
    page.wait_for_url(f"**/questions/{action.pk}/")
    assert page.get_by_text(ANSWER).first.is_visible()
    context.close()

    # The meeting's page shows the action with its answer, to the councillor.
    context, page = _signed_in(browser, live_server, "councillor")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    raised = page.locator(".meeting-actions")
    assert ACTION in raised.inner_text() and ANSWER in raised.inner_text()
    context.close()

    # The Oct-23 pack (the advisor's: October is still a draft) lists the action with its
    # answer under "Actions from the last meeting": the meeting that reviewed Sep-23.
    context, page = _signed_in(browser, live_server, "advisor")
    response = page.request.get(f"{live_server.url}/export/pack.pdf?period=2023-10")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    with pymupdf.open(stream=response.body(), filetype="pdf") as document:
        text = " ".join(" ".join(page.get_text() for page in document).split())
    context.close()
    section = text[text.rindex("Actions from the last meeting") :]
    assert "from the meeting of 7 November 2023" in section
    assert f"Action {action.pk} about 73 Percentage of Case Supervision" in section
    assert ACTION in section
    action.refresh_from_db()
    answered = timezone.localtime(action.answered_at)
    assert f"Answer (officer, {answered:%-d %b %Y}): {ANSWER}" in section
    assert "Status: Answered · Officer: officer · Due: 5 Dec 2023" in section
    # The councillor's question was not raised at the meeting: not among its actions.
    assert "Why has supervision in time" not in section
