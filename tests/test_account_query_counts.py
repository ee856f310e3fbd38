"""The account pages' query counts, exact, at two sizes (a few users and many): none grows
with the number of users or figures."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from accounts.reset import reset_link
from indicators import roles

from .support.factories import make_user

SIZES = [5, 60]


@pytest.fixture(params=SIZES, ids=[f"{n} users" for n in SIZES])
def users(request, db):
    for number in range(request.param):
        make_user(f"user{number}", (roles.VIEWER, roles.EDITOR)[number % 2])
    return request.param


@pytest.fixture
def admin_client(users):
    administrator = make_user("admin", roles.ADMINISTRATOR)
    administrator.is_staff = True
    administrator.save()
    client = Client()
    client.force_login(administrator)
    # The content types are cached per process: start from cold so the count is the same
    # whichever test ran first.
    ContentType.objects.clear_cache()
    return client


def test_the_password_change_page(users, django_assert_num_queries):
    client = Client()
    client.force_login(make_user("councillor", roles.VIEWER))
    # The session; the signed-in user; their groups (the header's role links); the council
    # (its name in the header).
    with django_assert_num_queries(4):
        response = client.get(reverse("password_change"))
    assert response.status_code == 200


def test_the_page_for_choosing_a_new_password_from_a_link(users, django_assert_num_queries):
    class Request:
        def build_absolute_uri(self, path):
            return f"http://testserver{path}"

    user = make_user("councillor", roles.VIEWER)
    client = Client()
    form_url = client.get(reset_link(Request(), user))["Location"]  # the token into the session
    # The session; the user the link names; the council (its name in the header).
    with django_assert_num_queries(3):
        response = client.get(form_url)
    assert response.status_code == 200
    assert response.context["validlink"]


def test_the_user_list(admin_client, users, django_assert_num_queries):
    # The session; the administrator; their own and their groups' permissions (two); the
    # count of users shown and of all users (the admin's "n of m", the same filter here); the
    # page of users; their groups, prefetched once for the role column; the header's roles;
    # whether the one council is set up (the sidebar offers "Add" only before it is).
    with django_assert_num_queries(10):
        response = admin_client.get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == users + 1


def test_a_users_change_page(admin_client, django_assert_num_queries):
    target = make_user("target", roles.EDITOR)
    # The session; the administrator; the user shown; their groups (the role); the
    # permissions (two); the user model's content type (the history link); the header's roles;
    # whether the one council is set up (the sidebar); the priorities an editor may be
    # limited to (the boxes) and those this editor is limited to (which are ticked).
    with django_assert_num_queries(11):
        response = admin_client.get(reverse("admin:auth_user_change", args=[target.pk]))
    assert response.status_code == 200


def test_the_reset_password_page(admin_client, django_assert_num_queries):
    target = make_user("target", roles.EDITOR)
    # The session; the administrator; the user; their groups (prefetched by the user list's
    # queryset); the permissions (two); the header's roles; whether the one council is set up
    # (the sidebar).
    with django_assert_num_queries(8):
        response = admin_client.get(reverse("admin:auth_user_reset_password", args=[target.pk]))
    assert response.status_code == 200
