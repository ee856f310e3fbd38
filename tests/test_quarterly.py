"""The quarterly report page: the seed's Q2 2023/24 tables reproduced from
fixtures/plymouth_q2_2023.json, rates worked out, access, drafts, suppression, query count."""

import io
import json
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from indicators import rules
from indicators.models import (
    AnnualFigure,
    Benchmark,
    Indicator,
    Population,
    PublishedMonth,
    ReportSection,
    Value,
)
from indicators.periods import Month
from indicators.quarter_figures import rate_per
from intake.publishing import unpublish
from intake.quarterly_seed import QUARTERLY_FIXTURE, load_quarterly_seed

from .support.factories import make_indicator

Q2_URL = "/quarters/2023-24-q2/"
COLUMNS = ["2020/21", "2021/22", "2022/23", "England", "Statistical Neighbours", "Q2 2023/24"]
FIXTURE = json.loads(QUARTERLY_FIXTURE.read_text(encoding="utf-8"))
# Section 1 has the report's columns; section 2's tables have their own ("columns").
SECTIONS = [section for section in FIXTURE["sections"] if "columns" not in section]
OWN_COLUMNS = [section for section in FIXTURE["sections"] if "columns" in section]
ROWS = [item for section in SECTIONS for item in section["indicators"]]
EDUCATION_ROWS = [item for section in OWN_COLUMNS for item in section["indicators"]]
BY_REFERENCE = {item["reference"]: item for item in ROWS + EDUCATION_ROWS}


class _ReportParser(HTMLParser):
    """Rows of the report's tables as {reference: [cell text, ...]} (visually hidden text
    left out: what is printed), with the tables' captions and column headings."""

    def __init__(self):
        super().__init__()
        self.rows, self.captions, self.headings = {}, [], []
        self._row = self._cell = None
        self._hidden_depth = 0
        self._in_caption = False
        self._in_th_col = False
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "span" and "govuk-visually-hidden" in (attrs.get("class") or ""):
            self._hidden_depth = 1
            return
        if self._hidden_depth:
            self._hidden_depth += 1 if tag == "span" else 0
        if tag == "tr" and "data-reference" in attrs:
            self._row = attrs["data-reference"]
            self.rows[self._row] = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "caption":
            self._in_caption, self._cell = True, []
        elif tag == "th" and attrs.get("scope") == "col":
            self._in_th_col, self._cell = True, []

    def handle_endtag(self, tag):
        if self._hidden_depth and tag == "span":
            self._hidden_depth -= 1
            return
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self.rows[self._row].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "caption" and self._in_caption:
            self.captions.append(" ".join("".join(self._cell).split()))
            self._in_caption, self._cell = False, None
        elif tag == "th" and self._in_th_col:
            self.headings.append(" ".join("".join(self._cell).split()))
            self._in_th_col, self._cell = False, None
        elif tag == "tr":
            self._row = None

    def handle_data(self, data):
        if self._cell is not None and not self._hidden_depth:
            self._cell.append(data)


def _parse(response):
    parser = _ReportParser()
    parser.feed(response.content.decode())
    return parser


def _figures(row_cells):
    """A row's cells without Ref and name: the years, the benchmarks and the quarter."""
    return row_cells[2:]


# The seed reproduced ---------------------------------------------------------------------
def test_the_page_reproduces_every_row_of_the_seeds_q2_tables(viewer_client, quarterly):
    page = _parse(viewer_client.get(Q2_URL))
    assert len(page.rows) == len(ROWS) + len(EDUCATION_ROWS) == 27 + 9
    for item in ROWS:
        expected = [item["printed"][column] for column in COLUMNS]
        assert _figures(page.rows[item["reference"]]) == expected, item["reference"]


def test_rows_keep_the_seeds_names_refs_and_order(viewer_client, quarterly):
    page = _parse(viewer_client.get(Q2_URL))
    assert list(page.rows) == [item["reference"] for item in ROWS + EDUCATION_ROWS]
    for item in ROWS + EDUCATION_ROWS:
        ref, name = page.rows[item["reference"]][:2]
        assert (ref, name) == (item["seed_ref"], item["description"])


def test_each_table_has_the_seeds_caption_and_columns(viewer_client, quarterly):
    page = _parse(viewer_client.get(Q2_URL))
    assert page.captions == [section["title"] for section in SECTIONS + OWN_COLUMNS]
    per_table = [
        "Ref",
        "Indicator Name",
        "2020/21 Actual",
        "2021/22 Actual",
        "2022/23 Provisional",
        "England",
        "Statistical Neighbours",
        "Q2 2023/24",
    ]
    assert page.headings[: len(per_table) * len(SECTIONS)] == per_table * len(SECTIONS)


