"""Reminders and digests by email (issue 22), sent to a real SMTP server started by the test
(``tests/support/smtp.py``) and read as they arrived: each owner of a missing figure is
reminded once a day on the council's reminder days only; a published month's digest names
its new reds as a viewer sees them (never a draft figure, never a count shown as "x"); an
email the mail server refused waits in the outbox with its error until ``send_emails``; and
the publish page answers before the mail server does."""

import datetime as dt
import html
import io
import re
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from indicators import roles
from indicators.deadlines import month_end, working_day
from indicators.models import (
    Council,
    Indicator,
    OutboxEmail,
    PublishedMonth,
    SentReminder,
    Value,
)
from indicators.periods import Month
from intake.publishing import publish
from scorecard.settings import (
    dates_from_environment,
    mailers_from_environment,
    site_url_from_environment,
)

from .support.factories import make_indicator, make_priority, make_target, make_user

OCT = Month(2023, 10)
SITE = "https://scorecard.example.gov.uk"
# Plymouth's counts below five (Jul-Sep 2023): 34 is 3, 4, 3; 35 is 1, 2, 1; 68 is 5, 2, 2.
SMALL_COUNTS = {"34": "3", "35": "1", "68": "2"}


def person(username, role, email):
    user = make_user(username, role)
    user.email = email
    user.save()
    return user


@pytest.fixture
def owners(seed):
    """Two owners: ``ann`` of 7, 10 and 34 (a small count); ``bob`` of 35 (another) and 69
    (under two priorities); and ``cal``, with no email address, of 55."""
    ann = person("ann", roles.EDITOR, "ann@example.gov.uk")
    bob = person("bob", roles.EDITOR, "bob@example.gov.uk")
    cal = person("cal", roles.EDITOR, "")
    Indicator.objects.filter(reference__in=["7", "10", "34"]).update(owner=ann)
    Indicator.objects.filter(reference__in=["35", "69"]).update(owner=bob)
    Indicator.objects.filter(reference="55").update(owner=cal)
    return ann, bob, cal


def figure(reference, month, value):
    return Value.objects.create(
        indicator=Indicator.objects.get(reference=reference),
        period=Month.parse(month).first_day,
        value=Decimal(value),
    )


def remind(capture, today, *more):
    """``send_reminders --today``, its emails delivered as its transaction commits; what it
    printed."""
    out = io.StringIO()
    with capture(execute=True):
        call_command("send_reminders", f"--today={today}", *more, stdout=out)
    return out.getvalue()


