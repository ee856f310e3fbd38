"""A new council on this deployment (issue 23): its short name, its name, the host name its
people use, and its first administrator. One form checks it and one transaction creates it,
for the platform administrators' page (``accounts.views.new_council``) and for
``manage.py create_council`` alike: nothing is half-saved, and both say the same words."""

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import IntegrityError, transaction

from indicators import roles
from indicators.models import Council
from indicators.tenancy import council_scope

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
# A host name's labels: letters, digits and inner hyphens, at most 63 characters each.
HOST = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*")


def checked_host(text: str, council: Council | None = None) -> str | None:
    """``text`` as a council's host name (lower case, no final dot; None when empty), or
    ValidationError saying why it cannot be one: not a host name, or another council's."""
    host = text.strip().lower().rstrip(".")
    if not host:
        return None
    if not HOST.fullmatch(host) or len(host) > 253:
        raise forms.ValidationError(
            f"“{host}” is not a host name: give the address alone, as "
            "devon.scorecard.example (no https://, no path, no spaces)."
        )
    taken = Council.objects.filter(host=host)
    if council is not None and council.pk is not None:
        taken = taken.exclude(pk=council.pk)
    other = taken.first()
    if other is not None:
        raise forms.ValidationError(
            f"{host} is already the address of {other.display_name} ({other.slug})."
        )
    return host


@dataclass(frozen=True)
class NewCouncil:
    council: Council
    administrator: User
    #: Whether the administrator's account was made for it (else an existing one was given
    #: the role, its password unchanged).
    new_account: bool


class NewCouncilForm(forms.Form):
    slug = forms.CharField(
        label="Short name",
        max_length=50,
        help_text="Lower-case letters, digits and hyphens, as devon or north-somerset. "
        "Commands name the council by it; it is not changed later.",
    )
    name = forms.CharField(
        label="Name", max_length=200, help_text="As its pages print it: Devon County Council."
    )
    host = forms.CharField(
        label="Host name",
        max_length=253,
        required=False,
        help_text="The address its people use, without https:// or a path: "
        "devon.scorecard.example. Needed once there is more than one council.",
    )
    administrator = forms.CharField(
        label="First administrator's username",
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="A new account, or an existing one (a person may hold a role in several "
        "councils): an existing account keeps its password.",
    )
    email = forms.EmailField(
        label="First administrator's email address",
        required=False,
        help_text="A new account's one-time link to choose a password is emailed here when "
        "this server sends email; otherwise it is shown to you to pass on.",
    )

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"].strip()
        if not SLUG.fullmatch(slug):
            raise forms.ValidationError(
                f"“{slug}” cannot be a short name: use lower-case letters, digits and single "
                "hyphens between them, as devon or north-somerset."
            )
        if Council.objects.filter(slug=slug).exists():
            raise forms.ValidationError(
                f"A council called {slug!r} exists already: choose another short name."
            )
        return slug

    def clean_host(self) -> str | None:
        host = checked_host(self.cleaned_data["host"])
        if host is None and Council.objects.exists():
            raise forms.ValidationError(
                "Give its host name: with more than one council, each is reached at its own."
            )
        return host

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for council in Council.objects.filter(host=None).order_by("name"):
            # Served at any address only while it is the only council: after this one, at none.
            self.add_error(
                None,
                f"{council.display_name} ({council.slug}) has no host name, so no address "
                "would serve it once another council exists: give it its host name on its "
                "council page in the admin first.",
            )
        username, email = cleaned.get("administrator"), cleaned.get("email")
        existing = get_user_model().objects.filter(username=username).first()
        if existing is not None and not existing.is_active:
            self.add_error(
                "administrator", f"{username}'s account is deactivated: choose another username."
            )
        elif existing is not None and email and existing.email.lower() != email.lower():
            self.add_error(
                "email",
                f"{username} has an account already, with another email address: leave the "
                "email empty to make that account the administrator, or choose another "
                "username.",
            )
        return cleaned

    def create(self, password: str | None = None) -> NewCouncil:
        """The council and its first administrator, in one transaction: a new account gets
        ``password``, or none usable (they choose one through a one-time link). Raises
        ValidationError (nothing saved) if another council took the name or host meanwhile."""
        data = self.cleaned_data
        users = get_user_model().objects
        try:
            with transaction.atomic():
                council = Council.objects.create(
                    slug=data["slug"], name=data["name"], host=data["host"]
                )
                user = users.filter(username=data["administrator"]).first()
                new_account = user is None
                if user is None:
                    user = users.create_user(
                        username=data["administrator"], email=data["email"], password=password
                    )
                user.is_staff = True  # administrators are staff (the admin needs it)
                user.save(update_fields=["is_staff"])
                with council_scope(council):
                    roles.grant(user, roles.ADMINISTRATOR)
        except IntegrityError as error:
            raise forms.ValidationError(
                "Another council took this short name or host name meanwhile: nothing was "
                "saved. Check the council list and try again."
            ) from error
        return NewCouncil(council=council, administrator=user, new_account=new_account)
