"""An indicator's definition guessed from a measure of DfE's data dictionary (pure)."""

from types import SimpleNamespace

import pytest

from indicators import rules
from indicators.dfe import years
from intake.lait import catalogue


def measure(**fields):
    defaults = {
        "code": "M",
        "title": "",
        "chart_title": "",
        "description": "",
        "methodology": "",
        "y_axis_name": "",
        "polarity": rules.NEITHER,
        "decimal_places": None,
        "year_type": "",
    }
    return SimpleNamespace(**{**defaults, **fields})


@pytest.mark.parametrize(
    ("y_axis_name", "title", "unit"),
    [
        # DfE's own axis names, from the dictionary.
        ("% of referrals", "Percentage of re-referrals within 12 months", "percentage"),
        ("Rate per 10,000", "Child Protection Plans rate per 10,000", "rate_per_10000"),
        ("Rate per 1000 live births", "Infant Mortality", "rate_per_1000"),
        ("Number CPP", "Number of Children with CPP", "count"),
        ("Number", "0-10 working days from CP strategy meeting to ICP conference", "count"),
        ("Turnover rate", "Percentage rate of social worker turnover", "percentage"),
        ("Spend", "Youth Justice (finance) - Gross", "currency"),
        ("Unit Cost", "Fostering - S251/Outturn weekly unit costs", "currency"),
        ("Average Point Score", "A level cohort Average point score per entry", "points"),
        ("Case Load", "Average number of cases per social worker", "count"),
        # No axis name: the titles decide.
        ("", "Average days between entering care and moving in with the adoptive family", "days"),
        ("", "Proportion of care leavers in suitable accommodation", "percentage"),
        ("", "Looked after children", "count"),
        # A rate per 100,000 is no unit the product has: a count, for the admin to change.
        ("Rate per 100,000", "Hospital admissions", "count"),
    ],
)
def test_it_guesses_the_unit_from_the_axis_then_the_titles(y_axis_name, title, unit):
    assert catalogue.guess_unit(measure(y_axis_name=y_axis_name, title=title)) == unit


@pytest.mark.parametrize(
    ("year_type", "description", "alignment"),
    [
        # Children in care on 31 March: "2022" is the 2021/22 snapshot.
        (
            "Annual",
            "Number of children looked after on 31 March per 10,000.",
            years.SNAPSHOT_31_MARCH,
        ),
        (
            "Annual",
            "Rate of children who were the subject of a plan at 31 March",
            years.SNAPSHOT_31_MARCH,
        ),
        ("Financial Year", "Percentage of re-referrals within 12 months", years.FINANCIAL_YEAR),
        ("Academic Year", "Key stage 4 attainment", years.ACADEMIC_YEAR),
        ("Calendar Year", "Requests for an EHC plan", years.CALENDAR_YEAR),
        ("Annual (end of Sept)", "Social workers in post", years.AS_PUBLISHED),
        ("", "", years.AS_PUBLISHED),
    ],
)
def test_it_guesses_how_the_years_line_up(year_type, description, alignment):
    assert (
        catalogue.guess_year_alignment(measure(year_type=year_type, description=description))
        == alignment
    )


def test_an_indicator_made_from_re_referrals():
    rereferrals = measure(
        code="ReReferral",
        title="Percentage of re-referrals to children's social care within 12 months",
        description="Percentage of referrals within 12 months of a previous referral",
        methodology="A referral is a request for services.",
        y_axis_name="% of referrals",
        polarity=rules.LOWER_IS_BETTER,
        year_type="Financial Year",
    )
    assert catalogue.indicator_fields(rereferrals) == {
        "description": "Percentage of re-referrals to children's social care within 12 months",
        "definition": "Percentage of referrals within 12 months of a previous referral\n\n"
        "A referral is a request for services.\n\n"
        "Source: DfE Local Authority Interactive Tool (LAIT), measure ReReferral.",
        "unit": "percentage",
        "polarity": rules.LOWER_IS_BETTER,
        "decimal_places": 1,  # DfE gives none
        "measure_basis": "year_to_date",
        "lait_measure_id": "ReReferral",
        "lait_years": years.FINANCIAL_YEAR,
    }


def test_a_snapshot_measure_is_a_month_end_snapshot_with_dfes_decimal_places():
    rates = measure(
        code="LAC",
        title="Children looked after rate per 10,000",
        description="Number of children looked after on 31 March per 10,000 children.",
        y_axis_name="Rate per 10,000",
        decimal_places=0,
        year_type="Annual",
    )
    fields = catalogue.indicator_fields(rates)
    assert (fields["unit"], fields["measure_basis"], fields["lait_years"]) == (
        "rate_per_10000",
        "snapshot",
        years.SNAPSHOT_31_MARCH,
    )
    assert fields["decimal_places"] == 0
    assert fields["polarity"] == rules.NEITHER


@pytest.mark.parametrize(
    ("code", "taken", "reference"),
    [
        ("ReReferral", set(), "ReReferral"),
        ("ReReferral", {"ReReferral"}, "ReReferral-2"),
        ("ReReferral", {"ReReferral", "ReReferral-2"}, "ReReferral-3"),
        ("OtherChildren&FamilyFinance", set(), "OtherChildren&Family"),
        ("OtherChildren&FamilyFinance", {"OtherChildren&Family"}, "OtherChildren&Fami-2"),
        ("LAC_Fixed_ Ex", set(), "LAC_Fixed__Ex"),
    ],
)
def test_the_suggested_reference_fits_and_is_unique(code, taken, reference):
    suggested = catalogue.suggested_reference(measure(code=code), taken)
    assert suggested == reference
    assert len(suggested) <= 20
