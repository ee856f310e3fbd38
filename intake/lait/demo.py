"""The demonstration's DfE benchmarks (``load_demo``): the LAIT extract in fixtures/lait/ for
the seed's council (its DfE number is the seed fixture's ``authority_number``), compared with
DfE's April 2021 statistical-neighbour list (the list in force when the seed's 2023 papers
were written), and the seed's indicators that are LAIT measures linked to them.

The links were chosen from the data dictionary (fixtures/lait/lait_data_dictionary.csv):
each indicator and its measure count the same children the same way; DfE's ``Year_Type``
says how the years line up.
"""

import json

from django.conf import settings
from django.db import transaction

from indicators.dfe import years
from indicators.models import Indicator
from intake.lait.files import LaitFile
from intake.lait.lait_import import import_lait
from intake.lait.summary import ImportSummary
from intake.seed import SEED_FIXTURE

EXTRACT = settings.BASE_DIR / "fixtures" / "lait"
LIST_IN_FORCE = "April 2021"

DEMO_LINKS = {
    # reference: (LAIT measure, how its years line up)
    # "Percentage of re-referrals within previous 12 months": DfE's re-referrals within 12
    # months, financial year.
    "10": ("ReReferral", years.FINANCIAL_YEAR),
    # "Rate of Children subject to a Child Protection Plan per 10,000": DfE's rate at 31 March.
    "20": ("CPP_rate", years.SNAPSHOT_31_MARCH),
    # "Rate of Children in Care per 10,000": DfE's children looked after rate at 31 March.
    "21": ("LAC", years.SNAPSHOT_31_MARCH),
    # "Timeliness of Reviews of Child Protection Plans": DfE's child protection cases that
    # should have been reviewed that were reviewed (%), financial year.
    "54": ("RevCP", years.FINANCIAL_YEAR),
    # The quarterly report's rows of the same measures.
    "Q2p": ("ReReferral", years.FINANCIAL_YEAR),
    "Q4r": ("CPP_rate", years.SNAPSHOT_31_MARCH),
    "Q7r": ("LAC", years.SNAPSHOT_31_MARCH),
}


def load_demo_benchmarks() -> tuple[ImportSummary, list[str]]:
    """Import the extract (a second run changes nothing) and link the indicators of
    ``DEMO_LINKS`` that exist; returns (the import's summary, the references linked)."""
    summary = import_lait(
        LaitFile.at(EXTRACT / "lait_extract.parquet"),
        dictionary=LaitFile.at(EXTRACT / "lait_data_dictionary.csv"),
        neighbour_lists=[
            LaitFile.at(EXTRACT / "sn_april_2021.xlsx"),
            LaitFile.at(EXTRACT / "sn_may_2025.xlsx"),
        ],
        authority_number=json.loads(SEED_FIXTURE.read_text(encoding="utf-8"))["authority_number"],
        list_in_force=LIST_IN_FORCE,
    )
    linked = []
    with transaction.atomic():
        for indicator in Indicator.objects.filter(reference__in=DEMO_LINKS).order_by("reference"):
            indicator.lait_measure_id, indicator.lait_years = DEMO_LINKS[indicator.reference]
            # save(): the change goes into the indicator's history like an administrator's.
            indicator.save(update_fields=["lait_measure", "lait_years"])
            linked.append(indicator.reference)
    return summary, linked
