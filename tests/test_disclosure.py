"""Disclosure control tried as an attacker would: every viewer output is searched for a way
to narrow a suppressed count beyond what "x" says (a count of 1 to 4).

Each attack is one the product fell to before the rule in indicators/rules/suppression.py:
totals over months beside their months, RAG and direction beside an "x", complements, rates
and percentages entered without their counts, and small numbers in free text.
"""

import csv
import io
import re
from decimal import Decimal
from itertools import product

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from indicators import rules
from indicators.models import Commentary, Population, PublishedMonth, Value
from indicators.periods import Month

from .support.factories import make_indicator, make_priority, make_target

D = Decimal
SEP_CSV = reverse("scorecard_csv") + "?period=2023-09"


def _csv(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def _publish(*periods):
    for period in periods:
        PublishedMonth.objects.get_or_create(
            period=f"{period}-01", defaults={"published_at": timezone.now()}
        )


def _series(indicator, figures):
    """{"2023-07": 2, ...}: figures as an advisor would enter them, published."""
    for period, value in figures.items():
        if isinstance(value, tuple):
            value, numerator, denominator = value
        else:
            numerator = denominator = None
        Value.objects.create(
            indicator=indicator,
            period=f"{period}-01",
            value=value,
            numerator=numerator,
            denominator=denominator,
        )
    _publish(*figures)


def _without_random_values(html):
    """The page less its per-request random values (the CSP nonce, the CSRF token), which can
    hold any run of digits: what is left is what the page says."""
    html = re.sub(r'nonce="[^"]*"', 'nonce=""', html)
    return re.sub(r'(name="csrfmiddlewaretoken" value=)"[^"]*"', r'\1""', html)


def _history(client, reference):
    return {
        row["month"]: row
        for row in _csv(client, reverse("indicator_history_csv", args=[reference]))
    }


def _directions_between_suppressed_months(rows_by_month):
    """The attacker's reading: a direction of travel between two "x" months orders them."""
    found = []
    for month, row in rows_by_month.items():
        before = Month.parse(month).previous().iso
        both_hidden = row["value"] == "x" and rows_by_month.get(before, {}).get("value") == "x"
        if both_hidden and row["direction"] != "none":
            found.append((month, row["direction"]))
    return found


# RAG and direction beside an x -------------------------------------------------------------
def test_the_sep_csv_shows_no_direction_between_suppressed_months(viewer_client, seed):
    """34 (3, 4, 3), 35 (1, 2, 1) and 68 (5, 2, 2): an arrow between two x's says which is
    bigger, and "Level" says they are equal."""
    rows = {row["reference"]: row for row in _csv(viewer_client, SEP_CSV)}
    for reference in ("34", "35", "68"):
        row = rows[reference]
        assert row["2023-08"] == row["2023-09"] == "x"
        assert (row["direction"], row["judgement"]) == ("none", "not judged"), reference
    # Every count 1 to 4 is red against a target of 0: the rating says nothing new, so it stays.
    assert rows["34"]["rag"] == "red"


@pytest.mark.parametrize("reference", ["34", "35", "68"])
def test_no_export_or_page_orders_two_suppressed_months(viewer_client, seed, reference):
    history = _history(viewer_client, reference)
    assert _directions_between_suppressed_months(history) == []
    workbook = openpyxl.load_workbook(
        io.BytesIO(viewer_client.get(reverse("indicator_history_xlsx", args=[reference])).content)
    )
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows(min_row=3, values_only=True):
        if row[1] == "x":
            assert row[8] in ("Suppressed", "No previous figure") or row[8].startswith(
                ("Up", "Down")
            ), row
    page = viewer_client.get(reverse("indicator", args=[reference]))
    for record in page.context["history"].records:
        previous = next(
            (r for r in page.context["history"].records if r.month == record.month.previous()),
            None,
        )
        if record.display == "x" and previous is not None and previous.display == "x":
            assert record.direction.arrow == rules.Arrow.NONE
            assert record.direction.accessible_name == "Suppressed"


def test_an_x_beside_a_target_of_one_is_not_rated(viewer_client, db):
    """Target 1, lower is better: "Green: on target" beside an x would say x = 1."""
    indicator = make_indicator("T1", make_priority(1), unit="count", polarity="lower_is_better")
    make_target(indicator, 1)
    _series(indicator, {"2023-08": 7, "2023-09": 1})
    rows = {row["reference"]: row for row in _csv(viewer_client, SEP_CSV)}
    assert rows["T1"]["2023-09"] == "x"
    assert rows["T1"]["rag"] == "suppressed"
    # Down from 7 to any of 1-4: the arrow is the same for every value, so it is shown.
    assert (rows["T1"]["direction"], rows["T1"]["judgement"]) == ("down", "improvement")
    page = viewer_client.get(reverse("priority", args=[1]), {"period": "2023-09"})
    row = next(r for r in page.context["table"].data if r.indicator == indicator)
    assert row.rag is rules.Rag.SUPPRESSED
    badge = re.search(r'id="row-T1".*?</tr>|>T1</a>.*?</tr>', page.text, re.S).group(0)
    assert "Suppressed" in badge and "Green" not in badge and "rag--green" not in badge


# Totals over months ------------------------------------------------------------------------
@pytest.fixture
def unplanned_admissions(db):
    """37-like: an in-month count in a quarterly table (Q2: 2, 1, 9)."""
    indicator = make_indicator(
        "Q37",
        unit="count",
        measure_basis="in_month",
        polarity="lower_is_better",
        decimal_places=0,
        report_section="9.1 Admissions",
    )
    _series(indicator, {"2023-07": 2, "2023-08": 1, "2023-09": 9})
    return indicator


def _quarter_cell(client, slug, reference):
    page = client.get(reverse("quarterly_report", args=[slug]))
    assert page.status_code == 200
    row = next(
        row
        for table in page.context["report"].tables
        for row in table.rows
        if row.indicator.reference == reference
    )
    return row.current


def test_a_quarters_total_beside_suppressed_months_is_suppressed(
    viewer_client, unplanned_admissions
):
    """Q2 = 12 beside x, x, 9 says the two x's add to 3; with "Down" between them, 2 and 1."""
    cell = _quarter_cell(viewer_client, "2023-24-q2", "Q37")
    assert cell.suppressed and cell.text == "x"
    history = _history(viewer_client, "Q37")
    assert [history[m]["value"] for m in ("2023-07", "2023-08", "2023-09")] == ["x", "x", "9"]
    assert _directions_between_suppressed_months(history) == []


def test_a_quarter_with_one_suppressed_month_gives_nothing_away(
    viewer_client, unplanned_admissions
):
    """Oct 3, Nov 10, Dec 12: a Q3 total of 25 beside x, 10, 12 says the x is 3."""
    _series(unplanned_admissions, {"2023-10": 3, "2023-11": 10, "2023-12": 12})
    cell = _quarter_cell(viewer_client, "2023-24-q3", "Q37")
    assert cell.suppressed
    page = viewer_client.get(reverse("quarterly_report", args=["2023-24-q3"]))
    assert "25" not in _without_random_values(page.text)


def test_a_years_total_beside_a_suppressed_month_is_suppressed(viewer_client, db):
    from indicators.models import AnnualFigure

    indicator = make_indicator(
        "QY", unit="count", measure_basis="in_month", decimal_places=0, report_section="9.1 Y"
    )
    months = {Month(2022, 4).plus(n).iso: 10 for n in range(12)}
    months["2022-11"] = 3
    _series(indicator, months)
    AnnualFigure.objects.create(indicator=indicator, year_label="2022/23", value=113)
    _series(indicator, {"2023-07": 10})
    page = viewer_client.get(reverse("quarterly_report", args=["2023-24-q2"]))
    row = next(r for t in page.context["report"].tables for r in t.rows if r.indicator == indicator)
    assert row.years[-1].suppressed  # 113 less eleven tens would be 3


# Complements, and figures entered without their counts ------------------------------------
def test_a_percentage_whose_complement_is_small_is_suppressed_with_its_parts(viewer_client, db):
    """98.5% (200/203) says 3 children were not."""
    indicator = make_indicator("C1", make_priority(1), unit="percentage")
    _series(indicator, {"2023-09": (D("98.5"), D(200), D(203))})
    history = _history(viewer_client, "C1")["2023-09"]
    assert (history["value"], history["numerator"], history["denominator"]) == ("x", "", "")
    page = viewer_client.get(reverse("indicator", args=["C1"]))
    assert "200/203" not in page.text and "98.5" not in page.text


def test_a_rate_entered_without_its_count_is_suppressed_by_its_implied_count(viewer_client, db):
    """0.6 per 10,000 of 51,635 children is about 3 children."""
    Population.objects.create(
        name="Children",
        age_from=0,
        age_to=17,
        value=51635,
        source="Census",
        valid_from="2021-01-01",
    )
    rate = make_indicator("R1", make_priority(1), unit="rate_per_10000")
    common = make_indicator("R2", unit="rate_per_10000")
    _series(rate, {"2023-09": D("0.6")})
    _series(common, {"2023-09": D("39.1")})
    assert _history(viewer_client, "R1")["2023-09"]["value"] == "x"
    assert _history(viewer_client, "R2")["2023-09"]["value"] == "39.1"


def test_a_percentage_without_parts_is_judged_by_the_denominator_in_force(viewer_client, db):
    """2.0% one month after a month of 7/150: about 3 children of 150."""
    indicator = make_indicator("P1", make_priority(1), unit="percentage")
    _series(indicator, {"2023-08": (D("4.7"), D(7), D(150)), "2023-09": D("2.0")})
    history = _history(viewer_client, "P1")
    assert history["2023-08"]["value"] == "4.7"
    assert history["2023-09"]["value"] == "x"


# The rule, by cases ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("current", "previous", "target", "rag", "direction"),
    [
        # Target 0, lower is better: every count 1-4 is red.
        (3, 4, 0, rules.Rag.RED, None),
        # Target 1: 1 is green, 2-4 red.
        (3, 9, 1, rules.Rag.SUPPRESSED, rules.Arrow.DOWN),
        # Target 5: every count 1-4 is green (on or below 5).
        (2, 1, 5, rules.Rag.GREEN, None),
        # A shown 3 ... no: 4 after a shown 6 is down whatever the x is.
        (4, 6, 5, rules.Rag.GREEN, rules.Arrow.DOWN),
        # x after 0: up whatever it is.
        (2, 0, 5, rules.Rag.GREEN, rules.Arrow.UP),
    ],
)
def test_only_what_every_possible_count_shares_is_said(current, previous, target, rag, direction):
    from indicators.figures import Figure
    from indicators.judgement import MonthLoaded, judge_rows

    class Indicator:
        id = 1
        unit, polarity, decimal_places, measure_basis = "count", "lower_is_better", 0, "snapshot"
        population_age_from = population_age_to = None

    sep = Month(2023, 9)
    span = rules.TargetSpan(value=D(target))
    (row,) = judge_rows(
        MonthLoaded(
            month=sep,
            shown_months=(sep,),
            indicators=((1, Indicator()),),
            figures={1: {sep: Figure(D(current)), sep.previous(): Figure(D(previous))}},
            target_spans={1: [span]},
            suppress=True,
        )
    )
    assert row.rag is rag
    if direction is None:
        assert row.direction.arrow is rules.Arrow.NONE and row.direction.reason == "Suppressed"
    else:
        assert row.direction.arrow is direction
    # And the attacker's check: for every pair of counts the x's could be, the shown
    # direction and RAG are what the real rules say.
    for now, before in product(
        *(
            rules.POSSIBLE_COUNTS if rules.is_suppressed(D(v), "count") else [D(v)]
            for v in (current, previous)
        )
    ):
        if row.rag is not rules.Rag.SUPPRESSED:
            assert rules.rag_for_target(now, span, "lower_is_better") is row.rag
        if row.direction.arrow is not rules.Arrow.NONE:
            assert rules.direction_of_travel(now, before, "lower_is_better", 0) == row.direction


