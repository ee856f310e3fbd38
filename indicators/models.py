"""The data side: priorities, indicators, targets, monthly figures and what hangs off them.

A month is stored as a ``DateField`` holding the first day of that month; ``periods.Month``
converts. Constraints that must always hold live in the database (named, so errors can be
mapped back to sentences) and are mirrored in ``clean()`` for forms and the admin.
"""

import datetime as dt
import hashlib
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from simple_history.models import HistoricalRecords

from indicators import periods, rules, tenancy, units
from indicators.dfe import years
from indicators.events import LABEL_LENGTH, EventMark
from indicators.figures import Figure, FigureLike, Revision
from indicators.plausibility import PlausibilityWarning
from indicators.tenancy import CouncilManager, council_key

if TYPE_CHECKING:  # settings.AUTH_USER_MODEL: Django's own user
    from django.contrib.auth.models import User

# The model a QuerySet shared by several models returns.
_Row = TypeVar("_Row", bound=models.Model)


def _first_of_month(value: dt.date | None) -> bool:
    return value is None or value.day == 1


class HeadlineMeasureQuerySet(models.QuerySet[_Row]):
    """Rows that belong to an indicator (figures, targets, commentary): the ones the
    scorecard of one priority, or of every active headline measure, reads."""

    def for_scorecard(self, priority: "Priority | None" = None) -> Self:
        # One priority: filter by join, so the SQL does not carry a list of ids that grows.
        if priority is not None:
            return self.filter(indicator__priorityindicator__priority=priority)
        return self.filter(indicator__active=True)


class MonthlyQuerySet(HeadlineMeasureQuerySet[_Row]):
    """Rows kept per month (figures, commentary, milestone updates)."""

    def published(self) -> Self:
        """Only the months an editor has published: what a viewer may see."""
        # A subquery, not a list of months: still one query, whatever the number of months.
        return self.filter(period__in=PublishedMonth.objects.values("period"))

    def between(self, first: periods.Month, last: periods.Month) -> Self:
        """The months ``first`` to ``last`` (periods.Month), inclusive."""
        return self.filter(period__gte=first.first_day, period__lte=last.first_day)

    def in_month(self, month: periods.Month) -> Self:
        return self.filter(period=month.first_day)


class CouncilOwned(models.Model):
    """A row a council owns directly (its ``council`` key, filled in from the council in
    force and never in a form): its unique constraints naming the council are still checked
    by forms, in words that do not mention the council ("Indicator with this Reference
    already exists.")."""

    class Meta:
        abstract = True

    def validate_constraints(self, exclude: Any = None) -> None:
        super().validate_constraints(None if exclude is None else set(exclude) - {"council"})

    def unique_error_message(self, model_class: Any, unique_check: Any) -> ValidationError:
        named = tuple(field for field in unique_check if field != "council")
        return super().unique_error_message(model_class, named or unique_check)


MonthlyManager = CouncilManager.from_queryset(MonthlyQuerySet)


class Priority(CouncilOwned):
    council = council_key()
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    commitment = models.TextField(blank=True)
    lead_officer = models.CharField(max_length=200, blank=True)
    display_order = models.PositiveSmallIntegerField(
        blank=True, help_text="Where the priority comes on the dashboard; blank puts it last."
    )
    objects = CouncilManager["Priority"]()
    history = HistoricalRecords()

    class Meta:
        ordering = ["display_order", "number"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(
                fields=["council", "number"], name="priority_number_per_council"
            ),
        ]

    def __str__(self) -> str:
        return f"Priority {self.number}: {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A new priority with no place given sorts after the existing ones (issue 14: it
        # used to take 0 and come before priority 1).
        if self.display_order is None:
            self.display_order = Priority.next_display_order()
        super().save(*args, **kwargs)

    @classmethod
    def next_display_order(cls) -> int:
        last = cls.objects.aggregate(last=models.Max("display_order"))["last"]
        return 1 if last is None else last + 1


class LaitYears(models.TextChoices):
    """How a LAIT measure's years line up with the council's (issue 13)."""

    SNAPSHOT_31_MARCH = years.SNAPSHOT_31_MARCH, years.ALIGNMENTS[years.SNAPSHOT_31_MARCH]
    FINANCIAL_YEAR = years.FINANCIAL_YEAR, years.ALIGNMENTS[years.FINANCIAL_YEAR]
    ACADEMIC_YEAR = years.ACADEMIC_YEAR, years.ALIGNMENTS[years.ACADEMIC_YEAR]
    CALENDAR_YEAR = years.CALENDAR_YEAR, years.ALIGNMENTS[years.CALENDAR_YEAR]
    AS_PUBLISHED = years.AS_PUBLISHED, years.ALIGNMENTS[years.AS_PUBLISHED]


class IndicatorQuerySet(models.QuerySet["Indicator"]):
    def active(self) -> Self:
        return self.filter(active=True)

    def lock_for_writing(self, ids: Iterable[int]) -> list[tuple[int]]:
        """Lock these indicators' rows until the transaction ends: every writer of figures
        (the entry grid, the import) takes this lock first, in id order, so two writers of the
        same figures run one after the other and never deadlock. A figure not yet stored has
        no row to lock; its indicator's row stands for it. (SQLite locks the whole database
        for a write transaction instead: see settings' "transaction_mode".)"""
        return list(self.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))


IndicatorManager = CouncilManager.from_queryset(IndicatorQuerySet)


#: What an indicator's reference may hold. It is written into addresses (/indicators/Q5a/), the
#: pack's links and the set-up workbook's comma-separated lists, so: letters and digits, with
#: single spaces, hyphens, underscores or full stops between them; no slash or other sign.
REFERENCE_HELP = (
    "Letters and digits, with single spaces, hyphens, underscores or full stops between them "
    "(21, Q5a, NI-62); no slash, comma or other sign."
)
validate_reference = RegexValidator(
    r"\A[A-Za-z0-9]+(?:[ ._-][A-Za-z0-9]+)*\Z",
    "A reference is letters and digits, with single spaces, hyphens, underscores or full "
    "stops between them (21, Q5a, NI-62): no slash, comma or other sign.",
)


