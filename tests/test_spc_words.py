"""No SPC rule or icon code is visible anywhere a councillor looks: the indicator and priority
pages, the scorecard CSV and Excel exports and the committee pack speak in sentences
(``indicators.spc.RULE_SENTENCES``, ``VARIATION_KEY``, ``ASSURANCE_KEY``). Issue 15: the
indicator page printed "outside_limits, trend, two_of_three"."""

import csv
import io
import re
from html.parser import HTMLParser

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from indicators import spc
from indicators.models import PublishedMonth
from indicators.periods import Month
from scorecard.pack import PackOptions, pack_html

from .support.factories import make_indicator, make_priority, make_target, make_values

MONTH = Month(2023, 9)
FIRST = MONTH.plus(-23)  # Oct-21: 24 months to Sep-23
WORKED = [10, 12, 11, 13, 12, 11, 10, 12, 13, 11, 12, 10, 11, 12, 13, 12, 11, 10, 12, 11]
# reference: (figures ending Sep-23, polarity, target, the latest month's variation and
# assurance, the sentences of the latest month). Together they use every rule on both sides.
SERIES = {
    # 17 steady months, then 7 rising to 64: beyond the limit, rising, two of three high.
    "901": (
        [50, 52, 49, 51, 50, 48, 52, 51, 49, 50, 51, 50, 49, 52, 50, 51, 50]
        + [52, 54, 56, 58, 60, 62, 64],
        spc.HIGHER_IS_BETTER,
        40,
        spc.IMPROVEMENT_HIGH,
        spc.CONSISTENTLY_MEETS,
        [
            "a month outside the expected range",
            "seven months rising",
            "two of three months close to the edge of the expected range",
        ],
    ),
    # Alternating 9 and 11, then thirteen 11s: a run above the average; lower is better.
    "902": (
        [9, 11] * 6 + [11] * 12,
        spc.LOWER_IS_BETTER,
        10,
        spc.CONCERN_HIGH,
        spc.HIT_AND_MISS,
        ["seven months in a row above the average"],
    ),
    # tests/test_spc.py's two-of-three case (15, 12, 15): no better direction.
    "903": (
        [*WORKED[:17], 15, 12, 15],
        spc.NEITHER,
        None,
        spc.NEITHER_HIGH,
        None,
        ["two of three months close to the edge of the expected range"],
    ),
    # Sixteen months of 50 and 52, then eight falling to 42: a fall, a run below the average.
    "904": (
        [50, 52] * 8 + [49, 48, 47, 46, 45, 44, 43, 42],
        spc.HIGHER_IS_BETTER,
        60,
        spc.CONCERN_LOW,
        spc.CONSISTENTLY_MISSES,
        [
            "a month outside the expected range",
            "seven months in a row below the average",
            "seven months falling",
            "two of three months close to the edge of the expected range",
        ],
    ),
}
CODES = [
    spc.OUTSIDE_LIMITS,
    spc.SHIFT,
    spc.TREND,
    spc.TWO_OF_THREE,
    # "common" is a word as well as a code ("Common cause variation"): the others are codes.
    *(variation.code for variation, _ in spc.VARIATION_KEY if variation is not spc.COMMON),
    spc.HIT_AND_MISS.code,
]
# A code as a whole word ("trend", not "trends"; "improvement_high", not "improvement").
CODE_PATTERN = re.compile(r"(?<![A-Za-z_])(" + "|".join(CODES) + r")(?![A-Za-z_])", re.I)


@pytest.fixture
def special_causes(db):
    priority = make_priority(1)
    for order, (reference, (figures, polarity, target, *_)) in enumerate(SERIES.items()):
        indicator = make_indicator(reference, priority, order, polarity=polarity)
        if target is not None:
            make_target(indicator, target, valid_from="2019-01")
        make_values(indicator, MONTH.plus(1 - len(figures)).iso, figures)
    PublishedMonth.objects.bulk_create(
        PublishedMonth(period=FIRST.plus(n).first_day, published_at=timezone.now())
        for n in range(24)
    )


