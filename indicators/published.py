"""Which months are published, and by whom: what every reader and writer asks. Publishing a
month (the checklist, publish, unpublish) is the intake's (``intake.publishing``)."""

from indicators.models import PublishedMonth
from indicators.periods import Month


def published_months() -> set[Month]:
    return {Month.from_date(d) for d in PublishedMonth.objects.values_list("period", flat=True)}


def publications() -> dict[Month, PublishedMonth]:
    """{Month: PublishedMonth} with who published each: one query."""
    return {
        Month.from_date(published.period): published
        for published in PublishedMonth.objects.select_related("published_by")
    }


def is_published(month: Month) -> bool:
    return PublishedMonth.objects.filter(period=month.first_day).exists()


def publisher_name(published: PublishedMonth) -> str:
    """The name a viewer sees in "published on DATE by NAME"."""
    user = published.published_by
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
