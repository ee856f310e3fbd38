"""The user forms an administrator who is not a superuser gets: one role, never the switches
(superuser, staff) or raw groups and permissions. The fields a form does not declare cannot
be set through it, whatever is POSTed."""

from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import AbstractUser, Group, User

from indicators import roles

ROLE_CHOICES = [
    (roles.VIEWER, "Viewer: reads the published scorecard and downloads the pack"),
    (roles.EDITOR, "Editor: also enters, imports and publishes each month's figures"),
    (roles.ADMINISTRATOR, "Administrator: also manages indicators, targets, users and roles"),
]
PERSON_FIELDS = ("username", "first_name", "last_name", "email", "is_active")


def role_of(user: AbstractUser) -> str | None:
    """The user's role (the highest, should they hold several), or None."""
    # .all() so that a list of users prefetched with their groups asks nothing more.
    held = {group.name for group in user.groups.all()} if user.pk else set()
    for role in (roles.ADMINISTRATOR, roles.EDITOR, roles.VIEWER):
        if role in held:
            return role
    return None


class RoleFormMixin(forms.Form):
    role = forms.ChoiceField(choices=ROLE_CHOICES, widget=forms.RadioSelect)
    # Mixed in before a model form of the user, which sets the instance and saves it.
    instance: User

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["role"].initial = role_of(self.instance)

    def save(self, commit: bool = True) -> User:
        # Administrators are staff (the admin needs it); nobody else is.
        self.instance.is_staff = self.cleaned_data["role"] == roles.ADMINISTRATOR
        return super().save(commit)  # type: ignore[misc]

    def _save_m2m(self):
        super()._save_m2m()
        user = self.instance
        # Replace the role, keeping any other group a superuser may have given.
        user.groups.remove(*Group.objects.filter(name__in=roles.ALL_ROLES))
        user.groups.add(Group.objects.get_or_create(name=self.cleaned_data["role"])[0])


class RoleUserChangeForm(RoleFormMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        # django-stubs types the base Meta's fields as its "__all__"; Django takes a sequence.
        fields = PERSON_FIELDS  # type: ignore[assignment]


class RoleUserCreationForm(RoleFormMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        fields = PERSON_FIELDS
