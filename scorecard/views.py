"""The read side: dashboard, priority and indicator pages, and the CSV of the scorecard.

Views stay thin: they pick the month, load a scorecard from ``queries`` and render.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from indicators.models import Indicator, MilestoneUpdate, Priority
from indicators.periods import Month
from indicators.roles import readers

from . import charts, queries
from .exports import write_scorecard_csv
from .tables import HeadlineMeasuresTable, IndicatorHistoryTable

CHART_HISTORY_MONTHS = 24


def _chosen_month(request):
    """The month asked for (``?period=2023-09``), else the latest month with figures."""
    months = queries.available_months()
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
    scorecard = queries.load_scorecard(month)
    return render(request, "scorecard/dashboard.html", {
        "month": month,
        "months": months,
        "scorecard": scorecard,
    })


@readers
def priority_detail(request, number):
    priority = get_object_or_404(Priority, number=number)
    month, months = _chosen_month(request)
    scorecard = queries.load_scorecard(
        month, priority=priority, history_months=CHART_HISTORY_MONTHS
    )
    rows = scorecard.rows
    updates = (
        MilestoneUpdate.objects.filter(milestone__priority=priority, period=month.first_day)
        .select_related("milestone")
        .order_by("milestone__display_order")
    )
    return render(request, "scorecard/priority.html", {
        "priority": priority,
        "month": month,
        "months": months,
        "table": HeadlineMeasuresTable(rows, scorecard.shown_months),
        "commentary": _grouped_commentary(rows),
        "updates": updates,
        "charts": [
            {
                "id": f"chart-{row.indicator.reference}",
                "row": row,
                "figure": charts.indicator_figure(row).to_json(),
                "summary": charts.chart_summary(row),
            }
            for row in rows
        ],
    })


def _grouped_commentary(rows):
    """The seed writes one comment for several indicators ("34/35; ..."): show it once."""
    grouped = {}
    for row in rows:
        if row.commentary:
            grouped.setdefault(row.commentary, []).append(row.indicator.reference)
    return [{"references": refs, "text": text} for text, refs in grouped.items()]


@readers
def indicator_detail(request, reference):
    indicator = get_object_or_404(Indicator, reference=reference)
    history = queries.load_indicator_history(indicator)
    row = history.row
    return render(request, "scorecard/indicator.html", {
        "indicator": indicator,
        "history": history,
        "row": row,
        "table": IndicatorHistoryTable(history.records),
        "priorities": indicator.priorities.all(),
        "chart": {
            "id": "chart-history",
            "figure": charts.indicator_figure(row, height=420,
                                              benchmarks=history.benchmarks).to_json(),
            "summary": charts.chart_summary(row),
        },
    })


@readers
def scorecard_csv(request):
    month, _ = _chosen_month(request)
    scorecard = queries.load_scorecard(month)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="scorecard-{month.iso}.csv"'
    write_scorecard_csv(scorecard, response)
    return response
