"""A second council (issue 14): its names from its row, never assumed; Devon's set-up shown on
every page, export and the pack with its targets, trajectory and anticipated range; the
synthetic-history note only where synthetic figures are."""

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import plotly.graph_objects as go
from django.conf import settings
from django.urls import reverse

from indicators.models import Council
from indicators.periods import Month
from intake.figure_import.plan import apply_plan, plan_import
from intake.publishing import publish
from intake.seed import add_synthetic_history
from scorecard import charts, queries
from scorecard.pack import PackOptions, pack_html

from .support import devon
from .support.devon_fixture import OCT_22

ROOT = Path(__file__).resolve().parent.parent
SEP_22 = Month(2022, 9)


def visible_text(html):
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'").split())


# No council assumed -----------------------------------------------------------------------
FORBIDDEN = ("Plymouth", "51,635", "51635", "23,307", "23307")


def test_no_councils_name_or_figures_are_in_the_application_code_templates_or_settings():
    """Only the fixtures (the demonstration data), the tests and the docs may name one."""
    found = []
    for folder in ("indicators", "scorecard", "accounts", "templates", "static/css", "static/js"):
        for path in sorted((ROOT / folder).rglob("*")):
            if not path.is_file() or path.suffix not in {".py", ".html", ".txt", ".css", ".js"}:
                continue
            if "migrations" in path.parts:
                continue  # the history of the help texts, as they were
            text = path.read_text(encoding="utf-8")
            found += [f"{path.relative_to(ROOT)}: {word}" for word in FORBIDDEN if word in text]
    for script in (ROOT / "scripts").glob("*.sh"):
        text = script.read_text(encoding="utf-8")
        found += [f"{script.name}: {word}" for word in FORBIDDEN if word in text]
    assert found == []


def test_the_settings_assume_no_council():
    assert settings.COUNCIL_NAME == "" and settings.COMMITTEE_NAME == ""


def test_before_it_is_saved_the_council_takes_its_first_values_from_the_settings(db, settings):
    settings.COUNCIL_NAME = "Wiltshire Council"
    settings.COMMITTEE_NAME = "Children's Select Committee"
    council = Council.current()
    assert council._state.adding  # reading it wrote nothing
    assert (council.name, council.committee_name) == (
        "Wiltshire Council",
        "Children's Select Committee",
    )
    council.save()
    settings.COUNCIL_NAME = "Somewhere else"
    assert Council.current().name == "Wiltshire Council"  # the row, once saved, is what counts


def test_the_header_and_footer_show_the_councils_row(viewer_client, seed):
    Council.objects.update(name="Devon County Council", service_name="Children's scorecard")
    text = viewer_client.get(reverse("dashboard")).text
    assert 'class="govuk-generic-header__homepage-link">Devon County Council</a>' in text
    assert "Devon County Council · Children's scorecard" in visible_text(text)
    assert "Plymouth" not in visible_text(text)


def test_the_demonstration_council_is_plymouth_from_its_fixture(seed):
    council = Council.current()
    assert council.name == "Plymouth City Council"
    assert "Scrutiny Committee" in council.committee_name


# The synthetic-history note ---------------------------------------------------------------
def test_the_synthetic_note_names_the_months_it_covers_where_synthetic_figures_exist(
    viewer_client, seed
):
    add_synthetic_history(months=6)
    text = visible_text(viewer_client.get(reverse("indicator", args=["10"])).text)
    assert "Figures from Jan-23 to Jun-23 marked “synthetic” are demonstration data" in text


def test_no_synthetic_note_without_synthetic_figures(viewer_client, seed):
    text = viewer_client.get(reverse("indicator", args=["10"])).text
    assert "synthetic" not in visible_text(text).lower()


