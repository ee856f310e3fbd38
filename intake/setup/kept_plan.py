"""A set-up plan kept with its upload (``SetupUpload.plan``) as JSON, so a workbook is read
once: the preview shows the kept plan and the confirm applies it (``apply``). Sheets are kept
by name; values, keys included, as ``kept_uploads.to_json`` keeps them; a problem with the
set-up step that fixes it (a plan kept before steps were kept has four items: the workbook's
step)."""

from intake.kept_uploads import Kept, from_json, to_json
from intake.setup import layout
from intake.setup.plan import FieldChange, Planned, SetupPlan
from intake.setup.reader import SetupProblem

VERSION = 1
SHEETS = {sheet.name: sheet for sheet in layout.SHEETS}


def dump(plan: SetupPlan) -> Kept:
    return {
        "version": VERSION,
        "stored": plan.stored,
        "unchanged": plan.unchanged,
        "notices": list(plan.notices),
        "problems": [[p.sheet, p.row, p.column, p.reason, p.step] for p in plan.problems],
        "planned": [
            {
                "sheet": item.sheet.name,
                "row": item.row,
                "key": to_json(item.key),
                "what": item.what,
                "action": item.action,
                "values": to_json(item.values),
                "changes": [[c.column, c.old, c.new] for c in item.changes],
            }
            for item in plan.planned
        ],
    }


def load(kept: Kept) -> SetupPlan:
    """The plan as ``dump`` kept it (no queries)."""
    return SetupPlan(
        planned=[
            Planned(
                SHEETS[item["sheet"]],
                item["row"],
                tuple(from_json(item["key"])),
                item["what"],
                item["action"],
                from_json(item["values"]),
                [FieldChange(*change) for change in item["changes"]],
            )
            for item in kept["planned"]
        ],
        unchanged=kept["unchanged"],
        problems=[SetupProblem(*problem) for problem in kept["problems"]],
        notices=kept["notices"],
        stored=kept["stored"],
    )
