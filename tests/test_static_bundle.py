"""The partial Plotly bundle (static/plotly/, built by frontend/build.sh): the plotly.js version
that plotly.py writes figures for, every trace type our figure builders produce registered in
it, and pages that load only our own scripts, none of them holding up the page."""

import json
from html.parser import HTMLParser

import plotly.offline
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from indicators.models import Indicator, Priority
from indicators.periods import Month
from intake.quarterly_seed import load_quarterly_seed
from scorecard.pack import PackOptions, pack_html

from .support.plotly_bundle import BUNDLE, ROOT, bundle_trace_types

PACKAGE = "plotly.js-basic-dist-min"


def test_the_bundle_is_the_plotly_js_version_plotly_py_writes_figures_for():
    wanted = plotly.offline.get_plotlyjs_version()
    header = BUNDLE.read_text()[:200]
    assert f"plotly.js (basic - minified) v{wanted}" in header, header
    package = json.loads((ROOT / "frontend" / "package.json").read_text())
    assert package["devDependencies"][PACKAGE] == wanted  # pinned exactly
    lock = json.loads((ROOT / "frontend" / "package-lock.json").read_text())
    assert lock["packages"][f"node_modules/{PACKAGE}"]["version"] == wanted


def test_the_bundle_lists_its_trace_modules():
    assert bundle_trace_types() == {"bar", "pie", "scatter"}


def test_the_full_plotly_js_is_no_longer_served():
    assert finders.find("plotly/plotly-basic.min.js") == str(BUNDLE)
    assert finders.find("plotly/plotly.min.js") is None
    assert settings.STATICFILES_DIRS == [settings.BASE_DIR / "static"]


class Assets(HTMLParser):
    """Every script and stylesheet a page loads, and the figures it carries."""

    def __init__(self):
        super().__init__()
        self.scripts, self.styles, self.figures = [], [], []
        self._in_json = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("type") == "application/json":
            self._in_json = True
        elif tag == "script":
            self.scripts.append(attrs)
        elif tag == "link" and attrs.get("rel") == "stylesheet":
            self.styles.append(attrs["href"])

    def handle_endtag(self, tag):
        self._in_json = False

    def handle_data(self, data):
        if self._in_json:
            # json_script of figure_json(): a JSON string holding the figure's JSON.
            value = json.loads(data)
            if isinstance(value, str):
                value = json.loads(value)
            if isinstance(value, dict) and "data" in value:
                self.figures.append(value)


def read_assets(html):
    parser = Assets()
    parser.feed(html)
    return parser


@pytest.fixture
def every_page(viewer_client, seed):
    """Every page that can carry a chart, for the seed: the dashboard, every priority and
    indicator page, the quarterly report and the committee pack's HTML."""
    load_quarterly_seed()
    urls = [reverse("dashboard") + "?period=2023-09", reverse("quarterly_latest")]
    urls += [
        reverse("priority", args=[p.number]) + "?period=2023-09" for p in Priority.objects.all()
    ]
    urls += [reverse("indicator", args=[i.reference]) for i in Indicator.objects.all()]
    pages = {}
    for url in urls:
        response = viewer_client.get(url, follow=True)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    pages["pack"] = pack_html(Month(2023, 9), PackOptions())
    return pages


def test_every_trace_type_our_figures_use_is_in_the_bundle(every_page):
    used = set()
    for html in every_page.values():
        for figure in read_assets(html).figures:
            used |= {trace.get("type", "scatter") for trace in figure["data"]}
    assert "scatter" in used  # the pages did carry figures
    missing = used - bundle_trace_types()
    assert not missing, (
        f"trace types {sorted(missing)} are not in {PACKAGE}: pin plotly.js-cartesian-dist-min "
        "in frontend/package.json and rebuild (frontend/build.sh)"
    )


def test_pages_load_only_local_scripts_and_none_holds_up_the_page(every_page):
    checked = 0
    for url, html in every_page.items():
        assets = read_assets(html)
        for style in assets.styles:
            assert style.startswith(settings.STATIC_URL), (url, style)
        for script in assets.scripts:
            src = script.get("src")
            if src is None:
                continue  # the nonce-tagged line in base.html that marks the body js-enabled
            assert src.startswith(settings.STATIC_URL), (url, src)
            if "data-plotly" in script:
                assert script["data-plotly"].startswith(settings.STATIC_URL), url
                assert script["data-plotly"].endswith("plotly/plotly-basic.min.js"), url
            # async, defer or a module (deferred): the parser never waits for a script.
            waits = not ({"async", "defer"} & script.keys() or script.get("type") == "module")
            assert not waits, (url, src)
            checked += 1
    assert checked > len(every_page)  # GOV.UK's module on every page, charts.js on some
