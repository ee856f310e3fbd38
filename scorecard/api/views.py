"""The API's endpoints: thin, as the pages are. Each checks its parameters (``serializers``),
loads through ``scorecard.queries`` or ``loading`` and answers records (``records``) as
JSON or, with ``?format=csv``, CSV. Who may see drafts is the user's role, by token or by
session, as on the pages; small numbers are suppressed for everyone, as in the exports."""

from typing import Any, ClassVar

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from indicators.judgement import SPC_MONTHS
from indicators.models import Indicator, Priority, PriorityIndicator, Target
from indicators.roles import sees_drafts
from scorecard import queries
from scorecard.api import records
from scorecard.api.authentication import log_token_use, user_of
from scorecard.api.loading import (
    Filters,
    figure_records,
    figure_values,
    judged_rows,
    linked_indicators,
    of_indicators,
)
from scorecard.api.problems import ProblemRenderer
from scorecard.api.serializers import (
    BenchmarkRecord,
    FigureFilters,
    FigureRecord,
    IndicatorAndPriority,
    IndicatorRecord,
    PriorityRecord,
    Problem,
    QuarterFilters,
    QuarterlyRecord,
    ScorecardFilters,
    ScorecardRecord,
    TargetRecord,
)

FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv"],
    description="csv: the same records as CSV, one row per record.",
)
PROBLEMS: dict[int | tuple[int, str], OpenApiResponse] = {
    (status, ProblemRenderer.media_type): OpenApiResponse(Problem, description=description)
    for status, description in [
        (400, "A parameter is not valid."),
        (401, "No token, or one that is not valid, has expired or was revoked."),
        (403, "The user has no role."),
        (404, "Not found, or not published."),
        (429, "Too many requests for this token."),
    ]
}


def _columns(serializer: type[serializers.Serializer]) -> list[str]:
    """A record's scalar columns, in order: the CSV's header, even for an empty list."""
    return [
        name
        for name, field in serializer().get_fields().items()
        if not isinstance(field, serializers.ListField | serializers.BaseSerializer)
    ]


class Pages(PageNumberPagination):
    """``?page=`` and ``?page_size=`` (up to 10,000); 1,000 to a page by default."""

    page_size = 1000
    page_size_query_param = "page_size"
    max_page_size = 10_000


class ReadView(APIView):
    """Every endpoint: errors as problem details whatever the format, every token use
    recorded."""

    record: ClassVar[type[serializers.Serializer]]

    @property
    def csv_columns(self) -> list[str]:
        return _columns(self.record)

    def published_only(self) -> bool:
        return not sees_drafts(user_of(self.request))

    def checked(self, parameters: type[serializers.Serializer]) -> dict[str, Any]:
        checker = parameters(data=self.request.query_params)
        checker.is_valid(raise_exception=True)
        return dict(checker.validated_data)

    def filters(self, parameters: type[serializers.Serializer]) -> Filters:
        found = self.checked(parameters)
        return Filters(
            indicator=found.get("indicator"),
            priority=found.get("priority"),
            first=found.get("from"),
            last=found.get("to"),
        )

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and response.status_code >= 400:
            response.accepted_renderer = ProblemRenderer()
            response.accepted_media_type = ProblemRenderer.media_type
        log_token_use(request, response)
        return response


@extend_schema(parameters=[FORMAT], responses={200: PriorityRecord(many=True), **PROBLEMS})
class PriorityList(ReadView):
    """The improvement priorities, in display order."""

    record = PriorityRecord

    def get(self, request: Request) -> Response:
        priorities = Priority.objects.order_by("display_order", "number")
        return Response([records.priority_record(priority) for priority in priorities])


@extend_schema(
    parameters=[IndicatorAndPriority, FORMAT],
    responses={200: IndicatorRecord(many=True), **PROBLEMS},
)
class IndicatorList(ReadView):
    """Every indicator: definition, unit, polarity, owner, lead officer, its priorities and
    every target (fixed, trajectory, anticipated range). In CSV the targets are left out:
    they are ``/api/v1/targets/``."""

    record = IndicatorRecord

    def get(self, request: Request) -> Response:
        indicators = of_indicators(
            Indicator.objects.select_related("owner").prefetch_related(
                "targets",
                Prefetch(
                    "priorityindicator_set",
                    queryset=PriorityIndicator.objects.select_related("priority"),
                ),
            ),
            self.filters(IndicatorAndPriority),
            "",
        )
        return Response([records.indicator_record(i) for i in indicators.order_by("reference")])