# Free text ---------------------------------------------------------------------------------
def test_small_numbers_beside_counts_of_children_in_commentary_are_found(seed):
    """The seed's commentary on 34/35 names 2 and 3 young people beside the suppressed
    counts: an editor is shown these phrases to look at before publishing."""
    text = Commentary.objects.filter(indicator__reference="34", period="2023-09-01").get().text
    phrases = rules.small_numbers_in_text(text)
    assert phrases, text
    assert all(re.search(r"\b([1-4]|one|two|three|four)\b", p, re.I) for p in phrases)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("3 YP are awaiting a placement", ["3 YP"]),
        ("two young people moved on", ["two young people"]),
        ("5 young people are placed", []),
        ("Performance is 98.5% against 90%", []),
        ("4 children were seen", ["4 children"]),
        ("in 2023 we saw 14 children", []),
    ],
)
def test_small_numbers_in_text(text, found):
    assert rules.small_numbers_in_text(text) == found


def test_publishing_puts_small_numbers_in_commentary_before_the_editor(client, seed, editor):
    """A look, not a block: the month can still be published with them."""
    client.force_login(editor)
    page = client.get(reverse("publish_month", args=["2023-09"]))
    assert page.status_code == 200
    checklist = page.context["checklist"]
    found = {item.references: item.phrases for item in checklist.small_numbers}
    assert any("34" in references for references in found), found
    assert "3 YP" in page.content.decode()
    response = client.post(
        reverse("publish_month", args=["2023-09"]), {"action": "publish", "confirm": "yes"}
    )
    assert response.status_code in (200, 302)
