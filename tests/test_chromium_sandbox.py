"""Chromium prints in its sandbox where it can (scorecard.pdf.launch_plans): never as root
(Chromium refuses), always when told "on", never when told "off", and otherwise sandboxed
first with a fall-back that is logged with its reason."""

import io
import logging

import pytest
from django.core.exceptions import ImproperlyConfigured
from pypdf import PdfReader

from scorecard import pdf

from .support.pdf_pages import page_with_delay


@pytest.mark.parametrize(
    ("mode", "is_root", "sandboxes_tried"),
    [
        ("auto", False, [True, False]),
        ("auto", True, [False]),
        ("on", False, [True]),
        ("on", True, [True]),
        ("off", False, [False]),
        ("off", True, [False]),
    ],
)
def test_the_launches_tried_follow_the_setting_and_the_user(mode, is_root, sandboxes_tried):
    plans = pdf.launch_plans(mode, is_root=is_root)
    assert [plan.sandbox for plan in plans] == sandboxes_tried
    for plan in plans:
        options = plan.options()
        # Playwright adds --no-sandbox itself unless chromium_sandbox is true.
        assert options["chromium_sandbox"] is plan.sandbox
        assert ("--no-sandbox" in options["args"]) is not plan.sandbox
        # Every unsandboxed launch says why, for the warning in the log.
        assert plan.sandbox or plan.why_not


def test_root_is_named_as_the_reason_for_no_sandbox():
    (plan,) = pdf.launch_plans("auto", is_root=True)
    assert "root" in plan.why_not


def test_the_flags_shared_by_every_launch_do_not_turn_the_sandbox_off():
    assert "--no-sandbox" not in pdf.CHROMIUM_ARGS


class FailingFirst:
    """Playwright's BrowserType as the launch sees it: refuses the sandboxed launch, as a
    machine without user namespaces or the setuid helper does, and records each call."""

    def __init__(self, refuse_sandbox):
        self.refuse_sandbox, self.calls = refuse_sandbox, []

    def launch(self, **options):
        self.calls.append(options)
        if options["chromium_sandbox"] and self.refuse_sandbox:
            raise RuntimeError("No usable sandbox!\nlong browser log")
        return "browser"


def test_auto_falls_back_without_the_sandbox_and_says_why_once(monkeypatch, caplog):
    monkeypatch.setattr(pdf, "running_as_root", lambda: False)
    monkeypatch.setattr(pdf, "_warned_unsandboxed", pdf.threading.Event())
    browser_type = FailingFirst(refuse_sandbox=True)
    with caplog.at_level(logging.WARNING, logger="scorecard.pdf"):
        assert pdf.launch_chromium(browser_type, "auto") == "browser"
        assert pdf.launch_chromium(browser_type, "auto") == "browser"
    assert [call["chromium_sandbox"] for call in browser_type.calls] == [True, False, True, False]
    unsandboxed = [r.getMessage() for r in caplog.records if "without its sandbox" in r.message]
    assert len(unsandboxed) == 1
    assert "the sandboxed launch failed: No usable sandbox!" in unsandboxed[0]


def test_auto_keeps_the_sandbox_where_it_works_and_warns_nothing(monkeypatch, caplog):
    monkeypatch.setattr(pdf, "running_as_root", lambda: False)
    monkeypatch.setattr(pdf, "_warned_unsandboxed", pdf.threading.Event())
    browser_type = FailingFirst(refuse_sandbox=False)
    with caplog.at_level(logging.WARNING, logger="scorecard.pdf"):
        pdf.launch_chromium(browser_type, "auto")
    assert [call["chromium_sandbox"] for call in browser_type.calls] == [True]
    assert "--no-sandbox" not in browser_type.calls[0]["args"]
    assert not caplog.records


def test_on_does_not_fall_back(monkeypatch):
    monkeypatch.setattr(pdf, "running_as_root", lambda: False)
    browser_type = FailingFirst(refuse_sandbox=True)
    with pytest.raises(RuntimeError, match="No usable sandbox"):
        pdf.launch_chromium(browser_type, "on")
    assert len(browser_type.calls) == 1


@pytest.mark.parametrize("value", ["yes", "sometimes"])
def test_a_setting_not_understood_stops_the_server(value):
    import subprocess
    import sys

    check = subprocess.run(
        [sys.executable, "-c", "import scorecard.settings"],
        env={"SECRET_KEY": "x", "SCORECARD_CHROMIUM_SANDBOX": value, "PATH": "/usr/bin"},
        capture_output=True,
        text=True,
        cwd=pdf.settings.BASE_DIR,
    )
    assert check.returncode != 0
    assert f"SCORECARD_CHROMIUM_SANDBOX={value!r} is not understood" in check.stderr
    assert ImproperlyConfigured.__name__ in check.stderr


# The printed page's own policy (pdf.PACK_CSP) --------------------------------------------------
@pytest.mark.browser
def test_a_handler_smuggled_into_a_printed_page_does_not_run(chromium):
    """Markup that escaped the templates' escaping would still run no script: the printed
    page's policy refuses handler attributes (the page's own inline script, allowed by its
    hash, still draws)."""
    smuggled = (
        'Printed <img src="/static/no-such-file.png" '
        "onerror=\"document.querySelector('h1').append(' HANDLER RAN')\">"
    )
    renderer = pdf.PdfRenderer(queue_timeout=60)
    try:
        data = renderer.render(page_with_delay(800, smuggled), timeout=60)
    finally:
        renderer.shutdown()
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Printed" in text
    assert "HANDLER RAN" not in text


def test_the_policy_allows_the_pages_own_inline_scripts_by_hash_only():
    policy = pdf.pack_csp("<html><script>let a = 1</script><script src='/s.js'></script></html>")
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";")[0]
    assert policy.count("'sha256-") == 1
    assert "connect-src 'none'" in policy
