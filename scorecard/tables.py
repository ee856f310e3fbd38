"""django-tables2 tables for the scorecard pages, rendered with GOV.UK table markup."""

from collections.abc import Iterable, Sequence
from typing import Any

import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from indicators import rules, spc
from indicators.judgement import Row
from indicators.periods import Month
from scorecard.queries import HistoryRecord

NUMERIC = {
    "th": {"class": "govuk-table__header govuk-table__header--numeric"},
    "td": {"class": "govuk-table__cell govuk-table__cell--numeric"},
}


class MonthColumn(tables.Column):
    """One month's figure, formatted at the indicator's precision."""

    def __init__(self, month: Month, **kwargs: Any) -> None:
        self.month = month
        super().__init__(
            verbose_name=month.label,
            accessor="indicator",
            orderable=False,
            attrs=NUMERIC,
            **kwargs,
        )

    def render(self, record: Row) -> str:
        # A figure revised after its month was published carries the mark, with the date,
        # the previous figure and the reason as words (indicators.judgement.Row).
        revised = record.revision_text(self.month)
        if not revised:
            return record.display(self.month)
        mark = render_to_string("partials/revised_mark.html", {"text": revised})
        return format_html("{}{}", record.display(self.month), mark)


class JudgedTable(tables.Table):
    """A table of judged figures: each row's RAG and direction of travel, drawn by the
    partials every page shares (a subclass places them in its ``Meta.sequence``)."""

    rag = tables.Column(verbose_name="RAG", accessor="rag", orderable=False)
    direction = tables.Column(
        verbose_name="Direction of travel", accessor="direction", orderable=False
    )

    def render_rag(self, record: Row | HistoryRecord) -> str:
        return render_to_string("partials/rag_badge.html", {"row": record})

    def render_direction(self, record: Row | HistoryRecord) -> str:
        return render_to_string("partials/direction.html", {"direction": record.direction})


class HeadlineMeasuresTable(JudgedTable):
    """The council paper's headline table: ID, description, the last three months, target,
    RAG and direction of travel, and one compact DfE column (England / statistical
    neighbours). With ``details`` (the web page), each description opens onto the rest in
    words: the target in full, SPC variation and assurance, the DfE quartile band."""

    # Names the table's scrolling box (templates/partials/govuk_table.html); it has no caption.
    region_label = "Headline performance measures"
    reference = tables.Column(verbose_name="ID", accessor="indicator__reference", orderable=False)
    description = tables.Column(
        accessor="indicator__description",
        orderable=False,
        attrs={"td": {"class": "govuk-table__cell scorecard-table__description"}},
    )
    # A long target is printed short ("850-1,000 (range)"); the key gives it in full.
    target = tables.Column(accessor="target_display", orderable=False, attrs=NUMERIC)
    # DfE LAIT benchmarks (issue 13): England and the statistical neighbours' mean for the
    # year the page compares with (row.benchmark); the quartile band is in the details.
    benchmark = tables.Column(
        verbose_name="England / SN (year)",
        accessor="benchmark",
        orderable=False,
        empty_values=(),
        attrs=NUMERIC,
    )

    class Meta:
        attrs = {"class": "govuk-table scorecard-table"}
        orderable = False
        sequence = ("reference", "description", "...", "target", "rag", "direction", "benchmark")

    def __init__(
        self, rows: Sequence[Row], months: Iterable[Month], *, details: bool = False, **kwargs: Any
    ) -> None:
        self.details = details
        extra = [(f"month_{m.iso}", MonthColumn(m)) for m in months]
        super().__init__(rows, extra_columns=extra, **kwargs)

    def render_reference(self, record: Row) -> str:
        url = reverse("indicator", args=[record.indicator.reference])
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>', url, record.indicator.reference
        )

    def render_description(self, record: Row) -> str:
        if not self.details:
            return record.indicator.description
        return render_to_string("partials/measure_details.html", measure_details(record))

    def render_target(self, record: Row) -> str:
        indicator = record.indicator
        return rules.short_target(record.target, indicator.unit, indicator.decimal_places)

    def render_benchmark(self, record: Row) -> str:
        if record.benchmark is None:
            return _NOT_BENCHMARKED
        return record.benchmark.latest.compact_text


