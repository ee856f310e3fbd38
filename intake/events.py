"""How events on the charts arrive (issue 26): an editor records something that happened to
the service in a month ("New front door opened", Apr-23) on an indicator, or on one of its
priorities (then it is drawn on each of that priority's indicators' charts), from the
indicator page's "Events on the charts" link; and edits or deletes it. An event that changed
the process starts new SPC limits from its month (decision 0004, "Rebasing").

Who may: editors within their priorities (``indicators.scope``) and administrators. An
indicator's event may be changed by an editor of any of its priorities; a priority's by an
editor of that priority. The read side draws and lists them (``scorecard``); viewers see only
events in published months.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from indicators import periods
from indicators.events import LABEL_LENGTH
from indicators.models import MAX_TEXT_LENGTH, Event, Indicator, Priority
from indicators.roles import editors
from indicators.scope import Scope, scope_of

ON_INDICATOR = "indicator"


class EventForm(forms.ModelForm):
    """An event: where it is recorded (the indicator, or one of its priorities the editor
    may change), its month as people write it (``Apr-23``, ``2023-04``), label, note and
    whether it changed the process."""

    on = forms.ChoiceField(
        label="Record it on",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where to record the event."},
    )
    month = forms.CharField(
        label="Month",
        help_text="The month it happened, as Apr-23 or 2023-04.",
        max_length=40,
        error_messages={"required": "Enter the month it happened, as Apr-23."},
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )
    label = forms.CharField(
        label="Label on the chart",
        help_text=f"Short: it is printed beside the line ({LABEL_LENGTH} characters at most).",
        max_length=LABEL_LENGTH,
        error_messages={
            "required": "Enter a short label for the chart.",
            "max_length": f"Use {LABEL_LENGTH} characters or fewer for the label.",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=MAX_TEXT_LENGTH,
        error_messages={"max_length": f"Use {MAX_TEXT_LENGTH:,} characters or fewer."},
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}),
    )

    field_order = ["on", "month", "label", "note", "changed_process"]

    class Meta:
        model = Event
        fields = ["label", "note", "changed_process"]
        labels = {"changed_process": "It changed the process"}
        help_texts = {
            "changed_process": "The SPC average and expected range are worked out again from "
            "this month (when there are 12 months of figures after it)."
        }

    def __init__(self, *args: Any, indicator: Indicator, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        choices = [(ON_INDICATOR, f"This indicator ({indicator.reference})")]
        self.priorities = {
            str(priority.pk): priority
            for priority in Priority.objects.filter(priorityindicator__indicator=indicator)
            if scope.allows_priority(priority)
        }
        choices += [
            (key, f"Priority {p.number}: {p.title} (every indicator under it)")
            for key, p in self.priorities.items()
        ]
        on = self.fields["on"]
        assert isinstance(on, forms.ChoiceField)
        on.choices = choices
        event = self.instance
        if event.pk is not None:
            self.initial["month"] = event.month.label
            self.initial["on"] = str(event.priority_id) if event.priority_id else ON_INDICATOR
        else:
            self.initial["on"] = ON_INDICATOR

    def clean_month(self) -> periods.Month:
        try:
            month = periods.parse_month(self.cleaned_data["month"])
        except ValueError as error:
            raise ValidationError(str(error)) from error
        if not periods.in_range(month):
            raise ValidationError(
                f"{month.label} is out of range: months run from {periods.EARLIEST.label} "
                f"to {periods.latest().label}."
            )
        return month

    def clean(self) -> dict[str, Any] | None:
        # Before the model's own clean (in _post_clean), which checks one of the two is set.
        cleaned = super().clean()
        event = self.instance
        on = self.cleaned_data.get("on")
        if on == ON_INDICATOR:
            event.indicator, event.priority = self.indicator, None
        elif on in self.priorities:
            event.indicator, event.priority = None, self.priorities[on]
        month = self.cleaned_data.get("month")
        if month is not None:
            event.period = month.first_day
        return cleaned


def _may_change(scope: Scope, event: Event) -> bool:
    if event.priority is not None:
        return scope.allows_priority(event.priority)
    allowed = scope.indicator_ids()
    return allowed is None or event.indicator_id in allowed


def _require_indicator(scope: Scope, indicator: Indicator) -> None:
    allowed = scope.indicator_ids()
    if allowed is not None and indicator.pk not in allowed:
        raise PermissionDenied(
            f"You may change {scope.describe()} only, and indicator {indicator.reference} is "
            "under none of them. An administrator sets which priorities an editor works on."
        )


def _require_event(scope: Scope, event: Event) -> None:
    if not _may_change(scope, event):
        raise PermissionDenied(
            f"You may change {scope.describe()} only, not this event on {event.subject}. An "
            "administrator sets which priorities an editor works on."
        )


@editors
def indicator_events(request: HttpRequest, reference: str) -> HttpResponse:
    """The events on an indicator's charts (its own and its priorities'), and the form to
    record one."""
    indicator = get_object_or_404(Indicator, reference=reference)
    scope = scope_of(request.user)
    if request.method == "POST":
        _require_indicator(scope, indicator)
    form = EventForm(request.POST or None, indicator=indicator, scope=scope)
    if request.method == "POST" and form.is_valid():
        event = form.save(commit=False)
        event.recorded_by = request.user
        event.save()
        messages.success(request, f"Recorded “{event.label}” for {event.month.label}.")
        return redirect(reverse("indicator_events", args=[indicator.reference]))
    events = (
        Event.objects.filter(indicator=indicator)
        | Event.objects.filter(priority__priorityindicator__indicator=indicator)
    ).select_related("priority", "recorded_by")
    return render(
        request,
        "entry/events.html",
        {
            "indicator": indicator,
            "form": form,
            "may_record": _may_change_indicator(scope, indicator),
            "events": [(event, _may_change(scope, event)) for event in events.distinct()],
        },
    )


def _may_change_indicator(scope: Scope, indicator: Indicator) -> bool:
    allowed = scope.indicator_ids()
    return allowed is None or indicator.pk in allowed


@editors
def edit_event(request: HttpRequest, pk: int) -> HttpResponse:
    """An event's month, label, note and process flag changed (or where it is recorded)."""
    event, indicator, scope = _event_to_change(request, pk)
    form = EventForm(request.POST or None, instance=event, indicator=indicator, scope=scope)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Saved “{event.label}” for {event.month.label}.")
        return redirect(reverse("indicator_events", args=[indicator.reference]))
    return render(
        request, "entry/event_edit.html", {"event": event, "form": form, "indicator": indicator}
    )


def _event_to_change(request: HttpRequest, pk: int) -> tuple[Event, Indicator, Scope]:
    """The event, the indicator page it is changed from and the editor's scope, once the
    editor may change it (PermissionDenied otherwise)."""
    event = get_object_or_404(Event.objects.select_related("indicator", "priority"), pk=pk)
    scope = scope_of(request.user)
    _require_event(scope, event)
    return event, event.indicator or _an_indicator_of(event), scope


def _an_indicator_of(event: Event) -> Indicator:
    """A priority's event is edited from one of its indicators' pages: the first."""
    indicator = Indicator.objects.filter(priorityindicator__priority=event.priority).first()
    if indicator is None:
        raise PermissionDenied("This priority has no indicators: correct its event in the admin.")
    return indicator


@editors
@require_POST
def delete_event(request: HttpRequest, pk: int) -> HttpResponse:
    event, indicator, _ = _event_to_change(request, pk)
    label, month = event.label, event.month
    event.delete()
    messages.success(request, f"Deleted “{label}” ({month.label}).")
    return redirect(reverse("indicator_events", args=[indicator.reference]))
