"""The questions and actions pages (issue 26): every question and action, filtered by
meeting, status, priority and officer (django-filter) in a paged django-tables2 table; one
question's own page (its answer form for its officer, assigning and closing for an editor);
and the list shown on an indicator or priority page.

What a question is lives in ``indicators.models.Question``; the forms that raise, record,
assign, answer and close one are the intake's, posted to from these pages.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from indicators import roles
from indicators.models import MAX_TEXT_LENGTH, CommitteeMeeting, Indicator, Priority, Question
from indicators.roles import readers
from scorecard.paging import paginate

PER_PAGE = 50
SELECT = forms.Select(attrs={"class": "govuk-select"})
OVERDUE = "overdue"


@dataclass(frozen=True)
class Listed:
    """A question as a list shows it: its status in words and the tag colour, overdue
    worked out for the day."""

    question: Question
    words: str
    colour: str


def listed(questions: Iterable[Question], today: dt.date) -> list[Listed]:
    return [Listed(question, *question.shown_status(today)) for question in questions]


def about(indicator: Indicator | None, priority: Priority | None) -> list[Listed]:
    """The questions on an indicator's or a priority's page (a priority's include those
    about its indicators), newest first: one query."""
    questions = Question.objects.for_listing()
    if indicator is not None:
        questions = questions.filter(indicator=indicator)
    elif priority is not None:
        questions = questions.about_priority(priority)
    return listed(questions, timezone.localdate())


def section_context(indicator: Indicator | None, priority: Priority | None) -> dict[str, Any]:
    """What ``partials/questions_section.html`` needs."""
    return {
        "questions": about(indicator, priority),
        "max_length": MAX_TEXT_LENGTH,
        "ask_indicator": indicator,
        "ask_priority": priority,
    }


# Choices read when the filter is made, in the request's council (a callable, not a queryset
# made when the module is imported, outside any council).
def _meetings(request: HttpRequest | None) -> "QuerySet[CommitteeMeeting]":
    return CommitteeMeeting.objects.all()


def _priorities(request: HttpRequest | None) -> "QuerySet[Priority]":
    return Priority.objects.order_by("number")


class QuestionFilter(django_filters.FilterSet):
    meeting = django_filters.ModelChoiceFilter(
        queryset=_meetings,  # type: ignore[arg-type]  # django-filter takes a callable
        empty_label="Any meeting",
        widget=SELECT,
    )
    status = django_filters.ChoiceFilter(
        choices=[*Question.Status.choices, (OVERDUE, "Overdue")],
        method="filter_status",
        empty_label="Any status",
        widget=SELECT,
    )
    priority = django_filters.ModelChoiceFilter(
        queryset=_priorities,  # type: ignore[arg-type]  # django-filter takes a callable
        method="filter_priority",
        empty_label="Any priority",
        widget=SELECT,
    )
    officer = django_filters.ModelChoiceFilter(
        field_name="assigned_to",
        label="Officer",
        queryset=get_user_model().objects.order_by("username"),
        empty_label="Any officer",
        widget=SELECT,
    )

    class Meta:
        model = Question
        fields: list[str] = []

    def filter_status(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == OVERDUE:
            return queryset.filter(status=Question.Status.OPEN, due_date__lt=timezone.localdate())
        return queryset.filter(status=value)

    def filter_priority(self, queryset: QuerySet[Any], name: str, value: Priority) -> QuerySet[Any]:
        ids = Question.objects.filter(Q(priority=value) | Q(indicator__priorities=value))
        return queryset.filter(pk__in=ids.values("pk"))


# GOV.UK table markup for every cell; the question and its answer keep a readable width.
HEAD = {"th": {"class": "govuk-table__header"}, "td": {"class": "govuk-table__header"}}
CELL = {"th": {"class": "govuk-table__header"}, "td": {"class": "govuk-table__cell"}}
WORDS = {
    "th": {"class": "govuk-table__header"},
    "td": {"class": "govuk-table__cell question-table__text"},
}


class QuestionTable(tables.Table):
    number = tables.Column(verbose_name="No.", accessor="pk", attrs=HEAD)
    status = tables.Column(verbose_name="Status", attrs=CELL)
    about = tables.Column(accessor="subject", verbose_name="About", attrs=CELL)
    text = tables.Column(verbose_name="Question or action", attrs=WORDS)
    meeting = tables.Column(default="", attrs=CELL)
    officer = tables.Column(accessor="assigned_to", default="Nobody yet", attrs=CELL)
    due = tables.DateColumn(accessor="due_date", format="j M Y", default="", attrs=CELL)
    answer = tables.Column(default="", attrs=WORDS)

    class Meta:
        attrs = {"class": "govuk-table question-table", "id": "question-table"}
        orderable = False
        empty_text = "No questions or actions match these filters."

    def __init__(self, data: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.today = today

    def render_number(self, record: Question) -> SafeString:
        url = reverse("question", args=[record.pk])
        return format_html(
            '<a class="govuk-link" href="{}">{} {}</a>', url, record.get_kind_display(), record.pk
        )

    def render_status(self, record: Question) -> str:
        item = listed([record], self.today)[0]
        return render_to_string("partials/question_status.html", {"item": item})

    def render_about(self, record: Question) -> SafeString:
        if record.indicator is not None:
            url = reverse("indicator", args=[record.indicator.reference])
        else:
            assert record.priority is not None
            url = reverse("priority", args=[record.priority.number])
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>', url, record.subject.capitalize()
        )

    def render_officer(self, record: Question) -> str:
        officer = record.assigned_to
        return "Nobody yet" if officer is None else officer.get_full_name() or officer.username


@readers
def question_list(request: HttpRequest) -> HttpResponse:
    """Every question and action, newest first: anyone who reads the scorecard sees them and
    their answers."""
    filters = QuestionFilter(request.GET or None, queryset=Question.objects.for_listing())
    questions = filters.qs if filters.is_valid() else Question.objects.for_listing()
    table = paginate(QuestionTable(questions, timezone.localdate()), request, PER_PAGE)
    return render(request, "questions/list.html", {"filters": filters, "table": table})


@readers
def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.for_listing(), pk=pk)
    user = request.user
    is_officer = question.assigned_to_id is not None and question.assigned_to_id == user.pk
    may_edit = roles.has_role(user, roles.EDITOR, roles.ADMINISTRATOR)
    context = {
        "item": listed([question], timezone.localdate())[0],
        "question": question,
        "may_answer": question.status != Question.Status.CLOSED
        and (is_officer or roles.has_role(user, roles.ADMINISTRATOR)),
        "may_assign": may_edit and question.status != Question.Status.CLOSED,
        "may_close": may_edit and question.status != Question.Status.CLOSED,
        "max_length": MAX_TEXT_LENGTH,
    }
    return render(request, "questions/detail.html", context)
