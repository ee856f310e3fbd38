"""django-tables2 tables for the scorecard pages, rendered with GOV.UK table markup."""

import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from scorecard import charts

NUMERIC = {
    "th": {"class": "govuk-table__header govuk-table__header--numeric"},
    "td": {"class": "govuk-table__cell govuk-table__cell--numeric"},
}


class MonthColumn(tables.Column):
    """One month's figure, formatted at the indicator's precision."""

    def __init__(self, month, **kwargs):
        self.month = month
        super().__init__(
            verbose_name=month.label,
            accessor="indicator",
            orderable=False,
            attrs=NUMERIC,
            **kwargs,
        )

    def render(self, record):
        # A figure revised after its month was published carries the mark, with the date,
        # the previous figure and the reason as words (indicators.judgement.Row).
        revised = record.revision_text(self.month)
        if not revised:
            return record.display(self.month)
        mark = render_to_string("partials/revised_mark.html", {"text": revised})
        return format_html("{}{}", record.display(self.month), mark)


class OverTimeColumn(tables.Column):
    """A small line of the figures the row's chart draws (charts.sparkline)."""

    def __init__(self, **kwargs):
        super().__init__(
            verbose_name="Over time",
            accessor="indicator",
            orderable=False,
            empty_values=(),
            **kwargs,
        )

    def render(self, record):
        return render_to_string("partials/sparkline.html", {"line": charts.sparkline(record)})


class HeadlineMeasuresTable(tables.Table):
    # Names the table's scrolling box (templates/partials/govuk_table.html); it has no caption.
    region_label = "Headline performance measures"
    reference = tables.Column(verbose_name="ID", accessor="indicator__reference", orderable=False)
    description = tables.Column(accessor="indicator__description", orderable=False)
    target = tables.Column(accessor="target_display", orderable=False, attrs=NUMERIC)
    rag = tables.Column(verbose_name="RAG", accessor="rag", orderable=False)
    direction = tables.Column(
        verbose_name="Direction of travel", accessor="direction", orderable=False
    )
    # empty_values=(): render "Not enough data" rather than a dash when there is no SPC.
    variation = tables.Column(accessor="spc", orderable=False, empty_values=())
    assurance = tables.Column(accessor="spc", orderable=False, empty_values=())
    # DfE LAIT benchmarks (issue 13): England and the statistical neighbours' mean for the
    # year the page compares with, and the council's quartile band (row.benchmark).
    benchmark = tables.Column(
        verbose_name="England / SN (year)",
        accessor="benchmark",
        orderable=False,
        empty_values=(),
        attrs=NUMERIC,
    )
    quartile = tables.Column(
        verbose_name="Quartile (A best)", accessor="benchmark", orderable=False, empty_values=()
    )

    class Meta:
        attrs = {"class": "govuk-table scorecard-table"}
        orderable = False
        sequence = (
            "reference",
            "description",
            "...",
            "target",
            "benchmark",
            "quartile",
            "rag",
            "direction",
            "variation",
            "assurance",
        )

    def __init__(self, rows, months, **kwargs):
        extra = [(f"month_{m.iso}", MonthColumn(m)) for m in months]
        super().__init__(rows, extra_columns=[*extra, ("over_time", OverTimeColumn())], **kwargs)

    def render_reference(self, record):
        url = reverse("indicator", args=[record.indicator.reference])
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>', url, record.indicator.reference
        )

    def render_rag(self, record):
        return render_to_string("partials/rag_badge.html", {"row": record})

    def render_variation(self, record):
        return render_to_string("partials/spc_variation.html", {"result": record.spc})

    def render_assurance(self, record):
        return render_to_string("partials/spc_assurance.html", {"result": record.spc})

    def render_direction(self, record):
        return render_to_string("partials/direction.html", {"direction": record.direction})

    def render_benchmark(self, record):
        if record.benchmark is None:
            return _NOT_BENCHMARKED
        return record.benchmark.latest.compact_text

    def render_quartile(self, record):
        if record.benchmark is None:
            return _NOT_BENCHMARKED
        year = record.benchmark.latest
        if year.council_withheld:
            return format_html(
                '{}<span class="govuk-visually-hidden"> (not shown beside a suppressed '
                "figure)</span>",
                year.quartile_text,
            )
        return year.quartile_text


# A row with no DfE benchmark: a dash to the eye, words to a screen reader.
_NOT_BENCHMARKED = mark_safe(
    '<span aria-hidden="true">–</span><span class="govuk-visually-hidden">No DfE benchmark</span>'
)


class IndicatorHistoryTable(tables.Table):
    """Every month's figure of one indicator, newest first."""

    month = tables.Column(accessor="month__label", orderable=False)
    value = tables.Column(accessor="display", orderable=False, attrs=NUMERIC)
    fraction = tables.Column(
        verbose_name="Numerator / denominator",
        accessor="fraction",
        orderable=False,
        attrs=NUMERIC,
        default="",
    )
    status = tables.Column(accessor="status_label", orderable=False)
    target = tables.Column(accessor="target_display", orderable=False, attrs=NUMERIC)
    rag = tables.Column(verbose_name="RAG", accessor="rag", orderable=False)
    direction = tables.Column(
        verbose_name="Direction of travel", accessor="direction", orderable=False
    )
    revision = tables.Column(
        verbose_name="Revised after publication",
        accessor="revision_text",
        orderable=False,
        default="",
    )

    class Meta:
        attrs = {"class": "govuk-table", "id": "history-table"}
        orderable = False

    @property
    def caption(self):
        """Which months the page shows, once the table is paginated (RequestConfig)."""
        page = getattr(self, "page", None)
        if page is None or self.paginator.num_pages < 2:
            return "Every month, newest first"
        return (
            f"Every month, newest first: {page.start_index()} to {page.end_index()} "
            f"of {self.paginator.count} (page {page.number} of {self.paginator.num_pages})"
        )

    def render_rag(self, record):
        return render_to_string("partials/rag_badge.html", {"row": record})

    def render_direction(self, record):
        return render_to_string("partials/direction.html", {"direction": record.direction})
