"""The disclosure attacks of tests/test_disclosure.py, made through the API (JSON and CSV)
with a viewer's token: no suppressed count, nothing it could be worked out from, nothing that
orders two suppressed figures, and no draft month. An editor's token is sent out material
too, so it gets the same x's (its drafts are marked)."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators.models import Population, PublishedMonth, Value

from .support.api import get, get_csv, get_json, token_for
from .support.factories import make_indicator, make_priority, make_target

D = Decimal
FIGURES = reverse("api-figures")
SCORECARD = reverse("api-scorecard")
QUARTERLY = reverse("api-quarterly")


def _series(indicator, figures, publish=True):
    for period, value in figures.items():
        value, numerator, denominator = value if isinstance(value, tuple) else (value, None, None)
        Value.objects.create(
            indicator=indicator,
            period=f"{period}-01",
            value=value,
            numerator=numerator,
            denominator=denominator,
        )
        if publish:
            PublishedMonth.objects.get_or_create(
                period=f"{period}-01", defaults={"published_at": timezone.now()}
            )


def _figures(client, secret, reference):
    """{month: record} from the JSON, checked against the CSV's rows."""
    records = get_json(client, FIGURES, secret, indicator=reference)["results"]
    rows = get_csv(client, FIGURES, secret, indicator=reference)
    for record, row in zip(records, rows, strict=True):
        if record["suppressed"]:
            assert (row["value"], row["numerator"], row["denominator"]) == ("", "", "")
            assert row["display"] == "x" and row["suppressed"] == "true"
    return {record["month"]: record for record in records}


def _hides_everything(record):
    return (
        record["suppressed"] is True
        and record["value"] is None
        and record.get("numerator") is None
        and record.get("denominator") is None
        and record["display"] == "x"
    )


@pytest.fixture(params=["viewer", "editor"])
def secret(request, seed):
    return token_for(request.getfixturevalue(request.param))


# The seed's small counts ------------------------------------------------------------------------
@pytest.mark.parametrize("reference", ["34", "35", "68"])
def test_no_suppressed_count_leaves_through_the_figures(client, secret, reference):
    figures = _figures(client, secret, reference)
    for month in ("2023-08", "2023-09"):
        assert _hides_everything(figures[month]), figures[month]


@pytest.mark.parametrize("reference", ["34", "35", "68"])
def test_the_scorecard_orders_no_two_suppressed_months(client, secret, reference):
    (row,) = [
        row
        for row in get_json(client, SCORECARD, secret, month="2023-09", indicator=reference)
        if row["indicator"] == reference
    ][:1]
    assert row["value"] is None and row["suppressed"] is True and row["display"] == "x"
    assert (row["direction"], row["judgement"]) == ("none", "not judged")
    (csv_row,) = get_csv(client, SCORECARD, secret, month="2023-09", indicator=reference)[:1]
    assert csv_row["value"] == "" and csv_row["direction"] == "none"


def test_no_ordering_parameter_sorts_figures_by_value(client, secret):
    plain = get_json(client, FIGURES, secret)["results"]
    for asked in ("value", "-value", "display"):
        assert get_json(client, FIGURES, secret, ordering=asked)["results"] == plain


# Complements, rates and percentages without their counts ------------------------------------------
def test_a_percentage_whose_complement_is_small_is_suppressed_with_its_parts(client, viewer):
    indicator = make_indicator("C1", make_priority(1), unit="percentage")
    _series(indicator, {"2023-09": (D("98.5"), D(200), D(203))})
    record = _figures(client, token_for(viewer), "C1")["2023-09"]
    assert _hides_everything(record)


def test_a_rate_entered_without_its_count_is_suppressed_by_its_implied_count(client, viewer):
    Population.objects.create(
        name="Children",
        age_from=0,
        age_to=17,
        value=51635,
        source="Census",
        valid_from="2021-01-01",
    )
    rate = make_indicator("R1", make_priority(1), unit="rate_per_10000")
    _series(rate, {"2023-09": D("0.6")})
    assert _hides_everything(_figures(client, token_for(viewer), "R1")["2023-09"])


