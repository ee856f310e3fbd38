"""The read side's pages: dashboard, priority, indicator and quarterly report pages, the
exports and the committee pack.

Views stay thin: they pick the month (or quarter), load from ``queries`` and render.
"""

import datetime as dt
import hashlib
import re

from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe

from indicators import spc
from indicators.judgement import SPC_MONTHS
from indicators.models import CommitteeMeeting, Indicator, Priority
from indicators.periods import Month, Quarter, parse_in_range
from indicators.published import publications, published_months
from indicators.roles import editors, readers, sees_drafts
from scorecard import (
    audit_log,
    charts,
    dfe_charts,
    glance,
    meeting_actions,
    pack_store,
    quarterly_exports,
    queries,
    questions,
    since_committee,
    spc_charts,
)
from scorecard.cache import TIMEOUT, lazy, page_key, remember, request_version
from scorecard.change_history import change_history
from scorecard.consortium_views import analysts_to_their_consortia
from scorecard.context_processors import council_for
from scorecard.exports import csv_files, workbooks
from scorecard.exports.csv_files import write_scorecard_csv
from scorecard.glance_charts import glance_charts
from scorecard.pack import PackOptions
from scorecard.paging import asked_page, paginate
from scorecard.pdf import PdfUnavailable
from scorecard.print_slots import PrinterBusy, busy_page, print_slot
from scorecard.tables import HeadlineMeasuresTable, IndicatorHistoryTable, measure_cards

# The indicator page's table of every month, two years to a page (GOV.UK pagination): ten
# years on one page took most of the page's time and was too long to read.
HISTORY_PER_PAGE = 24
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sees_drafts(request):
    return sees_drafts(request.user)


def _chosen_month(request):
    """The month asked for (``?period=2023-09``), else the latest month with figures
    (the latest published month, for a viewer)."""
    sees = _sees_drafts(request)
    months = remember(
        request, "months", lambda: queries.available_months(published_only=not sees), sees
    )
    asked = request.GET.get("period")
    if asked:
        try:
            month = parse_in_range(asked)
        except ValueError as error:
            raise Http404(str(error)) from None
    else:
        month = months[0] if months else Month.current()
    return month, months


def _refuse_unpublished(request, month, months):
    """A viewer asking for a month with no published figures is told so (a 404 for a
    download, where there is no page to say it on)."""
    if not _sees_drafts(request) and month not in months:
        raise Http404(f"{month.long_label} has not been published.")


@analysts_to_their_consortia
@readers
def dashboard(request: HttpRequest) -> HttpResponse:
    """The month's scorecard at a glance. The body is cached under the data version
    (scorecard.cache): on a hit the lazy values below are never worked out."""
    month, months = _chosen_month(request)
    context = _month_context(request, month, months)
    # Nothing published (or, for an editor, no figures at all) may mean nothing is set up
    # yet: say so with the set-up steps, not "wait" and not empty charts.
    if context["unpublished"] or not months:
        context["not_set_up"] = not months and not Priority.objects.exists()
        if context["unpublished"] or context["not_set_up"]:
            return render(request, "scorecard/not_published.html", context)
    scorecard = lazy(
        lambda: queries.load_scorecard(
            month,
            history_months=glance.TREND_MONTHS,
            published_only=not _sees_drafts(request),
            published=_published(request),
            benchmarks=False,
        )
    )
    return render(
        request,
        "scorecard/dashboard.html",
        {
            **context,
            "cache_key": page_key(request, month, context["today"]),
            "scorecard": scorecard,
            "key": lazy(lambda: scorecard.key),
            "glance": lazy(lambda: glance_charts(glance.glance(scorecard))),
        },
    )


def _published(request):
    """The published months, for an editor (cached under the data version); None for a
    viewer, who sees published months only."""
    if not _sees_drafts(request):
        return None
    return set(remember(request, "publications", publications))


def _month_context(request, month, months):
    """The month, the months to choose from, who published it and when, and whether it is
    still a draft: for an editor, marked; for a viewer, a page saying so (``unpublished``)."""
    published = remember(request, "publications", publications)
    today = timezone.localdate()
    context = {
        "month": month,
        "months": months,
        "draft_shown": [],
        "publication": published.get(month),
        "unpublished": False,
        "cache_timeout": TIMEOUT,
        # The pack's form fills its cover in from the meeting (a cached page varies by day).
        "today": today,
        "pack_meeting": lazy(lambda: CommitteeMeeting.for_pack(month.first_day, today)),
    }
    if _sees_drafts(request):
        context["draft_shown"] = [month] if month not in published else []
        context["draft_months"] = [m for m in months if m not in published]
    else:
        context["unpublished"] = month not in published
    return context


