"""The read side's one table: the printer's slots (scorecard.print_slots). Everything the
pages show is in the domain's models (indicators.models)."""

from django.db import models


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