def test_rates_are_worked_out_from_the_count_and_the_population(quarterly):
    """Every rate the seed prints: the count over 0-17 (53,291 for the years, the ONS mid-2021
    estimate; 51,635 for Q2 2023/24, the 2021 Census)."""
    rate_rows = [item for item in ROWS if item.get("rate_of")]
    assert [item["reference"] for item in rate_rows] == ["Q1r", "Q3r", "Q4r", "Q7r"]
    assert not Value.objects.filter(indicator__reference__in=["Q1r", "Q3r", "Q4r", "Q7r"])
    for item in rate_rows:
        count = BY_REFERENCE[item["rate_of"]]
        for year in FIXTURE["years"]:
            rate = rate_per(count["annual"][year]["value"], 53291)
            assert rules.format_number(rate, 1) == item["printed"][year], (item, year)
        rate = rate_per(count["values"]["2023-09"]["value"], 51635)
        assert rules.format_number(rate, 1) == item["printed"]["Q2 2023/24"]
    assert rules.format_number(rate_per(3093, 51635), 1) == "599.0"
    assert rules.format_number(rate_per(1485, 51635), 1) == "287.6"


def test_the_fixtures_fractions_agree_with_their_percentages():
    """A printed percentage is its numerator over its denominator, bar one the seed rounds
    down (listed in the fixture's discrepancies)."""
    known = {("Q10", "2022/23")}
    checked = 0
    for item in ROWS:
        cells = dict(item.get("annual", {}))
        cells.update(item.get("values", {}))
        for period, figure in cells.items():
            if figure.get("denominator") is None:
                continue
            checked += 1
            worked_out = Decimal(figure["numerator"]) / Decimal(figure["denominator"]) * 100
            agrees = rules.round_half_up(worked_out, 1) == Decimal(str(figure["value"]))
            assert agrees is ((item["reference"], period) not in known), (item, period)
    assert checked == 8


def test_the_categories_of_abuse_add_up_to_the_children_on_a_plan():
    categories = [item for item in ROWS if item.get("category_of") == "Q4"]
    assert len(categories) == 4
    total = BY_REFERENCE["Q4"]
    for year in FIXTURE["years"]:
        counts = sum(item["annual"][year]["numerator"] for item in categories)
        assert counts == total["annual"][year]["value"]
    assert sum(item["values"]["2023-09"]["numerator"] for item in categories) == 202


def test_loading_twice_changes_nothing_and_publishes_the_quarters_month(db):
    load_quarterly_seed()
    counts = [
        model.objects.count()
        for model in (Indicator, AnnualFigure, Benchmark, Value, Population, PublishedMonth)
    ]
    call_command("load_quarterly_seed", stdout=io.StringIO())
    assert counts == [
        model.objects.count()
        for model in (Indicator, AnnualFigure, Benchmark, Value, Population, PublishedMonth)
    ]
    assert counts[:4] == [27 + 9, 23 * 3 + 9 * 4, 14 + 13, 23]
    assert ReportSection.objects.count() == 4
    assert PublishedMonth.objects.filter(period="2023-09-01").exists()
    assert Indicator.objects.get(reference="Q1r").rate_of.reference == "Q1"
    assert Indicator.objects.get(reference="Q9i").category_of.reference == "Q7"


def test_it_loads_beside_the_scorecard_without_touching_it(viewer_client, seed, quarterly):
    scorecard = viewer_client.get(reverse("dashboard")).context["scorecard"]
    assert not [row for row in scorecard.rows if row.indicator.reference.startswith("Q")]
    page = _parse(viewer_client.get(Q2_URL))
    assert _figures(page.rows["Q4r"])[-1] == "39.1"


def test_a_figure_withheld_at_source_is_stored_without_a_value(quarterly):
    figure = Value.objects.get(indicator__reference="Q9i", period="2023-09-01")
    assert (figure.value, figure.status) == (None, Value.Status.SUPPRESSED)
    figure.full_clean()
    annual = AnnualFigure.objects.get(indicator__reference="Q9i", year_label="2022/23")
    assert (annual.value, annual.suppressed, annual.status) == (None, True, "provisional")


