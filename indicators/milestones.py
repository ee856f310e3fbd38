"""A priority's project milestone updates for a month, started from the previous month's."""

from django import forms
from django.db import transaction

from .models import MilestoneUpdate


class MilestoneUpdatesForm(forms.Form):
    def __init__(self, *args, priority, month, **kwargs):
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
        self.rows = []
        for milestone in self.milestones:
            current = updates.get((milestone.id, month.first_day))
            previous = updates.get((milestone.id, month.previous().first_day))
            start = current or previous
            key = milestone.id
            self.fields[f"status_{key}"] = forms.ChoiceField(
                label="Status", choices=MilestoneUpdate.Status.choices, required=False
            )
            self.fields[f"direction_{key}"] = forms.ChoiceField(
                label="Direction",
                choices=[("", "Not stated"), *MilestoneUpdate.Direction.choices],
                required=False,
            )
            self.fields[f"this_period_{key}"] = forms.CharField(
                label="This period",
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            self.fields[f"next_period_{key}"] = forms.CharField(
                label="Next period",
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            if start is not None and not self.is_bound:
                for name in ("status", "direction", "this_period", "next_period"):
                    self.initial[f"{name}_{key}"] = getattr(start, name)
            self.rows.append(
                {
                    "milestone": milestone,
                    "from_previous": current is None and previous is not None,
                    "fields": [
                        self[f"{name}_{key}"]
                        for name in (
                            "status",
                            "direction",
                            "this_period",
                            "next_period",
                        )
                    ],
                }
            )


@transaction.atomic
def save_milestone_updates(form, user):
    for milestone in form.milestones:
        key = milestone.id
        MilestoneUpdate.objects.update_or_create(
            milestone=milestone,
            period=form.month.first_day,
            defaults={
                name: form.cleaned_data[f"{name}_{key}"]
                for name in ("status", "direction", "this_period", "next_period")
            }
            | {"updated_by": user},
        )
    return len(form.milestones)
