"""The admin for users, roles and sign-in lockouts.

A superuser gets Django's own user admin. An administrator who is not a superuser gets a
role, name, email and the active flag: never the superuser or staff switches (staff follows
the role) nor raw groups and permissions, and never sees or edits a superuser.
"""

from typing import TYPE_CHECKING, Any

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse

import accounts.token_admin  # noqa: F401 - registers the API tokens' admin
from accounts.forms import (
    ROLE_CHOICES,
    RoleUserChangeForm,
    RoleUserCreationForm,
    is_only_administrator,
    role_of,
)
from accounts.reset import email_configured, issue_reset
from indicators.models import Membership

if TYPE_CHECKING:  # the type checker's names (django-stubs-ext is a test requirement)
    from django import forms
    from django_stubs_ext import FieldsetSpec

User = get_user_model()


class RoleFilter(admin.SimpleListFilter):
    title = "role"
    parameter_name = "role"

    def lookups(
        self, request: HttpRequest, model_admin: "admin.ModelAdmin[Any]"
    ) -> list[tuple[str, str]]:
        return [(value, value.capitalize()) for value, _ in ROLE_CHOICES] + [("none", "No role")]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[AbstractUser]
    ) -> QuerySet[AbstractUser]:
        if self.value() is None:
            return queryset
        # The scoped manager: a role in this council.
        held = Membership.objects.filter(user=OuterRef("pk"))
        if self.value() == "none":
            return queryset.filter(~Exists(held))
        return queryset.filter(Exists(held.filter(role=self.value())))


admin.site.unregister(User)


@admin.register(User)
class RoleUserAdmin(UserAdmin):
    change_form_template = "admin/accounts/user_change_form.html"
    list_display = ("username", "first_name", "last_name", "email", "role", "is_active")
    role_fieldsets: "FieldsetSpec" = (
        (None, {"fields": ("username", "password")}),
        ("Name and email", {"fields": ("first_name", "last_name", "email")}),
        ("Access", {"fields": ("role", "priorities", "is_active")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    role_add_fieldsets: "FieldsetSpec" = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2"),
            },
        ),
        ("Name and email", {"fields": ("first_name", "last_name", "email")}),
        ("Access", {"fields": ("role", "priorities", "is_active")}),
    )

    @admin.display(description="role")
    def role(self, user: AbstractUser) -> str:
        if user.is_superuser:
            return "Superuser"
        return (role_of(user) or "no role").capitalize()

    def get_queryset(self, request: HttpRequest) -> QuerySet[AbstractUser]:
        users = super().get_queryset(request).prefetch_related("memberships")
        if not request.user.is_superuser:
            # A council's administrator sees its own people only (and never a superuser):
            # those holding a role in this council, and those holding none anywhere (just
            # added, or left without one).
            mine = Membership.objects.filter(user=OuterRef("pk"))
            anywhere = Membership.every_council.filter(user=OuterRef("pk"))
            users = users.filter(Exists(mine) | ~Exists(anywhere)).filter(is_superuser=False)
        return users

    def has_change_permission(self, request: HttpRequest, obj: AbstractUser | None = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: AbstractUser | None = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        if obj is not None and is_only_administrator(obj):
            return False  # nobody would be left to manage users (accounts.forms)
        return super().has_delete_permission(request, obj)

    def get_fieldsets(
        self, request: HttpRequest, obj: AbstractUser | None = None
    ) -> "FieldsetSpec":
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return self.role_add_fieldsets if obj is None else self.role_fieldsets

    def get_form(  # type: ignore[override]  # UserAdmin's signature, as the stubs give it
        self, request: HttpRequest, obj: AbstractUser | None = None, **kwargs: Any
    ) -> "type[forms.ModelForm[AbstractUser]]":
        if not request.user.is_superuser:
            kwargs["form"] = RoleUserCreationForm if obj is None else RoleUserChangeForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(
        self, request: HttpRequest, obj: AbstractUser | None = None
    ) -> list[str] | tuple[str, ...]:
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ("last_login", "date_joined")

    def get_list_filter(self, request: HttpRequest) -> tuple[Any, ...]:  # of list filters
        if request.user.is_superuser:
            return (*super().get_list_filter(request), RoleFilter)
        return (RoleFilter, "is_active")

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<id>/reset-password/",
                self.admin_site.admin_view(self.reset_password),
                name="auth_user_reset_password",
            ),
            *super().get_urls(),
        ]

    def reset_password(self, request: HttpRequest, id: str) -> HttpResponse:
        """Send the user Django's one-time password-reset link by email, or, with no email
        set up, show it to the administrator to pass on."""
        user = self.get_object(request, unquote(id))
        if user is None:
            # Django's own redirect for a missing object, which the stubs do not declare.
            return self._get_obj_does_not_exist_redirect(request, self.opts, id)  # type: ignore[attr-defined]
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        issued = None
        if request.method == "POST":
            issued = issue_reset(request, user)
            self.log_change(request, user, f"Password reset {issued.how}.")
            if issued.emailed:
                messages.success(request, f"A password-reset link was emailed to {user.email}.")
                return self._redirect_to_change(user)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Reset the password of {user.get_username()}",
            "opts": self.opts,
            "original": user,
            "issued": issued,
            "email_configured": email_configured(),
            "reset_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        }
        return TemplateResponse(request, "admin/accounts/reset_password.html", context)

    def _redirect_to_change(self, user):
        return HttpResponseRedirect(
            reverse(f"{self.admin_site.name}:auth_user_change", args=[user.pk])
        )


admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(GroupAdmin):
    """Shown to administrators, changed only by superusers: a role's permissions are set in
    code at every migrate (accounts/permissions.py)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Group | None = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Group | None = None) -> bool:
        return request.user.is_superuser


class CouncilSignInsOnly:
    """django-axes' records of sign-ins (attempts, failures, the access log) hold usernames and
    addresses, and carry no council: a council's administrator sees only those of usernames
    of people holding a role in this council, as the user admin shows only its people. A
    username nobody of the council holds (a guess, another council's person) is the
    platform's: superusers only."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        records = super().get_queryset(request)  # type: ignore[misc]
        if request.user.is_superuser:
            return records
        # The scoped manager: a role in the council of the address.
        members = User.objects.filter(Exists(Membership.objects.filter(user=OuterRef("pk"))))
        return records.filter(username__in=members.values("username"))


# axes registers its own admins (axes.admin, while AXES_ENABLE_ADMIN): each is replaced by
# one limited to the council's people.
for _model in (AccessAttempt, AccessLog, AccessFailureLog):
    admin.site.unregister(_model)


@admin.register(AccessAttempt)
class UnlockingAccessAttemptAdmin(CouncilSignInsOnly, AccessAttemptAdmin):
    """django-axes' failed sign-ins, with an action that unlocks them."""

    actions = ["unlock", *AccessAttemptAdmin.actions]

    @admin.action(
        description="Unlock: clear the failed sign-ins of the selected users and addresses",
        permissions=["delete"],
    )
    def unlock(self, request: HttpRequest, queryset: "QuerySet[AccessAttempt]") -> None:
        pairs = sorted(set(queryset.values_list("username", "ip_address")))
        for username, address in pairs:
            # axes' own reset, as `manage.py axes_reset_username` uses.
            axes_reset(username=username, ip=address)
        names = ", ".join(f"{username} from {address}" for username, address in pairs)
        self.message_user(request, f"Unlocked {names}.", messages.SUCCESS)

    @admin.action(description="Clean up expired attempts", permissions=["platform"])
    def cleanup_expired_attempts(
        self, request: HttpRequest, queryset: "QuerySet[AccessAttempt]"
    ) -> None:
        # axes' clean-up deletes every council's expired attempts, not the selected ones.
        super().cleanup_expired_attempts(request, queryset)

    def has_platform_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser


@admin.register(AccessLog)
class CouncilAccessLogAdmin(CouncilSignInsOnly, AccessLogAdmin):
    """django-axes' log of sign-ins, of the council's people."""


@admin.register(AccessFailureLog)
class CouncilAccessFailureLogAdmin(CouncilSignInsOnly, AccessFailureLogAdmin):
    """django-axes' log of failed sign-ins (kept after an unlock), of the council's people."""
