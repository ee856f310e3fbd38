"""The user forms an administrator who is not a superuser gets: one role, never the switches
(superuser, staff) or raw groups and permissions. The fields a form does not declare cannot
be set through it, whatever is POSTed."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import AbstractUser, User
from django.db.models import QuerySet

from indicators import roles
from indicators.models import Priority, PriorityEditor

ROLE_CHOICES = [
    (roles.VIEWER, "Viewer: reads the published scorecard and downloads the pack"),
    (roles.EDITOR, "Editor: also enters, imports and publishes each month's figures"),
    (roles.ADMINISTRATOR, "Administrator: also manages indicators, targets, users and roles"),
]
PERSON_FIELDS = ("username", "first_name", "last_name", "email", "is_active")


def role_of(user: AbstractUser) -> str | None:
    """The user's role (the highest, should they hold several), or None."""
    if not user.pk:
        return None
    # .all() so that a list of users prefetched with their memberships (the council's: the
    # scoped manager) asks nothing more.
    memberships = user.memberships  # type: ignore[attr-defined]  # Membership.user's reverse
    held = {membership.role for membership in memberships.all()}
    for role in (roles.ADMINISTRATOR, roles.EDITOR, roles.VIEWER):
        if role in held:
            return role
    return None


def other_administrators(user: AbstractUser) -> "QuerySet[User]":
    """The active administrators other than ``user``."""
    return (
        get_user_model()
        .objects.filter(roles.holding(roles.ADMINISTRATOR), is_active=True)
        .exclude(pk=user.pk)
    )


def is_only_administrator(user: AbstractUser) -> bool:
    """Whether ``user`` is the council's one active administrator: demoted, deactivated or
    deleted, nobody would be left to manage users, indicators and targets."""
    return (
        user.pk is not None
        and user.is_active
        and role_of(user) == roles.ADMINISTRATOR
        and not other_administrators(user).exists()
    )


ONLY_ADMINISTRATOR = (
    "{name} is the only administrator: make someone else an administrator first, so that "
    "someone can still manage users, indicators and targets."
)


class RoleFormMixin(forms.Form):
    role = forms.ChoiceField(choices=ROLE_CHOICES, widget=forms.RadioSelect)
    priorities = forms.ModelMultipleChoiceField(
        queryset=Priority.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Limited to priorities",
        help_text="An editor limited to some priorities enters, imports and checks the figures "
        "and milestones of those only, and cannot publish a month. None ticked: every "
        "priority. Only editors are limited.",
    )
    # Mixed in before a model form of the user, which sets the instance and saves it.
    instance: User

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Read here, in the council of the request, not when the class is defined.
        self.fields["priorities"].queryset = Priority.objects.all()  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["role"].initial = role_of(self.instance)
            scope = PriorityEditor.objects.filter(user=self.instance)
            self.fields["priorities"].initial = list(scope.values_list("priority", flat=True))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        stays = cleaned.get("role") == roles.ADMINISTRATOR and cleaned.get("is_active", True)
        # The stored user, not the instance the form has already changed.
        if not stays and self.instance.pk:
            stored = get_user_model().objects.get(pk=self.instance.pk)
            if is_only_administrator(stored):
                raise forms.ValidationError(ONLY_ADMINISTRATOR.format(name=stored.get_username()))
        return cleaned

    def save(self, commit: bool = True) -> User:
        # Administrators are staff (the admin needs it); nobody else is.
        self.instance.is_staff = self.cleaned_data["role"] == roles.ADMINISTRATOR
        return super().save(commit)  # type: ignore[misc]

    def _save_m2m(self):
        super()._save_m2m()
        user = self.instance
        # The role in this council (its others, in other councils, are theirs to keep).
        roles.grant(user, self.cleaned_data["role"])
        # The editor's priorities, one row each (every change in their history).
        wanted = set(self.cleaned_data.get("priorities") or [])
        if self.cleaned_data["role"] != roles.EDITOR:
            wanted = set()
        for row in PriorityEditor.objects.filter(user=user).select_related("priority"):
            if row.priority in wanted:
                wanted.discard(row.priority)
            else:
                row.delete()
        for priority in wanted:
            PriorityEditor.objects.create(user=user, priority=priority)


class RoleUserChangeForm(RoleFormMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        # django-stubs types the base Meta's fields as its "__all__"; Django takes a sequence.
        fields = PERSON_FIELDS  # type: ignore[assignment]


class RoleUserCreationForm(RoleFormMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        fields = PERSON_FIELDS


class EmailChoicesForm(forms.Form):
    """What a user chooses to be emailed (``accounts.preferences``)."""

    digest = forms.BooleanField(
        label="Email me a digest when a month is published",
        help_text="New reds, other exceptions, revisions and SPC signals, as viewers see them.",
        required=False,
    )