def test_a_yearly_figure_needs_a_value_unless_withheld(quarterly):
    indicator = Indicator.objects.get(reference="Q3")
    figure = AnnualFigure(indicator=indicator, year_label="2019/20")
    with pytest.raises(ValidationError, match="withheld at source"):
        figure.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        figure.save()


def test_a_rate_row_needs_a_rate_unit_and_a_population_band(quarterly):
    rate = Indicator.objects.get(reference="Q1r")
    rate.population_age_to = None
    with pytest.raises(ValidationError, match="population band"):
        rate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        rate.save()


# Access ----------------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["/quarters/", Q2_URL])
def test_anonymous_visitors_are_sent_to_sign_in(client, quarterly, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("url", ["/quarters/", Q2_URL])
def test_a_user_with_no_role_is_refused(client, quarterly, no_role_user, url):
    client.force_login(no_role_user)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role_fixture", ["viewer", "editor", "administrator"])
def test_every_role_reads_the_report(client, quarterly, request, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))
    response = client.get(Q2_URL)
    assert response.status_code == 200
    assert "Q2 2023/24 Performance Report" in response.content.decode()


def test_quarters_goes_to_the_latest_quarter_with_published_figures(viewer_client, quarterly):
    response = viewer_client.get("/quarters/")
    assert response.status_code == 302
    assert response.url == Q2_URL


@pytest.mark.parametrize("label", ["2023-25-q2", "2023-24-q5", "q2-2023", "2023"])
def test_a_quarter_that_is_not_one_is_not_found(viewer_client, quarterly, label):
    assert viewer_client.get(f"/quarters/{label}/").status_code == 404


def test_the_header_links_to_the_quarterly_report(viewer_client, quarterly):
    html = viewer_client.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("quarterly_latest")}">Quarterly report</a>' in html


# Drafts ----------------------------------------------------------------------------------
def test_a_viewer_sees_no_figure_from_a_draft_month(client, quarterly, viewer, editor):
    unpublish(Month(2023, 9), editor, "A figure is being checked.")
    client.force_login(viewer)
    page = _parse(client.get(Q2_URL))
    for reference in ["Q1", "Q1r", "Q4", "Q10"]:
        cells = _figures(page.rows[reference])
        assert cells[-1] == "No data", reference
        assert cells[:3] == [BY_REFERENCE[reference]["printed"][y] for y in FIXTURE["years"]]
    assert "3,093" not in client.get(Q2_URL).content.decode()
    # No published quarter: the address falls back to the current quarter, not a draft one.
    assert client.get("/quarters/").url != Q2_URL


def test_an_editor_sees_the_draft_month_marked_as_draft(client, quarterly, editor):
    unpublish(Month(2023, 9), editor, "A figure is being checked.")
    client.force_login(editor)
    response = client.get(Q2_URL)
    assert _figures(_parse(response).rows["Q1"])[-1] == "3,093"
    assert "Draft: September 2023 is not published" in response.content.decode()


def test_synthetic_figures_never_reach_the_report(viewer_client, quarterly):
    indicator = make_indicator(
        "QS", unit="count", measure_basis="in_month", report_section="1.6 Test", decimal_places=0
    )
    Value.objects.bulk_create(
        [
            Value(indicator=indicator, period="2023-07-01", value=10),
            Value(indicator=indicator, period="2023-08-01", value=1000, synthetic=True),
            Value(indicator=indicator, period="2023-09-01", value=20),
        ]
    )
    PublishedMonth.objects.create(period="2023-07-01", published_at=timezone.now())
    PublishedMonth.objects.create(period="2023-08-01", published_at=timezone.now())
    cells = _figures(_parse(viewer_client.get(Q2_URL)).rows["QS"])
    assert cells[-1] == "30Incomplete: No figure for Aug-23."


# Quarter's figure by basis ---------------------------------------------------------------
def _report_row(reference, section="9.1 Test", **fields):
    fields.setdefault("decimal_places", 0)
    return make_indicator(reference, report_section=section, **fields)


def _publish_quarter():
    for period in ("2023-07-01", "2023-08-01", "2023-09-01"):
        PublishedMonth.objects.get_or_create(
            period=period, defaults={"published_at": timezone.now()}
        )


