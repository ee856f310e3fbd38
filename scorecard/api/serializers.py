"""The API's records as OpenAPI schemas (drf-spectacular reads these), and its query
parameters, checked: a month that is not one, an unknown indicator or priority is a 400
saying so. Records are built as plain dicts (``records``) for speed; these serializers
describe them, and the schema tests hold the two together."""

from typing import Any

from rest_framework import serializers

from indicators.models import Indicator, Priority, Target
from indicators.periods import Month, Quarter, parse_in_range
from indicators.rules import Arrow, Judgement, Rag

MONTH_PATTERN = r"^\d{4}-\d{2}$"


def _number(**kwargs: Any) -> serializers.FloatField:
    return serializers.FloatField(allow_null=True, **kwargs)


# Records -------------------------------------------------------------------------------------
class PriorityRecord(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    commitment = serializers.CharField(allow_blank=True)
    lead_officer = serializers.CharField(allow_blank=True)
    display_order = serializers.IntegerField()


class IndicatorColumns(serializers.Serializer):
    indicator = serializers.CharField(help_text="The indicator's reference, e.g. '10'.")
    unit = serializers.ChoiceField(choices=Indicator.Unit.choices)
    unit_label = serializers.CharField()
    decimal_places = serializers.IntegerField(help_text="The places the papers print.")


class TargetRecord(IndicatorColumns):
    kind = serializers.ChoiceField(choices=Target.Kind.choices)
    value = _number(help_text="A target's value; a trajectory's starting value.")
    # The stubs type Field.label (a form label) as text; here it is the target's label.
    label = serializers.CharField(allow_blank=True)  # type: ignore[assignment]
    valid_from = serializers.CharField(allow_null=True, help_text="YYYY-MM")
    valid_to = serializers.CharField(allow_null=True, help_text="YYYY-MM, null: open-ended")
    goal_value = _number()
    goal_month = serializers.CharField(allow_null=True)
    lower = _number()
    upper = _number()
    tolerance = _number(help_text="Amber tolerance as a fraction: 0.15 is 15%.")
    absolute_tolerance = _number()
    described = serializers.CharField(help_text="The target as the pages print it.")


class IndicatorRecord(serializers.Serializer):
    reference = serializers.CharField()
    description = serializers.CharField()
    definition = serializers.CharField(allow_blank=True)
    unit = serializers.ChoiceField(choices=Indicator.Unit.choices)
    unit_label = serializers.CharField()
    decimal_places = serializers.IntegerField()
    polarity = serializers.ChoiceField(choices=Indicator.Polarity.choices)
    frequency = serializers.ChoiceField(choices=Indicator.Frequency.choices)
    measure_basis = serializers.ChoiceField(choices=Indicator.MeasureBasis.choices)
    active = serializers.BooleanField()
    owner = serializers.CharField(allow_blank=True, help_text="The data owner's username.")
    lead_officer = serializers.CharField(allow_blank=True)
    lait_measure = serializers.CharField(allow_blank=True, help_text="DfE LAIT measure code.")
    priorities = serializers.ListField(child=serializers.IntegerField())
    targets = TargetRecord(many=True)


class Revised(serializers.Serializer):
    revised = serializers.BooleanField(help_text="Changed after its month was published.")
    revised_on = serializers.CharField(allow_blank=True)
    revision = serializers.CharField(
        allow_blank=True, help_text="'Revised on 3 Nov 2023 from 57.0%: <reason>'."
    )


class FigureRecord(IndicatorColumns, Revised):
    month = serializers.CharField(help_text="YYYY-MM")
    value = _number(help_text="Null when suppressed or not available.")
    numerator = _number()
    denominator = _number()
    status = serializers.ChoiceField(
        choices=["actual", "provisional", "not_available", "suppressed"]
    )
    suppressed = serializers.BooleanField(help_text="Shown as 'x': a count below five.")
    display = serializers.CharField(help_text="As the pages print it: '18.3%', 'x'.")
    synthetic = serializers.BooleanField(help_text="Demonstration history, not real.")
    published = serializers.BooleanField(help_text="False: a draft (editors only).")


class YearColumns(serializers.Serializer):
    dfe_year = serializers.CharField(allow_blank=True)
    year = serializers.CharField(allow_blank=True)
    status = serializers.CharField(allow_blank=True)
    council = _number(help_text="Null beside a suppressed figure of ours.")
    council_withheld = serializers.BooleanField()
    england = _number()
    region_name = serializers.CharField(allow_blank=True)
    region = _number()
    statistical_neighbours = _number()
    quartile = serializers.CharField(allow_blank=True, help_text="A (best) to D.")
    rank = serializers.IntegerField(allow_null=True)
    authorities = serializers.IntegerField(allow_null=True)


def _prefixed(prefix: str) -> dict[str, serializers.Field]:
    return {f"{prefix}{name}": field for name, field in YearColumns().get_fields().items()}


class ScorecardRecord(Revised):
    priority = serializers.IntegerField()
    indicator = serializers.CharField()
    description = serializers.CharField()
    unit = serializers.ChoiceField(choices=Indicator.Unit.choices)
    unit_label = serializers.CharField()
    decimal_places = serializers.IntegerField()
    polarity = serializers.ChoiceField(choices=Indicator.Polarity.choices)
    month = serializers.CharField()
    value = _number()
    suppressed = serializers.BooleanField()
    display = serializers.CharField()
    status = serializers.CharField(allow_blank=True)
    target_value = _number()
    target_label = serializers.CharField(allow_blank=True)
    target = serializers.CharField()
    rag = serializers.ChoiceField(choices=[rag.value for rag in Rag])
    rag_name = serializers.CharField()
    direction = serializers.ChoiceField(choices=[arrow.value for arrow in Arrow])
    judgement = serializers.ChoiceField(choices=[judgement.value for judgement in Judgement])
    direction_name = serializers.CharField(allow_blank=True)
    variation = serializers.CharField(help_text="SPC variation in words.")
    assurance = serializers.CharField(help_text="SPC assurance in words.")
    commentary = serializers.CharField(allow_blank=True)
    published = serializers.BooleanField()
    benchmark_measure = serializers.CharField(allow_blank=True)

    def get_fields(self) -> dict[str, serializers.Field]:
        return {**super().get_fields(), **_prefixed("benchmark_")}


class QuarterlyRecord(serializers.Serializer):
    quarter = serializers.CharField()
    table = serializers.CharField()
    indicator = serializers.CharField()
    row = serializers.CharField()
    description = serializers.CharField()
    unit = serializers.ChoiceField(choices=Indicator.Unit.choices)
    decimal_places = serializers.IntegerField()
    column = serializers.CharField()
    kind = serializers.ChoiceField(choices=["year", "benchmark", "current"])
    value = _number()
    suppressed = serializers.BooleanField()
    display = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)