class _Text(HTMLParser):
    """The text a reader sees, each piece with the classes of the elements around it."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self, html):
        super().__init__()
        self.open, self.pieces = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.open.append((tag, set((dict(attrs).get("class") or "").split())))

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth][0] == tag:
                del self.open[depth:]
                break

    def handle_data(self, data):
        if any(tag in ("script", "style", "title") for tag, _ in self.open):
            return
        self.pieces.append((set().union(*(classes for _, classes in self.open)), data))

    def text(self, inside=None, outside=None):
        chosen = (
            data
            for classes, data in self.pieces
            if (inside is None or inside in classes) and (outside is None or outside not in classes)
        )
        return " ".join(" ".join(chosen).split())


def assert_no_codes(text, where):
    found = sorted({match.group(0) for match in CODE_PATTERN.finditer(text)})
    assert not found, f"{where} shows rule codes: {found}"


def test_the_indicator_pages_say_each_special_month_in_sentences(viewer_client, special_causes):
    seen = set()
    for reference, (_, _, _, variation, assurance, latest) in SERIES.items():
        response = viewer_client.get(reverse("indicator", args=[reference]))
        assert response.status_code == 200
        assert_no_codes(response.text, f"the indicator page of {reference} (HTML)")
        page = _Text(response.text)
        assert_no_codes(page.text(), f"the indicator page of {reference}")
        # The special-points table's row for the latest month: month, sentences, meaning.
        meaning = spc.SPECIAL_MEANING[variation.kind]
        row = f"{MONTH.label} {capfirst('; '.join(latest))} {meaning}"
        assert row in page.text(inside="spc-points")
        summary = response.context["spc"]["chart"]["summary"]
        assert summary in page.text()
        assert f"Latest month: {variation.label.lower()}: {'; '.join(latest)}." in summary
        assert variation.label in page.text(outside="spc-key-table")
        if assurance is not None:
            assert assurance.label in page.text(outside="spc-key-table")
        # The key beside the chart explains every icon and pattern in words.
        key = page.text(inside="spc-key-table")
        for pattern in spc.key_patterns():
            assert pattern.capitalize() in key
        seen |= {s for p in response.context["spc"]["result"].points for s in p.sentences}
    assert seen == set(spc.RULE_SENTENCES.values())


def test_the_priority_page_names_the_variation_and_assurance(viewer_client, special_causes):
    response = viewer_client.get(reverse("priority", args=[1]), {"period": MONTH.iso})
    assert_no_codes(response.text, "the priority page (HTML)")
    page = _Text(response.text)
    assert_no_codes(page.text(), "the priority page")
    table = page.text(inside="scorecard-table")
    for _, _, _, variation, assurance, _ in SERIES.values():
        assert variation.label in table
        assert (assurance.label if assurance else "No target") in table
    key = page.text(inside="spc-key-table")
    for variation, meaning in spc.VARIATION_KEY:
        assert f"{variation.icon} {variation.label} {meaning}" in key
    for assurance, meaning in spc.ASSURANCE_KEY:
        assert f"{assurance.icon} {assurance.label} {meaning}" in key


def test_the_csv_export_words_variation_and_assurance(viewer_client, special_causes):
    response = viewer_client.get(reverse("scorecard_csv"), {"period": MONTH.iso})
    text = response.content.decode()
    assert_no_codes(text, "the scorecard CSV")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["reference"]: (row["variation"], row["assurance"]) for row in rows} == {
        reference: (variation.label, assurance.label if assurance else "No target")
        for reference, (_, _, _, variation, assurance, _) in SERIES.items()
    }


def test_the_excel_export_words_variation_and_assurance(viewer_client, special_causes):
    response = viewer_client.get(reverse("scorecard_xlsx"), {"period": MONTH.iso})
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    for sheet in workbook:
        cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
        assert_no_codes(cells, f"the Excel sheet {sheet.title}")
    sheet = workbook[f"Scorecard {MONTH.iso}"]
    header = [cell.value for cell in sheet[2]]
    variation_at, assurance_at = header.index("Variation (SPC)"), header.index("Assurance (SPC)")
    found = {
        row[0].value: (row[variation_at].value, row[assurance_at].value)
        for row in sheet.iter_rows(min_row=3)
    }
    assert found == {
        reference: (variation.label, assurance.label if assurance else "No target")
        for reference, (_, _, _, variation, assurance, _) in SERIES.items()
    }
    key = [cell.value for row in workbook["Key"].iter_rows() for cell in row if cell.value]
    for pattern in spc.key_patterns():
        assert pattern.capitalize() in key


def test_the_pack_names_the_variation_and_explains_the_icons(special_causes):
    html = pack_html(MONTH, PackOptions())
    assert_no_codes(html, "the pack (HTML)")
    pack = _Text(html)
    assert_no_codes(pack.text(), "the pack")
    table = pack.text(inside="scorecard-table")
    for _, _, _, variation, assurance, _ in SERIES.values():
        assert variation.label in table
        assert (assurance.label if assurance else "No target") in table
    # The pack's key is a table that prints (no closed <details>), with every pattern.
    assert "<details" not in html
    key = pack.text(inside="spc-key-table")
    for pattern in spc.key_patterns():
        assert pattern.capitalize() in key
