"""Creating a council through the page (issue 23): a platform administrator (a superuser)
fills in the form at /councils/new/, the council and its first administrator are made in one
transaction by the form ``manage.py create_council`` uses too (accounts.councils), and the
administrator is invited by the one-time link the product's password resets use, at the new
council's address, where its empty scorecard and set-up are theirs. Anyone else is refused."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from accounts.councils import NewCouncilForm
from indicators import roles
from indicators.models import Council, Membership, Priority
from indicators.tenancy import council_scope

from .support.factories import make_user

A_HOST, NEW_HOST = "a.example", "devon.example"
NEW_PASSWORD = "a-brand-new-password-77"
DEVON = {
    "slug": "devon",
    "name": "Devon County Council",
    "host": "Devon.Example",
    "administrator": "devon-admin",
    "email": "devon-admin@devon.example",
}


@pytest.fixture
def plymouth(seed, settings):
    settings.ALLOWED_HOSTS = [A_HOST, NEW_HOST, "testserver"]
    council = Council.objects.get()
    council.slug, council.host = "plymouth", A_HOST
    council.save()
    return council


@pytest.fixture
def platform(plymouth):
    """A superuser signed in at Plymouth's address."""
    user = get_user_model().objects.create_superuser("platform", password="a-long-password-1")
    client = Client(HTTP_HOST=A_HOST)
    client.force_login(user)
    return client


def words(response):
    return " ".join(response.text.split())


def use_link(link):
    """Follow the invitation as the new administrator (not signed in), at the new council's
    address, and choose a password."""
    client = Client(HTTP_HOST=NEW_HOST)
    page = client.get(link, follow=True)
    assert "Choose a new password" in page.text, page.text[:500]
    form_url = page.redirect_chain[-1][0]
    done = client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert done.status_code == 200


@override_settings(PASSWORD_RESET_BY_EMAIL=False)
def test_a_platform_administrator_creates_a_council_whose_administrator_sets_it_up(platform):
    form_page = platform.get(reverse("new_council"))
    assert form_page.status_code == 200
    assert "Create a council" in form_page.text
    assert "plymouth" in form_page.text  # the councils already served are listed
    created = platform.post(reverse("new_council"), DEVON)
    assert created.status_code == 200, words(created)
    assert "Devon County Council is created" in words(created)
    council = Council.objects.get(slug="devon")
    assert (council.name, council.host) == ("Devon County Council", "devon.example")
    user = get_user_model().objects.get(username="devon-admin")
    assert user.is_staff and not user.has_usable_password()
    assert user.email == "devon-admin@devon.example"
    # Email is not set up: the one-time link, at the new council's address, to pass on.
    link = re.search(r">(http://devon\.example/accounts/reset/[^<]+)<", created.text)
    assert link, created.text
    assert "http://devon.example/setup/" in created.text
    use_link(link.group(1))
    client = Client(HTTP_HOST=NEW_HOST)
    signed_in = client.post(reverse("login"), {"username": "devon-admin", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    dashboard = client.get("/")
    assert dashboard.status_code == 200
    assert "Devon County Council" in dashboard.text
    assert "Plymouth" not in dashboard.text
    setup = client.get(reverse("setup"))
    assert setup.status_code == 200 and "Set up the scorecard" in setup.text
    assert client.get("/admin/").status_code == 200
    with council_scope(council):
        assert Priority.objects.count() == 0  # empty: nothing of Plymouth's
        assert Membership.objects.get(user=user).role == roles.ADMINISTRATOR
    # Plymouth's address still serves Plymouth, where Devon's administrator holds no role.
    user.refresh_from_db()  # its password is chosen now: the session's hash is of it
    at_plymouth = Client(HTTP_HOST=A_HOST)
    at_plymouth.force_login(user)
    assert at_plymouth.get("/").status_code == 403


@override_settings(PASSWORD_RESET_BY_EMAIL=True)
def test_the_first_administrator_is_emailed_the_invitation(platform):
    created = platform.post(reverse("new_council"), DEVON)
    assert "was emailed to devon-admin@devon.example" in words(created)
    assert "accounts/reset/" not in created.text  # the link went by email only
    (email,) = mail.outbox
    assert email.to == ["devon-admin@devon.example"]
    assert "Devon County Council" in email.body and "first administrator" in email.body
    link = re.search(r"http://devon\.example/accounts/reset/\S+", email.body).group(0)
    use_link(link)
    user = get_user_model().objects.get(username="devon-admin")
    assert user.check_password(NEW_PASSWORD)


def test_an_existing_account_becomes_its_administrator_with_its_password(platform, plymouth):
    with council_scope(plymouth):
        someone = make_user("consultant", roles.EDITOR)
    created = platform.post(
        reverse("new_council"), {**DEVON, "administrator": "consultant", "email": ""}
    )
    assert "consultant already had an account" in words(created)
    assert "accounts/reset/" not in created.text
    someone.refresh_from_db()
    assert someone.check_password("a-long-test-password") and someone.is_staff
    with council_scope(Council.objects.get(slug="devon")):
        assert Membership.objects.get(user=someone).role == roles.ADMINISTRATOR
    with council_scope(plymouth):
        assert Membership.objects.get(user=someone).role == roles.EDITOR  # kept


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"slug": "plymouth"}, "slug", "A council called 'plymouth' exists already"),
        ({"slug": "Devon County"}, "slug", "“Devon County” cannot be a short name"),
        ({"slug": "-devon"}, "slug", "cannot be a short name"),
        ({"host": "a.example"}, "host", "a.example is already the address of"),
        ({"host": "https://devon.example/"}, "host", "is not a host name"),
        ({"host": ""}, "host", "Give its host name"),
        ({"name": ""}, "name", "This field is required"),
        ({"administrator": "devon admin!"}, "administrator", "Enter a valid username"),
        ({"email": "not-an-address"}, "email", "Enter a valid email address"),
    ],
)
def test_a_mistake_is_said_in_words_and_nothing_is_saved(platform, change, field, message):
    councils, users = Council.objects.count(), get_user_model().objects.count()
    response = platform.post(reverse("new_council"), {**DEVON, **change})
    assert response.status_code == 200
    assert "There is a problem: nothing was saved" in response.text
    assert message in response.text.replace("&#x27;", "'")
    assert f'href="#id_{field}"' in response.text  # the summary links to the field
    assert Council.objects.count() == councils
    assert get_user_model().objects.count() == users


