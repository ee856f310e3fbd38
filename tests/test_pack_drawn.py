"""The committee pack as drawn: both councils' packs printed by the app's printer and read
back with PyMuPDF (tests/support/drawn.py): no chart over another, no text over text, nothing
off the page, every chart reaching the pack's month, no chart left alone on a page, the cover
naming the council's service, and each chart's words in the PDF's tags. Each check is also
shown to fail on a page drawn wrong on purpose."""

import datetime as dt

import pytest

from indicators.models import Council
from indicators.periods import Month
from scorecard.pack import PackOptions, balanced, pack_context, pack_pdf

from .support import devon, drawn
from .support.devon_fixture import OCT_22

pytestmark = pytest.mark.browser
SEP_23 = Month(2023, 9)


@pytest.fixture
def chromium(browser):
    return browser


def alternative_texts(document):
    """The /Alt of every tagged figure in the PDF."""
    texts = []
    for xref in range(1, document.xref_length()):
        kind, value = document.xref_get_key(xref, "Alt")
        if kind == "string":
            texts.append(value)
    return texts


def assert_drawn_well(data, month, service):
    document = drawn.open_pdf(data)
    assert drawn.layout_problems(document, month.label) == []
    # The checks had charts to look at: the pack's month appears on every one with a month axis.
    boxes = sum(len(drawn.chart_boxes(page)) for page in document)
    assert boxes >= 3
    cover = document[0].get_text()
    assert service in " ".join(cover.split())
    return document


def test_the_demonstration_pack_is_drawn_without_overlaps_or_cut_charts(seed, chromium):
    council = Council.current()
    data = pack_pdf(SEP_23, PackOptions(meeting_date=dt.date(2023, 11, 7)))
    document = assert_drawn_well(data, SEP_23, council.service_name)
    context = pack_context(SEP_23, PackOptions())
    drawable = [c for s in context["sections"] for c in s["charts"] if c["drawn"]]
    # Every drawable chart of every priority is on the paper, and the month at a glance's two.
    assert sum(len(drawn.chart_boxes(page)) for page in document) == len(drawable) + 2
    cover = " ".join(document[0].get_text().split())
    assert council.committee_name in cover and "Meeting: 7 November 2023" in cover
    # The chart's words are the figure's alternative text, not printed under it.
    alts = alternative_texts(document)
    for chart in drawable:
        assert chart["summary"] in alts, chart["id"]
    printed = " ".join(" ".join(page.get_text() for page in document).split())
    assert drawable[0]["summary"] not in printed


def test_devons_pack_is_drawn_without_overlaps_and_names_its_service(devon_set_up, chromium):
    data = pack_pdf(OCT_22, PackOptions(committee=devon.COMMITTEE))
    document = assert_drawn_well(data, OCT_22, devon.SERVICE)
    cover = " ".join(document[0].get_text().split())
    assert devon.COUNCIL in cover and devon.COMMITTEE in cover
    assert "Children's services performance scorecard" not in cover
    # The anticipated range's target wraps inside its column: the words are all there.
    text = " ".join(" ".join(page.get_text() for page in document).split())
    assert "430r to 500r (anticipated range)" in text


def test_a_prioritys_charts_are_shared_evenly_over_its_pages():
    assert [len(group) for group in balanced(list(range(13)), 9)] == [7, 6]
    assert [len(group) for group in balanced(list(range(10)), 9)] == [5, 5]
    assert [len(group) for group in balanced(list(range(9)), 9)] == [9]
    assert balanced([], 9) == []


# Each check fails on a page drawn wrong --------------------------------------------------
# Chart-like boxes as Plotly paints them (a white paper the size of the chart), on a grey page
# so they are visible in a picture of it, with the month axis's labels inside.
def chart(left, top, width, labels=("May-23", "Sep-23")):
    ticks = "".join(
        f'<span style="position:absolute;bottom:4px;left:{20 + 60 * i}px">{label}</span>'
        for i, label in enumerate(labels)
    )
    return (
        f'<div style="position:absolute;left:{left}px;top:{top}px;width:{width}px;height:120px;'
        f'background:#fff;font:10px Arial">{ticks}</div>'
    )


def printed(browser, body, pages=1):
    page = browser.new_page()
    sheets = "".join(
        f'<section style="position:relative;height:680px;break-after:page">{part}</section>'
        for part in (body if isinstance(body, list) else [body])
    )
    page.set_content(
        '<html><body style="margin:0;background:#f3f2f1;font:12px Arial">'
        + sheets
        + "</body></html>"
    )
    data = page.pdf(
        format="A4",
        landscape=True,
        print_background=True,
        margin={"top": "12mm", "bottom": "16mm", "left": "12mm", "right": "12mm"},
    )
    page.close()
    return drawn.open_pdf(data)


def test_a_well_drawn_page_passes_every_check(chromium):
    document = printed(
        chromium,
        chart(0, 40, 320) + chart(340, 40, 320) + '<p style="position:absolute;top:200px">'
        "Children's social care performance</p>",
    )
    assert drawn.layout_problems(document, "Sep-23") == []
    assert len(drawn.chart_boxes(document[0])) == 2


def test_charts_overlapping_are_found(chromium):
    page = printed(chromium, chart(0, 40, 360) + chart(340, 40, 320))[0]
    assert drawn.overlapping_charts(page)
    assert drawn.drawings_crossing_charts(page)


def test_text_over_text_is_found(chromium):
    page = printed(
        chromium,
        '<p style="position:absolute;top:100px;left:0">850 to 1,000 (anticipated range)</p>'
        '<p style="position:absolute;top:103px;left:60px">Red</p>',
    )[0]
    assert drawn.text_over_text(page)


def test_a_chart_past_the_page_edge_is_found(chromium):
    # Inside a box that clips it, as the pack's cut charts were: Chromium does not shrink the
    # page to fit, and the clip hides the chart's end on paper (not from PyMuPDF).
    page = printed(
        chromium,
        '<div style="position:absolute;inset:0;overflow:hidden">'
        + chart(0, 40, 320)
        + chart(800, 40, 320)
        + "</div>",
    )[0]
    assert drawn.off_the_page(page)


def test_a_chart_missing_the_latest_month_is_found(chromium):
    page = printed(chromium, chart(0, 40, 320, labels=("Jan-23", "Jul-23")))[0]
    assert drawn.charts_without_month(page, "Sep-23")
    assert not drawn.charts_without_month(page, "Jul-23")


def test_a_lone_chart_after_a_page_of_charts_is_found(chromium):
    document = printed(chromium, [chart(0, 40, 320) + chart(340, 40, 320), chart(0, 40, 320)])
    assert len(document) == 2
    assert drawn.lone_charts(document)
