"""The read side: dashboard, priority and indicator pages, and the CSV of the scorecard.

Views stay thin: they pick the month, load a scorecard from ``queries`` and render.
"""

import datetime as dt
import re

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django_tables2 import RequestConfig

from indicators import roles, spc
from indicators.audit import change_history
from indicators.models import Indicator, Priority
from indicators.periods import Month
from indicators.publishing import published_months
from indicators.roles import readers

from . import charts, exports, queries
from .exports import write_scorecard_csv
from .pack import PackOptions, pack_pdf
from .pdf import PdfUnavailable
from .tables import HeadlineMeasuresTable, IndicatorHistoryTable

CHART_HISTORY_MONTHS = 24
# The indicator page's table of every month, two years to a page (GOV.UK pagination): ten
# years on one page took most of the page's time and was too long to read.
HISTORY_PER_PAGE = 24
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sees_drafts(request):
    return roles.has_role(request.user, roles.EDITOR, roles.ADMINISTRATOR)


def _chosen_month(request):
    """The month asked for (``?period=2023-09``), else the latest month with figures
    (the latest published month, for a viewer)."""
    months = queries.available_months(published_only=not _sees_drafts(request))
    asked = request.GET.get("period")
    if asked:
        try:
            month = Month.parse(asked)
        except ValueError:
            raise Http404("That is not a month in the form YYYY-MM.") from None
    else:
        month = months[0] if months else Month.current()
    return month, months


@readers
def dashboard(request):
    month, months = _chosen_month(request)
    scorecard = queries.load_scorecard(month, published_only=not _sees_drafts(request))
    return render(
        request,
        "scorecard/dashboard.html",
        {
            **_month_context(request, month, months),
            "scorecard": scorecard,
        },
    )


def _month_context(request, month, months):
    """The month, the months to choose from and, for editors, whether it is still a draft."""
    context = {"month": month, "months": months, "is_draft": False}
    if _sees_drafts(request):
        published = published_months()
        context["is_draft"] = month not in published
        context["draft_months"] = [m for m in months if m not in published]
    return context


@readers
def priority_detail(request, number):
    priority = get_object_or_404(Priority, number=number)
    month, months = _chosen_month(request)
    published_only = not _sees_drafts(request)
    scorecard = queries.load_scorecard(
        month,
        priority=priority,
        history_months=CHART_HISTORY_MONTHS,
        published_only=published_only,
    )
    rows = scorecard.rows
    updates = queries.milestone_updates(priority, month, published_only)
    return render(
        request,
        "scorecard/priority.html",
        {
            **_month_context(request, month, months),
            "priority": priority,
            "table": HeadlineMeasuresTable(rows, scorecard.shown_months),
            "commentary": queries.grouped_commentary(rows),
            "updates": updates,
            "charts": [
                {
                    "id": f"chart-{row.indicator.reference}",
                    "row": row,
                    "figure": charts.figure_json(charts.indicator_figure(row)),
                    "summary": charts.chart_summary(row),
                }
                for row in rows
            ],
        },
    )


@readers
def indicator_detail(request, reference):
    indicator = get_object_or_404(Indicator, reference=reference)
    history = queries.load_indicator_history(indicator, published_only=not _sees_drafts(request))
    row = history.row
    table = IndicatorHistoryTable(history.records)
    RequestConfig(request, paginate={"per_page": HISTORY_PER_PAGE}).configure(table)
    return render(
        request,
        "scorecard/indicator.html",
        {
            "indicator": indicator,
            "history": history,
            "row": row,
            "table": table,
            "priorities": indicator.priorities.all(),
            # Editors and administrators see who changed what; viewers see published figures only.
            "changes": change_history(indicator) if _sees_drafts(request) else None,
            "spc": _spc_context(row),
            "chart": {
                "id": "chart-history",
                "figure": charts.figure_json(
                    charts.indicator_figure(row, height=420, benchmarks=history.benchmarks)
                ),
                "summary": charts.chart_summary(row),
            },
        },
    )


def _spc_context(row):
    result = row.spc
    if result is None:
        return None
    history = row.spc_history()
    return {
        "result": result,
        "special_points": [
            (
                history[p.index][0],
                p.sentences,
                spc.SPECIAL_MEANING[charts.special_kind(p, row.indicator)],
            )
            for p in result.points
            if p.special
        ],
        "chart": {
            "id": "chart-spc",
            "figure": charts.figure_json(charts.xmr_figure(row, result)),
            "summary": charts.xmr_summary(row, result),
        },
    }


@readers
def scorecard_csv(request):
    month, _ = _chosen_month(request)
    # An export is published material: small numbers are suppressed for everyone. The SPC
    # window's months are loaded so the variation and assurance agree with the pages.
    scorecard = queries.load_scorecard(
        month,
        history_months=queries.SPC_MONTHS,
        published_only=not _sees_drafts(request),
        suppress=True,
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="scorecard-{month.iso}.csv"'
    write_scorecard_csv(scorecard, response)
    return response


def _download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@readers
def scorecard_xlsx(request):
    """The scorecard CSV's month and figures as a formatted Excel workbook."""
    month, _ = _chosen_month(request)
    # An export is published material: small numbers are suppressed for everyone. The SPC
    # window's months are loaded so the variation and assurance agree with the pages.
    scorecard = queries.load_scorecard(
        month,
        history_months=queries.SPC_MONTHS,
        published_only=not _sees_drafts(request),
        suppress=True,
    )
    return _download(
        exports.scorecard_xlsx(scorecard), XLSX_CONTENT_TYPE, f"scorecard-{month.iso}.xlsx"
    )


def _history_for_export(request, reference):
    indicator = get_object_or_404(Indicator, reference=reference)
    history = queries.load_indicator_history(
        indicator, published_only=not _sees_drafts(request), suppress=True
    )
    # A reference is free text: keep the file name to characters every system accepts.
    safe_reference = re.sub(r"[^A-Za-z0-9_-]", "-", indicator.reference)
    return history, f"indicator-{safe_reference}-history"


@readers
def indicator_history_csv(request, reference):
    history, name = _history_for_export(request, reference)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.csv")
    exports.indicator_history_csv(history, response)
    return response


@readers
def indicator_history_xlsx(request, reference):
    history, name = _history_for_export(request, reference)
    return _download(exports.indicator_history_xlsx(history), XLSX_CONTENT_TYPE, f"{name}.xlsx")


@readers
def pack(request):
    """The committee pack as a PDF, in one click. A failure or a timeout gives a page that
    says what happened, never a hung request."""
    month, _ = _chosen_month(request)
    meeting = request.GET.get("meeting_date") or None
    try:
        meeting = dt.date.fromisoformat(meeting) if meeting else None
    except ValueError:
        meeting = None
    options = PackOptions(
        committee=request.GET.get("committee", "")[:200],
        meeting_date=meeting,
        published_only=not _sees_drafts(request),
    )
    try:
        pdf = pack_pdf(month, options)
    except PdfUnavailable as error:
        return render(
            request,
            "scorecard/pack_failed.html",
            {"month": month, "reason": str(error)},
            status=503,
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="scorecard-pack-{month.iso}.pdf"'
    return response
