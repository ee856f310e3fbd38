"""The guided set-up (issue 22): the *Set up* page's four steps in the order a new council
takes them (DfE's data, the set-up workbook, users, the first month), each with whether it is
done and what is done in words, and the indicators that sit under no priority (and so appear
on no page). Read in a fixed number of queries, whatever the council's size.
"""

from dataclasses import dataclass

from django.db.models import Count, Max
from django.urls import reverse

from indicators import roles
from indicators.models import (
    Council,
    Indicator,
    LaitMeasure,
    Membership,
    Milestone,
    Priority,
    PublishedMonth,
    SetupUpload,
    StatisticalNeighbourList,
    Target,
    Value,
)
from indicators.natural_order import natural_key
from indicators.periods import Month

#: Where each step is done: the DfE import is the admin's page for it (Administration >
#: LAIT measures > Import DfE LAIT data), users the admin's list of them.
DFE_IMPORT_URL = "admin:indicators_lait_import"
USERS_URL = "admin:auth_user_changelist"


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    url: str  # where the step is done
    done: bool
    words: str  # what is done, or what to do
    links: tuple[Link, ...] = ()

    @property
    def status(self) -> str:
        return "Done" if self.done else "Not started"

    @property
    def slug(self) -> str:
        return f"step-{self.number}"


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number:,} {one if number == 1 else many or one + 's'}"


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def dfe_step() -> Step:
    """Step 1: DfE's LAIT data imported (its measures, neighbour lists, the council's place).
    Three queries: the measures, the lists, the council."""
    measures = LaitMeasure.objects.count()
    lists = list(StatisticalNeighbourList.objects.values_list("name", flat=True))
    council = Council.current()
    url = reverse(DFE_IMPORT_URL)
    if not measures:
        words = (
            "Import DfE's LAIT data (Administration > LAIT measures > Import DfE LAIT data) "
            "before the workbook links indicators to its measures: it brings England, region "
            "and statistical-neighbour benchmarks."
        )
        return Step(1, "Import DfE data (LAIT)", url, False, words)
    parts = [f"{_count(measures, 'DfE measure')} imported"]
    if lists:
        parts.append(f"statistical-neighbour lists: {', '.join(lists)}")
    if council.authority_number is not None:
        parts.append(f"the council is DfE authority {council.authority_number}")
    if council.neighbour_list is not None:
        parts.append(f"compared with the {council.neighbour_list.name} neighbours")
    return Step(1, "Import DfE data (LAIT)", url, True, f"{'; '.join(parts)}.")


def workbook_step() -> Step:
    """Step 2: priorities and indicators set up. Five queries: the priorities, indicators,
    targets and milestones counted, the last workbook set up."""
    priorities, indicators = Priority.objects.count(), Indicator.objects.count()
    targets, milestones = Target.objects.count(), Milestone.objects.count()
    last = (
        SetupUpload.objects.filter(status=SetupUpload.Status.APPLIED)
        .defer("content", "plan")
        .order_by("-uploaded_at")
        .first()
    )
    links = (
        Link("Download the set-up template", reverse("setup_template")),
        Link("Download the current set-up", reverse("setup_current")),
    )
    done = bool(priorities and indicators)
    if not done:
        words = (
            "Download the template, fill in the council, its priorities, indicators, targets "
            "and milestones, then upload it below, check the preview and confirm."
        )
        return Step(2, "Fill in and upload the set-up workbook", "#workbook", False, words, links)
    parts = [
        _count(priorities, "priority", "priorities"),
        _count(indicators, "indicator"),
        _count(targets, "target"),
        _count(milestones, "milestone"),
    ]
    words = f"{_listed(parts)} set up."
    if last is not None:
        words += f" Last set up from {last.filename} on {last.uploaded_at:%-d %b %Y}."
    return Step(2, "Fill in and upload the set-up workbook", "#workbook", True, words, links)


def users_step() -> Step:
    """Step 3: editors to enter figures and viewers to read them. One query."""
    # The scoped manager: the roles held in the council in force.
    by_role = dict(
        Membership.objects.filter(user__is_active=True)
        .order_by()
        .values("role")
        .annotate(users=Count("pk"))
        .values_list("role", "users")
    )
    editors, viewers = by_role.get(roles.EDITOR, 0), by_role.get(roles.VIEWER, 0)
    administrators = by_role.get(roles.ADMINISTRATOR, 0)
    people = _listed(
        [
            _count(editors, "editor"),
            _count(viewers, "viewer"),
            _count(administrators, "administrator"),
        ]
    )
    done = bool(editors or viewers)
    words = (
        f"{people}. Editors (performance advisors) enter and publish figures; viewers "
        "(councillors) read published months."
    )
    if not done:
        words = f"{people}. Add editors to enter and publish figures and viewers to read them."
    return Step(3, "Add users", reverse(USERS_URL), done, words)


def first_month_step(has_indicators: bool, today: Month | None = None) -> Step:
    """Step 4: a month's figures entered and published. Two queries: the latest publication
    and the latest month with figures."""
    published = PublishedMonth.objects.aggregate(latest=Max("period"), months=Count("pk"))
    latest_figures = Value.objects.aggregate(latest=Max("period"))["latest"]
    if published["latest"] is not None:
        month = Month.from_date(published["latest"])
        words = (
            f"{_count(published['months'], 'month')} published, the latest {month.long_label}. "
            "Each month: enter its figures, then publish it."
        )
        return Step(4, "Enter and publish the first month", reverse("entry_index"), True, words)
    month = (
        Month.from_date(latest_figures)
        if latest_figures is not None
        else (today or Month.current()).previous()
    )
    if not has_indicators:
        words = (
            "Once the workbook has set up the indicators: enter a month's figures, then publish it."
        )
        return Step(4, "Enter and publish the first month", reverse("entry_index"), False, words)
    entry = reverse("entry_month", args=[month.iso])
    words = (
        f"Enter the figures for {month.long_label}, then publish the month for councillors."
        if latest_figures is None
        else f"Figures entered for {month.long_label}: publish the month for councillors."
    )
    links = (
        Link(f"Enter figures for {month.long_label}", entry),
        Link(f"Publish {month.long_label}", reverse("publish_month", args=[month.iso])),
    )
    return Step(4, "Enter and publish the first month", entry, False, words, links)


def setup_steps(today: Month | None = None) -> list[Step]:
    """The four steps in order, each with what is done."""
    workbook = workbook_step()
    return [dfe_step(), workbook, users_step(), first_month_step(workbook.done, today)]


def unplaced_indicators() -> list[Indicator]:
    """Active indicators under no priority: they appear on no page (the quarterly report's
    rows aside, which appear in its tables) until they are put under one. One query."""
    unplaced = Indicator.objects.active().filter(priorities__isnull=True, report_section="")
    return sorted(unplaced, key=lambda indicator: natural_key(indicator.reference))
