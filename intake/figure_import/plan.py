"""The last stage of an import: compare a read upload with what is stored (the plan, which the
preview shows), then write it in one transaction (the confirm).

``reader.read_upload`` does the parsing and row-level validation without the database; this
module plans and applies. A plan is made once per upload and kept (``stored``): applying it
locks the indicators it writes (the entry grid takes the same locks) and compares every
figure and comment with the value it had when the plan was made, refusing the whole import,
and naming the rows, if any changed since (a compare-and-set on the old value).

Each figure is also checked for plausibility against its indicator's recent figures (those
stored, overlaid by the file's own earlier months): a figure with a warning is written only if
the editor acknowledged it. A figure of a published month is a revision and needs a reason.
"""

import datetime as dt
import hashlib
from collections.abc import Collection
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from indicators import plausibility, rules
from indicators.changes import data_changed
from indicators.figures import Figure, FigureLike, fingerprint
from indicators.models import Commentary, ImportBatch, Indicator, PublishedMonth, Value
from indicators.periods import Month
from indicators.scope import scope_of
from intake.figure_import import kept_plan
from intake.figure_import.layouts import ImportProblem
from intake.figure_import.reader import IndicatorSpec, read_upload
from intake.kept_uploads import ADD, CHANGE, ConfirmRefused, PlannedRows, Uploader, UploadKind

VALUE_FIELDS = [
    "value",
    "numerator",
    "denominator",
    "status",
    "entered_by",
    "synthetic",
    "acknowledged_warnings",
    "revised_at",
    "revision_reason",
    "previous_value",
    "previous_numerator",
    "previous_status",
]


@dataclass
class PlannedChange:
    action: str  # ADD or CHANGE
    row: int
    column: str
    indicator: Indicator
    month: Month
    figure: Figure
    old: Figure | None  # the stored figure when planned
    warnings: list[plausibility.PlausibilityWarning] = field(default_factory=list)
    revision: bool = False  # the month is published: writing it revises what viewers see

    @property
    def key(self) -> str:
        """The figure's name in the preview's acknowledgement boxes."""
        return f"{self.indicator.reference}|{self.month.iso}"

    @property
    def where(self) -> str:
        return f"row {self.row} (ID {self.indicator.reference}, {self.month.label})"

    def _display(self, figure: FigureLike | None) -> str:
        if figure is None:
            return ""
        indicator = self.indicator
        return rules.format_value(
            figure.value, indicator.unit, indicator.decimal_places, figure.status
        )

    @property
    def old_display(self) -> str:
        return self._display(self.old)

    @property
    def new_display(self) -> str:
        return self._display(self.figure)


@dataclass
class PlannedCommentary:
    row: int
    indicator: Indicator
    month: Month
    text: str
    old: str | None  # the stored text when planned, or None