def test_an_in_month_count_sums_and_a_percentage_is_recomputed(viewer_client, db):
    count = _report_row("QA", unit="count", measure_basis="in_month", report_order=1)
    share = _report_row(
        "QB", unit="percentage", measure_basis="in_month", decimal_places=1, report_order=2
    )
    snapshot = _report_row("QC", unit="count", measure_basis="snapshot", report_order=3)
    for period, (c, n, d, s) in {
        "2023-07-01": (5, 5, 41, 190),
        "2023-08-01": (27, 24, 46, 207),
        "2023-09-01": (5, 32, 55, 195),
    }.items():
        Value.objects.create(indicator=count, period=period, value=c)
        Value.objects.create(
            indicator=share, period=period, value=Decimal(n) / d * 100, numerator=n, denominator=d
        )
        Value.objects.create(indicator=snapshot, period=period, value=s)
    _publish_quarter()
    rows = _parse(viewer_client.get(Q2_URL)).rows
    assert _figures(rows["QA"])[-1] == "37"
    assert _figures(rows["QB"])[-1] == "43.0% (61/142)"  # not the mean of 12.2, 52.2, 58.2
    assert _figures(rows["QC"])[-1] == "195"


def test_a_region_gets_its_own_column_with_the_year_it_describes(viewer_client, db):
    row = _report_row("QR", section="2.1 Ofsted outcomes", unit="percentage", decimal_places=1)
    Benchmark.objects.create(
        indicator=row, comparator="england", period_label="Sept 2023", value=88
    )
    Benchmark.objects.create(
        indicator=row,
        comparator="region",
        comparator_name="South West",
        period_label="Sept 2023",
        value=Decimal("84.7"),
    )
    # An older benchmark gives way to the latest one.
    Benchmark.objects.create(
        indicator=row, comparator="england", period_label="2021/22", value=Decimal("87.0")
    )
    Value.objects.create(indicator=row, period="2023-09-01", value=Decimal("83.7"))
    _publish_quarter()
    page = _parse(viewer_client.get(Q2_URL))
    assert page.headings[-4:] == ["England", "Statistical Neighbours", "South West", "Q2 2023/24"]
    assert _figures(page.rows["QR"])[-4:] == [
        "88.0% (Sept 2023)",
        "Not benchmarked",
        "84.7% (Sept 2023)",
        "83.7%",
    ]


# Suppression -----------------------------------------------------------------------------
def _cp_group(category_counts, total):
    """A total with count categories, as the children on a plan and the categories of abuse."""
    total_row = _report_row("QT", unit="count", report_order=0)
    Value.objects.create(indicator=total_row, period="2023-09-01", value=total)
    AnnualFigure.objects.create(indicator=total_row, year_label="2022/23", value=total)
    for order, count in enumerate(category_counts, start=1):
        category = _report_row(
            f"QT{order}", unit="count", report_order=order, category_of=total_row
        )
        Value.objects.create(indicator=category, period="2023-09-01", value=count)
        AnnualFigure.objects.create(indicator=category, year_label="2022/23", value=count)
    Population.objects.create(
        name="0-17", age_from=0, age_to=17, value=51635, source="Census", valid_from="2023-05-01"
    )
    _publish_quarter()


def test_a_count_of_three_shows_x_for_everyone(client, db, viewer, editor):
    row = _report_row("QX", unit="count")
    rate = _report_row(
        "QXr",
        unit="rate_per_10000",
        decimal_places=1,
        report_order=1,
        rate_of=row,
        population_age_from=0,
        population_age_to=17,
    )
    assert rate.rate_of == row
    Population.objects.create(
        name="0-17", age_from=0, age_to=17, value=51635, source="Census", valid_from="2023-05-01"
    )
    Value.objects.create(indicator=row, period="2023-09-01", value=3)
    _publish_quarter()
    for user in (viewer, editor):
        client.force_login(user)
        rows = _parse(client.get(Q2_URL)).rows
        assert _figures(rows["QX"])[-1] == "x"
        assert _figures(rows["QXr"])[-1] == "x"  # 0.6 per 10,000 gives the 3 back


def test_a_lone_small_category_takes_the_next_smallest_with_it(viewer_client, db):
    _cp_group([3, 7, 10], total=20)
    response = viewer_client.get(Q2_URL)
    rows = _parse(response).rows
    total = int(_figures(rows["QT"])[-1])
    shown = {ref: _figures(rows[ref])[-1] for ref in ("QT1", "QT2", "QT3")}
    assert shown == {"QT1": "x", "QT2": "x", "QT3": "10"}
    # A reader's attempt to recover the 3: the total less the shown categories is what the
    # hidden ones hold together (10), and any small count from 1 to 4 fits beside a larger one.
    hidden = [ref for ref, text in shown.items() if text == "x"]
    together = total - sum(int(text) for text in shown.values() if text != "x")
    fits = [small for small in range(1, rules.SUPPRESSION_THRESHOLD) if together - small > 0]
    assert len(hidden) == 2 and together == 10 and fits == [1, 2, 3, 4]
    # The yearly column is suppressed the same way.
    assert [_figures(rows[ref])[2] for ref in ("QT1", "QT2", "QT3")] == ["x", "x", "10"]


