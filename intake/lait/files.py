"""The files of a LAIT import: where each comes from (``LaitFile``), the dictionary beside the
data, and every file read and checked before anything is saved."""

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from indicators.models import LaitMeasure
from intake.lait import dictionary as dictionary_reader
from intake.lait import neighbours as neighbour_reader
from intake.lait import reader
from intake.lait.file_reading import LaitFileError, Problem, Source
from intake.lait.summary import Progress

DICTIONARY_NAME = "lait_data_dictionary.csv"

#: A statistical-neighbour list read: (name, file name, frame, authorities listed).
NeighbourList = tuple[str, str, pd.DataFrame, int]


@dataclass(frozen=True)
class LaitFile:
    """A file to read: a path or an open binary file, and its name (the suffix says how)."""

    source: Source
    name: str

    @classmethod
    def at(cls, path: str | Path) -> "LaitFile":
        return cls(str(path), Path(path).name)


def dictionary_beside(data_path: str | Path) -> Path | None:
    """The data dictionary in the data's folder, if it is there."""
    path = Path(data_path).with_name(DICTIONARY_NAME)
    return path if path.is_file() else None


@dataclass
class _Files:
    data: pd.DataFrame
    dictionary: pd.DataFrame | None
    neighbour_lists: list[NeighbourList]
    notices: list[str]


def read_all(
    data: LaitFile,
    dictionary: LaitFile | None,
    neighbour_lists: Iterable[LaitFile],
    progress: Progress,
) -> _Files:
    """Every file read and checked; every problem of every file raised together."""
    problems, notices = [], []
    frames: dict[str, Any] = {}  # the data, and the dictionary or None
    progress(f"Reading {data.name}", 0, 1)
    try:
        frames["data"] = reader.read_data(data.source, data.name)
    except LaitFileError as error:
        problems.extend(error.problems)
    progress(f"Reading {data.name}", 1, 1)
    frames["dictionary"] = None
    if dictionary is not None:
        try:
            frames["dictionary"], dictionary_notices = dictionary_reader.read_dictionary(
                dictionary.source, dictionary.name
            )
            notices.extend(dictionary_notices)
        except LaitFileError as error:
            problems.extend(error.problems)
    lists = []
    for file in neighbour_lists:
        try:
            frame, authorities = neighbour_reader.read_neighbour_list(file.source, file.name)
            lists.append(
                (neighbour_reader.neighbour_list_name(file.name), file.name, frame, authorities)
            )
        except LaitFileError as error:
            problems.extend(error.problems)
    names = [name for name, *_ in lists]
    for name in {name for name in names if names.count(name) > 1}:
        problems.append(Problem(name, None, "", "two statistical-neighbour files have this name."))
    if problems:
        raise LaitFileError(problems)
    return _Files(frames["data"], frames["dictionary"], lists, notices)


def check_measures_known(files: _Files) -> None:
    """Every measure in the data needs its dictionary row, given now or stored before."""
    in_data = set(files.data["measure"].unique())
    known = set(LaitMeasure.objects.filter(code__in=in_data).values_list("code", flat=True))
    if files.dictionary is not None:
        known |= set(files.dictionary["code"])
    unknown = sorted(in_data - known)
    if unknown:
        shown = ", ".join(unknown[:20]) + (
            f" and {len(unknown) - 20} more" if len(unknown) > 20 else ""
        )
        raise LaitFileError(
            [
                Problem(
                    "the data",
                    None,
                    "Short Desc",
                    f"{len(unknown)} measures are not in the data dictionary: {shown}. Give "
                    "the dictionary that describes them.",
                )
            ]
        )
