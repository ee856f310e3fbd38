"""The order people count in: "2" before "10", "1.9 x" before "1.10 x", whatever the case.
Used for indicator references (the set-up workbook) and section titles (the quarterly
report)."""

import re

type NaturalKey = list[tuple[int, int, str]]


def natural_key(text: str) -> NaturalKey:
    """A sort key for ``text`` in which each run of digits compares as a number, before any
    letters at the same place, and letters compare regardless of case."""
    return [
        (0, int(part), "") if part.isdigit() else (1, 0, part.lower())
        for part in re.split(r"(\d+)", text)
    ]
