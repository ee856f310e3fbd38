"""Applying a set-up plan: the confirm, which writes every planned addition and change in one
transaction, or none (a plan with problems is refused, and so is one made over a stored set-up
that has changed since). The workbook kept between its preview and its confirm is a
``kept_uploads.UploadKind``.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max

from indicators.models import (
    Council,
    Indicator,
    Milestone,
    Population,
    Priority,
    PriorityIndicator,
    ReportSection,
    SetupUpload,
    StatisticalNeighbourList,
    Target,
)
from intake.kept_uploads import ConfirmRefused, Uploader, UploadKind
from intake.lait.stored_comparators import recompute_comparators
from intake.setup import kept_plan, layout
from intake.setup.plan import Planned, SetupPlan
from intake.setup.planner import plan_setup
from intake.setup.stored_setup import stored_setup

CHANGE_REASON = "Set-up workbook"
STORED_CHANGED = (
    "What is stored changed since you previewed this workbook. Check the new preview and "
    "confirm again."
)


class SetupRefused(ConfirmRefused):
    pass


def _remember(instance, user):
    """The change history says who set it up, and how."""
    instance._change_reason = CHANGE_REASON
    instance._history_user = user


@transaction.atomic
def apply_setup(plan: SetupPlan, user: Uploader = None) -> dict:
    """Write every planned addition and change, or none. Refused with problems, or when the
    stored set-up is not the one the plan was made over."""
    if plan.problems:
        raise SetupRefused("The workbook has problems: fix them and upload it again.")
    # Every writer of figures locks their indicators first: a set-up, which may change any
    # indicator, waits for them, and they (and another set-up) for it.
    Indicator.objects.lock_for_writing(Indicator.objects.values_list("pk", flat=True))
    if stored_setup().fingerprint() != plan.stored:
        raise SetupRefused(STORED_CHANGED)
    items: dict[str, list[Planned]] = {sheet.name: [] for sheet in layout.SHEETS}
    for item in plan.planned:
        items[item.sheet.name].append(item)
    _apply_council(items["Council"])
    for item in items["Populations"]:
        age_from, age_to, start = item.key
        population = Population.objects.filter(
            age_from=age_from, age_to=age_to, valid_from=start.first_day
        ).first() or Population(age_from=age_from, age_to=age_to, valid_from=start.first_day)
        for name in ("name", "value", "source"):
            if name in item.values:
                setattr(population, name, item.values[name])
        population.save()
    indicators = _apply_indicators(items["Indicators"], user)
    _apply_priorities(items["Priorities"], indicators)
    _apply_targets(items["Targets"], indicators, user)
    for item in items["LAIT links"]:
        indicator = indicators[item.key[0]]
        indicator.lait_measure_id = item.values["lait_measure"]
        indicator.lait_years = item.values["lait_years"]
        _remember(indicator, user)
        indicator.save()
    _apply_milestones(items["Milestones"], user)
    _apply_report_sections(items["Report sections"], user)
    return plan.counts()


def _apply_council(items):
    if not items:
        return
    values = items[0].values
    council = Council.current()
    before = (council.authority_number, council.neighbour_list_id)
    for name in ("name", "service_name", "committee_name"):
        if name in values:
            setattr(council, name, values[name] or "")
    for name in ("deadline_working_day", "reminder_days_before", "commentary_sign_off"):
        if values.get(name) is not None:  # blank on a new council: the model's default
            setattr(council, name, values[name])
    if "authority_number" in values:
        council.authority_number = values["authority_number"]
    if "neighbour_list" in values:
        name = values["neighbour_list"]
        council.neighbour_list = (
            StatisticalNeighbourList.objects.get(name=name) if name is not None else None
        )
    council.save()
    if (council.authority_number, council.neighbour_list_id) != before:
        # The council's comparators are worked out for its authority and list (as the
        # admin's council page does on saving).
        recompute_comparators()


INDICATOR_FIELDS = [
    "description",
    "definition",
    "unit",
    "polarity",
    "frequency",
    "measure_basis",
    "decimal_places",
    "active",
    "population_age_from",
    "population_age_to",
    "report_section",
    "report_order",
    "lead_officer",
]
TEXT_FIELDS = {"definition", "report_section", "commitment", "lead_officer", "label"}


def _owners(items):
    """The data owners the items name, by username (the plan checked each is an active
    editor or administrator)."""
    named = {item.values["owner"] for item in items if item.values.get("owner")}
    people = get_user_model().objects.filter(username__in=named)
    return {person.get_username(): person for person in people}


def _set_indicator_fields(indicator, values, owners):
    """Set what an Indicators row gives, but the links to other indicators."""
    if "owner" in values:
        indicator.owner = owners[values["owner"]] if values["owner"] else None
    for name in INDICATOR_FIELDS:
        if name in values:
            value = values[name]
            setattr(indicator, name, "" if value is None and name in TEXT_FIELDS else value)
    if "spc_baseline_from" in values:
        start = values["spc_baseline_from"]
        indicator.spc_baseline_from = start.first_day if start else None
    # A link to another indicator is set once every indicator exists; one being removed
    # goes now, so the unit and the population band can change with it.
    for name in ("rate_of", "category_of"):
        if name in values and values[name] is None:
            setattr(indicator, name, None)


def _apply_indicators(items, user):
    """Add and change indicators, then point rates and categories at each other (either may
    be a new one). Returns every indicator by reference."""
    stored = {indicator.reference: indicator for indicator in Indicator.objects.all()}
    owners = _owners(items)
    for item in items:
        reference = item.key[0]
        indicator = stored.get(reference) or Indicator(reference=reference)
        _set_indicator_fields(indicator, item.values, owners)
        _remember(indicator, user)
        indicator.save()
        stored[reference] = indicator
    for item in items:
        indicator = stored[item.key[0]]
        linked = False
        for name in ("rate_of", "category_of"):
            other = item.values.get(name)
            if other is not None and getattr(indicator, f"{name}_id") != stored[other].pk:
                setattr(indicator, name, stored[other])
                linked = True
        if linked:
            _remember(indicator, user)
            indicator.save()
    return stored


def _apply_priorities(items, indicators):
    for item in items:
        number = item.key[0]
        priority = Priority.objects.filter(number=number).first() or Priority(number=number)
        for name in ("title", "commitment", "lead_officer", "display_order"):
            if name in item.values:
                value = item.values[name]
                setattr(priority, name, "" if value is None and name in TEXT_FIELDS else value)
        priority.save()
        if "indicators" not in item.values:
            continue
        wanted = [indicators[reference] for reference in item.values["indicators"]]
        PriorityIndicator.objects.filter(priority=priority).exclude(indicator__in=wanted).delete()
        for order, indicator in enumerate(wanted):
            PriorityIndicator.objects.update_or_create(
                priority=priority, indicator=indicator, defaults={"display_order": order}
            )


TARGET_FIELDS = [
    "kind",
    "value",
    "goal_value",
    "lower",
    "upper",
    "label",
    "tolerance",
    "absolute_tolerance",
]


def _apply_targets(items, indicators, user):
    for item in items:
        reference, start = item.key
        indicator = indicators[reference]
        target = Target.objects.filter(
            indicator=indicator, valid_from=start.first_day
        ).first() or Target(indicator=indicator, valid_from=start.first_day)
        for name in TARGET_FIELDS:
            if name in item.values:
                value = item.values[name]
                setattr(target, name, "" if value is None and name in TEXT_FIELDS else value)
        for name in ("valid_to", "goal_month"):
            if name in item.values:
                month = item.values[name]
                setattr(target, name, month.first_day if month else None)
        _remember(target, user)
        target.save()


def _apply_milestones(items, user):
    """Add and change milestones; a new one with no order comes after its priority's others
    (those added before it in the workbook included)."""
    if not items:
        return
    priorities = {priority.number: priority for priority in Priority.objects.all()}
    for item in items:
        number, workstream = item.key
        priority = priorities[number]
        milestone = Milestone.objects.filter(
            priority=priority, workstream=workstream
        ).first() or Milestone(priority=priority, workstream=workstream)
        if "owner" in item.values:
            milestone.owner = item.values["owner"] or ""
        if item.values.get("display_order") is not None:
            milestone.display_order = item.values["display_order"]
        elif milestone.pk is None:
            last = Milestone.objects.filter(priority=priority).aggregate(last=Max("display_order"))
            milestone.display_order = 0 if last["last"] is None else last["last"] + 1
        _remember(milestone, user)
        milestone.save()


REPORT_SECTION_FIELDS = ["year_labels", "grouped_years", "comparators", "current_label"]


def _apply_report_sections(items, user):
    for item in items:
        quarter, title = item.key
        section = ReportSection.objects.filter(
            quarter=quarter, title=title
        ).first() or ReportSection(quarter=quarter, title=title)
        for name in REPORT_SECTION_FIELDS:
            if name in item.values:
                setattr(section, name, item.values[name])
        if "not_benchmarked" in item.values:
            section.not_benchmarked = item.values["not_benchmarked"] or ""
        _remember(section, user)
        section.save()


# The upload kept between preview and confirm -----------------------------------------------
class SetupUploads(UploadKind[SetupUpload, SetupPlan, None, dict]):
    """A set-up workbook kept between its preview and its confirm (``kept_uploads``)."""

    model = SetupUpload
    refused = SetupRefused
    already_done = "This workbook has already been set up or cancelled."
    not_the_preview = STORED_CHANGED
    kept_plan = kept_plan

    def read(self, data: bytes, filename: str) -> SetupPlan:
        return plan_setup(data, filename)

    def apply(self, plan: SetupPlan, user: Uploader, choices: None) -> dict:
        return apply_setup(plan, user)

    def summary(self, plan: SetupPlan, result: dict) -> str:
        return plan.summary()


setup_uploads = SetupUploads()
