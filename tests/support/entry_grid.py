"""The entry grid's form as a browser submits it, for the tests that save figures through it."""

from indicators.models import Indicator


def grid_data(response):
    """The grid's form as the browser would submit it, unchanged."""
    form = response.context["form"]
    data = {}
    for name, _field in form.fields.items():
        value = form[name].value()
        data[name] = "" if value is None else value
    return data


def key(reference):
    return Indicator.objects.get(reference=reference).id


def give_reasons(data, *references):
    """Sep-23 is published in the seed: a change to its figures is a revision with a reason."""
    for reference in references:
        data[f"reason_{key(reference)}"] = "Corrected after the validation check."
