"""The partial Plotly bundle (static/plotly/, built by frontend/build.sh) and the trace types
it registers."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "static" / "plotly" / "plotly-basic.min.js"


def bundle_trace_types():
    """The trace modules the bundle registers: each is a module object written as
    ``moduleType:"trace",name:"scatter"`` in the minified source."""
    return set(re.findall(r'moduleType:"trace",name:"(\w+)"', BUNDLE.read_text()))
