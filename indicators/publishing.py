"""Publishing a month: figures are draft until an editor publishes the month; viewers see
published months only. Every publish and unpublish is kept with who, when and why."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import PublicationEvent, PublishedMonth
from .periods import Month


def published_months():
    return {Month.from_date(d) for d in PublishedMonth.objects.values_list("period", flat=True)}


def is_published(month):
    return PublishedMonth.objects.filter(period=month.first_day).exists()


@transaction.atomic
def publish(month, user, when=None):
    when = when or timezone.now()
    _, created = PublishedMonth.objects.get_or_create(
        period=month.first_day, defaults={"published_by": user, "published_at": when}
    )
    if created:
        PublicationEvent.objects.create(
            period=month.first_day,
            action=PublicationEvent.Action.PUBLISH,
            user=user,
            at=when,
        )
    return created


@transaction.atomic
def unpublish(month, user, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give a reason for unpublishing: it is kept with the month.")
    deleted, _ = PublishedMonth.objects.filter(period=month.first_day).delete()
    if deleted:
        PublicationEvent.objects.create(
            period=month.first_day,
            action=PublicationEvent.Action.UNPUBLISH,
            user=user,
            at=timezone.now(),
            reason=reason,
        )
    return bool(deleted)