def test_an_existing_account_with_another_email_is_not_taken_over(platform, plymouth):
    with council_scope(plymouth):
        someone = make_user("consultant", roles.VIEWER)
    someone.email = "consultant@plymouth.example"
    someone.save()
    response = platform.post(reverse("new_council"), {**DEVON, "administrator": "consultant"})
    assert "has an account already, with another email address" in words(response)
    assert not Council.objects.filter(slug="devon").exists()


def test_a_failure_half_way_leaves_nothing_saved(plymouth, monkeypatch):
    form = NewCouncilForm(DEVON)
    assert form.is_valid(), form.errors

    def refuse(user, role):
        raise RuntimeError("the role could not be granted")

    monkeypatch.setattr(roles, "grant", refuse)
    with pytest.raises(RuntimeError):
        form.create()
    assert not Council.objects.filter(slug="devon").exists()
    assert not get_user_model().objects.filter(username="devon-admin").exists()


def _council_administrator(council, username):
    """A client signed in at ``council``'s address as its administrator (staff, no superuser)."""
    with council_scope(council):
        administrator = make_user(username, roles.ADMINISTRATOR)
    administrator.is_staff = True
    administrator.save()
    client = Client(HTTP_HOST=A_HOST)
    client.force_login(administrator)
    return client


def test_only_a_platform_administrator_may_create_a_council(plymouth):
    client = _council_administrator(plymouth, "admin")
    assert client.get(reverse("new_council")).status_code == 403
    assert client.post(reverse("new_council"), DEVON).status_code == 403
    assert "create another council" not in client.get(reverse("setup")).text
    anonymous = Client(HTTP_HOST=A_HOST).get(reverse("new_council"))
    assert anonymous.status_code == 302 and reverse("login") in anonymous["Location"]
    assert not Council.objects.filter(slug="devon").exists()
    # The admin's "Add" beside Councils is not theirs either.
    assert client.get("/admin/indicators/council/add/").status_code == 403


def test_the_page_warns_of_a_council_with_no_host_name(platform, plymouth):
    assert "has no host name" not in platform.get(reverse("new_council")).text
    Council.objects.filter(pk=plymouth.pk).update(host=None)
    client = Client()  # one council, no host name: any address serves it
    client.force_login(get_user_model().objects.get(username="platform"))
    warned = words(client.get(reverse("new_council")))
    assert "Plymouth City Council (plymouth) has no host name" in warned


def test_a_platform_administrator_finds_the_page_from_the_admin_and_the_set_up(platform):
    added = platform.get("/admin/indicators/council/add/")
    assert added.status_code == 302 and added["Location"] == reverse("new_council")
    assert reverse("new_council") in platform.get(reverse("setup")).text
    assert "/admin/indicators/council/add/" in platform.get("/admin/").text


def _admin_form_data(page):
    form = page.context["adminform"].form
    return {name: "" if form[name].value() is None else form[name].value() for name in form.fields}


def test_a_council_with_no_host_name_is_given_one_before_another_is_created(plymouth):
    """A deployment upgraded from one council has no host name for it: creating a second would
    leave the first at no address, so the page refuses until the platform administrator gives
    it one on its council page in the admin (a field only they have)."""
    Council.objects.filter(pk=plymouth.pk).update(host=None)
    user = get_user_model().objects.create_superuser("platform", password="a-long-password-1")
    client = Client()  # one council, no host name: any address serves it
    client.force_login(user)
    refused = client.post(reverse("new_council"), DEVON)
    assert refused.status_code == 200
    assert (
        "Plymouth City Council (plymouth) has no host name, so no address would serve it once "
        "another council exists: give it its host name on its council page in the admin first."
    ) in words(refused)
    assert not Council.objects.filter(slug="devon").exists()

    url = reverse("admin:indicators_council_change", args=[plymouth.pk])
    data = _admin_form_data(client.get(url))
    data["host"] = "https://a.example/"  # a mistake first
    mistaken = client.post(url, data)
    assert "“https://a.example/” is not a host name" in words(mistaken)
    data["host"] = "A.Example."
    assert client.post(url, data).status_code == 302
    plymouth.refresh_from_db()
    assert plymouth.host == A_HOST

    platform = Client(HTTP_HOST=A_HOST)
    platform.force_login(user)
    created = platform.post(reverse("new_council"), DEVON)
    assert created.status_code == 200 and "has no host name" not in created.text
    assert Council.objects.get(slug="devon").host == NEW_HOST


def test_a_council_s_own_administrator_cannot_change_its_host_name(plymouth):
    client = _council_administrator(plymouth, "plymouth-admin")
    url = reverse("admin:indicators_council_change", args=[plymouth.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="host"' not in page.text
    data = _admin_form_data(page)
    data["host"] = "elsewhere.example"
    assert client.post(url, data).status_code == 302
    plymouth.refresh_from_db()
    assert plymouth.host == A_HOST
