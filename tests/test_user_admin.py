"""The user admin as an administrator who is not a superuser sees it: a role, name, email and
the active flag; never the superuser or staff switches or raw groups and permissions, and no
superuser at all. The escalation attempts POST the fields directly, as a crafted request
would."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from indicators import roles
from indicators.models import Membership

from .support.factories import make_user

User = get_user_model()
PASSWORD = "a-long-test-password"


#: What a crafted POST adds to try to escalate.
def held(user):
    """The roles ``user`` holds in the council (issue 23: memberships, not groups)."""
    return set(Membership.objects.filter(user=user).values_list("role", flat=True))


ESCALATION = {"is_superuser": "on", "is_staff": "on", "user_permissions": "", "groups": ""}


@pytest.fixture
def administrator(db):
    user = make_user("admin", roles.ADMINISTRATOR, PASSWORD)
    user.is_staff = True
    user.first_name = "Ada"
    user.save()
    return user


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.gov.uk", PASSWORD)


@pytest.fixture
def councillor(db):
    return make_user("councillor", roles.VIEWER, PASSWORD)


def change_url(user):
    return reverse("admin:auth_user_change", args=[user.pk])


def escalation(**fields):
    """Every raw switch at its most powerful, with the form's own fields."""
    every_permission = list(Permission.objects.values_list("pk", flat=True))
    every_group = list(Group.objects.values_list("pk", flat=True))
    return {
        **ESCALATION,
        "user_permissions": every_permission,
        "groups": every_group,
        **fields,
    }


def form_fields(user):
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
    }


def test_the_change_form_offers_a_role_name_email_and_active_flag_and_no_switches(
    admin_client, councillor
):
    page = admin_client.get(change_url(councillor))
    assert page.status_code == 200
    fields = set(page.context["adminform"].form.fields)
    assert fields == {
        "username",
        "password",
        "first_name",
        "last_name",
        "email",
        "is_active",
        "role",
        "priorities",  # the priorities an editor is limited to (issue 22)
    }
    for name in ("is_superuser", "is_staff", "groups", "user_permissions"):
        assert f'name="{name}"' not in page.text
    assert "Superuser status" not in page.text and "Staff status" not in page.text
    # One role, the one held, chosen with radios.
    assert page.context["adminform"].form["role"].value() == roles.VIEWER
    assert page.text.count('type="radio" name="role"') == 3


def test_the_add_form_offers_the_same_and_no_switches(admin_client):
    page = admin_client.get(reverse("admin:auth_user_add"))
    assert page.status_code == 200
    fields = set(page.context["adminform"].form.fields)
    assert {"is_superuser", "is_staff", "groups", "user_permissions"}.isdisjoint(fields)
    assert {"username", "role", "first_name", "last_name", "email", "is_active"} <= fields


