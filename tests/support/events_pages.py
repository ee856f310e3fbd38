"""Events on the charts and commentary sign-off (issue 26) on the demonstration data, for the
tests that measure and audit every page (tests/test_layout.py, tests/test_accessibility.py)."""

import datetime as dt

from indicators.models import Commentary, Council, Event, Indicator


def record_events_and_ask_for_sign_off():
    """Events on indicator 26's charts (its own, which changed the process, and one on its
    priority) and the council's commentary sign-off on, so the indicator page, the events
    pages, the publishing checklist and an approval page are measured filled. The pages only
    these make: {name: address}."""
    indicator = Indicator.objects.get(reference="26")
    event = Event.objects.create(
        indicator=indicator,
        period=dt.date(2022, 10, 1),
        label="New front door opened",
        note="The multi-agency front door moved to one team with one threshold document.",
        changed_process=True,
    )
    Event.objects.create(
        priority=indicator.priorities.first(),
        period=dt.date(2023, 4, 1),
        label="Service restructure",
    )
    council = Council.current()
    council.commentary_sign_off = True
    council.save()
    comment = Commentary.objects.filter(period=dt.date(2023, 9, 1)).order_by("pk").first()
    return {
        "events on the charts": "/events/26/",
        "editing an event": f"/events/{event.pk}/edit/",
        "approving commentary": f"/entry/2023-09/commentary/{comment.pk}/approve/",
    }