# Settings ----------------------------------------------------------------------------------------
def test_without_a_mail_server_debugging_prints_emails_and_production_keeps_them_pending():
    console = mailers_from_environment({"DEBUG": "1"})["default"]
    assert console["BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    production = mailers_from_environment({})["default"]
    assert production["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    with_host = mailers_from_environment({"DEBUG": "1", "EMAIL_HOST": "smtp.example.gov.uk"})
    assert with_host["default"]["OPTIONS"]["host"] == "smtp.example.gov.uk"


def test_the_site_address_and_bank_holidays_are_read_or_refused_with_a_reason():
    assert site_url_from_environment({}) == "http://127.0.0.1:8000"
    assert site_url_from_environment({"SITE_URL": f"{SITE}/"}) == SITE
    with pytest.raises(ImproperlyConfigured, match="with its scheme"):
        site_url_from_environment({"SITE_URL": "scorecard.example.gov.uk"})
    holidays = {"H": "2023-12-26, 2023-12-25"}
    assert dates_from_environment("H", holidays) == [dt.date(2023, 12, 25), dt.date(2023, 12, 26)]
    with pytest.raises(ImproperlyConfigured, match="'25/12/2023' is not a date"):
        dates_from_environment("H", {"H": "25/12/2023"})


# The month-end calendar ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("number", "holidays", "expected"),
    [
        (1, [], dt.date(2023, 11, 1)),  # a Wednesday
        (3, [], dt.date(2023, 11, 3)),
        (4, [], dt.date(2023, 11, 6)),  # the weekend skipped
        (5, [], dt.date(2023, 11, 7)),
        (1, [dt.date(2023, 11, 1)], dt.date(2023, 11, 2)),  # a bank holiday skipped
        (21, [], dt.date(2023, 11, 29)),
        (23, [], dt.date(2023, 12, 1)),  # past the month's working days, into the next
    ],
)
def test_working_day_n_of_a_month_skips_weekends_and_holidays(number, holidays, expected):
    assert working_day(Month(2023, 11), number, holidays) == expected


def test_reminders_run_from_some_working_days_before_the_deadline_to_it():
    end = month_end(OCT, 5, 3, [])
    assert (end.deadline, end.reminders_from) == (dt.date(2023, 11, 7), dt.date(2023, 11, 2))
    days = [dt.date(2023, 11, d) for d in range(1, 9)]
    assert [day.day for day in days if end.reminds_on(day)] == [2, 3, 6, 7]
    assert end.why_not(dt.date(2023, 11, 4)) == "Saturday 4 November 2023 is not a working day"
    assert month_end(OCT, 5, 0, []).reminders_from == dt.date(2023, 11, 7)


# Reminders -------------------------------------------------------------------------------------
@override_settings(SITE_URL=SITE)
def test_each_owner_of_a_missing_figure_is_reminded_once_a_day_whatever_the_runs(
    smtp_server, owners, django_capture_on_commit_callbacks
):
    ann, bob, cal = owners
    figure("7", "2023-10", "61.7")  # ann's October figure for 7 is in: a draft

    first = remind(django_capture_on_commit_callbacks, "2023-11-03")
    second = remind(django_capture_on_commit_callbacks, "2023-11-03")

    assert sorted(m.recipients for m in smtp_server.received) == [[ann.email], [bob.email]]
    assert "Reminded ann@example.gov.uk (ann): 2 missing." in first
    assert "Not reminded, no email address: cal." in first
    assert "Already reminded today: ann." in second
    assert "Already reminded today: bob." in second
    (to_ann,) = smtp_server.to(ann.email)
    assert to_ann.subject.startswith("2 figures for Oct-23 still to enter, due by Tuesday 7")
    for body in (to_ann.text, html.unescape(to_ann.html)):
        assert "ID 10 " in body and "ID 34 " in body
        assert "ID 7 " not in body  # entered
        assert "61.7" not in body  # a draft figure is never in an email
        assert f"{SITE}/entry/2023-10/?priority=2#row-10" in body
        assert f"{SITE}/entry/2023-10/mine/" in body
        assert Council.current().service_name in body
    (to_bob,) = smtp_server.to(bob.email)
    assert "ID 35 " in to_bob.text and "ID 69 " in to_bob.text
    assert SentReminder.objects.count() == 2
    assert not OutboxEmail.objects.filter(sent_at__isnull=True).exists()

    # The next reminder day reminds again, of what is still missing.
    figure("10", "2023-10", "20.0")
    remind(django_capture_on_commit_callbacks, "2023-11-06")
    latest = smtp_server.to(ann.email)[-1]
    assert "ID 34 " in latest.text and "ID 10 " not in latest.text


@pytest.mark.parametrize(
    ("today", "why"),
    [
        ("2023-11-01", "reminders start on Thursday 2 November 2023"),
        ("2023-11-04", "Saturday 4 November 2023 is not a working day"),
        ("2023-11-08", "the deadline was Tuesday 7 November 2023"),
    ],
)
def test_nobody_is_reminded_outside_the_councils_reminder_days(
    smtp_server, owners, django_capture_on_commit_callbacks, today, why
):
    out = remind(django_capture_on_commit_callbacks, today)
    assert f": {why}." in out
    assert "October 2023: figures due by Tuesday 7 November 2023" in out
    assert smtp_server.received == []
    assert not SentReminder.objects.exists()


def test_the_council_sets_the_deadline_and_bank_holidays_move_it(
    smtp_server, owners, django_capture_on_commit_callbacks
):
    council = Council.current()
    council.deadline_working_day, council.reminder_days_before = 2, 0
    council.save()
    with override_settings(SCORECARD_BANK_HOLIDAYS=[dt.date(2023, 11, 1)]):
        assert "the deadline" not in remind(django_capture_on_commit_callbacks, "2023-11-02")
        assert smtp_server.received == []
        remind(django_capture_on_commit_callbacks, "2023-11-03")
    assert len(smtp_server.received) == 2


def test_an_administrator_sets_the_deadline_in_the_council_admin(admin_client, seed):
    council = Council.current()
    fields = {
        "name": council.name,
        "service_name": council.service_name,
        "committee_name": council.committee_name,
        "authority_number": "",
        "neighbour_list": "",
        "deadline_working_day": "21",
        "reminder_days_before": "2",
    }
    url = reverse("admin:indicators_council_change", args=[council.pk])
    assert "working day 1 to 20" in admin_client.post(url, fields).text
    fields["deadline_working_day"] = "8"
    assert admin_client.post(url, fields).status_code == 302
    council.refresh_from_db()
    assert (council.deadline_working_day, council.reminder_days_before) == (8, 2)


def test_a_month_is_named_or_else_the_one_just_ended(
    smtp_server, owners, django_capture_on_commit_callbacks
):
    out = remind(django_capture_on_commit_callbacks, "2023-10-04", "--month=2023-09")
    # September's figures are all in (the seed), so nobody is reminded.
    assert "September 2023: figures due by Friday 6 October 2023" in out
    assert "no owner has a figure missing" in out
    assert "October 2023" in remind(django_capture_on_commit_callbacks, "2023-11-20")


# Digests ---------------------------------------------------------------------------------------
@pytest.fixture
def readers(seed):
    """Who wants the digest: an editor (by default), a viewer who asked for it on their
    account page; not a viewer by default, nor an administrator who said no."""
    editor = person("ed", roles.EDITOR, "ed@example.gov.uk")
    asked = person("vi", roles.VIEWER, "vi@example.gov.uk")
    quiet = person("vo", roles.VIEWER, "vo@example.gov.uk")
    admin = person("ad", roles.ADMINISTRATOR, "ad@example.gov.uk")
    for user, choice in ((asked, {"digest": "on"}), (admin, {})):
        client = Client()
        client.force_login(user)
        assert client.post(reverse("account"), choice).status_code == 302
    page = Client()
    page.force_login(quiet)
    assert 'name="digest"' in page.get(reverse("account")).text
    assert " checked" not in page.get(reverse("account")).text
    return editor, asked, quiet, admin


def october_published_with_november_in_draft(client, editor):
    figure("10", "2023-10", "30.0")  # 18.3% in Sep, green: red now (target 23.0%)
    figure("7", "2023-10", "50.0")  # red in Sep too: an exception, not new
    figure("34", "2023-10", "2")  # a count below five: "x"
    figure("68", "2023-10", "2")
    sep = Value.objects.get(indicator__reference="55", period="2023-09-01")
    sep.previous_value, sep.previous_status = sep.value, sep.status
    sep.value = Decimal("92.4")
    sep.revised_at, sep.revision_reason = timezone.now(), "A late review recorded"
    sep.save()
    figure("10", "2023-11", "77.7")  # November is a draft
    client.force_login(editor)
    return client.post(reverse("publish_month", args=[OCT.iso]), {"confirm": "yes"})


@override_settings(SITE_URL=SITE)
def test_publishing_emails_a_digest_of_new_reds_as_a_viewer_sees_them(
    client, smtp_server, readers, django_capture_on_commit_callbacks
):
    editor, asked, quiet, admin = readers
    # The delivery thread started after the commit would not see this test's transaction
    # (test_the_publish_page_answers_before_the_mail_server_does runs it): send_emails sends.
    with django_capture_on_commit_callbacks() as callbacks:
        response = october_published_with_november_in_draft(client, editor)
    assert response.status_code == 302
    assert len(callbacks) == 1  # the delivery, once the publication commits
    call_command("send_emails", stdout=io.StringIO())
    received = smtp_server.received
    assert sorted(m.recipients[0] for m in received) == sorted([asked.email, editor.email])
    message = received[0]
    assert message.subject == "October 2023 is published: 1 new red"
    for body in (message.text, html.unescape(message.html)):
        new_reds, _, rest = body.partition("Other exceptions")
        assert "ID 10 " in new_reds and "30.0%" in new_reds
        assert f"{SITE}/indicators/10/" in new_reds
        assert "ID 7 " in rest and "ID 7 " not in new_reds
        assert "A late review recorded" in rest and "91.1%" in rest
        assert "77.7" not in body  # November's draft
        assert not re.search(r"Oct-23: (<strong>)?[1-4]\b", body)  # 34 and 68 are 2: "x"
        assert re.search(r"ID 34 [^\n]*\n?[^\n]*Oct-23: (<strong>)?x", body)
        assert Council.current().display_name in body
    assert OutboxEmail.objects.filter(kind="digest", sent_at__isnull=False).count() == 2


def test_the_digest_and_the_reminders_never_print_a_small_count(
    smtp_server, owners, readers, django_capture_on_commit_callbacks
):
    """Every email of a month end: no count of 1 to 4 beside a month of 34, 35 or 68."""
    client = Client()
    with django_capture_on_commit_callbacks():
        october_published_with_november_in_draft(client, readers[0])
    call_command("send_emails", stdout=io.StringIO())
    Value.objects.filter(period="2023-10-01", indicator__reference__in=["7", "10"]).delete()
    remind(django_capture_on_commit_callbacks, "2023-11-06", "--month=2023-10")
    received = smtp_server.received
    # Digests to the editors with an address (ed, ann, bob) and vi; then ann's and bob's reminders.
    assert len(received) == 6
    for message in received:
        for body in (message.text, message.html):
            assert not re.search(r"(Jul|Aug|Sep|Oct)-23: (<strong>)?[1-5]\b", body), body
            assert "77.7" not in body


# Failures and retries --------------------------------------------------------------------------
def test_an_email_the_server_refused_waits_with_its_error_until_send_emails(
    smtp_server, owners, django_capture_on_commit_callbacks
):
    smtp_server.stop()
    remind(django_capture_on_commit_callbacks, "2023-11-03")
    pending = list(OutboxEmail.objects.filter(sent_at__isnull=True))
    assert len(pending) == 2
    assert all(email.attempts == 1 for email in pending)
    assert all("Connection refused" in email.last_error for email in pending)

    smtp_server.start()
    out = io.StringIO()
    call_command("send_emails", stdout=out)
    assert "Pending: 2. Sent: 2. Not sent: 0." in out.getvalue()
    assert sorted(m.recipients[0] for m in smtp_server.received) == [
        "ann@example.gov.uk",
        "bob@example.gov.uk",
    ]
    assert not OutboxEmail.objects.filter(sent_at__isnull=True).exists()
    call_command("send_emails", stdout=io.StringIO())  # nothing is sent twice
    assert len(smtp_server.received) == 2


def test_attempts_are_capped_and_the_error_is_shown_in_the_admin(
    smtp_server, owners, admin_client, django_capture_on_commit_callbacks
):
    smtp_server.stop()
    remind(django_capture_on_commit_callbacks, "2023-11-03")
    for _ in range(OutboxEmail.MAX_ATTEMPTS + 2):
        call_command("send_emails", stdout=io.StringIO())
    email = OutboxEmail.objects.filter(to="ann@example.gov.uk").get()
    assert email.attempts == OutboxEmail.MAX_ATTEMPTS
    assert email.status == "Failed (no more attempts)"
    page = admin_client.get(reverse("admin:indicators_outboxemail_changelist")).text
    assert "Connection refused" in page and "Failed (no more attempts)" in page
    assert admin_client.get(reverse("admin:indicators_outboxemail_add")).status_code == 403
    reminders = admin_client.get(reverse("admin:indicators_sentreminder_changelist")).text
    assert "ann" in reminders


@pytest.mark.django_db(transaction=True)
def test_the_publish_page_answers_before_the_mail_server_does(smtp_server):
    priority = make_priority(1)
    indicator = make_indicator("A1", priority)
    make_target(indicator, 90)
    Value.objects.create(indicator=indicator, period="2023-10-01", value=Decimal("40"))
    editor = person("ed", roles.EDITOR, "ed@example.gov.uk")
    client = Client()
    client.force_login(editor)
    smtp_server.delay = 3
    started = time.monotonic()
    response = client.post(reverse("publish_month", args=[OCT.iso]), {"confirm": "yes"})
    answered = time.monotonic() - started
    assert response.status_code == 302
    assert answered < 2, answered
    assert smtp_server.received == []
    assert PublishedMonth.objects.filter(period="2023-10-01").exists()
    (message,) = smtp_server.wait_for(1, timeout=15)
    assert "ID A1 " in message.text
    deadline = time.monotonic() + 10
    while OutboxEmail.objects.filter(sent_at__isnull=True).exists():
        assert time.monotonic() < deadline, "the delivery thread did not record the email"
        time.sleep(0.05)


def test_a_month_published_again_is_digested_again_but_never_twice_per_publication(
    smtp_server, readers, django_capture_on_commit_callbacks
):
    figure("10", "2023-10", "30.0")
    with django_capture_on_commit_callbacks():
        assert publish(OCT, readers[0])
        assert not publish(OCT, readers[0])  # already published: no second digest
    assert OutboxEmail.objects.filter(kind="digest").count() == 2