@readers
def priority_detail(request: HttpRequest, number: int) -> HttpResponse:
    # Kept with the page under the data version: a cached page reads no row of its own.
    priority = remember(
        request, "priority", lambda: get_object_or_404(Priority, number=number), number
    )
    month, months = _chosen_month(request)
    context = _month_context(request, month, months)
    if context["unpublished"]:
        return render(request, "scorecard/not_published.html", {**context, "priority": priority})
    published_only = not _sees_drafts(request)
    scorecard = lazy(
        lambda: queries.load_scorecard(
            month,
            priority=priority,
            history_months=SPC_MONTHS,
            published_only=published_only,
            published=_published(request),
        )
    )
    return render(
        request,
        "scorecard/priority.html",
        {
            **context,
            "cache_key": page_key(request, priority.pk, month, context["today"]),
            "priority": priority,
            "key": lazy(lambda: scorecard.key),
            "table": lazy(
                lambda: HeadlineMeasuresTable(scorecard.rows, scorecard.shown_months, details=True)
            ),
            "cards": lazy(lambda: measure_cards(scorecard.rows)),
            "revisions": lazy(lambda: queries.revisions(scorecard.rows)),
            "commentary": lazy(lambda: queries.grouped_commentary(scorecard.rows)),
            "updates": lazy(lambda: queries.milestone_updates(priority, month, published_only)),
            "status": lazy(lambda: queries.priority_status(priority, month, published_only)),
            "charts": lazy(lambda: _priority_charts(scorecard.rows)),
            # Outside the cached body: read afresh, so a question shows as soon as it is saved.
            **questions.section_context(None, priority),
        },
    )


def _priority_charts(rows):
    return [
        charts.web_chart(
            f"chart-{row.indicator.reference}",
            charts.indicator_figure(row),
            charts.chart_summary(row),
            row=row,
        )
        for row in rows
    ]


@readers
def indicator_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """An indicator's page. All but the change history (an editor's, read afresh) is rendered
    once per data version and kept (scorecard.cache), as the dashboard and priority pages are."""
    indicator = remember(
        request,
        "indicator",
        lambda: get_object_or_404(Indicator.objects.select_related("owner"), reference=reference),
        # A reference is free text: a digest keeps the key to characters every cache accepts.
        hashlib.sha256(reference.encode()).hexdigest(),
    )
    priorities = remember(
        request, "indicator-priorities", lambda: list(indicator.priorities.all()), indicator.pk
    )
    drafts = _sees_drafts(request)

    def body():
        context = _indicator_context(request, indicator, priorities, drafts)
        return render_to_string("scorecard/indicator_body.html", context, request)

    # The table's page links repeat the address's other parameters: only an address with
    # none but the page is shared between readers.
    if set(request.GET) <= {"page"}:
        parts = (drafts, indicator.pk, asked_page(request.GET.get("page", "")))
        body_html = mark_safe(remember(request, "indicator-page", body, *parts))
    else:
        body_html = body()
    return render(
        request,
        "scorecard/indicator.html",
        {
            "indicator": indicator,
            "priorities": priorities,
            "body": body_html,
            # Editors and administrators see who changed what; viewers see published figures only.
            "changes": change_history(indicator) if drafts else None,
            # Outside the cached body: read afresh, so a question shows as soon as it is saved.
            **questions.section_context(indicator, None),
        },
    )


def _indicator_context(request, indicator, priorities, drafts):
    history = queries.load_indicator_history(
        indicator, published_only=not drafts, distribution=True
    )
    row = history.row
    return {
        "indicator": indicator,
        "history": history,
        "row": row,
        "table": paginate(IndicatorHistoryTable(history.records), request, HISTORY_PER_PAGE),
        "priorities": priorities,
        "spc": _spc_context(row),
        "chart": charts.web_chart(
            "chart-history",
            dfe_charts.history_figure(row, height=420, benchmarks=history.benchmarks),
            dfe_charts.history_summary(row),
        ),
        "benchmark_panel": dfe_charts.panel(history, council_for(request).display_name),
    }


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
                spc.SPECIAL_MEANING[spc_charts.special_kind(p, row.indicator)],
            )
            for p in result.points
            if p.special
        ],
        "chart": charts.chart_context(
            "chart-spc", spc_charts.xmr_figure(row, result), spc_charts.xmr_summary(row, result)
        ),
    }


