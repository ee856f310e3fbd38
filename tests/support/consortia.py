"""A consortium of councils for the tests (issue 23, part 4): Northshire and Southshire are
members of the South West alliance; Westshire is not. Each shares some indicators and keeps
others, publishes some months and not others; the markers are what must never be seen."""

from decimal import Decimal

from django.utils import timezone

from indicators import roles
from indicators.models import (
    Commentary,
    Consortium,
    ConsortiumAnalyst,
    ConsortiumMeasure,
    ConsortiumMember,
    Council,
    Indicator,
    LaitMeasure,
    LaitValue,
    PublishedMonth,
    SharedIndicator,
)
from indicators.periods import Month
from indicators.tenancy import council_scope

from .factories import make_indicator, make_target, make_user, make_values

HOSTS = {"north": "north.example", "south": "south.example", "west": "west.example"}
SEP_23 = Month(2023, 9)
# Must never appear in anything an analyst or a member sees.
SECRETS = {
    "unshared indicator": "Northshire secret caseloads",
    "unshared figure": "55.57",
    "draft figure": "77.71",
    "figure before the month shared from": "41.73",
    "unshared commentary": "Northshire private commentary, not for the alliance",
    "non-member's indicator": "Westshire whole-service measure",
    "non-member's figure": "66.61",
}
SHARED_COMMENTARY = "Northshire shared commentary on re-referrals"


def _publish(*months: Month) -> None:
    for month in months:
        PublishedMonth.objects.create(period=month.first_day, published_at=timezone.now())


def _share(consortium, indicator, from_month, measure=None, commentary=False):
    return SharedIndicator.objects.create(
        consortium=consortium,
        indicator=indicator,
        measure=measure,
        from_month=Month.parse(from_month).first_day,
        share_commentary=commentary,
    )


def _lait(indicator_fields: dict, lait: LaitMeasure) -> dict:
    return {**indicator_fields, "lait_measure": lait, "lait_years": "financial_year"}


