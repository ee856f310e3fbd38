"""The data side: priorities, indicators, targets, monthly figures and what hangs off them.

A month is stored as a ``DateField`` holding the first day of that month; ``periods.Month``
converts. Constraints that must always hold live in the database (named, so errors can be
mapped back to sentences) and are mirrored in ``clean()`` for forms and the admin.
"""

from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from . import periods, rules, units
from .figures import Figure, Revision


def _first_of_month(value):
    return value is None or value.day == 1


class HeadlineMeasureQuerySet(models.QuerySet):
    """Rows that belong to an indicator (figures, targets, commentary): the ones the
    scorecard of one priority, or of every active headline measure, reads."""

    def for_scorecard(self, priority=None):
        # One priority: filter by join, so the SQL does not carry a list of ids that grows.
        if priority is not None:
            return self.filter(indicator__priorityindicator__priority=priority)
        return self.filter(indicator__active=True)


class MonthlyQuerySet(HeadlineMeasureQuerySet):
    """Rows kept per month (figures, commentary, milestone updates)."""

    def published(self):
        """Only the months an editor has published: what a viewer may see."""
        # A subquery, not a list of months: still one query, whatever the number of months.
        return self.filter(period__in=PublishedMonth.objects.values("period"))

    def between(self, first, last):
        """The months ``first`` to ``last`` (periods.Month), inclusive."""
        return self.filter(period__gte=first.first_day, period__lte=last.first_day)

    def in_month(self, month):
        return self.filter(period=month.first_day)


class Priority(models.Model):
    number = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=200)
    commitment = models.TextField(blank=True)
    lead_officer = models.CharField(max_length=200, blank=True)
    display_order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["display_order", "number"]
        verbose_name_plural = "priorities"

    def __str__(self):
        return f"Priority {self.number}: {self.title}"


class IndicatorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def lock_for_writing(self, ids):
        """Lock these indicators' rows until the transaction ends: every writer of figures
        (the entry grid, the import) takes this lock first, in id order, so two writers of the
        same figures run one after the other and never deadlock. A figure not yet stored has
        no row to lock; its indicator's row stands for it. (SQLite locks the whole database
        for a write transaction instead: see settings' "transaction_mode".)"""
        return list(self.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))


