"""Sign-in throttling across usernames and addresses (accounts/throttling.py, decision 0010):
30 failures from one address lock that address whatever the username, 10 failures for one
username lock it from every address, an office with a few failures among its staff is not
locked, and the pair limit of 5 still holds. Real sign-ins through the sign-in page, counted
by django-axes in the test database."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from indicators import roles

from .support.factories import make_user

PASSWORD = "a-long-test-password"
OFFICE = "192.0.2.10"


def sign_in(username, password, address):
    return Client().post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def words(response):
    return " ".join(response.text.split())


@pytest.fixture
def councillor(db):
    return make_user("councillor", roles.VIEWER, PASSWORD)


@pytest.fixture
def advisor(db):
    return make_user("advisor", roles.EDITOR, PASSWORD)


def test_thirty_usernames_tried_from_one_address_lock_that_address(councillor):
    for number in range(29):
        assert sign_in(f"guess{number}", "wrong-password", OFFICE).status_code == 200
    # The thirtieth failure locks the address.
    assert sign_in("guess29", "wrong-password", OFFICE).status_code == 429

    # Even the right password of a user who never failed is refused from there...
    refused = sign_in("councillor", PASSWORD, OFFICE)
    assert refused.status_code == 429
    assert "too many unsuccessful attempts to sign in from this network address" in words(refused)
    assert "signing in from this address is locked for 1 hour" in words(refused)
    # ...and accepted from anywhere else.
    assert sign_in("councillor", PASSWORD, "198.51.100.4").status_code == 302

    # axes' own unlocking of an address lifts it.
    call_command("axes_reset_ip", OFFICE)
    assert sign_in("councillor", PASSWORD, OFFICE).status_code == 302


def test_one_username_tried_from_ten_addresses_is_locked_everywhere(councillor, advisor):
    addresses = [f"203.0.113.{n}" for n in range(1, 11)]
    for address in addresses[:-1]:
        assert sign_in("councillor", "wrong-password", address).status_code == 200
    assert sign_in("councillor", "wrong-password", addresses[-1]).status_code == 429

    refused = sign_in("councillor", PASSWORD, "198.51.100.4")  # a new address: still locked
    assert refused.status_code == 429
    assert "attempts to sign in as councillor, from different places" in words(refused)
    # Nobody else is affected, at any of those addresses.
    assert sign_in("advisor", PASSWORD, addresses[0]).status_code == 302

    call_command("axes_reset_username", "councillor")
    assert sign_in("councillor", PASSWORD, "198.51.100.4").status_code == 302


def test_the_limits_are_the_documented_defaults(settings):
    assert (settings.SIGN_IN_LIMIT_PER_ADDRESS, settings.SIGN_IN_LIMIT_PER_USERNAME) == (30, 10)
    assert settings.AXES_FAILURE_LIMIT == 5


def test_an_office_whose_staff_mistype_a_few_times_is_not_locked(db):
    staff = [make_user(f"officer{n}", roles.EDITOR, PASSWORD) for n in range(12)]
    # 24 failures from the office's one address, two for each person: under every limit.
    for user in staff:
        for _ in range(2):
            assert sign_in(user.username, "wrong-password", OFFICE).status_code == 200
    for user in staff:
        assert sign_in(user.username, PASSWORD, OFFICE).status_code == 302


def test_five_failures_for_one_username_from_one_address_still_lock_that_pair(councillor, advisor):
    for _ in range(4):
        assert sign_in("councillor", "wrong-password", OFFICE).status_code == 200
    assert sign_in("councillor", "wrong-password", OFFICE).status_code == 429
    refused = sign_in("councillor", PASSWORD, OFFICE)
    assert refused.status_code == 429
    assert "There have been 5 unsuccessful attempts to sign in as councillor" in words(refused)
    # The pair only: the user elsewhere, and others at the office, are unaffected.
    assert sign_in("councillor", PASSWORD, "198.51.100.4").status_code == 302
    assert sign_in("advisor", PASSWORD, OFFICE).status_code == 302


def test_signing_in_to_ones_own_account_does_not_clear_an_addresss_count(councillor):
    """An attacker with an account of their own cannot reset the address's count by using it:
    a success clears only its own username's failures from that address."""
    for number in range(28):
        sign_in(f"guess{number}", "wrong-password", OFFICE)
    assert sign_in("councillor", PASSWORD, OFFICE).status_code == 302
    sign_in("guess28", "wrong-password", OFFICE)
    assert sign_in("guess29", "wrong-password", OFFICE).status_code == 429
