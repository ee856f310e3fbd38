"""No address a user can type answers 500: every route in the URLconf, the admin's included,
is walked with out-of-range values in its path and its query string (months before 2000 or
after next month, quarters no year has, page numbers, ids too big for the database, paths that
climb out). Each must answer 404, a clear 400, a redirect, or the page itself."""

import pytest
from django.test import Client
from django.urls import NoReverseMatch, get_resolver, reverse

from indicators import roles

from .support.factories import make_user
from .support.routes import LATER, PATH_VALUES, named_routes

QUERIES = [
    "",
    "?period=1900-01",
    f"?period={LATER}",
    "?period=../../admin",
    # The other parameters, each out of range at once (none of them stops the page early).
    "?page=-1&per_page=0&priority=abc&meeting_date=0000-00-00&month=1900-01"
    "&changed_in=9999-99&person=abc&indicator=abc",
    "?page=99999999999999999999&per_page=-1&priority=99999999999999999999"
    "&person=99999999999999999999&indicator=99999999999999999999&committee=" + "x" * 500,
    "?page=abc&per_page=100000000&priority=0&month=x&changed_in=2023-09",
    # A NUL reaches PostgreSQL as a query parameter it refuses (a 500 there, not on SQLite).
    "?period=%00&page=%00&priority=%00&month=%00&changed_in=%00&person=%00&indicator=%00",
]
# The admin's own query strings (search, filters, ordering) are Django's to answer; its
# routes are walked with the path values and these.
ADMIN_QUERIES = ["", "?o=99999", "?p=-1", "?period__gte=1900-01-01", "?q=%00"]


def _addresses():
    for name, arguments in named_routes(get_resolver()):
        combinations = [{}]
        for argument in arguments:
            values = PATH_VALUES.get(argument)
            if values is None:
                pytest.fail(f"the walk has no values for <{argument}> in {name}: add some")
            combinations = [{**c, argument: v} for c in combinations for v in values]
        for kwargs in combinations:
            try:
                url = reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue  # the converter refuses it: the address cannot be typed
            yield name, url


@pytest.fixture
def clients(seed):
    superuser = make_user("root")
    superuser.is_staff = superuser.is_superuser = True
    superuser.save()
    users = {"viewer": make_user("councillor", roles.VIEWER), "administrator": superuser}
    result = {}
    for label, user in users.items():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        result[label] = client
    return result


def test_no_address_answers_500(clients):
    failures, walked = [], 0
    for name, url in _addresses():
        admin = name.startswith("admin:")
        if name in ("logout", "admin:logout"):
            continue  # a GET to a sign-out is refused (405) and would end the session anyway
        for query in ADMIN_QUERIES if admin else QUERIES:
            for label, client in clients.items():
                if admin and label == "viewer":
                    continue
                response = client.get(url + query)
                walked += 1
                if response.status_code >= 500:
                    failures.append(f"{label} GET {url}{query}: {response.status_code}")
    assert walked > 400
    assert failures == []


@pytest.mark.parametrize(
    "url",
    [
        "/?period=1900-01",
        "/quarters/0000-01-q1/",
        "/entry/1900-01/",
        "/entry/?period=../../admin",
        # Since the last committee: a month out of range or not a month at all.
        "/since-committee/?period=1900-01",
        "/since-committee/?period=2023-13",
        "/since-committee/?period=%00",
        f"/since-committee/?period={LATER}",
        # A NUL in the path: no converter lets one through to the database (PostgreSQL
        # refuses it in a query parameter).
        "/indicators/%00/",
        "/indicators/7%00/history.csv",
        "/quarters/%00/",
        "/entry/%00/",
    ],
)
def test_the_issues_addresses_are_not_found(clients, url):
    assert clients["administrator"].get(url).status_code == 404


def test_a_month_out_of_range_says_so_for_a_page(clients):
    response = clients["viewer"].get("/export/scorecard.csv?period=1900-01")
    assert response.status_code == 404