def test_a_crafted_post_cannot_make_another_user_a_superuser_or_staff(admin_client, councillor):
    response = admin_client.post(
        change_url(councillor), escalation(**form_fields(councillor), role=roles.VIEWER)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    councillor.refresh_from_db()
    assert not councillor.is_superuser and not councillor.is_staff
    assert held(councillor) == {roles.VIEWER}
    assert not councillor.user_permissions.exists()


def test_a_crafted_post_cannot_make_the_administrator_themselves_a_superuser(
    admin_client, administrator
):
    response = admin_client.post(
        change_url(administrator),
        escalation(**form_fields(administrator), role=roles.ADMINISTRATOR),
    )
    assert response.status_code == 302
    administrator.refresh_from_db()
    assert not administrator.is_superuser
    assert administrator.is_staff  # from the role
    assert not administrator.user_permissions.exists()
    assert held(administrator) == {roles.ADMINISTRATOR}


def test_a_crafted_add_cannot_create_a_superuser(admin_client):
    response = admin_client.post(
        reverse("admin:auth_user_add"),
        escalation(
            username="newcomer",
            usable_password="true",
            password1="a-long-new-password-2024",
            password2="a-long-new-password-2024",
            first_name="New",
            last_name="Comer",
            email="new@example.gov.uk",
            is_active="on",
            role=roles.EDITOR,
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="newcomer")
    assert not user.is_superuser and not user.is_staff
    assert held(user) == {roles.EDITOR}
    assert not user.user_permissions.exists()
    assert user.check_password("a-long-new-password-2024")
    assert (user.first_name, user.email) == ("New", "new@example.gov.uk")


@pytest.mark.parametrize(
    ("before", "after", "staff"),
    [
        (roles.VIEWER, roles.EDITOR, False),
        (roles.EDITOR, roles.ADMINISTRATOR, True),
        (roles.ADMINISTRATOR, roles.VIEWER, False),
        (None, roles.VIEWER, False),
    ],
)
def test_the_role_sets_the_membership_and_staff_follows_it(admin_client, before, after, staff):
    user = make_user("someone", before, PASSWORD)
    if before == roles.ADMINISTRATOR:
        user.is_staff = True
        user.save()
    other = Group.objects.create(name="committee clerks")
    user.groups.add(other)
    response = admin_client.post(change_url(user), {**form_fields(user), "role": after})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_staff is staff
    # The role is replaced; a group a superuser gave stays, and no role is a group.
    assert held(user) == {after}
    assert set(user.groups.values_list("name", flat=True)) == {"committee clerks"}


def test_a_role_must_be_chosen(admin_client):
    user = make_user("someone", None, PASSWORD)
    response = admin_client.post(change_url(user), form_fields(user))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["role"] == ["This field is required."]


def test_an_administrator_never_sees_nor_changes_a_superuser(admin_client, superuser, councillor):
    listing = admin_client.get(reverse("admin:auth_user_changelist"))
    assert "councillor" in listing.text and "root" not in listing.text

    page = admin_client.get(change_url(superuser), follow=True)
    assert "doesn’t exist" in page.text or "doesn't exist" in page.text

    before = User.objects.filter(pk=superuser.pk).values().get()
    attempts = [
        (change_url(superuser), {**form_fields(superuser), "role": roles.VIEWER, "is_active": ""}),
        (
            reverse("admin:auth_user_password_change", args=[superuser.pk]),
            {"password1": "taken-over-123456", "password2": "taken-over-123456"},
        ),
        (reverse("admin:auth_user_reset_password", args=[superuser.pk]), {}),
        (reverse("admin:auth_user_delete", args=[superuser.pk]), {"post": "yes"}),
        (
            reverse("admin:auth_user_changelist"),
            {"action": "delete_selected", "_selected_action": [superuser.pk], "post": "yes"},
        ),
    ]
    for url, data in attempts:
        response = admin_client.post(url, data)
        assert response.status_code in (302, 403, 404), url
    assert User.objects.filter(pk=superuser.pk).values().get() == before
    assert superuser.check_password(PASSWORD)


def test_a_superuser_keeps_djangos_full_user_form(client, superuser, councillor):
    client.force_login(superuser)
    page = client.get(change_url(councillor))
    for name in ("is_superuser", "is_staff", "groups", "user_permissions"):
        assert f'name="{name}"' in page.text


def test_the_user_list_shows_roles_and_filters_by_role(admin_client, councillor):
    make_user("advisor", roles.EDITOR, PASSWORD)
    make_user("norole", None, PASSWORD)
    listing = admin_client.get(reverse("admin:auth_user_changelist"))
    assert "Viewer" in listing.text and "Editor" in listing.text and "No role" in listing.text
    editors = admin_client.get(reverse("admin:auth_user_changelist"), {"role": roles.EDITOR})
    assert [u.username for u in editors.context["cl"].result_list] == ["advisor"]
    nobody = admin_client.get(reverse("admin:auth_user_changelist"), {"role": "none"})
    assert [u.username for u in nobody.context["cl"].result_list] == ["norole"]


@pytest.mark.parametrize(
    "change", [{"role": roles.EDITOR}, {"role": roles.VIEWER}, {"is_active": ""}]
)
def test_the_only_administrator_cannot_be_demoted_nor_deactivated(
    admin_client, administrator, change
):
    data = {**form_fields(administrator), "role": roles.ADMINISTRATOR, **change}
    response = admin_client.post(change_url(administrator), data)
    assert response.status_code == 200
    assert "admin is the only administrator: make someone else an administrator first" in (
        response.text
    )
    administrator.refresh_from_db()
    assert administrator.is_active and administrator.is_staff
    assert held(administrator) == {roles.ADMINISTRATOR}
    assert admin_client.get(
        reverse("admin:auth_user_delete", args=[administrator.pk])
    ).status_code in (403, 302)
    assert User.objects.filter(pk=administrator.pk).exists()


def test_with_a_second_administrator_the_first_may_step_down(admin_client, administrator):
    make_user("deputy", roles.ADMINISTRATOR, PASSWORD)
    response = admin_client.post(
        change_url(administrator), {**form_fields(administrator), "role": roles.EDITOR}
    )
    assert response.status_code == 302
    administrator.refresh_from_db()
    assert held(administrator) == {roles.EDITOR}