def test_a_percentage_without_parts_is_judged_by_the_denominator_in_force(client, viewer):
    indicator = make_indicator("P1", make_priority(1), unit="percentage")
    _series(indicator, {"2023-08": (D("4.7"), D(7), D(150)), "2023-09": D("2.0")})
    figures = _figures(client, token_for(viewer), "P1")
    assert figures["2023-08"]["value"] == 4.7
    assert _hides_everything(figures["2023-09"])


def test_an_x_beside_a_target_of_one_is_not_rated(client, viewer):
    indicator = make_indicator("T1", make_priority(1), unit="count", polarity="lower_is_better")
    make_target(indicator, 1)
    _series(indicator, {"2023-08": 7, "2023-09": 1})
    (row,) = get_json(client, SCORECARD, token_for(viewer), month="2023-09", indicator="T1")
    assert row["rag"] == "suppressed" and "Green" not in row["rag_name"]


def test_a_revision_by_a_small_count_does_not_give_it_away(client, viewer):
    """10 revised to 13 says three children were added."""
    indicator = make_indicator("V1", make_priority(1), unit="count", decimal_places=0)
    _series(indicator, {"2023-09": 10})
    value = Value.objects.get(indicator=indicator)
    value.value = D(13)
    value.revised_at = timezone.now()
    value.revision_reason = "Late recording"
    value.previous_value = D(10)
    value.previous_status = "actual"
    value.save()
    record = _figures(client, token_for(viewer), "V1")["2023-09"]
    assert record["value"] == 13 and record["revised"] is True
    assert "from x:" in record["revision"] and "10" not in record["revision"]


def test_a_quarters_total_beside_suppressed_months_is_suppressed(client, viewer):
    indicator = make_indicator(
        "Q37",
        unit="count",
        measure_basis="in_month",
        polarity="lower_is_better",
        decimal_places=0,
        report_section="9.1 Admissions",
    )
    _series(indicator, {"2023-07": 2, "2023-08": 1, "2023-09": 9})
    secret = token_for(viewer)
    cells = get_json(client, QUARTERLY, secret, quarter="2023-24-q2", indicator="Q37")
    (current,) = [cell for cell in cells if cell["kind"] == "current"]
    assert current["suppressed"] and current["value"] is None and current["display"] == "x"
    rows = get_csv(client, QUARTERLY, secret, quarter="2023-24-q2", indicator="Q37")
    assert "12" not in json.dumps(rows)


# Drafts -------------------------------------------------------------------------------------------
ENDPOINTS = ["api-figures", "api-scorecard", "api-quarterly", "api-benchmarks"]


@pytest.mark.parametrize("name", ENDPOINTS)
@pytest.mark.parametrize("as_csv", [False, True])
def test_a_viewers_token_sees_no_draft_month(client, viewer, name, as_csv):
    indicator = make_indicator(
        "D1", make_priority(1), unit="count", decimal_places=0, report_section="1.1 Drafts"
    )
    _series(indicator, {"2023-08": 40})
    _series(indicator, {"2023-09": 31_337}, publish=False)
    secret = token_for(viewer)
    params = {"format": "csv"} if as_csv else {}
    response = get(client, reverse(name), secret, **params)
    assert response.status_code in (200, 404), response.content[:300]
    text = response.content.decode()
    assert "31337" not in text and "31,337" not in text and "2023-09" not in text
    asked = get(client, SCORECARD, secret, month="2023-09", **params)
    assert asked.status_code == 404 and "31337" not in asked.content.decode()


def test_an_editors_token_sees_the_draft_marked_and_still_suppressed(client, editor):
    indicator = make_indicator("D2", make_priority(1), unit="count", decimal_places=0)
    _series(indicator, {"2023-08": 40})
    _series(indicator, {"2023-09": 3}, publish=False)
    figures = _figures(client, token_for(editor), "D2")
    assert figures["2023-09"]["published"] is False and _hides_everything(figures["2023-09"])