# Devon's pages ----------------------------------------------------------------------------
def test_devons_dashboard_shows_its_priorities_and_names(viewer_client, devon_set_up):
    response = viewer_client.get(reverse("dashboard"), {"period": OCT_22.iso})
    text = visible_text(response.text)
    assert text.startswith(f"Dashboard, October 2022 – {devon.COUNCIL}")
    for number, title, _, lead, _ in devon.PRIORITIES:
        assert f"{number}. {title}" in text
        assert lead in text
    assert "Plymouth" not in text
    # The key's rate line names no population: Devon's workbook gives none.
    assert "A rate per 10,000 children (or per 1,000, as the indicator says)" in text


def test_devons_trajectory_is_the_target_of_each_month_and_on_track(viewer_client, devon_set_up):
    response = viewer_client.get(reverse("priority", args=[3]), {"period": OCT_22.iso})
    rows = {row.indicator.reference: row for row in response.context["table"].data}
    agency = rows["D08"]
    assert agency.target_display == "37.9% (trajectory to 25.0% by Oct-23)"
    assert agency.rag.label == "Green"
    assert agency.trajectory_progress.label == "On track for the goal"
    text = visible_text(response.text)
    assert "37.9% (trajectory to 25.0% by Oct-23)" in text
    assert "18 Local" in text  # the caseload target, labelled
    assert "On track for the goal: 37.9% in Oct-22" in text  # the chart's words
    # Judged the same in the pack and the export.
    pack = pack_html(OCT_22, PackOptions())
    assert "37.9% (trajectory to 25.0% by Oct-23)" in pack
    export = viewer_client.get(reverse("scorecard_csv"), {"period": OCT_22.iso}).text
    line = next(row for row in csv.DictReader(io.StringIO(export)) if row["reference"] == "D08")
    assert (line["target_value"], line["target_label"], line["rag"]) == (
        "37.9",
        "trajectory to 25.0% by Oct-23",
        "green",
    )


def test_the_trajectory_is_drawn_dashed_on_to_its_goal_month_beyond_the_last_figure(
    viewer_client, devon_set_up
):
    figure = viewer_client.get(reverse("indicator", args=["D08"])).context["chart"]["figure"]
    go.Figure(figure)  # a valid Plotly figure
    line = next(t for t in figure["data"] if t["name"].startswith("Trajectory"))
    assert line["name"] == "Trajectory to 25.0% by Oct-23"
    assert line["line"]["dash"] == "dash"
    assert (line["x"][0], line["x"][-1]) == ("2022-10-01", "2023-10-01")  # past the figure
    assert line["y"][0] == 37.9 and line["y"][6] == 31.5 and line["y"][-1] == 25.0
    # The fixed-target steps do not draw the trajectory a second time.
    assert not [t for t in figure["data"] if t["name"] == "Target"]
    notes = [a["text"] for a in figure["layout"]["annotations"]]
    assert notes == ["Goal 25.0% by Oct-23: on track for the goal"]


def test_a_figure_worse_than_the_trajectory_is_not_on_track(viewer_client, devon_set_up):
    plan = plan_import(b"reference,month,value\nD08,Mar-23,34.0%\n", "march.csv")
    apply_plan(plan, None)
    publish(Month(2023, 3), None)
    response = viewer_client.get(reverse("indicator", args=["D08"]))
    row = response.context["row"]
    # Mar-23's point on the line is 32.5%; 34.0% is worse, within 15%: amber.
    assert row.target.value == Decimal("32.5")
    assert row.rag.label == "Amber"
    assert row.trajectory_progress.label == "Not on track for the goal"
    text = visible_text(response.text)
    assert (
        "Not on track for the goal: 34.0% in Mar-23 is worse than the trajectory's 32.5% for "
        "the month (goal 25.0% by Oct-23)." in text
    )


