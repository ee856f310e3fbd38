"""The page creating a council (/councils/new/), as Chromium draws it at 1366, 1024 and 390 px:
empty, with its mistakes said, and the council created with its invitation link; and the
set-up page and the dashboard with the menu's Consortia link. Each is measured as
tests/test_layout.py measures every page, and audited with axe as
tests/test_accessibility.py audits every page. ``LAYOUT_SCREENSHOTS=<folder>`` also saves
each as a PNG."""

import os
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model

from indicators.models import Council

from .support.axe import BLOCKING, audit, describe
from .support.browser import PASSWORD, sign_in
from .support.consortia import join_a_consortium
from .support.layout import WIDTHS, measure, report, screenshots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_new_council_pages_fit_every_width_and_pass_axe(browser, live_server, seed, settings):
    council = Council.objects.get()
    settings.ALLOWED_HOSTS = [
        urlsplit(live_server.url).hostname,
        "devon-county-council.scorecard.example",
    ]
    get_user_model().objects.create_superuser("admin", password=PASSWORD)
    join_a_consortium()
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
    context.set_default_timeout(20000)
    page = context.new_page()
    folder = os.environ.get("LAYOUT_SCREENSHOTS")
    found, violations = {}, {}

    def check(name, width):
        problems = measure(page, width)
        if problems:
            found[f"{name} at {width}px"] = problems
        if width == WIDTHS[0]:
            violations[name] = (page.url, audit(page))
        if folder:
            slug = "".join(c if c.isalnum() else "-" for c in name)
            screenshots(page, f"{folder}/new-council-{slug}-{width}", width)

    try:
        sign_in(page, live_server, "admin")
        # The only council, with no host name yet: the page warns of it.
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{live_server.url}/councils/new/")
            assert "has no host name" in page.content()
            check("create a council, one with no host name", width)
        # The demonstration council answers at the live server's host, the new one at its own.
        council.host = urlsplit(live_server.url).hostname
        council.save()
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{live_server.url}/?period=2023-09")
            check("dashboard with the Consortia link", width)
            menu = page.get_by_role("button", name="Menu")
            if menu.is_visible():  # a phone: the menu opens on a button
                menu.click()
                if folder:
                    page.screenshot(path=f"{folder}/new-council-menu-open-{width}.png")
            assert page.get_by_role("link", name="Consortia", exact=True).is_visible()
            page.goto(f"{live_server.url}/setup/")
            check("set-up with the link to create a council", width)
            page.goto(f"{live_server.url}/councils/new/")
            check("create a council", width)
            page.get_by_label("Name", exact=True).fill("Devon County Council")
            page.get_by_label("Short name").fill("Devon County")
            page.get_by_label("Host name").fill("https://devon.example/")
            page.get_by_label("First administrator's username").fill(f"devon-admin-{width}")
            page.get_by_role("button", name="Create the council").click()
            page.wait_for_load_state("load")
            assert "There is a problem" in page.content()
            check("create a council, its mistakes", width)
            page.get_by_label("Short name").fill(f"devon-{width}")
            host = f"devon-{width}.scorecard.example"
            page.get_by_label("Host name").fill(host)
            page.get_by_role("button", name="Create the council").click()
            page.wait_for_load_state("load")
            assert "Devon County Council is created" in page.content()
            check("council created", width)
    finally:
        context.close()
    assert found == {}, report(found)
    blocking = [
        describe(name, url, [v for v in found_ if v["impact"] in BLOCKING])
        for name, (url, found_) in violations.items()
        if any(v["impact"] in BLOCKING for v in found_)
    ]
    assert not blocking, "\n".join(blocking)