def test_a_group_with_no_small_count_is_shown_in_full(viewer_client, db):
    _cp_group([86, 9, 12, 95], total=202)
    rows = _parse(viewer_client.get(Q2_URL)).rows
    assert [_figures(rows[f"QT{n}"])[-1] for n in range(1, 5)] == ["86", "9", "12", "95"]


def test_the_seeds_placement_types_keep_exactly_their_xs(viewer_client, quarterly):
    rows = _parse(viewer_client.get(Q2_URL)).rows
    placements = [item["reference"] for item in ROWS if item.get("category_of") == "Q7"]
    shown = [_figures(rows[reference])[-1] for reference in placements]
    assert shown == ["344", "51", "50", "x", "x", "9", "26", "x", "x"]


# Query count -----------------------------------------------------------------------------
# Session, user, groups (role check); then the report's rows, the tables' own columns, yearly
# figures, benchmarks, the quarter's monthly figures, the populations and the quarters; the
# council (its name in the header).
QUARTERLY_QUERIES = 11


def _build_report(size):
    Population.objects.create(
        name="0-17", age_from=0, age_to=17, value=51635, source="Census", valid_from="2020-04-01"
    )
    for index in range(size):
        section = f"1.{index % 5 + 1} Section"
        count = _report_row(f"QN{index}", section=section, unit="count", report_order=3 * index)
        _report_row(
            f"QN{index}r",
            section=section,
            unit="rate_per_10000",
            decimal_places=1,
            report_order=3 * index + 1,
            rate_of=count,
            population_age_from=0,
            population_age_to=17,
        )
        category = _report_row(
            f"QN{index}c",
            section=section,
            unit="count",
            report_order=3 * index + 2,
            category_of=count,
        )
        for year in ("2020/21", "2021/22", "2022/23"):
            AnnualFigure.objects.create(indicator=count, year_label=year, value=100 + index)
            AnnualFigure.objects.create(indicator=category, year_label=year, value=3)
        Benchmark.objects.create(
            indicator=count, comparator="england", period_label="2021/22", value=50
        )
        for period in ("2023-07-01", "2023-08-01", "2023-09-01"):
            Value.objects.create(indicator=count, period=period, value=100 + index)
            Value.objects.create(indicator=category, period=period, value=2)
    _publish_quarter()


@pytest.mark.parametrize("size", [5, 40])
def test_the_report_reads_a_fixed_number_of_queries(
    viewer_client, django_assert_max_num_queries, size
):
    _build_report(size)
    with django_assert_max_num_queries(QUARTERLY_QUERIES):
        response = viewer_client.get(Q2_URL)
    assert response.status_code == 200
    rows = _parse(response).rows
    assert len(rows) == 3 * size
    assert _figures(rows[f"QN{size - 1}"])[-1] == f"{100 + size - 1}"
    assert _figures(rows[f"QN{size - 1}c"])[-1] == "x"


# Benchmarks on the indicator's chart -----------------------------------------------------
def test_a_q_indicators_chart_shows_england_and_statistical_neighbours(viewer_client, quarterly):
    response = viewer_client.get(reverse("indicator", args=["Q10"]))
    assert response.status_code == 200
    figure = response.context["chart"]["figure"]
    labels = {annotation["text"]: annotation["y"] for annotation in figure["layout"]["annotations"]}
    assert labels == {"England 2021/22": 12.0, "Statistical neighbours 2021/22": 11.6}
    lines = [shape for shape in figure["layout"]["shapes"] if shape["type"] == "line"]
    assert sorted(shape["y0"] for shape in lines) == [11.6, 12.0]
    html = response.content.decode()
    assert "England 2021/22" in html and "Statistical neighbours 2021/22" in html


@pytest.mark.parametrize("reference", ["Q1r", "Q9i", "Q5b", "Q6"])
def test_every_kind_of_q_row_has_an_indicator_page(client, quarterly, viewer, editor, reference):
    """A rate row (no figures of its own), a figure withheld at source, a category."""
    for user in (viewer, editor):
        client.force_login(user)
        assert client.get(reverse("indicator", args=[reference])).status_code == 200
    for export in ("indicator_history_csv", "indicator_history_xlsx"):
        assert client.get(reverse(export, args=[reference])).status_code == 200


