"""What the layout tests share: the widths every page is drawn at, the measure of what
Chromium drew (layout_measure.js: overflow, clipping, overlap), its report in words, and
screenshots in screen-sized parts (tests/test_layout.py, tests/test_new_council_browser.py)."""

from pathlib import Path

WIDTHS = (1366, 1024, 390)
MEASURE = (Path(__file__).resolve().parent / "layout_measure.js").read_text()


def measure(page, width):
    return page.evaluate(MEASURE, width)


def screenshots(page, path, width, height=1200):
    """The whole page, in screen-sized parts a person can read."""
    total = page.evaluate("document.documentElement.scrollHeight")
    for part, top in enumerate(range(0, total, height)):
        clip = {"x": 0, "y": top, "width": width, "height": min(height, total - top)}
        page.screenshot(path=f"{path}-{part}.png", full_page=True, clip=clip)


def report(found):
    return "\n".join(
        f"{where}: {problem}" for where, problems in found.items() for problem in problems
    )
