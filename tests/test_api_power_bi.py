"""The CSV endpoints read as Power BI's web connector (and Excel's "From Web") read them: a
plain GET over HTTP with the token in the Authorization header, parsed with pandas. They
give the same figures, x's and judgements as the scorecard CSV export of the pages."""

import io
import urllib.request

import pandas as pd
import pytest
from django.urls import reverse

from indicators.models import ApiToken
from intake.seed import load_seed

from .support.factories import make_user


@pytest.fixture
def fetch(live_server, transactional_db):
    load_seed()
    secret = ApiToken.issue(make_user("powerbi", "viewer"), "Power BI")[1]

    def fetch(path):
        request = urllib.request.Request(
            live_server.url + path, headers={"Authorization": f"Bearer {secret}"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200
            return pd.read_csv(io.BytesIO(response.read()), dtype=str, keep_default_na=False)

    return fetch


@pytest.fixture
def export(live_server, client):
    """The scorecard CSV export of Sep-23 as a signed-in viewer downloads it from the page."""

    def export():
        client.force_login(make_user("councillor", "viewer"))
        response = client.get(reverse("scorecard_csv"), {"period": "2023-09"})
        return pd.read_csv(io.BytesIO(response.content), dtype=str, keep_default_na=False)

    return export


def test_the_figures_csv_gives_the_exports_figures(fetch, export):
    figures = fetch("/api/v1/figures/?format=csv&from=2023-07&to=2023-09")
    exported = export()
    assert len(exported) > 30
    api = {
        (row.indicator, row.month): ("x" if row.suppressed == "true" else row.value)
        for row in figures.itertuples()
    }
    for row in exported.to_dict("records"):
        for month in ("2023-07", "2023-08", "2023-09"):
            if row[month] or (row["reference"], month) in api:
                assert api[(row["reference"], month)] == row[month], (row["reference"], month)
    assert set(figures["unit"]) >= {"percentage", "count"}
    assert set(figures["decimal_places"]) >= {"0", "1"}


def test_the_scorecard_csv_gives_the_exports_judgements(fetch, export):
    api = fetch("/api/v1/scorecard/?format=csv&month=2023-09").set_index(["indicator", "priority"])
    exported = export().set_index(["reference", "priority"])
    assert len(api) == len(exported)
    columns = ["rag", "direction", "judgement", "variation", "assurance", "target_label"]
    for (reference, priority), row in exported.iterrows():
        ours = api.loc[(reference, priority)]
        assert [ours[c] for c in columns] == [row[c] for c in columns], reference
        shown = "x" if ours["suppressed"] == "true" else ours["value"]
        assert shown == row["2023-09"] and ours["target_value"] == row["target_value"]
