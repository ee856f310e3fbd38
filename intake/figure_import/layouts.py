"""The two layouts an upload may have, each read row by row into figures and problems.

* the report layout, as the Highlight Report prints it: ``ID``, ``Description``, one column
  per month (``Jul-23``, ``Sep-2023``, ``2023-09``, ``September 2023`` or a real date cell),
  ``Target`` and ``Direction of travel`` (neither imported);
* one row per figure: ``reference``, ``month``, ``value`` and optionally ``numerator``,
  ``denominator``, ``status`` and ``commentary``.

Every problem names the row and column a user sees in the spreadsheet (the header is row 1
when it is the first row); the rest of the file is still read, so one preview shows every
mistake at once.

An indicator may be listed under several priorities (the council's paper lists ID 69 under
two), so a file may hold its figure twice: the same figure on two rows is one figure (a notice
names the rows); two different figures (or commentaries) for one indicator and month are a
problem naming both rows, and neither is imported.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from indicators import rules
from indicators.figures import Figure, fingerprint
from indicators.models import MAX_TEXT_LENGTH
from indicators.periods import EARLIEST, Month
from intake.figure_import import columns
from intake.figure_import.cell_values import (
    FigureError,
    parse_figure,
    parse_figure_parts,
    parse_status,
)
from intake.figure_import.columns import blank, cell_at, display, figure_cell, text
from intake.figure_import.sheets import Cell, Rows, UploadRefused

if TYPE_CHECKING:  # the reader reads with these layouts
    from intake.figure_import.reader import IndicatorSpec


@dataclass(frozen=True)
class ImportFigure:
    row: int
    column: str
    reference: str
    month: Month
    #: None only for a row that carries commentary and no figure.
    figure: Figure | None
    commentary: str | None = None


@dataclass(frozen=True)
class ImportProblem:
    row: int  # the spreadsheet row a user sees: the header is row 1 when it is the first row
    column: str  # the column's header as written (its letter when it has none)
    reason: str


@dataclass
class ParsedUpload:
    layout: str  # "report" | "long"
    figures: list[ImportFigure] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


class _Reader:
    """What both layouts share: the rows below the header, problems, and the checks every
    figure goes through (a known, active indicator; a month that has begun; once a file)."""

    def __init__(
        self,
        rows: Rows,
        header_index: int,
        lookup: columns.Lookup,
        current: Month,
        upload: ParsedUpload,
    ) -> None:
        self.rows = rows
        self.header_index = header_index
        self.header = rows[header_index]
        self.lookup = lookup
        self.current = current
        self.upload = upload
        # (reference, month) -> where its figure is in upload.figures
        self.kept: dict[tuple[str, Month], int] = {}
        # (reference, month) -> the rows that disagree: none of their figures is imported
        self.conflicts: dict[tuple[str, Month], list[int]] = {}
        # (reference, month) -> the rows that give the same figure for it
        self.repeated: dict[tuple[str, Month], set[int]] = {}

    @property
    def header_row(self) -> int:
        return self.header_index + 1

    def problem(self, row: int, column: str, reason: str) -> None:
        self.upload.problems.append(ImportProblem(row, column, reason))

    def commentary_shown(self) -> str:
        """The commentary column's header as written."""
        raise NotImplementedError

    def drop_long_commentary(self) -> None:
        """A row whose commentary is longer than a commentary holds is a problem, naming the
        row, the column and the limit, and is not imported."""
        kept = []
        for item in self.upload.figures:
            if item.commentary is not None and len(item.commentary) > MAX_TEXT_LENGTH:
                self.problem(
                    item.row,
                    self.commentary_shown(),
                    f"the commentary is {len(item.commentary):,} characters long; at most "
                    f"{MAX_TEXT_LENGTH:,} fit",
                )
            else:
                kept.append(item)
        self.upload.figures[:] = kept

    def notice(self, message: str) -> None:
        if message not in self.upload.notices:
            self.upload.notices.append(message)

    def data_rows(self) -> Iterator[tuple[int, list[Cell]]]:
        for index in range(self.header_index + 1, len(self.rows)):
            yield index + 1, self.rows[index]

    def check_unlabelled(self, unlabelled: Sequence[int]) -> None:
        """A column with figures but no header is reported once, on the header row (cells
        beyond the header's last column count as such columns too)."""
        width = max((len(row) for _, row in self.data_rows()), default=0)
        for index in [*unlabelled, *range(len(self.header), width)]:
            if any(not blank(cell_at(row, index)) for _, row in self.data_rows()):
                self.problem(
                    self.header_row,
                    columns.letter(index),
                    "this column has no header, so it was not imported",
                )

    def indicator(self, row: int, column: str, reference: str) -> "IndicatorSpec | None":
        """The indicator's spec, or None after reporting why not."""
        spec = self.lookup.find(reference)
        if spec is None:
            self.problem(row, column, f"there is no indicator with ID '{reference}'")
            return None
        if not spec.active:
            self.problem(
                row,
                column,
                f"indicator {spec.reference} is no longer active, so figures cannot be "
                "imported for it",
            )
            return None
        return spec

    def in_future(self, month: Month) -> bool:
        return month > self.current

    def accepts(self, row: int, column: str, month: Month) -> bool:
        """True when a figure for ``month`` may be read from this row; otherwise reports why
        not (a month before 2000, or one that has not begun)."""
        if month < EARLIEST:
            self.problem(
                row,
                column,
                f"{month.long_label} is before {EARLIEST.long_label}, the first month figures "
                "can be entered for: check the year",
            )
            return False
        if self.in_future(month):
            self.problem(
                row,
                column,
                f"{month.label} is in the future: figures can only be entered for months "
                f"that have begun (the latest is {self.current.label})",
            )
            return False
        return True

    def keep(self, item: ImportFigure, spec: "IndicatorSpec") -> None:
        """Add a figure read from a row. The same indicator and month on an earlier row is
        the same figure listed again (kept once), or a conflict (neither kept)."""
        key = (item.reference, item.month)
        if key in self.conflicts:
            rows = self.conflicts[key]
            rows.append(item.row)
            self.problem(
                item.row,
                item.column,
                f"ID {item.reference} for {item.month.label} is also on rows "
                f"{_listed(rows[:-1])}, which differ, so this row was not imported either",
            )
            return
        index = self.kept.get(key)
        if index is None:
            self.kept[key] = len(self.upload.figures)
            self.upload.figures.append(item)
            return
        first = self.upload.figures[index]
        merged = _one_figure(first, item)
        if merged is not None:
            self.upload.figures[index] = merged
            self.repeated.setdefault(key, set()).update((first.row, item.row))
            return
        self.conflicts[key] = [first.row, item.row]
        self.problem(item.row, item.column, _conflict(first, item, spec))

    def finish(self) -> None:
        """After every row: figures in conflict left out; a notice for the figures listed
        more than once; commentary over the limit left out (``drop_long_commentary``)."""
        if self.conflicts:
            self.upload.figures[:] = [
                item
                for item in self.upload.figures
                if (item.reference, item.month) not in self.conflicts
            ]
        by_reference: dict[str, set[int]] = {}
        for (reference, month), rows in self.repeated.items():
            if (reference, month) not in self.conflicts:
                by_reference.setdefault(reference, set()).update(rows)
        for reference, rows in by_reference.items():
            self.notice(
                f"ID {reference} is listed more than once with the same figures (rows "
                f"{_listed(sorted(rows))}): each figure was imported once."
            )
        self.drop_long_commentary()


