"""How councillors' questions and committee actions arrive: a viewer raises one from an
indicator or priority page, an editor records one for a meeting and assigns it to an officer,
the officer answers it and an editor closes it (issue 26). The pages that list and show them
are the read side's (``scorecard/questions.py``); these views take the posts and send the
reader back there, or show the form again with its errors in words.

Who may do what is checked here, in the views: raising is open to every role; recording,
assigning and closing to editors (within their priorities, ``indicators.scope``) and
administrators; answering to the officer it is assigned to, or an administrator.
"""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from indicators import roles
from indicators.models import MAX_TEXT_LENGTH, CommitteeMeeting, Indicator, Priority, Question
from indicators.roles import editors, readers
from indicators.scope import scope_of
from indicators.tenancy import CouncilChoices

TEXT_TOO_LONG = f"Use {MAX_TEXT_LENGTH:,} characters or fewer."
SELECT = forms.Select(attrs={"class": "govuk-select"})
DATE = forms.DateInput(attrs={"class": "govuk-input govuk-input--width-10", "type": "date"})


def officers() -> QuerySet[Any]:
    """The users a question may be assigned to: editors and administrators."""
    officer_roles = roles.holding(roles.EDITOR, roles.ADMINISTRATOR) | Q(is_superuser=True)
    users = get_user_model().objects.filter(officer_roles, is_active=True)
    return users.distinct().order_by("username")


def _text_field(label: str, required_message: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=MAX_TEXT_LENGTH,
        error_messages={"required": required_message, "max_length": TEXT_TOO_LONG},
    )


class QuestionForm(CouncilChoices):
    """A question about one indicator or one priority; the model's ``clean`` refuses both
    or neither, in words."""

    text = _text_field("Your question", "Enter your question.")
    indicator = forms.ModelChoiceField(
        Indicator.objects.none(), required=False, widget=forms.HiddenInput
    )
    priority = forms.ModelChoiceField(
        Priority.objects.none(), required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = Question
        fields = ["text", "indicator", "priority"]


class RecordForm(QuestionForm):
    """An editor's record of a question or action raised at a meeting, assigned to an
    officer with a due date."""

    text = _text_field("What was asked or agreed", "Enter what was asked or agreed.")
    indicator = forms.ModelChoiceField(
        Indicator.objects.none(), required=False, widget=SELECT, empty_label="None"
    )
    priority = forms.ModelChoiceField(
        Priority.objects.none(), required=False, widget=SELECT, empty_label="None"
    )
    meeting = forms.ModelChoiceField(
        CommitteeMeeting.objects.none(), required=False, widget=SELECT, empty_label="None"
    )
    assigned_to = forms.ModelChoiceField(
        officers(), required=False, widget=SELECT, label="Officer", empty_label="Nobody yet"
    )
    due_date = forms.DateField(
        required=False, widget=DATE, error_messages={"invalid": "Enter a real date."}
    )

    class Meta:
        model = Question
        fields = ["kind", "text", "indicator", "priority", "meeting", "assigned_to", "due_date"]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_officers(self)


class AssignForm(CouncilChoices):
    assigned_to = forms.ModelChoiceField(
        officers(),
        widget=SELECT,
        label="Officer",
        error_messages={"required": "Choose an officer."},
    )
    due_date = forms.DateField(
        required=False, widget=DATE, error_messages={"invalid": "Enter a real date."}
    )

    class Meta:
        model = Question
        fields = ["assigned_to", "due_date"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_officers(self)


def _offer_officers(form: forms.BaseForm) -> None:
    # Read when the form is made: an officer given the role today is offered today.
    field = form.fields["assigned_to"]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = officers()


class AnswerForm(forms.ModelForm):
    answer = _text_field("Answer", "Enter the answer.")

    class Meta:
        model = Question
        fields = ["answer"]


def _require_scope(user: Any, question: Question) -> None:
    """An editor limited to some priorities records, assigns and closes only their own."""
    scope = scope_of(user)
    if not scope.limited:
        return
    if question.priority is not None and scope.allows_priority(question.priority):
        return
    allowed = scope.indicator_ids() or frozenset()
    if question.indicator_id is not None and question.indicator_id in allowed:
        return
    raise PermissionDenied(
        f"You may record and assign questions about {scope.describe()} only. An "
        "administrator sets which priorities an editor works on."
    )


def _back_to(question: Question) -> str:
    if question.indicator is not None:
        return reverse("indicator", args=[question.indicator.reference]) + "#questions"
    assert question.priority is not None
    return reverse("priority", args=[question.priority.number]) + "#questions"


def _form_page(
    request: HttpRequest, form: forms.BaseForm, title: str, **extra: Any
) -> HttpResponse:
    context = {"form": form, "title": title, **extra}
    status = 400 if form.is_bound else 200
    return render(request, "questions/form.html", context, status=status)


@readers
@require_POST
def raise_question(request: HttpRequest) -> HttpResponse:
    """A question raised from an indicator or priority page, by anyone who may read it."""
    assert request.user.is_authenticated  # @readers lets only signed-in readers in
    form = QuestionForm(request.POST, instance=Question(raised_by=request.user))
    if not form.is_valid():
        return _form_page(request, form, "Ask a question")
    question = form.save()
    return redirect(_back_to(question))


@editors
def record_question(request: HttpRequest) -> HttpResponse:
    """An editor records a question or action raised at a meeting."""
    assert request.user.is_authenticated  # @editors lets only signed-in editors in
    form = RecordForm(
        request.POST or None,
        instance=Question(raised_by=request.user),
        initial={"meeting": request.GET.get("meeting")} if request.method == "GET" else None,
    )
    if request.method != "POST" or not form.is_valid():
        return _form_page(request, form, "Record a question or action")
    _require_scope(request.user, form.instance)
    question = form.save()
    return redirect("question", pk=question.pk)


@editors
def assign_question(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=pk)
    _require_scope(request.user, question)
    form = AssignForm(request.POST or None, instance=question)
    if request.method != "POST" or not form.is_valid():
        return _form_page(request, form, "Assign to an officer", question=question)
    form.save()
    return redirect("question", pk=question.pk)


@readers
def answer_question(request: HttpRequest, pk: int) -> HttpResponse:
    """Only the officer a question is assigned to, or an administrator, answers it."""
    question = get_object_or_404(Question, pk=pk)
    is_officer = question.assigned_to_id is not None and question.assigned_to_id == request.user.pk
    if not (is_officer or roles.has_role(request.user, roles.ADMINISTRATOR)):
        raise PermissionDenied(
            "Only the officer this question is assigned to, or an administrator, may answer it."
        )
    if question.status == Question.Status.CLOSED:
        raise PermissionDenied("This question is closed: it can no longer be answered.")
    form = AnswerForm(request.POST or None, instance=question)
    if request.method != "POST" or not form.is_valid():
        return _form_page(request, form, "Answer", question=question)
    assert request.user.is_authenticated
    answered = form.save(commit=False)
    answered.answered_by = request.user
    answered.answered_at = timezone.now()
    answered.status = Question.Status.ANSWERED
    answered.save()
    return redirect("question", pk=question.pk)


@editors
@require_POST
def close_question(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=pk)
    _require_scope(request.user, question)
    question.status = Question.Status.CLOSED
    question.save(update_fields=["status"])
    return redirect("question", pk=question.pk)