class Indicator(CouncilOwned):
    # The units are defined once, in indicators.units.
    # django-stubs types the functional API with names only, not (value, label) pairs.
    Unit = models.TextChoices(  # type: ignore[call-overload]
        "Unit", [(code.upper(), (code, unit.label)) for code, unit in units.UNITS.items()]
    )

    class Polarity(models.TextChoices):
        HIGHER_IS_BETTER = rules.HIGHER_IS_BETTER, "Higher is better"
        LOWER_IS_BETTER = rules.LOWER_IS_BETTER, "Lower is better"
        NEITHER = rules.NEITHER, "Neither (monitor)"

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        TERMLY = "termly", "Termly"
        ANNUAL = "annual", "Annual"

    class MeasureBasis(models.TextChoices):
        SNAPSHOT = "snapshot", "Month-end snapshot"
        IN_MONTH = "in_month", "In month"
        ROLLING_12_MONTHS = "rolling_12_months", "Rolling 12 months"
        YEAR_TO_DATE = "year_to_date", "Year to date"

    reference = models.CharField(
        max_length=20, validators=[validate_reference], help_text=REFERENCE_HELP
    )
    description = models.CharField(max_length=500)
    definition = models.TextField(blank=True)
    unit = models.CharField(max_length=20, choices=Unit.choices)
    polarity = models.CharField(max_length=20, choices=Polarity.choices)
    frequency = models.CharField(max_length=20, choices=Frequency.choices, default="monthly")
    measure_basis = models.CharField(max_length=20, choices=MeasureBasis.choices)
    decimal_places = models.PositiveSmallIntegerField(default=1)
    active = models.BooleanField(default=True)
    spc_baseline_from = models.DateField(
        null=True,
        blank=True,
        help_text="Recalculate the SPC limits from this month (the 1st) after a known change "
        "in process; blank uses the whole history.",
    )
    priorities = models.ManyToManyField(
        Priority, through="PriorityIndicator", related_name="indicators"
    )
    # The quarterly performance report: its tables, and the rows worked out from
    # other rows. An indicator with no report section is not in the report.
    report_section = models.CharField(
        max_length=120,
        blank=True,
        help_text="The quarterly report's table this indicator is a row of, e.g. "
        "'1.1 Referrals & re-referrals'. Blank: not in the quarterly report.",
    )
    report_order = models.PositiveSmallIntegerField(
        default=0, help_text="Position of the row within its quarterly report table."
    )
    rate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rates",
        help_text="A rate row is not entered: it is this count divided by the population of "
        "the band below in force for the period, per 10,000 (or 1,000) as the unit says.",
    )
    population_age_from = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="A rate's population band: first age, e.g. 0."
    )
    population_age_to = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="A rate's population band: last age, e.g. 17."
    )
    category_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="categories",
        help_text="This row is one category of that total (a category of abuse of the children "
        "on a child protection plan): categories are suppressed together so that none can be "
        "worked out from the total and the others.",
    )

    # DfE LAIT benchmarks (issue 13): the published measure this indicator is, and how DfE's
    # years line up with the council's (indicators/dfe/years.py).
    lait_measure = models.ForeignKey(
        "LaitMeasure",
        to_field="code",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name="LAIT measure",
        help_text="The DfE LAIT measure this indicator is (its code, e.g. ReReferral): its "
        "England, region and statistical-neighbour figures are this indicator's benchmarks.",
    )
    lait_years = models.CharField(
        "LAIT years",
        max_length=20,
        choices=LaitYears.choices,
        blank=True,
        help_text="What DfE's year means for this measure: at 31 March 2022, '2022' is 2021/22.",
    )

    # Who answers for it (issue 22): the editor who enters its figures and is reminded when
    # they are due, and the officer accountable for it (a name, as the paper gives it).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_indicators",
        verbose_name="data owner",
        help_text="The editor who enters its figures each month and is reminded when they are due.",
    )
    lead_officer = models.CharField(
        max_length=200,
        blank=True,
        help_text="The officer accountable for the measure, e.g. 'HoS Front Door'.",
    )

    council = council_key()
    objects = IndicatorManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "reference"], name="indicator_reference_per_council"
            ),
            models.CheckConstraint(
                condition=Q(decimal_places__lte=6),
                name="indicator_decimal_places_at_most_6",
            ),
            models.CheckConstraint(
                condition=Q(rate_of__isnull=True)
                | Q(
                    unit__in=list(units.RATES),
                    population_age_from__isnull=False,
                    population_age_to__isnull=False,
                ),
                name="indicator_rate_has_rate_unit_and_population_band",
            ),
            # DfE LAIT benchmarks (issue 13).
            models.CheckConstraint(
                condition=Q(lait_measure__isnull=True, lait_years="")
                | (Q(lait_measure__isnull=False) & ~Q(lait_years="")),
                name="indicator_lait_measure_has_year_alignment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.description}"

    def clean(self) -> None:
        if self._state.adding:
            count = Indicator.objects.count()
            if count >= MAX_INDICATORS:
                raise ValidationError(
                    f"A council may have at most {MAX_INDICATORS:,} indicators (inactive ones "
                    f"count too), and this council has {count:,}: delete one it no longer "
                    "reports before adding another."
                )
        if self.rate_of_id is not None:
            if self.unit not in units.RATES:
                raise ValidationError({"unit": "A rate row's unit is a rate per 10,000 or 1,000."})
            if self.population_age_from is None or self.population_age_to is None:
                raise ValidationError(
                    "A rate row needs the population band it is a rate of, e.g. ages 0 to 17."
                )
            if self.rate_of_id == self.pk:
                raise ValidationError({"rate_of": "An indicator cannot be a rate of itself."})
        if self.category_of_id is not None and self.category_of_id == self.pk:
            raise ValidationError({"category_of": "An indicator cannot be a category of itself."})
        if (self.lait_measure_id is None) != (not self.lait_years):
            raise ValidationError(
                {
                    "lait_years": "An indicator linked to a LAIT measure says how its years "
                    "line up; one with no measure has none."
                }
            )


class PriorityEditor(models.Model):
    """An editor limited to some priorities (issue 22): they may enter, import and check
    figures and milestones of these priorities only, and may not publish a month (which
    publishes every priority). An editor with no such row may work on every priority."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="priority_scope"
    )
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="editors")
    council_path = "priority__council"
    objects = CouncilManager["PriorityEditor"]()
    history = HistoricalRecords()

    class Meta:
        ordering = ["user", "priority"]
        constraints = [
            models.UniqueConstraint(fields=["user", "priority"], name="priority_editor_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} may edit {self.priority}"


class PriorityIndicatorQuerySet(models.QuerySet["PriorityIndicator"]):
    def for_scorecard(self, priority: Priority | None = None) -> Self:
        """The headline measures tables: every active indicator under its priorities (or one
        priority's), with both loaded, in the order the tables show them."""
        links = self.filter(indicator__active=True).select_related("priority", "indicator")
        if priority is not None:
            links = links.filter(priority=priority)
        return links.order_by("priority__display_order", "priority__number", "display_order")


PriorityIndicatorManager = CouncilManager.from_queryset(PriorityIndicatorQuerySet)


class PriorityIndicator(models.Model):
    """An indicator's place in a priority's headline measures table (one indicator may sit
    under several priorities, e.g. ID 69 under 1 and 6)."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE)
    display_order = models.PositiveSmallIntegerField(default=0)

    council_path = "priority__council"
    objects = PriorityIndicatorManager()

    class Meta:
        ordering = ["priority", "display_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "indicator"], name="priority_indicator_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.priority.number} / {self.indicator.reference}"


class TargetQuerySet(HeadlineMeasureQuerySet["Target"]):
    def spans_by_indicator(self) -> defaultdict[int, list[rules.TargetSpan]]:
        """{indicator id: [rules.TargetSpan, ...]}, each indicator's oldest first."""
        result: defaultdict[int, list[rules.TargetSpan]] = defaultdict(list)
        # The indicator's decimal places round a trajectory's monthly targets: joined here,
        # not loaded with the indicator, so the query count stays the same.
        targets = self.annotate(indicator_places=models.F("indicator__decimal_places"))
        for target in targets.order_by("valid_from"):
            result[target.indicator_id].append(target.as_rule())
        return result


TargetManager = CouncilManager.from_queryset(TargetQuerySet)


class Target(models.Model):
    """A target valid from a month (and optionally to a month), of one of three kinds: a
    fixed value; a trajectory, a straight line from a starting value to a goal in a goal
    month (rules.trajectories); or an anticipated range, a lower and an upper end for an
    indicator with no better direction (rules.ranges). A target that changes over time is
    several rows."""

    class Kind(models.TextChoices):
        TARGET = rules.FIXED_TARGET, "Target"
        TRAJECTORY = rules.TRAJECTORY, "Trajectory"
        RANGE = rules.ANTICIPATED_RANGE, "Anticipated range"

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TARGET)
    value = models.DecimalField(
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="The target; a trajectory's starting value (in its first month). Empty for "
        "an anticipated range.",
    )
    label = models.CharField(
        max_length=60,
        blank=True,
        help_text="Where the target comes from, e.g. 'England' or 'Ofsted Good+'. "
        "Leave blank for a local target.",
    )
    valid_from = models.DateField(
        help_text="First month the target applies to (a trajectory's starting month)."
    )
    valid_to = models.DateField(
        null=True,
        blank=True,
        help_text="Last month, if it ends: the 1st or the last day of that month "
        "(31/03/2024 is stored as March 2024).",
    )
    goal_value = models.DecimalField(
        max_digits=14, decimal_places=4, null=True, blank=True, help_text="A trajectory's goal."
    )
    goal_month = models.DateField(
        null=True,
        blank=True,
        help_text="The month a trajectory reaches its goal (the 1st or the last day of it); "
        "the goal stands after it until the target ends.",
    )
    lower = models.DecimalField(
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="An anticipated range's lower end (a figure on it is within the range).",
    )
    upper = models.DecimalField(
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="An anticipated range's upper end (a figure on it is within the range).",
    )
    tolerance = models.DecimalField(
        max_digits=6,
        decimal_places=4,
        default=rules.DEFAULT_TOLERANCE,
        help_text="Amber band as a fraction of the target (0.15 = within 15%).",
    )
    absolute_tolerance = models.DecimalField(
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Amber band in the indicator's unit; needed for a target of 0 to have amber.",
    )
    council_path = "indicator__council"
    objects = TargetManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "valid_from"],
                name="target_one_per_indicator_and_start",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="target_valid_to_after_valid_from",
            ),
            models.CheckConstraint(
                condition=Q(tolerance__gte=0) & Q(tolerance__lte=1),
                name="target_tolerance_between_0_and_1",
            ),
            # Issue 14: trajectories and anticipated ranges.
            models.CheckConstraint(
                condition=Q(kind__in=["target", "trajectory", "range"]),
                name="target_kind_known",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="target", value__isnull=False)
                    & Q(goal_value__isnull=True, goal_month__isnull=True)
                    & Q(lower__isnull=True, upper__isnull=True)
                )
                | (
                    Q(kind="trajectory", value__isnull=False)
                    & Q(goal_value__isnull=False, goal_month__gt=models.F("valid_from"))
                    & Q(lower__isnull=True, upper__isnull=True)
                    & (Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("goal_month")))
                )
                | (
                    Q(kind="range", value__isnull=True)
                    & Q(goal_value__isnull=True, goal_month__isnull=True)
                    & Q(lower__isnull=False, upper__gte=models.F("lower"))
                ),
                name="target_fields_match_its_kind",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.RANGE:
            what = f"{self.lower} to {self.upper} (anticipated range)"
        elif self.kind == self.Kind.TRAJECTORY:
            what = f"{self.value} to {self.goal_value} by {self.goal_month:%b-%y}"
        else:
            what = f"{self.value} {self.label}".strip()
        return f"{self.indicator.reference}: {what} from {self.valid_from}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._store_months()
        super().save(*args, **kwargs)

    def _store_months(self) -> None:
        """An end written as the last day of its month is stored as the month (its 1st)."""
        for name in ("valid_to", "goal_month"):
            date = getattr(self, name)
            if date is not None and date.day != 1:
                month = periods.month_ending_on(date)
                if month is not None:
                    setattr(self, name, month.first_day)

    def clean(self) -> None:
        if not _first_of_month(self.valid_from):
            raise ValidationError(
                {"valid_from": "A target starts on a month: use the 1st of the month."}
            )
        for name in ("valid_to", "goal_month"):
            date = getattr(self, name)
            if date is not None and periods.month_ending_on(date) is None:
                raise ValidationError(
                    {
                        name: "A target ends on a month: give its 1st or its last day "
                        "(31/03/2024 for March 2024)."
                    }
                )
        self._store_months()
        for name in ("valid_from", "valid_to", "goal_month"):
            date = getattr(self, name)
            if date is not None:
                try:
                    periods.check_target_month(periods.Month.from_date(date))
                except periods.NotAMonth as error:
                    sentence = f"{str(error)[0].upper()}{str(error)[1:]}."
                    raise ValidationError({name: sentence}) from None
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError("A target cannot end before it starts.")
        self._clean_kind()

    def _clean_kind(self) -> None:
        kind = self.kind
        if kind in (self.Kind.TARGET, self.Kind.TRAJECTORY) and self.value is None:
            word = "a starting value" if kind == self.Kind.TRAJECTORY else "a value"
            raise ValidationError({"value": f"A {self.get_kind_display().lower()} needs {word}."})
        if kind == self.Kind.TRAJECTORY:
            if self.goal_value is None or self.goal_month is None:
                raise ValidationError("A trajectory needs a goal value and a goal month.")
            if self.valid_from and self.goal_month <= self.valid_from:
                raise ValidationError(
                    {"goal_month": "A trajectory's goal month comes after its first month."}
                )
            if self.valid_to and self.valid_to < self.goal_month:
                raise ValidationError({"valid_to": "A trajectory ends in its goal month or later."})
        elif self.goal_value is not None or self.goal_month is not None:
            raise ValidationError("Only a trajectory has a goal value and a goal month.")
        if kind == self.Kind.RANGE:
            if self.value is not None:
                raise ValidationError(
                    {"value": "An anticipated range has a lower and an upper end, no value."}
                )
            if self.lower is None or self.upper is None:
                raise ValidationError("An anticipated range needs a lower and an upper end.")
            if self.lower > self.upper:
                raise ValidationError(
                    {"upper": "An anticipated range's upper end is not below its lower end."}
                )
        elif self.lower is not None or self.upper is not None:
            raise ValidationError("Only an anticipated range has a lower and an upper end.")

    def as_rule(self) -> rules.TargetSpan:
        month = periods.Month.from_date
        places = getattr(self, "indicator_places", None)
        if places is None and self.kind == self.Kind.TRAJECTORY:
            places = self.indicator.decimal_places
        return rules.TargetSpan(
            value=self.value,
            label=self.label,
            valid_from=month(self.valid_from),
            valid_to=month(self.valid_to) if self.valid_to else None,
            tolerance=self.tolerance,
            absolute_tolerance=self.absolute_tolerance,
            kind=self.kind,
            start_value=self.value if self.kind == self.Kind.TRAJECTORY else None,
            goal_value=self.goal_value,
            goal_month=month(self.goal_month) if self.goal_month else None,
            places=places,
            lower=self.lower,
            upper=self.upper,
        )


