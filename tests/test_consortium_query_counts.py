"""A consortium's comparison page reads an exact number of queries, the same at two sizes
(2 members × 3 shared measures, and 5 members × 7): a count that grew with the members or
the indicators would show here. Each count is the sum of the named queries beside it."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .support.consortia import HOSTS, SEP_23, make_consortium

# Every request at a council's address: the council of the host name (the middleware), the
# session, the user.
REQUEST = 3
# The consortium by its slug; whether the person is one of its analysts.
WHO_MAY_SEE = 2
# A member's viewer, not an analyst: their roles in the host's council; whether that council
# is a member.
AS_MEMBER = 2
# load_comparison: the members with their councils; the shared choices with their
# indicators, LAIT measures and codes; the months with a shared, published figure; the
# figures; the targets; the shared commentary of the month; the members' populations; DfE's
# England figures (a measure is matched by LAIT).
COMPARISON = 8
# The page's header reads the user's roles in the host's council (user_roles), once: a
# member's viewer read them already (AS_MEMBER).
ROLES_FOR_THE_HEADER = 1

EXPECTED = {
    "analyst": REQUEST + WHO_MAY_SEE + COMPARISON + ROLES_FOR_THE_HEADER,
    "north_viewer": REQUEST + WHO_MAY_SEE + AS_MEMBER + COMPARISON,
}


@pytest.mark.parametrize("size", [(0, 0), (3, 4)], ids=["2x3", "5x7"])
@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_the_comparison_page_reads_a_fixed_number_of_queries(db, settings, size, who):
    settings.ALLOWED_HOSTS = [*HOSTS.values(), "testserver"]
    found = make_consortium(*size)
    client = Client(HTTP_HOST=HOSTS["north"])
    client.force_login(found[who])
    url = f"/consortia/south-west/?period={SEP_23.iso}"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(queries.captured_queries) == EXPECTED[who], [
        query["sql"][:90] for query in queries.captured_queries
    ]
    # The bigger size really is bigger: every extra member's row is on the page.
    assert response.text.count("Extra ") >= size[0] + size[1]
