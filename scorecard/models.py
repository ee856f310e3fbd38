"""The read side's tables: the printer's slots (scorecard.print_slots) and the packs issued
for committee meetings (scorecard.issued_packs). Everything the pages show is in the domain's
models (indicators.models)."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils import timezone
from simple_history.models import HistoricalRecords

from indicators.models import CommitteeMeeting
from indicators.periods import Month
from indicators.tenancy import CouncilManager


class PrintSlot(models.Model):
    """A PDF being printed or waiting for the printer, held by one request: one row for its
    person's slot and one for its server's. Kept in the database so that every worker
    process, and every app server, counts the same packs; a row outlives a killed worker
    only until ``held_until``."""

    # "user:<id>:<n>" or "server:<host name>:<n>"; unique, so a slot is held once (the insert
    # that takes it is refused for everyone else).
    key = models.CharField(max_length=200, unique=True)
    # The request's own mark, the same on both its rows: it releases what it took, and only.
    token = models.CharField(max_length=32)
    held_until = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.key} until {self.held_until:%H:%M:%S}"


class IssuedPack(models.Model):
    """The committee pack as it was issued for a meeting (issue 26, part 1): its PDF kept once
    in Django's default storage (``path``, never served at an address of its own), with the
    SHA-256 of its bytes and their size, who issued it and when, and what it was printed for
    (the month and the cover's committee and meeting date). Never printed again: a download
    serves the stored bytes, checked against ``sha256`` (scorecard.issued_packs)."""

    # One pack per meeting: the database refuses a second, so two editors issuing at once
    # cannot both succeed. The meeting page reads it with the meeting (select_related).
    meeting = models.OneToOneField(
        CommitteeMeeting, on_delete=models.PROTECT, related_name="issued_pack"
    )
    month = models.DateField(help_text="The month the pack reports (its first day).")
    committee = models.CharField(max_length=300, help_text="The committee on the pack's cover.")
    meeting_date = models.DateField(help_text="The meeting date on the pack's cover.")
    # An issued pack is published material: a viewer's pack (published figures only).
    published_only = models.BooleanField(default=True)
    path = models.CharField(max_length=500, help_text="The PDF's name in Django's storage.")
    filename = models.CharField(max_length=200, help_text="The name it downloads as.")
    sha256 = models.CharField(max_length=64, verbose_name="SHA-256")
    size = models.PositiveBigIntegerField(help_text="Bytes.")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="packs_issued",
    )
    issued_at = models.DateTimeField(default=timezone.now)
    # A meeting is its council's (indicators.tenancy): so is the pack issued for it.
    council_path = "meeting__council"
    objects = CouncilManager["IssuedPack"]()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="issued_pack_month"),
            models.CheckConstraint(condition=Q(size__gt=0), name="issued_pack_not_empty"),
            # A SHA-256 written in hex is 64 characters.
            models.CheckConstraint(
                condition=Exact(Length("sha256"), 64), name="issued_pack_sha256_length"
            ),
        ]

    def __str__(self) -> str:
        return f"Pack of {self.reported.label} issued for {self.meeting}"

    def clean(self) -> None:
        if self.month is not None and self.month.day != 1:
            raise ValidationError({"month": "A month is stored as its first day."})

    @property
    def reported(self) -> Month:
        """The month the pack reports."""
        month: dt.date = self.month
        return Month.from_date(month)
