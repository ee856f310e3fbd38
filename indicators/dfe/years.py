"""DfE's year labels: their order within a measure, and the period each describes.

LAIT writes a measure's year as its source publication does: ``2022`` (a year ending then),
``2021-22`` or ``2021/22`` (a financial or academic year), ``2014-16`` (a run of calendar years),
``2021/22-23/24`` (a run of financial years), sometimes with a qualifier: ``2022 (Rev)``,
``2025 (prov)``, ``2020 (Final)``, ``2016-17 (OT)``. What ``2022`` means depends on the
measure: children in care at 31 March 2022 is the 2021/22 figure in the committee papers;
re-referrals in the year ending 31 March 2022 are 2021/22 too; a calendar-year measure's 2022 is
2022. An indicator says which applies (``Indicator.lait_years``); ``benchmark_year`` turns a
label into the year as the committee papers write it and the dates it covers.
"""

import re
from dataclasses import dataclass
from datetime import date

SNAPSHOT_31_MARCH = "snapshot_31_march"
FINANCIAL_YEAR = "financial_year"
ACADEMIC_YEAR = "academic_year"
CALENDAR_YEAR = "calendar_year"
AS_PUBLISHED = "as_published"

ALIGNMENTS = {
    SNAPSHOT_31_MARCH: "At 31 March: 2022 is 31 March 2022, printed 2021/22",
    FINANCIAL_YEAR: "Financial year: 2022 (or 2021-22) is April 2021 to March 2022, "
    "printed 2021/22",
    ACADEMIC_YEAR: "Academic year: 2022 (or 2021/22) is September 2021 to August 2022, "
    "printed 2021/22",
    CALENDAR_YEAR: "Calendar year: 2022 is January to December 2022, printed 2022",
    AS_PUBLISHED: "As DfE writes it (no dates)",
}

QUALIFIERS = {
    "rev": "revised",
    "prov": "provisional",
    "final": "final",
    "ot": "outturn",
}

_QUALIFIER = re.compile(r"^(?P<year>.*?)\s*\((?P<qualifier>[^()]*)\)$")
_SINGLE = re.compile(r"^(?P<year>\d{4})$")
_PAIR = re.compile(r"^(?P<first>\d{4})\s*[-/]\s*(?P<last>\d{2}|\d{4})$")
_RUN_OF_PAIRS = re.compile(r"^(?P<first>\d{4})/\d{2}\s*-\s*\d{2}/(?P<last>\d{2})$")


@dataclass(frozen=True)
class BenchmarkYear:
    """A LAIT year label read for one alignment.

    ``label`` is the year as the committee papers print it (``2021/22``); ``status`` DfE's
    qualifier in words (``revised``, ``provisional``; blank when there is none);
    ``first_day``/``last_day`` the dates the figure describes (the same day for a snapshot),
    both None when the label or the alignment gives no dates.
    """

    published: str
    label: str
    status: str = ""
    first_day: date | None = None
    last_day: date | None = None


def _split_qualifier(text: str) -> tuple[str, str]:
    match = _QUALIFIER.match(text)
    if not match:
        return text, ""
    qualifier = match["qualifier"].strip()
    return match["year"].strip(), QUALIFIERS.get(qualifier.lower(), qualifier)


def _century(first: int, two_or_four_digits: str) -> int:
    """``2021``, ``22`` -> 2022; the century of the first year, rolled over at 99 -> 00."""
    if len(two_or_four_digits) == 4:
        return int(two_or_four_digits)
    last = first // 100 * 100 + int(two_or_four_digits)
    return last + 100 if last < first else last


MAX_SPAN_YEARS = 10  # DfE's longest runs are three years; "2022-20" is no run of years


def _parse(text: str) -> tuple[str, int, int] | None:
    """(shape, first, last) of a label without its qualifier, or None: shape is ``single``
    (``2022``), ``pair`` (``2021-22``, one year apart), ``run`` (``2014-16``) or ``run_of_pairs``
    (``2021/22-23/24``)."""
    if match := _SINGLE.match(text):
        year = int(match["year"])
        return ("single", year, year) if year > 0 else None
    if match := _PAIR.match(text):
        first = int(match["first"])
        last = _century(first, match["last"])
        if last == first + 1:
            return "pair", first, last
        return ("run", first, last) if first < last <= first + MAX_SPAN_YEARS else None
    if match := _RUN_OF_PAIRS.match(text):
        first = int(match["first"])
        last = _century(first, match["last"])
        return ("run_of_pairs", first, last) if first + 1 < last <= first + MAX_SPAN_YEARS else None
    return None


def year_span(published: str) -> tuple[int, int] | None:
    """The first and last year numbers a label names, qualifier ignored: ``2022`` -> (2022,
    2022); ``2021-22`` -> (2021, 2022); ``2014-16`` -> (2014, 2016); ``2021/22-23/24`` ->
    (2021, 2024). None when the label names no year (DfE's data has a measure with year
    ``0``)."""
    parsed = _parse(_split_qualifier(published.strip())[0])
    return None if parsed is None else (parsed[1], parsed[2])


def year_order(published: str) -> int:
    """A sort key for one measure's year labels, oldest first: by the last year named, then
    the first (``2014-16`` before ``2015-17``); labels naming no year sort first."""
    span = year_span(published)
    if span is None:
        return 0
    first, last = span
    return last * 10000 + first


def _fy_label(ending: int) -> str:
    return f"{ending - 1}/{ending % 100:02d}"


def benchmark_year(published: str, alignment: str) -> BenchmarkYear:
    """Read a LAIT year label under ``alignment`` (one of ``ALIGNMENTS``).

    A single year names the year *ending* then: under ``FINANCIAL_YEAR`` ``2022`` is
    April 2021 to March 2022 and prints ``2021/22``; under ``SNAPSHOT_31_MARCH`` it is
    31 March 2022 and prints ``2021/22``; under ``ACADEMIC_YEAR`` September 2021 to August
    2022; under ``CALENDAR_YEAR`` it stays ``2022``. A pair one year apart (``2021-22``,
    ``2021/22``) is that one financial or academic year (two calendar years under
    ``CALENDAR_YEAR``). A longer run keeps DfE's text and spans its years: ``2014-16`` the
    years ending 2014 to 2016, ``2021/22-23/24`` the years 2021/22 to 2023/24.
    ``AS_PUBLISHED``, or a label naming no year, keeps the text and gives no dates.
    """
    if alignment not in ALIGNMENTS:
        raise ValueError(f"Unknown year alignment {alignment!r}.")
    text, status = _split_qualifier(published.strip())
    parsed = _parse(text)
    if parsed is None or alignment == AS_PUBLISHED:
        return BenchmarkYear(published, text, status)
    shape, first, last = parsed
    if alignment == CALENDAR_YEAR:
        label = str(first) if shape == "single" else text
        return BenchmarkYear(published, label, status, date(first, 1, 1), date(last, 12, 31))
    # The years ending (31 March, or the end of August) in which the span starts and ends.
    first_ending = first + 1 if shape in ("pair", "run_of_pairs") else first
    label = _fy_label(last) if first_ending == last else text
    if alignment == SNAPSHOT_31_MARCH:
        start = date(first_ending, 3, 31)
        end = date(last, 3, 31)
    elif alignment == FINANCIAL_YEAR:
        start, end = date(first_ending - 1, 4, 1), date(last, 3, 31)
    else:
        start, end = date(first_ending - 1, 9, 1), date(last, 8, 31)
    return BenchmarkYear(published, label, status, start, end)