class ReportReader(_Reader):
    """ID, Description, one column per month, Target, Direction of travel."""

    def read(self) -> None:
        self.reference_index: int | None = None
        self.months: list[tuple[int, Month, str]] = []  # (index, month, header shown)
        self.commentary_index: int | None = None
        self.check_unlabelled(self.read_header())
        assert self.reference_index is not None  # the header was found by its ID column
        self.reference_shown: str = display(self.header[self.reference_index], self.reference_index)
        self.commentary_month: Month | None = self.find_commentary_month()
        for row_number, row in self.data_rows():
            self.read_row(row_number, row)
        self.finish()

    def commentary_shown(self) -> str:
        # Asked only of a row with commentary, which came from the commentary column.
        assert self.commentary_index is not None
        return display(self.header[self.commentary_index], self.commentary_index)

    def read_header(self) -> list[int]:
        """Find the ID, month and commentary columns; returns the unlabelled columns."""
        unlabelled: list[int] = []
        by_month: dict[Month, str] = {}
        for index, cell in enumerate(self.header):
            header_key = columns.key(cell)
            named = header_key in columns.DESCRIPTION | columns.REFERENCE
            if header_key in columns.REFERENCE and self.reference_index is None:
                self.reference_index = index
            elif named or columns.is_passed_over(header_key):
                continue
            elif columns.is_target(header_key):
                self.notice(columns.TARGET_NOTICE)
            elif header_key in columns.COMMENTARY and self.commentary_index is None:
                self.commentary_index = index
            elif blank(cell):
                unlabelled.append(index)
            else:
                self.read_month_header(index, cell, by_month)
        return unlabelled

    def read_month_header(self, index: int, cell: Cell, by_month: dict[Month, str]) -> None:
        shown = display(cell, index)
        try:
            month = columns.parse_month(cell)
        except ValueError as error:
            self.problem(self.header_row, shown, str(error))
            return
        if month in by_month:
            self.problem(
                self.header_row,
                shown,
                f"this is the same month as column '{by_month[month]}', so it was not imported",
            )
            return
        by_month[month] = shown
        self.months.append((index, month, shown))

    def find_commentary_month(self) -> Month | None:
        """Commentary in the report layout is for the latest month the file has (not in the
        future); a notice says so."""
        if self.commentary_index is None:
            return None
        candidates = [month for _, month, _ in self.months if not self.in_future(month)]
        if not candidates:
            return None
        month = max(candidates)
        self.upload.notices.append(
            f"The Commentary column was read as commentary for {month.label}, the latest "
            "month in the file."
        )
        return month

    def read_row(self, row_number: int, row: list[Cell]) -> None:
        filled = [
            (month, shown, cell_at(row, index))
            for index, month, shown in self.months
            if not blank(cell_at(row, index))
        ]
        commentary = text(cell_at(row, self.commentary_index))
        if self.commentary_month is None:
            commentary = None
        if not filled and not commentary:
            return  # a blank row, or a heading between tables
        spec = self.row_indicator(row_number, row)
        if spec is None:
            return
        commented = False
        for month, shown, cell in filled:
            note = commentary if commentary and month == self.commentary_month else None
            if self.read_figure(row_number, spec, month, shown, cell, note):
                commented = commented or note is not None
        in_filled = any(month == self.commentary_month for month, _, _ in filled)
        if commentary and not commented and not in_filled:
            self.read_commentary_alone(row_number, spec, commentary)

    def row_indicator(self, row_number: int, row: list[Cell]) -> "IndicatorSpec | None":
        reference = self.lookup.reference(cell_at(row, self.reference_index))
        if reference is None:
            self.problem(row_number, self.reference_shown, "this row has figures but no ID")
            return None
        return self.indicator(row_number, self.reference_shown, reference)

    def read_figure(
        self,
        row_number: int,
        spec: "IndicatorSpec",
        month: Month,
        shown: str,
        cell: Cell,
        note: str | None,
    ) -> bool:
        """One month's cell; True when it was read."""
        if not self.accepts(row_number, shown, month):
            return False
        try:
            figure = parse_figure(figure_cell(cell), spec.unit)
        except FigureError as error:
            self.problem(row_number, shown, error.reason)
            return False
        self.keep(ImportFigure(row_number, shown, spec.reference, month, figure, note), spec)
        return True

    def read_commentary_alone(
        self, row_number: int, spec: "IndicatorSpec", commentary: str
    ) -> None:
        """Commentary with no figure for its month in this row."""
        # A row's commentary is read only when the file has a commentary column and month.
        assert self.commentary_index is not None and self.commentary_month is not None
        shown = display(self.header[self.commentary_index], self.commentary_index)
        month = self.commentary_month
        if self.accepts(row_number, shown, month):
            item = ImportFigure(row_number, shown, spec.reference, month, None, commentary)
            self.keep(item, spec)


