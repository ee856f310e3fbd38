"""A priority's project milestone updates for a month, started from the previous month's.

As in the entry grid, each milestone carries a fingerprint of its update as it was when the
page was opened: a save writes only what the editor changed, refuses an update someone else
changed meanwhile (showing their text, keeping the editor's) and takes a double submit as
already saved.
"""

import hashlib
from collections.abc import Mapping
from typing import Any, Literal

from django import forms
from django.contrib.auth.models import User
from django.db import transaction

from indicators.models import (
    Milestone,
    MilestoneUpdate,
    Priority,
    PriorityStatus,
    Progress,
)
from indicators.periods import Month
from intake.grid import text_area

PARTS = ("status", "direction", "this_period", "next_period")


def content_fingerprint(content: Mapping[str, object]) -> str:
    """An update's content ({part: text}) as one short string."""
    text = "\x1f".join(str(content.get(name) or "").strip() for name in PARTS)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def update_fingerprint(update: MilestoneUpdate | None) -> str:
    """A stored update's content as one short string ("" for no update this month)."""
    if update is None:
        return ""
    return content_fingerprint({name: getattr(update, name) for name in PARTS})


def status_fingerprint(status: str | None) -> str:
    """A stored priority status as the page saw it: "" for none stored, "=" and the status
    otherwise (a stored blank, "not stated", differs from none)."""
    return "" if status is None else f"={status}"


