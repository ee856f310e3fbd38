"""axe-core on the password pages (tests/test_accessibility.py has the rest), in a real
browser with the real CSP: changing one's password (with and without errors), and choosing
a new one from an administrator's one-time link (valid and spent)."""

import pytest

from accounts.reset import reset_link
from indicators import roles

from .support.axe import BLOCKING, audit, describe
from .support.browser import PASSWORD, sign_in
from .support.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NEW_PASSWORD = "a-brand-new-password-77"


class LiveRequest:
    """Enough of a request for ``reset_link`` to build the live server's address."""

    def __init__(self, live_server):
        self.base = live_server.url

    def build_absolute_uri(self, path):
        return f"{self.base}{path}"


def test_the_password_pages_have_no_serious_or_critical_axe_violations(page, live_server, seed):
    user = make_user("councillor", roles.VIEWER, PASSWORD)
    found = {}

    def check(name):
        page.wait_for_load_state("load")
        found[name] = (page.url, audit(page))

    sign_in(page, live_server, "councillor")
    page.get_by_role("link", name="Change password").click()
    check("change password")
    page.get_by_role("button", name="Change password").click()
    assert page.get_by_text("There is a problem").is_visible()
    check("change password, with errors")
    page.get_by_label("Old password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    assert page.get_by_role("heading", name="Password changed").is_visible()
    check("password changed")

    page.get_by_role("button", name="Sign out councillor").click()
    page.wait_for_url("**/accounts/login/")
    user.refresh_from_db()  # the token is made from the password now in force
    link = reset_link(LiveRequest(live_server), user)
    page.goto(link)
    assert page.get_by_role("heading", name="Choose a new password").is_visible()
    check("choose a new password")
    page.get_by_label("New password", exact=True).fill("another-new-password-88")
    page.get_by_label("New password confirmation").fill("another-new-password-88")
    page.get_by_role("button", name="Save new password").click()
    assert page.get_by_role("heading", name="Password saved").is_visible()
    check("password saved")
    page.goto(link)
    assert page.get_by_role("heading", name="This link has expired").is_visible()
    check("link expired")

    report = [describe(name, url, v) for name, (url, v) in found.items() if v]
    if report:
        print("\naxe findings (all impacts):\n" + "\n".join(report))
    failures = [
        describe(name, url, [v for v in violations if v["impact"] in BLOCKING])
        for name, (url, violations) in found.items()
        if any(v["impact"] in BLOCKING for v in violations)
    ]
    assert not failures, "serious or critical accessibility violations:\n" + "\n".join(failures)