def test_devons_anticipated_range_is_judged_in_words_and_its_own_colour(
    viewer_client, devon_set_up
):
    response = viewer_client.get(reverse("priority", args=[1]), {"period": SEP_22.iso})
    text = response.text
    assert "430r to 500r (anticipated range)" in visible_text(text)
    table = text.split('class="govuk-table scorecard-table"')[1].split("</table>")[0]
    badge = re.search(r'<strong class="govuk-tag rag rag--within-range"[^>]*>.*?</strong>', table)
    assert badge and "Within range: inside the anticipated range of 430 to 500" in badge.group(0)
    assert ">Within range<" in badge.group(0)
    css = (ROOT / "static" / "css" / "scorecard.css").read_text()
    assert ".rag--within-range" in css and ".rag--above-range" in css
    # The dashboard counts it in its own column.
    dashboard = viewer_client.get(reverse("dashboard"), {"period": SEP_22.iso})
    counts = {s.priority.number: s.counts for s in dashboard.context["scorecard"].priorities}
    assert counts[1]["within_range"] == 1
    assert "Within range</span></th>" in dashboard.text
    figure = response.context["charts"][0]["figure"]
    go.Figure(figure)
    band = [t for t in figure["data"] if t["name"].startswith("Anticipated range")]
    assert [t.get("fill") for t in band] == [None, "tonexty"]
    assert [t["y"][-1] for t in band] == [430.0, 500.0]


def test_a_figure_outside_its_range_is_an_exception_above_or_below(viewer_client, devon_set_up):
    apply_plan(
        plan_import(b"reference,month,value\nD01,Oct-22,512\n", "oct.csv"),
        None,
        revision_reason="Late referrals from the out-of-hours team",
    )
    response = viewer_client.get(reverse("dashboard"), {"period": OCT_22.iso})
    summary = response.context["scorecard"].priorities[0]
    row = next(r for r in summary.rows if r.indicator.reference == "D01")
    assert row.rag.label == "Above range"
    assert row.rag_name == "Above range: higher than the anticipated range of 430 to 500"
    assert [r.indicator.reference for r in summary.exceptions] == ["D01"]
    workbook = openpyxl.load_workbook(
        io.BytesIO(viewer_client.get(reverse("scorecard_xlsx"), {"period": OCT_22.iso}).content)
    )
    sheet = workbook.worksheets[0]
    assert sheet["A1"].value.startswith(devon.COUNCIL)
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=3)}
    rag = next(cell for cell in cells["D01"] if cell.value == "Above range")
    assert rag.fill.fgColor.rgb.endswith("DBD5E9")
    assert "anticipated range 430r to 500r" in [c.value for c in cells["D01"]]


def test_devons_pack_has_its_names_targets_and_key_and_no_trace_of_plymouth(devon_set_up):
    html = pack_html(OCT_22, PackOptions())
    text = visible_text(html)
    assert f"{devon.COUNCIL} {devon.COMMITTEE}" in text
    assert "Priority 3: Recruitment, retention and agency staff" in text
    assert "85.0%" in text and "15.0%" in text
    assert "Within range" in text and "Trajectories and anticipated ranges" in text
    assert "Plymouth" not in html and "51,635" not in html


def test_the_chart_summary_says_whether_the_trajectory_is_on_track(devon_set_up):
    scorecard = queries.load_scorecard(OCT_22, published_only=True)
    row = next(r for r in scorecard.rows if r.indicator.reference == "D08")
    assert charts.chart_summary(row).endswith(
        "On track for the goal: 37.9% in Oct-22 is on or better than the trajectory's 37.9% for "
        "the month (goal 25.0% by Oct-23)."
    )


MOVING = "Trajectories and anticipated ranges"


def test_the_key_explains_trajectories_and_ranges_only_where_the_council_has_them(
    viewer_client, devon_set_up
):
    devon_key = viewer_client.get(reverse("dashboard"), {"period": OCT_22.iso}).context["key"]
    assert MOVING in [section.title for section in devon_key]
    ranged = viewer_client.get(reverse("indicator", args=["D01"]), {"period": OCT_22.iso})
    assert MOVING in [section.title for section in ranged.context["history"].key]


def test_a_council_with_neither_is_not_shown_their_marks(seed):
    scorecard = queries.load_scorecard(Month(2023, 9))
    titles = [section.title for section in scorecard.key]
    assert "RAG rating against target" in titles
    assert MOVING not in titles
