"""The committee pack: a real PDF printed by Chromium, read back with pypdf."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from indicators.models import Value
from indicators.periods import Month
from scorecard import pdf
from scorecard.pack import PackOptions, pack_context, pack_html, pack_pdf

from .support.pdf_text import text_of

pytestmark = pytest.mark.browser


def test_the_pack_has_cover_key_priorities_commentary_and_page_numbers(seed, chromium):
    data = pack_pdf(
        Month(2023, 9), PackOptions(meeting_date=__import__("datetime").date(2023, 11, 7))
    )
    reader, pages = text_of(data)
    whole = "\n".join(pages)
    assert "Reporting position - end of September 2023" in pages[0]
    assert "Meeting: 7 November 2023" in pages[0]
    # Cover and contents; the month at a glance; the key; the exceptions right after it.
    assert "At a glance, Sep-23" in pages[1]
    assert "Key" in pages[2]
    for meaning in ("On target", "within 15% of it", "More than 15% from target"):
        assert meaning in pages[2], meaning
    assert "Exceptions: red or worsening, Sep-23" in pages[3]
    # No template comment or tag printed as text (one was, under every chart).
    for syntax in ("{#", "#}", "{%", "%}"):
        assert syntax not in whole, syntax
    # Every indicator reference of priority 6, its RAG as text, and a commentary sentence.
    section = whole[whole.index("Priority 6: A Stable and Able workforce") :]
    for reference in ("69", "76", "77", "78"):
        assert re.search(rf"(^|\n){reference} ", section), reference
    assert "Red" in section and "Green" in section
    assert "Additional capacity has been agreed for parts of the service" in whole
    assert "Down, an improvement" in whole
    # Page X of Y on every page, and a page count that fits the content.
    count = len(reader.pages)
    # A committee paper, not a print-out of every page ("Since the last committee" is one).
    assert 12 <= count <= 17
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {count}" in page


def test_the_packs_contents_give_the_page_each_section_starts_on(seed, chromium):
    _, pages = text_of(pack_pdf(Month(2023, 9), PackOptions()))
    contents = " ".join(pages[0][pages[0].index("Contents") :].split())
    titles = [entry["title"] for entry in pack_context(Month(2023, 9), PackOptions())["contents"]]
    assert titles[:5] == [
        "At a glance, Sep-23",
        "Key",
        "Exceptions: red or worsening, Sep-23",
        "Since the last committee: Aug-23 to Sep-23",
        "Actions from the last meeting",
    ]
    assert len(titles) == 5 + len(seed["priorities"])
    for title in titles:
        number = re.search(re.escape(title) + r" (\d+)", contents)
        assert number, title
        page = " ".join(pages[int(number.group(1)) - 1].split())
        if title == "Actions from the last meeting":
            # It follows "Since the last committee" on the page that ends on.
            assert title in page, (title, number.group(1))
        else:
            assert page.startswith(title), (title, number.group(1))


def test_the_pack_keeps_every_figure_commentary_and_milestone(seed, chromium):
    _, pages = text_of(pack_pdf(Month(2023, 9), PackOptions()))
    whole = " ".join(" ".join(pages).split())
    for item in seed["indicators"]:
        assert re.search(rf"(^| ){re.escape(item['reference'])} ", whole), item["reference"]
    for comment in seed["commentary"]:
        if comment["period"] == "2023-09":
            assert " ".join(comment["text"].split())[:60] in whole
    for priority in seed["priorities"]:
        for milestone in priority.get("milestones", []):
            assert " ".join(milestone["workstream"].split())[:40] in whole, milestone

    # Every chart is there: one caption per headline measure, and the trend line in words.
    assert whole.count("Line chart of") >= len(seed["indicators"])


def test_no_pack_page_is_mostly_empty_except_at_a_sections_end(seed, chromium):
    reader, pages = text_of(pack_pdf(Month(2023, 9), PackOptions()))
    starts = {0} | {
        index
        for index, page in enumerate(pages)
        if re.match(r"\s*(At a glance|Key|Exceptions|Since the last committee|Priority \d)", page)
    }
    for index, page in enumerate(pages):
        ends_a_section = index + 1 in starts or index == len(pages) - 1
        if index not in starts and not ends_a_section:
            assert len(page) > 600, f"page {index + 1} is mostly empty"


def test_the_pack_is_tagged_and_landscape_a4(seed, chromium):
    reader, _ = text_of(pack_pdf(Month(2023, 9), PackOptions()))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])  # a tagged (accessible) PDF
    assert "/StructTreeRoot" in root
    box = reader.pages[0].mediabox
    # A4 landscape is 842 x 595 points (Chromium writes 842.88 x 595.92).
    assert abs(float(box.width) - 842) < 2 and abs(float(box.height) - 595) < 2


def test_the_pack_suppresses_small_counts(seed, chromium):
    _, pages = text_of(pack_pdf(Month(2023, 9), PackOptions()))
    whole = "\n".join(pages)
    # The priority's headline table, with its three months (the exceptions show one).
    section = next(page for page in pages if page.lstrip().startswith("Priority 4: At risk"))
    line = next(
        line
        for line in section.splitlines()
        if "Number of unregistered placements – Under 16" in line
    )
    assert " x x x " in f" {line} " or line.count("x") >= 3
    assert not re.search(r"Under 16 \(month end snapshot\) 3 4 3", whole)


def test_a_viewer_downloads_the_published_pack_from_the_dashboard(viewer_client, seed, chromium):
    dashboard = viewer_client.get(reverse("dashboard"))
    assert reverse("pack") in dashboard.text
    response = viewer_client.get(reverse("pack"), {"period": "2023-09"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="scorecard-pack-2023-09.pdf"' in response["Content-Disposition"]
    _, pages = text_of(response.content)
    assert "end of September 2023" in pages[0]


def test_a_viewer_never_gets_draft_figures_in_the_pack(
    viewer_client, editor, client, seed, chromium
):
    Value.objects.filter(indicator__reference="78", period="2023-09-01").update(value=99.99)
    # Sep-23 stays published, but a draft month's figure must not show: make October a draft.
    Value.objects.create(
        indicator_id=Value.objects.get(indicator__reference="78", period="2023-09-01").indicator_id,
        period="2023-10-01",
        value=12.34,
    )
    # A viewer asking for October's pack is refused: October is not published.
    response = viewer_client.get(reverse("pack"), {"period": "2023-10"})
    assert response.status_code == 404
    assert b"12.34" not in response.content
    client.force_login(editor)
    _, pages = text_of(client.get(reverse("pack"), {"period": "2023-10"}).content)
    assert "12.34" in "\n".join(pages)


def test_a_pack_that_cannot_be_made_gives_a_clear_message(viewer_client, seed, monkeypatch):
    # Configuration, not a mock: the server has no Chromium.
    monkeypatch.setattr(pdf, "CHROMIUM", pdf.Path("/nonexistent/chromium"))
    response = viewer_client.get(reverse("pack"), {"period": "2023-09"})
    assert response.status_code == 503
    assert "Chromium is not installed" in response.text


def test_a_pack_that_takes_too_long_is_stopped_with_a_message(seed, chromium):
    renderer = pdf.PdfRenderer()
    html = pack_html(Month(2023, 9), PackOptions())
    with pytest.raises(pdf.PdfUnavailable, match="took longer than"):
        renderer.render(html, timeout=0.001)
    # The renderer recovers: the next pack is made normally.
    assert renderer.render(html, timeout=60).startswith(b"%PDF")


def test_the_command_writes_the_pack_to_a_file(seed, chromium, tmp_path):
    output = tmp_path / "pack.pdf"
    call_command(
        "export_pack", "--period", "2023-09", "--output", str(output), stdout=io.StringIO()
    )
    _, pages = text_of(output.read_bytes())
    assert "end of September 2023" in pages[0]