class ValueQuerySet(MonthlyQuerySet["Value"]):
    def figures_by_indicator(self) -> defaultdict[int, dict[periods.Month, Figure]]:
        """{indicator id: {periods.Month: figures.Figure}}, each with its latest revision
        (``figures.Revision``) when it was changed after its month was published: one query."""
        result: defaultdict[int, dict[periods.Month, Figure]] = defaultdict(dict)
        for row in self.values_list("indicator_id", "period", *FIGURE_FIELDS, *REVISION_FIELDS):
            indicator_id, period, value, numerator, denominator, status, synthetic = row[:7]
            revision = _revision(*row[7:])
            result[indicator_id][periods.Month.from_date(period)] = Figure(
                value, numerator, denominator, status, synthetic, revision
            )
        return result

    def months(self) -> list[periods.Month]:
        """The months that have figures, newest first."""
        # Periods are stored as the 1st of the month, so DISTINCT on the column is enough;
        # .dates() truncated every row's date first (80 ms at 12,000 figures on SQLite).
        dates = self.order_by("-period").values_list("period", flat=True).distinct()
        return [periods.Month.from_date(date) for date in dates]


# A Value's fields that make its figures.Figure, in the Figure's order (its revision aside).
FIGURE_FIELDS = ("value", "numerator", "denominator", "status", "synthetic")

REVISION_FIELDS = (
    "revised_at",
    "revision_reason",
    "previous_value",
    "previous_numerator",
    "previous_status",
)


def _revision(
    revised_at: dt.datetime | None,
    reason: str,
    previous_value: Decimal | None,
    previous_numerator: Decimal | None,
    previous_status: str,
) -> Revision | None:
    if revised_at is None:
        return None
    previous = None
    if previous_status:
        previous = Figure(previous_value, previous_numerator, status=previous_status)
    return Revision(revised_at, reason, previous)


ValueManager = CouncilManager.from_queryset(ValueQuerySet)


class Value(models.Model):
    """A monthly figure."""

    class Status(models.TextChoices):
        ACTUAL = rules.ACTUAL, "Actual"
        PROVISIONAL = rules.PROVISIONAL, "Provisional"
        NOT_AVAILABLE = rules.NOT_AVAILABLE, "Not available"
        SUPPRESSED = rules.SUPPRESSED, "Suppressed"

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period = models.DateField(help_text="The month, stored as its first day.")
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTUAL)
    synthetic = models.BooleanField(
        default=False, help_text="Demonstration history, not a published figure."
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    entered_at = models.DateTimeField(auto_now=True)
    # Plausibility warnings (indicators.plausibility) the person who entered the figure saw
    # and kept: their codes, so publishing can tell which warnings nobody has looked at.
    acknowledged_warnings = models.JSONField(default=list, blank=True)
    # The latest revision: a change after the month was published. The history keeps every
    # earlier one; viewers see this one beside the figure.
    revised_at = models.DateTimeField(null=True, blank=True)
    revision_reason = models.TextField(blank=True)
    previous_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    previous_numerator = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    previous_status = models.CharField(
        max_length=20, blank=True, help_text="Blank: the month had no figure before."
    )
    council_path = "indicator__council"
    objects = ValueManager()
    # A text field for the change reason: it carries revision reasons and the warnings kept.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["indicator", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"], name="value_one_per_indicator_and_month"
            ),
            # "Not available" must never be stored as a number (never zero by accident). A
            # figure "suppressed" may have no value: a published report withheld it ("x") and
            # the real count is not known here (the Q2 2023/24 report's placement types).
            models.CheckConstraint(
                condition=Q(status__in=["not_available", "suppressed"], value__isnull=True)
                | (~Q(status="not_available") & Q(value__isnull=False)),
                name="value_present_unless_not_available",
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                name="value_denominator_positive",
            ),
            models.CheckConstraint(
                condition=Q(revised_at__isnull=True) | ~Q(revision_reason=""),
                name="value_revision_has_a_reason",
            ),
        ]
        indexes = [
            # The scorecard loads a window of months for every indicator at once.
            models.Index(fields=["period", "indicator"], name="value_period_indicator_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period:%Y-%m}: {self.value}"

    def set_figure(
        self,
        figure: FigureLike,
        user: "User | None",
        reason: str,
        *,
        acknowledged: Sequence[PlausibilityWarning] = (),
        revision: str | None = None,
    ) -> None:
        """Take a parsed figure (value, numerator, denominator, status) as entered by ``user``;
        ``reason`` goes into the change history. ``acknowledged`` are the plausibility
        warnings the user saw and kept (``plausibility.Warning``); ``revision`` the reason
        for changing a figure of a published month (it is then marked revised)."""
        previous = (
            None if self.pk is None else Figure(self.value, self.numerator, None, self.status)
        )
        self.value = figure.value
        self.numerator = figure.numerator
        self.denominator = figure.denominator
        self.status = figure.status
        self.entered_by = user
        self.synthetic = False
        self.acknowledged_warnings = sorted({warning.code for warning in acknowledged})
        notes = [reason]
        if revision:
            self.mark_revised(previous, revision)
            notes.append(f"revision of a published month: {revision}")
        notes += [f"warning acknowledged: {warning.message}" for warning in acknowledged]
        self._change_reason = "; ".join(notes)

    def mark_revised(
        self, previous: FigureLike | None, reason: str, when: dt.datetime | None = None
    ) -> None:
        """Record this change as a revision of a published month (``previous``: the figure
        before it, or None when there was none)."""
        self.revised_at = when or timezone.now()
        self.revision_reason = reason
        self.previous_value = previous.value if previous else None
        self.previous_numerator = previous.numerator if previous else None
        self.previous_status = previous.status if previous else ""

    def clean(self) -> None:
        if not _first_of_month(self.period):
            raise ValidationError({"period": "A figure is for a month: use the 1st of the month."})
        if self.status == self.Status.NOT_AVAILABLE and self.value is not None:
            raise ValidationError({"value": "A figure marked 'Not available' has no value."})
        withheld = (self.Status.NOT_AVAILABLE, self.Status.SUPPRESSED)
        if self.status not in withheld and self.value is None:
            raise ValidationError({"value": "Enter a value, or mark the figure 'Not available'."})
        if self.denominator is not None and self.denominator <= 0:
            raise ValidationError({"denominator": "The denominator must be more than zero."})


#: The most indicators a council may have: a grid of them saves by priority (each a form within
#: Django's DATA_UPLOAD_MAX_NUMBER_FIELDS), and the set-up workbook refuses more, by row.
MAX_INDICATORS = 500

#: The most characters a commentary or a milestone update holds: about a third of a page of a
#: committee paper. Longer text is refused by the forms, the import and the database alike
#: (a 2 MB comment once made every save of its month's grid a bare 400 for every editor).
MAX_TEXT_LENGTH = 2_000


def _text_within_limit(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field), MAX_TEXT_LENGTH), name=name
    )


