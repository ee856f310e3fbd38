"""Month end in a real browser (issue 22): an advisor picks October 2023 from the month picker
on /entry/, follows a checklist link from the publishing page to the row, fixes it and
publishes; the figure box holds the forms the paper writes without cutting them off."""

import re
from decimal import Decimal

import pytest

from indicators import roles
from indicators.models import Commentary, Indicator, PublishedMonth, Value

from .support.browser import PASSWORD, PHONE, sign_in
from .support.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: What a figure's box must show whole: the paper's own forms.
PAPER_FORMS = ("12.5% (5/40)", "56.4% (102/181)", "7.4% (15/204)", "Not available")


def fits(box):
    """Whether the box shows all of its text (nothing scrolled out of view)."""
    return box.evaluate("el => el.scrollWidth <= el.clientWidth")


def test_an_advisor_picks_october_follows_a_checklist_link_to_the_row_fixes_it_and_publishes(
    page, live_server, seed
):
    make_user("advisor", roles.EDITOR, PASSWORD)
    seven = Indicator.objects.get(reference="7")
    Value.objects.create(indicator=seven, period="2023-10-01", value=Decimal("61.0"))
    sign_in(page, live_server, "advisor")

    page.goto(f"{live_server.url}/entry/")
    picker = page.get_by_label("Month", exact=True)
    assert picker.input_value() == "2023-10"  # the month being entered
    picker.select_option(label="October 2023 (next to enter)")
    page.get_by_role("button", name="Enter figures for this month").click()
    page.wait_for_url("**/entry/2023-10/")
    assert page.get_by_role("heading", name="Figures for October 2023").is_visible()
    value = page.get_by_label("ID 7 value")
    assert value.input_value() == "61.0%"  # the saved figure with its unit

    page.get_by_role("button", name="Save and go to publishing").click()
    page.wait_for_url("**/entry/2023-10/publish/")
    red = page.locator(".checklist-red")
    assert "ID 7 Percentage of MASH Contact decisions" in red.inner_text()
    red.get_by_role("link", name="ID 7 Percentage of MASH Contact decisions").click()
    page.wait_for_url("**/entry/2023-10/#row-7")
    row = page.locator("#row-7")
    assert row.evaluate("el => el.matches(':target')")
    assert row.is_visible() and row.bounding_box()["y"] < page.viewport_size["height"]

    page.get_by_label("ID 7 commentary").fill("Contacts recorded late after the system change.")
    page.get_by_role("button", name="Save and go to publishing").click()
    # (The browser keeps the row's #row-7 through the redirect: harmless on this page.)
    page.wait_for_url(re.compile(r"/entry/2023-10/publish/(#row-7)?$"))
    assert page.locator(".checklist-red").count() == 0  # fixed: no longer on the checklist
    page.get_by_label("I have seen what October 2023 still lacks").check()
    page.get_by_role("button", name="Publish Oct-23").click()
    page.wait_for_url(re.compile(r"/entry/2023-10/(#row-7)?$"))
    assert "October 2023 is published" in page.locator(".govuk-notification-banner").inner_text()

    published = PublishedMonth.objects.get(period="2023-10-01")
    assert published.published_by.username == "advisor"
    text = Commentary.objects.get(indicator=seven, period="2023-10-01").text
    assert text == "Contacts recorded late after the system change."


@pytest.mark.parametrize("width", [1366, 1024, PHONE["width"]])
def test_the_figure_box_holds_the_forms_the_paper_writes(page, live_server, seed, width):
    make_user("advisor", roles.EDITOR, PASSWORD)
    sign_in(page, live_server, "advisor")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/entry/2023-10/")
    box = page.get_by_label("ID 7 value")
    for text in PAPER_FORMS:
        box.fill(text)
        assert fits(box), f"{text!r} is cut off at {width}px"
    # and the grid still needs no sideways scroll from 1024 px up
    if width >= 1024:
        scrolls = page.evaluate(
            "[...document.querySelectorAll('.table-container')]"
            ".filter(el => el.scrollWidth > el.clientWidth + 1).length"
        )
        assert scrolls == 0
