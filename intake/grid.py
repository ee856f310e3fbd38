"""Monthly data entry: the grid's rows and its form (the save is ``entry_save``).

Each row carries a fingerprint of the figure and commentary as they were when the form was
opened, so the save can tell what the editor changed from what someone else changed. A figure
the editor changed is checked for plausibility (``plausibility``): a warning must be corrected
or acknowledged on its row before anything is saved; in a published month a change is a
revision and needs a reason.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings

from indicators import plausibility, rules
from indicators.figures import Figure, FigureLike, fingerprint
from indicators.judgement import MonthLoaded, Row, judge_rows
from indicators.models import (
    MAX_TEXT_LENGTH,
    Commentary,
    Indicator,
    Priority,
    PriorityIndicator,
    Target,
    Value,
)
from indicators.numbers import significant_places
from indicators.periods import Month
from indicators.plausibility import PlausibilityWarning
from intake.figure_import.cell_values import FigureError, parse_figure_parts

STATUS_CHOICES = [
    (Value.Status.ACTUAL, "Actual"),
    (Value.Status.PROVISIONAL, "Provisional"),
    (Value.Status.NOT_AVAILABLE, "Not available"),
]
FIELDS = (
    "value",
    "numerator",
    "denominator",
    "status",
    "commentary",
    "seen",
    "seen_commentary",
    "acknowledge",
    "reason",
)


def figure_text(value: FigureLike | None, indicator: Indicator) -> str:
    """The figure as an editor types it, with its unit: ``58.0%``, ``39.1r``, ``£1200``,
    ``1485`` or ``Not available`` (no thousands comma: the box holds what is typed). A figure
    stored with more decimal places than the indicator shows (``0.182`` typed in the admin)
    is shown whole: the box is saved back as it reads, so it must never round."""
    if value is None:
        return ""
    if value.status == Value.Status.NOT_AVAILABLE:
        return "Not available"
    if value.value is None:
        return ""  # a figure entered as suppressed: its status says so, beside an empty box
    places = max(indicator.decimal_places, significant_places(value.value))
    return rules.format_value(value.value, indicator.unit, places).replace(",", "")


def acknowledgement(figure: FigureLike | None, warnings: Sequence[PlausibilityWarning]) -> str:
    """What the row's "I have checked this figure" box carries: the figure and the kinds of
    warning it had, so ticking it keeps exactly that figure and no other typed later."""
    return f"{fingerprint(figure)}#{','.join(w.code for w in warnings)}"


class MonthEntryForm(forms.Form):
    """One row of fields per indicator: value, numerator, denominator, status, commentary,
    the hidden fingerprints of what was there when the form was opened, the acknowledgement
    of any warning and, in a published month, the reason for a revision."""

    def __init__(
        self,
        *args: Any,
        entries: Sequence["Entry"],
        month: Month,
        published: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.entries, self.month, self.published = entries, month, published
        self.figures: dict[int, Figure | None] = {}  # by indicator id: the figure typed
        self.warnings: dict[int, list[PlausibilityWarning]] = {}  # by indicator id
        for entry in entries:
            self._add_fields(entry)
            if not self.is_bound:
                self.initial.update(entry.initial())

    def _add_fields(self, entry):
        key, label = entry.key, f"ID {entry.indicator.reference}"
        text = forms.CharField
        self.fields[f"value_{key}"] = text(label=f"{label} value", required=False, max_length=60)
        for part in ("numerator", "denominator"):
            self.fields[f"{part}_{key}"] = text(
                label=f"{label} {part}", required=False, max_length=20
            )
        self.fields[f"status_{key}"] = forms.ChoiceField(
            label=f"{label} status", choices=STATUS_CHOICES, required=False
        )
        self.fields[f"commentary_{key}"] = text_area(f"{label} commentary")
        hidden = forms.HiddenInput
        self.fields[f"seen_{key}"] = text(required=False, widget=hidden)
        self.fields[f"seen_commentary_{key}"] = text(required=False, widget=hidden, strip=False)
        self.fields[f"acknowledge_{key}"] = text(
            label=f"{label}: I have checked this figure and it is right", required=False
        )
        self.fields[f"reason_{key}"] = text(
            label=f"{label}: reason for the revision", required=False, max_length=500
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # a form's clean returns its cleaned data
        for entry in self.entries:
            figure = self._parse(entry, cleaned)
            if figure is False:
                continue
            self.figures[entry.indicator.id] = figure
            if fingerprint(figure) != cleaned.get(f"seen_{entry.key}", ""):
                self._check_change(entry, figure, cleaned)
        return cleaned

    def _parse(self, entry, cleaned):
        """The row's figure, None for a blank one, or False after reporting an error."""
        key, indicator = entry.key, entry.indicator
        try:
            return parse_figure_parts(
                cleaned.get(f"value_{key}", ""),
                cleaned.get(f"numerator_{key}", ""),
                cleaned.get(f"denominator_{key}", ""),
                indicator.unit,
                decimal_places=indicator.decimal_places,
                status=cleaned.get(f"status_{key}") or Value.Status.ACTUAL,
            )
        except FigureError as error:
            field = error.field if error.field in ("numerator", "denominator") else "value"
            self.add_error(f"{field}_{key}", f"{_name(indicator)}: {error.reason}")
            return False

    def _check_change(self, entry, figure, cleaned):
        """Warnings and revisions: only for a figure the editor changed."""
        key, indicator = entry.key, entry.indicator
        warnings = plausibility.check(
            figure,
            indicator.unit,
            plausibility.recent_values(entry.row.figures, self.month),
            decimal_places=indicator.decimal_places,
        )
        self.warnings[indicator.id] = warnings
        if warnings and cleaned.get(f"acknowledge_{key}") != acknowledgement(figure, warnings):
            for warning in warnings:
                self.add_error(
                    f"acknowledge_{key}",
                    f"{_name(indicator)}: {warning.message} Correct it, or tick “I have "
                    "checked this figure” to keep it.",
                )
        if not self.published:
            return
        if figure is None and entry.value is not None:
            self.add_error(
                f"value_{key}",
                f"{_name(indicator)}: {self.month.long_label} is published, so its figure "
                "cannot be deleted. Mark it “Not available” and give the reason instead.",
            )
        elif not cleaned.get(f"reason_{key}", "").strip():
            self.add_error(
                f"reason_{key}",
                f"{_name(indicator)}: {self.month.long_label} is published, so this change is "
                "a revision: give the reason (councillors see it beside the figure).",
            )

    def acknowledgements(self) -> dict[int, str]:
        """{indicator id: the value for its checkbox} for the rows with warnings."""
        return {
            indicator_id: acknowledgement(self.figures.get(indicator_id), warnings)
            for indicator_id, warnings in self.warnings.items()
            if warnings
        }

    def changes(self) -> list["Change"]:
        """A ``Change`` for every row the editor changed."""
        result = []
        for entry in self.entries:
            key = entry.key
            data = self.cleaned_data
            figure = self.figures.get(entry.indicator.id)
            commentary = data.get(f"commentary_{key}", "").strip()
            seen, seen_commentary = (
                data.get(f"seen_{key}", ""),
                data.get(f"seen_commentary_{key}", "").strip(),
            )
            change = Change(
                entry=entry,
                figure=figure,
                figure_changed=fingerprint(figure) != seen,
                commentary=commentary,
                commentary_changed=commentary != seen_commentary,
                seen=seen,
                seen_commentary=seen_commentary,
                warnings=self.warnings.get(entry.indicator.id, []),
                reason=data.get(f"reason_{key}", "").strip(),
            )
            if change.figure_changed or change.commentary_changed:
                result.append(change)
        return result


