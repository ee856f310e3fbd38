"""{{ chart.figure|chart_json:data_id }}: a Plotly figure (a dict) in a json_script tag."""

from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import json_script
from django.utils.safestring import SafeString

register = template.Library()


class _CompactEncoder(DjangoJSONEncoder):
    # No spaces after separators: a priority page carries a dozen figures.
    item_separator = ","
    key_separator = ":"


@register.filter
def chart_json(figure: dict[str, Any], element_id: str) -> SafeString:
    """The figure as JSON in a ``<script type="application/json">`` tag, escaped as Django's
    ``json_script`` escapes it; static/js/charts.js reads and draws it."""
    return json_script(figure, element_id, encoder=_CompactEncoder)
