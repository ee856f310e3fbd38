"""A consortium (issue 23, part 4): members compare what they chose to share, and nothing else.

The attack: an analyst of the consortium, and each member's viewer, walk every consortium
route (the page, its CSV, XLSX and PDF, with and without a month) and no response holds an
indicator a member did not share, a figure of a month before the one it shared from, a draft
month's figure, commentary a member did not share, or anything of a council that is not a
member. A non-member council's people get a 404. Matching is by shared definition, never by
name; suppression is applied; rank, median and quartiles are pure and tabled below.
"""

import io
from decimal import Decimal

import fitz
import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from indicators import rules
from indicators.consortium import Choice, Definition, agreed_polarity, matched, ranks, spread
from indicators.models import SharedIndicator
from indicators.tenancy import council_scope
from scorecard.consortium_queries import load_comparison

from .support.consortia import (
    HOSTS,
    SECRETS,
    SEP_23,
    SHARED_COMMENTARY,
    consortium_urls,
    make_consortium,
)

H, L, N = rules.HIGHER_IS_BETTER, rules.LOWER_IS_BETTER, rules.NEITHER


@pytest.fixture
def alliance(db, settings):
    settings.ALLOWED_HOSTS = [*HOSTS.values(), "testserver"]
    return make_consortium()


def _text(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "pdf" in kind:
        with fitz.open(stream=body, filetype="pdf") as document:
            return "\n".join(page.get_text() for page in document)
    if "spreadsheetml" in kind:
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        cells = (c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row)
        return "\n".join(str(cell) for cell in cells if cell is not None)
    return body.decode("utf-8", "replace").replace("&#x27;", "'").replace("&amp;", "&")


def _walk(client):
    texts = {}
    for url in consortium_urls("south-west"):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        texts[url] = _text(response)
    return texts


@pytest.mark.parametrize(
    ("who", "host"),
    [("analyst", "north.example"), ("analyst", "west.example"), ("north_viewer", "north.example")],
)
def test_only_what_was_shared_is_seen_on_every_route(alliance, who, host):
    client = Client(HTTP_HOST=host)
    client.force_login(alliance[who])
    texts = _walk(client)
    leaks = [
        f"{url}: {name}"
        for url, text in texts.items()
        for name, secret in SECRETS.items()
        if secret in text
    ]
    assert leaks == []
    page = texts[f"/consortia/south-west/?period={SEP_23.iso}"]
    pdf = texts[f"/consortia/south-west/comparison.pdf?period={SEP_23.iso}"]
    for text in (page, pdf, texts[f"/consortia/south-west/comparison.csv?period={SEP_23.iso}"]):
        assert "Northshire Council" in text and "Southshire Council" in text
        assert "18.5%" in text and "23.4%" in text  # the shared, published figures
        assert SHARED_COMMENTARY in text  # shared by its council's choice
        assert "21.5%" in text  # England's latest year, where matched by a LAIT measure
    assert "x" in pdf


def test_a_non_member_councils_people_and_strangers_get_a_404(alliance, django_user_model):
    west = Client(HTTP_HOST="west.example")
    west.force_login(alliance["west_viewer"])
    nobody = Client(HTTP_HOST="north.example")
    nobody.force_login(django_user_model.objects.create_user("nobody", password="x" * 20))
    # A member's viewer at another council's address holds no role there.
    elsewhere = Client(HTTP_HOST="west.example")
    elsewhere.force_login(alliance["north_viewer"])
    for client in (west, nobody, elsewhere):
        for url in consortium_urls("south-west")[1:]:
            assert client.get(url).status_code == 404, url
        assert "South West Alliance" not in client.get("/consortia/").text
    assert Client(HTTP_HOST="north.example").get("/consortia/south-west/").status_code == 302


def test_matching_is_by_definition_never_by_name(alliance):
    comparison = load_comparison(alliance["consortium"], SEP_23)
    by_code = {m.definition.code: m for m in comparison.measures}
    # Both re-referral indicators, differently named, under DfE's measure.
    rereferrals = by_code["ReReferral"]
    assert [f.row.indicator.reference for f in rereferrals.figures] == ["10", "A1"]
    # "Child protection visits" at both, defined differently: two measures, one member each.
    for code, reference in (("cp-visits", "20"), ("cp-visits-10-days", "A3")):
        shared = [f.row.indicator.reference for f in by_code[code].figures if f.row]
        assert shared == [reference]


def test_suppression_rank_and_spread_on_the_page(alliance):
    comparison = load_comparison(alliance["consortium"], SEP_23)
    measures = {m.definition.code: m for m in comparison.measures}
    missing = measures["missing"]
    north, south = missing.figures
    assert north.row.current_display == "x"
    assert north.rank is None and south.rank == 1 and missing.ranked == 1
    assert missing.spread.count == 1 and missing.spread.median == Decimal("14")
    rereferrals = measures["ReReferral"]
    # Lower is better: Northshire's 18.5% beats Southshire's 23.4%.
    assert [f.rank for f in rereferrals.figures] == [1, 2]
    assert rereferrals.spread.median == Decimal("20.95")
    assert [f.row.rag for f in rereferrals.figures] == [rules.Rag.GREEN, rules.Rag.AMBER]
    assert rereferrals.england is not None and rereferrals.england.year == "2022"


def test_before_the_month_shared_from_there_is_nothing(alliance):
    comparison = load_comparison(alliance["consortium"], SEP_23.plus(-2))  # July
    rereferrals = next(m for m in comparison.measures if m.definition.code == "ReReferral")
    north = rereferrals.figures[0]
    assert north.row is not None and north.row.current_display == "No data"
    assert SEP_23.plus(1) not in comparison.months  # October is Northshire's draft


def test_a_choice_without_a_code_needs_a_lait_measure(alliance):
    with council_scope(alliance["councils"]["north"]):
        secret = SharedIndicator._meta.get_field("indicator").related_model.objects.get(
            reference="30"
        )
        choice = SharedIndicator(
            consortium=alliance["consortium"], indicator=secret, from_month=SEP_23.first_day
        )
        with pytest.raises(ValidationError):
            choice.clean()


def test_the_admin_offers_a_council_only_its_own_indicators(alliance, client):
    north = alliance["councils"]["north"]
    from .support.factories import make_user

    with council_scope(north):
        admin = make_user("north-admin", "administrator")
    admin.is_staff = True
    admin.save()
    client = Client(HTTP_HOST="north.example")
    client.force_login(admin)
    page = client.get("/admin/indicators/sharedindicator/add/").text
    assert "Northshire re-referrals" in page and "Southshire" not in page
    listing = client.get("/admin/indicators/sharedindicator/").text
    assert "Southshire" not in listing


# The pure rules, by a table of cases ------------------------------------------------------
D = Decimal


@pytest.mark.parametrize(
    ("values", "polarity", "expected"),
    [
        ([D(3), D(1), D(2)], H, [1, 3, 2]),
        ([D(3), D(1), D(2)], L, [3, 1, 2]),
        ([D(2), D(2), D(1)], H, [1, 1, 3]),  # equal figures share a rank; the next skips
        ([D(2), None, D(1)], L, [2, None, 1]),  # an "x" or no figure is not ranked
        ([D(2), D(1)], N, [None, None]),  # neither way is better: no rank
        ([], H, []),
    ],
)
def test_ranks(values, polarity, expected):
    assert ranks(values, polarity) == expected


@pytest.mark.parametrize(
    ("values", "median", "lower", "upper"),
    [
        ([], None, None, None),
        ([D(5)], D(5), D(5), D(5)),
        ([D(1), D(3)], D(2), D("1.5"), D("2.5")),
        ([D(4), D(1), D(3), D(2)], D("2.5"), D("1.75"), D("3.25")),  # as QUARTILE.INC
        ([D(1), D(2), D(3), D(4), D(5)], D(3), D(2), D(4)),
        ([D(1), None, D(3)], D(2), D("1.5"), D("2.5")),  # "x" left out
    ],
)
def test_spread(values, median, lower, upper):
    found = spread(values)
    assert (found.median, found.lower_quartile, found.upper_quartile) == (median, lower, upper)
    assert found.count == len([v for v in values if v is not None])


@pytest.mark.parametrize(
    ("declared", "members", "expected"),
    [(H, [L, L], H), (N, [L, L], L), (N, [L, H], N), (N, [N], N), (N, [], N)],
)
def test_agreed_polarity(declared, members, expected):
    assert agreed_polarity(declared, members) == expected


def test_matched_groups_by_definition_and_never_by_name():
    lait = Definition("lait", "ReReferral", "Re-referrals")
    same_name = Definition("code", "a", "Visits")
    other = Definition("code", "b", "Visits")
    found = matched(
        [
            Choice(1, 10, lait),
            Choice(2, 20, lait),
            Choice(1, 11, same_name),
            Choice(2, 21, other),
            Choice(1, 9, lait),  # a second indicator of council 1 under one definition
        ]
    )
    assert {key: sorted(c.indicator_id for c in v.values()) for key, v in found.items()} == {
        ("lait", "ReReferral"): [9, 20],
        ("code", "a"): [11],
        ("code", "b"): [21],
    }


def test_the_search_would_find_commentary_once_a_member_shares_it(alliance):
    """The walk's searches can fail: the same commentary appears once its council shares it."""
    with council_scope(alliance["councils"]["north"]):
        SharedIndicator.objects.filter(measure__code="cp-visits").update(share_commentary=True)
    client = Client(HTTP_HOST="north.example")
    client.force_login(alliance["analyst"])
    page = client.get(f"/consortia/south-west/?period={SEP_23.iso}").text
    assert SECRETS["unshared commentary"] in page.replace("&#x27;", "'")


def test_an_analyst_signing_in_lands_on_their_consortia(alliance):
    client = Client(HTTP_HOST="north.example")
    client.force_login(alliance["analyst"])
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/consortia/"
    assert "South West Alliance" in client.get("/consortia/").text


@pytest.mark.parametrize(
    ("who", "host", "shown"),
    [
        ("analyst", "west.example", True),  # an analyst, at any council's address
        ("north_viewer", "north.example", True),  # a member's person, at its address
        ("north_viewer", "west.example", False),  # ...holding no role at another's
        ("west_viewer", "west.example", False),  # a council in no consortium
    ],
)
def test_the_menu_links_to_the_consortia_only_for_those_who_may_see_one(alliance, who, host, shown):
    client = Client(HTTP_HOST=host)
    client.force_login(alliance[who])
    listed = client.get("/consortia/")
    assert ('href="/consortia/"' in listed.text) is shown
    assert ("South West Alliance" in listed.text) is shown  # the link leads to something
    if who.endswith("viewer") and host.startswith(who.split("_")[0]):
        dashboard = client.get("/", follow=True)
        assert dashboard.status_code == 200
        assert ('href="/consortia/"' in dashboard.text) is shown