@dataclass
class ImportPlan(PlannedRows[PlannedChange]):
    layout: str
    changes: list[PlannedChange] = field(default_factory=list)
    commentary: list[PlannedCommentary] = field(default_factory=list)
    unchanged: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def planned_rows(self) -> list[PlannedChange]:
        return self.changes

    @property
    def warned(self) -> list[PlannedChange]:
        return [c for c in self.changes if c.warnings]

    @property
    def revisions(self) -> list[PlannedChange]:
        return [c for c in self.changes if c.revision]

    @property
    def published_months(self) -> list[Month]:
        """The published months the file has figures for, oldest first."""
        return sorted({c.month for c in self.revisions})

    @property
    def draft_months(self) -> list[Month]:
        return sorted({c.month for c in self.changes if not c.revision})

    @property
    def has_work(self) -> bool:
        return bool(self.changes or self.commentary)

    def digest(self) -> str:
        """A fingerprint of exactly what confirming would write, and over what."""
        parts = sorted(
            f"{c.indicator.reference}|{c.month.iso}|{fingerprint(c.old)}|{fingerprint(c.figure)}"
            for c in self.changes
        ) + sorted(
            f"{c.indicator.reference}|{c.month.iso}|{c.old or ''}|{c.text}" for c in self.commentary
        )
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def plan_import(data: bytes, filename: str, *, today: dt.date | None = None) -> ImportPlan:
    """Parse ``data`` and compare every figure with the database. Queries: the indicators,
    the published months, the stored figures of the file's months and the year before them,
    the stored commentary."""
    today = today or timezone.localdate()
    indicators = {indicator.reference: indicator for indicator in Indicator.objects.all()}
    specs = {
        ref: IndicatorSpec(ref, ind.unit, ind.decimal_places, ind.active)
        for ref, ind in indicators.items()
    }
    parsed = read_upload(data, filename, specs, today=today)
    plan = ImportPlan(parsed.layout, problems=parsed.problems, notices=list(parsed.notices))
    if not parsed.figures:
        return plan
    published = {
        Month.from_date(p) for p in PublishedMonth.objects.values_list("period", flat=True)
    }
    months = [figure.month for figure in parsed.figures]
    ids = {indicators[figure.reference].id for figure in parsed.figures}
    first, last = min(months), max(months)
    history = (
        Value.objects.filter(indicator_id__in=ids)
        .between(first.plus(-plausibility.RECENT_MONTHS), last)
        .figures_by_indicator()
    )
    comments = {
        (comment.indicator_id, Month.from_date(comment.period)): comment.text
        for comment in Commentary.objects.filter(indicator_id__in=ids).between(first, last)
    }
    # The plausibility checks see the file's own earlier months as the history they will be.
    planned_figures = {indicator_id: dict(figures) for indicator_id, figures in history.items()}
    for item in parsed.figures:
        if item.figure is not None:
            planned_figures.setdefault(indicators[item.reference].id, {})[item.month] = item.figure
    planned = {indicator_id: plausibility.History(f) for indicator_id, f in planned_figures.items()}
    for item in parsed.figures:
        _plan_item(plan, item, indicators[item.reference], history, planned, comments, published)
    return plan


def _plan_item(plan, item, indicator, history, planned, comments, published):
    old = history.get(indicator.id, {}).get(item.month)
    if item.figure is not None:
        if old is not None and fingerprint(old) == fingerprint(item.figure) and not old.synthetic:
            plan.unchanged += 1
        else:
            warnings = plausibility.check(
                item.figure,
                indicator.unit,
                planned[indicator.id].before(item.month),
                decimal_places=indicator.decimal_places,
            )
            plan.changes.append(
                PlannedChange(
                    CHANGE if old is not None else ADD,
                    item.row,
                    item.column,
                    indicator,
                    item.month,
                    item.figure,
                    old,
                    warnings,
                    item.month in published,
                )
            )
    if item.commentary:
        old_text = comments.get((indicator.id, item.month))
        if old_text is None or old_text.strip() != item.commentary.strip():
            plan.commentary.append(
                PlannedCommentary(item.row, indicator, item.month, item.commentary, old_text)
            )


class ImportRefused(ConfirmRefused):
    pass


@dataclass
class ApplyResult:
    added: int
    changed: int
    comments: int
    left_out: list[PlannedChange]  # with warnings nobody acknowledged
    revised: list[PlannedChange]  # written to published months

    def message(self, filename: str, unchanged: int) -> str:
        """What went live and what stays draft, in words."""
        parts = [
            f"Imported {filename}: {self.added} figures added, {self.changed} changed, "
            f"{unchanged} unchanged, {self.comments} comments."
        ]
        if self.revised:
            months = ", ".join(m.label for m in sorted({c.month for c in self.revised}))
            parts.append(
                f"{len(self.revised)} figure{'s' if len(self.revised) != 1 else ''} in "
                f"published months ({months}) "
                f"{'are' if len(self.revised) != 1 else 'is'} live now, marked as revised."
            )
        written = self.added + self.changed - len(self.revised)
        if written:
            parts.append("Figures for months not yet published stay draft until published.")
        if self.left_out:
            where = "; ".join(c.where for c in self.left_out)
            parts.append(
                f"Left out, with warnings you did not acknowledge: {where}. Correct them in "
                "the file or the entry grid."
            )
        return " ".join(parts)


