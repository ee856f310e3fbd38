"""The audit page and the history of everything that feeds a figure (issue 11 item 7)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import (
    AnnualFigure,
    Benchmark,
    Indicator,
    Population,
    Priority,
    ReportSection,
    Target,
    Value,
)
from indicators.periods import Month
from intake.publishing import publish

from .support.factories import make_indicator, make_priority, make_user


@pytest.fixture
def changes(seed, editor, administrator):
    """A figure, a target, a definition, a priority, a benchmark, a yearly figure, a
    population and a report section changed by two people, and a month published."""
    from simple_history.utils import update_change_reason  # noqa: F401 - history is in use

    seven = Indicator.objects.get(reference="7")
    value = Value.objects.get(indicator=seven, period="2023-09-01")
    value.value = Decimal("60.5")
    value._history_user = editor
    value.save()
    target = Target.objects.get(indicator=seven)
    target.value = Decimal("85")
    target._history_user = administrator
    target.save()
    seven.definition = "Decisions made within one working day."
    seven._history_user = administrator
    seven.save()
    priority = Priority.objects.get(number=2)
    priority.lead_officer = "New Lead"
    priority._history_user = administrator
    priority.save()
    benchmark = Benchmark(indicator=seven, comparator="england", period_label="2022/23", value=80)
    benchmark._history_user = administrator
    benchmark.save()
    annual = AnnualFigure(indicator=seven, year_label="2022/23", value=Decimal("55"))
    annual._history_user = administrator
    annual.save()
    population = Population.objects.first()
    population.value = 52000
    population._history_user = administrator
    population.save()
    section = ReportSection(quarter="Q2 2023/24", title="Education", current_label="Q1")
    section._history_user = administrator
    section.save()
    publish(Month(2023, 10), editor)
    return {"seven": seven, "editor": editor, "administrator": administrator}


def rows(response):
    return list(response.context["table"].paginated_rows)


def test_everything_that_feeds_a_figure_has_a_history(changes):
    for model in (Priority, Benchmark, AnnualFigure, Population, ReportSection, Indicator):
        assert model.history.filter(history_user=changes["administrator"]).exists(), model


def test_the_audit_page_lists_changes_across_the_product_with_old_and_new(client, changes):
    client.force_login(changes["editor"])
    response = client.get(reverse("audit"))
    assert response.status_code == 200
    kinds = {row.record.kind for row in rows(response)}
    assert {
        "Figure",
        "Target",
        "Indicator",
        "Priority",
        "Benchmark",
        "Yearly figure",
        "Population",
        "Report section",
        "Publication",
    } <= kinds
    html = response.text
    assert "58.2%" in html and "60.5%" in html  # the figure's old and new
    assert "lead officer: Service Director" in html or "lead officer:" in html
    assert "New Lead" in html
    assert "Published" in html


def test_the_audit_page_filters_by_person_indicator_and_month(client, changes):
    client.force_login(changes["editor"])
    by_editor = rows(client.get(reverse("audit"), {"person": changes["editor"].pk}))
    assert by_editor and {row.record.who for row in by_editor} == {"advisor"}
    by_indicator = rows(client.get(reverse("audit"), {"indicator": changes["seven"].pk}))
    kinds = {row.record.kind for row in by_indicator}
    assert {"Figure", "Target", "Indicator", "Benchmark", "Yearly figure"} <= kinds
    assert "Priority" not in kinds and "Population" not in kinds
    for row in by_indicator:
        assert row.record.what.startswith("ID 7")
    september = rows(client.get(reverse("audit"), {"month": "2023-09"}))
    assert september and all("Sep-23" in row.record.what for row in september)
    bad = client.get(reverse("audit"), {"month": "1900-01"})
    assert "There is a problem with the filters" in bad.text


def test_the_audit_page_is_for_editors_and_administrators(client, seed, viewer):
    client.force_login(viewer)
    assert client.get(reverse("audit")).status_code == 403


def _history(size):
    """``size`` figures entered and then changed by one person, on a database of its own."""
    user = make_user(f"bulk{size}")
    priority = make_priority(1)
    for number in range(size):
        indicator = make_indicator(f"A{number}", priority)
        value = Value(indicator=indicator, period="2023-09-01", value=Decimal(50))
        value._history_user = user
        value.save()
        value.value = Decimal(51)
        value.save()
    return user


@pytest.mark.parametrize("size", [5, 60])
def test_the_audit_pages_query_count_is_constant(client, editor, django_assert_num_queries, size):
    person = _history(size)
    client.force_login(editor)
    # Session, user, groups; the person filter's user; the count and the page's keys (one
    # UNION each); the page's figure records and the records before them (each kind on a
    # page costs these two; there is one kind here at both sizes); the filter form's people
    # and indicators; the council (the header).
    with django_assert_num_queries(3 + 1 + 2 + 2 + 2 + 1):
        response = client.get(reverse("audit"), {"person": person.pk})
    shown = rows(response)
    assert len(shown) == min(50, 2 * size)
    assert shown[0].record.old == "50.0%" and shown[0].record.new == "51.0%"
