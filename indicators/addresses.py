"""What the pages of both sides read from an address: a month (``/entry/2023-09/``,
``?period=2023-09``). A month that is not one, or out of range, is a 404 that says why, never
a 500."""

from django.http import Http404

from indicators.periods import Month, parse_in_range


def month_or_404(text: str) -> Month:
    """The ISO month ``text`` names; Http404 with parse_in_range's sentence otherwise."""
    try:
        return parse_in_range(text)
    except ValueError as error:
        raise Http404(str(error)) from None
