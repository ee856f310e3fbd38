"""The SPC key's words (``indicators.spc``) for templates rendered with or without a request:
the pack is rendered by ``render_to_string`` with no context processors."""

from django import template

from indicators import spc

register = template.Library()


@register.simple_tag
def spc_key():
    return {
        "variation": spc.VARIATION_KEY,
        "assurance": spc.ASSURANCE_KEY,
        "patterns": spc.key_patterns(),
        "expected_range": spc.EXPECTED_RANGE,
    }
