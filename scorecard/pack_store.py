"""Committee packs printed by a task and kept in Django's storage (``scorecard.stored_prints``,
issue 24, part 2), in the folder ``packs``.

A pack is named by what it shows: its month, its options (committee, meeting date), whether
draft figures are shown and the data version. The pack view works the name out from what
the user may see, so a viewer's pack is named apart from an editor's.
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from indicators.periods import Month
from scorecard import stored_prints
from scorecard.pack import PackOptions, pack_document

FOLDER = "packs"
PAGES = stored_prints.PrintPages(
    what="pack", failed="scorecard/pack_failed.html", progress="scorecard/pack_progress.html"
)


def pack_name(month: Month, options: PackOptions, version: object) -> str:
    """The stored pack's name: a digest of what it shows, at data version ``version``."""
    meeting = options.meeting_date.isoformat() if options.meeting_date else ""
    return stored_prints.print_name(
        FOLDER, month.iso, options.committee, meeting, options.published_only, version
    )


def arguments(month: Month, options: PackOptions) -> dict[str, Any]:
    """What the task is given to print the pack (JSON: it is kept in the task's row)."""
    meeting = options.meeting_date.isoformat() if options.meeting_date else None
    return {
        "month": month.iso,
        "committee": options.committee,
        "meeting_date": meeting,
        "published_only": options.published_only,
    }


def print_document(arguments: Mapping[str, Any]) -> tuple[bytes, str]:
    """The pack that ``arguments`` name, printed: (its PDF, the name to download it as)."""
    meeting = arguments["meeting_date"]
    options = PackOptions(
        committee=arguments["committee"],
        meeting_date=dt.date.fromisoformat(meeting) if meeting else None,
        published_only=arguments["published_only"],
    )
    month = Month.parse(arguments["month"])
    pdf, draft_months = pack_document(month, options)
    return pdf, f"scorecard-pack-{month.iso}{'-DRAFT' if draft_months else ''}.pdf"
