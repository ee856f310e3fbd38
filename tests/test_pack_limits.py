"""One person cannot hold the printer (scorecard/print_slots.py, issue 20 point 5): a second
PDF for someone whose first is still printing is refused at once (429, Retry-After, in words)
while another person still gets theirs; the server prints at most SCORECARD_PDF_TOTAL at once;
the download forms say so. A PDF being printed is held here as the pack view holds it, with
``print_slot``; the packs that are printed are real (Chromium)."""

import datetime as dt
import html

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from indicators import roles
from scorecard.models import PrintSlot
from scorecard.print_slots import print_slot

from .support.factories import make_user

pytestmark = pytest.mark.browser
PACK = f"{reverse('pack')}?period=2023-09"


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def words(response):
    return " ".join(html.unescape(response.content.decode()).split())


@pytest.fixture
def alice(db):
    return make_user("alice", roles.VIEWER)


@pytest.fixture
def bob(db):
    return make_user("bob", roles.VIEWER)


def assert_pdf(response):
    assert response.status_code == 200, words(response)[:500]
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_second_pack_for_someone_whose_first_is_printing_is_refused(seed, chromium, alice, bob):
    with print_slot(alice):  # Alice's first pack, being printed
        refused = signed_in(alice).get(PACK)
        assert refused.status_code == 429
        assert refused["Retry-After"] == "15"
        assert (
            "A pack is already being printed for you, and each person may print one pack at a "
            "time. Wait for it to arrive, then try again in 15 seconds." in words(refused)
        )
        assert "The pack was not started" in words(refused)

        # Somebody else is not held up by Alice.
        assert_pdf(signed_in(bob).get(PACK))
    # Every slot is given back, so Alice's next pack prints.
    assert not PrintSlot.objects.exists()
    assert_pdf(signed_in(alice).get(PACK))


def test_the_server_prints_at_most_its_total_at_once(seed, chromium, alice, bob, settings):
    assert settings.SCORECARD_PDF_TOTAL == 2
    carol = make_user("carol", roles.VIEWER)
    with print_slot(alice), print_slot(bob):
        refused = signed_in(carol).get(PACK)
        assert refused.status_code == 429
        assert refused["Retry-After"] == "15"
        assert (
            "The printer is busy with other people's packs (it prints 2 at a time). Try again "
            "in 15 seconds." in words(refused)
        )
        assert PrintSlot.objects.count() == 4  # Alice's and Bob's, each with a server slot
    assert_pdf(signed_in(carol).get(PACK))


def test_the_quarterly_reports_pdf_is_limited_alike(quarterly, alice):
    url = reverse("quarterly_report_pdf", args=["2023-24-q2"])
    with print_slot(alice):
        refused = signed_in(alice).get(url)
    assert refused.status_code == 429 and refused["Retry-After"] == "15"
    assert "A PDF is already being printed for you" in words(refused)
    assert "Q2 2023/24 Performance Report" in words(refused)


def test_a_slot_left_by_a_worker_killed_mid_print_lapses(seed, chromium, alice):
    with print_slot(alice):
        # As if the worker printing it had been killed: its row stays until held_until.
        assert signed_in(alice).get(PACK).status_code == 429
        PrintSlot.objects.update(held_until=timezone.now() - dt.timedelta(seconds=1))
        assert_pdf(signed_in(alice).get(PACK))


def test_a_slot_is_held_no_longer_than_the_longest_print(alice, settings):
    started = timezone.now()
    with print_slot(alice):
        held_until = PrintSlot.objects.values_list("held_until", flat=True).first()
    longest = settings.SCORECARD_PDF_QUEUE_TIMEOUT + settings.SCORECARD_PDF_TIMEOUT
    assert dt.timedelta(seconds=longest) < held_until - started < dt.timedelta(seconds=longest + 20)


def test_the_download_forms_say_what_the_limit_is(seed, quarterly, alice):
    dashboard = words(signed_in(alice).get(reverse("dashboard")))
    assert "One pack at a time per person" in dashboard
    report = words(signed_in(alice).get(reverse("quarterly_report", args=["2023-24-q2"])))
    assert "One PDF at a time per person" in report
