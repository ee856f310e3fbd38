"""Monthly data entry: the grid's form and the save that is all-or-nothing.

Each row carries a fingerprint of the figure and commentary as they were when the form was
opened. A save compares it with the database under a row lock: a figure someone else changed
meanwhile is refused (with both values shown) and nothing is written.
"""

from dataclasses import dataclass

from django import forms
from django.db import transaction

from . import rules
from .figures import fingerprint
from .imports.cells import FigureError, parse_figure_parts
from .judgement import Row, judge
from .models import Commentary, PriorityIndicator, Target, Value

STATUS_CHOICES = [
    (Value.Status.ACTUAL, "Actual"),
    (Value.Status.PROVISIONAL, "Provisional"),
    (Value.Status.NOT_AVAILABLE, "Not available"),
]


def figure_text(value, indicator):
    """The figure as an editor types it: ``7.4`` or ``Not available``."""
    if value is None:
        return ""
    if value.status == Value.Status.NOT_AVAILABLE:
        return "Not available"
    return rules.format_number(value.value, indicator.decimal_places).replace(",", "")


class MonthEntryForm(forms.Form):
    """One row of fields per indicator: value, numerator, denominator, status, commentary,
    and the hidden fingerprints of what was there when the form was opened."""

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = entries
        for entry in entries:
            key = entry.key
            label = f"ID {entry.indicator.reference}"
            self.fields[f"value_{key}"] = forms.CharField(
                label=f"{label} value", required=False, max_length=60
            )
            self.fields[f"numerator_{key}"] = forms.CharField(
                label=f"{label} numerator", required=False, max_length=20
            )
            self.fields[f"denominator_{key}"] = forms.CharField(
                label=f"{label} denominator", required=False, max_length=20
            )
            self.fields[f"status_{key}"] = forms.ChoiceField(
                label=f"{label} status", choices=STATUS_CHOICES, required=False
            )
            self.fields[f"commentary_{key}"] = forms.CharField(
                label=f"{label} commentary", required=False, widget=forms.Textarea
            )
            self.fields[f"seen_{key}"] = forms.CharField(required=False, widget=forms.HiddenInput)
            self.fields[f"seen_commentary_{key}"] = forms.CharField(
                required=False, widget=forms.HiddenInput, strip=False
            )
            if not self.is_bound:
                self.initial.update(entry.initial())

    def clean(self):
        cleaned = super().clean()
        self.figures = {}
        for entry in self.entries:
            key = entry.key
            indicator = entry.indicator
            try:
                figure = parse_figure_parts(
                    cleaned.get(f"value_{key}", ""),
                    cleaned.get(f"numerator_{key}", ""),
                    cleaned.get(f"denominator_{key}", ""),
                    indicator.unit,
                    decimal_places=indicator.decimal_places,
                    status=cleaned.get(f"status_{key}") or Value.Status.ACTUAL,
                )
            except FigureError as error:
                field = error.field if error.field in ("numerator", "denominator") else "value"
                self.add_error(
                    f"{field}_{key}",
                    f"ID {indicator.reference} ({indicator.description}): {error.reason}",
                )
                continue
            self.figures[indicator.id] = figure
        return cleaned

    def changes(self):
        """(entry, figure or None, commentary text) for every row the editor changed."""
        result = []
        for entry in self.entries:
            key = entry.key
            figure = self.figures.get(entry.indicator.id)
            commentary = self.cleaned_data.get(f"commentary_{key}", "").strip()
            figure_changed = fingerprint(figure) != self.cleaned_data.get(f"seen_{key}", "")
            commentary_changed = (
                commentary != self.cleaned_data.get(f"seen_commentary_{key}", "").strip()
            )
            if figure_changed or commentary_changed:
                result.append(
                    Change(
                        entry=entry,
                        figure=figure,
                        figure_changed=figure_changed,
                        commentary=commentary,
                        commentary_changed=commentary_changed,
                        seen=self.cleaned_data.get(f"seen_{key}", ""),
                        seen_commentary=self.cleaned_data.get(f"seen_commentary_{key}", "").strip(),
                    )
                )
        return result


def _plain(number):
    return "" if number is None else format(number.normalize(), "f")