def make_consortium(extra_members: int = 0, extra_indicators: int = 0) -> dict:
    """The councils, the consortium, its analyst and its members' people; ``extra_members``
    and ``extra_indicators`` make it bigger (the query counts' second size)."""
    councils = {
        key: Council.objects.create(slug=key, name=f"{key.title()}shire Council", host=host)
        for key, host in HOSTS.items()
    }
    alliance = Consortium.objects.create(name="South West Alliance", slug="south-west")
    for key in ("north", "south"):
        ConsortiumMember.objects.create(consortium=alliance, council=councils[key])
    visits = ConsortiumMeasure.objects.create(
        consortium=alliance,
        code="cp-visits",
        name="Child protection visits on time",
        unit="percentage",
        polarity="higher_is_better",
    )
    visits_10 = ConsortiumMeasure.objects.create(
        consortium=alliance,
        code="cp-visits-10-days",
        name="Child protection visits within 10 working days",
        unit="percentage",
        polarity="higher_is_better",
    )
    missing = ConsortiumMeasure.objects.create(
        consortium=alliance,
        code="missing",
        name="Children missing from care",
        unit="count",
        polarity="lower_is_better",
    )
    rereferral = LaitMeasure.objects.create(
        code="ReReferral", title="Re-referrals within 12 months", polarity="lower_is_better"
    )
    LaitValue.objects.create(
        measure=rereferral, area_code=970, area_name="England", year="2022", value=21.5
    )
    LaitValue.objects.create(
        measure=rereferral, area_code=970, area_name="England", year="2021", value=22.7
    )
    lower = {"polarity": "lower_is_better"}
    people = {}
    with council_scope(councils["north"]):
        rereferrals = make_indicator(
            "10", description="Northshire re-referrals", **_lait(lower, rereferral)
        )
        make_target(rereferrals, 20)
        make_values(rereferrals, "2023-07", [41.73, 19, 18.5, 77.71])  # Jul-Oct
        north_visits = make_indicator("20", description="Child protection visits")
        make_target(north_visits, 90)
        make_values(north_visits, "2023-07", [91, 92, 93.5, 77.71])
        secret = make_indicator("30", description=SECRETS["unshared indicator"])
        make_values(secret, "2023-07", [55.57, 55.57, 55.57])
        north_missing = make_indicator(
            "40", description="Northshire children missing", unit="count", **lower
        )
        make_values(north_missing, "2023-07", [8, 9, 3])  # September's 3 is an "x"
        Commentary.objects.create(
            indicator=rereferrals, period=SEP_23.first_day, text=SHARED_COMMENTARY
        )
        Commentary.objects.create(
            indicator=north_visits, period=SEP_23.first_day, text=SECRETS["unshared commentary"]
        )
        _publish(Month(2023, 7), Month(2023, 8), SEP_23)  # October is a draft
        _share(alliance, rereferrals, "2023-08", commentary=True)
        _share(alliance, north_visits, "2023-07", measure=visits)
        _share(alliance, north_missing, "2023-07", measure=missing)
        people["north_viewer"] = make_user("north-viewer", roles.VIEWER)
        for number in range(extra_indicators):
            extra = make_indicator(f"X{number}", description=f"Extra measure {number}")
            make_values(extra, "2023-07", [50 + number, 51 + number, 52 + number])
            code = ConsortiumMeasure.objects.create(
                consortium=alliance,
                code=f"extra-{number}",
                name=f"Extra {number}",
                unit="percentage",
                polarity="higher_is_better",
            )
            _share(alliance, extra, "2023-07", measure=code)
    with council_scope(councils["south"]):
        south_rereferrals = make_indicator(
            "A1", description="Southshire re-referral rate", **_lait(lower, rereferral)
        )
        make_target(south_rereferrals, 22)
        make_values(south_rereferrals, "2023-08", [24.1, 23.4])
        # The same description as Northshire's "20", defined differently: never matched.
        south_visits = make_indicator("A3", description="Child protection visits")
        make_values(south_visits, "2023-08", [70.2, 71.3])
        south_missing = make_indicator("A4", description="Southshire missing", unit="count")
        make_values(south_missing, "2023-08", [12, 14])
        _publish(Month(2023, 8), SEP_23)
        _share(alliance, south_rereferrals, "2023-01")
        _share(alliance, south_visits, "2023-01", measure=visits_10)
        _share(alliance, south_missing, "2023-01", measure=missing)
        people["south_viewer"] = make_user("south-viewer", roles.VIEWER)
    with council_scope(councils["west"]):
        west = make_indicator("W1", description=SECRETS["non-member's indicator"])
        make_values(west, "2023-09", [66.61])
        _publish(SEP_23)
        people["west_viewer"] = make_user("west-viewer", roles.VIEWER)
    for number in range(extra_members):
        council = Council.objects.create(slug=f"extra-{number}", name=f"Extra {number}")
        ConsortiumMember.objects.create(consortium=alliance, council=council)
        with council_scope(council):
            indicator = make_indicator("E", description=f"Extra council {number}", **lower)
            indicator.lait_measure, indicator.lait_years = rereferral, "financial_year"
            indicator.save()
            make_target(indicator, Decimal("21"))
            make_values(indicator, "2023-08", [20 + number, 21 + number])
            _publish(Month(2023, 8), SEP_23)
            _share(alliance, indicator, "2023-01")
    analyst = make_user("alliance-analyst")
    ConsortiumAnalyst.objects.create(consortium=alliance, user=analyst)
    return {"councils": councils, "consortium": alliance, "analyst": analyst, **people}


def consortium_urls(slug: str, month: Month = SEP_23) -> list[str]:
    """Every consortium route for ``slug``, with and without the month."""
    base = f"/consortia/{slug}/"
    urls = [base, *(f"{base}comparison.{kind}" for kind in ("csv", "xlsx", "pdf"))]
    return ["/consortia/", *urls, *(f"{url}?period={month.iso}" for url in urls)]


def join_a_consortium(references: tuple[str, ...] = ("10", "26", "7")) -> str:
    """The only council (the demonstration's) joins a consortium and shares ``references``
    from April 2023, each under a code of the consortium's; returns the comparison's path
    for September 2023 (the browser tests' page lists)."""
    council = Council.objects.get()
    alliance = Consortium.objects.create(name="South West Alliance", slug="south-west")
    ConsortiumMember.objects.create(consortium=alliance, council=council)
    with council_scope(council):
        for reference in references:
            indicator = Indicator.objects.get(reference=reference)
            code = ConsortiumMeasure.objects.create(
                consortium=alliance,
                code=f"measure-{reference}",
                name=indicator.description,
                unit=indicator.unit,
                polarity=indicator.polarity,
            )
            _share(alliance, indicator, "2023-04", measure=code, commentary=True)
    return f"/consortia/south-west/?period={SEP_23.iso}"
