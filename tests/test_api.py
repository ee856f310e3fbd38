"""The API (scorecard/api) as its clients use it: a personal token in the header, JSON or
CSV back, the user's role carried by the token, errors as problem details, every token use
recorded; and the account page and command that make tokens."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from indicators.models import ApiToken, ApiTokenUse, Indicator, Value, token_digest
from scorecard.api.authentication import TokenRateThrottle

from .support.api import bearer, get, get_csv, get_json, token_for

FIGURES = reverse("api-figures")
SCORECARD = reverse("api-scorecard")
ENDPOINTS = [
    "api-priorities",
    "api-indicators",
    "api-targets",
    "api-figures",
    "api-scorecard",
    "api-benchmarks",
]


def _draft_october():
    """A figure for Oct-23, a month not yet published."""
    Value.objects.create(
        indicator=Indicator.objects.get(reference="10"), period="2023-10-01", value=Decimal(17)
    )


# Tokens ------------------------------------------------------------------------------------
def test_a_token_is_stored_only_as_its_digest(viewer):
    token, secret = ApiToken.issue(viewer, "Power BI")
    assert secret.startswith("sc_") and len(secret) > 40
    assert token.digest == token_digest(secret) != secret
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert token.expires_at - token.created_at == dt.timedelta(days=90)


@pytest.mark.parametrize("name", ENDPOINTS)
def test_every_endpoint_answers_a_viewers_token(client, seed, viewer, name):
    response = get(client, reverse(name), token_for(viewer))
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("name", ENDPOINTS)
def test_no_token_is_a_401_problem_not_a_sign_in_page(client, seed, name):
    response = client.get(reverse(name))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert set(response.json()) >= {"type", "title", "status", "detail"}


@pytest.mark.parametrize("path", ["/api/v1/nope/", "/api/v1/figures/extra", "/api/v1/"])
def test_an_address_that_is_no_endpoint_is_a_404_problem(db, client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"].endswith("is not an endpoint of the API: see /api/v1/schema/.")


@pytest.mark.parametrize(
    "spoil",
    [
        lambda token: token.revoke(),
        lambda token: ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now()),
        lambda token: type(token.user).objects.filter(pk=token.user_id).update(is_active=False),
    ],
    ids=["revoked", "expired", "inactive user"],
)
def test_a_revoked_or_expired_token_or_one_of_an_inactive_user_is_refused(
    client, seed, viewer, spoil
):
    token, secret = ApiToken.issue(viewer, "BI")
    assert get(client, SCORECARD, secret).status_code == 200
    spoil(token)
    response = get(client, SCORECARD, secret)
    assert response.status_code == 401
    assert "expired or been revoked" in response.json()["detail"]


def test_a_wrong_token_is_refused(client, seed, viewer):
    token_for(viewer)
    for header in ["Bearer sc_wrong", "Bearer", "Bearer a b", "Bearer \u00e9"]:
        response = client.get(SCORECARD, HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header


def test_a_token_of_a_user_with_no_role_is_refused(client, seed, no_role_user):
    response = get(client, SCORECARD, token_for(no_role_user))
    assert response.status_code == 403
    assert response.json()["detail"] == "Your account has no role that may see the scorecard."


def test_every_token_use_is_recorded(client, seed, viewer):
    token, secret = ApiToken.issue(viewer, "BI")
    get(client, FIGURES, secret, indicator="10")
    get(client, FIGURES, secret, indicator="nope")
    uses = list(ApiTokenUse.objects.filter(token=token).order_by("pk"))
    assert [(use.method, use.path, use.status) for use in uses] == [
        ("GET", f"{FIGURES}?indicator=10", 200),
        ("GET", f"{FIGURES}?indicator=nope", 400),
    ]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_token_use_changes_no_data_version(client, seed, viewer):
    from indicators.changes import data_version

    secret = token_for(viewer)
    before = data_version()
    get(client, FIGURES, secret)
    assert data_version() == before


def test_each_token_is_throttled_on_its_own(client, seed, viewer, monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"api_token": "2/minute"})
    first, second = token_for(viewer, "one"), token_for(viewer, "two")
    statuses = [get(client, SCORECARD, first).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    throttled = get(client, SCORECARD, first)
    assert throttled["Content-Type"] == "application/problem+json"
    assert throttled.json()["status"] == 429
    assert get(client, SCORECARD, second).status_code == 200


def test_a_signed_in_reader_may_browse_the_api(viewer_client, seed):
    assert viewer_client.get(SCORECARD).status_code == 200


# What a token sees ---------------------------------------------------------------------------
def test_a_viewers_token_sees_published_months_only(client, seed, viewer):
    _draft_october()
    secret = token_for(viewer)
    months = {record["month"] for record in get_json(client, FIGURES, secret)["results"]}
    assert "2023-10" not in months and "2023-09" in months
    response = get(client, SCORECARD, secret, month="2023-10")
    assert response.status_code == 404
    assert response.json()["detail"] == "October 2023 has not been published."


def test_an_editors_token_sees_drafts_marked(client, seed, editor):
    _draft_october()
    secret = token_for(editor)
    records = get_json(client, FIGURES, secret, indicator="10")["results"]
    published = {record["month"]: record["published"] for record in records}
    assert published["2023-10"] is False and published["2023-09"] is True
    rows = get_json(client, SCORECARD, secret, month="2023-10", indicator="10")
    assert [(row["value"], row["published"]) for row in rows] == [(17.0, False)]


def test_the_scorecard_says_what_the_seed_says(client, seed, viewer):
    rows = {
        row["indicator"]: row
        for row in get_json(client, SCORECARD, token_for(viewer), month="2023-09")
    }
    assert (rows["10"]["value"], rows["10"]["rag"], rows["10"]["direction_name"]) == (
        18.3,
        "green",
        "Down, an improvement",
    )
    assert rows["7"]["rag"] == "red" and rows["55"]["rag"] == "amber"
    assert rows["26"]["judgement"] == "decline"
    assert rows["34"]["value"] is None and rows["34"]["suppressed"] is True


def test_figures_filter_by_indicator_priority_and_months(client, seed, viewer):
    secret = token_for(viewer)
    records = get_json(client, FIGURES, secret, priority=2, **{"from": "2023-08", "to": "2023-09"})
    months = {record["month"] for record in records["results"]}
    assert months == {"2023-08", "2023-09"}
    references = {record["indicator"] for record in records["results"]}
    two = {row["indicator"] for row in get_json(client, SCORECARD, secret, priority=2)}
    assert references == two


def test_figures_are_paged_in_a_stable_order(client, seed, viewer):
    secret = token_for(viewer)
    whole = get_json(client, FIGURES, secret, page_size=10_000)["results"]
    keys = [(record["indicator"], record["month"]) for record in whole]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    first = get_json(client, FIGURES, secret, page_size=7)
    second = get_json(client, FIGURES, secret, page_size=7, page=2)
    assert first["count"] == len(whole)
    assert first["results"] + second["results"] == whole[:14]


@pytest.mark.parametrize(
    ("url", "params", "status", "words"),
    [
        (FIGURES, {"from": "2023-13"}, 400, "Month must be 1-12"),
        (FIGURES, {"from": "September"}, 400, "YYYY-MM"),
        (FIGURES, {"to": "1999-12"}, 400, "out of range"),
        (FIGURES, {"from": "2023-09", "to": "2023-08"}, 400, "is before"),
        (FIGURES, {"indicator": "nope"}, 400, "No indicator has the reference"),
        (FIGURES, {"priority": "99"}, 400, "There is no priority 99"),
        (FIGURES, {"priority": "two"}, 400, "valid integer"),
        (FIGURES, {"page": "99"}, 404, "Invalid page"),
        (FIGURES, {"format": "xml"}, 404, "Not found"),
        (SCORECARD, {"month": "2023-9x"}, 400, "YYYY-MM"),
        (reverse("api-quarterly"), {"quarter": "2023-q9"}, 400, "2023-24-q2"),
    ],
)
def test_bad_input_is_a_problem_not_an_error(client, seed, viewer, url, params, status, words):
    response = get(client, url, token_for(viewer), **params)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status and problem["type"].startswith("https://")
    assert words in problem["detail"]


def test_a_problem_is_json_when_csv_was_asked_for(client, seed, viewer):
    response = get(client, FIGURES, token_for(viewer), format="csv", indicator="nope")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_the_csv_has_one_row_per_record_with_units_and_places(client, seed, viewer):
    secret = token_for(viewer)
    rows = get_csv(client, FIGURES, secret, indicator="10")
    records = get_json(client, FIGURES, secret, indicator="10")["results"]
    assert len(rows) == len(records)
    assert rows[-1]["unit"] == "percentage" and rows[-1]["decimal_places"] == "1"
    assert rows[-1]["value"] == "18.3" and rows[-1]["suppressed"] == "false"
    empty = get(client, FIGURES, secret, format="csv", **{"from": "2000-01", "to": "2000-01"})
    header = empty.content.decode().strip().split(",")
    assert header == list(records[0]) or set(header) == set(records[0])
    assert header[:4] == ["indicator", "unit", "unit_label", "decimal_places"]


def test_a_long_csv_says_where_its_next_page_is(client, seed, viewer):
    response = get(client, FIGURES, token_for(viewer), format="csv", page_size=5)
    assert 'rel="next"' in response["Link"]
    assert int(response["X-Total-Count"]) > 5


def test_indicators_carry_owner_lead_and_targets(client, seed, viewer, editor):
    Indicator.objects.filter(reference="10").update(owner=editor, lead_officer="Head of Service")
    (record,) = get_json(client, reverse("api-indicators"), token_for(viewer), indicator="10")
    assert (record["owner"], record["lead_officer"]) == ("advisor", "Head of Service")
    assert record["targets"][0]["value"] == 23.0 and record["priorities"] == [2]


# The schema and its page ------------------------------------------------------------------------
def test_the_schema_is_openapi_3_with_the_token_scheme(client, seed, viewer):
    response = get(client, reverse("api-schema"), token_for(viewer), format="json")
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["personalToken"]["scheme"] == "bearer"
    assert "/api/v1/figures/" in schema["paths"]


def test_the_documentation_page_uses_our_own_files_and_no_inline_script(viewer_client):
    response = viewer_client.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert "<script>" not in html  # every script is a file of ours (the CSP allows no other)
    script = viewer_client.get(reverse("api-docs") + "?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def test_the_documentation_page_asks_a_stranger_to_sign_in(db, client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# The account page and the command ---------------------------------------------------------------
def test_a_user_makes_a_token_seen_once_and_revokes_it(viewer_client, seed, viewer):
    page = viewer_client.post(reverse("api_tokens"), {"name": "Power BI", "days": "30"})
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    secret = page.context["secret"]
    assert secret in page.content.decode()
    token = ApiToken.objects.get(user=viewer)
    assert token.digest == token_digest(secret) and token.name == "Power BI"
    assert (token.expires_at - token.created_at).days == 30
    again = viewer_client.get(reverse("api_tokens")).content.decode()
    assert secret not in again and token.prefix in again and "Power BI" in again
    assert viewer_client.get(SCORECARD, **bearer(secret)).status_code == 200
    revoked = viewer_client.post(reverse("api_token_revoke", args=[token.pk]))
    assert revoked.status_code == 302
    viewer_client.logout()
    assert viewer_client.get(SCORECARD, **bearer(secret)).status_code == 401


def test_a_token_form_with_no_name_or_too_many_days_says_so(viewer_client):
    page = viewer_client.post(reverse("api_tokens"), {"name": "", "days": "999"})
    assert page.status_code == 200 and "secret" not in page.context
    html = page.content.decode()
    assert "Enter a name for the token" in html and "at most 366 days" in html
    assert not ApiToken.objects.exists()


def test_no_one_revokes_another_users_token(client, viewer, editor):
    token, _ = ApiToken.issue(editor, "theirs")
    client.force_login(viewer)
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_user_with_no_role_may_not_make_a_token(client, no_role_user):
    client.force_login(no_role_user)
    assert client.post(reverse("api_tokens"), {"name": "x", "days": "9"}).status_code == 403


def test_create_token_prints_it_once(viewer, capsys):
    call_command("create_token", "councillor", "--name", "Excel", "--days", "7")
    secret = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(digest=token_digest(secret))
    assert (token.user, token.name, (token.expires_at - token.created_at).days) == (
        viewer,
        "Excel",
        7,
    )


@pytest.mark.parametrize(
    ("username", "days", "words"),
    [("nobody", 90, "no user"), ("norole", 90, "no role"), ("councillor", 0, "1 to 366")],
)
def test_create_token_refuses_what_would_not_work(viewer, no_role_user, username, days, words):
    with pytest.raises(CommandError, match=words):
        call_command("create_token", username, "--name", "x", "--days", str(days))


def test_the_schema_is_for_readers_only(db, client):
    assert client.get(reverse("api-schema")).status_code == 401
