"""The quarterly report's PDF printed by a task and kept in Django's storage, as the pack is
(``scorecard.stored_prints``, issue 24, part 2), in the folder ``quarterly``.

A report's PDF is named by its quarter, whether draft figures are shown and the data
version; the view works the name out from what the user may see.
"""

from collections.abc import Mapping
from typing import Any

from indicators.models import Council
from indicators.periods import Month, Quarter
from indicators.published import published_months
from scorecard import quarterly_exports, queries, stored_prints
from scorecard.quarterly_report import QuarterlyReport

FOLDER = "quarterly"
PAGES = stored_prints.PrintPages(
    what="PDF", failed="quarterly/pdf_failed.html", progress="quarterly/pdf_progress.html"
)


def report_as_seen(quarter: Quarter, drafts: bool) -> tuple[QuarterlyReport, list[Month]]:
    """(the report, its months not yet published) as a user sees it: published months only
    unless ``drafts``; an editor is told which months are drafts."""
    report = queries.load_quarterly_report(quarter, published_only=not drafts)
    draft_months: list[Month] = []
    if drafts:
        published = published_months()
        draft_months = [month for month in report.months if month not in published]
    return report, draft_months


def file_name(quarter: Quarter, draft_months: list[Month]) -> str:
    """The download's name, without its extension; it says DRAFT when it holds a month not
    yet published, so a file passed on later cannot be mistaken for a published one."""
    name = f"quarterly-report-{quarter.slug}"
    return f"{name}-DRAFT" if draft_months else name


def report_name(quarter: Quarter, published_only: bool, version: object) -> str:
    """The stored PDF's name: a digest of what it shows, at data version ``version``."""
    return stored_prints.print_name(FOLDER, quarter.slug, published_only, version)


def arguments(quarter: Quarter, published_only: bool) -> dict[str, Any]:
    """What the task is given to print the report (JSON: it is kept in the task's row)."""
    return {"quarter": quarter.slug, "published_only": published_only}


def print_document(arguments: Mapping[str, Any]) -> tuple[bytes, str]:
    """The report that ``arguments`` name, printed: (its PDF, the name to download it as)."""
    quarter = Quarter.from_slug(arguments["quarter"])
    report, draft_months = report_as_seen(quarter, drafts=not arguments["published_only"])
    council_name = Council.current().display_name
    pdf = quarterly_exports.report_pdf(report, draft_months, council_name)
    return pdf, f"{file_name(quarter, draft_months)}.pdf"
