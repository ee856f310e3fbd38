"""The roles' admin permissions, kept in step with the models at every migrate.

Roles are Django groups (indicators/roles.py). An administrator manages every model the
product has: every model of the project's own apps, and every model registered in the admin
by a library (the users, the sign-in lockouts of django-axes). The groups themselves are shown
to administrators but only a superuser may change them: their permissions are set here, in
code, and would be put back at the next migrate anyway. Viewers and editors work in the
product's own pages and have no admin permissions at all.
"""

import sys
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q, QuerySet

from indicators import roles

if TYPE_CHECKING:  # imported where used: the auth models are not ready when this is imported
    from django.contrib.auth.models import Permission

ACTIONS = ("add", "change", "delete", "view")
#: Models an administrator may look at but not change, as (app label, model name).
VIEW_ONLY = frozenset({("auth", "group")})

#: A model as (app label, model name); Django types the name as optional, which it is only
#: before the model class is made.
ModelKey = tuple[str, str | None]


def is_project_app(
    app_config: AppConfig, base_dir: str | Path | None = None, prefix: str | Path | None = None
) -> bool:
    """An app whose code is in this repository (not an installed library, which lives under
    the virtualenv's prefix, even when the virtualenv is inside the repository)."""
    path = Path(app_config.path).resolve()
    base_dir = Path(base_dir or settings.BASE_DIR).resolve()
    prefix = Path(prefix or sys.prefix).resolve()
    return path.is_relative_to(base_dir) and not path.is_relative_to(prefix)


def administrator_grants(
    project_models: Iterable[ModelKey],
    admin_models: Iterable[ModelKey],
    view_only: Collection[ModelKey] = VIEW_ONLY,
) -> dict[ModelKey, tuple[str, ...]]:
    """{(app label, model name): actions} for the administrator role: everything on the
    project's models and the admin's, only viewing on ``view_only``. Plain data in and out."""
    grants: dict[ModelKey, tuple[str, ...]] = {}
    for key in set(project_models) | set(admin_models):
        grants[key] = ("view",) if key in view_only else ACTIONS
    return grants


def current_administrator_grants() -> dict[ModelKey, tuple[str, ...]]:
    from django.contrib import admin

    project = {
        (model._meta.app_label, model._meta.model_name)
        for app_config in global_apps.get_app_configs()
        if is_project_app(app_config)
        for model in app_config.get_models()
    }
    registered = {(model._meta.app_label, model._meta.model_name) for model in admin.site._registry}
    return administrator_grants(project, registered)


def permissions_for(
    grants: Mapping[ModelKey, Iterable[str]], using: str = DEFAULT_DB_ALIAS
) -> "QuerySet[Permission]":
    from django.contrib.auth.models import Permission

    wanted = Q(pk__in=[])
    for (app_label, model_name), actions in grants.items():
        wanted |= Q(
            content_type__app_label=app_label,
            content_type__model=model_name,
            codename__in=[f"{action}_{model_name}" for action in actions],
        )
    return Permission.objects.using(using).filter(wanted)


def sync_role_permissions(
    sender: AppConfig | None = None, using: str = DEFAULT_DB_ALIAS, **kwargs: Any
) -> None:
    """post_migrate receiver: create the three roles if missing and set their permissions.

    post_migrate is sent once per app that has models; this acts on the last one, when every
    app's permissions exist (Django creates them in an earlier receiver of the same signal).
    """
    with_models = [config for config in global_apps.get_app_configs() if config.models_module]
    if sender is not None and with_models and sender.label != with_models[-1].label:
        return
    from django.contrib.auth.models import Group

    groups = {
        name: Group.objects.using(using).get_or_create(name=name)[0] for name in roles.ALL_ROLES
    }
    groups[roles.ADMINISTRATOR].permissions.set(
        permissions_for(current_administrator_grants(), using)
    )
    groups[roles.EDITOR].permissions.clear()
    groups[roles.VIEWER].permissions.clear()
