"""Issue 12's "done when", in a real browser: the demonstration administrator (load_demo's
``admin``, not a superuser) opens every admin model, unlocks a locked-out user, and can
neither see nor set the superuser switch, even by adding it to the form in the page."""

import io

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command

from indicators.models import Council
from intake.management.commands.load_demo import DEMO_USERS

from .support.admin_rows import give_later_models_a_row
from .support.lait import import_extract
from .support.tasks import a_queued_task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORDS = {username: password for username, _, password in DEMO_USERS}


def sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")


def test_the_demo_administrator_opens_every_model_unlocks_a_user_and_cannot_become_superuser(
    browser, page, live_server
):
    call_command("load_demo", stdout=io.StringIO())
    import_extract()  # DfE's benchmarks, so each LAIT list has a row to open
    a_queued_task()  # and the task results' list
    give_later_models_a_row("advisor")  # reminders, the outbox, API tokens, priority limits
    User = get_user_model()
    assert not User.objects.get(username="admin").is_superuser
    assert not User.objects.filter(is_superuser=True).exists()

    # A councillor mistypes their password five times, in their own browser.
    councillor_context = browser.new_context(locale="en-GB")
    councillor = councillor_context.new_page()
    for _ in range(5):
        sign_in(councillor, live_server, "councillor", "not-my-password")
    sign_in(councillor, live_server, "councillor", PASSWORDS["councillor"])
    assert councillor.get_by_role("heading", name="Sign-in locked").is_visible()

    # The administrator signs in and walks every model from the admin's index.
    sign_in(page, live_server, "admin", PASSWORDS["admin"])
    page.get_by_role("link", name="Administration").click()
    page.wait_for_url("**/admin/")
    links = page.locator("#content-main tr[class^='model-'] th a")
    listed = {links.nth(i).get_attribute("href") for i in range(links.count())}
    expected = {
        f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for model in admin.site._registry
    }
    assert listed == expected

    for url in sorted(listed):
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
        if url == "/admin/indicators/council/":
            # The council's list goes straight to the page of the address's council.
            council = Council.objects.get().pk
            assert page.url.endswith(f"/admin/indicators/council/{council}/change/"), page.url
            assert page.locator("#council_form").count() == 1
            continue
        assert page.locator("#changelist").count() == 1, url
        first = page.locator("#result_list tbody tr").first.locator("th a")
        assert first.count() == 1, f"{url} has no row to open"
        with page.expect_navigation() as opened:
            first.click()
        assert opened.value.status == 200, url
        assert page.locator("#content-main form, #content-main fieldset").count() >= 1, url

    # Unlock the councillor from the sign-in lockouts.
    page.goto(f"{live_server.url}/admin/axes/accessattempt/?locked_out=yes")
    row = page.locator("#result_list tbody tr", has_text="councillor")
    assert row.get_by_text("Locked Out").is_visible()
    row.locator("input.action-select").check()
    page.locator("select[name='action']").select_option("unlock")
    page.get_by_role("button", name="Run").or_(page.get_by_role("button", name="Go")).click()
    page.wait_for_load_state("load")
    assert page.get_by_text("Unlocked councillor from 127.0.0.1.").is_visible()

    sign_in(councillor, live_server, "councillor", PASSWORDS["councillor"])
    assert councillor.url == f"{live_server.url}/"
    assert councillor.get_by_role("heading", name="Improvement priorities").is_visible()
    councillor_context.close()

    # No superuser switch on their own user page, nor anyone else's.
    for username in ("admin", "councillor"):
        page.goto(f"{live_server.url}/admin/auth/user/")
        page.locator("#result_list").get_by_role("link", name=username, exact=True).click()
        page.wait_for_load_state("load")
        assert page.get_by_role("radio", name="Administrator", exact=False).count() == 1
        assert page.locator("[name='is_superuser'], [name='is_staff']").count() == 0
        assert page.get_by_text("Superuser status").count() == 0
        assert page.locator("[name='groups'], [name='user_permissions']").count() == 0

    # Adding the switch to the form by hand and saving changes nothing.
    page.evaluate(
        """() => {
            const form = document.querySelector('#user_form')
            for (const name of ['is_superuser', 'is_staff']) {
                const box = document.createElement('input')
                box.type = 'checkbox'; box.name = name; box.checked = true
                form.appendChild(box)
            }
        }"""
    )
    page.locator("input[name='_save']").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("was changed successfully").is_visible()
    councillor_user = User.objects.get(username="councillor")
    assert not councillor_user.is_superuser and not councillor_user.is_staff
    assert not User.objects.filter(is_superuser=True).exists()