@extend_schema(
    parameters=[IndicatorAndPriority, FORMAT],
    responses={200: TargetRecord(many=True), **PROBLEMS},
)
class TargetList(ReadView):
    """Every target, trajectory and anticipated range, one record each."""

    record = TargetRecord

    def get(self, request: Request) -> Response:
        targets = of_indicators(
            Target.objects.select_related("indicator"),
            self.filters(IndicatorAndPriority),
            "indicator__",
        ).order_by("indicator__reference", "valid_from", "pk")
        return Response([records.target_record(t, t.indicator) for t in targets])


@extend_schema(
    parameters=[FigureFilters, FORMAT], responses={200: FigureRecord(many=True), **PROBLEMS}
)
class FigureList(ReadView):
    """Every monthly figure in long form, by indicator reference then month, a page at a
    time. A viewer sees published months only; a count below five is null with
    ``suppressed`` true (its numerator and denominator too)."""

    record = FigureRecord
    pagination_class = Pages

    def get(self, request: Request) -> Response:
        published_only = self.published_only()
        values = figure_values(self.filters(FigureFilters), published_only)
        paginator = Pages()
        page = paginator.paginate_queryset(values, request, view=self)
        return paginator.get_paginated_response(figure_records(page or [], published_only))


@extend_schema(
    parameters=[ScorecardFilters, FORMAT],
    responses={200: ScorecardRecord(many=True), **PROBLEMS},
)
class ScorecardList(ReadView):
    """The judged scorecard for a month, one record per headline measure and priority, as
    the priority pages and the scorecard CSV say it: RAG, direction of travel, SPC
    variation and assurance in words, the DfE comparators of the year it compares with."""

    record = ScorecardRecord

    def get(self, request: Request) -> Response:
        found = self.checked(ScorecardFilters)
        published_only = self.published_only()
        months = queries.available_months(published_only=published_only)
        month = found.get("month") or (months[0] if months else None)
        if month is None or (published_only and month not in months):
            what = month.long_label if month else "No month"
            raise Http404(f"{what} has not been published.")
        scorecard = queries.load_scorecard(
            month,
            history_months=SPC_MONTHS,
            priority=found.get("priority"),
            published_only=published_only,
            suppress=True,
        )
        published = scorecard.published
        indicator = found.get("indicator")
        return Response(
            [
                records.scorecard_record(row, published is None or month in published)
                for row in scorecard.rows
                if indicator is None or row.indicator.pk == indicator.pk
            ]
        )


@extend_schema(
    parameters=[QuarterFilters, FORMAT],
    responses={200: QuarterlyRecord(many=True), **PROBLEMS},
)
class QuarterlyList(ReadView):
    """The quarterly report, one record per cell of its tables, with the page's ``x``s."""

    record = QuarterlyRecord

    def get(self, request: Request) -> Response:
        found = self.checked(QuarterFilters)
        published_only = self.published_only()
        quarter = found.get("quarter")
        if quarter is None:
            quarters = queries.available_quarters(published_only=published_only)
            if not quarters:
                raise Http404("No quarter has published figures.")
            quarter = quarters[0]
        report = queries.load_quarterly_report(quarter, published_only=published_only)
        reference = found.get("indicator")
        return Response(
            [
                record
                for record in records.quarterly_records(report)
                if reference is None or record["indicator"] == reference
            ]
        )


@extend_schema(
    parameters=[IndicatorAndPriority, FORMAT],
    responses={200: BenchmarkRecord(many=True), **PROBLEMS},
)
class BenchmarkList(ReadView):
    """DfE's LAIT comparators for every indicator linked to a measure, every year, oldest
    first: the council's own figure, band and rank null beside a suppressed figure of ours."""

    record = BenchmarkRecord

    def get(self, request: Request) -> Response:
        indicators = linked_indicators(self.filters(IndicatorAndPriority))
        rows = judged_rows(indicators, self.published_only(), benchmarks=True)
        return Response(
            [
                record
                for indicator in indicators
                for record in records.benchmark_records(rows[indicator.pk])
            ]
        )