class Commentary(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="commentaries")
    period = models.DateField()
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Sign-off (issue 26, when the council asks for it: ``Council.commentary_sign_off``):
    # who approved the text and when. Changing the text clears both (``save``).
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # The text as read from the database (None for a new or deferred one): what ``save``
    # compares with.
    _text_as_loaded: str | None = None
    council_path = "indicator__council"
    objects = MonthlyManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "-period"]
        verbose_name_plural = "commentaries"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"],
                name="commentary_one_per_indicator_and_month",
            ),
            _text_within_limit("text", "commentary_text_within_limit"),
            # An approval has a time; an approver's account may since have been deleted.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | Q(approved_at__isnull=False),
                name="commentary_approval_has_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period:%Y-%m}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Changing approved text withdraws its approval: it must be approved again."""
        loaded = self._text_as_loaded
        if self.approved_at is not None and loaded is not None and loaded != self.text:
            self.approved_by, self.approved_at = None, None
        super().save(*args, **kwargs)
        self._text_as_loaded = self.text

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any, **kwargs: Any) -> Self:
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._text_as_loaded = instance.__dict__.get("text")  # None when deferred
        return instance

    @property
    def approved(self) -> bool:
        return self.approved_at is not None


class Benchmark(models.Model):
    class Comparator(models.TextChoices):
        ENGLAND = "england", "England"
        STATISTICAL_NEIGHBOURS = "statistical_neighbours", "Statistical neighbours"
        REGION = "region", "Region"

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="benchmarks")
    comparator = models.CharField(max_length=30, choices=Comparator.choices)
    comparator_name = models.CharField(
        max_length=60, blank=True, help_text="e.g. 'South West' for a region."
    )
    period_label = models.CharField(
        max_length=40,
        help_text="The period it describes: 2021/22, or 'Autumn and Spring Term 2022/23'.",
    )
    value = models.DecimalField(max_digits=14, decimal_places=4)
    council_path = "indicator__council"
    objects = CouncilManager["Benchmark"]()
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "comparator", "period_label"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "comparator", "period_label"],
                name="benchmark_one_per_comparator_and_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.get_comparator_display()} {self.period_label}"

    @property
    def display_name(self) -> str:
        return self.comparator_name or self.get_comparator_display()


class Population(CouncilOwned):
    """A population denominator, e.g. children aged 0-17 (2021 Census) for rates per 10,000."""

    name = models.CharField(max_length=100)
    age_from = models.PositiveSmallIntegerField()
    age_to = models.PositiveSmallIntegerField()
    value = models.PositiveIntegerField()
    source = models.CharField(max_length=100)
    valid_from = models.DateField()
    council = council_key()
    objects = CouncilManager["Population"]()
    history = HistoricalRecords()

    class Meta:
        ordering = ["age_from", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "age_from", "age_to", "valid_from"],
                name="population_one_per_band_and_start",
            ),
            models.CheckConstraint(
                condition=Q(age_to__gte=models.F("age_from")),
                name="population_age_range_valid",
            ),
            models.CheckConstraint(condition=Q(value__gt=0), name="population_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.value:,} ({self.source})"


class Milestone(models.Model):
    """A project milestone (workstream) of a priority; its monthly updates keep their month."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="milestones")
    workstream = models.CharField(max_length=300)
    owner = models.CharField(max_length=200, blank=True)
    display_order = models.PositiveSmallIntegerField(default=0)
    council_path = "priority__council"
    objects = CouncilManager["Milestone"]()
    history = HistoricalRecords()

    class Meta:
        ordering = ["priority", "display_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "workstream"], name="milestone_unique_per_priority"
            ),
        ]

    def __str__(self) -> str:
        return self.workstream


class Progress(models.TextChoices):
    """How a milestone, or a priority as a whole, is going, in an officer's judgement (the
    council's highlight report: "On track", "Complete"; its RAG status colours). Each status
    has its colour (a RAG tag's css modifier) and its words, so colour is never alone."""

    NOT_STATED = "", "Not stated"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETE = "complete", "Complete"

    @property
    def css_modifier(self) -> str:
        return _PROGRESS_COLOURS[self]

    @property
    def accessible_name(self) -> str:
        colour = {"green": "Green", "amber": "Amber", "red": "Red"}.get(self.css_modifier)
        return f"{colour}: {self.label.lower()}" if colour else self.label


_PROGRESS_COLOURS = {
    Progress.NOT_STATED: "nodata",
    Progress.ON_TRACK: "green",
    Progress.AT_RISK: "amber",
    Progress.OFF_TRACK: "red",
    Progress.COMPLETE: "complete",
}


class PriorityStatus(models.Model):
    """A priority's RAG status for a month, as the lead officer judges it (the highlight
    report's "RAG Status: Previous / Current"; docs/decisions/0009-priority-status.md)."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="statuses")
    period = models.DateField()
    status = models.CharField(max_length=10, choices=Progress.choices, blank=True, default="")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField(auto_now=True)
    council_path = "priority__council"
    objects = MonthlyManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["priority", "-period"]
        verbose_name_plural = "priority statuses"
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "period"], name="priority_status_one_per_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.priority} {self.period:%Y-%m}: {self.get_status_display()}"

    @property
    def progress(self) -> Progress:
        return Progress(self.status)


class MilestoneUpdate(models.Model):
    # On track, at risk, off track or complete (Progress), each with its colour.
    Status = Progress

    class Direction(models.TextChoices):
        UP = "up", "Improving"
        LEVEL = "level", "No change"
        DOWN = "down", "Declining"

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="updates")
    period = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, blank=True, default="")
    direction = models.CharField(max_length=10, choices=Direction.choices, blank=True)
    this_period = models.TextField(blank=True)
    next_period = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField(auto_now=True)
    council_path = "milestone__priority__council"
    objects = MonthlyManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["milestone", "-period"]
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "period"], name="milestone_update_one_per_month"
            ),
            _text_within_limit("this_period", "milestone_update_this_period_within_limit"),
            _text_within_limit("next_period", "milestone_update_next_period_within_limit"),
        ]

    def __str__(self) -> str:
        return f"{self.milestone} {self.period:%Y-%m}"

    @property
    def progress(self) -> Progress:
        return Progress(self.status)


class PublishedMonth(CouncilOwned):
    """A month whose figures viewers may see. Months are draft until an editor publishes."""

    council = council_key()
    period = models.DateField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    published_at = models.DateTimeField()

    objects = CouncilManager["PublishedMonth"]()

    class Meta:
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "period"], name="published_month_once_per_council"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period:%b-%y} published"


class PublicationEvent(models.Model):
    """Every publish and unpublish, kept: an unpublished month says why."""

    class Action(models.TextChoices):
        PUBLISH = "publish", "Published"
        UNPUBLISH = "unpublish", "Unpublished"

    period = models.DateField()
    action = models.CharField(max_length=10, choices=Action.choices)
    reason = models.TextField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField()

    council = council_key()
    objects = CouncilManager["PublicationEvent"]()

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action="unpublish") | ~Q(reason=""),
                name="publication_unpublish_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.period:%b-%y}"


class KeptUpload(models.Model):
    """A file uploaded for a preview, kept until it is confirmed or cancelled, with the plan
    read from it: who uploaded and applied it, when, and what it did. ``status`` is each
    kind's own field: its words differ, its codes are these."""

    council = council_key()
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    # Django adds it to each kind, from the choices of the kind's own ``status``.
    get_status_display: Callable[[], str]
    # The plan made when the file was read (intake.kept_uploads): the preview shows it and the
    # confirm applies it, so a file is read once, however often its preview is opened.
    plan = models.JSONField(null=True, blank=True)
    # Each kind's ``status`` field names these codes in its own words.
    PREVIEWED = "previewed"
    APPLIED = "applied"
    CANCELLED = "cancelled"
    status: str

    class Meta:
        abstract = True
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"


class ImportBatch(KeptUpload):
    """An uploaded file kept between preview and confirm with the plan made from it when it
    was uploaded; the confirm applies that plan, refusing any figure changed since."""

    class Status(models.TextChoices):
        PREVIEWED = KeptUpload.PREVIEWED, "Previewed"
        APPLIED = KeptUpload.APPLIED, "Imported"
        CANCELLED = KeptUpload.CANCELLED, "Cancelled"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    objects = CouncilManager["ImportBatch"]()


class SetupUpload(KeptUpload):
    """A set-up workbook (intake/setup/) kept between its preview and the confirm with the plan
    made from it when it was uploaded; the confirm applies that plan, refused if the stored
    set-up changed since."""

    class Status(models.TextChoices):
        PREVIEWED = KeptUpload.PREVIEWED, "Previewed"
        APPLIED = KeptUpload.APPLIED, "Set up"
        CANCELLED = KeptUpload.CANCELLED, "Cancelled"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    objects = CouncilManager["SetupUpload"]()


class AnnualFigure(models.Model):
    """A year's published figure, as the quarterly report prints beside the current quarter
    ("2021/22 Actual", "2022/23 Provisional"). Entered by administrators; a rate row has none
    of its own (it is worked out from its count's figure and the population)."""

    class Status(models.TextChoices):
        ACTUAL = rules.ACTUAL, "Actual"
        PROVISIONAL = rules.PROVISIONAL, "Provisional"

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="annual_figures"
    )
    year_label = models.CharField(
        max_length=40,
        help_text="The year or period, as printed: 2021/22, 2022, 'Autumn and Spring Term "
        "2022/23' (a report section's current period).",
    )
    value = models.DecimalField(
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Empty only for a figure withheld at source (printed 'x').",
    )
    numerator = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTUAL)
    suppressed = models.BooleanField(
        default=False,
        help_text="Withheld at source (a small number printed as 'x'): always shown as x.",
    )
    note = models.CharField(
        max_length=120,
        blank=True,
        help_text="Printed instead of a figure: 'Not reported', 'Available March 2024'.",
    )
    council_path = "indicator__council"
    objects = CouncilManager["AnnualFigure"]()
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "year_label"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year_label"], name="annual_figure_one_per_indicator_and_year"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | Q(suppressed=True) | ~Q(note=""),
                name="annual_figure_value_present_unless_suppressed_or_noted",
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                name="annual_figure_denominator_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year_label}: {self.value}"

    def clean(self) -> None:
        if self.value is None and not self.suppressed and not self.note:
            raise ValidationError(
                {
                    "value": "Enter the year's figure, mark it withheld at source (suppressed) "
                    "or give the note printed instead."
                }
            )
        if self.denominator is not None and self.denominator <= 0:
            raise ValidationError({"denominator": "The denominator must be more than zero."})


