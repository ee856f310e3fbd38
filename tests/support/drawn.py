"""What a printed PDF draws, read back with PyMuPDF: the boxes of its charts, its text spans
and its drawings, and the checks a councillor makes by eye (nothing overlaps, nothing is cut
off, every chart reaches the latest month, no chart left alone on a page). Each check returns
the problems it found, as sentences; an empty list means the page passed.

How a chart is found: Plotly paints each chart's paper, a white rectangle the size of the
whole chart (the SVG's background; the pack prints backgrounds), before anything else of the
chart. Those rectangles are the charts' boxes as drawn: a chart drawn wider than its cell has
a box wider than its cell, however the page clips it. (A chart's own legend background is a
white rectangle too, but inside its chart's box; the page's background is a white rectangle
the size of the printed area, and is left out.) PyMuPDF reports each drawing's rectangle
unclipped, so what runs past the page's printed area is seen, not hidden by the clip.
"""

import itertools
import re

import pymupdf

MM = 72 / 25.4
# The printer's margins (scorecard.pdf.MARGIN_MM); the footer is printed in the bottom one.
MARGINS = {"top": 12 * MM, "bottom": 16 * MM, "left": 12 * MM, "right": 12 * MM}
WHITE = (1.0, 1.0, 1.0)
# Smallest box taken for a chart (points): smaller white rectangles are legends and marks.
CHART_MIN = (100, 50)
# A text span's box is its font's full height (ascender to descender), taller than the line
# it sits on: spans of neighbouring lines may touch by a point or two without touching ink.
TEXT_TOLERANCE = 1.5
EDGE_TOLERANCE = 1.0


def open_pdf(data):
    return pymupdf.open(stream=data, filetype="pdf")


def _boxes_differ(a, b):
    return any(abs(x - y) > EDGE_TOLERANCE for x, y in zip(a, b, strict=True))


def chart_boxes(page):
    """The rectangles of the charts drawn on ``page`` (see the module's note)."""
    boxes = []
    for drawing in page.get_drawings():
        rect = drawing["rect"]
        if drawing.get("fill") != WHITE or len(drawing["items"]) != 1:
            continue
        if rect.width < CHART_MIN[0] or rect.height < CHART_MIN[1]:
            continue
        if _page_background(drawing, page):
            continue
        if any(rect in box for box in boxes):
            continue  # a legend's background inside its chart
        boxes.append(rect)
    return boxes


def spans(page):
    """Every text span on the page with its box, including any outside the page (PyMuPDF
    leaves those out by default)."""
    flags = pymupdf.TEXTFLAGS_DICT & ~pymupdf.TEXT_MEDIABOX_CLIP
    found = []
    for block in page.get_text("dict", flags=flags)["blocks"]:
        for number, line in enumerate(block.get("lines", [])):
            for span in line["spans"]:
                if span["text"].strip():
                    found.append(
                        {
                            "text": span["text"].strip(),
                            "rect": pymupdf.Rect(span["bbox"]),
                            "line": (block["number"], number),
                        }
                    )
    return found


def words(page):
    """Every word on the page with its box (a chart's axis labels are one span, since they
    share a baseline: each is its own word)."""
    flags = pymupdf.TEXTFLAGS_WORDS & ~pymupdf.TEXT_MEDIABOX_CLIP
    return [
        {"text": word[4], "rect": pymupdf.Rect(word[:4])}
        for word in page.get_text("words", flags=flags)
    ]


def _page_background(drawing, page):
    """The white the page is painted with (Chromium paints it past the printed area too)."""
    printed_width = page.rect.width - MARGINS["left"] - MARGINS["right"]
    return drawing.get("fill") == WHITE and drawing["rect"].width > 0.9 * printed_width


def _partly_overlap(a, b, tolerance):
    inside = a & b
    if inside.is_empty or inside.width <= tolerance or inside.height <= tolerance:
        return False
    # One inside the other is not a collision (a legend inside its chart).
    return not (a in b or b in a)


