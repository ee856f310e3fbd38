"""Devon's set-up as a fixture, shared by the second council's tests and the pack's drawn
checks: its workbook and figures imported into an empty database, Oct-22 and the months
before it published."""

import pytest

from indicators.periods import Month
from intake.figure_import.plan import apply_plan, plan_import
from intake.publishing import publish
from intake.setup.apply import apply_setup
from intake.setup.planner import plan_setup

from . import devon

OCT_22 = Month(2022, 10)


@pytest.fixture
def devon_set_up(db):
    """Devon's workbook and its figures, imported into an empty database; Oct-22 and the
    months before it published."""
    plan = plan_setup(devon.setup_workbook(), "devon.xlsx")
    assert plan.problems == []
    apply_setup(plan)
    figures = plan_import(devon.figures_csv(), "devon-figures.csv")
    assert figures.problems == []
    apply_plan(figures, None)
    for iso in ("2021-10", "2022-03", "2022-09", "2022-10"):
        publish(Month.parse(iso), None)
