"""What a LAIT import reports: its counts (added, changed, removed, unchanged), its summary
in lines, and the progress callback's default (none)."""

from collections.abc import Callable
from dataclasses import dataclass, field

#: Told of a long import's progress: (what it is doing, how much is done, of how much).
Progress = Callable[[str, int, int], None]


@dataclass
class Counts:
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return (
            f"{self.added:,} added, {self.changed:,} changed, {self.removed:,} removed, "
            f"{self.unchanged:,} unchanged"
        )

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed)


@dataclass
class ImportSummary:
    measures: Counts = field(default_factory=Counts)
    values: Counts = field(default_factory=Counts)
    #: (name, authorities, what happened)
    neighbour_lists: list[tuple[str, int, str]] = field(default_factory=list)
    council: str = ""
    council_changed: bool = False
    comparators: Counts = field(default_factory=Counts)
    notices: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return (
            self.measures.any
            or self.values.any
            or self.comparators.any
            or any(outcome != "unchanged" for *_, outcome in self.neighbour_lists)
            or self.council_changed
        )

    def lines(self) -> list[str]:
        lines = [f"Measures: {self.measures}.", f"Values: {self.values}."]
        for name, authorities, outcome in self.neighbour_lists:
            lines.append(f"Statistical neighbours {name} ({authorities} authorities): {outcome}.")
        if self.council:
            lines.append(f"Council: {self.council}.")
        lines.append(f"Comparators: {self.comparators}.")
        lines.extend(f"Note: {notice}" for notice in self.notices)
        return lines


def no_progress(stage: str, done: int, total: int) -> None:
    pass
