"""The committee pack: the same scorecard, tables, partials and Plotly figures as the web
pages, laid out for A4 landscape and printed by Chromium (scorecard.pdf)."""

from dataclasses import dataclass

from django.template.loader import render_to_string

from indicators.judgement import SPC_MONTHS
from indicators.models import Council
from indicators.published import publications
from scorecard import charts, glance, queries
from scorecard.glance_charts import glance_charts
from scorecard.pdf import renderer
from scorecard.tables import HeadlineMeasuresTable

# Six charts to a page: two rows of three (pack.css), each this tall (pixels at 96 per inch).
PACK_CHART_HEIGHT = 130
PACK_GLANCE_HEIGHT = 280


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
    council = Council.current()
    sections = []
    for summary in scorecard.priorities:
        priority = summary.priority
        sections.append(
            {
                "priority": priority,
                "title": f"Priority {priority.number}: {priority.title}",
                "summary": summary,
                "table": HeadlineMeasuresTable(summary.rows, scorecard.shown_months),
                "revisions": queries.revisions(summary.rows),
                "commentary": queries.grouped_commentary(summary.rows),
                "updates": updates.get(priority.id, []),
                "charts": [
                    charts.chart_context(
                        f"chart-{priority.number}-{row.indicator.reference}",
                        charts.indicator_figure(row, height=PACK_CHART_HEIGHT, legend=False),
                        charts.chart_summary(row),
                        row=row,
                    )
                    for row in summary.rows
                ],
            }
        )
    contents = [
        {"id": "glance", "title": f"At a glance, {month.label}"},
        {"id": "key", "title": "Key"},
        {"id": "exceptions", "title": f"Exceptions: red or worsening, {month.label}"},
        *[
            {"id": f"priority-{section['priority'].number}", "title": section["title"]}
            for section in sections
        ],
    ]
    return {
        "month": month,
        "contents": contents,
        "glance": glance_charts(
            glance.glance(scorecard), "chart-pack-glance", height=PACK_GLANCE_HEIGHT
        ),
        "draft_months": _unpublished_months_drawn(scorecard),
        "scorecard": scorecard,
        "key": scorecard.key,
        "sections": sections,
        "exceptions": [s for s in scorecard.priorities if s.exceptions],
        "options": options,
        "publication": publications().get(month),
        "council_name": council.display_name,
        "service_name": council.service_name,
        "committee": options.committee or council.committee_name,
    }


def _unpublished_months_drawn(scorecard):
    """Every month the pack shows a figure of (tables and charts) that is not published:
    an editor's pack of a published month with published history has none."""
    if scorecard.published is None:
        return []
    shown = {month for row in scorecard.rows for month in row.figures} | set(scorecard.shown_months)
    return sorted(month for month in shown if month not in scorecard.published)


def pack_html(month, options):
    return render_to_string("pack/pack.html", pack_context(month, options))


def pack_document(month, options):
    """(the pack as PDF bytes, the draft months it shows): every page of a pack holding
    draft figures says DRAFT in its footer."""
    context = pack_context(month, options)
    footer = f"{context['council_name']} · Scorecard, {month.long_label}"
    if context["draft_months"]:
        footer = f"DRAFT, not published · {footer}"
    html = render_to_string("pack/pack.html", context)
    return renderer.render(html, footer=footer), context["draft_months"]


def pack_pdf(month, options):
    return pack_document(month, options)[0]
