"""Who may use the admin: an administrator (staff, in the administrator group, not a
superuser) opens every model registered in ``admin.site``, today's and any added later;
viewers, editors and users with no role open none of them. The role's permissions follow the
models at every migrate (accounts/permissions.py), with no migration of their own."""

import io

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts import permissions
from indicators import roles
from intake.quarterly_seed import load_quarterly_seed

from .support.admin_rows import give_later_models_a_row
from .support.factories import make_user
from .support.lait import import_extract
from .support.tasks import a_queued_task

PASSWORD = "a-long-test-password"
REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.fixture
def every_model_has_a_row(seed, client):
    """At least one object of every registered model: the seeds, users, and sign-in records
    (a lockout, a success, failures) made through the real sign-in page."""
    load_quarterly_seed()
    import_extract()  # DfE's benchmarks: measures, values, neighbour lists, council, comparators
    make_user("councillor", roles.VIEWER, PASSWORD)
    for _ in range(5):
        Client().post(reverse("login"), {"username": "councillor", "password": "wrong"})
    make_user("advisor", roles.EDITOR, PASSWORD)
    assert Client().post(reverse("login"), {"username": "advisor", "password": PASSWORD})
    a_queued_task()  # a task result, as an email leaves for the task worker
    give_later_models_a_row("advisor")
    empty = [model._meta.label for model, _ in REGISTERED if not model._default_manager.exists()]
    assert not empty, f"give the walk a row of each of these (in this fixture): {empty}"


def administrator_user():
    user = make_user("admin", roles.ADMINISTRATOR, PASSWORD)
    user.is_staff = True
    user.save()
    return user


def admin_pages(as_user):
    """(label, url) for every registered model: its list, its first object's change page,
    and its add page where the model's admin offers adding to ``as_user``."""
    request = RequestFactory().get("/admin/")
    request.user = as_user
    pages = []
    for model, model_admin in REGISTERED:
        info = (model._meta.app_label, model._meta.model_name)
        first = model._default_manager.order_by("pk").first()
        name = "admin:{}_{}_{{}}".format(*info)
        pages.append((f"{model._meta.label} list", reverse(name.format("changelist"))))
        pages.append(
            (f"{model._meta.label} change", reverse(name.format("change"), args=[first.pk]))
        )
        if model_admin.has_add_permission(request):
            pages.append((f"{model._meta.label} add", reverse(name.format("add"))))
    return pages


def test_the_walk_covers_every_model_the_admin_has_including_later_ones():
    labels = {model._meta.label for model, _ in REGISTERED}
    # Models added after the roles migration (0002) and the sign-in lockouts are among them.
    assert {
        "indicators.AnnualFigure",
        "indicators.ReportSection",
        "axes.AccessAttempt",
        "axes.AccessLog",
        "axes.AccessFailureLog",
        "auth.User",
        "auth.Group",
    } <= labels


def test_an_administrator_opens_every_admin_model_list_change_and_add_page(
    client, every_model_has_a_row
):
    user = administrator_user()
    client.force_login(user)
    pages = admin_pages(user)
    assert len(pages) >= 2 * len(REGISTERED)
    refused = {}
    for label, url in pages:
        # The one council's list goes straight to its page.
        response = client.get(url, follow=True)
        if response.status_code != 200:
            refused[label] = (url, response.status_code)
    assert not refused, refused
    index = client.get(reverse("admin:index"))
    for model, _ in REGISTERED:
        name = str(model._meta.verbose_name_plural)
        assert name[0].upper() + name[1:] in index.text, model  # Django's capfirst


@pytest.mark.parametrize(
    "role", [roles.VIEWER, roles.EDITOR, None], ids=["viewer", "editor", "no role"]
)
def test_viewers_editors_and_users_with_no_role_open_no_admin_page(
    client, every_model_has_a_row, role
):
    administrator = administrator_user()
    user = make_user(f"someone-{role}", role, PASSWORD)
    client.force_login(user)
    for label, url in admin_pages(administrator):
        response = client.get(url)
        assert response.status_code == 302, label
        assert response["Location"].startswith(reverse("admin:login")), label

    # Even made staff by mistake, their role carries no admin permission.
    user.is_staff = True
    user.save()
    assert not user.get_all_permissions()
    for label, url in admin_pages(administrator):
        assert client.get(url).status_code == 403, label
    assert "have permission to view or edit anything" in client.get(reverse("admin:index")).text


