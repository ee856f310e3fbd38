"""Committee meetings and the packs issued for them (issue 26, parts 1 and 5): the meeting
pages, who may issue and download a pack, the pack kept byte for byte whatever is revised
later, a tampered file refused, and the demonstration's August 2023 meeting in the Sep-23
pack's "Actions from the last meeting". Real database, real Chromium printing, real PDFs read
back with PyMuPDF."""

import datetime as dt
import hashlib
import io
from decimal import Decimal

import pymupdf
import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from indicators import roles
from indicators.figures import Figure
from indicators.models import CommitteeMeeting, Indicator, PublishedMonth, Question, Value
from indicators.periods import Month
from intake.seed import DEMO_MEETING_DATE, DEMO_QUESTIONS, add_demo_meeting
from scorecard import issued_packs, meeting_actions
from scorecard.models import IssuedPack
from scorecard.pack import PackOptions, pack_context, pack_pdf
from scorecard.pdf import PdfUnavailable
from scorecard.since_committee import REVISIONS, since_committee

from .support.factories import make_indicator, make_priority, make_user

SEP, OCT = Month(2023, 9), Month(2023, 10)


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _pdf_text(content):
    with pymupdf.open(stream=content, filetype="pdf") as document:
        return [" ".join(page.get_text().split()) for page in document]


@pytest.fixture
def people(viewer, editor, administrator, no_role_user):
    return {
        "viewer": viewer,
        "editor": editor,
        "administrator": administrator,
        "no role": no_role_user,
        "anonymous": None,
    }


@pytest.fixture
def meeting(db):
    """A meeting reviewing Sep-23 (published), with a pack issued for it: stored bytes made
    here, not printed, so the walk below needs no browser."""
    PublishedMonth.objects.create(period=SEP.first_day, published_at=timezone.now())
    meeting = CommitteeMeeting.objects.create(
        committee="Scrutiny", date=dt.date(2023, 11, 7), reviews=SEP.first_day
    )
    return meeting


def _stored_pack(meeting, content=b"%PDF-1.7 an issued pack"):
    path = default_storage.save(f"issued-packs/{meeting.pk}/pack.pdf", ContentFile(content))
    return IssuedPack.objects.create(
        meeting=meeting,
        month=meeting.reviews,
        committee=meeting.committee,
        meeting_date=meeting.date,
        path=path,
        filename="committee-pack.pdf",
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )


# Each new route as each role: (GET status for viewer, editor, administrator, no role,
# anonymous: sent to sign in).
ROUTES = [
    ("meetings", False, (200, 200, 200, 403, 302)),
    ("meeting", True, (200, 200, 200, 403, 302)),
    # Posts only, and only for editors and administrators.
    ("issue_pack", True, (403, 405, 405, 403, 302)),
    ("issued_pack", True, (200, 200, 200, 403, 302)),
]


@pytest.mark.parametrize(("name", "takes_pk", "statuses"), ROUTES)
def test_every_new_route_answers_each_role_as_expected(people, meeting, name, takes_pk, statuses):
    _stored_pack(meeting)
    url = reverse(name, args=[meeting.pk] if takes_pk else [])
    got = tuple(_client(user).get(url).status_code for user in people.values())
    assert got == statuses
    signed_out = Client().get(url)
    assert reverse("login") in signed_out["Location"]


def test_a_viewer_and_a_no_role_user_may_not_issue(meeting, viewer, no_role_user):
    for user in (viewer, no_role_user):
        assert _client(user).post(reverse("issue_pack", args=[meeting.pk])).status_code == 403
    assert Client().post(reverse("issue_pack", args=[meeting.pk])).status_code == 302
    assert not IssuedPack.objects.exists()


def test_the_meeting_page_offers_the_button_to_editors_only(meeting, viewer, editor):
    button = "Issue the pack for this meeting"
    url = reverse("meeting", args=[meeting.pk])
    assert button in _client(editor).get(url).content.decode()
    page = _client(viewer).get(url).content.decode()
    assert button not in page
    assert "No pack has been issued for this meeting yet." in page
    assert f'href="{reverse("dashboard")}?period=2023-09"' in page


def test_a_viewer_downloads_an_issued_pack_only_while_its_month_is_published(
    meeting, viewer, editor
):
    issued = _stored_pack(meeting)
    url = reverse("issued_pack", args=[meeting.pk])
    response = _client(viewer).get(url)
    assert response.content == b"%PDF-1.7 an issued pack"
    assert response["X-Content-SHA256"] == issued.sha256
    PublishedMonth.objects.all().delete()  # unpublished after the meeting
    assert _client(viewer).get(url).status_code == 404
    page = _client(viewer).get(reverse("meeting", args=[meeting.pk])).content.decode()
    assert "September 2023 is not published just now" in page
    assert url not in page
    assert _client(editor).get(url).status_code == 200