@transaction.atomic
def apply_plan(
    plan: ImportPlan,
    user: Uploader,
    *,
    acknowledged: Collection[str] = (),
    revision_reason: str = "",
    accept_warnings: bool = False,
) -> ApplyResult:
    """Write the plan or nothing, each write recorded in the history. A figure with warnings
    is written only when its key is in ``acknowledged`` (or ``accept_warnings``); revisions
    need ``revision_reason``. Refused, naming the rows, if any figure or comment changed since
    the plan was made."""
    data_changed()  # the bulk writes below send no signals
    writes, left_out, commentary = _chosen(plan, set(acknowledged), accept_warnings)
    revision_reason = (revision_reason or "").strip()
    if not revision_reason:
        _refuse_revisions(plan, writes)
    ids = {c.indicator.id for c in writes} | {c.indicator.id for c in commentary}
    Indicator.objects.lock_for_writing(ids)
    values, comments = _current(writes, commentary)
    _refuse_what_changed(writes, commentary, values, comments)
    added, changed = _write_values(writes, values, user, revision_reason)
    for item in commentary:
        comment = comments.get((item.indicator.id, item.month)) or Commentary(
            indicator=item.indicator, period=item.month.first_day
        )
        comment.text = item.text
        comment.author = user
        comment.save()
    revised = [c for c in writes if c.revision]
    return ApplyResult(added, changed, len(commentary), left_out, revised)


def _chosen(plan, acknowledged, accept_warnings):
    """(figures to write, figures left out for their warnings, comments to write): a comment
    goes with its figure, so it is left out when the figure is."""
    writes, left_out = [], []
    for change in plan.changes:
        kept = accept_warnings or not change.warnings or change.key in acknowledged
        (writes if kept else left_out).append(change)
    held_back = {(c.indicator.id, c.month) for c in left_out}
    commentary = [c for c in plan.commentary if (c.indicator.id, c.month) not in held_back]
    return writes, left_out, commentary


def _refuse_revisions(plan, writes):
    if not any(change.revision for change in writes):
        return
    months = plan.published_months
    raise ImportRefused(
        f"Nothing was imported: {', '.join(m.label for m in months)} "
        f"{'is' if len(months) == 1 else 'are'} published, so changing their figures is a "
        "revision. Give the reason for the revision (councillors see it beside each revised "
        "figure)."
    )


def _current(changes, commentary):
    """The stored figures and comments of the plan's months, locked for the transaction."""
    keys = {(c.indicator.id, c.month) for c in changes}
    comment_keys = {(c.indicator.id, c.month) for c in commentary}
    months = [month for _, month in keys | comment_keys]
    if not months:
        return {}, {}
    span = {"period__gte": min(months).first_day, "period__lte": max(months).first_day}
    ids = {indicator_id for indicator_id, _ in keys}
    values = {
        (value.indicator_id, Month.from_date(value.period)): value
        for value in Value.objects.select_for_update().filter(indicator_id__in=ids, **span)
        if (value.indicator_id, Month.from_date(value.period)) in keys
    }
    comment_ids = {indicator_id for indicator_id, _ in comment_keys}
    comments = {
        (comment.indicator_id, Month.from_date(comment.period)): comment
        for comment in Commentary.objects.select_for_update().filter(
            indicator_id__in=comment_ids, **span
        )
        if (comment.indicator_id, Month.from_date(comment.period)) in comment_keys
    }
    return values, comments


def _refuse_what_changed(changes, commentary, values, comments):
    refused = []
    for change in changes:
        now = values.get((change.indicator.id, change.month))
        if fingerprint(now) != fingerprint(change.old):
            shown = change._display(now) if now is not None else "no figure"
            refused.append(
                f"{change.where} is now {shown}; it was {change.old_display or 'no figure'}"
            )
    for item in commentary:
        now = comments.get((item.indicator.id, item.month))
        if (now.text if now else None) != item.old:
            refused.append(f"row {item.row} (ID {item.indicator.reference} commentary)")
    if refused:
        raise ImportRefused(
            "Figures changed since you previewed this file, so nothing was imported: "
            + "; ".join(refused[:20])
            + (f"; and {len(refused) - 20} more" if len(refused) > 20 else "")
            + ". Check the file again to see a new preview, then confirm."
        )


def _write_values(changes, values, user, revision_reason):
    new_values, updated_values = [], []
    for change in changes:
        stored_value = values.get((change.indicator.id, change.month))
        value = stored_value or Value(indicator=change.indicator, period=change.month.first_day)
        value.set_figure(
            change.figure,
            user,
            "Spreadsheet import",
            acknowledged=change.warnings,
            revision=revision_reason if change.revision else None,
        )
        (updated_values if stored_value else new_values).append(value)
    if new_values:
        bulk_create_with_history(new_values, Value, default_user=user, batch_size=2000)
    if updated_values:
        _update_values(updated_values)
        Value.history.bulk_history_create(updated_values, update=True, default_user=user)
    return len(new_values), len(updated_values)


