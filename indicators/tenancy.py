"""Which council a query is for (issue 23; decision 0014).

Every council-owned row carries the council, directly (priorities, indicators, published
months, uploads, meetings, questions, tokens, emails...) or through its parent (a figure
through its indicator). Their default managers are django-scopes' scoped managers: inside
``council_scope`` they filter by the council, and outside any scope they refuse to run
(``ScopeError``) rather than return every council's rows. A request's scope is set by the
middleware from the address (``scorecard.tenancy``); a command's by ``--council``; a task's by
the council it was queued for. ``every_council`` is for the platform's own work (delivering
every council's emails, migrations of the embedded database) and for tests.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

from django.apps import apps
from django import forms
from django.db import models
from django_scopes import ScopedManager, get_scope, scope, scopes_disabled

if TYPE_CHECKING:
    from indicators.models import Council


class NoCouncil(LookupError):
    """Several councils share the database and nothing said which one is meant."""


def scoped[M: models.Manager[Any]](manager: type[M], path: str) -> M:
    """A default manager filtering by the active council along ``path`` ("council",
    "indicator__council"), refusing every query when no council is active."""
    return cast(M, ScopedManager(_manager_class=manager, council=path))


def council_key() -> "models.ForeignKey[Any, Any]":
    """The council a row belongs to: filled in from the active council when not given."""
    return models.ForeignKey(
        "indicators.Council",
        on_delete=models.PROTECT,
        default=default_council_id,
        editable=False,
        related_name="+",
    )


@contextmanager
def council_scope(council: "Council") -> Iterator[None]:
    """Every scoped query inside is of ``council`` only."""
    with scope(council=council.pk, council_row=council):
        yield


@contextmanager
def every_council() -> Iterator[None]:
    """Scoped managers return every council's rows: for the platform's own work only."""
    with scopes_disabled():
        yield


def active_council() -> "Council | None":
    """The council of the scope in force, if one is."""
    row = get_scope().get("council_row")
    return cast("Council | None", row)


def default_council_id() -> int:
    """The council a new row belongs to: the active one; else, with one council in the
    database (the embedded, single-council case), that one, made on first need."""
    council = active_council()
    if council is not None:
        return int(council.pk)
    model = apps.get_model("indicators", "Council")
    ids = list(model.objects.order_by("pk").values_list("pk", flat=True)[:2])
    if len(ids) > 1:
        raise NoCouncil("Several councils share this database: say which one (--council).")
    if ids:
        return int(ids[0])
    return int(model.objects.create().pk)


def is_scoped(model: type[models.Model]) -> bool:
    """Whether ``model``'s rows belong to councils (its default manager is scoped)."""
    return hasattr(model._default_manager, "with_scopes_disabled")


def _formfield(db_field: "models.Field[Any, Any]", **kwargs: Any) -> Any:
    # A class-level choice field would read its choices when the module is imported, outside
    # any council: it starts empty and CouncilChoices fills it when the form is made.
    related = db_field.related_model
    if isinstance(related, type) and is_scoped(related):
        kwargs["queryset"] = related._base_manager.none()
    return db_field.formfield(**kwargs)


class _CouncilChoicesMetaclass(forms.models.ModelFormMetaclass):
    # Django reads formfield_callback from the form's own Meta only: each subclass gets it.
    def __new__(mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> Any:
        meta = attrs.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = staticmethod(_formfield)
        return super().__new__(mcs, name, bases, attrs)


class CouncilChoices(forms.ModelForm, metaclass=_CouncilChoicesMetaclass):  # type: ignore[type-arg]
    """A model form whose choices of council-owned rows (indicators, priorities, meetings)
    are those of the council active when the form is made."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and is_scoped(field.queryset.model):
                field.queryset = field.queryset.model._default_manager.all()
                forms.models.apply_limit_choices_to_to_formfield(field)