class LongReader(_Reader):
    """One row per figure: reference, month, value, numerator, denominator, status,
    commentary."""

    ROLES = (
        ("reference", columns.REFERENCE),
        ("month", columns.MONTH),
        ("value", columns.VALUE),
        ("numerator", columns.NUMERATOR),
        ("denominator", columns.DENOMINATOR),
        ("status", columns.STATUS),
        ("commentary", columns.COMMENTARY),
    )
    CONTENT = ("value", "numerator", "denominator", "status", "commentary")

    def read(self) -> None:
        self.index_of: dict[str, int] = {}
        self.shown_of: dict[str, str] = {}
        unlabelled = self.read_header()
        if not (
            "value" in self.index_of
            or {"numerator", "denominator"} <= self.index_of.keys()
            or "commentary" in self.index_of
        ):
            raise UploadRefused(
                "The file has reference and month columns but no value column. Add a column "
                "headed 'value' (or 'numerator' and 'denominator')."
            )
        self.check_unlabelled(unlabelled)
        self.read_rows()
        self.finish()

    def commentary_shown(self) -> str:
        return str(self.shown_of.get("commentary", "commentary"))

    def read_header(self) -> list[int]:
        """Which column holds each role; returns the unlabelled columns."""
        unlabelled: list[int] = []
        for index, cell in enumerate(self.header):
            header_key = columns.key(cell)
            role = next((name for name, keys in self.ROLES if header_key in keys), None)
            if role is not None:
                self.take_role(role, index, cell)
            elif header_key in columns.DESCRIPTION or columns.is_passed_over(header_key):
                continue
            elif columns.is_target(header_key):
                self.notice(columns.TARGET_NOTICE)
            elif blank(cell):
                unlabelled.append(index)
            else:
                self.problem(
                    self.header_row,
                    display(cell, index),
                    f"'{display(cell, index)}' is not a column this import reads (reference, "
                    "month, value, numerator, denominator, status, commentary)",
                )
        return unlabelled

    def take_role(self, role: str, index: int, cell: Cell) -> None:
        if role == "reference" and role in self.index_of:
            return  # "ID" then "Indicator" (its name): the first is the reference
        if role not in self.index_of:
            self.index_of[role] = index
            self.shown_of[role] = display(cell, index)
            return
        self.problem(
            self.header_row,
            display(cell, index),
            f"there is already a {role} column ('{self.shown_of[role]}'), so this one was "
            "not imported",
        )

    def read_rows(self) -> None:
        shown = self.shown_of
        self.figure_column = shown.get("value") or shown.get("numerator") or shown["reference"]
        self.part_columns = {
            part: shown.get(part, self.figure_column)
            for part in ("value", "numerator", "denominator", "status")
        }
        skipped = sum(not self.read_row(number, row) for number, row in self.data_rows())
        if skipped:
            rows = "row has" if skipped == 1 else "rows have"
            verb = "was" if skipped == 1 else "were"
            self.upload.notices.append(f"{skipped} {rows} no figure and {verb} not imported.")

    def read_row(self, row_number: int, row: list[Cell]) -> bool:
        """Read one row. False for a row with a reference or month but no figure (counted in
        a notice); True otherwise, whether it was read or reported as a problem."""
        cells = {role: cell_at(row, index) for role, index in self.index_of.items()}
        commentary = text(cells.get("commentary"))
        if all(blank(cells.get(role)) for role in self.CONTENT):
            return blank(cells["reference"]) and blank(cells["month"])
        spec = self.row_indicator(row_number, cells["reference"])
        month = self.row_month(row_number, cells["month"])
        if spec is None or month is None:
            return True
        if not self.accepts(row_number, self.shown_of["month"], month):
            return True
        try:
            figure = parse_figure_parts(
                figure_cell(cells.get("value")),
                cells.get("numerator"),
                cells.get("denominator"),
                spec.unit,
                decimal_places=spec.decimal_places,
                status=parse_status(cells.get("status")),
            )
        except FigureError as error:
            column = self.part_columns.get(error.field, self.figure_column)
            self.problem(row_number, column, error.reason)
            return True
        if figure is None and commentary is None:
            return False
        self.keep(
            ImportFigure(row_number, self.figure_column, spec.reference, month, figure, commentary),
            spec,
        )
        return True

    def row_indicator(self, row_number: int, cell: Cell) -> "IndicatorSpec | None":
        reference = self.lookup.reference(cell)
        if reference is None:
            self.problem(row_number, self.shown_of["reference"], "the reference is missing")
            return None
        return self.indicator(row_number, self.shown_of["reference"], reference)

    def row_month(self, row_number: int, cell: Cell) -> Month | None:

        if blank(cell):
            self.problem(row_number, self.shown_of["month"], "the month is missing")
            return None
        try:
            return columns.parse_month(cell)
        except ValueError as error:
            self.problem(row_number, self.shown_of["month"], str(error))
            return None