class BenchmarkRecord(IndicatorColumns, YearColumns):
    measure = serializers.CharField()
    measure_title = serializers.CharField()
    neighbour_list = serializers.CharField(allow_blank=True)


class Problem(serializers.Serializer):
    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    # Serializer.errors is the serializer's own; here it is the problem's member "errors".
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


# Query parameters ----------------------------------------------------------------------------
class MonthParameter(serializers.RegexField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(MONTH_PATTERN, required=False, **kwargs)
        self.error_messages["invalid"] = "Give a month as YYYY-MM, e.g. 2023-09."

    # A parameter checked into a Month: the stubs expect the text a RegexField keeps.
    def to_internal_value(self, data: Any) -> Month:  # type: ignore[override]
        text = super().to_internal_value(data)
        try:
            return parse_in_range(text)
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from None


class IndicatorAndPriority(serializers.Serializer):
    indicator = serializers.CharField(
        required=False, max_length=20, help_text="An indicator's reference."
    )
    priority = serializers.IntegerField(
        required=False, min_value=0, max_value=32767, help_text="A priority's number."
    )

    def validate_indicator(self, reference: str) -> Indicator:
        found = Indicator.objects.select_related("owner").filter(reference=reference).first()
        if found is None:
            raise serializers.ValidationError(f"No indicator has the reference {reference!r}.")
        return found

    def validate_priority(self, number: int) -> Priority:
        found = Priority.objects.filter(number=number).first()
        if found is None:
            raise serializers.ValidationError(f"There is no priority {number}.")
        return found


class FigureFilters(IndicatorAndPriority):
    from_ = MonthParameter(help_text="The first month, YYYY-MM.")
    to = MonthParameter(help_text="The last month, YYYY-MM.")

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        first, last = attrs.get("from"), attrs.get("to")
        if first is not None and last is not None and last < first:
            raise serializers.ValidationError({"to": [f"{last.iso} is before {first.iso}."]})
        return attrs


class ScorecardFilters(IndicatorAndPriority):
    month = MonthParameter(help_text="The month, YYYY-MM; the latest with figures if left out.")


class QuarterFilters(serializers.Serializer):
    quarter = serializers.RegexField(
        r"^\d{4}-\d{2}-q[1-4]$",
        required=False,
        help_text="As the report's address writes it: 2023-24-q2; the latest if left out.",
        error_messages={"invalid": "Give a quarter as 2023-24-q2."},
    )
    indicator = serializers.CharField(required=False, max_length=20)

    def validate_quarter(self, text: str) -> Quarter:
        try:
            quarter = Quarter.from_slug(text)
        except ValueError:
            raise serializers.ValidationError("Give a quarter as 2023-24-q2.") from None
        if not quarter.in_range():
            raise serializers.ValidationError("Quarters run from 2000 to next month.")
        return quarter
