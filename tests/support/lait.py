"""The LAIT extract in fixtures/lait/ and helpers for the tests that import it."""

from pathlib import Path

import pandas as pd

from intake.lait.files import LaitFile
from intake.lait.lait_import import import_lait

EXTRACT = Path(__file__).resolve().parents[2] / "fixtures" / "lait"
DATA = EXTRACT / "lait_extract.parquet"
DICTIONARY = EXTRACT / "lait_data_dictionary.csv"
APRIL_2021 = EXTRACT / "sn_april_2021.xlsx"
MAY_2025 = EXTRACT / "sn_may_2025.xlsx"
FULL = Path(__file__).resolve().parents[3] / "shared" / "lait"
PLYMOUTH = 879
# Seven of the extract's measures, each with its years' alignment: the tests link an
# indicator to each in turn.
MEASURES = [
    ("ReReferral", "financial_year"),
    ("CPP_rate", "snapshot_31_march"),
    ("LAC", "snapshot_31_march"),
    ("RevCP", "financial_year"),
    ("Vacancies_cover", "as_published"),
    ("CPPlans2yrsActive", "snapshot_31_march"),
    ("A3A", "academic_year"),
]


def import_extract(data=DATA, authority_number=PLYMOUTH, lists=(APRIL_2021, MAY_2025), **options):
    """Import the extract (or ``data``: a path) as ``import_lait --la 879`` does."""
    return import_lait(
        LaitFile.at(data),
        dictionary=LaitFile.at(DICTIONARY),
        neighbour_lists=[LaitFile.at(path) for path in lists],
        authority_number=authority_number,
        **options,
    )


def extract_frame():
    """The extract as DfE's columns (text), to change and write back for a newer file."""
    return pd.read_parquet(DATA)