def test_a_tampered_file_is_refused_in_words_never_served(meeting, viewer):
    issued = _stored_pack(meeting)
    with default_storage.open(issued.path, "wb") as file:
        file.write(b"%PDF-1.7 something else")
    response = _client(viewer).get(reverse("issued_pack", args=[meeting.pk]))
    assert response.status_code == 409
    page = response.content.decode()
    assert "no longer matches the checksum recorded when it was issued" in page
    assert b"something else" not in response.content
    default_storage.delete(issued.path)
    assert _client(viewer).get(reverse("issued_pack", args=[meeting.pk])).status_code == 409


def test_no_pack_is_issued_for_an_unpublished_month_or_a_meeting_without_one(db, editor):
    draft = CommitteeMeeting.objects.create(
        committee="Scrutiny", date=dt.date(2023, 11, 7), reviews=SEP.first_day
    )
    page = _client(editor).get(reverse("meeting", args=[draft.pk])).content.decode()
    assert "September 2023 is not published: publish it before issuing its pack" in page
    assert "Issue the pack for this meeting" not in page
    response = _client(editor).post(reverse("issue_pack", args=[draft.pk]), follow=True)
    assert "September 2023 is not published: publish it before issuing its pack" in (
        response.content.decode()
    )
    undated = CommitteeMeeting.objects.create(committee="Scrutiny", date=dt.date(2023, 12, 5))
    response = _client(editor).post(reverse("issue_pack", args=[undated.pk]), follow=True)
    assert "This meeting has no month reviewed" in response.content.decode()
    assert not IssuedPack.objects.exists()


def test_an_issued_pack_is_never_issued_again(meeting, editor):
    _stored_pack(meeting)
    response = _client(editor).post(reverse("issue_pack", args=[meeting.pk]), follow=True)
    assert "has been issued already: it is never reprinted" in response.content.decode()
    assert IssuedPack.objects.count() == 1


def test_the_issued_pack_stays_byte_for_byte_after_a_revision_and_the_next_pack_shows_it(
    seed, chromium, editor, viewer
):
    meeting = CommitteeMeeting.objects.get(reviews=SEP.first_day)
    response = _client(editor).post(reverse("issue_pack", args=[meeting.pk]))
    assert response.status_code == 302
    issued = IssuedPack.objects.get()
    assert (issued.meeting, issued.reported, issued.issued_by) == (meeting, SEP, editor)
    assert issued.history.count() == 1  # in the history, as every other record
    first = _client(viewer).get(reverse("issued_pack", args=[meeting.pk])).content
    assert hashlib.sha256(first).hexdigest() == issued.sha256 and len(first) == issued.size
    whole = " ".join(_pdf_text(first))
    assert "58.2%" in whole  # ID 7's Sep-23 figure as issued
    assert meeting.date.strftime("%-d %B %Y") in whole  # the meeting on its cover

    # A year on, ID 7's Sep-23 figure is revised after publication.
    value = Value.objects.get(indicator__reference="7", period=SEP.first_day)
    value.mark_revised(Figure(value.value), "Contacts recorded late were found")
    value.value = Decimal("61.4")
    value.save()

    again = _client(viewer).get(reverse("issued_pack", args=[meeting.pk])).content
    assert again == first
    assert hashlib.sha256(again).hexdigest() == issued.sha256
    # The pack printed now says otherwise: the issued one was kept, not printed again.
    assert "61.4%" in " ".join(_pdf_text(pack_pdf(SEP, PackOptions())))
    issued.refresh_from_db()
    assert issued.history.count() == 1

    # The next pack (Oct-23, after the meeting that reviewed Sep-23) shows the revision.
    since = since_committee(OCT, published_only=False)
    assert since.meeting == meeting
    texts = [change.text for change in since.of(REVISIONS) if change.reference == "7"]
    assert texts and texts[0].startswith("Sep-23: now 61.4%.")
    pages = _pdf_text(pack_pdf(OCT, PackOptions(published_only=False)))
    page = next(p for p in pages if "Figures revised after publication" in p)
    assert "Sep-23: now 61.4%." in page and "Contacts recorded late were found" in page


def test_the_meeting_page_lists_its_questions_and_the_issued_pack(meeting, viewer, editor):
    issued = _stored_pack(meeting)
    issued.issued_by = editor
    issued.save()
    indicator = make_indicator("73", make_priority(4))
    Question.objects.create(
        kind=Question.Kind.ACTION,
        text="Report on supervision at the next meeting.",
        indicator=indicator,
        meeting=meeting,
        assigned_to=editor,
        due_date=dt.date(2023, 12, 1),
    )
    page = _client(viewer).get(reverse("meeting", args=[meeting.pk])).content.decode()
    assert "Report on supervision at the next meeting." in page
    assert "Overdue" in page and "Due:</strong> 1 Dec 2023" in page
    assert issued.sha256 in page and "by advisor" in page
    assert reverse("issued_pack", args=[meeting.pk]) in page
    listing = _client(viewer).get(reverse("meetings")).content.decode()
    assert reverse("meeting", args=[meeting.pk]) in listing
    assert "Sep-23" in listing and "Issued " in listing
    assert reverse("meetings") in _client(viewer).get(reverse("questions")).content.decode()