def _one_figure(first: ImportFigure, again: ImportFigure) -> ImportFigure | None:
    """The figure two rows give for one indicator and month, when they agree (each part given
    on both is the same; a part given on one only is taken from it); None when they differ."""
    figures = [f for f in (first.figure, again.figure) if f is not None]
    if len({fingerprint(f) for f in figures}) > 1:
        return None
    notes = [c.strip() for c in (first.commentary, again.commentary) if c and c.strip()]
    if len(set(notes)) > 1:
        return None
    return ImportFigure(
        first.row,
        first.column,
        first.reference,
        first.month,
        figures[0] if figures else None,
        first.commentary if first.commentary and first.commentary.strip() else again.commentary,
    )


def _conflict(first: ImportFigure, again: ImportFigure, spec: "IndicatorSpec") -> str:
    """Why two rows for one indicator and month cannot both be imported, naming both."""
    where = f"ID {again.reference} for {again.month.label}"
    before, here = first.figure, again.figure
    if before is not None and here is not None and fingerprint(before) != fingerprint(here):
        return (
            f"{where} is {_shown(here, spec)} here but {_shown(before, spec)} "
            f"on row {first.row}: a month has one figure, so neither row's was imported. "
            "Correct the one that is wrong"
        )
    return (
        f"{where} has different commentary here and on row {first.row}, so neither row was "
        "imported. Make them the same, or keep it on one row"
    )


def _shown(figure: Figure, spec: "IndicatorSpec") -> str:
    text = rules.format_value(figure.value, spec.unit, spec.decimal_places, figure.status)
    if figure.numerator is not None and figure.denominator is not None:
        text += f" ({rules.format_number(figure.numerator, 0)}/"
        text += f"{rules.format_number(figure.denominator, 0)})"
    return text


def _listed(rows: Sequence[int]) -> str:
    """``2``, ``2 and 5``, ``2, 5 and 9``."""
    names = [str(row) for row in rows]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
