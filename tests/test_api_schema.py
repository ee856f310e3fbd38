"""schemathesis runs the OpenAPI schema's property-based tests against a live server, with a
viewer's token and with an editor's: every endpoint, every parameter drawn from its schema
(and beyond it: months that are not months, unknown references, pages past the last). No
answer is a 500, every answer is one the schema declares, in a declared content type, and
every JSON answer is valid against its schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from indicators.models import ApiToken
from intake.quarterly_seed import load_quarterly_seed
from intake.seed import load_seed

from .support.factories import make_user

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(params=["viewer", "editor"])
def token(request, live_server, transactional_db):
    """The demonstration council's scorecard and quarterly report, and a token of a user in
    the role."""
    load_seed()
    load_quarterly_seed()
    user = make_user(f"api-{request.param}", request.param)
    return ApiToken.issue(user, "schemathesis")[1]


def test_the_api_keeps_to_its_schema(live_server, token, monkeypatch):
    """Each operation in turn, its cases drawn by hypothesis (schemathesis's pytest loader
    from a fixture does not yet run under pytest 9, so the operations are walked here)."""
    from scorecard.api.authentication import TokenRateThrottle

    # The examples come faster than any BI tool's refresh: the throttle is tested elsewhere.
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"api_token": "100000/minute"})
    headers = {"Authorization": f"Bearer {token}"}
    api = schemathesis.openapi.from_url(
        f"{live_server.url}/api/v1/schema/?format=json", headers=headers
    )
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) == 7

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=30,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        def keeps_to_its_schema(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        keeps_to_its_schema()