def test_the_demonstration_has_the_august_meeting_in_the_sep_23_pack(seed, chromium):
    User = get_user_model()
    officer = make_user("advisor", roles.EDITOR)
    councillor = make_user("councillor", roles.VIEWER)
    assert add_demo_meeting(officer, councillor) == len(DEMO_QUESTIONS)
    assert add_demo_meeting(officer, councillor) == 0  # twice changes nothing
    august = CommitteeMeeting.objects.get(date=DEMO_MEETING_DATE)
    assert august.questions.count() == len(DEMO_QUESTIONS)
    assert User.objects.count() == 2

    context = pack_context(SEP, PackOptions())
    assert context["since"].title == "Since the last committee: Jul-23 to Sep-23"
    actions = context["last_actions"]
    assert actions.meeting == august
    words = [item.words for item in actions.items]
    assert words.count("Overdue") == 1 and "Answered" in words

    pages = _pdf_text(pack_pdf(SEP, PackOptions()))
    # The section's heading, past the contents page, and what follows it.
    whole = " ".join(pages[1:])
    section = whole[whole.index(meeting_actions.ACTIONS_TITLE) :]
    section = section[: section.index("Priority 1: Governance")]
    assert "from the meeting of 22 August 2023, 1 overdue" in section
    assert "73 Percentage of Case Supervision" in section
    assert "Overdue · Officer: advisor · Due: 31 Oct 2023 Not answered yet." in section
    assert "Officer: advisor" in section
    assert "A trajectory is set from October 2023" in section
    assert "Priority 4:" in section


def test_load_demo_adds_the_meeting(db):
    call_command("load_demo", "--history-months", "0", stdout=io.StringIO())
    august = CommitteeMeeting.objects.get(date=DEMO_MEETING_DATE)
    officer = get_user_model().objects.get(username="advisor")
    assert set(august.questions.values_list("assigned_to", flat=True)) == {officer.pk}
    assert Indicator.objects.get(reference="73").questions.get().is_overdue(timezone.localdate())


def test_an_issued_pack_is_on_the_audit_page(meeting, editor):
    issued = _stored_pack(meeting)
    issued.history.update(history_user=editor)
    page = _client(editor).get(reverse("audit")).content.decode()
    assert "Issued pack" in page
    assert "Pack of Sep-23 for Scrutiny, 7 November 2023" in page
    assert "committee: Scrutiny" in page and "size: 23" in page


def test_a_pack_that_cannot_be_printed_is_said_so_and_nothing_is_kept(meeting, editor, monkeypatch):
    def fails(month, options):
        raise PdfUnavailable("The printer took too long.")

    monkeypatch.setattr(issued_packs, "pack_document", fails)
    response = _client(editor).post(reverse("issue_pack", args=[meeting.pk]))
    assert response.status_code == 503
    assert "The printer took too long." in response.content.decode()
    assert not IssuedPack.objects.exists()


def test_two_editors_issuing_at_once_keep_one_pack_and_one_file(meeting, editor, monkeypatch):
    def printed_while_another_issued(month, options):
        _stored_pack(meeting, b"%PDF-1.7 the other editor's")  # theirs lands first
        return b"%PDF-1.7 this editor's", []

    monkeypatch.setattr(issued_packs, "pack_document", printed_while_another_issued)
    with pytest.raises(issued_packs.NotIssued, match="issued already"):
        issued_packs.issue(meeting, editor)
    kept = IssuedPack.objects.get()
    assert issued_packs.read(kept).content == b"%PDF-1.7 the other editor's"
    _, files = default_storage.listdir(f"issued-packs/{meeting.pk}")
    assert files == [kept.path.rsplit("/", 1)[-1]]  # this editor's copy was removed


def test_the_since_committee_page_lists_the_last_meetings_actions(seed, viewer):
    add_demo_meeting(make_user("advisor", roles.EDITOR), viewer)
    page = _client(viewer).get(reverse("since_committee"), {"period": "2023-09"})
    text = page.content.decode()
    assert "Since the last committee: Jul-23 to Sep-23" in text
    assert text.index("New exceptions: red or worsening") < text.index(
        "Actions from the last meeting"
    )
    assert "from the meeting of 22 August 2023, 1 overdue" in text
    assert "A trajectory is set from October 2023" in text