#: The most fields one indicator's row posts (value, numerator, denominator, status,
#: commentary, the two fingerprints, an acknowledgement and a revision's reason), and the
#: rest of the form (the CSRF token, the buttons).
FIELDS_PER_ROW = 9
FIELDS_BESIDE_ROWS = 20


def fits_one_form(rows: int) -> bool:
    """Whether a grid of ``rows`` indicators can be posted as one form."""
    return rows * FIELDS_PER_ROW + FIELDS_BESIDE_ROWS <= settings.DATA_UPLOAD_MAX_NUMBER_FIELDS


def text_area(label: str, rows: int = 2) -> forms.CharField:
    """A commentary or milestone update: at most ``MAX_TEXT_LENGTH`` characters, the count
    shown as one types (partials/character_count.html; no ``maxlength`` attribute, which
    would cut pasted text off without a word)."""
    field = forms.CharField(
        label=label,
        required=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "max_length": f"Keep it to {MAX_TEXT_LENGTH:,} characters: it has %(show_value)s."
        },
    )
    field.widget.attrs.pop("maxlength", None)
    return field


def _name(indicator):
    return f"ID {indicator.reference} ({indicator.description})"


def _plain(number):
    return "" if number is None else format(number.normalize(), "f")


#: The grid's rows: (priority, its entries) for each priority shown.
EntryGroups = list[tuple[Priority, list["Entry"]]]


