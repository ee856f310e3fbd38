"""The read side's pages: dashboard, priority, indicator and quarterly report pages, the
exports and the committee pack.

Views stay thin: they pick the month (or quarter), load from ``queries`` and render.
"""

import datetime as dt
import hashlib
import io
import re

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe

from indicators import spc
from indicators.addresses import month_or_404
from indicators.judgement import SPC_MONTHS
from indicators.models import CommitteeMeeting, Indicator, Priority
from indicators.periods import Month, Quarter
from indicators.published import publications
from indicators.roles import editors, readers, sees_drafts
from scorecard import (
    audit_log,
    charts,
    dfe_charts,
    glance,
    meeting_actions,
    pack_store,
    quarterly_exports,
    quarterly_store,
    queries,
    questions,
    since_committee,
    spc_charts,
)
from scorecard.cache import lazy, page_key, remember, request_version
from scorecard.change_history import change_history
from scorecard.consortium_views import analysts_to_their_consortia
from scorecard.context_processors import council_for
from scorecard.exports import csv_files, workbooks
from scorecard.exports.csv_files import write_scorecard_csv
from scorecard.glance_charts import glance_charts
from scorecard.pack import PackOptions
from scorecard.paging import asked_page, paginate
from scorecard.stored_prints import served_print
from scorecard.tables import HeadlineMeasuresTable, IndicatorHistoryTable, measure_cards

# The indicator page's table of every month, two years to a page (GOV.UK pagination): ten
# years on one page took most of the page's time and was too long to read.
HISTORY_PER_PAGE = 24
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
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
        month = month_or_404(asked)
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
        "drafts": drafts,  # an editor's or administrator's page: events may be changed
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


def _month_to_export(request):
    """The chosen month of a scorecard download (a viewer is refused one not published)."""
    month, months = _chosen_month(request)
    _refuse_unpublished(request, month, months)
    return month


def _scorecard_to_export(request, month):
    """The month's scorecard as the CSV and the workbook hold it."""
    # An export is published material: small numbers are suppressed for everyone. The SPC
    # window's months are loaded so the variation and assurance agree with the pages.
    return queries.load_scorecard(
        month,
        history_months=SPC_MONTHS,
        published_only=not _sees_drafts(request),
        suppress=True,
    )


def _kept_download(request, name, make, *parts):
    """The download ``make`` returns as (bytes, content type, file name), made once per data
    version, draft visibility and ``parts`` and kept (scorecard.cache): while nothing changes
    it is served as made, to readers who see what its maker saw (a viewer never gets an
    editor's, which may hold drafts)."""
    content, content_type, filename = remember(
        request, f"export-{name}", make, _sees_drafts(request), *parts
    )
    return _download(content, content_type, filename)


def _csv_bytes(write, loaded):
    text = io.StringIO()
    write(loaded, text)
    return text.getvalue().encode()


@readers
def scorecard_csv(request: HttpRequest) -> HttpResponse:
    month = _month_to_export(request)

    def make():
        scorecard = _scorecard_to_export(request, month)
        name = _draft_name(f"scorecard-{month.iso}", scorecard.draft_months)
        return _csv_bytes(write_scorecard_csv, scorecard), CSV_CONTENT_TYPE, f"{name}.csv"

    return _kept_download(request, "scorecard-csv", make, month.iso)


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
    month = _month_to_export(request)

    def make():
        scorecard = _scorecard_to_export(request, month)
        name = _draft_name(f"scorecard-{month.iso}", scorecard.draft_months)
        workbook = workbooks.scorecard_xlsx(scorecard, scorecard.key)
        return workbook, XLSX_CONTENT_TYPE, f"{name}.xlsx"

    return _kept_download(request, "scorecard-xlsx", make, month.iso)


def _history_for_export(request, indicator):
    history = queries.load_indicator_history(
        indicator, published_only=not _sees_drafts(request), suppress=True
    )
    # A reference is free text: keep the file name to characters every system accepts.
    safe_reference = re.sub(r"[^A-Za-z0-9_-]", "-", indicator.reference)
    return history, _draft_name(f"indicator-{safe_reference}-history", history.draft_months)


@readers
def indicator_history_csv(request: HttpRequest, reference: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator, reference=reference)

    def make():
        history, name = _history_for_export(request, indicator)
        content = _csv_bytes(csv_files.indicator_history_csv, history)
        return content, CSV_CONTENT_TYPE, f"{name}.csv"

    return _kept_download(request, "history-csv", make, indicator.pk)


@readers
def indicator_history_xlsx(request: HttpRequest, reference: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator, reference=reference)

    def make():
        history, name = _history_for_export(request, indicator)
        workbook = workbooks.indicator_history_xlsx(history, history.key)
        return workbook, XLSX_CONTENT_TYPE, f"{name}.xlsx"

    return _kept_download(request, "history-xlsx", make, indicator.pk)


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
    arguments = pack_store.arguments(month, options)
    return served_print(
        request, pack_store.PAGES, pack_store.FOLDER, name, arguments, {"month": month}
    )


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


@readers
def latest_quarter(request: HttpRequest) -> HttpResponse:
    """The latest quarter with figures (published ones, for a viewer)."""
    found = queries.available_quarters(published_only=not _sees_drafts(request))
    quarter = found[0] if found else Month.current().quarter
    return redirect("quarterly_report", label=quarter.slug)


def _quarter(label):
    try:
        quarter = Quarter.from_slug(label)
    except ValueError:
        raise Http404("That is not a quarter in the form 2023-24-q2.") from None
    if not quarter.in_range():
        raise Http404("That quarter is out of range: quarters run from 2000 to next month.")
    return quarter


def _quarterly(request, label):
    """(quarter, report, draft months) for ``label`` as the user may see it: a viewer gets
    published months only; an editor is told which months are drafts."""
    quarter = _quarter(label)
    report, draft_months = quarterly_store.report_as_seen(quarter, _sees_drafts(request))
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


@readers
def quarterly_report_pdf(request: HttpRequest, label: str) -> HttpResponse:
    """The quarterly report as a PDF, printed once for its quarter, draft figures shown and
    data version and served again from storage, as the pack is (``scorecard.quarterly_store``);
    a page that refreshes itself into the download while the task worker prints it (202),
    and one that says what happened when it could not be printed."""
    quarter = _quarter(label)
    published_only = not _sees_drafts(request)
    name = quarterly_store.report_name(quarter, published_only, request_version(request))
    arguments = quarterly_store.arguments(quarter, published_only)
    context: dict[str, object] = {"quarter": quarter}
    pages, folder = quarterly_store.PAGES, quarterly_store.FOLDER
    return served_print(request, pages, folder, name, arguments, context)


@readers
def quarterly_report_xlsx(request: HttpRequest, label: str) -> HttpResponse:
    quarter, report, draft_months = _quarterly(request, label)
    name = quarterly_store.file_name(quarter, draft_months)
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