class MilestoneUpdatesForm(forms.Form):
    def __init__(self, *args: Any, priority: Priority, month: Month, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.priority, self.month = priority, month
        self.milestones = list(priority.milestones.all())
        updates = {
            (update.milestone_id, update.period): update
            for update in MilestoneUpdate.objects.filter(
                milestone__priority=priority,
                period__in=[month.first_day, month.previous().first_day],
            )
        }
        self._add_priority_status()
        self.rows: list[dict[str, Any]] = []
        for milestone in self.milestones:
            current = updates.get((milestone.id, month.first_day))
            previous = updates.get((milestone.id, month.previous().first_day))
            self._add_fields(milestone.id)
            if not self.is_bound:
                start = current or previous
                shown = {name: getattr(start, name) if start else "" for name in PARTS}
                for name, value in shown.items():
                    self.initial[f"{name}_{milestone.id}"] = value
                self.initial[f"seen_{milestone.id}"] = update_fingerprint(current)
                self.initial[f"shown_{milestone.id}"] = content_fingerprint(shown)
            self.rows.append(
                {
                    "milestone": milestone,
                    "from_previous": current is None and previous is not None,
                    "fields": [self[f"{name}_{milestone.id}"] for name in PARTS],
                    "hidden": [self[f"seen_{milestone.id}"], self[f"shown_{milestone.id}"]],
                }
            )

    def _add_priority_status(self) -> None:
        """The priority's own RAG status for the month (the highlight report's "Current";
        last month's is its "Previous"), started from last month's as the updates are."""
        self.fields["priority_status"] = forms.ChoiceField(
            label=f"Priority {self.priority.number}'s status for {self.month.label}",
            help_text="Your judgement of the priority as a whole, shown beside last month's "
            "on the priority page and in the pack.",
            choices=Progress.choices,
            required=False,
        )
        statuses = {
            status.period: status.status
            for status in PriorityStatus.objects.filter(
                priority=self.priority,
                period__in=[self.month.first_day, self.month.previous().first_day],
            )
        }
        self.stored_status = statuses.get(self.month.first_day)
        self.previous_status = Progress(statuses.get(self.month.previous().first_day, ""))
        # The stored status when the page was opened, and what the page showed: as with the
        # milestones, a save refuses a status someone else set meanwhile.
        for name in ("status_seen", "status_shown"):
            self.fields[name] = forms.CharField(required=False, widget=forms.HiddenInput)
        if not self.is_bound:
            start = self.stored_status
            shown = start if start is not None else self.previous_status.value
            self.initial["priority_status"] = shown
            self.initial["status_seen"] = status_fingerprint(start)
            self.initial["status_shown"] = shown

    def _add_fields(self, key: int) -> None:
        self.fields[f"status_{key}"] = forms.ChoiceField(
            label="Status", choices=MilestoneUpdate.Status.choices, required=False
        )
        self.fields[f"direction_{key}"] = forms.ChoiceField(
            label="Direction",
            choices=[("", "Not stated"), *MilestoneUpdate.Direction.choices],
            required=False,
        )
        for name, label in (("this_period", "This period"), ("next_period", "Next period")):
            self.fields[f"{name}_{key}"] = text_area(label, rows=4)
        # The stored update when the page was opened, and what the page showed.
        for name in ("seen", "shown"):
            self.fields[f"{name}_{key}"] = forms.CharField(required=False, widget=forms.HiddenInput)

    def content(self, milestone: Milestone) -> dict[str, str]:
        return {name: self.cleaned_data[f"{name}_{milestone.id}"] for name in PARTS}


# A conflict with someone else's save: the milestone (None for the priority's own status) and
# the sentence that says what they saved.
Conflict = tuple[Milestone | None, str]


class MilestoneConflictError(Exception):
    def __init__(self, conflicts: list[Conflict]) -> None:
        super().__init__("; ".join(message for _, message in conflicts))
        self.conflicts = conflicts


@transaction.atomic
def save_milestone_updates(form: MilestoneUpdatesForm, user: User) -> int:
    """Write every milestone the editor changed and the priority's status, or nothing;
    returns how many were written."""
    milestones = form.milestones
    # The priority's row is the lock: two saves of one priority run one after the other.
    list(Priority.objects.select_for_update().filter(pk=form.priority.pk))
    stored = {
        update.milestone_id: update
        for update in MilestoneUpdate.objects.filter(
            milestone__in=milestones, period=form.month.first_day
        )
    }
    writes: list[tuple[Milestone, dict[str, str]]] = []
    conflicts: list[Conflict] = []
    for milestone in milestones:
        content = form.content(milestone)
        current = stored.get(milestone.id)
        verdict = _compare(form, milestone, content, current)
        if verdict == "conflict":
            conflicts.append((milestone, _conflict_message(milestone, current)))
        elif verdict == "write":
            writes.append((milestone, content))
    status = _status_verdict(form)
    if status == "conflict":
        conflicts.append((None, _status_conflict_message(form)))
    if conflicts:
        raise MilestoneConflictError(conflicts)
    for milestone, content in writes:
        MilestoneUpdate.objects.update_or_create(
            milestone=milestone,
            period=form.month.first_day,
            defaults=content | {"updated_by": user},
        )
    if status == "write":
        PriorityStatus.objects.update_or_create(
            priority=form.priority,
            period=form.month.first_day,
            defaults={"status": form.cleaned_data["priority_status"] or "", "updated_by": user},
        )
    return len(writes) + (status == "write")


Verdict = Literal["write", "skip", "conflict"]


def _stored_status(form: MilestoneUpdatesForm) -> str | None:
    stored = PriorityStatus.objects.filter(priority=form.priority, period=form.month.first_day)
    return stored.values_list("status", flat=True).first()


def _status_verdict(form: MilestoneUpdatesForm) -> Verdict:
    """The priority's status, read under the lock, judged as a milestone's update is."""
    chosen = form.cleaned_data["priority_status"] or ""
    now = _stored_status(form)
    if chosen == (now or ""):
        return "skip"  # already as chosen (none stored and none chosen is no change)
    if now is not None and chosen == form.cleaned_data["status_shown"]:
        return "skip"  # not changed here: theirs stands
    # (None stored: last month's status, shown to start from, is written as a milestone's is.)
    if status_fingerprint(now) != form.cleaned_data["status_seen"]:
        return "conflict"
    return "write"


def _status_conflict_message(form: MilestoneUpdatesForm) -> str:
    now = Progress(_stored_status(form) or "")
    return (
        f"Priority {form.priority.number}'s status was set to “{now.label}” by someone else "
        "after you opened this page. Nothing was saved. Your choice is kept: save again to "
        "replace theirs, or change it."
    )


def _compare(
    form: MilestoneUpdatesForm,
    milestone: Milestone,
    content: dict[str, str],
    current: MilestoneUpdate | None,
) -> Verdict:
    """ "write", "skip" or "conflict" for one milestone's submitted update."""
    submitted, now = content_fingerprint(content), update_fingerprint(current)
    untouched = submitted == form.cleaned_data[f"shown_{milestone.id}"]
    if current is not None and (now == submitted or untouched):
        # Already as submitted (a double submit), or not changed here: theirs stands.
        return "skip"
    if now != form.cleaned_data[f"seen_{milestone.id}"]:
        return "conflict"
    return "write"


def _conflict_message(milestone: Milestone, current: MilestoneUpdate | None) -> str:
    theirs = (current.this_period or "").strip() if current else ""
    return (
        f"“{milestone.workstream}” was updated by someone else after you opened this page. "
        f"This period now reads: “{theirs or 'blank'}”. Nothing was saved. Your text is "
        "kept below: save again to replace theirs, or change it."
    )


def form_after_conflict(
    form: MilestoneUpdatesForm, conflicts: list[Conflict]
) -> MilestoneUpdatesForm:
    """The form again after a conflict: the editor's text kept where they changed it, the
    stored update shown where they did not, and the page now knowing the stored updates (so a
    second save, made having seen them, goes through)."""
    stored = {
        update.milestone_id: update
        for update in MilestoneUpdate.objects.filter(
            milestone__in=form.milestones, period=form.month.first_day
        )
    }
    data = dict(form.data.items())  # one value per field: this form has no lists
    for milestone in form.milestones:
        current = stored.get(milestone.id)
        data[f"seen_{milestone.id}"] = update_fingerprint(current)
        untouched = content_fingerprint(form.content(milestone)) == data[f"shown_{milestone.id}"]
        if untouched and current is not None:
            # Not changed here: show what is stored now.
            for name in PARTS:
                data[f"{name}_{milestone.id}"] = getattr(current, name)
            data[f"shown_{milestone.id}"] = update_fingerprint(current)
    status_now = _stored_status(form)
    data["status_seen"] = status_fingerprint(status_now)
    if (form.cleaned_data["priority_status"] or "") == data["status_shown"]:
        data["priority_status"] = data["status_shown"] = status_now or ""
    fresh = MilestoneUpdatesForm(data, priority=form.priority, month=form.month)
    fresh.is_valid()
    for conflicted, message in conflicts:
        field = f"this_period_{conflicted.id}" if conflicted else "priority_status"
        fresh.add_error(field, message)
    return fresh