def _scorecard_to_export(request):
    """The chosen month and its scorecard as the CSV and the workbook hold it."""
    month, months = _chosen_month(request)
    _refuse_unpublished(request, month, months)
    # An export is published material: small numbers are suppressed for everyone. The SPC
    # window's months are loaded so the variation and assurance agree with the pages.
    scorecard = queries.load_scorecard(
        month,
        history_months=SPC_MONTHS,
        published_only=not _sees_drafts(request),
        suppress=True,
    )
    return month, scorecard


@readers
def scorecard_csv(request: HttpRequest) -> HttpResponse:
    month, scorecard = _scorecard_to_export(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = _draft_name(f"scorecard-{month.iso}", scorecard.draft_months)
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    write_scorecard_csv(scorecard, response)
    return response


def _draft_name(name, draft_months):
    """An editor's download holding figures of a month not yet published says so in its name:
    a file passed on later cannot be mistaken for a published one."""
    return f"{name}-DRAFT" if draft_months else name


def _download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@readers
def scorecard_xlsx(request: HttpRequest) -> HttpResponse:
    """The scorecard CSV's month and figures as a formatted Excel workbook."""
    month, scorecard = _scorecard_to_export(request)
    return _download(
        workbooks.scorecard_xlsx(scorecard, scorecard.key),
        XLSX_CONTENT_TYPE,
        _draft_name(f"scorecard-{month.iso}", scorecard.draft_months) + ".xlsx",
    )


def _history_for_export(request, reference):
    indicator = get_object_or_404(Indicator, reference=reference)
    history = queries.load_indicator_history(
        indicator, published_only=not _sees_drafts(request), suppress=True
    )
    # A reference is free text: keep the file name to characters every system accepts.
    safe_reference = re.sub(r"[^A-Za-z0-9_-]", "-", indicator.reference)
    return history, _draft_name(f"indicator-{safe_reference}-history", history.draft_months)


@readers
def indicator_history_csv(request: HttpRequest, reference: str) -> HttpResponse:
    history, name = _history_for_export(request, reference)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.csv")
    csv_files.indicator_history_csv(history, response)
    return response


@readers
def indicator_history_xlsx(request: HttpRequest, reference: str) -> HttpResponse:
    history, name = _history_for_export(request, reference)
    workbook = workbooks.indicator_history_xlsx(history, history.key)
    return _download(workbook, XLSX_CONTENT_TYPE, f"{name}.xlsx")


@readers
def pack(request: HttpRequest) -> HttpResponse:
    """The committee pack as a PDF, in one click: printed once for its month, options, draft
    figures shown and data version, and served again from storage (``scorecard.pack_store``).
    Until the task worker has printed it, a page that says so and refreshes itself into the
    download (202). A failure or a timeout gives a page that says what happened."""
    month, months = _chosen_month(request)
    _refuse_unpublished(request, month, months)
    asked = request.GET.get("meeting_date") or None
    try:
        meeting = dt.date.fromisoformat(asked) if asked else None
    except ValueError:
        meeting = None
    options = PackOptions(
        committee=request.GET.get("committee", "")[:300],
        meeting_date=meeting,
        published_only=not _sees_drafts(request),
    )
    name = pack_store.pack_name(month, options, request_version(request))
    found = pack_store.stored(name)
    if not (found.path or found.failure):
        try:
            found = _ask_for_pack(request, name, month, options)
        except PrinterBusy as busy:
            return busy_page(request, busy, "pack", month=month)
    if found.failure:
        pack_store.forget_failure(name)  # shown once: asked again, it is printed again
        return _not_printed(
            request, "scorecard/pack_failed.html", PdfUnavailable(found.failure), month=month
        )
    if found.path and found.filename:
        with default_storage.open(found.path, "rb") as pdf:
            return _download(pdf.read(), "application/pdf", found.filename)
    return render(request, "scorecard/pack_progress.html", {"month": month}, status=202)


@readers
def since_committee_page(request: HttpRequest) -> HttpResponse:
    """What changed between the month the last committee reviewed and this one: published
    months only for a viewer (a month not published is refused), drafts marked for an editor."""
    month, months = _chosen_month(request)
    _refuse_unpublished(request, month, months)
    since = since_committee.since_committee(
        month, published_only=not _sees_drafts(request), published=_published(request)
    )
    # The questions and actions raised at that meeting, as the pack lists them after it.
    actions = meeting_actions.raised_at(since.meeting, timezone.localdate())
    context = {"month": month, "since": since, "last_actions": actions}
    return render(request, "scorecard/since_committee.html", context)


def _ask_for_pack(request, name, month, options):
    """Pack ``name`` asked for: printed there and then, in a print slot, with the immediate
    task backend; enqueued for the task worker with the database backend. What is stored."""
    if pack_store.prints_in_request():
        with print_slot(request.user):
            printed = pack_store.ask_for(name, month, options)
        if not printed:
            return pack_store.StoredPack(failure="The pack could not be printed: try again.")
    else:
        pack_store.ask_for(name, month, options)
    return pack_store.stored(name)


@readers
def latest_quarter(request: HttpRequest) -> HttpResponse:
    """The latest quarter with figures (published ones, for a viewer)."""
    found = queries.available_quarters(published_only=not _sees_drafts(request))
    quarter = found[0] if found else Month.current().quarter
    return redirect("quarterly_report", label=quarter.slug)


def _quarterly(request, label):
    """(quarter, report, draft months) for ``label`` as the user may see it: a viewer gets
    published months only; an editor is told which months are drafts."""
    try:
        quarter = Quarter.from_slug(label)
    except ValueError:
        raise Http404("That is not a quarter in the form 2023-24-q2.") from None
    if not quarter.in_range():
        raise Http404("That quarter is out of range: quarters run from 2000 to next month.")
    sees = _sees_drafts(request)
    report = queries.load_quarterly_report(quarter, published_only=not sees)
    draft_months = []
    if sees:
        published = published_months()
        draft_months = [month for month in report.months if month not in published]
    return quarter, report, draft_months


@readers
def quarterly_report(request: HttpRequest, label: str) -> HttpResponse:
    quarter, report, draft_months = _quarterly(request, label)
    return render(
        request,
        "scorecard/quarterly.html",
        {
            "report": report,
            "quarter": quarter,
            "draft_months": draft_months,
            "other_quarters": [
                (other, reverse("quarterly_report", args=[other.slug])) for other in report.quarters
            ],
        },
    )


def _not_printed(
    request: HttpRequest, template: str, error: PdfUnavailable, **context: object
) -> HttpResponse:
    """The page that says a PDF could not be printed just now, and why (503: try later)."""
    return render(request, template, {**context, "reason": str(error)}, status=503)


@readers
def quarterly_report_pdf(request: HttpRequest, label: str) -> HttpResponse:
    """The quarterly report as a PDF, printed like the pack; a failure or a timeout gives a
    page that says what happened."""
    quarter, report, draft_months = _quarterly(request, label)
    try:
        with print_slot(request.user):
            council_name = council_for(request).display_name
            pdf = quarterly_exports.report_pdf(report, draft_months, council_name)
    except PrinterBusy as busy:
        return busy_page(request, busy, "PDF", quarter=quarter)
    except PdfUnavailable as error:
        return _not_printed(request, "quarterly/pdf_failed.html", error, quarter=quarter)
    name = _draft_name(f"quarterly-report-{quarter.slug}", draft_months)
    return _download(pdf, "application/pdf", f"{name}.pdf")


@readers
def quarterly_report_xlsx(request: HttpRequest, label: str) -> HttpResponse:
    quarter, report, draft_months = _quarterly(request, label)
    name = _draft_name(f"quarterly-report-{quarter.slug}", draft_months)
    workbook = quarterly_exports.report_xlsx(
        report, draft_months, council_for(request).display_name
    )
    return _download(workbook, XLSX_CONTENT_TYPE, f"{name}.xlsx")


@editors
def audit(request: HttpRequest) -> HttpResponse:
    """Changes across the product: who, when, what, old and new; filtered by month, person
    and indicator."""
    filters = audit_log.AuditFilter(request.GET or None)
    table = paginate(
        audit_log.AuditTable(audit_log.AuditEntries(filters)), request, audit_log.PER_PAGE
    )
    return render(request, "scorecard/audit.html", {"filters": filters, "table": table})