class ReportSection(CouncilOwned):
    """A quarterly report table that has its own columns (the education tables): year columns
    other than the three financial years, its own comparators and a current period that is not
    the quarter worked out from months. Its cells are AnnualFigures (the current one's
    year_label is ``current_label``) and Benchmarks. A table with none uses the default."""

    quarter = models.CharField(
        max_length=10, help_text="The report's quarter, as printed: Q2 2023/24."
    )
    title = models.CharField(max_length=120, help_text="The indicators' report_section.")
    year_labels = models.JSONField(default=list, help_text='Oldest first: ["2020", "2021"].')
    grouped_years = models.PositiveSmallIntegerField(
        default=0,
        help_text="How many of the latest years sit under 'Previous Year & Benchmarking'.",
    )
    comparators = models.JSONField(
        default=list,
        help_text='In column order: [{"comparator": "region", "name": "South West", '
        '"period": "..."}]; a period is printed in the heading, not the cells.',
    )
    current_label = models.CharField(max_length=40, help_text="'Q1 2022/23', as printed.")
    not_benchmarked = models.CharField(
        max_length=40, default="Not benchmarked", help_text="Printed where there is no benchmark."
    )
    council = council_key()
    objects = CouncilManager["ReportSection"]()
    history = HistoricalRecords()

    class Meta:
        ordering = ["quarter", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "quarter", "title"],
                name="report_section_one_per_quarter_and_title",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quarter} {self.title}"


