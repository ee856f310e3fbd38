"""The read side through the Django test client, on the seed's real figures."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from indicators.models import Value

PAGES = [
    reverse("dashboard"),
    reverse("priority", args=[3]),
    reverse("indicator", args=["69"]),
    reverse("scorecard_csv") + "?period=2023-09",
]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, seed, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("url", PAGES)
def test_a_signed_in_user_with_no_role_is_refused(client, seed, no_role_user, url):
    client.force_login(no_role_user)
    response = client.get(url)
    assert response.status_code == 403


@pytest.mark.parametrize("role_fixture", ["viewer", "editor", "administrator"])
@pytest.mark.parametrize("url", PAGES)
def test_every_role_may_read_every_page(client, seed, request, role_fixture, url):
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get(url).status_code == 200


def test_sign_in_with_a_password_reaches_the_dashboard(client, seed, viewer):
    response = client.post(
        reverse("login"), {"username": "councillor", "password": "a-long-test-password"}
    )
    assert response.status_code == 302
    assert client.get(response.url).status_code == 200


def test_dashboard_shows_the_latest_month_by_default(viewer_client, seed):
    response = viewer_client.get(reverse("dashboard"))
    assert response.context["month"].iso == "2023-09"
    assert "end of September 2023" in response.text


def test_dashboard_lists_the_six_priorities_with_leads_and_rag_counts(viewer_client, seed):
    response = viewer_client.get(reverse("dashboard"), {"period": "2023-09"})
    priorities = response.context["scorecard"].priorities
    assert [summary.priority.number for summary in priorities] == [1, 2, 3, 4, 5, 6]
    counts = {summary.priority.number: summary.counts for summary in priorities}
    # Sep-23, by hand from the seed: ID 7 58.2% and ID 14 2.4% vs 90% are red, ID 10 18.3%
    # vs 23% green, ID 4 has no target.
    assert counts[2] == {"red": 2, "amber": 0, "green": 1, "monitor": 1, "no_data": 0}
    # ID 54 100% vs 95% green; ID 55 91.1% vs 95% amber.
    assert counts[5] == {"red": 0, "amber": 1, "green": 1, "monitor": 0, "no_data": 0}
    # ID 69 47.6% vs 5% red, 76 and 77 under target green, 78 11.25 vs 7.00 days red.
    assert counts[6] == {"red": 2, "amber": 0, "green": 2, "monitor": 0, "no_data": 0}
    assert "HoS Targeted Support / HoS Front Door" in response.text


def test_dashboard_lists_red_or_worsening_indicators_as_exceptions(viewer_client, seed):
    response = viewer_client.get(reverse("dashboard"), {"period": "2023-09"})
    summaries = {s.priority.number: s for s in response.context["scorecard"].priorities}
    assert [row.indicator.reference for row in summaries[2].exceptions] == ["7", "14"]
    # ID 55 is amber but worsened (91.7% -> 91.1%, higher is better): an exception.
    assert [row.indicator.reference for row in summaries[5].exceptions] == ["55"]


def test_dashboard_month_can_be_chosen(viewer_client, seed):
    response = viewer_client.get(reverse("dashboard"), {"period": "2023-08"})
    assert response.context["month"].iso == "2023-08"
    summaries = {s.priority.number: s for s in response.context["scorecard"].priorities}
    # Aug-23: ID 76 and 77 were "Not available", so their RAG is "no data".
    assert summaries[6].counts["no_data"] == 2


def test_dashboard_refuses_a_month_that_is_not_a_month(viewer_client, seed):
    assert viewer_client.get(reverse("dashboard"), {"period": "Sep-23"}).status_code == 404


def test_priority_page_shows_commitment_lead_and_headline_measures(viewer_client, seed):
    response = viewer_client.get(reverse("priority", args=[3]), {"period": "2023-09"})
    text = response.text
    assert "consistently high-quality social work practice" in text
    assert "Service Director - CYPFS" in text
    for label in ("Jul-23", "Aug-23", "Sep-23"):
        assert label in text
    assert "42.1r England" in text
    assert "10.5% Ofsted Good+" in text
    assert "39.1r" in text
    rows = {row.indicator.reference: row for row in response.context["table"].data}
    assert rows["26"].rag.value == "red"  # 12.3% vs 10.5%, lower is better: 17% over.
    assert rows["26"].direction.accessible_name == "Up, a decline"
    assert rows["25"].direction.accessible_name == "Level, no change"


def test_priority_page_shows_monitor_for_indicators_without_target(viewer_client, seed):
    response = viewer_client.get(reverse("priority", args=[1]), {"period": "2023-09"})
    rows = {row.indicator.reference: row for row in response.context["table"].data}
    assert rows["62"].target_display == "Monitor"
    assert rows["62"].rag.value == "monitor"
    assert "Monitor: no target" in response.text


def test_priority_page_groups_commentary_shared_by_indicators(viewer_client, seed):
    response = viewer_client.get(reverse("priority", args=[4]), {"period": "2023-09"})
    commentary = response.context["commentary"]
    shared = [item for item in commentary if item["references"] == ["34", "35"]]
    assert len(shared) == 1
    assert "5 young people currently placed in unregistered arrangements" in shared[0]["text"]
    assert "34/35" in response.text


def test_priority_page_shows_the_months_milestones(viewer_client, seed):
    response = viewer_client.get(reverse("priority", args=[6]), {"period": "2023-09"})
    assert "Effective recruitment and retention" in response.text
    assert "Retention payments for the CSW teams" in response.text
    # Another month keeps its own updates: there are none in the seed for August.
    august = viewer_client.get(reverse("priority", args=[6]), {"period": "2023-08"})
    assert "Retention payments for the CSW teams" not in august.text


def test_priority_page_has_a_chart_per_indicator_with_target_line(viewer_client, seed):
    response = viewer_client.get(reverse("priority", args=[2]), {"period": "2023-09"})
    charts = response.context["charts"]
    assert [chart["row"].indicator.reference for chart in charts] == [
        "4",
        "7",
        "10",
        "14",
    ]
    figure = charts[1]["figure"]
    names = [trace["name"] for trace in figure["data"]]
    assert names == ["Figure", "Target"]
    assert figure["data"][0]["y"][-3:] == [12.2, 52.2, 58.2]
    assert 'id="chart-7-data"' in response.text
    assert "plotly/plotly-basic.min.js" in response.text


def test_indicator_page_shows_definition_history_and_commentary(viewer_client, seed):
    response = viewer_client.get(reverse("indicator", args=["76"]))
    text = response.text
    assert "Turnover rate for Social Workers" in text
    assert "Lower is better" in text
    assert "Not available" in text
    records = response.context["history"].records
    assert [r.month.label for r in records] == ["Sep-23", "Aug-23", "Jul-23"]
    assert records[1].display == "Not available"


def test_indicator_page_lists_commentary_newest_first(viewer_client, seed):
    response = viewer_client.get(reverse("indicator", args=["69"]))
    assert "Additional capacity has been agreed" in response.text
    # ID 69 sits under priorities 1 and 6.
    assert [p.number for p in response.context["priorities"]] == [1, 6]


def test_indicator_page_draws_a_changed_target_as_steps(viewer_client, seed):
    from indicators.models import Indicator

    from .support.factories import make_target

    indicator = Indicator.objects.get(reference="7")
    make_target(indicator, 95, valid_from="2023-09")
    response = viewer_client.get(reverse("indicator", args=["7"]))
    figure = response.context["chart"]["figure"]
    target = next(trace for trace in figure["data"] if trace["name"] == "Target")
    assert target["y"] == [90.0, 90.0, 95.0]
    assert target["line"]["shape"] == "hv"


def test_unknown_indicator_and_priority_are_not_found(viewer_client, seed):
    assert viewer_client.get(reverse("indicator", args=["999"])).status_code == 404
    assert viewer_client.get(reverse("priority", args=[9])).status_code == 404


def _csv(text):
    return list(csv.reader(io.StringIO(text)))


# The seed's three months are too few for SPC: the CSV says so in the pages' words.
NO_SPC = ["Not enough data (under 12 months)", "Not enough data"]


def test_scorecard_csv_has_one_row_per_indicator_and_priority(viewer_client, seed):
    response = viewer_client.get(reverse("scorecard_csv"), {"period": "2023-09"})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="scorecard-2023-09.csv"' in response["Content-Disposition"]
    rows = _csv(response.content.decode())
    assert rows[0] == [
        "reference", "description", "priority", "unit", "polarity",
        "2023-07", "2023-08", "2023-09",
        "target_value", "target_label", "rag", "direction", "judgement",
        "variation", "assurance", "revised",
        "benchmark_measure", "benchmark_dfe_year", "benchmark_year", "benchmark_status",
        "benchmark_council", "benchmark_england", "benchmark_region_name", "benchmark_region",
        "benchmark_statistical_neighbours", "benchmark_quartile", "benchmark_rank",
        "benchmark_authorities",
    ]  # fmt: skip
    by_key = {(row[0], row[2]): row for row in rows[1:]}
    assert ("69", "1") in by_key and ("69", "6") in by_key
    assert len(rows) - 1 == sum(len(p["indicators"]) for p in seed["priorities"])
    # The seed links no indicator to a DfE LAIT measure: its benchmark columns are blank.
    no_benchmark = [""] * 12
    assert by_key[("7", "2")][5:] == [
        "12.2", "52.2", "58.2", "90", "", "red", "up", "improvement", *NO_SPC, "", *no_benchmark
    ]  # fmt: skip
    assert by_key[("76", "6")][5:] == [
        "15.4", "", "15.4", "17", "", "green", "none", "not judged", *NO_SPC, "", *no_benchmark
    ]  # fmt: skip
    assert by_key[("20", "3")][8:10] == ["42.1", "England"]
    assert by_key[("62", "1")][8:] == [
        "", "", "monitor", "down", "not judged", *NO_SPC, "", *no_benchmark
    ]  # fmt: skip


def test_export_command_writes_the_same_csv_as_the_dashboard(viewer_client, seed):
    out = io.StringIO()
    call_command("export_scorecard", "--period", "2023-09", stdout=out)
    web = viewer_client.get(reverse("scorecard_csv"), {"period": "2023-09"})
    assert out.getvalue() == web.content.decode()


def test_not_available_is_stored_as_no_value_never_zero(seed):
    figure = Value.objects.get(indicator__reference="77", period="2023-08-01")
    assert figure.value is None
    assert figure.status == Value.Status.NOT_AVAILABLE


def test_viewers_see_small_counts_as_x_on_every_page_and_export(viewer_client, seed):
    # ID 34 (unregistered placements under 16): 3, 4, 3 children in Jul-Sep 2023.
    priority = viewer_client.get(reverse("priority", args=[4]), {"period": "2023-09"})
    rows = {row.indicator.reference: row for row in priority.context["table"].data}
    assert [display for _, display in rows["34"].shown_figures] == ["x", "x", "x"]
    chart = next(c for c in priority.context["charts"] if c["row"].indicator.reference == "34")
    # Every month is an x: no chart with empty axes (whose ticks would hint at the counts),
    # the reason in words instead (the issue: charts that say what they cannot show).
    assert chart["figure"] is None
    assert "is shown as x (fewer than 5 children)" in chart["summary"]
    assert chart["summary"] in priority.text
    indicator = viewer_client.get(reverse("indicator", args=["34"]))
    assert [r.display for r in indicator.context["history"].records[:3]] == ["x", "x", "x"]
    assert ">3<" not in indicator.text and ">4<" not in indicator.text
    rows = _csv(viewer_client.get(reverse("scorecard_csv"), {"period": "2023-09"}).text)
    row = next(r for r in rows if r[0] == "34")
    assert row[5:8] == ["x", "x", "x"]
    # 36 residential placements (49) and zero are not small numbers.
    assert rows[[r[0] for r in rows].index("36")][7] == "49"


def test_editors_see_the_real_small_counts_on_the_pages(client, seed, editor):
    client.force_login(editor)
    priority = client.get(reverse("priority", args=[4]), {"period": "2023-09"})
    rows = {row.indicator.reference: row for row in priority.context["table"].data}
    assert [display for _, display in rows["34"].shown_figures] == ["3", "4", "3"]


TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_no_template_has_a_comment_that_would_be_printed():
    """Django's {# #} comment ends with its line: one spread over lines prints as page text
    (it did, under every chart, on the pages and in the PDF pack)."""
    unclosed = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "{#" in line and "#}" not in line[line.index("{#") :]
    ]
    assert unclosed == []


@pytest.mark.parametrize("url", PAGES[:3] + [reverse("quarterly_latest")])
def test_no_template_syntax_reaches_the_reader(viewer_client, seed, url):
    html = viewer_client.get(url, follow=True).content.decode()
    # The charts' figures are JSON, where braces belong.
    text = re.sub(r'<script[^>]*type="application/json"[^>]*>.*?</script>', "", html, flags=re.S)
    assert "data-chart" in text or url != PAGES[2]  # the indicator page has its chart
    for syntax in ("{#", "#}", "{%", "%}", "{{", "}}"):
        assert syntax not in text, syntax
