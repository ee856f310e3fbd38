"""The committee pack: the same scorecard, tables, partials and Plotly figures as the web
pages, laid out for A4 landscape and printed by Chromium (scorecard.pdf)."""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string

from indicators.judgement import SPC_MONTHS
from indicators.publishing import publications

from . import charts, queries
from .pdf import renderer
from .tables import HeadlineMeasuresTable


@dataclass
class PackOptions:
    committee: str = ""
    meeting_date: object = None  # datetime.date or None
    published_only: bool = True


def pack_context(month, options):
    # A pack is published material: small numbers are always suppressed.
    scorecard = queries.load_scorecard(
        month,
        history_months=SPC_MONTHS,
        published_only=options.published_only,
        suppress=True,
    )
    updates = queries.milestone_updates_by_priority(month, options.published_only)
    sections = []
    for summary in scorecard.priorities:
        priority = summary.priority
        sections.append(
            {
                "priority": priority,
                "summary": summary,
                "table": HeadlineMeasuresTable(summary.rows, scorecard.shown_months),
                "revisions": queries.revisions(summary.rows),
                "commentary": queries.grouped_commentary(summary.rows),
                "updates": updates.get(priority.id, []),
                "charts": [
                    charts.chart_context(
                        f"chart-{priority.number}-{row.indicator.reference}",
                        charts.indicator_figure(row, height=230),
                        charts.chart_summary(row),
                        row=row,
                    )
                    for row in summary.rows
                ],
            }
        )
    return {
        "month": month,
        "scorecard": scorecard,
        "key": queries.load_key(month),
        "sections": sections,
        "exceptions": [s for s in scorecard.priorities if s.exceptions],
        "options": options,
        "publication": publications().get(month),
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "committee": options.committee or settings.COMMITTEE_NAME,
    }


def pack_html(month, options):
    return render_to_string("pack/pack.html", pack_context(month, options))


def pack_pdf(month, options):
    footer = f"{settings.COUNCIL_NAME} · Scorecard, {month.long_label}"
    return renderer.render(pack_html(month, options), footer=footer)