def _update_values(values):
    """One parameterised UPDATE run for every row. Django's bulk_update builds a CASE
    expression per field and batch; for 10,000 rows that took 17-30 s, all of it in Python."""
    now = timezone.now()
    fields = [Value._meta.get_field(name) for name in VALUE_FIELDS]
    sets = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
    sql = f"UPDATE {Value._meta.db_table} SET {sets}, entered_at = %s WHERE id = %s"
    params = []
    for value in values:
        value.entered_at = now
        row = [f.get_db_prep_save(getattr(value, f.attname), connection) for f in fields]
        params.append([*row, now, value.pk])
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def outside_scope(plan: ImportPlan, user: Uploader) -> str:
    """What in ``plan`` the user may not change, in words ("" when nothing): an editor limited
    to some priorities imports figures and commentary of their indicators only. Checked at
    the preview and again when the file is confirmed (the limit may change in between)."""
    if user is None:  # a management command, run by whoever runs the server
        return ""
    scope = scope_of(user)
    allowed = scope.indicator_ids()
    if allowed is None:
        return ""
    items: list[PlannedChange | PlannedCommentary] = [*plan.changes, *plan.commentary]
    rows = sorted(
        {(item.row, item.indicator.reference) for item in items if item.indicator.id not in allowed}
    )
    if not rows:
        return ""
    named = ", ".join(f"row {row} (ID {reference})" for row, reference in rows[:10])
    more = f" and {len(rows) - 10} more" if len(rows) > 10 else ""
    return (
        f"You may change {scope.describe()} only, and {named}{more} "
        f"{'is' if len(rows) == 1 else 'are'} outside them: nothing was saved. Take those "
        "rows out of the file and upload it again, or ask an administrator."
    )


# A kept upload ------------------------------------------------------------------------------
@dataclass(frozen=True)
class FigureChoices:
    """What the editor chose on the preview, or the command's options."""

    accept_valid_rows: bool = False  # write the valid rows of a file with problems
    acknowledged: Collection[str] = ()  # the keys of the figures with warnings to write
    revision_reason: str = ""
    accept_warnings: bool = False  # write every figure with warnings (the command)


class FigureUploads(UploadKind[ImportBatch, ImportPlan, FigureChoices, ApplyResult]):
    """A figures file kept between its preview and its confirm (``kept_uploads``)."""

    model = ImportBatch
    refused = ImportRefused
    already_done = "This file has already been imported or cancelled."
    not_the_preview = (
        "Figures changed since you previewed this file. Check the new preview and confirm again."
    )

    kept_plan = kept_plan

    def read(self, data: bytes, filename: str) -> ImportPlan:
        return plan_import(data, filename)

    def apply(self, plan: ImportPlan, user: Uploader, choices: FigureChoices) -> ApplyResult:
        """Refused when the file has problems the editor did not choose to leave out, when it
        changes indicators outside the editor's priorities, or when figures changed since
        (``apply_plan``)."""
        if outside := outside_scope(plan, user):
            raise ImportRefused(outside)
        if plan.problems and not choices.accept_valid_rows:
            raise ImportRefused(
                "The file has problems. Fix them and upload it again, or choose to import "
                "only the valid rows."
            )
        return apply_plan(
            plan,
            user,
            acknowledged=choices.acknowledged,
            revision_reason=choices.revision_reason,
            accept_warnings=choices.accept_warnings,
        )

    def summary(self, plan: ImportPlan, result: ApplyResult) -> str:
        return (
            f"{result.added} added, {result.changed} changed, {plan.unchanged} unchanged, "
            f"{result.comments} commentary, {len(plan.problems)} rows left out"
            + (f", {len(result.left_out)} with warnings left out" if result.left_out else "")
        )


figure_uploads = FigureUploads()
preview_batch = figure_uploads.preview


def confirm_batch(
    batch: ImportBatch,
    user: Uploader,
    *,
    digest: str,
    accept_valid_rows: bool = False,
    acknowledged: Collection[str] = (),
    revision_reason: str = "",
) -> tuple[ImportPlan, ApplyResult]:
    """Apply a previewed upload's kept plan, as the editor chose on the preview."""
    choices = FigureChoices(accept_valid_rows, acknowledged, revision_reason)
    return figure_uploads.confirm(batch, user, digest=digest, choices=choices)
