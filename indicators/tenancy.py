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

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.apps import apps
from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    OutputWrapper,
)
from django.db import models
from django_scopes import get_scope, scope, scopes_disabled
from django_scopes.manager import DisabledQuerySet

if TYPE_CHECKING:
    from indicators.models import Council


class NoCouncil(LookupError):
    """Several councils share the database and nothing said which one is meant."""


class CouncilManager[T: models.Model](models.Manager[T]):
    """A default manager filtering by the active council along the model's
    ``council_path`` ("indicator__council"; "council" when it has none): django-scopes'
    scoped manager as a named class, read from the model so that Django's related managers,
    made from this class, filter too. Outside any council it gives django-scopes' refusing
    queryset; inside ``every_council``, every row."""

    def get_queryset(self) -> "models.QuerySet[T]":
        current = get_scope()
        if not current.get("_enabled", True):
            return super().get_queryset()
        if "council" not in current:
            return DisabledQuerySet(self.model, using=self._db, missing_scopes=["council"])
        if current["council"] is None:  # a first run: no council saved, so no rows either
            return super().get_queryset()
        path = getattr(self.model, "council_path", "council")
        return super().get_queryset().filter(**{path: current["council"]})

    def every_council(self) -> "models.QuerySet[T]":
        """Every council's rows: for the platform's own work only."""
        return super().get_queryset()


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
    if council is not None and council.pk is not None:
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
    return isinstance(model._default_manager, CouncilManager)


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


class CouncilChoices(forms.ModelForm, metaclass=_CouncilChoicesMetaclass):
    """A model form whose choices of council-owned rows (indicators, priorities, meetings)
    are those of the council active when the form is made."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if isinstance(field, forms.ModelChoiceField) and queryset is not None:
                if is_scoped(queryset.model):
                    field.queryset = queryset.model._default_manager.all()
                forms.models.apply_limit_choices_to_to_formfield(field)


def council_for_host(host: str) -> "Council | None":
    """The council served at ``host`` (one query): the one whose host it is; else, with one
    council in the database, that one (a single-council deployment answers at any address);
    else, with none yet, an unsaved one (a first run, before set-up); else none. It carries
    ``in_consortium``: whether it is a member of any consortium."""
    model = apps.get_model("indicators", "Council")
    its_own = models.Case(models.When(host=host, then=models.Value(0)), default=models.Value(1))
    # Whether it is in a consortium, read in the same query: the menu's Consortia link.
    members = apps.get_model("indicators", "ConsortiumMember").objects
    in_consortium = models.Exists(members.filter(council=models.OuterRef("pk")))
    councils = model.objects.select_related("neighbour_list").annotate(in_consortium=in_consortium)
    found = list(councils.order_by(its_own, "pk")[:2])
    if not found:
        return model()
    if found[0].host == host or len(found) == 1:
        return found[0]
    return None


def council_named(slug: str | None) -> "Council":
    """The council a command acts on: the one ``slug`` names; with no slug, the only one
    (or, before any is saved, an unsaved one). Several and no slug: NoCouncil, naming them."""
    model = apps.get_model("indicators", "Council")
    if slug:
        found = model.objects.select_related("neighbour_list").filter(slug=slug).first()
        if found is None:
            raise NoCouncil(f"No council is called {slug!r}: {_slugs(model)}.")
        return found
    councils = list(model.objects.select_related("neighbour_list").order_by("pk")[:2])
    if len(councils) > 1:
        raise NoCouncil(f"Several councils share this database: give --council ({_slugs(model)}).")
    return councils[0] if councils else model()


def _slugs(model: type[models.Model]) -> str:
    slugs = list(model._default_manager.order_by("slug").values_list("slug", flat=True))
    return "the councils are " + ", ".join(slugs) if slugs else "there are no councils yet"


class CouncilCommand(BaseCommand):
    """A management command acting on one council: ``--council SLUG`` (optional while there
    is only one); everything it does is scoped to that council. A command that a platform's
    cron runs for each council (reminders) sets ``for_every_council`` and takes
    ``--every-council``: it runs once per council, each in its own scope."""

    for_every_council = False

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument(
            "--council",
            metavar="SLUG",
            help="The council to act on (its short name); needed once there are several.",
        )
        if self.for_every_council:
            parser.add_argument(
                "--every-council", action="store_true", help="Run once for each council."
            )
        return parser

    def execute(self, *args: Any, **options: Any) -> str | None:
        if options.get("every_council"):
            model = apps.get_model("indicators", "Council")
            out = OutputWrapper(options.get("stdout") or sys.stdout)
            for council in model.objects.select_related("neighbour_list").order_by("slug"):
                out.write(f"Council {council.slug}:")
                with council_scope(council):
                    super().execute(*args, **options)
            return None
        try:
            council = council_named(options.get("council"))
        except NoCouncil as error:
            raise CommandError(str(error)) from error
        with council_scope(council):
            return super().execute(*args, **options)


@contextmanager
def council_by_id(council_id: int | None) -> Iterator[None]:
    """The scope of council ``council_id`` (a task carries the id of the council it was
    queued in; None: the deployment's only council, as a command without --council)."""
    model = apps.get_model("indicators", "Council")
    active = active_council()
    if active is not None and active.pk is not None and active.pk == council_id:
        council = active  # run where it was queued (the immediate backend): no query
    elif council_id is None:
        council = council_named(None)
    else:
        council = model.objects.select_related("neighbour_list").get(pk=council_id)
    with council_scope(council):
        yield


def active_council_id() -> int | None:
    """The id of the council in force (None outside any, or before one is saved): what a
    task is queued with."""
    council = active_council()
    return None if council is None or council.pk is None else int(council.pk)