def entry_groups(month):
    """(priority, [Entry]) for the grid: every active indicator once (ID 69 sits under two
    priorities), judged for the month as the scorecard judges it, drafts included.

    Queries: the headline measures, the month's and the previous month's figures, the
    targets, the month's commentary.
    """
    links = list(PriorityIndicator.objects.for_scorecard())
    figures = Value.objects.for_scorecard().between(month.previous(), month).figures_by_indicator()
    spans = Target.objects.for_scorecard().spans_by_indicator()
    commentary = dict(
        Commentary.objects.for_scorecard().in_month(month).values_list("indicator_id", "text")
    )
    seen, groups = set(), {}
    for link in links:
        indicator = link.indicator
        entries = groups.setdefault(link.priority_id, (link.priority, []))[1]
        if indicator.id in seen:
            continue
        seen.add(indicator.id)
        indicator_spans = spans.get(indicator.id, [])
        row = Row(
            priority_number=link.priority.number,
            indicator=indicator,
            figures=figures.get(indicator.id, {}),
            shown_months=[month.previous(), month],
            month=month,
            target=rules.target_for(month, indicator_spans),
            target_spans=indicator_spans,
            commentary=commentary.get(indicator.id, ""),
        )
        judge(row)
        entries.append(Entry(row, row.figure(month), row.commentary))
    return list(groups.values())


@dataclass
class Entry:
    """One indicator's row in the grid (the judged row gives previous month and target)."""

    row: Row
    value: object  # the month's figures.Figure, or None
    commentary: str

    @property
    def indicator(self):
        return self.row.indicator

    @property
    def key(self):
        return str(self.row.indicator.id)

    @property
    def previous_display(self):
        return self.row.display(self.row.month.previous())

    def initial(self):
        return {
            f"value_{self.key}": figure_text(self.value, self.indicator),
            f"numerator_{self.key}": _plain(self.value.numerator) if self.value else "",
            f"denominator_{self.key}": _plain(self.value.denominator) if self.value else "",
            f"status_{self.key}": self.value.status if self.value else Value.Status.ACTUAL,
            f"commentary_{self.key}": self.commentary,
            f"seen_{self.key}": fingerprint(self.value),
            f"seen_commentary_{self.key}": self.commentary,
        }


@dataclass
class Change:
    entry: Entry
    figure: object  # figures.Figure or None (cleared)
    figure_changed: bool
    commentary: str
    commentary_changed: bool
    seen: str
    seen_commentary: str


@dataclass
class Conflict:
    indicator: object
    what: str  # "figure" or "commentary"
    yours: str
    theirs: str

    @property
    def message(self):
        return (
            f"ID {self.indicator.reference}: the {self.what} was changed by someone else "
            f"after you opened this page. It is now “{self.theirs or 'blank'}”; you entered "
            f"“{self.yours or 'blank'}”. Nothing was saved: check it and save again."
        )


class ConflictError(Exception):
    def __init__(self, conflicts):
        super().__init__("; ".join(c.message for c in conflicts))
        self.conflicts = conflicts


@transaction.atomic
def save_changes(month, changes, user):
    """Save every change or none: figures and commentary, each change recorded in history."""
    indicator_ids = [change.entry.indicator.id for change in changes]
    current = {
        value.indicator_id: value
        for value in Value.objects.select_for_update().filter(
            indicator_id__in=indicator_ids, period=month.first_day
        )
    }
    comments = {
        comment.indicator_id: comment
        for comment in Commentary.objects.select_for_update().filter(
            indicator_id__in=indicator_ids, period=month.first_day
        )
    }
    conflicts = []
    for change in changes:
        indicator = change.entry.indicator
        stored = current.get(indicator.id)
        if change.figure_changed and fingerprint(stored) != change.seen:
            conflicts.append(
                Conflict(
                    indicator,
                    "figure",
                    yours=_display(change.figure, indicator),
                    theirs=figure_text(stored, indicator),
                )
            )
        stored_comment = comments.get(indicator.id)
        stored_text = stored_comment.text.strip() if stored_comment else ""
        if change.commentary_changed and stored_text != change.seen_commentary:
            conflicts.append(Conflict(indicator, "commentary", change.commentary, stored_text))
    if conflicts:
        raise ConflictError(conflicts)

    for change in changes:
        indicator = change.entry.indicator
        if change.figure_changed:
            stored = current.get(indicator.id)
            if change.figure is None:
                if stored is not None:
                    stored._change_reason = "Cleared in the monthly entry grid"
                    stored.delete()
            else:
                value = stored or Value(indicator=indicator, period=month.first_day)
                value.set_figure(change.figure, user, "Monthly entry grid")
                value.full_clean()
                value.save()
        if change.commentary_changed:
            stored_comment = comments.get(indicator.id)
            if not change.commentary:
                if stored_comment is not None:
                    stored_comment.delete()
            else:
                comment = stored_comment or Commentary(indicator=indicator, period=month.first_day)
                comment.text = change.commentary
                comment.author = user
                comment.save()
    return len(changes)


def _display(figure, indicator):
    if figure is None:
        return ""
    return rules.format_value(figure.value, indicator.unit, indicator.decimal_places, figure.status)