def spc_words(row: Row) -> str:
    """The row's SPC variation and assurance in words, for paper, which cannot open a
    details: "Variation: Common cause variation. Assurance: No target.\""""
    variation = row.spc.variation.label if row.spc else "not enough data"
    return f"Variation: {variation}. Assurance: {_assurance_label(row.spc)}."


def _assurance_label(result: spc.XmR | None) -> str:
    if result is None:
        return "not enough data"
    return result.assurance.label if result.assurance else "No target"


_VARIATION_MEANING = {variation.kind: meaning for variation, meaning in spc.VARIATION_KEY}
_ASSURANCE_MEANING = {assurance.css: meaning for assurance, meaning in spc.ASSURANCE_KEY}


def measure_details(row: Row) -> dict[str, str | Row]:
    """What a headline row holds beyond the paper's columns, in words: the target in full,
    SPC variation and assurance with their meaning, the DfE comparison with its quartile
    band. For ``partials/measure_details.html``."""
    result = row.spc
    short = rules.short_target(row.target, row.indicator.unit, row.indicator.decimal_places)
    # The target in full only where the table prints it short.
    full = row.target_display if short != row.target_display else ""
    details: dict[str, str | Row] = {"row": row, "target": full, "variation": "", "assurance": ""}
    if result is None:
        details["variation"] = (
            "Not enough data (under 12 months): too few figures in the last 24 months to "
            "tell usual from unusual."
        )
    else:
        kind = result.variation.kind
        details["variation"] = f"{result.variation.label}: {_VARIATION_MEANING.get(kind, '')}"
        if result.assurance:
            css = result.assurance.css
            meaning = _ASSURANCE_MEANING.get(css, "")
            details["assurance"] = f"{result.assurance.label}: {meaning}"
        else:
            details["assurance"] = (
                "No target: the indicator has no target, or neither direction is better."
            )
    if row.benchmark is not None:
        year = row.benchmark.latest
        details["dfe"] = (
            f"England {year.england_text}, statistical neighbours "
            f"{year.statistical_neighbours_text} ({year.period})."
        )
        if year.council_withheld:
            details["quartile"] = "Not shown beside a suppressed figure."
        elif year.year.quartile:
            details["quartile"] = (
                f"{year.year.quartile}: councils are put in four bands by their figure, A the "
                "best quarter and D the worst."
            )
        else:
            details["quartile"] = "The DfE gives no quartile band for this measure."
    return details


def measure_cards(rows: Iterable[Row]) -> list[dict[str, Any]]:
    """The headline rows as a phone shows them, one card each: name, the latest figure,
    target, RAG and direction, and the months before in a line."""
    return [
        {
            "row": row,
            "latest": row.current_display,
            "earlier": [(month, row.display(month)) for month in row.shown_months[:-1]],
            "target": rules.short_target(
                row.target, row.indicator.unit, row.indicator.decimal_places
            ),
        }
        for row in rows
    ]


# A row with no DfE benchmark: a dash to the eye, words to a screen reader.
_NOT_BENCHMARKED = mark_safe(
    '<span aria-hidden="true">–</span><span class="govuk-visually-hidden">No DfE benchmark</span>'
)


class IndicatorHistoryTable(JudgedTable):
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
    revision = tables.Column(
        verbose_name="Revised after publication",
        accessor="revision_text",
        orderable=False,
        default="",
    )

    class Meta:
        attrs = {"class": "govuk-table", "id": "history-table"}
        orderable = False
        sequence = (
            "month",
            "value",
            "fraction",
            "status",
            "target",
            "rag",
            "direction",
            "revision",
        )

    @property
    def caption(self) -> str:
        """Which months the page shows, once the table is paginated (RequestConfig)."""
        page = getattr(self, "page", None)
        if page is None or self.paginator.num_pages < 2:
            return "Every month, newest first"
        return (
            f"Every month, newest first: {page.start_index()} to {page.end_index()} "
            f"of {self.paginator.count} (page {page.number} of {self.paginator.num_pages})"
        )