def overlapping_charts(page):
    """(a) Two charts whose boxes partly overlap: one is drawn over its neighbour."""
    return [
        f"page {page.number + 1}: the chart at {tuple(round(v) for v in a)} overlaps the chart"
        f" at {tuple(round(v) for v in b)}"
        for a, b in itertools.combinations(chart_boxes(page), 2)
        if _partly_overlap(a, b, EDGE_TOLERANCE)
    ]


def drawings_crossing_charts(page):
    """(a) A drawing that starts inside a chart's box and runs out of it (or in from outside):
    a chart's lines past its own box, or a table's rule through a chart."""
    boxes = chart_boxes(page)
    problems = []
    for drawing in page.get_drawings():
        rect = drawing["rect"]
        if _page_background(drawing, page):
            continue
        for box in boxes:
            if not _boxes_differ(rect, box):
                continue
            if _partly_overlap(rect, box, EDGE_TOLERANCE) and rect not in box + (-1, -1, 1, 1):
                problems.append(
                    f"page {page.number + 1}: a drawing at {tuple(round(v) for v in rect)} "
                    f"crosses the edge of the chart at {tuple(round(v) for v in box)}"
                )
    return problems


def text_over_text(page):
    """(b) Two spans of different lines whose boxes overlap by more than the tolerance: words
    printed over words."""
    problems = []
    for a, b in itertools.combinations(spans(page), 2):
        if a["line"] == b["line"]:
            continue
        if _partly_overlap(a["rect"], b["rect"], TEXT_TOLERANCE) or (
            a["rect"] in b["rect"] or b["rect"] in a["rect"]
        ):
            inside = a["rect"] & b["rect"]
            if inside.width > TEXT_TOLERANCE and inside.height > TEXT_TOLERANCE:
                problems.append(
                    f"page {page.number + 1}: {a['text']!r} is printed over {b['text']!r}"
                )
    return problems


def printable_area(page):
    """The page less its margins, except that the footer sits in the bottom margin."""
    area = page.rect
    return pymupdf.Rect(
        area.x0 + MARGINS["left"] - EDGE_TOLERANCE,
        area.y0 + MARGINS["top"] - EDGE_TOLERANCE,
        area.x1 - MARGINS["right"] + EDGE_TOLERANCE,
        area.y1 - 4 * MM,
    )


def off_the_page(page):
    """(c) Text or drawings outside the printed area: cut off at the page's edge."""
    area = printable_area(page)
    problems = [
        f"page {page.number + 1}: {span['text']!r} is outside the printed area"
        for span in spans(page)
        if span["rect"] not in area
    ]
    problems += [
        f"page {page.number + 1}: a drawing at {tuple(round(v) for v in drawing['rect'])} is "
        "outside the printed area"
        for drawing in page.get_drawings()
        if not drawing["rect"].is_empty
        and drawing["rect"] not in area
        and not _page_background(drawing, page)
    ]
    return problems


MONTH_LABEL = re.compile(r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-\d\d$")


def charts_without_month(page, label):
    """(d) Charts with a month axis in whose box the month ``label`` (e.g. "Sep-23") is not
    printed: the latest month was cut off or never drawn. A chart showing no month at all
    (a bar chart of counts) has no month axis to check."""
    found = words(page)
    problems = []
    for box in chart_boxes(page):
        inside = [word["text"] for word in found if word["rect"] in box]
        if any(MONTH_LABEL.match(text) for text in inside) and label not in inside:
            problems.append(
                f"page {page.number + 1}: the chart at {tuple(round(v) for v in box)} does not "
                f"show {label}"
            )
    return problems


def lone_charts(document):
    """(f) A page holding a single chart straight after a page of charts: a group split so
    that one chart is left on its own."""
    counts = [len(chart_boxes(page)) for page in document]
    return [
        f"page {number + 1} holds one chart on its own, after {counts[number - 1]} on page {number}"
        for number in range(1, len(counts))
        if counts[number] == 1 and counts[number - 1]
    ]


def layout_problems(document, month_label):
    """Every check on every page of ``document``."""
    problems = []
    for page in document:
        problems += overlapping_charts(page)
        problems += drawings_crossing_charts(page)
        problems += text_over_text(page)
        problems += off_the_page(page)
        problems += charts_without_month(page, month_label)
    return problems + lone_charts(document)
