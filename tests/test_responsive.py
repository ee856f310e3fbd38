"""A phone, a printer and charts drawn as they come into view, in a real browser.

At 390 px (an iPhone 12-15's width) no page scrolls sideways: a wide table scrolls in its own
named, focusable box with its indicator column kept in view. Printing leaves out navigation,
forms, buttons and link addresses. Charts below the fold are drawn only when scrolled to; the
chart toolbar sits above the plot, never on it; a chart that cannot be drawn says so and keeps
its text alternative.
"""

import pytest

from indicators import roles
from indicators.models import Priority
from intake.quarterly_seed import load_quarterly_seed

from .support.browser import PASSWORD, PHONE, WAIT_MS, sign_in
from .support.factories import make_indicator, make_user, make_values

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEP = "2023-09"
PAGES = {
    "dashboard": f"/?period={SEP}",
    "priority page": f"/priorities/3/?period={SEP}",
    "indicator page": "/indicators/26/",
    "quarterly report": "/quarters/2023-24-q2/",
    "entry months": "/entry/",
    "entry grid": f"/entry/{SEP}/",
    "milestones form": f"/entry/{SEP}/milestones/6/",
    "import upload": "/import/",
}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="en-GB", has_touch=True)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def advisor(seed):
    load_quarterly_seed()
    return make_user("advisor", roles.EDITOR, PASSWORD)


def draw_every_chart(page):
    if page.locator("[data-chart]").count():
        page.evaluate("window.scorecardCharts.draw()")


def test_no_page_scrolls_sideways_on_a_phone(phone, live_server, advisor):
    sign_in(phone, live_server, "advisor")
    widths = {}
    for name, url in PAGES.items():
        phone.goto(f"{live_server.url}{url}")
        phone.wait_for_load_state("load")
        draw_every_chart(phone)  # a drawn chart must fit too
        widths[name] = phone.evaluate("document.documentElement.scrollWidth")
    assert widths == dict.fromkeys(PAGES, PHONE["width"])


def test_a_wide_table_scrolls_in_its_own_box_with_the_indicator_kept_in_view(
    phone, live_server, advisor
):
    sign_in(phone, live_server, "advisor")
    # The priority page's headline measures are cards on a phone (the phone layout):
    # each keeps its name, latest figure, target, RAG and direction in view, no scrolling.
    phone.goto(f"{live_server.url}/priorities/3/?period={SEP}")
    cards = phone.get_by_role("list", name="Headline performance measures")
    assert cards.is_visible()
    assert cards.get_by_role("listitem").count() == 7
    assert not phone.get_by_role("region", name="Headline performance measures").is_visible()
    # A wide table still scrolls in its own box with its row's name kept: the entry grid.
    phone.goto(f"{live_server.url}/entry/{SEP}/")
    box = phone.get_by_role("region", name="3. Robust and effective social work practice")
    assert box.get_attribute("tabindex") == "0"  # a keyboard can reach it and scroll it
    sizes = box.evaluate("b => [b.scrollWidth, b.clientWidth]")
    assert sizes[0] > sizes[1], sizes  # wider than the screen: it scrolls, not the page

    first = box.locator("tbody tr").first.locator("th")  # the indicator's ID
    before = first.bounding_box()["x"]
    last = box.locator("tbody tr").first.locator("td").last
    assert last.bounding_box()["x"] > PHONE["width"]  # off to the right, for now
    box.evaluate("b => { b.scrollLeft = b.scrollWidth }")  # to the far end
    assert box.evaluate("b => b.scrollLeft") > 300
    assert first.bounding_box()["x"] == pytest.approx(before, abs=1)  # kept in view
    # ...while the other columns moved along under it.
    edge = last.bounding_box()
    assert edge["x"] + edge["width"] <= PHONE["width"]

    # The keyboard: focus the box, press the right arrow, it scrolls.
    box.evaluate("b => { b.scrollLeft = 0 }")
    box.focus()
    phone.keyboard.press("ArrowRight")
    phone.wait_for_function(
        "() => document.activeElement.scrollLeft > 0", polling=100, timeout=5000
    )

    # The quarterly report keeps the indicator's name, not its reference number: once the
    # reference column has scrolled away, the name sits at the box's left edge.
    phone.goto(f"{live_server.url}/quarters/2023-24-q2/")
    box = phone.get_by_role("region", name="1.1 Referrals & re-referrals")
    name = box.locator("th.quarterly-table__name").first
    assert name.bounding_box()["x"] > box.bounding_box()["x"] + 10  # after the Ref column
    box.evaluate("b => { b.scrollLeft = 250 }")
    assert box.evaluate("b => b.scrollLeft") == 250
    assert name.bounding_box()["x"] == pytest.approx(box.bounding_box()["x"], abs=1)


def visible(page, selector):
    """How many elements matching ``selector`` are shown."""
    return page.evaluate(
        "s => [...document.querySelectorAll(s)].filter(e => e.checkVisibility()).length",
        selector,
    )