class Indicator(models.Model):
    # The units are defined once, in indicators.units.
    Unit = models.TextChoices(
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

    reference = models.CharField(max_length=20, unique=True)
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

    objects = IndicatorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["reference"]
        constraints = [
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
        ]

    def __str__(self):
        return f"{self.reference} {self.description}"

    def clean(self):
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


class PriorityIndicatorQuerySet(models.QuerySet):
    def for_scorecard(self, priority=None):
        """The headline measures tables: every active indicator under its priorities (or one
        priority's), with both loaded, in the order the tables show them."""
        links = self.filter(indicator__active=True).select_related("priority", "indicator")
        if priority is not None:
            links = links.filter(priority=priority)
        return links.order_by("priority__display_order", "priority__number", "display_order")


class PriorityIndicator(models.Model):
    """An indicator's place in a priority's headline measures table (one indicator may sit
    under several priorities, e.g. ID 69 under 1 and 6)."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE)
    display_order = models.PositiveSmallIntegerField(default=0)

    objects = PriorityIndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "display_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "indicator"], name="priority_indicator_unique"
            ),
        ]

    def __str__(self):
        return f"{self.priority.number} / {self.indicator.reference}"


class TargetQuerySet(HeadlineMeasureQuerySet):
    def spans_by_indicator(self):
        """{indicator id: [rules.TargetSpan, ...]}, each indicator's oldest first."""
        result = defaultdict(list)
        for target in self.order_by("valid_from"):
            result[target.indicator_id].append(target.as_rule())
        return result


class Target(models.Model):
    """A target valid from a month (and optionally to a month): a target that changes over
    time is a trajectory of several rows."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    value = models.DecimalField(max_digits=14, decimal_places=4)
    label = models.CharField(
        max_length=60,
        blank=True,
        help_text="Where the target comes from, e.g. 'England' or 'Ofsted Good+'. "
        "Leave blank for a local target.",
    )
    valid_from = models.DateField(help_text="First month the target applies to.")
    valid_to = models.DateField(null=True, blank=True, help_text="Last month, if it ends.")
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
    objects = TargetQuerySet.as_manager()
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
        ]

    def __str__(self):
        return f"{self.indicator.reference}: {self.value} {self.label} from {self.valid_from}"

    def clean(self):
        if not _first_of_month(self.valid_from) or not _first_of_month(self.valid_to):
            raise ValidationError("Targets start and end on a month: use the 1st of the month.")
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError("A target cannot end before it starts.")

    def as_rule(self):
        return rules.TargetSpan(
            value=self.value,
            label=self.label,
            valid_from=periods.Month.from_date(self.valid_from),
            valid_to=periods.Month.from_date(self.valid_to) if self.valid_to else None,
            tolerance=self.tolerance,
            absolute_tolerance=self.absolute_tolerance,
        )


class ValueQuerySet(MonthlyQuerySet):
    def figures_by_indicator(self):
        """{indicator id: {periods.Month: figures.Figure}}, each with its latest revision
        (``figures.Revision``) when it was changed after its month was published: one query."""
        result = defaultdict(dict)
        for row in self.values_list(
            "indicator_id",
            "period",
            "value",
            "numerator",
            "denominator",
            "status",
            "synthetic",
            *REVISION_FIELDS,
        ):
            indicator_id, period, *figure = row[:7]
            revision = _revision(*row[7:])
            result[indicator_id][periods.Month.from_date(period)] = Figure(
                *figure, revision=revision
            )
        return result

    def months(self):
        """The months that have figures, newest first."""
        # Periods are stored as the 1st of the month, so DISTINCT on the column is enough;
        # .dates() truncated every row's date first (80 ms at 12,000 figures on SQLite).
        dates = self.order_by("-period").values_list("period", flat=True).distinct()
        return [periods.Month.from_date(date) for date in dates]


REVISION_FIELDS = (
    "revised_at",
    "revision_reason",
    "previous_value",
    "previous_numerator",
    "previous_status",
)


def _revision(revised_at, reason, previous_value, previous_numerator, previous_status):
    if revised_at is None:
        return None
    previous = None
    if previous_status:
        previous = Figure(previous_value, previous_numerator, status=previous_status)
    return Revision(revised_at, reason, previous)


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
    objects = ValueQuerySet.as_manager()
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

    def __str__(self):
        return f"{self.indicator_id} {self.period:%Y-%m}: {self.value}"

    def set_figure(self, figure, user, reason, *, acknowledged=(), revision=None):
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

    def mark_revised(self, previous, reason, when=None):
        """Record this change as a revision of a published month (``previous``: the figure
        before it, or None when there was none)."""
        self.revised_at = when or timezone.now()
        self.revision_reason = reason
        self.previous_value = previous.value if previous else None
        self.previous_numerator = previous.numerator if previous else None
        self.previous_status = previous.status if previous else ""

    def clean(self):
        if not _first_of_month(self.period):
            raise ValidationError({"period": "A figure is for a month: use the 1st of the month."})
        if self.status == self.Status.NOT_AVAILABLE and self.value is not None:
            raise ValidationError({"value": "A figure marked 'Not available' has no value."})
        withheld = (self.Status.NOT_AVAILABLE, self.Status.SUPPRESSED)
        if self.status not in withheld and self.value is None:
            raise ValidationError({"value": "Enter a value, or mark the figure 'Not available'."})
        if self.denominator is not None and self.denominator <= 0:
            raise ValidationError({"denominator": "The denominator must be more than zero."})


class Commentary(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="commentaries")
    period = models.DateField()
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField(auto_now=True)
    objects = MonthlyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "-period"]
        verbose_name_plural = "commentaries"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"],
                name="commentary_one_per_indicator_and_month",
            ),
        ]

    def __str__(self):
        return f"{self.indicator_id} {self.period:%Y-%m}"


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
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "comparator", "period_label"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "comparator", "period_label"],
                name="benchmark_one_per_comparator_and_year",
            ),
        ]

    def __str__(self):
        return f"{self.indicator_id} {self.get_comparator_display()} {self.period_label}"

    @property
    def display_name(self):
        return self.comparator_name or self.get_comparator_display()


class Population(models.Model):
    """A population denominator, e.g. children aged 0-17 (2021 Census) for rates per 10,000."""

    name = models.CharField(max_length=100)
    age_from = models.PositiveSmallIntegerField()
    age_to = models.PositiveSmallIntegerField()
    value = models.PositiveIntegerField()
    source = models.CharField(max_length=100)
    valid_from = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["age_from", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["age_from", "age_to", "valid_from"],
                name="population_one_per_band_and_start",
            ),
            models.CheckConstraint(
                condition=Q(age_to__gte=models.F("age_from")),
                name="population_age_range_valid",
            ),
            models.CheckConstraint(condition=Q(value__gt=0), name="population_positive"),
        ]

    def __str__(self):
        return f"{self.name}: {self.value:,} ({self.source})"


class Milestone(models.Model):
    """A project milestone (workstream) of a priority; its monthly updates keep their month."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="milestones")
    workstream = models.CharField(max_length=300)
    owner = models.CharField(max_length=200, blank=True)
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["priority", "display_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "workstream"], name="milestone_unique_per_priority"
            ),
        ]

    def __str__(self):
        return self.workstream


class MilestoneUpdate(models.Model):
    class Status(models.TextChoices):
        NOT_STATED = "", "Not stated"
        RED = "red", "Red"
        AMBER = "amber", "Amber"
        GREEN = "green", "Green"
        COMPLETE = "complete", "Complete"

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
    objects = MonthlyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["milestone", "-period"]
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "period"], name="milestone_update_one_per_month"
            ),
        ]

    def __str__(self):
        return f"{self.milestone} {self.period:%Y-%m}"


class PublishedMonth(models.Model):
    """A month whose figures viewers may see. Months are draft until an editor publishes."""

    period = models.DateField(unique=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-period"]

    def __str__(self):
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

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action="unpublish") | ~Q(reason=""),
                name="publication_unpublish_needs_reason",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.period:%b-%y}"


class ImportBatch(models.Model):
    """An uploaded file kept between preview and confirm with the plan made from it when it
    was uploaded; the confirm applies that plan, refusing any figure changed since."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed"
        APPLIED = "applied", "Imported"
        CANCELLED = "cancelled", "Cancelled"

    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    # The plan made when the file was uploaded (imports.stored): the preview shows it and
    # the confirm applies it, so a file is read once, however often its preview is opened.
    plan = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"


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

    def __str__(self):
        return f"{self.indicator_id} {self.year_label}: {self.value}"

    def clean(self):
        if self.value is None and not self.suppressed and not self.note:
            raise ValidationError(
                {
                    "value": "Enter the year's figure, mark it withheld at source (suppressed) "
                    "or give the note printed instead."
                }
            )
        if self.denominator is not None and self.denominator <= 0:
            raise ValidationError({"denominator": "The denominator must be more than zero."})


class ReportSection(models.Model):
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
    history = HistoricalRecords()

    class Meta:
        ordering = ["quarter", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["quarter", "title"], name="report_section_one_per_quarter_and_title"
            ),
        ]

    def __str__(self):
        return f"{self.quarter} {self.title}"
