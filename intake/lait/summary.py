"""What a LAIT import reports: its counts (added, changed, removed, unchanged), its summary
in lines, and the progress callback's default (none)."""

from dataclasses import dataclass, field


@dataclass
class Counts:
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0

    def __str__(self):
        return (
            f"{self.added:,} added, {self.changed:,} changed, {self.removed:,} removed, "
            f"{self.unchanged:,} unchanged"
        )

    @property
    def any(self):
        return bool(self.added or self.changed or self.removed)


@dataclass
class ImportSummary:
    measures: Counts = field(default_factory=Counts)
    values: Counts = field(default_factory=Counts)
    neighbour_lists: list = field(default_factory=list)  # (name, authorities, what happened)
    council: str = ""
    council_changed: bool = False
    comparators: Counts = field(default_factory=Counts)
    notices: list = field(default_factory=list)

    @property
    def changed_anything(self):
        return (
            self.measures.any
            or self.values.any
            or self.comparators.any
            or any(outcome != "unchanged" for *_, outcome in self.neighbour_lists)
            or self.council_changed
        )

    def lines(self):
        lines = [f"Measures: {self.measures}.", f"Values: {self.values}."]
        for name, authorities, outcome in self.neighbour_lists:
            lines.append(f"Statistical neighbours {name} ({authorities} authorities): {outcome}.")
        if self.council:
            lines.append(f"Council: {self.council}.")
        lines.append(f"Comparators: {self.comparators}.")
        lines.extend(f"Note: {notice}" for notice in self.notices)
        return lines


def no_progress(stage, done, total):
    pass