def entry_groups(
    month: Month, priority: Priority | None = None, within: frozenset[int] | None = None
) -> EntryGroups:
    """(priority, [Entry]) for the grid: every active indicator once (ID 69 sits under two
    priorities), or one priority's, judged for the month as the scorecard judges it, drafts
    included, with the year before loaded for the plausibility checks. ``within``: the
    priorities (by id) an editor limited to some may change (``indicators.scope``); an
    indicator shared with another priority then sits under theirs.

    Queries: the headline measures, the figures of the month and the 12 before it, the
    targets, the month's commentary.
    """
    links = list(PriorityIndicator.objects.for_scorecard(priority))
    if within is not None:
        links = [link for link in links if link.priority_id in within]
    figures = (
        Value.objects.for_scorecard(priority)
        .between(month.plus(-plausibility.RECENT_MONTHS), month)
        .figures_by_indicator()
    )
    spans = Target.objects.for_scorecard(priority).spans_by_indicator()
    commentary = dict(
        Commentary.objects.for_scorecard(priority)
        .in_month(month)
        .values_list("indicator_id", "text")
    )
    # Each indicator once, in the first priority it sits under; every priority keeps its group.
    groups: dict[int, tuple[Priority, list[Entry]]] = {}
    first_links: dict[int, PriorityIndicator] = {}
    for link in links:
        groups.setdefault(link.priority_id, (link.priority, []))
        first_links.setdefault(link.indicator.id, link)
    rows = judge_rows(
        MonthLoaded(
            month=month,
            shown_months=(month.previous(), month),
            indicators=tuple(
                (link.priority.number, link.indicator) for link in first_links.values()
            ),
            figures=figures,
            target_spans=spans,
            commentary=commentary,
        )
    )
    for link, row in zip(first_links.values(), rows, strict=True):
        groups[link.priority_id][1].append(Entry(row, row.figure(month), row.commentary))
    return list(groups.values())


@dataclass
class Entry:
    """One indicator's row in the grid (the judged row gives previous month and target)."""

    row: Row
    value: Figure | None  # the month's figure
    commentary: str

    @property
    def indicator(self) -> Indicator:
        return self.row.indicator

    @property
    def key(self) -> str:
        return str(self.row.indicator.id)

    @property
    def previous_display(self) -> str:
        return self.row.display(self.row.month.previous())

    def initial(self) -> dict[str, str]:
        figure = self.value
        return {
            f"value_{self.key}": figure_text(figure, self.indicator),
            f"numerator_{self.key}": _plain(figure.numerator) if figure else "",
            f"denominator_{self.key}": _plain(figure.denominator) if figure else "",
            f"status_{self.key}": figure.status if figure else Value.Status.ACTUAL,
            f"commentary_{self.key}": self.commentary,
            f"seen_{self.key}": fingerprint(figure),
            f"seen_commentary_{self.key}": self.commentary,
        }


@dataclass
class Change:
    entry: Entry
    figure: Figure | None  # None: cleared
    figure_changed: bool
    commentary: str
    commentary_changed: bool
    seen: str
    seen_commentary: str
    warnings: list[PlausibilityWarning] = field(default_factory=list)  # acknowledged
    reason: str = ""  # why a figure of a published month was revised