# =========================================================================================
# DfE LAIT benchmarks (issue 13)
#
# The DfE's published data set (the measures of its dictionary, every area's values, the
# statistical-neighbour lists), the council's place in it, and the council's comparators per
# measure and year, worked out at import (intake/lait/lait_import.py) and whenever
# the council setting changes - never per page. Written only by the import and
# intake/lait/stored_comparators.py.
# =========================================================================================
class LaitMeasure(models.Model):
    """A measure of LAIT's data dictionary (``Measure_short`` is its code)."""

    class Polarity(models.TextChoices):
        HIGHER_IS_BETTER = rules.HIGHER_IS_BETTER, "High (higher is better)"
        LOWER_IS_BETTER = rules.LOWER_IS_BETTER, "Low (lower is better)"
        NEITHER = rules.NEITHER, "Neither"

    code = models.CharField(max_length=60, unique=True, help_text="Measure_short, e.g. ReReferral.")
    title = models.CharField(max_length=300)
    chart_title = models.CharField(max_length=300, blank=True)
    topic = models.CharField(max_length=120, blank=True)
    description = models.TextField(blank=True)
    methodology = models.TextField(blank=True)
    y_axis_name = models.CharField(max_length=120, blank=True, help_text="e.g. 'Rate per 10,000'.")
    polarity = models.CharField(max_length=20, choices=Polarity.choices, default=Polarity.NEITHER)
    decimal_places = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="DfE's dps; blank where the dictionary gives none."
    )
    year_type = models.CharField(max_length=60, blank=True, help_text="e.g. 'Financial Year'.")
    no_quartile = models.BooleanField(
        default=False, help_text="DfE shows no quartile banding for this measure."
    )
    status = models.CharField(
        max_length=200, blank=True, help_text="Table_status: the source table, or 'Discontinued'."
    )
    source_url = models.TextField(blank=True, help_text="The publication(s) it comes from.")
    last_update = models.CharField(max_length=60, blank=True)
    next_update = models.CharField(max_length=100, blank=True)
    values_digest = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="A digest of the values last imported: an import of the same values skips it.",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = "LAIT measure"
        constraints = [
            models.CheckConstraint(
                condition=Q(polarity__in=["higher_is_better", "lower_is_better", "neither"]),
                name="lait_measure_polarity_known",
            ),
            models.CheckConstraint(
                condition=Q(decimal_places__isnull=True) | Q(decimal_places__lte=6),
                name="lait_measure_decimal_places_at_most_6",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    def clean(self) -> None:
        if self.decimal_places is not None and self.decimal_places > 6:
            raise ValidationError({"decimal_places": "Decimal places are at most 6."})

    @property
    def discontinued(self) -> bool:
        return self.status.strip().casefold() == "discontinued"


class LaitValue(models.Model):
    """One published value: a measure, an area (an authority, a region or England) and a
    year as DfE writes it. ``value`` is empty where DfE publishes ``-`` (not available or
    suppressed): never zero."""

    # No index of its own: the unique constraint's index starts with the measure (and every
    # index slows the import of 641,070 rows).
    measure = models.ForeignKey(
        LaitMeasure, on_delete=models.CASCADE, related_name="values", db_index=False
    )
    area_code = models.PositiveSmallIntegerField(help_text="DfE's LA Number: 879, 970 England.")
    area_name = models.CharField(max_length=100)
    region = models.CharField(
        max_length=60, blank=True, help_text="An authority's region; blank for England and regions."
    )
    year = models.CharField(max_length=30, help_text="As DfE writes it: 2022, 2021-22, 2022 (Rev).")
    value = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["measure", "year", "area_code"]
        verbose_name = "LAIT value"
        constraints = [
            # Its index (measure first) also serves the distribution chart's measure and year.
            models.UniqueConstraint(
                fields=["measure", "area_code", "year"], name="lait_value_one_per_area_and_year"
            ),
            models.CheckConstraint(
                condition=Q(area_code__gte=1) & Q(area_code__lte=999),
                name="lait_value_area_code_three_digits",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.area_name} {self.year}: {self.value}"

    def clean(self) -> None:
        if self.area_code is not None and not 1 <= self.area_code <= 999:
            raise ValidationError({"area_code": "DfE's area codes have three digits."})

    @property
    def is_authority(self) -> bool:
        return bool(self.region)


class StatisticalNeighbourList(models.Model):
    """One of DfE's statistical-neighbour lists (e.g. "April 2021"): each authority's ten
    closest authorities, in order."""

    name = models.CharField(max_length=60, unique=True, help_text="e.g. 'April 2021'.")
    source = models.CharField(max_length=255, blank=True, help_text="The file it came from.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StatisticalNeighbour(models.Model):
    neighbour_list = models.ForeignKey(
        StatisticalNeighbourList, on_delete=models.CASCADE, related_name="neighbours"
    )
    authority_code = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField(help_text="1 is the closest.")
    neighbour_code = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["neighbour_list", "authority_code", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["neighbour_list", "authority_code", "position"],
                name="statistical_neighbour_one_per_position",
            ),
            models.UniqueConstraint(
                fields=["neighbour_list", "authority_code", "neighbour_code"],
                name="statistical_neighbour_listed_once",
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1) & Q(position__lte=10),
                name="statistical_neighbour_position_1_to_10",
            ),
            models.CheckConstraint(
                condition=~Q(neighbour_code=models.F("authority_code")),
                name="statistical_neighbour_not_itself",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.neighbour_list}: {self.authority_code} #{self.position} {self.neighbour_code}"
        )

    def clean(self) -> None:
        if self.position is not None and not 1 <= self.position <= 10:
            raise ValidationError({"position": "A neighbour's position is 1 to 10."})
        if self.neighbour_code is not None and self.neighbour_code == self.authority_code:
            raise ValidationError({"neighbour_code": "An authority is not its own neighbour."})


def _council_name() -> str:
    return settings.COUNCIL_NAME


def _service_name() -> str:
    return settings.SERVICE_NAME


def _committee_name() -> str:
    return settings.COMMITTEE_NAME


class Council(models.Model):
    """A council the deployment serves (issue 23: one row per council; the embedded,
    single-council database has one): its names, the address it is reached at, its DfE
    authority number and the statistical-neighbour list in force, which its comparators are
    worked out for. Everything a council owns carries it (``indicators.tenancy``)."""

    #: Shown for the council's name until an administrator gives it one.
    UNNAMED = "Council not yet named"

    slug = models.SlugField(
        max_length=50,
        unique=True,
        default="council",
        help_text="Its short name in commands and addresses: plymouth, devon.",
    )
    host = models.CharField(
        max_length=253,
        unique=True,
        null=True,
        blank=True,
        help_text="The host name its people use (plymouth.scorecard.example). A deployment "
        "with one council serves it at any address.",
    )

    # Blank until an administrator (or the set-up workbook) names the council: pages say
    # UNNAMED meanwhile, and nothing assumes a council.
    name = models.CharField(max_length=200, default=_council_name, blank=True)
    service_name = models.CharField(max_length=200, default=_service_name)
    committee_name = models.CharField(max_length=300, default=_committee_name, blank=True)
    authority_number = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="DfE's LA number (three digits): the authority compared.",
    )
    neighbour_list = models.ForeignKey(
        StatisticalNeighbourList,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="statistical-neighbour list in force",
        help_text="A council's report compares against the list in force when it was written.",
    )
    # Month end (issue 22): a month's figures are due by working day N of the month after it
    # (weekends and settings.SCORECARD_BANK_HOLIDAYS skipped); owners are reminded on each
    # working day from ``reminder_days_before`` working days before that day up to it.
    deadline_working_day = models.PositiveSmallIntegerField(
        default=5,
        verbose_name="figures due by working day",
        help_text="A month's figures are due by this working day of the month after it "
        "(1 to 20; weekends and bank holidays are skipped).",
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        default=3,
        verbose_name="remind owners this many working days before",
        help_text="Owners of missing figures are emailed each working day from this many "
        "working days before the deadline up to the deadline itself (0: on the day only).",
    )
    # Commentary sign-off (issue 26): each commentary of a month is approved before the month
    # can be published.
    commentary_sign_off = models.BooleanField(
        default=False,
        verbose_name="commentary needs sign-off",
        help_text="Each commentary of a month must be approved (by an administrator, or an "
        "editor of the indicator's priority other than its author) before the month can be "
        "published; changing approved commentary withdraws the approval.",
    )

    class Meta:
        verbose_name = "council"
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline_working_day__gte=1, deadline_working_day__lte=20),
                name="council_deadline_is_a_working_day_of_a_month",
            ),
            models.CheckConstraint(
                condition=Q(reminder_days_before__lte=20),
                name="council_reminders_start_at_most_20_days_before",
            ),
            models.CheckConstraint(
                condition=Q(authority_number__isnull=True)
                | (Q(authority_number__gte=100) & Q(authority_number__lt=970)),
                name="council_authority_number_is_an_authority",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.authority_number is not None and not 100 <= self.authority_number < 970:
            raise ValidationError(
                {"authority_number": "An authority's DfE number is 100 to 969 (970 is England)."}
            )
        if not 1 <= self.deadline_working_day <= 20:
            raise ValidationError(
                {"deadline_working_day": "The deadline is working day 1 to 20 of the month."}
            )
        if self.reminder_days_before > 20:
            raise ValidationError(
                {"reminder_days_before": "Reminders start at most 20 working days before."}
            )

    @property
    def display_name(self) -> str:
        return self.name or self.UNNAMED

    @classmethod
    def current(cls) -> Self:
        """The active council (the address chose it: no query), else the only council in the
        database, or (before anyone saves one) an unsaved one with the defaults from
        settings: reading it never writes."""
        active = tenancy.active_council()
        if active is not None:
            return cast(Self, active)
        councils = list(cls.objects.select_related("neighbour_list").order_by("pk")[:2])
        if len(councils) > 1:
            raise tenancy.NoCouncil("Several councils share this database: say which one.")
        return councils[0] if councils else cls()


class Membership(CouncilOwned):
    """A person's role in one council (issue 23): the same person may hold a role in
    several councils, and none in the others, which they never see."""

    class Role(models.TextChoices):
        VIEWER = "viewer", "Viewer (councillor)"
        EDITOR = "editor", "Editor (performance advisor)"
        ADMINISTRATOR = "administrator", "Administrator"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    council = council_key()
    role = models.CharField(max_length=20, choices=Role.choices)
    objects = CouncilManager["Membership"]()
    every_council = models.Manager["Membership"]()
    history = HistoricalRecords()

    class Meta:
        ordering = ["council", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "council"], name="membership_one_role"),
            models.CheckConstraint(
                condition=Q(role__in=["viewer", "editor", "administrator"]),
                name="membership_role_is_a_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}"


class CommitteeMeeting(CouncilOwned):
    """A meeting of the scrutiny committee in the council's calendar: its date and the month
    whose figures it reviews. The pack's cover is filled in from the next one; the committee's
    questions and actions will hang from it."""

    # The committee's name as it was at the meeting: a council renames its committees.
    committee = models.CharField(max_length=300)
    date = models.DateField()
    reviews = models.DateField(
        null=True,
        blank=True,
        verbose_name="month reviewed",
        help_text="The month whose figures the meeting reviews (its first day), if known.",
    )
    council = council_key()
    objects = CouncilManager["CommitteeMeeting"]()
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "committee"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "committee", "date"], name="meeting_once_a_day"
            ),
            models.CheckConstraint(
                condition=Q(reviews__isnull=True) | Q(reviews__day=1),
                name="meeting_reviews_a_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee}, {self.date:%-d %B %Y}"

    def clean(self) -> None:
        if not _first_of_month(self.reviews):
            raise ValidationError({"reviews": "A month is stored as its first day."})
        if self.reviews is not None and self.reviews > self.date:
            raise ValidationError(
                {"reviews": "A meeting reviews a month that has begun by the meeting's date."}
            )

    @classmethod
    def for_pack(cls, month: dt.date, today: dt.date) -> "CommitteeMeeting | None":
        """The meeting a pack of ``month`` (its first day) is printed for: the first that
        reviews that month, or else the next one on or after ``today``. One query."""
        reviews_it = models.Case(
            models.When(reviews=month, then=models.Value(0)), default=models.Value(1)
        )
        candidates = cls.objects.filter(Q(reviews=month) | Q(date__gte=today))
        return candidates.order_by(reviews_it, "date", "committee").first()


class LaitComparator(CouncilOwned):
    """The council's comparators for one measure and year, worked out from the stored values
    for the authority and statistical-neighbour list named here (those of the Council when
    they were worked out). Empty numbers are not available."""

    class Quartile(models.TextChoices):
        NONE = "", "No band"
        A = "A", "A (best quarter)"
        B = "B", "B"
        C = "C", "C"
        D = "D", "D (worst quarter)"

    # What a person reads of a comparator, in this order: the admin's list and the CSV export.
    READ_FIELDS = (
        "measure",
        "year",
        "area_value",
        "england",
        "region",
        "statistical_neighbours",
        "quartile",
        "rank",
        "authorities",
    )

    council = council_key()
    measure = models.ForeignKey(LaitMeasure, on_delete=models.CASCADE, related_name="comparators")
    year = models.CharField(max_length=30, help_text="As DfE writes it.")
    year_order = models.PositiveIntegerField(help_text="Sorts a measure's years, oldest first.")
    authority_number = models.PositiveSmallIntegerField()
    neighbour_list = models.ForeignKey(
        StatisticalNeighbourList, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    area_value = models.FloatField(null=True, blank=True)
    england = models.FloatField(null=True, blank=True)
    region_name = models.CharField(max_length=100, blank=True)
    region = models.FloatField(null=True, blank=True)
    statistical_neighbours = models.FloatField(null=True, blank=True)
    neighbours_with_value = models.PositiveSmallIntegerField(
        default=0, help_text="How many of the ten neighbours the mean is of."
    )
    quartile = models.CharField(max_length=1, choices=Quartile.choices, blank=True)
    rank = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1 is best.")
    authorities = models.PositiveSmallIntegerField(
        default=0, help_text="How many authorities have a value (the rank is out of these)."
    )

    objects = CouncilManager["LaitComparator"]()

    class Meta:
        ordering = ["measure", "year_order"]
        verbose_name = "LAIT comparator"
        constraints = [
            models.UniqueConstraint(
                fields=["council", "measure", "year"], name="lait_comparator_one_per_year"
            ),
            models.CheckConstraint(
                condition=Q(quartile__in=["", "A", "B", "C", "D"]),
                name="lait_comparator_quartile_a_to_d",
            ),
            models.CheckConstraint(
                condition=Q(rank__isnull=True)
                | (
                    Q(area_value__isnull=False)
                    & Q(rank__gte=1)
                    & Q(rank__lte=models.F("authorities"))
                ),
                name="lait_comparator_rank_among_authorities",
            ),
            models.CheckConstraint(
                condition=Q(quartile="") | Q(area_value__isnull=False),
                name="lait_comparator_band_needs_a_value",
            ),
            models.CheckConstraint(
                condition=Q(neighbours_with_value__lte=10)
                & (Q(statistical_neighbours__isnull=True) | Q(neighbours_with_value__gte=1)),
                name="lait_comparator_mean_of_up_to_ten_neighbours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.year}"

    def clean(self) -> None:
        if self.rank is not None and (
            self.area_value is None or not 1 <= self.rank <= (self.authorities or 0)
        ):
            raise ValidationError(
                {"rank": "A rank is 1 to the number of authorities with a value."}
            )
        if self.quartile and self.area_value is None:
            raise ValidationError({"quartile": "A band needs the council's value."})
        if self.neighbours_with_value > 10:
            raise ValidationError({"neighbours_with_value": "A list has ten neighbours."})
        if self.statistical_neighbours is not None and self.neighbours_with_value < 1:
            raise ValidationError(
                {"neighbours_with_value": "A neighbours' mean is of at least one neighbour."}
            )


class DataChange(models.Model):
    """An insert-only log of changes, a row written in each writer's transaction; as it
    commits, the database moves on the data version that the read side's cache keys carry
    (indicators.changes, migration 0016)."""

    at = models.DateTimeField(auto_now_add=True)
    # The council whose data changed; none for what every council shows (DfE's LAIT data, a
    # consortium, a change made outside any council), which moves every council's version.
    council = models.ForeignKey(
        "Council", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = "data change"

    def __str__(self) -> str:
        return f"Change {self.pk} at {self.at:%Y-%m-%d %H:%M:%S}"


# Personal API tokens ----------------------------------------------------------------------
# A token is shown once, when it is made; only its SHA-256 digest is kept, so a copy of the
# database gives no one a working token. The prefix names the token in lists ("sc_AbCd…").
TOKEN_PREFIX = "sc_"
TOKEN_DAYS = 90
TOKEN_MAX_DAYS = 366


def token_digest(secret: str) -> str:
    """The SHA-256 digest of a token's secret, as hex: what is stored and looked up."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self, now: dt.datetime | None = None) -> Self:
        """Not revoked, not expired, of an active user."""
        now = now or timezone.now()
        return self.filter(revoked_at=None, expires_at__gt=now, user__is_active=True)


ApiTokenManager = CouncilManager.from_queryset(ApiTokenQuerySet)


class ApiToken(models.Model):
    """A personal token for the read-only API (scorecard/api): it acts as its user, with the
    user's role at each request. Stored as a digest; it expires and can be revoked."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What it is for: 'Power BI dashboard'.")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=12, editable=False, help_text="Its first characters.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    # Set at most once a minute (scorecard.api.authentication): every use is an ApiTokenUse.
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    council = council_key()
    objects = ApiTokenManager()

    class Meta:
        verbose_name = "API token"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user: "User", name: str, days: int = TOKEN_DAYS) -> tuple["ApiToken", str]:
        """A new token for ``user``, valid ``days`` days: (the stored token, its secret).
        The secret is returned once and never stored."""
        if not 1 <= days <= TOKEN_MAX_DAYS:
            raise ValidationError(f"A token lasts from 1 to {TOKEN_MAX_DAYS} days.")
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = timezone.now()
        token = cls.objects.create(
            user=user,
            name=name.strip()[:100] or "API token",
            digest=token_digest(secret),
            prefix=secret[:8],
            created_at=now,
            expires_at=now + dt.timedelta(days=days),
        )
        return token, secret

    @classmethod
    def find(cls, secret: str) -> "ApiToken | None":
        """The usable token with this secret, with its user: one query."""
        return (
            cls.objects.usable().select_related("user").filter(digest=token_digest(secret)).first()
        )

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    @property
    def state(self) -> str:
        """ "Active", "Revoked" or "Expired", as the account page says it."""
        if self.revoked_at is not None:
            return "Revoked"
        if self.expires_at <= timezone.now():
            return "Expired"
        return "Active"


class ApiTokenUse(models.Model):
    """One request made with a token: who, when, what was asked and the answer's status."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="uses")
    at = models.DateTimeField(default=timezone.now)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    status = models.PositiveSmallIntegerField()
    address = models.GenericIPAddressField(null=True, blank=True)

    council_path = "token__council"
    objects = CouncilManager["ApiTokenUse"]()

    class Meta:
        verbose_name = "API token use"
        ordering = ["-at", "-pk"]
        indexes = [
            # The token's admin page lists its latest uses.
            models.Index(fields=["token", "at"], name="apitokenuse_token_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"


# Emails (issue 22) ---------------------------------------------------------------------------
class OutboxEmail(CouncilOwned):
    """An email to send, written in the transaction of what caused it (a reminder, a month
    published) and delivered after that commits (``indicators.outbox``): a failure is kept
    with its error and retried, never lost. Not the council's data: saving one does not move
    the data version (``indicators.changes``)."""

    MAX_ATTEMPTS = 5

    class Kind(models.TextChoices):
        REMINDER = "reminder", "Reminder of missing figures"
        DIGEST = "digest", "Digest of a published month"

    to = models.EmailField(max_length=254)
    subject = models.CharField(max_length=300)
    text = models.TextField()
    html = models.TextField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # What the email is for, once: a second reminder for the same owner and day, or a second
    # digest of the same publication, is not written.
    dedupe_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # A sender holds the email while it talks to the mail server, so two senders (the thread
    # started by a page, the send_emails command) never both send it; a hold older than
    # outbox.HOLD is taken to be a sender that died.
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    council = council_key()
    objects = CouncilManager["OutboxEmail"]()
    # Delivery (indicators.outbox) is the platform's, for every council's emails at once.
    every_council = models.Manager["OutboxEmail"]()

    class Meta:
        verbose_name = "outbox email"
        ordering = ["-created_at", "-id"]
        indexes = [
            # send_emails reads the pending ones.
            models.Index(fields=["sent_at", "attempts"], name="outbox_pending"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(attempts__lte=100), name="outbox_attempts_are_bounded"
            ),
            models.UniqueConstraint(fields=["council", "dedupe_key"], name="outbox_once_per_key"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.to}: {self.subject}"

    @property
    def status(self) -> str:
        if self.sent_at is not None:
            return "Sent"
        if self.attempts >= self.MAX_ATTEMPTS:
            return "Failed (no more attempts)"
        return "Pending" if not self.attempts else "Pending (failed before)"


class SentReminder(models.Model):
    """A reminder written to an owner for a month on a day: at most one (its unique
    constraint), however often the command runs that day."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    period = models.DateField(verbose_name="month")
    day = models.DateField()
    missing = models.PositiveSmallIntegerField(help_text="How many figures were missing.")
    email = models.OneToOneField(OutboxEmail, on_delete=models.PROTECT, related_name="reminder")

    council_path = "email__council"
    objects = CouncilManager["SentReminder"]()

    class Meta:
        verbose_name = "sent reminder"
        ordering = ["-day", "owner_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "period", "day"], name="reminder_once_a_day_per_owner_and_month"
            ),
            models.CheckConstraint(
                condition=Q(period__day=1), name="reminder_period_is_first_of_month"
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder to {self.owner} on {self.day} for {self.period:%b-%y}"


class EmailPreference(models.Model):
    """Whether a user is emailed a digest when a month is published. Without a row, the
    role decides (``wants_digest``): editors and administrators yes, viewers no."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preference"
    )
    digest_on_publish = models.BooleanField(
        verbose_name="Email me a digest when a month is published"
    )

    class Meta:
        verbose_name = "email preference"

    def __str__(self) -> str:
        return f"{self.user}: digest {'on' if self.digest_on_publish else 'off'}"


class AboutIndicatorOrPriority(models.Model):
    """What is about one indicator or one priority, never both nor neither: a councillor's
    question and an event on a chart. Each model names its own check constraint (the
    migrations made them) with ``one_of_indicator_or_priority`` and says the rule in its words
    with ``one_of_message``."""

    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.CASCADE, related_name="%(class)ss"
    )
    priority = models.ForeignKey(
        Priority, null=True, blank=True, on_delete=models.CASCADE, related_name="%(class)ss"
    )

    one_of_message = ""

    class Meta:
        abstract = True

    def clean(self) -> None:
        if (self.indicator_id is None) == (self.priority_id is None):
            raise ValidationError(self.one_of_message)

    @property
    def subject(self) -> str:
        if self.indicator_id is not None:
            assert self.indicator is not None
            return f"indicator {self.indicator.reference}"
        assert self.priority is not None
        return f"priority {self.priority.number}"


def one_of_indicator_or_priority(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(indicator__isnull=False, priority__isnull=True)
        | Q(indicator__isnull=True, priority__isnull=False),
        name=name,
    )


class QuestionQuerySet(models.QuerySet["Question"]):
    def for_listing(self) -> "QuestionQuerySet":
        """With everything a listing prints (the indicator or priority, the meeting and the
        people) joined in, so a page of questions is one query."""
        return self.select_related(
            "indicator", "priority", "meeting", "raised_by", "assigned_to", "answered_by"
        )

    def about_priority(self, priority: Priority) -> "QuestionQuerySet":
        """Questions about ``priority`` itself or about one of its indicators."""
        return self.filter(Q(priority=priority) | Q(indicator__priorities=priority)).distinct()

    def overdue(self, today: dt.date) -> "QuestionQuerySet":
        return self.filter(status=Question.Status.OPEN, due_date__lt=today)


QuestionManager = CouncilManager.from_queryset(QuestionQuerySet)


class Question(AboutIndicatorOrPriority):
    """A councillor's question, or an action agreed at committee, about one indicator or one
    priority: raised (by a viewer from a page, or recorded by an editor for a meeting),
    assigned to an officer with a due date, answered by that officer and closed. An open
    one past its due date is overdue; that is worked out, never stored."""

    class Kind(models.TextChoices):
        QUESTION = "question", "Question"
        ACTION = "action", "Action"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ANSWERED = "answered", "Answered"
        CLOSED = "closed", "Closed"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.QUESTION)
    text = models.TextField()
    meeting = models.ForeignKey(
        CommitteeMeeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions_raised",
    )
    raised_at = models.DateTimeField(default=timezone.now)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions_assigned",
        verbose_name="officer",
    )
    due_date = models.DateField(null=True, blank=True)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions_answered",
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    council = council_key()
    objects = QuestionManager()
    history = HistoricalRecords()

    class Meta:
        # The questions page and the indicator and priority pages list the newest first.
        ordering = ["-raised_at", "-id"]
        constraints = [
            one_of_indicator_or_priority("question_about_an_indicator_or_a_priority"),
            _text_within_limit("text", "question_text_within_limit"),
            _text_within_limit("answer", "question_answer_within_limit"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} about {self.subject}"

    one_of_message = "A question is about one indicator or one priority: choose one."

    def clean(self) -> None:
        super().clean()
        for field in ("text", "answer"):
            if len(getattr(self, field)) > MAX_TEXT_LENGTH:
                raise ValidationError({field: f"Use {MAX_TEXT_LENGTH:,} characters or fewer."})

    def is_overdue(self, today: dt.date) -> bool:
        return (
            self.status == self.Status.OPEN and self.due_date is not None and self.due_date < today
        )

    def shown_status(self, today: dt.date) -> tuple[str, str]:
        """The status in words and the GOV.UK tag colour it is drawn in, as the RAG tags are:
        overdue red, open blue, answered green, closed grey."""
        if self.is_overdue(today):
            return "Overdue", "red"
        colour = {self.Status.OPEN: "blue", self.Status.ANSWERED: "green"}.get(
            self.Status(self.status), "grey"
        )
        return self.get_status_display(), colour


class EventQuerySet(models.QuerySet["Event"]):
    def published(self) -> Self:
        """Only events in published months: what a viewer may see."""
        return self.filter(period__in=PublishedMonth.objects.values("period"))

    def marks_by_indicator(self, last: periods.Month | None = None) -> dict[int, list[EventMark]]:
        """{indicator id: [EventMark, ...]} oldest first, up to ``last``; a priority's event
        is each of its indicators' (one query: a priority's event joined to its links)."""
        events = self if last is None else self.filter(period__lte=last.first_day)
        rows = events.values_list(
            "id",
            "indicator_id",
            "priority__number",
            "priority__priorityindicator__indicator_id",
            "period",
            "label",
            "note",
            "changed_process",
        )
        found: defaultdict[int, list[EventMark]] = defaultdict(list)
        for event_id, indicator_id, number, linked, period, label, note, changed in rows:
            on = indicator_id or linked
            if on is None:
                continue  # a priority with no indicators
            found[on].append(
                EventMark(
                    periods.Month.from_date(period),
                    label,
                    note,
                    changed,
                    f"Priority {number}" if number is not None else "",
                    event_id,
                )
            )
        return {key: sorted(marks) for key, marks in found.items()}


EventManager = CouncilManager.from_queryset(EventQuerySet)


class Event(AboutIndicatorOrPriority):
    """Something that happened to the service in a month ("New front door opened", Apr-23),
    on one indicator or on one priority (then on each of its indicators): drawn on their
    charts as a labelled line and listed on the indicator page. One that changed the process
    starts new SPC limits from its month (Making Data Count's rebase; decision 0004)."""

    period = models.DateField(verbose_name="month")
    label = models.CharField(
        max_length=LABEL_LENGTH, help_text="Printed on the chart, e.g. 'New front door opened'."
    )
    note = models.TextField(blank=True)
    changed_process = models.BooleanField(
        default=False,
        verbose_name="changed the process",
        help_text="The SPC average and expected range are worked out again from this month.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    council = council_key()
    objects = EventManager()
    history = HistoricalRecords()

    class Meta:
        # The events page lists an indicator's oldest first, as the chart draws them.
        ordering = ["period", "id"]
        constraints = [
            one_of_indicator_or_priority("event_on_an_indicator_or_a_priority"),
            models.CheckConstraint(condition=Q(period__day=1), name="event_month_is_a_first_day"),
            models.CheckConstraint(condition=~Q(label=""), name="event_has_a_label"),
            _text_within_limit("note", "event_note_within_limit"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({periods.Month.from_date(self.period).label}, {self.subject})"

    one_of_message = "An event is on one indicator or one priority: choose one."

    def clean(self) -> None:
        super().clean()
        if self.period is not None and not _first_of_month(self.period):
            raise ValidationError({"period": "A month is stored as its first day."})
        if not self.label.strip():
            raise ValidationError({"label": "Give the event a short label for the chart."})
        if len(self.note) > MAX_TEXT_LENGTH:
            raise ValidationError({"note": f"Use {MAX_TEXT_LENGTH:,} characters or fewer."})

    @property
    def month(self) -> periods.Month:
        return periods.Month.from_date(self.period)


# Consortia (issue 23, part 4) ---------------------------------------------------------------
class Consortium(models.Model):
    """A group of councils comparing their monthly figures (a region's improvement alliance,
    or any group). Platform-level: it belongs to no council, and only a platform superuser
    makes one, adds its members and its analysts (``intake.consortium_admin``)."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=50, unique=True, help_text="Its address: /consortia/SLUG/.")
    councils = models.ManyToManyField(
        Council, through="ConsortiumMember", related_name="consortia", blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "consortia"

    def __str__(self) -> str:
        return self.name


class ConsortiumMember(models.Model):
    """A council in a consortium, and the day it joined."""

    consortium = models.ForeignKey(Consortium, on_delete=models.CASCADE, related_name="members")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    joined = models.DateField(default=dt.date.today)
    history = HistoricalRecords()

    class Meta:
        ordering = ["consortium", "council__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["consortium", "council"], name="consortium_member_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council} in {self.consortium}"


class ConsortiumMeasure(models.Model):
    """A consortium's own definition, for indicators DfE's LAIT has no measure for: members'
    indicators are compared under its code (never by their names)."""

    consortium = models.ForeignKey(Consortium, on_delete=models.CASCADE, related_name="measures")
    code = models.SlugField(max_length=40, help_text="e.g. sw-cp-visits-in-time.")
    name = models.CharField(max_length=300)
    unit = models.CharField(max_length=20, choices=Indicator.Unit.choices)
    polarity = models.CharField(max_length=20, choices=Indicator.Polarity.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["consortium", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["consortium", "code"], name="consortium_measure_code_once"
            ),
            models.CheckConstraint(
                condition=Q(polarity__in=["higher_is_better", "lower_is_better", "neither"]),
                name="consortium_measure_polarity_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"


class SharedIndicator(models.Model):
    """A council's choice to share one of its indicators with a consortium, from a month:
    matched with the other members' by a shared definition, the consortium's ``measure``
    when given, else the indicator's DfE LAIT measure (never by name). Commentary is shared
    only when ``share_commentary`` says so. Council-owned: a council's administrator makes
    and sees only their own council's choices."""

    consortium = models.ForeignKey(Consortium, on_delete=models.CASCADE, related_name="shared")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="shared_with")
    measure = models.ForeignKey(
        ConsortiumMeasure,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shared",
        help_text="The consortium's own definition; blank: matched by the indicator's DfE "
        "LAIT measure.",
    )
    from_month = models.DateField(help_text="The first month shared (the 1st of the month).")
    share_commentary = models.BooleanField(
        default=False, help_text="Whether members and analysts see the month's commentary."
    )
    council_path = "indicator__council"
    objects = CouncilManager["SharedIndicator"]()
    history = HistoricalRecords()

    class Meta:
        ordering = ["consortium", "indicator__reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["consortium", "indicator"], name="shared_indicator_once"
            ),
            models.CheckConstraint(
                condition=Q(from_month__day=1), name="shared_indicator_from_first_of_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} shared with {self.consortium_id}"

    def clean(self) -> None:
        if not _first_of_month(self.from_month):
            raise ValidationError({"from_month": "Give the first day of the month."})
        measure = self.measure if self.measure_id is not None else None
        if measure is not None and measure.consortium_id != self.consortium_id:
            raise ValidationError({"measure": "Choose one of this consortium's own codes."})
        if measure is None and self.indicator_id and self.indicator.lait_measure_id is None:
            raise ValidationError(
                {"measure": "This indicator has no DfE LAIT measure: choose a code."}
            )

    @property
    def definition(self) -> tuple[str, str]:
        """What it is matched by: ("code", code) or ("lait", measure code)."""
        if self.measure is not None:
            return ("code", self.measure.code)
        lait = self.indicator.lait_measure
        return ("lait", lait.code if lait is not None else "")


class ConsortiumAnalyst(models.Model):
    """A person who may see a consortium's shared figures (and nothing of any council's own
    pages unless they hold a role there too)."""

    consortium = models.ForeignKey(Consortium, on_delete=models.CASCADE, related_name="analysts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consortium_roles"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["consortium", "user"]
        constraints = [
            models.UniqueConstraint(fields=["consortium", "user"], name="consortium_analyst_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} analyses {self.consortium}"