def test_an_administrator_may_look_at_the_roles_but_only_a_superuser_changes_them(
    client, every_model_has_a_row
):
    client.force_login(administrator_user())
    editor = Group.objects.get(name=roles.EDITOR)
    url = reverse("admin:auth_group_change", args=[editor.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.text  # read-only
    permission = Permission.objects.get(codename="delete_user")
    response = client.post(url, {"name": "editor", "permissions": [permission.pk]})
    assert response.status_code == 403
    assert not editor.permissions.exists()
    assert client.get(reverse("admin:auth_group_add")).status_code == 403


# The permissions follow the models ----------------------------------------------------------
def project_models():
    return {
        (model._meta.app_label, model._meta.model_name)
        for config in apps.get_app_configs()
        if config.name in {"indicators", "intake", "scorecard", "accounts"}
        for model in config.get_models()
    }


def test_the_project_apps_are_ours_and_the_libraries_are_not():
    found = {c.name for c in apps.get_app_configs() if permissions.is_project_app(c)}
    assert found == {"indicators", "intake", "scorecard", "accounts"}


@pytest.mark.parametrize(
    ("project", "registered", "expected"),
    [
        ({("indicators", "value")}, set(), {("indicators", "value"): permissions.ACTIONS}),
        (set(), {("axes", "accessattempt")}, {("axes", "accessattempt"): permissions.ACTIONS}),
        (
            {("indicators", "value")},
            {("indicators", "value")},
            {("indicators", "value"): permissions.ACTIONS},
        ),
        (set(), {("auth", "group")}, {("auth", "group"): ("view",)}),
        (set(), set(), {}),
    ],
    ids=["project model", "library model in the admin", "both", "view-only", "none"],
)
def test_administrator_grants(project, registered, expected):
    assert permissions.administrator_grants(project, registered) == expected


def administrator_permissions():
    group = Group.objects.get(name=roles.ADMINISTRATOR)
    return set(
        group.permissions.values_list("content_type__app_label", "content_type__model", "codename")
    )


def test_after_migrate_the_administrator_holds_every_permission_of_every_project_and_admin_model(
    db,
):
    held = administrator_permissions()
    expected = set()
    for app_label, model_name in project_models() | {
        (m._meta.app_label, m._meta.model_name) for m, _ in REGISTERED
    }:
        actions = ("view",) if (app_label, model_name) == ("auth", "group") else permissions.ACTIONS
        expected |= {(app_label, model_name, f"{action}_{model_name}") for action in actions}
    assert held == expected
    # Historical records (simple_history) and models no admin page shows are included.
    assert ("indicators", "historicalvalue", "view_historicalvalue") in held
    assert ("indicators", "annualfigure", "change_annualfigure") in held
    assert ("axes", "accessattempt", "delete_accessattempt") in held
    assert ("auth", "group", "change_group") not in held
    for role in (roles.EDITOR, roles.VIEWER):
        assert not Group.objects.get(name=role).permissions.exists()


def test_a_lost_permission_comes_back_at_the_next_migrate_without_a_migration(db):
    group = Group.objects.get(name=roles.ADMINISTRATOR)
    group.permissions.remove(*group.permissions.filter(content_type__model="reportsection"))
    Group.objects.filter(name=roles.VIEWER).delete()
    assert ("indicators", "reportsection", "view_reportsection") not in administrator_permissions()

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert ("indicators", "reportsection", "view_reportsection") in administrator_permissions()
    assert Group.objects.filter(name=roles.VIEWER).exists()


def test_migrate_itself_runs_the_sync(db):
    Group.objects.get(name=roles.ADMINISTRATOR).permissions.clear()
    call_command("migrate", verbosity=0, stdout=io.StringIO())
    assert ("axes", "accesslog", "view_accesslog") in administrator_permissions()