def test_printing_leaves_out_navigation_forms_and_link_addresses(page, live_server, advisor):
    sign_in(page, live_server, "advisor")
    for url in (PAGES["dashboard"], PAGES["priority page"], PAGES["entry grid"]):
        page.goto(f"{live_server.url}{url}")
        page.emulate_media(media="screen")
        assert visible(page, ".govuk-service-navigation") == 1
        assert visible(page, "form") > 0 and visible(page, "button") > 0
        page.emulate_media(media="print")
        hidden = ".govuk-service-navigation, .govuk-breadcrumbs, form, button, select, input"
        assert visible(page, hidden) == 0, url
        # GOV.UK's print styles add " (/indicators/26/)" after a link; ours take it away.
        link = page.locator("main a.govuk-link[href^='/']").first
        after = link.evaluate("a => getComputedStyle(a, '::after').content")
        assert after in ("none", "normal"), (url, after)
        assert page.locator("h1").is_visible()  # the page itself still prints
    # The priority page prints its key open and its tables whole.
    page.goto(f"{live_server.url}{PAGES['priority page']}")
    page.emulate_media(media="print")
    assert page.locator(".key-table").first.is_visible()
    box = page.get_by_role("region", name="Headline performance measures")
    assert box.evaluate("b => getComputedStyle(b).overflowX") == "visible"


def test_charts_below_the_fold_are_drawn_only_when_scrolled_to(page, live_server, advisor):
    # 30 months of figures: a history chart and, further down, an XmR chart.
    long = make_indicator("990", Priority.objects.get(number=1))
    make_values(long, "2021-01", [40 + (n % 7) for n in range(30)])
    sign_in(page, live_server, "advisor")
    page.goto(f"{live_server.url}/indicators/990/")
    # The history chart is on the first screen: it is drawn without scrolling.
    page.wait_for_selector("#chart-history[data-drawn='true']")
    xmr = page.locator("[data-chart]").last
    assert xmr.get_attribute("id") != "chart-history"
    page.wait_for_timeout(500)  # time enough for it to have been drawn, were it drawn at load
    assert xmr.get_attribute("data-drawn") is None
    xmr.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => document.querySelectorAll('[data-chart]')[1].dataset.drawn === 'true'"
    )

    # The priority page: charts are at its end, none drawn until scrolled to, then each.
    page.goto(f"{live_server.url}/priorities/3/?period={SEP}")
    page.wait_for_function("() => window.Plotly !== undefined")
    page.wait_for_timeout(500)
    charts = page.locator("[data-chart]")
    assert charts.count() == 7
    assert page.locator("[data-chart][data-drawn]").count() == 0
    charts.last.scroll_into_view_if_needed()
    page.wait_for_selector(f"#{charts.last.get_attribute('id')}[data-drawn='true']")
    assert 0 < page.locator("[data-chart][data-drawn='true']").count() < 7
    # The PDF pack's way: everything, at once.
    page.evaluate("window.scorecardCharts.draw()")
    assert page.locator("[data-chart][data-drawn='true']").count() == 7


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 900}])
def test_the_chart_toolbar_sits_above_the_plot(browser, live_server, advisor, viewport):
    context = browser.new_context(viewport=viewport, locale="en-GB")
    page = context.new_page()
    try:
        sign_in(page, live_server, "advisor")
        page.goto(f"{live_server.url}/priorities/3/?period={SEP}")
        chart = page.locator("#chart-26")
        chart.scroll_into_view_if_needed()
        page.wait_for_selector("#chart-26[data-drawn='true']")
        chart.hover()
        toolbar = chart.locator(".modebar")
        toolbar.wait_for(state="visible")
        page.wait_for_function(
            "() => getComputedStyle(document.querySelector('#chart-26 .modebar')).opacity === '1'"
        )
        bar = toolbar.bounding_box()
        plot = chart.locator(".nsewdrag").first.bounding_box()  # the plotting area
        assert bar["height"] > 0
        assert bar["y"] + bar["height"] <= plot["y"], (bar, plot)
    finally:
        context.close()


def test_a_chart_that_cannot_be_drawn_keeps_its_text_alternative(page, live_server, advisor):
    # plotly.js cannot be had (a proxy blocks it, the file is missing).
    page.route("**/plotly-basic.min.js", lambda route: route.abort())
    sign_in(page, live_server, "advisor")
    page.goto(f"{live_server.url}/indicators/7/")
    page.wait_for_selector("#chart-history[data-drawn='failed']")
    chart = page.locator("#chart-history")
    assert chart.get_by_text("The chart could not be drawn").is_visible()
    caption = page.locator("#chart-history-caption")
    assert caption.is_visible()
    assert caption.inner_text().startswith("Line chart of")
    # The pack's way rejects, so a PDF never goes out with a chart missing.
    failed = page.evaluate("window.scorecardCharts.draw().then(() => 'drawn', e => e.message)")
    assert failed != "drawn"
    # The rest of the page is all there.
    assert page.get_by_role("table").first.is_visible()
