"""Import the DfE's LAIT data set: the data, its dictionary, statistical-neighbour lists and
the council's place in them; the council's comparators are worked out again."""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser, OutputWrapper

from indicators.tenancy import CouncilCommand
from intake.lait.file_reading import LaitFileError
from intake.lait.files import LaitFile, dictionary_beside
from intake.lait.lait_import import import_lait


def _plain(text):
    return text  # not the error colour Django gives stderr


class Progress:
    """One line per stage on the console, rewritten in place as it goes on a terminal, or
    written once when the stage is done (a log, a test)."""

    def __init__(self, stream: OutputWrapper) -> None:
        self.stream = stream  # a command's OutputWrapper
        self.live = stream.isatty()
        self.started = time.monotonic()

    def __call__(self, stage: str, done: int, total: int) -> None:
        elapsed = time.monotonic() - self.started
        percent = 100 * done // total if total else 100
        line = f"{stage}: {done:,} of {total:,} ({percent}%) {elapsed:.1f}s"
        if self.live:
            ending = "\n" if done >= total else ""
            self.stream.write(f"\r{line}\033[K", style_func=_plain, ending=ending)
            self.stream.flush()
        elif done >= total:
            self.stream.write(line, style_func=_plain)


class Command(CouncilCommand):
    help = (
        "Import DfE LAIT data (.parquet, .csv or .xlsx in LAIT's long layout), its dictionary "
        "and statistical-neighbour lists, in one transaction; a second import of the same "
        "files changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("data", help="The data set, e.g. lait_bds_long.parquet.")
        parser.add_argument(
            "--dictionary",
            help="The data dictionary (default: lait_data_dictionary.csv beside the data).",
        )
        parser.add_argument(
            "--statistical-neighbours",
            action="append",
            default=[],
            metavar="SN_LIST",
            help="A DfE statistical-neighbour workbook, e.g. sn_april_2021.xlsx (named from "
            "the file: 'April 2021'); may be given more than once.",
        )
        parser.add_argument(
            "--la", type=int, help="The council's DfE authority number (three digits)."
        )
        parser.add_argument(
            "--in-force",
            metavar="LIST_NAME",
            help="The statistical-neighbour list in force, e.g. 'April 2021' (default: the "
            "council's current list, or the first --statistical-neighbours when it has none).",
        )

    def handle(
        self,
        *args: Any,
        data: str,
        dictionary: str | None,
        statistical_neighbours: list[str],
        la: int | None,
        in_force: str | None,
        **options: Any,
    ) -> None:
        for path in [data, dictionary, *statistical_neighbours]:
            if path and not Path(path).is_file():
                raise CommandError(f"No file at {path}.")
        dictionary_path = dictionary or dictionary_beside(data)
        progress = Progress(self.stderr)
        try:
            summary = import_lait(
                LaitFile.at(data),
                dictionary=LaitFile.at(dictionary_path) if dictionary_path else None,
                neighbour_lists=[LaitFile.at(path) for path in statistical_neighbours],
                authority_number=la,
                list_in_force=in_force,
                progress=progress,
            )
        except LaitFileError as error:
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(str(p) for p in error.problems)
            ) from None
        for line in summary.lines():
            self.stdout.write(line)
        if not summary.changed_anything:
            self.stdout.write("Nothing changed: the database already held these files.")
