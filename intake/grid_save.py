"""Saving the monthly entry grid: all or nothing, with no lost update.

The save locks the indicators it writes (the import takes the same locks, in the same order),
then compares each row's fingerprint from when the page was opened with the database:

- a figure already as the editor typed it is left alone, so a double submit, or two editors
  typing the same correction, is no conflict;
- a figure someone else changed meanwhile is a conflict: nothing is written, both values are
  shown, and the editor's typing is kept with the page now knowing the other value, so saving
  again (having seen it) replaces it.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.http import QueryDict

from indicators import rules
from indicators.figures import fingerprint
from indicators.models import Commentary, Indicator, Priority, PublishedMonth, Value
from indicators.periods import Month
from intake.grid import Change, EntryGroups, MonthEntryForm, entry_groups, figure_text


@dataclass
class Conflict:
    indicator: Indicator
    what: str  # "figure" or "commentary"
    yours: str
    theirs: str

    @property
    def field(self) -> str:
        prefix = "value" if self.what == "figure" else "commentary"
        return f"{prefix}_{self.indicator.id}"

    @property
    def message(self) -> str:
        return (
            f"ID {self.indicator.reference}: the {self.what} was changed by someone else "
            f"after you opened this page. It is now “{self.theirs or 'blank'}”; you entered "
            f"“{self.yours or 'blank'}”. Nothing was saved. Your entry is kept below: save "
            "again to replace theirs, or change it."
        )


class ConflictError(Exception):
    def __init__(self, conflicts: list[Conflict]) -> None:
        super().__init__("; ".join(c.message for c in conflicts))
        self.conflicts = conflicts


class PublishedMeanwhile(Exception):
    """The month was published after the page was opened: the changes are revisions now."""


@dataclass
class SaveResult:
    saved: int  # changes written
    already: int  # changes that were already in the database (a double submit)


@transaction.atomic
def save_changes(
    month: Month, changes: Sequence[Change], user: User, *, published: bool = False
) -> SaveResult:
    """Save every change or none: figures and commentary, each change in the history; in a
    published month a changed figure is marked revised with its reason."""
    ids = [change.entry.indicator.id for change in changes]
    Indicator.objects.lock_for_writing(ids)
    figures_changed = any(change.figure_changed for change in changes)
    if not published and figures_changed and _is_published(month):
        raise PublishedMeanwhile(
            f"{month.long_label} was published after you opened this page, so these "
            "changes are revisions: give a reason for each and save again."
        )
    values = {
        value.indicator_id: value
        for value in Value.objects.select_for_update().filter(
            indicator_id__in=ids, period=month.first_day
        )
    }
    comments = {
        comment.indicator_id: comment
        for comment in Commentary.objects.select_for_update().filter(
            indicator_id__in=ids, period=month.first_day
        )
    }
    figures, texts, conflicts = _compare(changes, values, comments)
    if conflicts:
        raise ConflictError(conflicts)
    for change in figures:
        _write_figure(change, values.get(change.entry.indicator.id), month, user, published)
    for change in texts:
        _write_commentary(change, comments.get(change.entry.indicator.id), month, user)
    written = len({change.entry.indicator.id for change in figures + texts})
    return SaveResult(written, len(changes) - written)


def _is_published(month):
    return PublishedMonth.objects.filter(period=month.first_day).exists()


def _compare(changes, values, comments):
    """(figure changes to write, commentary changes to write, conflicts)."""
    figures, texts, conflicts = [], [], []
    for change in changes:
        indicator = change.entry.indicator
        if change.figure_changed:
            stored = fingerprint(values.get(indicator.id))
            if stored == fingerprint(change.figure):
                pass  # already saved: a double submit, or the same correction twice
            elif stored != change.seen:
                conflicts.append(
                    Conflict(
                        indicator,
                        "figure",
                        yours=_display(change.figure, indicator),
                        theirs=figure_text(values.get(indicator.id), indicator),
                    )
                )
            else:
                figures.append(change)
        if change.commentary_changed:
            comment = comments.get(indicator.id)
            stored_text = comment.text.strip() if comment else ""
            if stored_text == change.commentary:
                pass
            elif stored_text != change.seen_commentary:
                conflicts.append(Conflict(indicator, "commentary", change.commentary, stored_text))
            else:
                texts.append(change)
    return figures, texts, conflicts


def _write_figure(change, stored, month, user, published):
    if change.figure is None:
        if stored is not None:
            stored._change_reason = "Cleared in the monthly entry grid"
            stored.delete()
        return
    value = stored or Value(indicator=change.entry.indicator, period=month.first_day)
    value.set_figure(
        change.figure,
        user,
        "Monthly entry grid",
        acknowledged=change.warnings,
        revision=change.reason if published else None,
    )
    value.full_clean()
    value.save()


def _write_commentary(change, stored, month, user):
    if not change.commentary:
        if stored is not None:
            stored.delete()
        return
    comment = stored or Commentary(indicator=change.entry.indicator, period=month.first_day)
    comment.text = change.commentary
    comment.author = user
    comment.save()


def _display(figure, indicator):
    if figure is None:
        return ""
    return rules.format_value(figure.value, indicator.unit, indicator.decimal_places, figure.status)


def form_after_conflict(
    form: MonthEntryForm,
    conflicts: Sequence[Conflict],
    *,
    priority: Priority | None = None,
    within: frozenset[int] | None = None,
) -> tuple[EntryGroups, MonthEntryForm]:
    """The grid again after a conflict: the rows the editor changed keep what they typed,
    with the page now knowing the stored figures (so a second save, made having seen them,
    goes through); the other rows show what is stored now. Each conflict is on its row."""
    groups = entry_groups(form.month, priority, within)
    entries = [entry for _, group in groups for entry in group]
    changed = {change.entry.key for change in form.changes()}
    assert isinstance(form.data, QueryDict)  # the form was bound to the page's POST
    data = form.data.copy()
    for entry in entries:
        initial = entry.initial()
        if entry.key in changed:
            initial = {name: initial[name] for name in initial if name.startswith("seen")}
        for name, value in initial.items():
            data[name] = value
    fresh = MonthEntryForm(data, entries=entries, month=form.month, published=form.published)
    fresh.is_valid()
    for conflict in conflicts:
        fresh.add_error(conflict.field, conflict.message)
    return groups, fresh