# Section 2: tables with their own columns -----------------------------------------------
def _table_headings(page):
    """The page's column headings, table by table (every table has eight)."""
    return [page.headings[index : index + 8] for index in range(0, len(page.headings), 8)]


def test_every_education_cell_is_printed_in_its_row_and_column(viewer_client, quarterly):
    page = _parse(viewer_client.get(Q2_URL))
    headings = dict(zip(page.captions, _table_headings(page), strict=True))
    for section in OWN_COLUMNS:
        columns = headings[section["title"]][2:]
        for item in section["indicators"]:
            shown = dict(zip(columns, _figures(page.rows[item["reference"]]), strict=True))
            assert shown == item["printed"], item["reference"]


def test_each_education_table_has_the_seeds_headings(viewer_client, quarterly):
    page = _parse(viewer_client.get(Q2_URL))
    headings = dict(zip(page.captions, _table_headings(page), strict=True))
    spring = "Autumn and Spring Term 2022/23"
    academic = ["2019/20 Actual", "2020/21 Actual", "2021/22 Actual"]
    assert {title: headings[title][2:] for title in headings if title.startswith("2.")} == {
        "2.1 Ofsted outcomes": [*academic, "England", "South West", "Q2 2023/24"],
        "2.2 Absence monitoring": [
            *academic,
            f"England ({spring})",
            f"South West ({spring})",
            spring,
        ],
        "2.3 Education, employment and training": [
            "2020 Actual",
            "2021 Actual",
            "2022 Actual",
            "England",
            "Statistical Neighbours",
            "Q1 2022/23",
        ],
        "2.4 Key Stage 4 outcomes": [*academic, "England", "South West", "2022/23 Provisional"],
    }


@pytest.mark.parametrize(
    ("slug", "lead", "grouped"),
    [
        ("section-1-1-referrals-re-referrals", 2, 5),
        ("section-2-1-ofsted-outcomes", 4, 3),
        ("section-2-2-absence-monitoring", 5, 2),
        ("section-2-3-education-employment-and-training", 4, 3),
    ],
)
def test_previous_year_and_benchmarking_spans_the_columns_the_seed_groups(
    viewer_client, quarterly, slug, lead, grouped
):
    html = viewer_client.get(Q2_URL).content.decode()
    table = html[html.index(f'id="{slug}"') :]
    table = table[: table.index("</thead>")]
    assert f'<td class="govuk-table__cell" colspan="{lead}"></td>' in table
    assert f'colspan="{grouped}" class="govuk-table__header quarterly-table__group"' in table


def test_text_cells_are_stored_as_notes_and_printed_verbatim(viewer_client, quarterly):
    figure = AnnualFigure.objects.get(indicator__reference="E5", year_label="2019/20")
    assert (figure.value, figure.note) == (None, "Not reported")
    figure.full_clean()
    current = AnnualFigure.objects.get(
        indicator__reference="E5", year_label="Autumn and Spring Term 2022/23"
    )
    assert (current.value, current.note) == (None, "Available March 2024")
    rows = _parse(viewer_client.get(Q2_URL)).rows
    covid = "Inspections paused due to COVID"
    assert _figures(rows["E1"])[:2] == [covid, covid]
    assert _figures(rows["E5"]) == [
        "Not reported",
        "38.8%",
        "45.0%",
        "36.9%",
        "-",
        "Available March 2024",
    ]
    assert _figures(rows["E2"])[3:5] == ["Not benchmarked", "Not benchmarked"]
    assert _figures(rows["E9"])[-1] == "44.8 points"


def test_a_yearly_figure_with_neither_value_nor_note_is_refused(quarterly):
    figure = AnnualFigure(indicator=Indicator.objects.get(reference="E1"), year_label="2018/19")
    with pytest.raises(ValidationError):
        figure.full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        figure.save()


def test_another_quarter_shows_the_education_rows_in_the_reports_columns(viewer_client, quarterly):
    """The tables' own columns belong to the quarter of the paper they were transcribed from."""
    page = _parse(viewer_client.get("/quarters/2023-24-q1/"))
    assert "Q1 2023/24" in page.headings and "Q2 2023/24" not in page.headings
    assert _figures(page.rows["E1"])[:3] == ["Inspections paused due to COVID", "76.0%", "No data"]
    assert _figures(page.rows["E1"])[-1] == "No data"
