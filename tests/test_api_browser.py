"""The API's documentation page and the account's tokens page as a person uses them, in
Chromium under the site's content security policy."""

import pytest

from indicators import roles

from .support.axe import BLOCKING, audit, describe
from .support.browser import PASSWORD, sign_in
from .support.factories import make_user

pytestmark = pytest.mark.browser


def _errors(page):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def test_the_api_documentation_draws_every_endpoint_under_the_csp(page, live_server, seed):
    make_user("councillor", roles.VIEWER, PASSWORD)
    errors = _errors(page)
    sign_in(page, live_server, "councillor")
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector(".opblock", timeout=15000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/figures/" in " ".join(paths), paths
    assert not [e for e in errors if "Content Security Policy" in e], errors
    assert not errors, errors


def test_a_person_makes_and_revokes_a_token_on_their_account(page, live_server, seed):
    make_user("advisor", roles.EDITOR, PASSWORD)
    errors = _errors(page)
    sign_in(page, live_server, "advisor")
    page.goto(f"{live_server.url}/accounts/")
    page.get_by_role("link", name="make or revoke your API tokens").click()
    page.get_by_label("Name").fill("Power BI")
    page.get_by_role("button", name="Make token").click()
    shown = page.locator("#new-token").inner_text()
    assert len(shown) > 20
    blocking = [v for v in audit(page) if v["impact"] in BLOCKING]
    assert not blocking, describe("API tokens", page.url, blocking)
    page.get_by_role("button", name="Revoke").first.click()
    assert page.get_by_text("revoked", exact=False).first.is_visible()
    assert not errors, errors
