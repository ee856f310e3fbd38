"""The LAIT import into the database, in one transaction.

``import_lait`` reads and checks every file first (``files``); then, in one transaction, it
brings the stored measures, values and statistical-neighbour lists into line with the files
(``sync``), sets the council's place if asked, and works the comparators out again
(``stored_comparators``). Nothing is half-saved: any problem rolls the whole import back.

Idempotent: each measure's values carry a digest of what was stored; a measure whose values in
the file have the same digest is left alone, so a second import of the same file changes
nothing. A newer file replaces what it covers: every stored value of each measure in the file
becomes exactly the file's (a year DfE dropped goes, a revised figure changes); measures not
in the file are left as they are.
"""

from collections.abc import Sequence

import pandas as pd
from django.db import transaction

from indicators.changes import data_changed
from indicators.models import Council, LaitComparator, LaitMeasure
from indicators.tenancy import council_scope
from intake.lait.file_reading import LaitFileError, Problem
from intake.lait.files import LaitFile, check_measures_known, read_all
from intake.lait.stored_comparators import recompute_comparators
from intake.lait.summary import Counts, ImportSummary, Progress, no_progress
from intake.lait.sync import (
    check_authority,
    ids_of,
    set_council,
    sync_measures,
    sync_neighbour_lists,
    sync_values,
)


def import_lait(
    data: LaitFile,
    *,
    dictionary: LaitFile | None = None,
    neighbour_lists: Sequence[LaitFile] = (),
    authority_number: int | None = None,
    list_in_force: str | None = None,
    progress: Progress = no_progress,
) -> ImportSummary:
    """Import LAIT's data (a ``LaitFile``), its dictionary and statistical-neighbour lists,
    and optionally set the council's authority number and the list in force (by name, e.g.
    "April 2021"; the first list given when the council has none yet). Raises
    ``LaitFileError`` with every problem found, having saved nothing; returns an
    ``ImportSummary``."""
    if authority_number is not None and not 100 <= authority_number < 970:
        raise LaitFileError(
            [
                Problem(
                    "the council",
                    None,
                    "",
                    f"{authority_number} is not an authority: DfE's authority numbers are 100 "
                    "to 969 (970 is England, 980 and up the regions).",
                )
            ]
        )
    files = read_all(data, dictionary, neighbour_lists, progress)
    check_measures_known(files)
    summary = ImportSummary(notices=list(files.notices))
    with transaction.atomic():
        # Written in bulk, with no signals; DfE's figures are shown to every council.
        data_changed(every_council=True)
        sync_measures(files.dictionary, summary)
        measure_ids = dict(LaitMeasure.objects.values_list("code", "pk"))
        sync_values(files.data, measure_ids, summary, progress)
        sync_neighbour_lists(files.neighbour_lists, summary)
        council = set_council(authority_number, list_in_force, files.neighbour_lists, summary)
        check_authority(council)
        if council.authority_number is None:
            summary.notices.append(
                "The council has no DfE authority number yet: no comparators were worked out "
                "(give one, e.g. --la 879)."
            )
        if _comparators_may_have_changed(summary, council):
            summary.comparators = recompute_comparators(
                progress, _values_in_hand(files, measure_ids)
            )
        else:
            summary.comparators = Counts(unchanged=LaitComparator.objects.count())
        if summary.values.any or summary.measures.any:
            _recompute_other_councils(council, _values_in_hand(files, measure_ids))
    return summary


def _recompute_other_councils(council, values):
    """DfE's data is shared: the other councils' comparators are worked out again from it,
    each in its own council (their numbers and lists are their own)."""
    others = Council.objects.exclude(pk=council.pk).exclude(authority_number=None)
    for other in others.select_related("neighbour_list"):
        with council_scope(other):
            recompute_comparators(values=values)


def _comparators_may_have_changed(summary, council):
    """Whether anything the comparators are worked out from changed: the values, a list, the
    council's place - or the stored ones are not the council's."""
    if summary.values.any or summary.measures.any or summary.council_changed:
        return True
    if any(outcome != "unchanged" for *_, outcome in summary.neighbour_lists):
        return True
    stored = LaitComparator.objects.all()
    others = stored.exclude(
        authority_number=council.authority_number, neighbour_list_id=council.neighbour_list_id
    )
    return council.authority_number is not None and (not stored.exists() or others.exists())


def _values_in_hand(files, measure_ids):
    """The file's values as ``stored_comparators._all_values`` would read them back, when the
    file holds every measure stored (so what is stored is exactly the file); otherwise None."""
    in_file = set(files.data["measure"].unique())
    if LaitMeasure.objects.exclude(code__in=in_file).filter(values__isnull=False).exists():
        return None
    data = files.data
    return pd.DataFrame(
        {
            "measure": ids_of(data["measure"], measure_ids),
            "year": data["year"],
            "area_code": data["area_code"],
            "value": data["value"],
            "authority": data["region"] != "",
        }
    )
