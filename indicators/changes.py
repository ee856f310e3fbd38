"""The data version: a number that grows whenever anything a page shows changes, so the read
side can cache what it computed and know, in one query, when to compute it again.

Every write path moves it on: each save or delete of a model of this app (the entry grid, the
admin, publishing, the seeds) through Django's signals, and the bulk paths that send no
signals (an import's one UPDATE for every figure, ``bulk_create``, DfE's LAIT import) by
calling ``data_changed()`` themselves. Each change is a row of an insert-only log written in
the writer's own transaction; the version is a counter that the database moves on when such a
transaction commits (migration 0016), so it moves in commit order: a long writer that logged
its change first and commits last (the figures import, the LAIT import) still moves the
version past a shorter writer that committed in between. (The log's largest id would not:
PostgreSQL hands out ids at INSERT, not at COMMIT.) The counter moves inside the committing
transaction, so it becomes visible exactly when the data does (a reader never sees the new
version with the old data, nor keeps the old version once the new data shows). On PostgreSQL a
deferred trigger moves it as the writer commits: the counter's row lock is held only for the
commit itself, so writers never wait on one another while they work.

Each council has its own counter (migration 0032), so one council's month end re-works only
its own pages; what every council shows (DfE's LAIT data, consortia) moves a shared counter
that is part of every council's version.
"""

from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from indicators import tenancy

# The log keeps the newest rows only.
KEEP = 1000

# The counter the database moves on as each change commits (migration 0016): not a model, so
# no flush, fixture or snapshot writes it.
VERSION_TABLE = "indicators_dataversion"


def data_version(council_id: int | None = None) -> int:
    """The data version of ``council_id`` (its own changes and those every council shows), or,
    with None, of every council together (it moves on any change): one query either way."""
    with connection.cursor() as cursor:
        if council_id is None:
            cursor.execute(f"SELECT COALESCE(SUM(number), 0) FROM {VERSION_TABLE}")
        else:
            cursor.execute(
                f"SELECT COALESCE(SUM(number), 0) FROM {VERSION_TABLE} WHERE id IN (0, %s)",
                [council_id],
            )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def data_changed(using: str = "default", every_council: bool = False) -> None:
    """Record that the data changed, in the current transaction (if any): the new version is
    seen when, and only when, the change is. The change is the active council's unless
    ``every_council`` says that what changed is shown to every council, or no council is
    active (the platform's own work): then every council's version moves on."""
    from indicators.models import DataChange

    council_id = None if every_council else tenancy.active_council_id()
    change = DataChange.objects.using(using).create(council_id=council_id)
    if change.id % KEEP == 0:
        # Pruned after the writer commits, on its own: two writers never wait on the same rows.
        transaction.on_commit(lambda: _prune(change.id, using), using=using)


def _prune(newest: int, using: str) -> None:
    from indicators.models import DataChange

    DataChange.objects.using(using).filter(id__lte=newest - KEEP).delete()


# Written in bulk by their own import (which calls data_changed): a delete signal on them would
# make Django load every row before deleting it.
BULK_MODELS = {"DataChange", "LaitValue", "LaitComparator"}
# Kept for sending email, or for the API's tokens, never shown on a page: writing one
# changes no page (a token made, used or revoked changes no figure).
NOT_SHOWN = {"OutboxEmail", "SentReminder", "EmailPreference", "ApiToken", "ApiTokenUse"}


def _on_write(sender: type[models.Model], using: str = "default", **kwargs: Any) -> None:
    # A row of no council (a consortium, a DfE measure) is shown to every council. For a
    # many-to-many change the sender is the link table: the row whose links changed says.
    model = type(kwargs["instance"]) if "instance" in kwargs else sender
    data_changed(using, every_council=not tenancy.is_scoped(model))


def _signalled_models() -> Iterator[type[models.Model]]:
    for model in apps.get_app_config("indicators").get_models():
        is_history = any(field.name == "history_id" for field in model._meta.fields)
        if model.__name__ not in BULK_MODELS | NOT_SHOWN and not is_history:
            yield model


def connect_signals() -> None:
    """Every model of this app edited an object at a time (the grid, the admin, publishing,
    the seeds) moves the version on when saved or deleted; called from the app's ready()."""
    for model in _signalled_models():
        post_save.connect(_on_write, sender=model, dispatch_uid=f"data-version-save-{model}")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"data-version-del-{model}")
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                _on_write, sender=through, dispatch_uid=f"data-version-m2m-{through}"
            )
